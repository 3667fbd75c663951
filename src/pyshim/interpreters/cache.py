"""The on-disk cache of probe results, so a warm `pyshim versions` starts no interpreter.

One JSON file (`CACHE/interpreters.json`). An entry is keyed by the candidate's absolute path
(not its real path: a venv's `python` is a symlink to the base interpreter, and the two answer
differently) and is valid only while its fingerprint matches: the real path, its size and
mtime, the mtime of a `pyvenv.cfg` beside it, and the hash of the probe script. A changed
interpreter is re-probed; an entry whose file vanished is dropped at the next write.

Reads never lock; writes merge under a file lock and replace the file atomically, so two pyshim
processes never corrupt it. The file is untrusted input like any other: it is opened without
blocking (a FIFO in its place cannot hang a command or a shim's slow path), read only when it
is a regular file under `MAX_CACHE_BYTES` (a link to /dev/zero is not), parsed with deep
nesting caught, and each entry carries a checksum of its fingerprint and data, so a flipped
byte (a version 3.12.1 read back as 3.99.0) makes that entry a miss. A file or an entry that
fails any of this reads as absent and is rebuilt; the probe data itself is checked by
`pyinfo.probe_data_problem` before it is used.
"""

from __future__ import annotations

import os
import stat

from pyshim.base import json_text, paths
from pyshim.base.errors import PyshimError
from pyshim.interpreters.pyinfo import PROBE_HASH, change_detector, venv_config_beside

CACHE_FORMAT = 3  # 3: entry checks by pyinfo.change_detector (2: zlib's crc32)
MAX_CACHE_BYTES = 16 * 1024 * 1024  # ~3 KiB an interpreter: thousands of them
Fingerprint = "Tuple[str, int, int, int]"


def cache_file() -> str:
    return os.path.join(paths.cache_dir(), "interpreters.json")


def fingerprint(executable: str, real: "str | None" = None) -> Optional[Fingerprint]:
    """What must stay the same for a cached answer to hold; None if the file is gone. `real` is
    the executable's real path when the caller has just taken it."""
    try:
        real = os.path.realpath(executable) if real is None else real
        stat = os.stat(real)
    except OSError:
        return None
    try:
        cfg_mtime = os.stat(venv_config_beside(executable)).st_mtime_ns
    except OSError:
        cfg_mtime = 0
    return (real, stat.st_size, stat.st_mtime_ns, cfg_mtime)


def _read_bounded(path: str) -> Optional[bytes]:
    """The file's bytes if it is a regular file under the size bound; None for anything else."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CACHE_BYTES:
            return None
        chunks = []
        remaining = MAX_CACHE_BYTES + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        return data if len(data) <= MAX_CACHE_BYTES else None
    except OSError:
        return None
    finally:
        os.close(fd)


def entry_checksum(print_: List[Any], data: Dict[str, Any]) -> str:
    """A change detector over one entry (not a security check: whoever can write the file can
    write any interpreter's answer, as they can replace the interpreter itself)."""
    text = json_text.dumps_canonical([print_, data])
    return change_detector(text.encode("utf-8", "surrogatepass"))


def _valid_fingerprint(value: Any) -> bool:
    return (isinstance(value, list) and len(value) == 4 and type(value[0]) is str
            and all(type(number) is int and number >= 0 for number in value[1:]))


def _valid_entry(entry: Any) -> bool:
    if not isinstance(entry, dict) or not _valid_fingerprint(entry.get("fingerprint")):
        return False
    if not isinstance(entry.get("data"), dict) or type(entry.get("check")) is not str:
        return False
    try:
        return entry["check"] == entry_checksum(entry["fingerprint"], entry["data"])
    except (TypeError, ValueError, RecursionError):
        return False


def load() -> Dict[str, Dict[str, Any]]:
    """All intact entries written by this probe version; anything odd counts as absent."""
    raw = _read_bounded(cache_file())
    if raw is None:
        return {}
    try:
        document = json_text.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError, MemoryError):
        return {}
    if not isinstance(document, dict) or document.get("format") != CACHE_FORMAT:
        return {}
    if document.get("probe") != PROBE_HASH or not isinstance(document.get("entries"), dict):
        return {}
    return {exe: entry for exe, entry in document["entries"].items() if _valid_entry(entry)}


def lookup(entries: Dict[str, Dict[str, Any]], executable: str, print_: Optional[Fingerprint]) -> Optional[Dict[str, Any]]:
    """The stored data for `executable` if its fingerprint still holds (entries come from `load`)."""
    entry = entries.get(executable)
    if entry is None or print_ is None or entry["fingerprint"] != list(print_):
        return None
    return entry["data"]


def store(new_entries: Iterable[Tuple[str, Fingerprint, Dict[str, Any]]]) -> None:
    """Merge fresh probe results into the cache; an unwritable cache folder only costs speed."""
    try:
        _merge_and_write(list(new_entries))
    except (OSError, PyshimError):
        pass  # the answers are still used for this run; the next run probes again


def _merge_and_write(new_entries: List[Tuple[str, Fingerprint, Dict[str, Any]]]) -> None:
    import json

    from pyshim.base.fsutil import atomic_write_text, file_lock  # (a warm run of a query writes nothing)

    with file_lock(cache_file() + ".lock"):
        entries = load()
        for executable, print_, data in new_entries:
            entries[executable] = {"fingerprint": list(print_), "data": data,
                                   "check": entry_checksum(list(print_), data)}
        entries = {exe: entry for exe, entry in entries.items() if os.path.lexists(exe)}
        document = {"format": CACHE_FORMAT, "probe": PROBE_HASH, "entries": entries}
        atomic_write_text(cache_file(), json.dumps(document, indent=0, sort_keys=True))
