"""Helpers shared by the command modules: discovery with `--verbose` reporting, JSON output."""

from __future__ import annotations

import sys

from pyshim.interpreters.discovery import find_interpreters, find_interpreters_for
from pyshim.interpreters.pyinfo import PythonInfo, Source


def interpreters(args: "Namespace", requests: "Sequence[PythonRequest] | None" = None) -> "Sequence[PythonInfo]":
    """Every interpreter found (with `requests`, enough of them to answer those: see
    `discovery.find_interpreters_for`); under --verbose, one stderr line per skipped candidate."""
    found = find_interpreters() if requests is None else find_interpreters_for(requests)
    if getattr(args, "verbose", False):
        for entry in found.skipped_path_entries:
            print(f"pyshim: skipped PATH entry {entry!r}: it is relative to the current folder; "
                  "only absolute PATH entries are searched", file=sys.stderr)
        for failure in found.failures:
            print(f"pyshim: skipped {failure.candidate.executable}: {failure.reason}", file=sys.stderr)
    return found.interpreters


def keep_shims_current(found: "Sequence[PythonInfo] | None" = None) -> None:
    """`shims.rehash.keep_current`, imported only when a command gets this far."""
    from pyshim.shims.rehash import keep_current

    keep_current(found)


def print_json(value: Any) -> None:
    import json

    json.dump(value, sys.stdout, indent=2)
    sys.stdout.write("\n")


def in_name_order(found: Sequence[PythonInfo]) -> List[PythonInfo]:
    """Named interpreters (not PATH or system ones), each source's in version order of their
    names, as `pyenv versions --bare` and `pyenv whence` list them (`2.7` before `2.7.18`)."""
    from pyshim.interpreters.discovery.sources import version_sort_key

    sources = Source.ORDER
    named = [info for info in found if not info.is_system]
    return sorted(named, key=lambda info: (sources.index(info.source), version_sort_key(info.name)))
