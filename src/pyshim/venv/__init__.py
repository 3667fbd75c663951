"""Virtual environments for any interpreter pyshim finds, built in pure Python.

The action step of the data flow for `pyshim venv`: a resolved `PythonInfo` in, a venv on disk
out. Modules: `target.py` (which interpreter), `layout.py` (where things go), `config.py`
(pyvenv.cfg), `builder.py` (`EnvBuilder`, the stdlib's API), `seed.py` + `wheel_cache.py` (pip
from the target's ensurepip wheels, no pip run), `named.py` (venvs kept in pyshim's root),
`staging.py` (build beside, rename into place), `__main__.py` (`python -m pyshim.venv`).

    import pyshim.venv
    pyshim.venv.create(".venv", python="3.12")           # one call, pip seeded
    class MyBuilder(pyshim.venv.EnvBuilder): ...        # a venv.EnvBuilder subclass, unchanged
"""

from __future__ import annotations

import os
from typing import Iterable, Optional, Sequence, Union

from pyshim.errors import VenvError
from pyshim.pyinfo import PythonInfo
from pyshim.venv.builder import EnvBuilder

__all__ = ["EnvBuilder", "VenvError", "create"]


def create(env_dir: Union[str, "os.PathLike[str]"], python: Union[str, PythonInfo, None] = None, *,
           with_pip: bool = True, prompt: Optional[str] = None, system_site_packages: bool = False,
           clear: bool = False, force: bool = False, symlinks: bool = True, upgrade_deps: bool = False,
           scm_ignore_files: Iterable[str] = ("git",), seed: Sequence[str] = ("pip",)) -> EnvBuilder:
    """Create a venv at `env_dir` for `python` (a request such as "3.12", a path or a PythonInfo;
    default: the version selected for the current directory). Returns the builder used; its
    `target` is the interpreter. Raises `VenvError` (a `PyshimError`) with a one-line reason."""
    builder = EnvBuilder(system_site_packages=system_site_packages, clear=clear, symlinks=symlinks,
                         with_pip=with_pip, prompt=prompt, upgrade_deps=upgrade_deps,
                         scm_ignore_files=scm_ignore_files, python=python, seed=seed, force=force)
    builder.create(env_dir)
    return builder
