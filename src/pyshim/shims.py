"""Shims: `rehash` writes one small sh program per command, plus the index they read.

Last step of the data flow, prepared ahead of time: `rehash()` takes the discovered interpreters
(`discovery`) and the resolver's answers (`resolve.find_interpreter`) and writes them into
`ROOT/shims` so that a shim can pick the command for the current directory without starting
Python (the fast path, see `shims/shim.sh`). What the index cannot answer for certain, the shim
hands to `pyshim exec` (the slow path), which is always right.

Files in the shims folder:

* one shim per command found in the bin folder of any non-system interpreter or pyshim venv,
  rendered from the top-level `shims/shim.sh` template (`shims/shim.cmd` on Windows);
* `.pyshim-index`: sh code the shims source: a `case` table from every version name to a bin
  folder, the environment the table was computed for, and the folders whose change makes it
  stale; `.pyshim-index-aliases`, read only when a name is not in the first file: every alias
  the resolver maps to an interpreter (`3.12`, `python-3.12`, `cpython@3.12` ...) and `system`;
* `pyshim`: the front-end (`shims/pyshim.sh`), which answers `pyshim version [--bare]` and
  `pyshim versions` from the index with shell built-ins and runs the Python CLI for anything
  else; never counted as a command shim. `.pyshim-index-versions`, read only by it: the
  `pyshim versions` listing, both variants of every row (`commands.versions.listing_line`);
* `.pyshim-shims`: the marker that tells discovery and `system` lookups to skip this folder.

The selection code (which names are active, and what set them) is `shims/lib.sh`, pasted into
every shim and into the front-end, so both answer from the same code.

Rules that keep the fast path exact: an alias whose answer could change with PATH is used only
while PATH is the one rehash saw and no folder on it changed; any variable the resolver reads
(PYSHIM_ROOT, PYENV_ROOT, HOME, UV_PYTHON_INSTALL_DIR, XDG_DATA_HOME, CONDA_PREFIX, CONDA_EXE)
must hold the value it had at rehash time; otherwise the shim takes the slow path.
"""

from __future__ import annotations

import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from pyshim import paths
from pyshim.discovery import sources
from pyshim.fsutil import atomic_write_bytes, atomic_write_text, file_lock
from pyshim.pyinfo import PythonInfo

INDEX_NAME = ".pyshim-index"
ALIASES_SUFFIX = "-aliases"
LOCK_NAME = ".pyshim-rehash.lock"
VERSIONS_SUFFIX = "-versions"
FRONT_END_NAME = "pyshim"  # ROOT/shims/pyshim, the sh front-end; never a command shim
FRONT_END_TEMPLATE = "pyshim.sh"
LIB_TEMPLATE = "lib.sh"
SHIM_MARK = "# pyshim-shim"
SAFE_NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._+@-]*$")
# Characters a comment may hold on the fast path; anything else (a form feed, a byte that is not
# ASCII, a backslash) sends the shim to `pyshim exec`, because Python may split lines there.
COMMENT_CHARACTERS = "] \t!\"#$%&'()*+,./:;<=>?@[^_`{|}~ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-"
CONTEXT_VARIABLES = ("PYSHIM_ROOT", "PYENV_ROOT", "HOME", "UV_PYTHON_INSTALL_DIR", "XDG_DATA_HOME", "CONDA_PREFIX", "CONDA_EXE")
STALE_MARGIN_NS = 20_000_000  # file times come from a coarser clock than time.time_ns()
WINDOWS_SUFFIXES = (".exe", ".bat", ".cmd", ".com")


@dataclass(frozen=True)
class IndexEntry:
    """One version name the fast path may answer: its bin folder ('' for `system`), and the
    interpreter the resolver picks for it (its name as `pyshim version` prints it, its executable)."""

    name: str
    bin_dir: str
    path_dependent: bool
    resolved: str = ""
    executable: str = ""


@dataclass(frozen=True)
class RehashResult:
    shims_dir: Path
    commands: Tuple[str, ...]
    added: Tuple[str, ...]
    removed: Tuple[str, ...]
    index_names: Tuple[str, ...]


def template_dir() -> Path:
    """The shim templates: package data `shim_templates/` (a symlink to top-level `shims/` in the
    source tree, real files in a wheel), else the source tree's `shims/` itself."""
    packaged = Path(__file__).resolve().parent / "shim_templates"
    if (packaged / "shim.sh").is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "shims"


def read_template(name: str) -> str:
    return (template_dir() / name).read_text(encoding="utf-8")


def sh_quote(text: str) -> str:
    """`text` as one single-quoted sh word."""
    return "'" + text.replace("'", "'\"'\"'") + "'"


def pyshim_source_dir() -> str:
    """The folder that holds the `pyshim` package running now (put first on the slow path's sys.path)."""
    return str(Path(__file__).resolve().parent.parent)


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
            if not SAFE_NAME_RE.match(name) or name.startswith(".") or name == FRONT_END_NAME:
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


def alias_candidates(info: PythonInfo) -> List[str]:
    """Request texts that may name `info`: its name, version prefixes and their spelled-out forms."""
    tag = "t" if info.freethreaded else ""
    versions = [".".join(str(part) for part in info.release[:length]) for length in (1, 2, 3)]
    if info.prerelease:
        versions.append(info.version)
    bodies = [version + tag for version in versions]
    forms = list(bodies) + [f"python-{body}" for body in bodies[1:]]
    for body in bodies[1:]:
        forms.append(f"{info.implementation}{body}")
        forms.append(f"{info.implementation}@{body}")
    return [info.name] + forms  # rarer spellings ("python-cpython@3") are left to the slow path


def index_entries(interpreters: Sequence[PythonInfo]) -> List[IndexEntry]:
    """Every name the resolver answers with a non-system interpreter, plus `system`, as the index."""
    from pyshim.errors import PyshimError
    from pyshim.request import parse_request
    from pyshim.resolve import find_interpreter, system_interpreter

    entries: Dict[str, IndexEntry] = {}
    for info in interpreters:
        if info.is_system:
            continue
        for text in alias_candidates(info):
            if text in entries or not SAFE_NAME_RE.match(text) or text == "system":
                continue
            try:
                request = parse_request(text, "rehash", allow_path=False)
            except PyshimError:
                continue
            chosen = find_interpreter(request, interpreters)
            if chosen is not None and not chosen.is_system and _plain_path(chosen.bin_dir):
                entries[text] = IndexEntry(text, chosen.bin_dir, chosen.name != text, chosen.name, chosen.executable)
    system = system_interpreter(interpreters)
    if system is not None and system.is_system:
        entries["system"] = IndexEntry("system", "", True, "system", system.executable)
    return list(entries.values())


def _plain_path(path: str) -> bool:
    try:
        path.encode("utf-8")  # a name that is not valid UTF-8 (surrogate escapes) cannot be written to the index
    except UnicodeEncodeError:
        return False
    return os.path.isabs(path) and not any(ord(ch) < 32 for ch in path)


def _path_entries() -> List[str]:
    return [d for d in os.environ.get("PATH", "").split(os.pathsep) if d]


def path_is_absolute() -> bool:
    """PATH-dependent answers are only written when no PATH entry depends on the current directory."""
    return all(os.path.isabs(d) and _plain_path(d) for d in _path_entries())


def named_folders() -> List[str]:
    """Folders whose change means interpreters were added or removed (the index is then stale)."""
    folders = [paths.versions_dir(), paths.venvs_dir(), paths.pyenv_root() / "versions", sources.uv_install_dir(),
               Path.home() / ".conda" / "environments.txt"]
    conda_exe = os.environ.get("CONDA_EXE")
    if conda_exe:
        folders.append(Path(conda_exe).resolve().parent.parent / "envs")
    return [os.path.abspath(folder) for folder in folders]


def path_folders() -> List[str]:
    """Folders whose change may change what `system` or a version prefix means."""
    on_path = [os.path.abspath(d) for d in _path_entries() if not sources.is_shim_dir(d)]  # rehash changes those
    folders = on_path + list(sources.SYSTEM_DIRS)
    return list(dict.fromkeys(folders))


# ---------------------------------------------------------------------------- rendering


def _case_lines(groups: Dict[Tuple[str, str, bool], List[str]]) -> List[str]:
    lines = []
    for (bin_dir, resolved, path_dependent), names in groups.items():
        value = sh_quote(bin_dir)
        guard = "_pyshim_path_ok && " if path_dependent else ""
        real = resolved if SAFE_NAME_RE.match(resolved) else ""  # the front-end prints only plain names
        lines.append(f"    {' | '.join(names)}) {guard}_pyshim_bin={value} _pyshim_real={sh_quote(real)} ;;")
    return lines


def _grouped(entries: Sequence[IndexEntry], path_dependent: bool) -> Dict[Tuple[str, str, bool], List[str]]:
    groups: Dict[Tuple[str, str, bool], List[str]] = {}
    for entry in entries:
        if entry.path_dependent == path_dependent:
            groups.setdefault((entry.bin_dir, entry.resolved, entry.path_dependent), []).append(sh_quote(entry.name))
    return groups


def render_index(entries: Sequence[IndexEntry], generation: str) -> str:
    """The sh code every shim and the front-end source (`shims/lib.sh` calls what it defines).

    `_pyshim_lookup NAME` sets `_pyshim_bin` (the bin folder, '' for `system`) and `_pyshim_real`
    (the resolved name `pyshim version` prints, '' when the front-end must not print it).

    It holds exact version names only; the rest (aliases such as `3.12`, `system` and what they
    need) is in `render_aliases`' file, which the shim reads only when a name is not here: less
    for sh to parse on the common path. `generation` ties the two files together.
    """
    lines = [
        "# pyshim shim index: written by `pyshim rehash`; do not edit.",
        "# shellcheck shell=sh disable=SC1090,SC2034,SC2154,SC3013",
        f"_pyshim_bom={sh_quote(chr(0xFEFF))}",
        f"_pyshim_cr={sh_quote(chr(13))}",
        f"_pyshim_ok={sh_quote(COMMENT_CHARACTERS)}",
        f"_pyshim_global={sh_quote(str(paths.global_version_file()))}",
        f"_pyshim_pyenv_global={sh_quote(str(paths.pyenv_root() / 'version'))}",
        f"_pyshim_generation={generation}",
        "_pyshim_aliases=",
        "_pyshim_index_ok() {",
        "  " + " &&\n    ".join(f'[ "${{{name}-}}" = {sh_quote(os.environ.get(name, ""))} ]' for name in CONTEXT_VARIABLES)
        + " || return 1",
    ]
    if not os.path.isabs(os.path.expanduser(os.environ.get("PYENV_ROOT") or "~")):
        lines.append("  return 1")
    lines += _stale_loop(named_folders()) + [
        "}",
        "_pyshim_load_aliases() {",
        '  if [ -z "$_pyshim_aliases" ]; then',
        "    _pyshim_aliases=0",
        f'    if [ -f "$_pyshim_index{ALIASES_SUFFIX}" ]; then',
        f'      . "$_pyshim_index{ALIASES_SUFFIX}"',
        "    fi",
        "  fi",
        '  [ "$_pyshim_aliases" = "$_pyshim_generation" ]',
        "}",
        "_pyshim_lookup() {",
        "  case $1 in",
    ]
    lines += _case_lines(_grouped(entries, path_dependent=False))
    lines += [
        '    *) _pyshim_load_aliases && _pyshim_lookup_alias "$1" ;;',
        "  esac",
        "}",
        "",
    ]
    return "\n".join(lines)


def render_aliases(entries: Sequence[IndexEntry], generation: str) -> str:
    """Names whose meaning depends on PATH (`3.12`, `system`), valid while PATH and its folders are unchanged."""
    absolute_path = path_is_absolute()
    lines = [
        "# pyshim shim index, PATH-dependent names: written by `pyshim rehash`; do not edit.",
        "# shellcheck shell=sh disable=SC1090,SC2034,SC2154,SC3013",
        f"_pyshim_aliases={generation}",
        "_pyshim_path_state=",
        "_pyshim_path_ok() {",
        "  case $_pyshim_path_state in 1) return 0 ;; 0) return 1 ;; esac",
        "  _pyshim_path_state=0",
        f'  [ "${{PATH-}}" = {sh_quote(os.environ.get("PATH", ""))} ] || return 1',
    ]
    if not absolute_path:
        lines.append("  return 1")
    lines += _stale_loop(path_folders()) + ["  _pyshim_path_state=1", "}", "_pyshim_lookup_alias() {", "  case $1 in"]
    if absolute_path:
        lines += _case_lines(_grouped(entries, path_dependent=True))
    system_dirs = [os.path.abspath(d) for d in sources.path_directories()] if absolute_path else []
    lines += [
        "    *) return 1 ;;",
        "  esac",
        "}",
        "_pyshim_system_find() {",
        "  for _pyshim_d in " + " ".join(sh_quote(d) for d in system_dirs) + "; do",
        '    if [ -f "$_pyshim_d/$1" ] && [ -x "$_pyshim_d/$1" ]; then',
        '      _pyshim_target=$_pyshim_d/$1',
        "      return 0",
        "    fi",
        "  done",
        "  return 1",
        "}",
        "",
    ]
    return "\n".join(lines)


def _stale_loop(folders: Sequence[str]) -> List[str]:
    return [
        "  for _pyshim_d in " + " ".join(sh_quote(folder) for folder in folders) + "; do",
        '    if [ "$_pyshim_d" -nt "$_pyshim_index" ]; then',
        "      _pyshim_stale=1",
        "      return 1",
        "    fi",
        "  done",
    ]


def _without_comments(script: str) -> str:
    """The template minus comment-only and blank lines (less for sh to read on every call)."""
    lines = script.splitlines()
    kept = lines[:3] + [line for line in lines[3:] if line.strip() and (not line.lstrip().startswith("#") or "shellcheck" in line)]
    return "\n".join(kept) + "\n"


def _with_lib(template: str) -> str:
    """A template with its `@LIB@` line replaced by the shared selection code (`shims/lib.sh`).

    Pasted in rather than sourced at run time: one file less for every shim to open and parse.
    """
    lib = [line for line in _without_comments(read_template(LIB_TEMPLATE)).splitlines() if not line.startswith("#")]
    return _without_comments(read_template(template)).replace("@LIB@\n", "\n".join(lib) + "\n")


def render_shim(command: str, index_path: Path, python: str, source_dir: str) -> str:
    return (
        _with_lib("shim.sh")
        .replace("@COMMAND_TEXT@", command)
        .replace("@COMMAND@", sh_quote(command))
        .replace("@INDEX@", sh_quote(str(index_path)))
        .replace("@PYTHON@", sh_quote(python))
        .replace("@SRC@", sh_quote(source_dir))
    )


def render_front_end(index_path: Path, python: str, source_dir: str) -> str:
    """`ROOT/shims/pyshim`: answers `version [--bare]` and `versions` from the index, else runs the CLI."""
    return (
        _with_lib(FRONT_END_TEMPLATE)
        .replace("@INDEX@", sh_quote(str(index_path)))
        .replace("@PYTHON@", sh_quote(python))
        .replace("@SRC@", sh_quote(source_dir))
    )


def render_versions(interpreters: Sequence[PythonInfo], entries: Sequence[IndexEntry], generation: str) -> str:
    """The `pyshim versions` listing for the front-end: both variants of every row, and which
    rows each resolved name marks active. Only read while PATH is the one rehash saw (the
    listing holds PATH interpreters). Rows Python might print differently (not plain ASCII) or
    names that stand for two interpreters leave the file without a generation: slow path."""
    from pyshim.commands.versions import listing_line, listing_row, name_width

    width = name_width(interpreters)
    executables: Dict[str, set] = {}
    for entry in entries:
        executables.setdefault(entry.resolved, set()).add(entry.executable)
    texts = [(listing_line(info, False, width, ""), listing_row(info, True, width)) for info in interpreters]
    plain = all(not (set(text) - set(COMMENT_CHARACTERS)) for pair in texts for text in pair)
    if not plain:
        texts, executables = [], {}
    lines = [
        "# pyshim shim index, the `pyshim versions` listing: written by `pyshim rehash`; do not edit.",
        "# shellcheck shell=sh disable=SC2034,SC2154",
        f"_pyshim_versions={generation if plain else 0}",
        "_pyshim_rows() {",
        "  case $1 in",
    ]
    for name, found in executables.items():
        if len(found) != 1 or not SAFE_NAME_RE.match(name):
            continue
        (executable,) = found
        rows = " ".join(str(number) for number, info in enumerate(interpreters) if info.executable == executable)
        if rows:
            lines.append(f"    {sh_quote(name)}) _pyshim_active=\"${{_pyshim_active}}{rows} \" ;;")
    lines += ["    *) return 1 ;;", "  esac", "}", "_pyshim_listing() {"]
    for number, (inactive, active) in enumerate(texts):
        lines.append(f"  case $_pyshim_active in *' {number} '*) printf '%s  (set by %s)\\n' {sh_quote(active)}"
                     f' "$_pyshim_origin" ;; *) printf \'%s\\n\' {sh_quote(inactive)} ;; esac')
    lines += ["  :", "}", ""]
    return "\n".join(lines)


def render_cmd_shim(command: str, python: str, source_dir: str) -> str:
    """The Windows shim: always the slow path (`pyshim exec`), CRLF line ends."""
    text = (
        read_template("shim.cmd")
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
    shims_dir.mkdir(parents=True, exist_ok=True)
    with file_lock(shims_dir / LOCK_NAME):
        if interpreters is None:
            from pyshim.discovery import find_interpreters

            interpreters = find_interpreters().interpreters
        marker = shims_dir / sources.SHIM_MARKER
        if not marker.is_file():
            atomic_write_text(marker, "This folder holds pyshim's shims; `pyshim rehash` rewrites it.\n")
        commands = shim_commands(interpreters, windows)
        index_path = shims_dir / INDEX_NAME
        python, source_dir = sys.executable, pyshim_source_dir()
        wanted: Dict[str, str] = {}
        for command in commands:
            if windows:
                wanted[windows_shim_name(command)] = render_cmd_shim(command, python, source_dir)
            else:
                wanted[command] = render_shim(command, index_path, python, source_dir)
        existing = existing_shims(shims_dir)
        for name, text in wanted.items():
            _write_if_changed(shims_dir / name, text)
        if not windows:
            _write_if_changed(shims_dir / FRONT_END_NAME, render_front_end(index_path, python, source_dir))
        entries = index_entries(interpreters)
        generation = str(time.time_ns())
        atomic_write_text(Path(f"{index_path}{ALIASES_SUFFIX}"), render_aliases(entries, generation))
        atomic_write_text(Path(f"{index_path}{VERSIONS_SUFFIX}"), render_versions(interpreters, entries, generation))
        atomic_write_text(index_path, render_index(entries, generation))
        os.utime(index_path, ns=(started_ns, started_ns))
        removed = sorted(set(existing) - set(wanted) - {FRONT_END_NAME})
        for name in removed:
            try:
                os.unlink(shims_dir / name)
            except FileNotFoundError:
                pass
    return RehashResult(
        shims_dir=shims_dir,
        commands=tuple(sorted(wanted)),
        added=tuple(sorted(set(wanted) - set(existing))),
        removed=tuple(removed),
        index_names=tuple(entry.name for entry in entries),
    )


def index_time() -> int:
    """The mtime the index gets: a folder changed after it makes the index stale (`[ -nt ]`).

    Now minus a margin (file times come from a coarser clock), but not before the newest change
    already on disk, so a rehash right after a venv was created does not look stale at once.
    """
    now = time.time_ns()
    newest = 0
    for folder in named_folders() + path_folders():
        try:
            mtime = os.stat(folder).st_mtime_ns
        except OSError:
            continue
        if mtime <= now:
            newest = max(newest, mtime)
    return max(now - STALE_MARGIN_NS, newest)


def existing_shims(shims_dir: Path) -> List[str]:
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


def _write_if_changed(path: Path, text: str) -> None:
    data = text.encode("utf-8")
    try:
        with open(path, "rb") as handle:
            if handle.read() == data and os.access(path, os.X_OK):
                return
    except OSError:
        pass
    atomic_write_bytes(path, data, mode=0o755)


_existing_shims = existing_shims  # the name doctor.py used first
