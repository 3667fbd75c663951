"""The first quick path of every command: hand the read-only queries to the sh front-end.

Data flow: argv -> pyshim.__main__ -> **front_end.hand_over** -> exec the front-end (sh) | return,
and `pyshim.cli.main()` runs in this process.

Python's start-up (~10 ms) is the floor of every call, and the CLI's imports and discovery
double it. `pyshim version [--bare]`, `versions`, `prefix` and `local` are asked often (prompts,
scripts), and the front-end (`shims/pyshim.sh`, written with its index by `rehash.write_index`)
answers exactly these with shell built-ins, byte for byte as `cli.main()` would
(tests/test_front_end.py), and runs the Python CLI itself whenever it is unsure. So both entry
points exec it for those five argument lists, and only when the front-end was written for this
interpreter and this pyshim source folder (its slow path then runs this same code, never an
older install) and is a file no one else may change or swap (`read_header`). Anything else, or
any doubt, goes to `cli.main()` in this process.

Which front-end: ROOT/shims/pyshim, written with the shims; while there is none (no command that
writes shims has run yet), the copy the queries keep in the cache (`cached_front_end`), for all
but `versions`, which is one of the commands that write the shims.
Imports: os and sys only (and `pyshim.base.paths`, which keeps to those); no `__future__`
(~0.2 ms): the annotations are strings.
"""

import os
import stat  # (os has imported it: free)
import sys

QUERIES = (("version",), ("version", "--bare"), ("versions",), ("prefix",), ("local",))
HEADER_BYTES = 2048  # the front-end names its Python and source folder in its first lines
FRONT_END_NAME = "pyshim"
CACHED_FOLDER = "front-end"  # CACHE/front-end: the cached front-end and its index


def hand_over(argv: "list[str]") -> None:
    """Exec the front-end for `argv` when it may answer; return (to run the Python CLI) otherwise."""
    if tuple(argv) not in QUERIES or os.name != "posix":
        return
    if tuple(argv) == ("version",) and os.environ.get("VIRTUAL_ENV"):
        return  # the front-end would hand it back: Python names the active venv first
    shims_one, cached_one = front_end_files()
    front_end = cached_one if cached_one_in_use() else shims_one
    if front_end == cached_one and argv == ["versions"]:
        return  # with no shims yet `pyshim versions` writes them (a first command: the README's)
    header = read_header(front_end)
    if header is None or not written_by_this_pyshim(header):
        return
    sys.stdout.flush()
    try:
        os.execv(front_end, [front_end, *argv])
    except OSError:
        return  # not executable, or no /bin/sh: the Python CLI answers


def front_end_files() -> "tuple[str, str]":
    """ROOT/shims/pyshim, and the cache's copy used while that one is missing (`cached_front_end`)."""
    from pyshim.base import paths

    return (os.path.join(paths.shims_dir(), FRONT_END_NAME),
            os.path.join(paths.cache_dir(), CACHED_FOLDER, FRONT_END_NAME))


def cached_one_in_use() -> bool:
    """ROOT/shims has no front-end (no shims were written yet): the cache's copy stands in."""
    return not os.path.lexists(front_end_files()[0])


def read_header(front_end: str) -> "bytes | None":
    """The front-end's first bytes; None unless it is a regular file (not a link) of this user's
    that only this user may write, in a folder of this user's (or root's) that not everyone may
    write: it is about to be run, and a file someone else could change or swap is not."""
    try:
        fd = os.open(front_end, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        info, folder = os.fstat(fd), os.stat(os.path.dirname(front_end))
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return None
        if folder.st_uid not in (os.getuid(), 0) or folder.st_mode & stat.S_IWOTH:
            return None
        return os.read(fd, HEADER_BYTES)
    except OSError:
        return None
    finally:
        os.close(fd)


def written_by_this_pyshim(header: bytes) -> bool:
    """The front-end names this pyshim's source folder and this interpreter (its slow path then
    runs this same code, never an older install)."""
    from pyshim.base import paths

    return recorded(header, "src") == paths.source_dir() and same_interpreter(recorded(header, "python"), sys.executable)


def recorded(header: bytes, name: str) -> "str | None":
    """The value of the front-end's `_pyshim_NAME='...'` line; None if absent or quoted otherwise."""
    start = header.find(f"\n_pyshim_{name}='".encode())
    if start < 0:
        return None
    start += len(name) + 11
    end = header.find(b"'\n", start)
    value = header[start:end]
    if end < 0 or b"'" in value:
        return None  # a quote inside: sh_quote's escaping, not worth undoing here
    return os.fsdecode(value)


def same_interpreter(written_for: "str | None", running: str) -> bool:
    """The same venv and interpreter (`bin/python` and `bin/python3` are one), or the same path."""
    if written_for is None or not running:
        return False
    if written_for == running:
        return True
    return (os.path.dirname(written_for) == os.path.dirname(running)
            and os.path.realpath(written_for) == os.path.realpath(running))
