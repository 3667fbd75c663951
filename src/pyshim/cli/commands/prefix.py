"""`pyshim prefix [NAME]`: the prefix (sys.prefix) of the selected or named interpreter.

Without NAME, the sh front-end answers it when it can (`shims.front_end`); before any shims
exist, this command keeps the front-end's copy in the cache current for the next call."""

from __future__ import annotations


from pyshim.base.arguments import Arg, Namespace, POSITIONAL
from pyshim.cli.commands._common import interpreters
from pyshim.shims import cached_front_end
from pyshim.selection.request import parse_request
from pyshim.interpreters.resolve import find_interpreter, not_installed, resolve_selection, versions_not_installed
from pyshim.selection.select import select

ARGUMENTS = (Arg(("name",), POSITIONAL, nargs="?", metavar="NAME"),)


def run(args: Namespace) -> int:
    if args.name:
        request = parse_request(args.name)
        found = interpreters(args, [request])
        info = find_interpreter(request, found)
        if info is None:
            raise not_installed(request, "the command line", found)
        print(info.prefix)
        return 0
    selection = select()
    found = interpreters(args, selection.requests)
    resolved = resolve_selection(selection, found)
    if resolved.missing:  # as pyenv's `prefix`: every selected version must be installed
        raise versions_not_installed(resolved.missing, resolved.selection.origin_text, found)
    for info in resolved.interpreters:
        print(info.prefix)
    cached_front_end.keep_current()  # before any shims: the next call is the front-end's
    return 0
