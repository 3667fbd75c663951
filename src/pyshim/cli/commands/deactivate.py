"""`pyshim deactivate`: only works through the `pyshim` shell function that `pyshim init` defines."""

from __future__ import annotations

import argparse
import os

from pyshim.shell import ShellError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from pyshim.shell import init_line

    rc_file, line = init_line(os.environ)
    raise ShellError(f"a program cannot change its shell; add `{line}` to {rc_file} "
                     "(see `pyshim init`), or type `deactivate`")
