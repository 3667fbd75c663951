"""`pyshim root`: print pyshim's root folder (PYSHIM_ROOT overrides)."""

from __future__ import annotations


from pyshim.base import paths
from pyshim.base.arguments import Arg, Namespace

ARGUMENTS = (Arg(("--cache",), help="print the cache folder instead"),)


def run(args: Namespace) -> int:
    print(paths.cache_dir() if args.cache else paths.root())
    return 0
