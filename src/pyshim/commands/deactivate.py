"""`pyshim deactivate`: only works through the `pyshim` shell function that `pyshim init` defines."""

from __future__ import annotations

import argparse

from pyshim.shell import ShellError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    raise ShellError("pyshim deactivate: a program cannot change its shell; add `eval \"$(pyshim init bash)\"` "
                     "(see `pyshim init`) to your shell's start-up file, or type `deactivate`")
