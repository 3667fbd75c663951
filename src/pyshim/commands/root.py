"""`pyshim root`: print pyshim's root folder (PYSHIM_ROOT overrides)."""

from __future__ import annotations

import argparse

from pyshim import paths


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cache", action="store_true", help="print the cache folder instead")


def run(args: argparse.Namespace) -> int:
    print(paths.cache_dir() if args.cache else paths.root())
    return 0
