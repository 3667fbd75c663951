"""`pyshim whence CMD`: the installed versions that have CMD (exit 1 if none)."""

from __future__ import annotations

import argparse

from pyshim.cli.commands._common import in_name_order, interpreters
from pyshim.interpreters.resolve import whence


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("command_name", metavar="CMD")
    parser.add_argument("--path", action="store_true", help="print the command's full path")


def run(args: argparse.Namespace) -> int:
    found = in_name_order(interpreters(args))  # the order of `pyenv whence` (and `versions --bare`)
    names = whence(args.command_name, found)
    by_name = {info.name: info for info in found}
    for name in names:
        print(f"{by_name[name].bin_dir}/{args.command_name}" if args.path else name)
    return 0 if names else 1
