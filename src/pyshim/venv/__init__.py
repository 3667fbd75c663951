"""Virtual environments for any interpreter pyshim finds, built in pure Python.

The action step of the data flow for `pyshim venv`: a resolved `PythonInfo` in, a venv on disk
out. Modules: `target.py` (which interpreter), `layout.py` (where things go), `config.py`
(pyvenv.cfg), `builder.py` (`EnvBuilder`, the stdlib's API), `seed.py` + `wheel_cache.py` (pip
from the target's ensurepip wheels, no pip run), `named.py` (venvs kept in pyshim's root),
`staging.py` (one build of a path at a time, leftovers, build beside, rename into place),
`replay.py` + `recording.py` (the `pyshim venv` command's quick path: a build recorded once by
the full path, replayed), `command_line.py` (`python -m pyshim.venv`, `main`).

A drop-in for the stdlib's `venv`: the same `EnvBuilder`, `create()` and `main()` with the same
defaults (no pip, no symlinks, the running interpreter), plus `python=` to name another target.

    import pyshim.venv
    pyshim.venv.create(".venv", python="3.12", with_pip=True, symlinks=True)
    class MyBuilder(pyshim.venv.EnvBuilder): ...        # a venv.EnvBuilder subclass, unchanged
"""

import os

TYPE_CHECKING = False  # typing stays unimported at run time (see pyshim.base.record)
if TYPE_CHECKING:
    from typing import Any, Iterable, List, Optional, Sequence, Union

    from pyshim.base.errors import VenvError
    from pyshim.interpreters.pyinfo import PythonInfo
    from pyshim.venv.builder import EnvBuilder

# EnvBuilder and VenvError are loaded on first use (`__getattr__`): the console script replays
# most `pyshim venv` builds (`replay.py`) with nothing but this package's os, and importing it must
# not cost that path the builder or the error classes. (No `from __future__ import annotations`
# either, for the same reason: the annotations here are strings.)
__all__ = ["EnvBuilder", "VenvError", "create", "main"]
CORE_VENV_DEPS = ("pip",)  # the 3.12+ stdlib's; upgrade_dependencies adds setuptools for older targets


def create(env_dir: "Union[str, os.PathLike[str]]", system_site_packages: bool = False, clear: bool = False,
           symlinks: bool = False, with_pip: bool = False, prompt: "Optional[str]" = None,
           upgrade_deps: bool = False, *, scm_ignore_files: "Iterable[str]" = frozenset(),
           python: "Union[str, PythonInfo, None]" = None, seed: "Optional[Sequence[str]]" = None,
           force: bool = False) -> "EnvBuilder":
    """The stdlib's `venv.create` (same arguments and defaults), for `python` (a request such as
    "3.12", a path or a PythonInfo; default: the running interpreter). Returns the builder used;
    its `target` is the interpreter. Raises `VenvError` (a `PyshimError`) with a one-line reason."""
    from pyshim.venv.builder import EnvBuilder

    builder = EnvBuilder(system_site_packages=system_site_packages, clear=clear, symlinks=symlinks,
                         with_pip=with_pip, prompt=prompt, upgrade_deps=upgrade_deps,
                         scm_ignore_files=scm_ignore_files, python=python, seed=seed, force=force)
    builder.create(env_dir)
    return builder


def main(args: "Optional[List[str]]" = None) -> None:
    """The stdlib's `venv.main`: parse `python -m venv`'s arguments (plus --python) and build."""
    from pyshim.venv.command_line import main as command_main

    command_main(args)


def __getattr__(name: str) -> "Any":
    if name == "EnvBuilder":
        from pyshim.venv.builder import EnvBuilder

        return EnvBuilder
    if name == "VenvError":
        from pyshim.base.errors import VenvError

        return VenvError
    if name == "subprocess":  # the stdlib's module has it; tests patch venv.subprocess.check_output
        import subprocess

        return subprocess
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
