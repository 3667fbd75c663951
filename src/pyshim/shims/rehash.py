"""Writing the shims: `rehash()`, and `keep_current()` for the commands that leave them current.

Part of the shims action (see `pyshim.shims` for the folder's files and the rules that keep the
fast path exact): takes the discovered interpreters (`discovery`) and the resolver's answers,
decides which shims to write (`shim_commands`), writes them with the index (`index.py`) under
one lock, and tells whether they are out of date (`needs_rehash`).
"""

from __future__ import annotations

import os
import sys
import time

from pyshim.activation.quoting import sh_quote
from pyshim.base import paths
from pyshim.interpreters.discovery import sources
from pyshim.base.errors import PyshimError
from pyshim.base.fsutil import atomic_write_bytes, atomic_write_text, file_lock
from pyshim.base.package_data import read_text
from pyshim.interpreters.pyinfo import PythonInfo
from pyshim.base.record import Record
from pyshim.selection.request import is_plain_name
from pyshim.shims import index
from pyshim.shims.front_end import FRONT_END_NAME, HEADER_BYTES, recorded  # (the front-end: never a command shim)

TEMPLATE_DIR = "shim_templates"  # package data: the top-level `shims/` folder (base.package_data)
INDEX_NAME = ".pyshim-index"
LOCK_NAME = ".pyshim-rehash.lock"
VERSIONS_SUFFIX = "-versions"
FRONT_END_TEMPLATE = "pyshim.sh"
LIB_TEMPLATE = "lib.sh"
SHIM_MARK = "# pyshim-shim"
STALE_MARGIN_NS = 20_000_000  # file times come from a coarser clock than time.time_ns()
WINDOWS_SUFFIXES = (".exe", ".bat", ".cmd", ".com")


class RehashResult(Record):
    shims_dir: str
    commands: Tuple[str, ...]
    added: Tuple[str, ...]
    removed: Tuple[str, ...]
    index_names: Tuple[str, ...]


# ---------------------------------------------------------------------------- what to write


def shim_commands(interpreters: Iterable[PythonInfo], windows: bool = False) -> List[str]:
    """Every command in the bin folder of a non-system interpreter, sorted, names shims can carry."""
    found = set()
    for info in interpreters:
        if info.is_system:
            continue
        try:
            entries = list(os.scandir(info.bin_dir))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if not is_plain_name(name) or name.startswith(".") or name == FRONT_END_NAME:
                continue
            if windows:
                if name.lower().endswith(WINDOWS_SUFFIXES):
                    found.add(name)
                continue
            try:
                if entry.is_file() and os.access(entry.path, os.X_OK):
                    found.add(name)
            except OSError:
                continue
    return sorted(found)


# ---------------------------------------------------------------------------- rendering


def _without_comments(script: str) -> str:
    """The template minus comment-only and blank lines (less for sh to read on every call)."""
    lines = script.splitlines()
    kept = lines[:3] + [line for line in lines[3:] if line.strip() and (not line.lstrip().startswith("#") or "shellcheck" in line)]
    return "\n".join(kept) + "\n"


def _with_lib(template: str) -> str:
    """A template with its `@LIB@` line replaced by the shared selection code (`shims/lib.sh`).

    Pasted in rather than sourced at run time: one file less for every shim to open and parse.
    """
    lib = [line for line in _without_comments(read_text(TEMPLATE_DIR, LIB_TEMPLATE)).splitlines()
           if not line.startswith("#") or line.startswith("# shellcheck disable")]
    return _without_comments(read_text(TEMPLATE_DIR, template)).replace("@LIB@\n", "\n".join(lib) + "\n")


def render_shim(command: str, index_path: str, python: str, source_dir: str) -> str:
    return (
        _with_lib("shim.sh")
        .replace("@COMMAND_TEXT@", command)
        .replace("@COMMAND@", sh_quote(command))
        .replace("@INDEX@", sh_quote(str(index_path)))
        .replace("@PYTHON@", sh_quote(python))
        .replace("@SRC@", sh_quote(source_dir))
    )


def render_front_end(index_path: str, python: str, source_dir: str) -> str:
    """`ROOT/shims/pyshim`: answers `version [--bare]` and `versions` from the index, else runs the CLI."""
    return (
        _with_lib(FRONT_END_TEMPLATE)
        .replace("@INDEX@", sh_quote(str(index_path)))
        .replace("@PYTHON@", sh_quote(python))
        .replace("@SRC@", sh_quote(source_dir))
    )


def render_cmd_shim(command: str, python: str, source_dir: str) -> str:
    """The Windows shim: always the slow path (`pyshim exec`), CRLF line ends."""
    text = (
        read_text(TEMPLATE_DIR, "shim.cmd")
        .replace("@COMMAND@", command)
        .replace("@PYTHON@", python)
        .replace("@SRC@", source_dir)
    )
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def windows_shim_name(command: str) -> str:
    stem, suffix = os.path.splitext(command)
    return (stem if suffix.lower() in WINDOWS_SUFFIXES else command) + ".cmd"


# ---------------------------------------------------------------------------- rehash


def rehash(interpreters: Optional[Sequence[PythonInfo]] = None, windows: Optional[bool] = None) -> RehashResult:
    """Write ROOT/shims: shims for every command, the index, the marker; remove stale shims."""
    windows = os.name == "nt" if windows is None else windows
    started_ns = index_time()
    shims_dir = paths.shims_dir()
    os.makedirs(shims_dir, exist_ok=True)
    with file_lock(os.path.join(shims_dir, LOCK_NAME)):
        if interpreters is None:
            from pyshim.interpreters.discovery import find_interpreters

            interpreters = find_interpreters().interpreters
        marker = os.path.join(shims_dir, sources.SHIM_MARKER)
        if not os.path.isfile(marker):
            atomic_write_text(marker, "This folder holds pyshim's shims; `pyshim rehash` rewrites it.\n")
        commands = shim_commands(interpreters, windows)
        index_path = os.path.join(shims_dir, INDEX_NAME)
        python, source_dir = sys.executable, paths.source_dir()
        wanted: Dict[str, str] = {}
        for command in commands:
            if windows:
                wanted[windows_shim_name(command)] = render_cmd_shim(command, python, source_dir)
            else:
                wanted[command] = render_shim(command, index_path, python, source_dir)
        existing = existing_shims(shims_dir)
        for name, text in wanted.items():
            _write_if_changed(os.path.join(shims_dir, name), text)
        if not windows:
            write_front_end(shims_dir, python, source_dir)
        entries = write_index(shims_dir, interpreters, started_ns)
        removed = sorted(set(existing) - set(wanted) - {FRONT_END_NAME})
        for name in removed:
            try:
                os.unlink(os.path.join(shims_dir, name))
            except FileNotFoundError:
                pass
    return RehashResult(
        shims_dir=shims_dir,
        commands=tuple(sorted(wanted)),
        added=tuple(sorted(set(wanted) - set(existing))),
        removed=tuple(removed),
        index_names=tuple(entry.name for entry in entries),
    )


def write_front_end(folder: str, python: str, source_dir: str) -> None:
    """The front-end (`shims/pyshim.sh`) in `folder`, reading the index beside it."""
    _write_if_changed(os.path.join(folder, FRONT_END_NAME),
                      render_front_end(os.path.join(folder, INDEX_NAME), python, source_dir))


def write_index(folder: str, interpreters: Sequence[PythonInfo], started_ns: int) -> "List[index.IndexEntry]":
    """The three index files in `folder` (ROOT/shims, or the cached front-end's: `cached_front_end`),
    dated `started_ns` (`index_time()` before discovery) so that a change since makes them stale."""
    index_path = os.path.join(folder, INDEX_NAME)
    entries = index.index_entries(interpreters)
    generation = str(time.time_ns())
    atomic_write_text(index_path + index.ALIASES_SUFFIX, index.render_aliases(entries, interpreters, generation))
    atomic_write_text(index_path + VERSIONS_SUFFIX, index.render_versions(interpreters, entries, generation))
    atomic_write_text(index_path, index.render_index(entries, generation))
    os.utime(index_path, ns=(started_ns, started_ns))
    return entries


def needs_rehash() -> Optional[str]:
    """Why ROOT/shims is not up to date (see `stale_reason`), or None. A handful of stats and one
    small read: `pyshim init` asks this at every shell start."""
    return stale_reason(paths.shims_dir())


def stale_reason(folder: str) -> Optional[str]:
    """Why the front-end and index in `folder` are not up to date (no index yet, a version or venv
    folder changed since, the Python or source folder it runs is gone, other folders or variables
    in force), or None."""
    index_path = os.path.join(folder, INDEX_NAME)
    try:
        index_mtime = os.stat(index_path).st_mtime_ns
        with open(os.path.join(folder, FRONT_END_NAME), "rb") as handle:
            header = handle.read(HEADER_BYTES)
        with open(index_path, encoding="utf-8") as handle:
            index_text = handle.read()
    except (OSError, UnicodeDecodeError):
        return "there are no shims yet"
    for changed in index.named_folders():
        try:
            if os.stat(changed).st_mtime_ns > index_mtime:
                return f"{changed} changed"
        except OSError:
            continue
    python, source = recorded(header, "python"), recorded(header, "src")
    if not python or not os.access(python, os.X_OK) or not source or not os.path.isdir(source):
        return "the Python or the pyshim that wrote them is gone"
    if not all(line in index_text for line in index.context_checks()):
        return "they were written for other folders (PYSHIM_ROOT, PYENV_ROOT, HOME ...)"
    return None


def ensure_current(interpreters: Optional[Sequence[PythonInfo]] = None) -> Optional[str]:
    """Rehash when `needs_rehash()` says so, as `pyenv init -` does: the commands a new user types
    first (init, local, global, shell, venv, versions) leave working shims behind. Returns a
    warning line when the shims could not be written (the command itself still succeeds)."""
    if needs_rehash() is None:
        return None
    try:
        rehash(interpreters)
    except (PyshimError, OSError) as error:
        return f"the shims in {paths.shims_dir()} were not updated ({error}); run `pyshim rehash`"
    return None


def keep_current(found: "Sequence[PythonInfo] | None" = None) -> None:
    """Rehash if the shims are missing or out of date (`shims.ensure_current`); a failure is a
    warning line, never the command's failure."""
    warning = ensure_current(found)
    if warning:
        print(f"pyshim: warning: {warning}", file=sys.stderr)

def index_time() -> int:
    """The mtime the index gets: a folder changed after it makes the index stale (`[ -nt ]`).

    Now minus a margin (file times come from a coarser clock), but not before the newest change
    already on disk, so a rehash right after a venv was created does not look stale at once.
    """
    now = time.time_ns()
    newest = 0
    for folder in index.named_folders() + index.path_folders():
        try:
            mtime = os.stat(folder).st_mtime_ns
        except OSError:
            continue
        if mtime <= now:
            newest = max(newest, mtime)
    return max(now - STALE_MARGIN_NS, newest)


def existing_shims(shims_dir: "str | os.PathLike[str]") -> List[str]:
    """Shims a rehash wrote before (files without pyshim's mark are not ours and stay)."""
    found = []
    for entry in os.scandir(shims_dir):
        if entry.name.startswith(".") or not entry.is_file(follow_symlinks=False):
            continue
        try:
            with open(entry.path, "rb") as handle:
                head = handle.read(512)
        except OSError:
            continue
        if SHIM_MARK.encode() in head or b"pyshim-shim" in head:
            found.append(entry.name)
    return found


def _write_if_changed(path: str, text: str) -> None:
    """`path` holds `text` with mode 0755 afterwards, as a file of its own (a link or a file others
    may write is replaced: the quick path does not exec such a front-end, `front_end.read_header`)."""
    data = text.encode("utf-8")
    try:
        with open(path, "rb", opener=lambda name, flags: os.open(name, flags | getattr(os, "O_NOFOLLOW", 0))) as handle:
            if handle.read() == data and os.fstat(handle.fileno()).st_mode & 0o777 == 0o755:
                return
    except OSError:
        pass
    atomic_write_bytes(path, data, mode=0o755)
