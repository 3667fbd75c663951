"""`pyshim versions [--bare] [--skip-aliases] [--skip-envs] [--json]`: every interpreter, `*` on the active ones.

As `pyenv versions`: pyenv's linked versions are entries of their own (`2.7 --> 2.7.18` in the
long form), `--bare` prints only the names (no `system`), `--skip-aliases` leaves out links to
other versions or venvs in pyenv's folder, `--skip-envs` pyenv-virtualenv's venvs, and with no
Python anywhere it says so and exits 1.
"""

from __future__ import annotations

import sys

from pyshim.base.arguments import Arg, Namespace
from pyshim.cli.commands._common import in_name_order, interpreters, keep_shims_current, print_json
from pyshim.base.errors import PyshimError, VersionNotInstalled
from pyshim.interpreters.pyinfo import PythonInfo, Source
from pyshim.interpreters.resolve import resolve_selection
from pyshim.interpreters.listing import is_pyenv_alias, listing_line, name_width
from pyshim.selection.select import select

ARGUMENTS = (
    Arg(("--json",), help="print a JSON list"),
    Arg(("--bare",), help="print only the names, one per line, without system"),
    Arg(("--skip-aliases",), help="leave out pyenv's links to other versions and venvs (`2.7 -> 2.7.18`)"),
    Arg(("--skip-envs",), help="leave out pyenv-virtualenv's venvs (`3.12.1/envs/foo`)"),
)


def run(args: Namespace) -> int:
    found = interpreters(args)
    if not found:
        raise VersionNotInstalled("no Python found: none in pyshim's, pyenv's or uv's folders, conda, or on PATH; "
                                  "install one, e.g. `pyenv install 3.12` or `uv python install 3.12`")
    keep_shims_current(found)
    if args.skip_aliases:
        found = [info for info in found if not is_pyenv_alias(info)]
    if args.skip_envs:
        found = [info for info in found if not (info.source == Source.PYENV and "/envs/" in info.name)]
    if args.bare:
        print_bare(found)
        return 0
    active_paths: set = set()
    origin = ""
    try:
        resolved = resolve_selection(select(), found)
        active_paths = {info.executable for info in resolved.interpreters}
        origin = resolved.selection.origin_text
        for warning in resolved.missing_warnings():
            print(warning, file=sys.stderr)
    except PyshimError as error:
        print(f"pyshim: warning: {error.message}", file=sys.stderr)
    if args.json:
        print_json([dict(info.to_json(), active=info.executable in active_paths) for info in found])
        return 0
    width = name_width(found)
    for info in found:
        active = info.executable in active_paths
        print(listing_line(info, active, width, origin))
    return 0


def print_bare(found: Sequence[PythonInfo]) -> None:
    """The names people can type, one per line, each source's in version order (as pyenv's)."""
    for name in dict.fromkeys(info.name for info in in_name_order(found)):
        print(name)
