"""The on-disk cache of probe results, so a warm `pyshim versions` starts no interpreter.

One JSON file (`CACHE/interpreters.json`). An entry is keyed by the candidate's absolute path
(not its real path: a venv's `python` is a symlink to the base interpreter, and the two answer
differently) and is valid only while its fingerprint matches: the real path, its size and
mtime, the mtime of a `pyvenv.cfg` beside it, and the hash of the probe script. A changed
interpreter is re-probed; an entry whose file vanished is dropped at the next write.

Reads never lock; writes merge under a file lock and replace the file atomically, so two pyshim
processes never corrupt it. A corrupt or foreign file reads as empty and is rebuilt.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

from pyshim import paths
from pyshim.errors import PyshimError
from pyshim.fsutil import atomic_write_text, file_lock
from pyshim.pyinfo import PROBE_HASH, venv_config_beside

CACHE_FORMAT = 1
Fingerprint = Tuple[str, int, int, int]


def cache_file() -> Path:
    return paths.cache_dir() / "interpreters.json"


def fingerprint(executable: str) -> Optional[Fingerprint]:
    """What must stay the same for a cached answer to hold; None if the file is gone."""
    try:
        real = os.path.realpath(executable)
        stat = os.stat(real)
    except OSError:
        return None
    try:
        cfg_mtime = os.stat(venv_config_beside(executable)).st_mtime_ns
    except OSError:
        cfg_mtime = 0
    return (real, stat.st_size, stat.st_mtime_ns, cfg_mtime)


def load() -> Dict[str, Dict[str, Any]]:
    """All entries written by this probe version; anything unreadable counts as empty."""
    try:
        with open(cache_file(), "r", encoding="utf-8") as handle:
            document = json.load(handle)
    except (OSError, ValueError):
        return {}
    if not isinstance(document, dict) or document.get("format") != CACHE_FORMAT:
        return {}
    if document.get("probe") != PROBE_HASH or not isinstance(document.get("entries"), dict):
        return {}
    return document["entries"]


def lookup(entries: Dict[str, Dict[str, Any]], executable: str, print_: Optional[Fingerprint]) -> Optional[Dict[str, Any]]:
    entry = entries.get(executable)
    if not isinstance(entry, dict) or print_ is None:
        return None
    if entry.get("fingerprint") != list(print_) or not isinstance(entry.get("data"), dict):
        return None
    return entry["data"]


def store(new_entries: Iterable[Tuple[str, Fingerprint, Dict[str, Any]]]) -> None:
    """Merge fresh probe results into the cache; an unwritable cache folder only costs speed."""
    try:
        _merge_and_write(list(new_entries))
    except (OSError, PyshimError):
        pass  # the answers are still used for this run; the next run probes again


def _merge_and_write(new_entries: List[Tuple[str, Fingerprint, Dict[str, Any]]]) -> None:
    with file_lock(str(cache_file()) + ".lock"):
        entries = load()
        for executable, print_, data in new_entries:
            entries[executable] = {"fingerprint": list(print_), "data": data}
        entries = {exe: entry for exe, entry in entries.items() if os.path.lexists(exe)}
        document = {"format": CACHE_FORMAT, "probe": PROBE_HASH, "entries": entries}
        atomic_write_text(cache_file(), json.dumps(document, indent=0, sort_keys=True))
