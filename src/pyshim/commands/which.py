"""`pyshim which CMD`: the file CMD runs in the current directory (exit 127 if none)."""

from __future__ import annotations

import argparse

from pyshim.commands._common import interpreters
from pyshim.resolve import resolve_selection, which
from pyshim.selection import select


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("command_name", metavar="CMD")


def run(args: argparse.Namespace) -> int:
    found = interpreters(args)
    path, _ = which(args.command_name, resolve_selection(select(), found), found)
    print(path)
    return 0
