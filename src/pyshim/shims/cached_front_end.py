"""The front-end kept in the cache, for a root where no shims were written yet.

Part of the shims action. `pyshim version [--bare]` is asked by prompts and scripts, often
before any command that writes ROOT/shims has run (init, local, global, shell, venv, versions
write them; a query never does). So that such calls do not each pay for the Python CLI,
`pyshim version` leaves the front-end and its index, rendered as `rehash` renders them
(`rehash.write_front_end`, `rehash.write_index`), in CACHE/front-end, and the quick path
(`front_end.hand_over`) execs it while ROOT/shims has no front-end of its own. The front-end
checks its index at every call and runs the Python CLI when unsure, as in ROOT/shims; this
module rewrites the copy when it is stale (`rehash.stale_reason`) or was written by another
pyshim. It is a cache: deleting it costs one slow call, and a failure to write it only speed.
"""

from __future__ import annotations

import os
import sys

from pyshim.shims import front_end


def keep_current() -> None:
    """Write the cached front-end if ROOT/shims has none and the cached one is missing or stale."""
    shims_one, cached_one = front_end.front_end_files()
    if os.name != "posix" or os.path.lexists(shims_one):
        return
    from pyshim.base import paths
    from pyshim.base.errors import PyshimError
    from pyshim.shims import rehash

    folder = os.path.dirname(cached_one)
    if rehash.stale_reason(folder) is None and _written_by_this_pyshim(cached_one):
        return
    try:
        _write(folder, rehash, paths.source_dir())
    except (OSError, PyshimError):
        pass  # only speed is lost: the next `pyshim version` tries again


def _written_by_this_pyshim(cached_one: str) -> bool:
    header = front_end.read_header(cached_one)
    from pyshim.base import paths

    return (header is not None and front_end.recorded(header, "src") == paths.source_dir()
            and front_end.same_interpreter(front_end.recorded(header, "python"), sys.executable))


def _write(folder: str, rehash, source_dir: str) -> None:
    from pyshim.base.fsutil import file_lock
    from pyshim.interpreters.discovery import find_interpreters

    started_ns = rehash.index_time()  # before discovery: a change during it makes the index stale
    os.makedirs(folder, mode=0o700, exist_ok=True)
    with file_lock(os.path.join(folder, rehash.LOCK_NAME)):
        interpreters = find_interpreters().interpreters
        rehash.write_front_end(folder, sys.executable, source_dir)
        rehash.write_index(folder, interpreters, started_ns)
