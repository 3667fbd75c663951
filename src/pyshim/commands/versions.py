"""`pyshim versions [--json]`: every interpreter found, its source, `*` on the active ones."""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from pyshim.commands._common import interpreters, keep_shims_current, print_json
from pyshim.errors import PyshimError
from pyshim.pyinfo import PythonInfo
from pyshim.resolve import resolve_selection
from pyshim.selection import select


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print a JSON list")


def run(args: argparse.Namespace) -> int:
    found = interpreters(args)
    active_paths: set = set()
    origin = ""
    try:
        resolved = resolve_selection(select(), found)
        active_paths = {info.executable for info in resolved.interpreters}
        origin = resolved.selection.origin_text
    except PyshimError as error:
        print(f"pyshim: warning: {error.message}", file=sys.stderr)
    keep_shims_current(found)
    if args.json:
        print_json([dict(info.to_json(), active=info.executable in active_paths) for info in found])
        return 0
    width = name_width(found)
    for info in found:
        active = info.executable in active_paths
        print(listing_line(info, active, width, origin))
    return 0


def name_width(found: Sequence[PythonInfo]) -> int:
    """The width of the name column of the listing."""
    return max([len(info.name) for info in found if not info.is_system] + [6])


def listing_row(info: PythonInfo, active: bool, width: int) -> str:
    """One row of the listing without its "(set by ...)" suffix (the shims' index stores these too)."""
    marker = "*" if active else " "
    label = f"{info.implementation_label} {info.version}" + (" (free-threaded)" if info.freethreaded else "")
    name = info.name if not info.is_system else "system" if active else ""
    return f"{marker} {name:<{width}}  {label:<24} {info.source.value:<11} {info.executable}"


def listing_line(info: PythonInfo, active: bool, width: int, origin: str) -> str:
    """The line `pyshim versions` prints for `info`; an active one ends with what set it."""
    line = listing_row(info, active, width)
    if active:
        line += f"  (set by {origin})"
    return line.rstrip()
