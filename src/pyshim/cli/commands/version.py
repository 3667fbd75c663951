"""`pyshim version [--bare]`: the active version(s) and what set them; an active venv first
(it decides what `python` runs), except with --bare, whose lines are the selection's names.

As pyenv's `version` and `version-name`: a selected version that is not installed gets a
warning on stderr, the installed ones are printed, and the exit status is then 1. While no shims
exist, it keeps the sh front-end's copy in the cache current (`shims.cached_front_end`), so the
next call is answered without the CLI."""

from __future__ import annotations

import sys

from pyshim.base.arguments import Arg, Namespace
from pyshim.cli.commands._common import interpreters
from pyshim.shims import cached_front_end
from pyshim.interpreters.resolve import resolve_selection
from pyshim.selection.select import select

TYPE_CHECKING = False  # typing stays unimported at run time (see pyshim.base.record)
if TYPE_CHECKING:
    from pyshim.interpreters.active_venv import ActiveVenv

ARGUMENTS = (Arg(("--bare",), help="print only the names, one per line"),)


def run(args: Namespace) -> int:
    selection = select()
    resolved = resolve_selection(selection, interpreters(args, selection.requests))
    for warning in resolved.missing_warnings():
        print(warning, file=sys.stderr)
    venv = None if args.bare else _active_venv()
    if venv is not None:  # its bin folder comes before the shims: it decides what `python` runs
        print(f"{venv.path} (active venv, Python {venv.version_text}, set by the VIRTUAL_ENV environment variable)")
    for request, info in zip(resolved.requests, resolved.interpreters):
        name = "system" if info.is_system else info.name
        if args.bare:
            print(name)
        elif request.raw != name:
            print(f"{name} (from '{request.raw}', set by {selection.origin_text})")
        else:
            print(f"{name} (set by {selection.origin_text})")
    cached_front_end.keep_current()  # before any shims: the next call is the front-end's
    return 1 if resolved.missing else 0


def _active_venv() -> "ActiveVenv | None":
    from pyshim.interpreters.active_venv import active_venv  # not for --bare, a prompt's call

    return active_venv()
