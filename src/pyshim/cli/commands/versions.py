"""`pyshim versions [--bare] [--skip-aliases] [--skip-envs] [--json]`: every interpreter, `*` on the active ones.

As `pyenv versions`: pyenv's linked versions are entries of their own (`2.7 --> 2.7.18` in the
long form), `--bare` prints only the names (no `system`), `--skip-aliases` leaves out links to
other versions or venvs in pyenv's folder, `--skip-envs` pyenv-virtualenv's venvs, and with no
Python anywhere it says so and exits 1.
"""

from __future__ import annotations

import os
import sys

from pyshim.cli.arguments import Arg, Namespace
from pyshim.cli.commands._common import in_name_order, interpreters, keep_shims_current, print_json
from pyshim.base.errors import PyshimError, VersionNotInstalled
from pyshim.interpreters.pyinfo import PythonInfo, Source
from pyshim.interpreters.resolve import resolve_selection
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


def _pyenv_entry(info: PythonInfo) -> "str | None":
    """The folder entry of a pyenv version or venv (`$PYENV_ROOT/versions/NAME`), else None."""
    if info.source != Source.PYENV:
        return None
    from pyshim.base import paths

    return os.path.join(paths.pyenv_root(), "versions", info.name)


def is_pyenv_alias(info: PythonInfo) -> bool:
    """Whether `info` is one of pyenv's links to another version or venv in its folder."""
    from pyshim.interpreters.discovery.sources import is_alias

    entry = _pyenv_entry(info)
    return entry is not None and is_alias(entry, os.path.dirname(entry))


def display_name(info: PythonInfo) -> str:
    """The name column: the name, and for a pyenv link what it points to (`2.7 --> 2.7.18`)."""
    from pyshim.interpreters.discovery.sources import link_text

    entry = _pyenv_entry(info)
    target = link_text(entry) if entry is not None else None
    return f"{info.name} --> {target}" if target else info.name


def name_width(found: Sequence[PythonInfo]) -> int:
    """The width of the name column of the listing."""
    return max([len(display_name(info)) for info in found if not info.is_system] + [6])


def listing_row(info: PythonInfo, active: bool, width: int) -> str:
    """One row of the listing without its "(set by ...)" suffix (the shims' index stores these too)."""
    marker = "*" if active else " "
    label = f"{info.implementation_label} {info.version}" + (" (free-threaded)" if info.freethreaded else "")
    name = display_name(info) if not info.is_system else "system" if active else ""
    return f"{marker} {name:<{width}}  {label:<24} {info.source:<11} {info.executable}"


def listing_line(info: PythonInfo, active: bool, width: int, origin: str) -> str:
    """The line `pyshim versions` prints for `info`; an active one ends with what set it."""
    line = listing_row(info, active, width)
    if active:
        line += f"  (set by {origin})"
    return line.rstrip()
