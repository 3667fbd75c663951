"""Where pyshim keeps its own files: the root folder and the cache folder.

Everything that pyshim writes lives under one of these two folders. Paths are plain text
(`str`) here and on every start-up path: pathlib's import costs more than most commands. The root holds the global
version file (`ROOT/version`), the shims (`ROOT/shims`), interpreters pyshim manages
(`ROOT/versions`) and named venvs (`ROOT/venvs`). The cache holds probe results and unpacked
wheels and can be deleted at any time.
"""

import os
import sys

_FOLDERS: dict = {}  # (override, kind, xdg, home) -> folder: asked for many times per command


def root() -> str:
    """pyshim's root folder: PYSHIM_ROOT, else platformdirs' user data folder."""
    return _folder(os.environ.get("PYSHIM_ROOT"), "data", os.environ.get("XDG_DATA_HOME"))


def source_dir() -> str:
    """The folder that holds the running `pyshim` package, as Python found it (the shims' slow path
    puts it first on sys.path; the console script checks the front-end was written for it; a
    replayed venv's record is keyed on it). Not resolved through links: that takes a stat per
    folder on the way, and any path Python imported pyshim by serves sys.path as well."""
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def cache_dir() -> str:
    """pyshim's cache folder: PYSHIM_CACHE_DIR, else platformdirs' user cache folder."""
    return _folder(os.environ.get("PYSHIM_CACHE_DIR"), "cache", os.environ.get("XDG_CACHE_HOME"))


def _folder(override: "str | None", kind: str, xdg: "str | None") -> str:
    key = (override, kind, xdg, os.environ.get("HOME"))
    if key not in _FOLDERS:
        _FOLDERS[key] = os.path.normpath(_folder_text(override, kind, xdg))
    return _FOLDERS[key]


def _folder_text(override: "str | None", kind: str, xdg: "str | None") -> str:
    """The folder's path, before normalisation.

    On Linux this applies the XDG rule that platformdirs applies there (tests check they agree)
    without importing platformdirs, whose import (tempfile, shutil) costs ~7 ms per command.
    """
    if override:
        expanded = os.path.expanduser(override)
        return expanded if os.path.isabs(expanded) else os.path.join(os.getcwd(), expanded)
    if sys.platform.startswith("linux"):
        base = xdg if xdg and os.path.isabs(xdg) else os.path.join(
            os.path.expanduser("~"), ".local/share" if kind == "data" else ".cache")
        return os.path.join(base, "pyshim")
    import platformdirs

    if kind == "data":
        return platformdirs.user_data_dir("pyshim", appauthor=False)
    return platformdirs.user_cache_dir("pyshim", appauthor=False)


def shims_dir() -> str:
    return os.path.join(root(), "shims")


def versions_dir() -> str:
    """Interpreters that pyshim manages itself, one folder per version name."""
    return os.path.join(root(), "versions")


def venvs_dir() -> str:
    """Named virtual environments (`pyshim venv --name NAME`)."""
    return os.path.join(root(), "venvs")


def named_venv_names() -> "list[str]":
    """The named venvs: folders in `venvs_dir()` holding a pyvenv.cfg, in name order; hidden ones
    (a `--rm` in progress, `.NAME.pyshim-removing-PID`) are not venvs any more."""
    folder = venvs_dir()
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted(name for name in names
                  if not name.startswith(".") and os.path.isfile(os.path.join(folder, name, "pyvenv.cfg")))


def global_version_file() -> str:
    return os.path.join(root(), "version")


def pyenv_root() -> str:
    """pyenv's root folder: PYENV_ROOT, else ~/.pyenv (read only; pyshim never writes there)."""
    override = os.environ.get("PYENV_ROOT")
    return os.path.normpath(os.path.expanduser(override)) if override else os.path.join(os.path.expanduser("~"), ".pyenv")
