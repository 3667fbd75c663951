"""Helpers shared by the command modules: discovery with `--verbose` reporting, JSON output."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Sequence

from pyshim.discovery import find_interpreters
from pyshim.pyinfo import PythonInfo


def interpreters(args: argparse.Namespace) -> Sequence[PythonInfo]:
    """Every interpreter found; under --verbose, one stderr line per skipped candidate."""
    found = find_interpreters()
    if getattr(args, "verbose", False):
        for entry in found.skipped_path_entries:
            print(f"pyshim: skipped PATH entry {entry!r}: it is relative to the current folder; "
                  "only absolute PATH entries are searched", file=sys.stderr)
        for failure in found.failures:
            print(f"pyshim: skipped {failure.candidate.executable}: {failure.reason}", file=sys.stderr)
    return found.interpreters


def keep_shims_current(found: "Sequence[PythonInfo] | None" = None) -> None:
    """Rehash if the shims are missing or out of date (`shims.ensure_current`); a failure is a
    warning line, never the command's failure."""
    from pyshim.shims import ensure_current

    warning = ensure_current(found)
    if warning:
        print(f"pyshim: warning: {warning}", file=sys.stderr)


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2)
    sys.stdout.write("\n")
