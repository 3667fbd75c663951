"""`pyshim shell [NAME ...] [--unset]`: the version(s) for this shell only (PYSHIM_VERSION).

A process cannot change its parent shell, so this command checks and prints; the `pyshim`
shell function from `pyshim init` exports what it prints (or unsets the variable).
"""

from __future__ import annotations

import argparse
import os

from pyshim.errors import UsageError, VersionNotInstalled
from pyshim.shell import ShellError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("names", nargs="*", metavar="NAME", help="version names or requests (3.12, pypy3.10, a venv name)")
    parser.add_argument("--unset", action="store_true", help="go back to the version the directory selects")


def run(args: argparse.Namespace) -> int:
    if args.unset:
        if args.names:
            raise UsageError("pyshim shell: give either NAME or --unset, not both")
        return 0
    if not args.names:
        value = os.environ.get("PYSHIM_VERSION", "")
        if not value:
            raise ShellError("pyshim shell: no shell version is set (PYSHIM_VERSION is empty); "
                             "set one with `pyshim shell 3.12`")
        print(value)
        return 0
    from pyshim.commands._common import interpreters
    from pyshim.request import parse_request
    from pyshim.resolve import find_interpreter

    found = interpreters(args)
    for name in args.names:
        request = parse_request(name, "pyshim shell")
        if find_interpreter(request, found) is None:
            raise VersionNotInstalled(f"pyshim shell: {name!r} is not installed; see `pyshim versions`")
    from pyshim.commands._common import keep_shims_current

    keep_shims_current(found)
    print(":".join(args.names))
    return 0
