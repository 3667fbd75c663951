"""`pyshim rehash`: rewrite the shims folder (one shim per command, the index they read).

`pyshim rehash --command CMD` is what the shells' command-not-found handlers (`pyshim init`)
run: it rewrites the shims only when some version's bin folder has CMD (a console script pip
installed without going through a shim), and exits 127 when none has it, so a typo costs one
look at the bin folders and writes nothing.
"""

from __future__ import annotations

import os

from pyshim.base.arguments import Arg, Namespace, VALUE
from pyshim.cli.commands._common import interpreters
from pyshim.base.errors import CommandNotFound
from pyshim.shims.rehash import rehash, shim_commands

# a table, read without argparse: every mistyped command in a shell set up by `pyshim init` runs
# `pyshim rehash --command CMD`, and so does every `pip install` through a shim (`--quiet`)
ARGUMENTS = (
    Arg(("--quiet", "-q"), dest="quiet", help="print nothing unless something fails"),
    Arg(("--command",), VALUE, dest="for_command", metavar="CMD",
        help="only if some version has CMD (exit 127 when none has it); for the shells' command-not-found handlers"),
)


def run(args: Namespace) -> int:
    found = interpreters(args)
    if args.for_command is not None and args.for_command not in shim_commands(found, windows=os.name == "nt"):
        raise CommandNotFound(f"{args.for_command}: command not found (no installed version has it)")
    result = rehash(found)
    if not args.quiet:
        changes = ""
        if result.added or result.removed:
            changes = f" (+{len(result.added)} new, -{len(result.removed)} removed)"
        print(f"{len(result.commands)} shims in {result.shims_dir}{changes}")
    return 0
