"""`pyshim which CMD`: the file CMD runs in the current directory (exit 127 if none)."""

from __future__ import annotations


from pyshim.base.arguments import Arg, Namespace, POSITIONAL
from pyshim.cli.commands._common import interpreters
from pyshim.interpreters.resolve import resolve_selection, which
from pyshim.selection.select import select

ARGUMENTS = (Arg(("command_name",), POSITIONAL, metavar="CMD"),)


def run(args: Namespace) -> int:
    found = interpreters(args)
    path, _ = which(args.command_name, resolve_selection(select(), found), found)
    print(path)
    return 0
