"""The hidden entries pyshim keeps beside a venv's path, and how a venv is put into place there.

Part of the `venv/` action step: `builder.py` and the replay (`replay.py`) build every venv
through this module, which is why it imports nothing at load time beyond os and time (errors
and errno are loaded when a build fails). Beside `NAME`:

- `.NAME.pyshim-lock`: a lockf(3) lock (a POSIX record lock on the whole file; `os.lockf`
  needs no `fcntl` module, whose load the replayed `pyshim venv` would pay), held from the
  first look at the path until the new venv is complete (`path_lock`), so concurrent `pyshim
  venv --clear NAME` runs replace it one after the other and each sees what the previous one
  left. Not filelock: filelock leaves its lock file behind, and this one sits in the user's
  folder. The holder deletes the file before it lets go; a waiter that then gets the lock
  checks that the file it locked is still the one at the path, and starts again if not (the
  usual unlink-safe lock-file pattern). The kernel drops the lock of a killed process; the next
  run takes the file over. A POSIX lock belongs to the process: two threads of one process do
  not exclude each other, and closing any descriptor of the file lets go of it, so nothing else
  here opens a lock file while it is held. A replayed build keeps the inode: the lock file
  becomes one of the venv's files (`path_lock.lend`), and only its name is deleted at the end,
  because on some disks a new inode is the dearest step of a venv without pip
  (docs/benchmarks.md, "Inodes").
- `.NAME.RANDOM.pyshim-tmp`: the build folder. `Staged` is a build's whole life as one context
  manager: the folder, the renames that commit it (never split by Ctrl-C), the rollback when
  the block fails, and the one-line error a failed build turns into (`EnvBuilder._replace` is
  only the steps inside it).
- `.NAME.RANDOM.pyshim-old`: a replaced venv waiting to be deleted. While the lock is held
  nobody else builds NAME, so any `-tmp` or `-old` folder is a leftover of a killed run.
  `sweep_leftovers` deletes them, except that when NAME itself is missing and a replaced venv
  waits in a `-old` folder (a kill between the two renames of a --clear), that venv is put back
  first: the user's venv is never lost to a crash.

What is at the target before the build is `existing.py`'s; no step of the stdlib's API lives here.
"""

import os
import stat  # (loaded with os)
import time

TYPE_CHECKING = False  # typing stays unimported at run time (see pyshim.base.record)
if TYPE_CHECKING:
    from types import SimpleNamespace
    from typing import Callable, List, Optional

    from pyshim.base.errors import VenvError


def sibling_path(path: str, kind: str, tag: str = "") -> str:
    """`.NAME.TAG.KIND` (or `.NAME.KIND`) beside `path`: the names pyshim uses there."""
    name = os.path.basename(path)
    return os.path.join(os.path.dirname(path), f".{name}.{tag}.{kind}" if tag else f".{name}.{kind}")


def make_sibling_dir(path: str, kind: str, mode: int) -> str:
    """A new hidden folder beside `path` (`.NAME.RANDOM.KIND`), made by this process only."""
    while True:
        candidate = sibling_path(path, kind, os.urandom(4).hex())
        try:
            os.mkdir(candidate, mode)  # mode is masked by the umask, as for any folder
            return candidate
        except FileExistsError:
            continue


# --- the lock, and the leftovers of killed runs ------------------------------------------------

LOCK_TIMEOUT_SECONDS = 120.0  # a --clear of a big venv takes a while; waiters queue behind it
POLL_SECONDS = 0.02


class path_lock:
    """`with path_lock(final):` holds the lock for building at `final` (see the module
    docstring). A class, not a contextlib generator, which costs every `pyshim venv` its import."""

    def __init__(self, final: str, timeout: float = LOCK_TIMEOUT_SECONDS) -> None:
        self.final = final
        self.timeout = timeout
        self.lock_path = sibling_path(final, "pyshim-lock")
        self._fd = -1

    def __enter__(self) -> "path_lock":
        final, timeout, lock_path = self.final, self.timeout, self.lock_path
        deadline = time.monotonic() + timeout
        timed_out = lambda: venv_error(f"another process has been building {final} for {timeout:.0f}s "  # noqa: E731
                                       f"(it holds {lock_path}); wait for it to finish and run this again")
        while True:
            fd = -1
            try:
                fd = _open_lock_file(lock_path, final)
                _wait_for_lock(fd, deadline, timed_out)
                if _is_current(fd, lock_path):
                    break
            except BaseException:  # a Ctrl-C while waiting: leave no lock file behind that we made
                if fd >= 0:
                    _unlink_if_free(fd, lock_path)
                raise
            os.close(fd)  # the holder before us deleted the file we waited on: lock the new one
        self._fd = fd
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            os.unlink(self.lock_path)  # still held: whoever waits on this file will try again
        except OSError:
            pass
        os.close(self._fd)

    def lend(self, target: str, data: bytes, mode: int) -> bool:
        """Make the held lock file the new file `target` of the build (`data`, `mode` exactly),
        linked there, so that the build spends no inode on its lock; the lock file's own name
        still goes when the lock is let go, and `target` keeps the inode. False, with nothing
        done, unless the lock file is a plain file of this user's that nothing else links to and
        no symbolic link leads to (a file someone put in its place is never written). Only a
        build that never opens `target` again while the lock is held may lend: closing any
        descriptor of a file lets go of its POSIX locks."""
        held = os.fstat(self._fd)
        try:
            named = os.lstat(self.lock_path)
        except OSError:
            return False
        if (not os.path.samestat(named, held) or not stat.S_ISREG(held.st_mode) or held.st_nlink != 1
                or held.st_uid != os.geteuid()):
            return False
        os.ftruncate(self._fd, 0)
        if os.pwrite(self._fd, data, 0) != len(data):
            raise OSError(f"{self.lock_path}: a short write")  # (a full disk: the build rolls back)
        os.fchmod(self._fd, mode)
        os.link(self.lock_path, target)
        if not os.path.samestat(os.lstat(target), held):  # (the name was swapped meanwhile)
            os.unlink(target)
            return False
        return True


def _open_lock_file(lock_path: str, final: str) -> int:
    try:
        return os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError as error:
        raise venv_error(f"cannot create a venv in {os.path.dirname(final)}: {error.strerror} ({lock_path}); "
                         "pick a folder you can write to") from None


def _wait_for_lock(fd: int, deadline: float, timed_out: "Callable[[], Exception]") -> None:
    """Lock `fd`, polling until the monotonic `deadline` (then raise `timed_out()`): a Ctrl-C
    while waiting is seen at once."""
    while True:
        try:
            os.lockf(fd, os.F_TLOCK, 0)
            return
        except (BlockingIOError, PermissionError):  # EAGAIN or EACCES: another process holds it
            if time.monotonic() > deadline:
                raise timed_out() from None
            time.sleep(POLL_SECONDS)


def _is_current(fd: int, lock_path: str) -> bool:
    """Whether the file `fd` locks is still the one at `lock_path`."""
    held = os.fstat(fd)
    try:
        current = os.stat(lock_path)
    except FileNotFoundError:
        return False
    return os.path.samestat(current, held)


def _unlink_if_free(fd: int, lock_path: str) -> None:
    """Close `fd`; first delete the lock file if nobody holds it (then nobody can be waiting
    on it with the lock, and a waiter that locks it later sees it is gone and starts again)."""
    try:
        os.lockf(fd, os.F_TLOCK, 0)
        if _is_current(fd, lock_path):
            os.unlink(lock_path)
    except OSError:
        pass
    finally:
        os.close(fd)


def leftovers(final: str) -> "List[str]":
    """`.NAME.*.pyshim-tmp` and `.NAME.*.pyshim-old` beside `final`, oldest first."""
    parent, name = os.path.split(final)
    prefix = f".{name}."
    try:
        found = [os.path.join(parent, entry) for entry in os.listdir(parent or ".")
                 if entry.startswith(prefix) and entry.endswith((".pyshim-tmp", ".pyshim-old"))
                 and entry.count(".") == name.count(".") + 3]
    except OSError:
        return []
    return sorted(found, key=_mtime)


def _mtime(path: str) -> float:
    try:
        return os.lstat(path).st_mtime
    except OSError:
        return 0.0


def sweep_leftovers(final: str) -> None:
    """Put back a venv lost between a --clear's two renames, then delete the rest. Call it with
    `path_lock(final)` held."""
    found = leftovers(final)
    if not os.path.lexists(final):
        waiting = [path for path in found if path.endswith(".pyshim-old") and os.path.isdir(os.path.join(path, "venv"))]
        if waiting:
            os.replace(os.path.join(waiting[-1], "venv"), final)
    for path in found:
        remove_tree(path)


# --- the build folder and the renames ---------------------------------------------------------

class deferred_interrupts:
    """`with deferred_interrupts():` holds back SIGINT while the block runs (renames that must
    not be split), then raises the KeyboardInterrupt it would have raised (`reraise`) or drops
    it. Outside the main thread, where no signal handler can be set, the block runs as it is.
    (`_signal` rather than `signal`, which imports enum; a class rather than contextlib: both
    would cost every `pyshim venv` its start-up.)"""

    def __init__(self, reraise: bool = True) -> None:
        self.reraise = reraise
        self.caught: "list[int]" = []
        self._installed = False
        self._previous: object = None

    def __enter__(self) -> "list[int]":
        import _signal

        try:
            self._previous = _signal.signal(_signal.SIGINT, lambda signum, frame: self.caught.append(signum))
            self._installed = True
        except ValueError:  # not the main thread
            pass
        return self.caught

    def __exit__(self, exc_type: object, *exc_info: object) -> None:
        if not self._installed:
            return
        import _signal

        _signal.signal(_signal.SIGINT, self._previous)
        if exc_type is None and self.caught and self.reraise and callable(self._previous):
            self._previous(_signal.SIGINT, None)  # the default handler raises KeyboardInterrupt


def ignore_interrupts() -> None:
    """The venv is in place: a Ctrl-C from now on is too late to stop anything, so the command
    finishes, reports what it made and exits 0 (the few milliseconds to exit)."""
    import _signal

    try:
        _signal.signal(_signal.SIGINT, _signal.SIG_IGN)
    except ValueError:
        pass  # not the main thread (pyshim run as a library): there is no Ctrl-C to ignore


def commit(staging: str, final: str, kind: str) -> str:
    """Rename the finished venv into place; returns where a replaced one waits ("" if none).
    Call it inside `deferred_interrupts()`: a Ctrl-C between the two renames would leave nothing
    at `final`."""
    if kind in ("missing", "empty"):
        try:
            os.replace(staging, final)  # rename(2) replaces an empty folder
        except OSError as error:
            if _is_mount_point_error(error):
                raise _mount_point(final) from None
            raise
        return ""
    trash = make_sibling_dir(final, "pyshim-old", 0o700)
    old = os.path.join(trash, "venv")
    try:
        os.replace(final, old)
    except OSError as error:
        os.rmdir(trash)
        if _is_mount_point_error(error):
            raise _mount_point(final) from None
        raise
    try:
        os.replace(staging, final)
    except BaseException:
        os.replace(old, final)
        os.rmdir(trash)
        raise
    return old


_BUILDING: "dict[str, str]" = {}  # build folder -> the final path, while a `Staged` block runs


def final_path(env_dir: str) -> str:
    """Where the venv being built in `env_dir` will stand: the final path of a `Staged` build
    folder, else `env_dir` itself (a venv built in place)."""
    return _BUILDING.get(env_dir, env_dir)


class Staged:
    """`with Staged(final, kind) as staged:` the build happens in `staged.path`, a new hidden
    folder beside `final`; `staged.commit()` renames it into place (`commit`). Leaving the block
    by an error rolls back (the build folder goes; once committed, the new venv goes and the one
    it replaced comes back) and turns the error into the one line that says what is at `final`
    now (`as_venv_error`); leaving it cleanly deletes the replaced venv. Ctrl-C is held back
    while folders are renamed. (A class rather than contextlib, as `deferred_interrupts`.)"""

    def __init__(self, final: str, kind: str) -> None:
        self.final, self.kind = final, kind
        self.path = ""
        self.old: "Optional[str]" = None  # None until committed; then where the replaced venv waits ("" if none)

    def __enter__(self) -> "Staged":
        try:
            with deferred_interrupts():  # a Ctrl-C right after the mkdir would leave the folder
                try:
                    self.path = make_sibling_dir(self.final, "pyshim-tmp", 0o777)
                    _BUILDING[self.path] = self.final
                except OSError as error:
                    raise venv_error(f"cannot create a venv in {os.path.dirname(self.final)}: {error.strerror}; "
                                     "pick a folder you can write to") from None
        except BaseException as error:
            self.__exit__(type(error), error, None)
            raise
        return self

    def commit(self) -> None:
        with deferred_interrupts():
            self.old = commit(self.path, self.final, self.kind)

    def __exit__(self, exc_type: object, error: "BaseException | None", traceback: object) -> bool:
        _BUILDING.pop(self.path, None)
        if error is None:
            if self.old:
                with deferred_interrupts(reraise=False):  # the new venv is whole: a Ctrl-C now is too late
                    remove_tree(os.path.dirname(self.old))
            return False
        with deferred_interrupts(reraise=False):
            outcome = self._roll_back()
        converted = as_venv_error(error, self.final, outcome)
        if converted is error:
            return False
        raise converted from error

    def _roll_back(self) -> str:
        """Undo a failed build; returns what is true at `final` afterwards, for the message."""
        final, old, kind = self.final, self.old, self.kind
        if self.path:
            remove_tree(self.path)
        if old is None:
            return "nothing was made" if kind == "missing" else f"{final} was left as it was"
        remove_tree(final)
        try:
            if old:
                os.replace(old, final)
                os.rmdir(os.path.dirname(old))
            elif kind == "empty":
                os.mkdir(final)
        except OSError as error:
            where = f"; the previous venv waits in {os.path.dirname(old)}" if old else ""
            return f"{final} could not be put back ({error.strerror}){where}"
        return "nothing was made" if kind == "missing" else f"{final} was left as it was"


def _is_mount_point_error(error: OSError) -> bool:
    import errno

    return error.errno in (errno.EBUSY, errno.EXDEV)


def venv_error(message: str) -> "VenvError":
    """A `VenvError`; the errors module is loaded when a build fails only (this module is on the
    replay's path, see the module docstring)."""
    from pyshim.base.errors import VenvError

    return VenvError(message)


def _mount_point(final: str) -> "VenvError":
    return venv_error(f"cannot build a venv at {final}: it is a mount point, and pyshim puts a venv in place by "
                     f"renaming it; {final} was left as it was; use a folder inside it, e.g. {os.path.join(final, 'venv')}")


def retarget(context: "SimpleNamespace", old: str, new: str) -> None:
    """Point every path in `context` from the build folder to the final one."""
    for name, value in list(vars(context).items()):
        if isinstance(value, str) and (value == old or value.startswith(old + os.sep)):
            setattr(context, name, new + value[len(old):])
    context.pyshim_layout = context.pyshim_final_layout


def as_venv_error(error: BaseException, final: str, outcome: str) -> BaseException:
    """The one-line error for a build that failed; `outcome` says truly what is at `final` now."""
    import errno

    from pyshim.base.errors import PyshimError, VenvOSError

    if isinstance(error, (PyshimError, KeyboardInterrupt)):
        return error
    if isinstance(error, OSError):
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            return VenvOSError(error, f"cannot create the venv at {final}: {error.strerror} (the file system or "
                               f"quota holding {os.path.dirname(final)} is full); {outcome}; free some space and run it again")
        what = error.strerror or str(error)
        named = getattr(error, "filename2", None) or error.filename  # a copy or rename names its target second
        where = f" ({named})" if isinstance(named, str) and named.startswith(os.path.dirname(final)) else ""
        return VenvOSError(error, f"cannot create the venv at {final}: {what}{where}; {outcome}")
    return error


def shutil_module():
    import shutil  # imported only when needed: it pulls in bz2 and lzma (2 ms at start-up)

    return shutil


def remove_tree(path: str) -> None:
    """`fsutil.remove_tree`, loaded when needed (a replay that succeeds never needs it)."""
    from pyshim.base.fsutil import remove_tree as remove

    remove(path)
