"""Small file-system helpers shared by every module that writes: atomic writes, locks, and
deleting a tree."""

import errno  # (built into the interpreter: no file to load)
import os

TYPE_CHECKING = False  # typing stays unimported at run time (see pyshim.base.record)
if TYPE_CHECKING:
    from typing import Callable, Tuple

    from pyshim.base.errors import PyshimError

LOCK_TIMEOUT_SECONDS = 30.0


def _create_beside(path: "str | os.PathLike[str]") -> "Tuple[int, str]":
    """A new, exclusive file next to `path` (what tempfile.mkstemp does, without its 4 ms import)."""
    os.makedirs(os.path.dirname(os.fspath(path)) or ".", exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    attempt = -1
    while True:
        attempt += 1
        tmp_name = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.{os.getpid()}.{attempt}.tmp")
        try:
            return os.open(tmp_name, flags, 0o600), tmp_name
        except FileExistsError:  # left by a killed process with our pid, or another thread
            if attempt > 1000:
                raise


def atomic_write_bytes(path: "str | os.PathLike[str]", data: bytes, mode: int = 0o644) -> None:
    """Write `data` beside `path`, then rename it into place, so readers see old or new only."""
    fd, tmp_name = _create_beside(path)
    try:
        try:
            written = 0
            while written < len(data):
                written += os.write(fd, data[written:] if written else data)
        finally:
            os.close(fd)
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise


def atomic_write_text(path: "str | os.PathLike[str]", text: str, mode: int = 0o644) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), mode)


def remove_tree(path: "str | os.PathLike[str]") -> None:
    """Delete `path` and all below it, as far as it can, never through a link: a link is
    removed, not followed, also when a folder is swapped for one meanwhile (each folder is
    opened with O_NOFOLLOW and emptied through its descriptor). `shutil.rmtree(path,
    ignore_errors=True)` without shutil's import (re, fnmatch, bz2, lzma: 3 ms, more than a venv
    without pip takes to build)."""
    if os.name != "posix":
        import shutil

        shutil.rmtree(path, ignore_errors=True)
        return
    parent, name = os.path.split(os.path.abspath(os.fspath(path)))
    try:
        parent_fd = os.open(parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        _remove_entry(parent_fd, name, is_folder=True)
    finally:
        os.close(parent_fd)


def _remove_entry(folder_fd: int, name: str, is_folder: bool) -> None:
    """`name` in the folder open as `folder_fd`; `is_folder` is a hint (a folder that turns
    out to be a link, or the other way round, is still removed right)."""
    if not is_folder:
        try:
            os.unlink(name, dir_fd=folder_fd)
            return
        except FileNotFoundError:
            return
        except OSError:
            pass  # (a folder after all: EISDIR, EPERM)
    try:
        fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=folder_fd)
    except FileNotFoundError:
        return
    except OSError:  # a link or a file in its place (ELOOP, ENOTDIR), or no access
        if is_folder:
            _remove_entry(folder_fd, name, is_folder=False)
        return
    try:
        with os.scandir(fd) as entries:
            children = [(entry.name, entry.is_dir(follow_symlinks=False)) for entry in entries]
        for child, child_is_folder in children:
            _remove_entry(fd, child, child_is_folder)
    except OSError:
        pass
    finally:
        os.close(fd)
    try:
        os.rmdir(name, dir_fd=folder_fd)
    except OSError:
        pass


# what flock(2) fails with on a file system that has no such lock (some network file systems)
_NO_FLOCK = frozenset((errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS))


class file_lock:
    """`with file_lock(path):` holds an inter-process lock; a lock left by a killed process is
    released by the kernel. On POSIX, flock(2) on the file, polled until `timeout`: the lock
    filelock takes there too, so both exclude each other, without filelock's import (4.x loads
    typing, logging, threading, dataclasses, inspect and decimal: 40 ms, twice what the first
    `pyshim version` takes otherwise). filelock's lock where there is no flock (Windows, or a
    file system that refuses it: filelock then falls back to its soft lock). A class, not a
    `contextlib` generator: contextlib costs the start-up of commands that never lock."""

    def __init__(self, lock_path: "str | os.PathLike[str]", timeout: float = LOCK_TIMEOUT_SECONDS) -> None:
        self.lock_path = os.fspath(lock_path)
        self.timeout = timeout
        self._filelock = None
        self._fd = -1

    def __enter__(self) -> None:
        os.makedirs(os.path.dirname(self.lock_path) or ".", exist_ok=True)
        if os.name == "posix":
            try:
                self._flock()
                return
            except OSError as error:
                if error.errno not in _NO_FLOCK:
                    raise
        try:
            import filelock
        except (ImportError, SyntaxError, TypeError):  # an install whose filelock is too new for this Python
            self._flock()
            return
        lock = filelock.FileLock(self.lock_path, timeout=self.timeout)
        try:
            lock.acquire()
        except filelock.Timeout:
            raise _held_too_long(self.lock_path, self.timeout) from None
        self._filelock = lock

    def _flock(self) -> None:
        import time

        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        try:
            _wait_for_flock(fd, time.monotonic() + self.timeout, lambda: _held_too_long(self.lock_path, self.timeout))
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def __exit__(self, *exc_info: object) -> None:
        if self._filelock is not None:
            self._filelock.release()
            self._filelock = None
        elif self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def _wait_for_flock(fd: int, deadline: float, timed_out: "Callable[[], Exception]", poll: float = 0.02) -> None:
    """flock(2) `fd` exclusively, polling until the monotonic `deadline`; then raise `timed_out()`.
    Polled rather than blocking, so a Ctrl-C while waiting is seen at once."""
    import fcntl
    import time

    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise timed_out() from None
            time.sleep(poll)


def _held_too_long(lock_path: str, timeout: float) -> "PyshimError":
    from pyshim.base.errors import PyshimError

    return PyshimError(f"another pyshim process has held {lock_path} for {timeout:.0f}s; "
                       "wait for it to finish, or delete the file if no pyshim is running")
