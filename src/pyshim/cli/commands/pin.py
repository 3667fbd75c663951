"""Shared body of `pyshim local` and `pyshim global`: show, set or unset a version file.

Each command passes the file it writes and a `Shown` function for what it prints without
names; as pyenv, `local` shows the nearest file up the tree and `global` falls back to pyenv's
global file, so what is shown is what selection uses.
"""

from __future__ import annotations

import os
import sys

from pyshim.base.arguments import Arg, Namespace, POSITIONAL
from pyshim.base.errors import PyshimError
from pyshim.selection.version_file import read_version_file, write_version_file

TYPE_CHECKING = False  # typing stays unimported at run time (see pyshim.base.record)
if TYPE_CHECKING:
    from pyshim.interpreters.pyinfo import PythonInfo

Shown = "Callable[[], str | None]"  # the version file to show, or None for "none is set"

ARGUMENTS = (
    Arg(("names",), POSITIONAL, nargs="*", metavar="NAME", help="versions or venv names, in search order"),
    Arg(("--unset",), help="remove the version file"),
    Arg(("-f", "--force"), help="write names that are not installed"),
)


def show_set_or_unset(args: Namespace, path: str, what: str, shown: Shown,
                      when_missing: Callable[[], int]) -> int:
    """`--unset` removes `path`, names are written to it, no names print what `shown` finds
    (else `when_missing` answers)."""
    if args.unset:
        if args.names:
            raise PyshimError(f"give either names or --unset, not both: `pyshim {what} --unset`")
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        return 0
    if not args.names:
        file = shown()
        if file is None:
            return when_missing()
        for name in read_version_file(file):
            print(name)
        return 0
    return _write(args, path)


def _write(args: Namespace, path: str) -> int:
    """Write the names, each installed (unless --force), and keep the shims current. Only here
    is discovery needed: showing a version file imports none of it."""
    from pyshim.cli.commands._common import interpreters, keep_shims_current
    from pyshim.selection.request import parse_request
    from pyshim.interpreters.resolve import find_interpreter, not_installed

    requests = [parse_request(name, "the command line", allow_path=False) for name in args.names]
    found = interpreters(args, requests)
    if not args.force:
        if os.environ.get("PYSHIM_AUTO_INSTALL"):
            from pyshim.install.on_demand import install_missing

            found = install_missing(requests, found, "the command line")
        for request in requests:
            if find_interpreter(request, found) is None:
                raise not_installed(request, "the command line", found, fix="or add --force to write it anyway")
    write_version_file(path, [request.raw for request in requests])
    keep_shims_current()  # `found` may be managed interpreters only: a rehash finds all itself
    _note_active_venv(requests, found)
    return 0


def existing_file(path: str) -> "str | None":
    """`path` when it is a file (unreadable folders on the way count as no file)."""
    return path if os.path.isfile(path) else None


def _note_active_venv(requests: "list", found: "Sequence[PythonInfo]") -> None:
    """One line when an active venv will keep deciding what `python` runs (`active_venv`)."""
    from pyshim.interpreters.active_venv import active_venv, disagreement
    from pyshim.interpreters.resolve import find_interpreter

    venv = active_venv()
    first = find_interpreter(requests[0], found) if requests and venv else None
    note = disagreement(venv, first) if venv and first else None
    if note:
        print(f"pyshim: note: {note}", file=sys.stderr)
