"""The shims' index: which version names the sh fast path may answer, and the sh that says so.

Part of `rehash` (see `shims/rehash.py`), split out so each file has one job: this module turns the
discovered interpreters and the resolver's answers into `IndexEntry`s (`index_entries`) and
renders the three index files the shims and the front-end source:

* `.pyshim-index` (`render_index`): exact version names -> bin folder and resolved name; the
  folders and variables rehash used (its *defaults*: a shim run in a stripped environment, with
  only PATH or HOME, uses them); the folders whose change makes the index stale;
* `.pyshim-index-aliases` (`render_aliases`): the other names the resolver maps to a managed
  interpreter (`3.12`, `cpython@3.12` ...), read only when a name is not exact, and `system`,
  which the shim looks up on the current PATH itself with built-ins;
* `.pyshim-index-versions` (`render_versions`): the `pyshim versions` listing for the front-end.

No entry depends on PATH: the resolver ranks managed interpreters above PATH and system ones
(`resolve._rank`), so a name that matches a managed interpreter means the same for any PATH.
Only `system` depends on PATH, and the shim decides it on the PATH it runs with, answering only
when the first `python3` (else `python`) there is an interpreter rehash saw.
"""

from __future__ import annotations

import os

from pyshim.activation.quoting import sh_quote
from pyshim.base import paths
from pyshim.interpreters.discovery import sources
from pyshim.interpreters.pyinfo import PythonInfo
from pyshim.base.record import Record
from pyshim.selection.request import is_plain_name

ALIASES_SUFFIX = "-aliases"
# ASCII, a backslash) sends the shim to `pyshim exec`, because Python may split lines there.
# Characters a comment may hold on the fast path; anything else (a form feed, a byte that is not
COMMENT_CHARACTERS = "] \t!\"#$%&'()*+,./:;<=>?@[^_`{|}~ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-"
# Variables the resolver reads, by how a shim treats them when they differ from rehash's time:
# folders rehash baked in as defaults (unset: the default holds, and the slow path gets it
# exported), variables that only matter when set, and variables that must be exactly as they were.
DEFAULTED_VARIABLES = ("PYSHIM_ROOT", "PYENV_ROOT", "UV_PYTHON_INSTALL_DIR", "PYSHIM_CACHE_DIR")
IF_SET_VARIABLES = ("HOME", "XDG_DATA_HOME")
EXACT_VARIABLES = ("CONDA_PREFIX", "CONDA_EXE")
CONTEXT_VARIABLES = DEFAULTED_VARIABLES + IF_SET_VARIABLES + EXACT_VARIABLES


class IndexEntry(Record):
    """One version name the fast path may answer: its bin folder ('' for `system`), and the
    interpreter the resolver picks for it (its name as `pyshim version` prints it, its executable)."""

    name: str
    bin_dir: str
    resolved: str = ""
    executable: str = ""

    @property
    def exact(self) -> bool:
        """The interpreter's own name (the first index file), not an alias (the second)."""
        return self.name == self.resolved


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
    """Every name the resolver answers with a managed interpreter (`system` is the shim's to decide)."""
    from pyshim.base.errors import PyshimError
    from pyshim.selection.request import parse_request
    from pyshim.interpreters.resolve import find_interpreter

    entries: Dict[str, IndexEntry] = {}
    for info in interpreters:
        if info.is_system:
            continue
        for text in alias_candidates(info):
            if text in entries or not is_plain_name(text) or text == "system":
                continue
            try:
                request = parse_request(text, "rehash", allow_path=False)
            except PyshimError:
                continue
            chosen = find_interpreter(request, interpreters)
            if chosen is not None and not chosen.is_system and _plain_path(chosen.bin_dir):
                entries[text] = IndexEntry(text, chosen.bin_dir, chosen.name, chosen.executable)
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
    folders = [paths.versions_dir(), paths.venvs_dir(), os.path.join(paths.pyenv_root(), "versions"),
               sources.uv_install_dir(), sources.conda_environments_file()]
    conda_exe = os.environ.get("CONDA_EXE")
    if conda_exe:
        folders.append(os.path.join(sources.conda_root(conda_exe), "envs"))
    return [os.path.abspath(folder) for folder in folders]


def path_folders() -> List[str]:
    """Folders whose change may change what `system` or a version prefix means."""
    on_path = [os.path.abspath(d) for d in _path_entries() if not sources.is_shim_dir(d)]  # rehash changes those
    folders = on_path + list(sources.SYSTEM_DIRS)
    return list(dict.fromkeys(folders))


def _case_lines(entries: Sequence[IndexEntry]) -> List[str]:
    """`case` branches, one per interpreter: `'3.12' | '3.12.1') _pyshim_bin=... _pyshim_real=... ;;`."""
    groups: Dict[Tuple[str, str], List[str]] = {}
    for entry in entries:
        groups.setdefault((entry.bin_dir, entry.resolved), []).append(sh_quote(entry.name))
    lines = []
    for (bin_dir, resolved), names in groups.items():
        real = resolved if is_plain_name(resolved) else ""  # the front-end prints only plain names
        lines.append(f"    {' | '.join(names)}) _pyshim_bin={sh_quote(bin_dir)} _pyshim_real={sh_quote(real)} ;;")
    return lines


def context_checks() -> List[str]:
    """sh that fails unless the variables the resolver reads mean what they meant at rehash.

    A folder variable that is unset now means rehash's folder (`_pyshim_defaults` exports it for
    the slow path), so a shim run by tox, cron or `env -i` selects what it selects in the shell.
    """
    effective = _effective_folders()
    lines = []
    for name in DEFAULTED_VARIABLES:
        value, raw = effective[name], os.environ.get(name)
        accepted = " | ".join(dict.fromkeys(sh_quote(text) for text in (value, raw) if text))
        lines.append(f"  case ${{{name}-{sh_quote(value)}}} in {accepted}) ;; *) return 1 ;; esac")
    for name in IF_SET_VARIABLES:
        value = os.environ.get(name, "")
        lines.append(f"  case ${{{name}-{sh_quote(value)}}} in {sh_quote(value)}) ;; *) return 1 ;; esac")
    for name in EXACT_VARIABLES:
        lines.append(f"  case ${{{name}-}} in {sh_quote(os.environ.get(name, ''))}) ;; *) return 1 ;; esac")
    if not all(os.path.isabs(value) for value in effective.values()):
        lines.append("  return 1")
    return lines


def _defaults() -> List[str]:
    """`_pyshim_defaults`: export rehash's folders where the environment names none, so that the
    slow path (`pyshim exec`) looks where the fast path looked."""
    effective = _effective_folders()
    return ["_pyshim_defaults() {"] + [
        f"  [ -n \"${{{name}-}}\" ] || {{ {name}={sh_quote(effective[name])}; export {name}; }}"
        for name in DEFAULTED_VARIABLES
    ] + ["}"]


def _effective_folders() -> Dict[str, str]:
    """The folders rehash used, by the variable that overrides each."""
    return {
        "PYSHIM_ROOT": paths.root(),
        "PYENV_ROOT": paths.pyenv_root(),
        "UV_PYTHON_INSTALL_DIR": str(sources.uv_install_dir()),
        "PYSHIM_CACHE_DIR": paths.cache_dir(),
    }


def render_index(entries: Sequence[IndexEntry], generation: str) -> str:
    """The sh code every shim and the front-end source (`shims/lib.sh` calls what it defines).

    `_pyshim_lookup NAME` sets `_pyshim_bin` (the bin folder, '' for `system`) and `_pyshim_real`
    (the resolved name `pyshim version` prints, '' when the front-end must not print it).
    `_pyshim_index_ok` fails when the environment or the installed versions changed since
    rehash; `_pyshim_defaults` exports rehash's folders where the environment names none.

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
        f"_pyshim_global={sh_quote(paths.global_version_file())}",
        f"_pyshim_pyenv_global={sh_quote(os.path.join(paths.pyenv_root(), 'version'))}",
        f"_pyshim_generation={generation}",
        "_pyshim_aliases=",
        "_pyshim_index_ok() {",
    ]
    # `case` rather than `[`: no builtin call per variable, measurably cheaper in dash.
    lines += context_checks() + _stale_loop(named_folders()) + ["}"] + _defaults() + [
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
    lines += _case_lines([entry for entry in entries if entry.exact])
    lines += [
        '    *) _pyshim_load_aliases && _pyshim_lookup_alias "$1" ;;',
        "  esac",
        "}",
        "",
    ]
    return "\n".join(lines)


def pyenv_shim_folders() -> List[str]:
    """pyenv's shims folder and its plugins' (pyenv-virtualenv has one): never `system`."""
    root = paths.pyenv_root()
    plugins = os.path.join(root, "plugins")
    try:
        names = sorted(name for name in os.listdir(plugins) if os.path.isdir(os.path.join(plugins, name)))
    except OSError:
        names = []
    return [os.path.join(root, "shims")] + [os.path.join(plugins, name, "shims") for name in names]


def render_aliases(entries: Sequence[IndexEntry], interpreters: Sequence[PythonInfo], generation: str) -> str:
    """Aliases of managed interpreters (`3.12`), and the facts `system` is decided from on the
    shim's own PATH (`_pyshim_system_find` in shims/lib.sh): the shim folders to skip and the
    interpreters rehash knows, so the shim answers `system` only with one the resolver would pick.

    `_pyshim_path_ok` (PATH and its folders as rehash saw them) guards only the front-end's
    `pyshim versions` listing, which shows PATH's interpreters."""
    known = sorted({info.executable for info in interpreters if _plain_path(info.executable)})
    shim_folders = [paths.shims_dir()] + pyenv_shim_folders()
    lines = [
        "# pyshim shim index, aliases and `system`: written by `pyshim rehash`; do not edit.",
        "# shellcheck shell=sh disable=SC1090,SC2034,SC2154,SC3013",
        f"_pyshim_aliases={generation}",
        f"_pyshim_pyenv_real={sh_quote(os.path.realpath(paths.pyenv_root()))}",
        "_pyshim_path_state=",
        "_pyshim_path_ok() {",
        "  case $_pyshim_path_state in 1) return 0 ;; 0) return 1 ;; esac",
        "  _pyshim_path_state=0",
        f'  [ "${{PATH-}}" = {sh_quote(os.environ.get("PATH", ""))} ] || return 1',
    ]
    if not path_is_absolute():
        lines.append("  return 1")
    lines += _stale_loop(path_folders()) + [
        "  _pyshim_path_state=1",
        "}",
        "_pyshim_known_shims() {",
        "  for _pyshim_p in " + " ".join(sh_quote(folder) for folder in shim_folders) + "; do",
        '    [ "$1" -ef "$_pyshim_p" ] && return 0',
        "  done",
        "  return 1",
        "}",
        "_pyshim_known_interpreter() {",
        "  case $1 in",
    ]
    if known:
        lines.append(f"    {' | '.join(sh_quote(path) for path in known)}) return 0 ;;")
    lines += [
        "  esac",
        "  return 1",
        "}",
        "_pyshim_lookup_alias() {",
        "  case $1 in",
    ]
    lines += _case_lines([entry for entry in entries if not entry.exact])
    lines += [
        "    system) _pyshim_system_ok && _pyshim_bin='' _pyshim_real=system ;;",
        "    *) return 1 ;;",
        "  esac",
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


def _prefix_lines(interpreters: Sequence[PythonInfo], entries: Sequence[IndexEntry], generation: str) -> List[str]:
    """`_pyshim_prefix_of BIN`: the prefix `pyshim prefix` prints for the interpreter of an index
    entry's bin folder, in `_pyshim_prefix`; printable ASCII only (Python prints that alike).
    Valid while `_pyshim_prefixes` is the index's generation: PATH plays no part in it, except
    for `system`'s (`_pyshim_system_prefix`, '' when unknown)."""
    from pyshim.interpreters.resolve import system_interpreter

    prefixes: Dict[str, set] = {}
    for info in interpreters:
        prefixes.setdefault(info.bin_dir, set()).add(info.prefix)
    system = system_interpreter(interpreters)  # `system`: used only under rehash's PATH (_pyshim_path_ok)
    system_prefix = system.prefix if system is not None and not set(system.prefix) - set(COMMENT_CHARACTERS) else ""
    lines = [f"_pyshim_prefixes={generation}", f"_pyshim_system_prefix={sh_quote(system_prefix)}",
             "_pyshim_prefix_of() {", "  case $1 in"]
    for bin_dir in sorted({entry.bin_dir for entry in entries}):
        found = prefixes.get(bin_dir, set())
        prefix = found.pop() if len(found) == 1 else ""  # two interpreters in one folder: Python decides
        if prefix and not set(prefix) - set(COMMENT_CHARACTERS):
            lines.append(f"    {sh_quote(bin_dir)}) _pyshim_prefix={sh_quote(prefix)} ;;")
    return lines + ["    *) return 1 ;;", "  esac", "}"]


def render_versions(interpreters: Sequence[PythonInfo], entries: Sequence[IndexEntry], generation: str) -> str:
    """The front-end's own file: the `pyshim versions` listing (both variants of every row, and
    which rows each resolved name marks active), used only while PATH is the one rehash saw (the
    listing holds PATH interpreters), and the prefixes `pyshim prefix` prints (`_prefix_lines`).
    Rows Python might print differently (not plain ASCII) or names that stand for two
    interpreters leave the listing without a generation: slow path."""
    from pyshim.interpreters.listing import listing_line, listing_row, name_width

    width = name_width(interpreters)
    from pyshim.interpreters.resolve import system_interpreter

    executables: Dict[str, set] = {}
    for entry in entries:
        executables.setdefault(entry.resolved, set()).add(entry.executable)
    system = system_interpreter(interpreters)  # the listing is read only under rehash's PATH
    if system is not None:
        executables["system"] = {system.executable}
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
        if len(found) != 1 or not is_plain_name(name):
            continue
        (executable,) = found
        rows = " ".join(str(number) for number, info in enumerate(interpreters) if info.executable == executable)
        if rows:
            lines.append(f"    {sh_quote(name)}) _pyshim_active=\"${{_pyshim_active}}{rows} \" ;;")
    lines += ["    *) return 1 ;;", "  esac", "}"] + _prefix_lines(interpreters, entries, generation) + ["_pyshim_listing() {"]
    for number, (inactive, active) in enumerate(texts):
        lines.append(f"  case $_pyshim_active in *' {number} '*) printf '%s  (set by %s)\\n' {sh_quote(active)}"
                     f' "$_pyshim_origin" ;; *) printf \'%s\\n\' {sh_quote(inactive)} ;; esac')
    lines += ["  :", "}", ""]
    return "\n".join(lines)
