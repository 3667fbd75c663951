"""`pyshim completions [commands|versions]`: words for the shell completion that `pyshim init` installs."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", nargs="?", choices=("commands", "versions"), default="commands")


def run(args: argparse.Namespace) -> int:
    if args.kind == "commands":
        from pyshim.cli import COMMANDS

        print("\n".join(COMMANDS))
        return 0
    from pyshim.cli.commands._common import interpreters
    from pyshim.interpreters.resolve import installed_names
    from pyshim.base.paths import named_venv_names

    names = installed_names(interpreters(args)) + named_venv_names()
    print("\n".join(dict.fromkeys(names)))
    return 0
