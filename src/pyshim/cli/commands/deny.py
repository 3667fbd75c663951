"""`pyshim deny [DIR]`: take back `pyshim allow` for the venv of DIR."""

from __future__ import annotations

import argparse

from pyshim.cli.commands.allow import add_arguments, target_venv

__all__ = ["add_arguments", "run"]


def run(args: argparse.Namespace) -> int:
    from pyshim.shell.project import deny

    venv = target_venv(args.directory)
    removed = deny(venv)
    print(f"pyshim: denied {venv}" if removed else f"pyshim: {venv} was not allowed")
    return 0
