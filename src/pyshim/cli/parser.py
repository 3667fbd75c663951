"""The argparse parser of the command line: `--help`, usage errors and unusual command lines.

Part of the command line (the last stage), used by `cli.main` only when `arguments.read` leaves
a command line to argparse, and by `pyshim help`. Built from the same tables (`ARGUMENTS`, or a
command module's `add_arguments`), so both readers give a command the same values.
"""

from __future__ import annotations

import argparse
import os
import sys

from pyshim import __version__

from pyshim.base import arguments
from pyshim.cli import COMMANDS, GLOBAL_ARGUMENTS, command_module
from pyshim.base.errors import UsageError

TYPE_CHECKING = False  # typing stays unimported at run time (see pyshim.base.record)
if TYPE_CHECKING:
    from typing import NoReturn


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's own, told the width up front: otherwise it imports shutil (2 ms) to ask."""

    def __init__(self, prog: str) -> None:
        try:
            width = os.get_terminal_size(sys.stderr.fileno()).columns
        except (OSError, ValueError):
            width = 80
        super().__init__(prog, width=max(width - 2, 40))


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad command line is one line (what is wrong, where to read more), exit 2."""

    def error(self, message: str) -> "NoReturn":
        raise UsageError(f"{message}; see `{self.prog} --help`")


def build_parser(only: "str | None" = None) -> argparse.ArgumentParser:
    """The full parser; with `only`, just that command's arguments are loaded."""
    parser = _Parser(
        prog="pyshim",
        formatter_class=_HelpFormatter,
        description="Choose a Python interpreter per project and build virtual environments for it.",
    )
    parser.add_argument("--version", action="version", version=f"pyshim {__version__}")
    _add_global_options(parser, default=False)
    common = _Parser(add_help=False, formatter_class=_HelpFormatter)
    _add_global_options(common, default=argparse.SUPPRESS)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        if only and name != only:
            continue  # one sub-parser costs ~1 ms to build: build only the one that runs
        sub = subparsers.add_parser(
            name, help=help_text, description=help_text, parents=[common], formatter_class=_HelpFormatter
        )
        if only is None or name == only:
            _declare(command_module(name), sub)
    return parser


def _add_global_options(parser: argparse.ArgumentParser, default: object) -> None:
    """--verbose and --debug, accepted before or after the command name."""
    for arg in GLOBAL_ARGUMENTS:
        parser.add_argument(*arg.names, action="store_true", default=default, help=arg.help)


def _declare(module: object, parser: argparse.ArgumentParser) -> None:
    """A command's arguments: its `ARGUMENTS` table (and `EPILOG`), or its `add_arguments`."""
    table = getattr(module, "ARGUMENTS", None)
    if table is None:
        module.add_arguments(parser)
        return
    arguments.add_to(parser, table)
    parser.epilog = getattr(module, "EPILOG", None)
