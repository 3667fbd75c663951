"""`pyshim install [REQUEST|ARCHIVE ...] [--list] [--force] [--sha256 HEX] [--quiet]`.

Command edge of `pyshim.install`: the requests (or archive paths) go to `install.batch`, the
one code path installs on demand (`install.on_demand`) take too. With no argument: what the
current selection names and is not installed, as `pyenv install` does with a `.python-version`.
`--list` prints what the downloads catalog has for this platform.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import List

from pyshim.base.errors import UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("requests", nargs="*", metavar="REQUEST|ARCHIVE",
                        help="3.12, 3.12.8, 3.13t, pypy3.10, >=3.11, or the path of an archive; "
                             "none: what the current selection names")
    parser.add_argument("--list", action="store_true", help="list what can be installed here (newest first)")
    parser.add_argument("--force", action="store_true", help="install again even if it is installed")
    parser.add_argument("--sha256", metavar="HEX", help="the checksum an ARCHIVE must have")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")


def run(args: argparse.Namespace) -> int:
    from pyshim.install.batch import Options, install_all, is_archive

    if args.list:
        return _list(args)
    if args.sha256 and not (len(args.requests) == 1 and is_archive(args.requests[0])):
        raise UsageError("--sha256 checks one ARCHIVE: `pyshim install ./cpython.tar.gz --sha256 HEX`")
    requests = list(args.requests) or _selection_names()
    if not requests:
        print("pyshim install: everything the selection names is installed", file=sys.stderr)
        return 0
    failures = install_all(requests, Options(force=args.force, quiet=args.quiet, sha256=args.sha256))
    for message in failures:
        print(f"pyshim: {message}", file=sys.stderr)
    return 1 if failures else 0


def _selection_names() -> List[str]:
    """The selected versions that no installed interpreter matches (`pyshim install` with no
    argument, as `pyenv install` reads a `.python-version`)."""
    from pyshim.interpreters.discovery import find_interpreters
    from pyshim.install.on_demand import missing
    from pyshim.selection.select import select

    return [request.raw for request in missing(select().requests, find_interpreters().interpreters)]


def _list(args: argparse.Namespace) -> int:
    from pyshim.base import paths
    from pyshim.install import catalog
    from pyshim.selection.request import parse_request

    builds = catalog.for_platform(catalog.load())
    if args.requests:
        request = parse_request(args.requests[0], "the command line", allow_path=False)
        builds = [build for build in builds if catalog.matches(request, build)]
    builds.sort(key=lambda b: (b.release, not b.prerelease, b.prerelease, b.build), reverse=True)
    seen = set()
    for build in builds:
        if build.folder_name in seen:
            continue
        seen.add(build.folder_name)
        mark = "*" if os.path.isdir(os.path.join(paths.versions_dir(), build.folder_name)) else " "
        print(f"{mark} {build.folder_name:<20} {build.implementation:<8} {build.version:<12} {build.build}")
    if not seen:
        print("pyshim: no build here matches that; see `pyshim install --list`", file=sys.stderr)
        return 1
    return 0
