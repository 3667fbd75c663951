"""The front-end kept in the cache, for a root where no shims were written yet.

Part of the shims action. `pyshim version [--bare]` is asked by prompts and scripts, often
before any command that writes ROOT/shims has run (init, local, global, shell, venv, versions
write them; a query never does). So that such calls do not each pay for the Python CLI,
`pyshim version`, `prefix` and `local` (showing the file) leave the front-end and its index,
rendered as `rehash` renders them (`rehash.write_front_end`, `rehash.write_index`), in
CACHE/front-end, and the quick path (`front_end.hand_over`) execs it while ROOT/shims has no
front-end of its own. The front-end checks its index at every call and runs the Python CLI
when unsure, as in ROOT/shims; this module rewrites the copy when it is stale
(`rehash.stale_reason`) or was written by another pyshim. It is a cache: deleting it costs one
slow call, and a failure to write it only speed.
"""

from __future__ import annotations

import os
import sys

from pyshim.shims import front_end


def keep_current() -> None:
    """After a query's answer: write the cached front-end if it stands in for ROOT/shims' (no
    shims yet) and is missing, stale or not this pyshim's. Returns at once otherwise."""
    if os.name != "posix" or not front_end.cached_one_in_use():
        return
    from pyshim.base.errors import PyshimError

    cached_one = front_end.front_end_files()[1]
    if _current(cached_one):
        return
    try:
        _write(cached_one)
    except (OSError, PyshimError):
        pass  # only speed is lost: the next query tries again


def _current(cached_one: str) -> bool:
    """Up to date, written by this pyshim, and a file the quick path will run (`read_header`)."""
    from pyshim.shims.rehash import stale_reason

    header = front_end.read_header(cached_one)
    return (header is not None and front_end.written_by_this_pyshim(header)
            and stale_reason(os.path.dirname(cached_one)) is None)


def _write(cached_one: str) -> None:
    from pyshim.base import paths
    from pyshim.base.fsutil import file_lock
    from pyshim.interpreters.discovery import find_interpreters
    from pyshim.shims import rehash

    folder = os.path.dirname(cached_one)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    with file_lock(os.path.join(folder, rehash.LOCK_NAME)):
        if _current(cached_one):
            return  # another query wrote it while this one waited for the lock
        started_ns = rehash.index_time()  # before discovery: a change during it makes the index stale
        interpreters = find_interpreters().interpreters
        rehash.write_front_end(folder, sys.executable, paths.source_dir())
        rehash.write_index(folder, interpreters, started_ns)
