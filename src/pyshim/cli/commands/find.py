"""`pyshim find REQUEST`: print the interpreter a request selects (any accepted form)."""

from __future__ import annotations


from pyshim.base.arguments import Arg, Namespace, POSITIONAL
from pyshim.cli.commands._common import interpreters, print_json
from pyshim.selection.request import parse_request
from pyshim.interpreters.resolve import find_interpreter, not_installed

ARGUMENTS = (
    Arg(("request",), POSITIONAL, metavar="REQUEST", help="3.11, 3.13t, pypy3.10, '>=3.10,<3.12', a path, a name"),
    Arg(("--json",), help="print everything known about it as JSON"),
)


def run(args: Namespace) -> int:
    request = parse_request(args.request)
    found = interpreters(args, [request])
    info = find_interpreter(request, found)
    if info is None:
        raise not_installed(request, "the command line", found)
    if args.json:
        print_json(info.to_json())
    else:
        print(info.executable)
    return 0
