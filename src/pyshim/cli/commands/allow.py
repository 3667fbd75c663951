"""`pyshim allow [DIR]`: trust the venv of DIR (default: the one the current directory means) for auto-activation."""

from __future__ import annotations

import argparse
import os

from pyshim.base.errors import VenvError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", nargs="?", metavar="DIR", help="a venv, or a project folder holding .venv")


def target_venv(directory: "str | None") -> str:
    from pyshim.shell.project import find_project_venv, venv_of
    from pyshim.selection.version_file import current_directory

    if directory is None:
        found = find_project_venv(current_directory(), {})
        if found is None:
            raise VenvError("no .venv here or above to allow; give its folder: `pyshim allow DIR`")
        return found
    return venv_of(directory)


def run(args: argparse.Namespace) -> int:
    from pyshim.shell.project import allow

    venv = target_venv(args.directory)
    if not os.path.isfile(os.path.join(venv, "pyvenv.cfg")):
        raise VenvError(f"{venv} is not a venv (no pyvenv.cfg)")
    allow(venv)
    print(f"pyshim: allowed {venv}")
    return 0
