"""Where pyshim keeps its own files: the root folder and the cache folder.

Everything that pyshim writes lives under one of these two folders. The root holds the global
version file (`ROOT/version`), the shims (`ROOT/shims`), interpreters pyshim manages
(`ROOT/versions`) and named venvs (`ROOT/venvs`). The cache holds probe results and unpacked
wheels and can be deleted at any time.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Optional


def root() -> Path:
    """pyshim's root folder: PYSHIM_ROOT, else platformdirs' user data folder."""
    return _folder(os.environ.get("PYSHIM_ROOT"), "data", os.environ.get("XDG_DATA_HOME"), os.environ.get("HOME"))


def cache_dir() -> Path:
    """pyshim's cache folder: PYSHIM_CACHE_DIR, else platformdirs' user cache folder."""
    return _folder(os.environ.get("PYSHIM_CACHE_DIR"), "cache", os.environ.get("XDG_CACHE_HOME"), os.environ.get("HOME"))


@lru_cache(maxsize=16)
def _folder(override: Optional[str], kind: str, xdg: Optional[str], home: Optional[str]) -> Path:
    """Cached per value of the variables it depends on (asked for many times per command).

    On Linux this applies the XDG rule that platformdirs applies there (tests check they agree)
    without importing platformdirs, whose import (tempfile, shutil) costs ~7 ms per command.
    """
    if override:
        return Path(override).expanduser().absolute()
    if sys.platform.startswith("linux"):
        fallback = Path.home() / (".local/share" if kind == "data" else ".cache")
        base = Path(xdg) if xdg and os.path.isabs(xdg) else fallback
        return base / "pyshim"
    import platformdirs

    if kind == "data":
        return Path(platformdirs.user_data_dir("pyshim", appauthor=False))
    return Path(platformdirs.user_cache_dir("pyshim", appauthor=False))


def shims_dir() -> Path:
    return root() / "shims"


def versions_dir() -> Path:
    """Interpreters that pyshim manages itself, one folder per version name."""
    return root() / "versions"


def venvs_dir() -> Path:
    """Named virtual environments (`pyshim venv --name NAME`)."""
    return root() / "venvs"


def global_version_file() -> Path:
    return root() / "version"


def pyenv_root() -> Path:
    """pyenv's root folder: PYENV_ROOT, else ~/.pyenv (read only; pyshim never writes there)."""
    override = os.environ.get("PYENV_ROOT")
    return Path(override).expanduser() if override else Path.home() / ".pyenv"
