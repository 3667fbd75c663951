"""`pyshim uninstall NAME... [--force]`: remove interpreters `pyshim install` put in ROOT/versions.

Refuses while a named venv is built on one (and says which), unless --force; the shims are made
current after (`install.place.remove`).
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("names", nargs="+", metavar="NAME", help="a folder name under $(pyshim root)/versions, e.g. 3.12.8")
    parser.add_argument("--force", action="store_true", help="remove it even if named venvs are built on it")


def run(args: argparse.Namespace) -> int:
    from pyshim.cli.commands._common import keep_shims_current
    from pyshim.install.place import remove

    for name in args.names:
        print(f"removed {remove(name, force=args.force)}")
    keep_shims_current()
    return 0
