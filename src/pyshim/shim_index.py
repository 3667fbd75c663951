"""The shims' index: which version names the sh fast path may answer, and the sh that says so.

Part of `rehash` (see `shims.py`), split out so each file has one job: this module turns the
discovered interpreters and the resolver's answers into `IndexEntry`s (`index_entries`) and
renders the three index files the shims and the front-end source:

* `.pyshim-index` (`render_index`): exact version names -> bin folder and resolved name, the
  environment it was computed in, and the folders whose change makes it stale;
* `.pyshim-index-aliases` (`render_aliases`): aliases (`3.12`, `cpython@3.12` ...) and `system`,
  whose answers depend on PATH, guarded by a PATH check; read only when a name is not exact;
* `.pyshim-index-versions` (`render_versions`): the `pyshim versions` listing for the front-end.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Dict, List, NamedTuple, Sequence, Tuple

from pyshim import paths
from pyshim.discovery import sources
from pyshim.pyinfo import PythonInfo

ALIASES_SUFFIX = "-aliases"
SAFE_NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._+@-]*$")
# ASCII, a backslash) sends the shim to `pyshim exec`, because Python may split lines there.
# Characters a comment may hold on the fast path; anything else (a form feed, a byte that is not
COMMENT_CHARACTERS = "] \t!\"#$%&'()*+,./:;<=>?@[^_`{|}~ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-"
CONTEXT_VARIABLES = ("PYSHIM_ROOT", "PYENV_ROOT", "HOME", "UV_PYTHON_INSTALL_DIR", "XDG_DATA_HOME", "CONDA_PREFIX", "CONDA_EXE")


def sh_quote(text: str) -> str:
    """`text` as one single-quoted sh word."""
    return "'" + text.replace("'", "'\"'\"'") + "'"


class IndexEntry(NamedTuple):
    """One version name the fast path may answer: its bin folder ('' for `system`), and the
    interpreter the resolver picks for it (its name as `pyshim version` prints it, its executable)."""

    name: str
    bin_dir: str
    path_dependent: bool
    resolved: str = ""
    executable: str = ""


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
    ]
    # `case` rather than `[`: no builtin call per variable, measurably cheaper in dash.
    lines += [f"  case ${{{name}-}} in {sh_quote(os.environ.get(name, ''))}) ;; *) return 1 ;; esac"
              for name in CONTEXT_VARIABLES]
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
