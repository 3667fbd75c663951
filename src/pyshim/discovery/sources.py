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
import re
from functools import lru_cache
from pathlib import Path

from pyshim import paths
from pyshim.pyinfo import Candidate, Source

PATH_NAME_RE = re.compile(r"^(python|python[23]|python[23]\.\d+t?|pypy|pypy3|pypy3\.\d+)$")
SYSTEM_DIRS = ("/usr/local/bin", "/usr/bin", "/bin", "/opt/homebrew/bin")
SHIM_MARKER = ".pyshim-shims"


def _first_executable(bin_dir: Path, names: List[str]) -> "str | None":
    for name in names:
        candidate = bin_dir / name
        if os.access(candidate, os.X_OK) and candidate.is_file():
            return str(candidate)
    return None


def version_sort_key(name: str) -> Tuple:
    """Names in version order, as `sort --version-sort` (pyenv's listing): dot names first, 3.6 before 3.10."""
    parts = tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.findall(r"\d+|\D+", name))
    return (not name.startswith("."),) + parts


def _subdirectories(folder: Path, hidden: bool = False) -> List[Path]:
    """The folders in `folder`, in version order; dot folders only when `hidden`."""
    try:
        entries = [entry for entry in folder.iterdir() if (hidden or not entry.name.startswith(".")) and entry.is_dir()]
    except OSError:
        return []
    return sorted(entries, key=lambda entry: version_sort_key(entry.name))


def _named_candidate(version_dir: Path, source: Source, name: str) -> Optional[Candidate]:
    executable = _first_executable(version_dir / "bin", ["python", "python3", "pypy3", "pypy"])
    return Candidate(executable, source, name) if executable else None


def from_named_folders(folder: Path, source: Source) -> Iterator[Candidate]:
    """`folder/NAME/bin/python3` for each NAME: pyshim's, pyenv's and uv's layout alike."""
    for version_dir in _subdirectories(folder):
        candidate = _named_candidate(version_dir, source, version_dir.name)
        if candidate:
            yield candidate


def is_alias(entry: Path, folder: Path) -> bool:
    """A link to another version or venv in the same versions folder (`2.7 -> 2.7.18`,
    pyenv-virtualenv's `foo -> 3.12.1/envs/foo`): what `pyenv versions --skip-aliases` leaves out."""
    if not entry.is_symlink():
        return False
    target = Path(os.path.realpath(entry))
    real_folder = Path(os.path.realpath(folder))
    return target.parent == real_folder or (target.parent.name == "envs" and target.parent.parent.parent == real_folder)


def link_text(entry: Path) -> Optional[str]:
    """What the link `entry` points to, as written (`pyenv versions` prints `2.7 --> 2.7.18`)."""
    try:
        return os.readlink(entry)
    except OSError:  # not a link
        return None


def _links_to_sibling(entry: Path, folder: Path) -> bool:
    target = link_text(entry)
    return target is not None and os.path.dirname(os.path.normpath(os.path.join(folder, target))) == os.path.normpath(folder)


def pyenv_versions() -> Iterator[Candidate]:
    """What `pyenv versions` lists: every folder in `$PYENV_ROOT/versions` (dot folders too) and
    each one's pyenv-virtualenv venvs, named `3.12.1/envs/foo`. Aliases come after the folders
    they point to, and names that are no version number (`.dot`, `myenv`) after those that are,
    so a tie in ranking goes as pyenv's, which matches names: `2` means 2.7.18, not `2.7`, and
    `3.11` means 3.11.7, not a `.dot` folder holding a 3.11."""
    folder = paths.pyenv_root() / "versions"
    entries = _subdirectories(folder, hidden=True)
    later = {entry for entry in entries if is_alias(entry, folder) or _links_to_sibling(entry, folder)}
    for version_dir in sorted(entries, key=lambda entry: (entry in later, not entry.name[:1].isdigit())):
        candidate = _named_candidate(version_dir, Source.PYENV, version_dir.name)
        if candidate:
            yield candidate
        for env_dir in _subdirectories(version_dir / "envs", hidden=True):
            candidate = _named_candidate(env_dir, Source.PYENV, f"{version_dir.name}/envs/{env_dir.name}")
            if candidate:
                yield candidate


def pyshim_versions() -> Iterator[Candidate]:
    return from_named_folders(paths.versions_dir(), Source.PYSHIM)


def pyshim_venvs() -> Iterator[Candidate]:
    return from_named_folders(paths.venvs_dir(), Source.VENV)


def uv_install_dir() -> Path:
    override = os.environ.get("UV_PYTHON_INSTALL_DIR")
    if override:
        return Path(override).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "uv" / "python"


def uv_versions() -> Iterator[Candidate]:
    return from_named_folders(uv_install_dir(), Source.UV)


def conda_environments() -> Iterator[Candidate]:
    """The active conda env, the envs conda lists in ~/.conda/environments.txt, and CONDA_EXE's."""
    prefixes: List[str] = []
    if os.environ.get("CONDA_PREFIX"):
        prefixes.append(os.environ["CONDA_PREFIX"])
    try:
        listed = (Path.home() / ".conda" / "environments.txt").read_text(encoding="utf-8", errors="replace")
        prefixes.extend(line.strip() for line in listed.splitlines() if line.strip())
    except OSError:
        pass
    conda_exe = os.environ.get("CONDA_EXE")
    if conda_exe:
        conda_root = Path(conda_exe).resolve().parent.parent
        prefixes.append(str(conda_root))
        prefixes.extend(str(env) for env in _subdirectories(conda_root / "envs"))
    for prefix in prefixes:
        executable = _first_executable(Path(prefix) / "bin", ["python", "python3"])
        if executable:
            yield Candidate(executable, Source.CONDA, "conda-" + Path(prefix).name)


def is_shim_dir(directory: str) -> bool:
    """pyshim's shims, any folder rehash marked, and pyenv's (and its plugins') shim folders."""
    return _is_shim_dir(directory, str(paths.shims_dir()), str(paths.pyenv_root()))


@lru_cache(maxsize=256)
def _is_shim_dir(directory: str, own_shims: str, pyenv_root: str) -> bool:
    real = os.path.realpath(directory)
    if real == _realpath(own_shims) or os.path.exists(os.path.join(real, SHIM_MARKER)):
        return True
    if os.path.basename(real) != "shims":
        return False
    if real.startswith(_realpath(pyenv_root) + os.sep):
        return True
    return _holds_script_named_python(real)


@lru_cache(maxsize=16)
def _realpath(path: str) -> str:
    return os.path.realpath(path)


def _holds_script_named_python(directory: str) -> bool:
    """A `shims` folder whose `python` is a script (pyenv's, under another root) is a shim folder."""
    try:
        with open(os.path.join(directory, "python"), "rb") as handle:
            return handle.read(2) == b"#!"
    except OSError:
        return False


def _python_names_in(directory: str, source: Source) -> Iterator[Candidate]:
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return
    for name in names:
        if PATH_NAME_RE.match(name):
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


ALL_SOURCES = (pyshim_versions, pyshim_venvs, pyenv_versions, uv_versions, conda_environments, on_path, system_folders)
