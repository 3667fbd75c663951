"""Small file-system helpers shared by every module that writes: atomic writes and locks."""

from __future__ import annotations

import itertools
import os
from contextlib import contextmanager
from pathlib import Path

from pyshim.errors import PyshimError

LOCK_TIMEOUT_SECONDS = 30.0


def _create_beside(path: Path) -> Tuple[int, str]:
    """A new, exclusive file next to `path` (what tempfile.mkstemp does, without its 4 ms import)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for attempt in itertools.count():
        tmp_name = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.{os.getpid()}.{attempt}.tmp")
        try:
            return os.open(tmp_name, flags, 0o600), tmp_name
        except FileExistsError:  # left by a killed process with our pid, or another thread
            if attempt > 1000:
                raise
    raise AssertionError("not reached")


def atomic_write_bytes(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write `data` beside `path`, then rename it into place, so readers see old or new only."""
    fd, tmp_name = _create_beside(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise


def atomic_write_text(path: Path, text: str, mode: int = 0o644) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), mode)


@contextmanager
def file_lock(lock_path: Union[str, Path], timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold an inter-process lock; a lock left by a killed process is released by the kernel."""
    Path(lock_path).parent.mkdir(parents=True, exist_ok=True)
    try:
        import filelock
    except (ImportError, SyntaxError, TypeError):  # an install whose filelock is too new for this Python
        with _flock(lock_path, timeout):
            yield
        return
    lock = filelock.FileLock(str(lock_path), timeout=timeout)
    try:
        with lock:
            yield
    except filelock.Timeout:
        raise _held_too_long(lock_path, timeout) from None


def wait_for_flock(fd: int, deadline: float, timed_out: Callable[[], Exception], poll: float = 0.02) -> None:
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


def _held_too_long(lock_path: Union[str, Path], timeout: float) -> PyshimError:
    return PyshimError(f"another pyshim process has held {lock_path} for {timeout:.0f}s; "
                       "wait for it to finish, or delete the file if no pyshim is running")


@contextmanager
def _flock(lock_path: Union[str, Path], timeout: float) -> Iterator[None]:
    """flock(2) on the file, polled until `timeout`: the lock filelock takes on POSIX, so both
    exclude each other."""
    import time

    fd = os.open(str(lock_path), os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        wait_for_flock(fd, time.monotonic() + timeout, lambda: _held_too_long(lock_path, timeout))
        yield
    finally:
        os.close(fd)