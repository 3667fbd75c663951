"""`pyshim help [COMMAND]`: the same text as `pyshim COMMAND --help`."""

from __future__ import annotations

import argparse

from pyshim.base.errors import UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("topic", nargs="?", metavar="COMMAND")


def run(args: argparse.Namespace) -> int:
    from pyshim.cli import COMMANDS, build_parser

    if args.topic is None:
        args.parser.print_help()
        return 0
    if args.topic not in COMMANDS:
        raise UsageError(f"no command named '{args.topic}'; commands: {', '.join(COMMANDS)}")
    build_parser(only=args.topic).parse_args([args.topic, "--help"])
    return 0
