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
        for failure in found.failures:
            print(f"pyshim: skipped {failure.candidate.executable}: {failure.reason}", file=sys.stderr)
    return found.interpreters


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2)
    sys.stdout.write("\n")
