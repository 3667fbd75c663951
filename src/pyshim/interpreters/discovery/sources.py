"""One small generator per place interpreters live; each yields `Candidate`s, tagged by source.

Nothing here runs an interpreter: a source only lists files that may be one. Shim folders
(pyshim's own, pyenv's and its plugins') are never a source: they hold scripts that run some
other interpreter, and probing them would report that one under the wrong name.

Only absolute PATH entries are searched. A relative entry (`.`, `bin`, or the empty entry,
which means the current folder) names whatever folder the user happens to stand in: a cloned
repository's `python3` would be probed, that is run, by `pyshim version` typed there.
`relative_path_entries()` lists what was skipped, for `--verbose`.
"""

from __future__ import annotations

import os

from pyshim.base import paths
from pyshim.interpreters.pyinfo import Candidate, Source

SYSTEM_DIRS = ("/usr/local/bin", "/usr/bin", "/bin", "/opt/homebrew/bin")
SHIM_MARKER = ".pyshim-shims"
_ASCII_DIGITS = "0123456789"


def is_python_name(name: str) -> bool:
    """An interpreter's command name: python, python3, python3.12, python3.13t, pypy, pypy3,
    pypy3.10 (ASCII digits only)."""
    for stem, majors, freethreaded in (("python", "23", True), ("pypy", "3", False)):
        if name.startswith(stem):
            rest = name[len(stem):]
            if rest in ("",) + tuple(majors):
                return True
            if rest[:1] not in majors or rest[1:2] != ".":
                return False
            minor = rest[2:-1] if freethreaded and rest.endswith("t") else rest[2:]
            return bool(minor) and all(ch in _ASCII_DIGITS for ch in minor)
    return False


def _first_executable(bin_dir: str, names: "list[str]") -> "str | None":
    for name in names:
        candidate = os.path.join(bin_dir, name)
        if os.access(candidate, os.X_OK) and os.path.isfile(candidate):
            return candidate
    return None


def version_sort_key(name: str) -> tuple:
    """Names in version order, as `sort --version-sort` (pyenv's listing): dot names first, 3.6 before 3.10."""
    parts = []
    run = ""
    for char in name:
        if run and (char in _ASCII_DIGITS) != (run[0] in _ASCII_DIGITS):
            parts.append(run)
            run = ""
        run += char
    parts += [run] if run else []
    key = tuple((0, int(part), "") if part[0] in _ASCII_DIGITS else (1, 0, part) for part in parts)
    return (not name.startswith("."),) + key


def _subdirectories(folder: str, hidden: bool = False) -> "list[str]":
    """The folders in `folder` (their paths), in version order; dot folders only when `hidden`."""
    try:
        names = [name for name in os.listdir(folder) if (hidden or not name.startswith("."))]
    except OSError:
        return []
    return [os.path.join(folder, name) for name in sorted(names, key=version_sort_key)
            if os.path.isdir(os.path.join(folder, name))]


def _named_candidate(version_dir: str, source: str, name: str) -> "Candidate | None":
    executable = _first_executable(os.path.join(version_dir, "bin"), ["python", "python3", "pypy3", "pypy"])
    return Candidate(executable, source, name) if executable else None


def from_named_folders(folder: str, source: str) -> "Iterator[Candidate]":
    """`folder/NAME/bin/python3` for each NAME: pyshim's, pyenv's and uv's layout alike."""
    for version_dir in _subdirectories(folder):
        candidate = _named_candidate(version_dir, source, os.path.basename(version_dir))
        if candidate:
            yield candidate


def is_alias(entry: "str | os.PathLike[str]", folder: "str | os.PathLike[str]") -> bool:
    """A link to another version or venv in the same versions folder (`2.7 -> 2.7.18`,
    pyenv-virtualenv's `foo -> 3.12.1/envs/foo`): what `pyenv versions --skip-aliases` leaves out."""
    if not os.path.islink(entry):
        return False
    parent = os.path.dirname(os.path.realpath(entry))
    real_folder = os.path.realpath(folder)
    return parent == real_folder or (os.path.basename(parent) == "envs"
                                     and os.path.dirname(os.path.dirname(parent)) == real_folder)


def link_text(entry: "str | os.PathLike[str]") -> "str | None":
    """What the link `entry` points to, as written (`pyenv versions` prints `2.7 --> 2.7.18`)."""
    try:
        return os.readlink(entry)
    except OSError:  # not a link
        return None


def _links_to_sibling(entry: str, folder: str) -> bool:
    target = link_text(entry)
    return target is not None and os.path.dirname(os.path.normpath(os.path.join(folder, target))) == os.path.normpath(folder)


def pyenv_versions() -> "Iterator[Candidate]":
    """What `pyenv versions` lists: every folder in `$PYENV_ROOT/versions` (dot folders too) and
    each one's pyenv-virtualenv venvs, named `3.12.1/envs/foo`. Aliases come after the folders
    they point to, and names that are no version number (`.dot`, `myenv`) after those that are,
    so a tie in ranking goes as pyenv's, which matches names: `2` means 2.7.18, not `2.7`, and
    `3.11` means 3.11.7, not a `.dot` folder holding a 3.11."""
    folder = os.path.join(paths.pyenv_root(), "versions")
    entries = _subdirectories(folder, hidden=True)
    later = {entry for entry in entries if is_alias(entry, folder) or _links_to_sibling(entry, folder)}
    for version_dir in sorted(entries, key=lambda entry: (entry in later, os.path.basename(entry)[:1] not in _ASCII_DIGITS)):
        name = os.path.basename(version_dir)
        candidate = _named_candidate(version_dir, Source.PYENV, name)
        if candidate:
            yield candidate
        for env_dir in _subdirectories(os.path.join(version_dir, "envs"), hidden=True):
            candidate = _named_candidate(env_dir, Source.PYENV, f"{name}/envs/{os.path.basename(env_dir)}")
            if candidate:
                yield candidate


def pyshim_versions() -> "Iterator[Candidate]":
    return from_named_folders(paths.versions_dir(), Source.PYSHIM)


def pyshim_venvs() -> "Iterator[Candidate]":
    return from_named_folders(paths.venvs_dir(), Source.VENV)


def uv_install_dir() -> str:
    override = os.environ.get("UV_PYTHON_INSTALL_DIR")
    if override:
        return os.path.expanduser(override)
    data_home = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(data_home, "uv", "python")


def uv_versions() -> "Iterator[Candidate]":
    return from_named_folders(uv_install_dir(), Source.UV)


def conda_environments_file() -> str:
    return os.path.join(os.path.expanduser("~"), ".conda", "environments.txt")


def conda_root(conda_exe: str) -> str:
    """The installation CONDA_EXE belongs to (`ROOT/bin/conda`)."""
    return os.path.dirname(os.path.dirname(os.path.realpath(conda_exe)))


def conda_environments() -> "Iterator[Candidate]":
    """The active conda env, the envs conda lists in ~/.conda/environments.txt, and CONDA_EXE's."""
    prefixes: "list[str]" = []
    if os.environ.get("CONDA_PREFIX"):
        prefixes.append(os.environ["CONDA_PREFIX"])
    try:
        with open(conda_environments_file(), encoding="utf-8", errors="replace") as handle:
            listed = handle.read()
        prefixes.extend(line.strip() for line in listed.splitlines() if line.strip())
    except OSError:
        pass
    conda_exe = os.environ.get("CONDA_EXE")
    if conda_exe:
        root = conda_root(conda_exe)
        prefixes.append(root)
        prefixes.extend(_subdirectories(os.path.join(root, "envs")))
    for prefix in prefixes:
        executable = _first_executable(os.path.join(prefix, "bin"), ["python", "python3"])
        if executable:
            yield Candidate(executable, Source.CONDA, "conda-" + os.path.basename(os.path.normpath(prefix)))


_SHIM_DIR_ANSWERS: dict = {}  # (folder, own shims, pyenv root) -> bool: asked once per PATH entry per use
_REAL_PATHS: dict = {}


def is_shim_dir(directory: str) -> bool:
    """pyshim's shims, any folder rehash marked, and pyenv's (and its plugins') shim folders."""
    key = (directory, paths.shims_dir(), paths.pyenv_root())
    if key not in _SHIM_DIR_ANSWERS:
        _SHIM_DIR_ANSWERS[key] = _is_shim_dir(*key)
    return _SHIM_DIR_ANSWERS[key]


def _is_shim_dir(directory: str, own_shims: str, pyenv_root: str) -> bool:
    real = os.path.realpath(directory)
    if real == _realpath(own_shims) or os.path.exists(os.path.join(real, SHIM_MARKER)):
        return True
    if os.path.basename(real) != "shims":
        return False
    if real.startswith(_realpath(pyenv_root) + os.sep):
        return True
    return _holds_script_named_python(real)


def _realpath(path: str) -> str:
    if path not in _REAL_PATHS:
        _REAL_PATHS[path] = os.path.realpath(path)
    return _REAL_PATHS[path]


def _holds_script_named_python(directory: str) -> bool:
    """A `shims` folder whose `python` is a script (pyenv's, under another root) is a shim folder."""
    try:
        with open(os.path.join(directory, "python"), "rb") as handle:
            return handle.read(2) == b"#!"
    except OSError:
        return False


def _python_names_in(directory: str, source: str) -> "Iterator[Candidate]":
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return
    for name in names:
        if is_python_name(name):
            executable = os.path.join(os.path.abspath(directory), name)
            if os.access(executable, os.X_OK) and os.path.isfile(executable):
                yield Candidate(executable, source, executable)


def _path_entries() -> List[str]:
    return os.environ.get("PATH", "").split(os.pathsep)


def relative_path_entries() -> List[str]:
    """PATH entries that depend on the current folder (the empty one included): never searched."""
    return [entry for entry in _path_entries() if not os.path.isabs(entry)]


def path_directories() -> List[str]:
    """PATH's absolute folders in order, shim folders and relative entries left out."""
    return [d for d in _path_entries() if os.path.isabs(d) and not is_shim_dir(d)]


def on_path() -> Iterator[Candidate]:
    for directory in path_directories():
        yield from _python_names_in(directory, Source.PATH)


def system_folders() -> Iterator[Candidate]:
    """Common system folders that are not on PATH (those on PATH were listed already)."""
    on_path = {os.path.realpath(d) for d in _path_entries() if os.path.isabs(d)}
    for directory in SYSTEM_DIRS:
        if os.path.realpath(directory) not in on_path:
            yield from _python_names_in(directory, Source.SYSTEM)


MANAGED_SOURCES = (pyshim_versions, pyshim_venvs, pyenv_versions, uv_versions, conda_environments)
PATH_SOURCES = (on_path, system_folders)
ALL_SOURCES = MANAGED_SOURCES + PATH_SOURCES
