"""`pyshim which CMD`: the file CMD runs in the current directory (exit 127 if none)."""

from __future__ import annotations


from pyshim.arguments import Arg, Namespace, POSITIONAL
from pyshim.commands._common import interpreters
from pyshim.resolve import resolve_selection, which
from pyshim.selection import select

ARGUMENTS = (Arg(("command_name",), POSITIONAL, metavar="CMD"),)


def run(args: Namespace) -> int:
    found = interpreters(args)
    path, _ = which(args.command_name, resolve_selection(select(), found), found)
    print(path)
    return 0
