"""Where a venv is built and how it is put into place: checks on the target path, what is there
already (and whether it looks like a venv), the hidden folder beside it that the build happens
in, the renames that commit it (never split by Ctrl-C), and the error a failed build turns into.
`Staged` is that whole life as one context manager: the build folder, the commit, and the
rollback when the block fails (`EnvBuilder._replace` is only the steps inside it). Used by `builder.py` (the `venv/` action step); no step of the stdlib's API lives here. The lock
that serialises builds of one path and the clean-up of leftovers are in `siblings.py`.
"""

from __future__ import annotations

import errno
import os

from pyshim.base.errors import PyshimError, VenvError
from pyshim.base.record import Record

# what a venv holds at its top level: the stdlib's folders on POSIX and Windows, pyshim's and
# the stdlib's ignore files, and what pip puts there for data files (share/, etc/, man/)
VENV_ENTRIES = frozenset({"bin", "Scripts", "include", "Include", "lib", "Lib", "lib64", "pyvenv.cfg",
                          ".gitignore", "CACHEDIR.TAG", "share", "etc", "man"})
LISTED_NAMES = 8  # how many names a message lists before "and N more"


class Existing(Record):
    """What is at a venv's path before the build."""

    kind: str  # "missing", "empty", "file", "venv" (pyvenv.cfg with a home key) or "other"
    strays: Sequence[str]  # top-level entries that are not a venv's own (all entries for "other")
    reason: str  # why it is not (only) a venv; "" when it is one and holds nothing else

    @property
    def replaceable(self) -> bool:
        """--clear may replace it without --force: nothing there, or a venv and nothing else."""
        return self.kind in ("missing", "empty") or (self.kind == "venv" and not self.strays)


def check_venv_path(path: str, prompt: Optional[str] = None) -> None:
    """Refuse, before anything is built, a path (or prompt) that PATH or a shell cannot carry."""
    if os.pathsep in path:  # the stdlib's ValueError, with its message first
        raise PathSeparatorError(f"Refusing to create a venv in {path} because it contains the PATH separator "
                                 f"{os.pathsep}; pick a path without {os.pathsep!r}")
    from pyshim.activation.safety import check_path_is_shell_safe, check_prompt_is_shell_safe

    check_path_is_shell_safe(path)
    check_prompt_is_shell_safe(prompt if prompt is not None else os.path.basename(path))
    if "\n" in path or "\r" in path:
        raise VenvError(f"cannot create a venv at {path!r}: the path contains a line break, "
                        "which PATH and shells cannot carry; pick another path")


class PathSeparatorError(VenvError, ValueError):
    """A venv path holding os.pathsep: the stdlib raises ValueError, so this is one too."""


def _has_home_key(config: str) -> bool:
    try:
        with open(config, encoding="utf-8", errors="replace") as handle:
            text = handle.read(64 * 1024)
    except OSError:
        return False
    return any(line.partition("=")[0].strip().lower() == "home" and line.partition("=")[1]
               for line in text.splitlines())


def inspect_path(path: str) -> Existing:
    """What is at `path`: see `Existing`. A folder is a venv when its pyvenv.cfg is a file with a
    `home` key; its strays are the entries beside the venv's own (VENV_ENTRIES)."""
    if not os.path.lexists(path):
        return Existing("missing", (), "")
    if not os.path.isdir(path):
        return Existing("file", (), "it is a file")
    entries = sorted(listdir(path))
    if not entries:
        return Existing("empty", (), "")
    config = os.path.join(path, "pyvenv.cfg")
    if not os.path.isfile(config):
        return Existing("other", entries, "it has no pyvenv.cfg")
    if not _has_home_key(config):
        return Existing("other", entries, "its pyvenv.cfg has no `home` key")
    strays = [name for name in entries if name not in VENV_ENTRIES]
    return Existing("venv", strays, "it also holds files that are not the venv's" if strays else "")


def name_list(names: Sequence[str]) -> str:
    shown = ", ".join(names[:LISTED_NAMES])
    return shown + (f" and {len(names) - LISTED_NAMES} more" if len(names) > LISTED_NAMES else "")


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


def listdir(path: str) -> Sequence[str]:
    try:
        return os.listdir(path)
    except OSError:
        return ()


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


def commit(staging: str, final: str, kind: str) -> str:
    """Rename the finished venv into place; returns where a replaced one waits ("" if none).
    Call it inside `deferred_interrupts()`: a Ctrl-C between the two renames would leave nothing
    at `final`."""
    if kind in ("missing", "empty"):
        try:
            os.replace(staging, final)  # rename(2) replaces an empty folder
        except OSError as error:
            if error.errno in (errno.EBUSY, errno.EXDEV):
                raise _mount_point(final) from None
            raise
        return ""
    trash = make_sibling_dir(final, "pyshim-old", 0o700)
    old = os.path.join(trash, "venv")
    try:
        os.replace(final, old)
    except OSError as error:
        os.rmdir(trash)
        if error.errno in (errno.EBUSY, errno.EXDEV):
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
        self.old: Optional[str] = None  # None until committed; then where the replaced venv waits ("" if none)

    def __enter__(self) -> "Staged":
        try:
            with deferred_interrupts():  # a Ctrl-C right after the mkdir would leave the folder
                try:
                    self.path = make_sibling_dir(self.final, "pyshim-tmp", 0o777)
                    _BUILDING[self.path] = self.final
                except OSError as error:
                    raise VenvError(f"cannot create a venv in {os.path.dirname(self.final)}: {error.strerror}; "
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
                    shutil_module().rmtree(os.path.dirname(self.old), ignore_errors=True)
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
            shutil_module().rmtree(self.path, ignore_errors=True)
        if old is None:
            return "nothing was made" if kind == "missing" else f"{final} was left as it was"
        shutil_module().rmtree(final, ignore_errors=True)
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


def _mount_point(final: str) -> VenvError:
    return VenvError(f"cannot build a venv at {final}: it is a mount point, and pyshim puts a venv in place by "
                     f"renaming it; {final} was left as it was; use a folder inside it, e.g. {os.path.join(final, 'venv')}")


def retarget(context: SimpleNamespace, old: str, new: str) -> None:
    """Point every path in `context` from the build folder to the final one."""
    for name, value in list(vars(context).items()):
        if isinstance(value, str) and (value == old or value.startswith(old + os.sep)):
            setattr(context, name, new + value[len(old):])
    context.pyshim_layout = context.pyshim_final_layout


def as_venv_error(error: BaseException, final: str, outcome: str) -> BaseException:
    """The one-line error for a build that failed; `outcome` says truly what is at `final` now."""
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


class VenvOSError(VenvError, OSError):
    """A build the file system refused: one line for pyshim's CLI, still an OSError (with the
    original errno) for code written against the stdlib's venv, which lets OSError through."""

    def __init__(self, error: OSError, message: str) -> None:
        VenvError.__init__(self, message)
        self.errno, self.strerror, self.filename = error.errno, error.strerror, error.filename


def shutil_module():
    import shutil  # imported only when needed: it pulls in bz2 and lzma (2 ms at start-up)

    return shutil
