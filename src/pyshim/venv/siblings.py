"""The hidden entries pyshim keeps beside a venv's path: the lock that lets one process at a
time replace that path, and the clean-up of what killed runs left there.

Part of the `venv/` action step, used by `builder.py` around the whole build of one path:

- `.NAME.pyshim-lock`: a lockf(3) lock (a POSIX record lock on the whole file; `os.lockf`
  needs no `fcntl` module, whose load the replayed `pyshim venv` would pay), held from the
  first look at the path until the new venv is complete, so concurrent `pyshim venv --clear
  NAME` runs replace it one after the other and each sees what the previous one left. Not
  filelock: filelock leaves its lock file behind, and this one sits in the user's folder. The
  holder deletes the file before it lets go; a waiter that then gets the lock checks that the
  file it locked is still the one at the path, and starts again if not (the usual unlink-safe
  lock-file pattern). The kernel drops the lock of a killed process; the next run takes the
  file over. A POSIX lock belongs to the process: two threads of one process do not exclude each
  other, and closing any descriptor of the file lets go of it, so nothing else here opens a lock
  file while it is held.
- `.NAME.RANDOM.pyshim-tmp` (a build) and `.NAME.RANDOM.pyshim-old` (a replaced venv waiting to
  be deleted): while the lock is held nobody else builds NAME, so any of them is a leftover of a
  killed run. `sweep_leftovers` deletes them, except that when NAME itself is missing and a
  replaced venv waits in a `-old` folder (a kill between the two renames of a --clear), that
  venv is put back first: the user's venv is never lost to a crash.
"""

import os
import time

from pyshim.venv.staging import sibling_path, venv_error

TYPE_CHECKING = False  # typing stays unimported at run time (see pyshim.base.record)
if TYPE_CHECKING:
    from typing import Callable, List

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

    def __enter__(self) -> None:
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

    def __exit__(self, *exc_info: object) -> None:
        try:
            os.unlink(self.lock_path)  # still held: whoever waits on this file will try again
        except OSError:
            pass
        os.close(self._fd)


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
    return (current.st_dev, current.st_ino) == (held.st_dev, held.st_ino)


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
    from pyshim.venv.staging import shutil_module

    found = leftovers(final)
    if not os.path.lexists(final):
        waiting = [path for path in found if path.endswith(".pyshim-old") and os.path.isdir(os.path.join(path, "venv"))]
        if waiting:
            os.replace(os.path.join(waiting[-1], "venv"), final)
    for path in found:
        shutil_module().rmtree(path, ignore_errors=True)
