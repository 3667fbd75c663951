"""Where pyshim keeps its own files: the root folder and the cache folder.

Everything that pyshim writes lives under one of these two folders. The root holds the global
version file (`ROOT/version`), the shims (`ROOT/shims`), interpreters pyshim manages
(`ROOT/versions`) and named venvs (`ROOT/venvs`). The cache holds probe results and unpacked
wheels and can be deleted at any time.
"""

from __future__ import annotations

import os
from pathlib import Path


def root() -> Path:
    """pyshim's root folder: PYSHIM_ROOT, else platformdirs' user data folder."""
    override = os.environ.get("PYSHIM_ROOT")
    if override:
        return Path(override).expanduser().absolute()
    import platformdirs

    return Path(platformdirs.user_data_dir("pyshim", appauthor=False))


def cache_dir() -> Path:
    """pyshim's cache folder: PYSHIM_CACHE_DIR, else platformdirs' user cache folder."""
    override = os.environ.get("PYSHIM_CACHE_DIR")
    if override:
        return Path(override).expanduser().absolute()
    import platformdirs

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
