"""`pyshim rehash`: rewrite the shims folder (one shim per command, the index they read)."""

from __future__ import annotations

import argparse

from pyshim.commands._common import interpreters
from pyshim.shims import rehash


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quiet", "-q", action="store_true", help="print nothing unless something fails")


def run(args: argparse.Namespace) -> int:
    result = rehash(interpreters(args))
    if not args.quiet:
        changes = ""
        if result.added or result.removed:
            changes = f" (+{len(result.added)} new, -{len(result.removed)} removed)"
        print(f"{len(result.commands)} shims in {result.shims_dir}{changes}")
    return 0
