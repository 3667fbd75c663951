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
from typing import Iterator, List

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


def _subdirectories(folder: Path) -> List[Path]:
    try:
        return sorted(entry for entry in folder.iterdir() if not entry.name.startswith(".") and entry.is_dir())
    except OSError:
        return []


def from_named_folders(folder: Path, source: Source) -> Iterator[Candidate]:
    """`folder/NAME/bin/python3` for each NAME: pyshim's, pyenv's and uv's layout alike."""
    for version_dir in _subdirectories(folder):
        executable = _first_executable(version_dir / "bin", ["python", "python3", "pypy3", "pypy"])
        if executable:
            yield Candidate(executable, source, version_dir.name)


def pyshim_versions() -> Iterator[Candidate]:
    return from_named_folders(paths.versions_dir(), Source.PYSHIM)


def pyshim_venvs() -> Iterator[Candidate]:
    return from_named_folders(paths.venvs_dir(), Source.VENV)


def pyenv_versions() -> Iterator[Candidate]:
    return from_named_folders(paths.pyenv_root() / "versions", Source.PYENV)


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
