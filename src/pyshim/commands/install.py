"""`pyshim install [REQUEST|ARCHIVE ...] [--list] [--force] [--sha256 HEX] [--quiet]`.

Command edge of `pyshim.install`: for each request, the best build for this platform from the
downloads catalog (`install.catalog`), fetched and checked (`install.fetch`), unpacked and put
in place (`install.place`); several installs run in parallel. An archive path installs that
archive (`--sha256` checks it first). With no argument: what the current selection names and is
not installed, as `pyenv install` does with a `.python-version`. The shims are made current after.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import List, Optional, Sequence

from pyshim.errors import InstallError, PyshimError, UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("requests", nargs="*", metavar="REQUEST|ARCHIVE",
                        help="3.12, 3.12.8, 3.13t, pypy3.10, >=3.11, or the path of an archive; "
                             "none: what the current selection names")
    parser.add_argument("--list", action="store_true", help="list what can be installed here (newest first)")
    parser.add_argument("--force", action="store_true", help="install again even if it is installed")
    parser.add_argument("--sha256", metavar="HEX", help="the checksum an ARCHIVE must have")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")


def _is_archive(text: str) -> bool:
    from pyshim.install.catalog import ARCHIVE_SUFFIXES

    return text.endswith(ARCHIVE_SUFFIXES) and (os.sep in text or os.path.exists(text))


def run(args: argparse.Namespace) -> int:
    from pyshim.install import catalog

    if args.list:
        return _list(args)
    if args.sha256 and not (len(args.requests) == 1 and _is_archive(args.requests[0])):
        raise UsageError("--sha256 checks one ARCHIVE: `pyshim install ./cpython.tar.gz --sha256 HEX`")
    requests = list(args.requests) or _selection_names()
    if not requests:
        print("pyshim install: everything the selection names is installed", file=sys.stderr)
        return 0
    builds = [] if all(_is_archive(text) for text in requests) else catalog.for_platform(catalog.load())
    jobs = [_job(text, builds, args) for text in requests]
    single = len(jobs) == 1
    with ThreadPoolExecutor(max_workers=min(4, len(jobs))) as pool:
        results = list(pool.map(lambda job: _run_job(job, args, single), jobs))
    failures = [message for message in results if message]
    for message in failures:
        print(f"pyshim: {message}", file=sys.stderr)
    from pyshim.commands._common import keep_shims_current

    keep_shims_current()
    return 1 if failures else 0


def _selection_names() -> List[str]:
    """The selected names that no installed interpreter matches (`pyshim install` with no argument)."""
    from pyshim.discovery import find_interpreters
    from pyshim.resolve import find_interpreter
    from pyshim.selection import select

    selection = select()
    found = find_interpreters().interpreters
    return [request.raw for request in selection.requests
            if request.kind.value in ("version", "specifier") and find_interpreter(request, found) is None]


def _job(text: str, builds: Sequence, args: argparse.Namespace):
    from pyshim.install import catalog
    from pyshim.request import parse_request

    if _is_archive(text):
        return ("archive", Path(text).resolve(), None)
    request = parse_request(text, "the command line", allow_path=False)
    build = catalog.best(request, list(builds))
    if build is None:
        where = "-".join(catalog.this_platform())
        same_major = sorted((b for b in builds if b.release[:1] == (request.release or (0,))[:1]),
                            key=lambda b: b.release, reverse=True)
        near = list(dict.fromkeys(b.version for b in same_major))[:5]
        return ("error", f"no build matches {text!r} for {where}" + (f"; there are {', '.join(near)}" if near else "")
                + "; see `pyshim install --list`", None)
    return ("build", build, request)


def _run_job(job, args: argparse.Namespace, single: bool) -> Optional[str]:
    """Install one job; None when it worked, else the error line."""
    from pyshim import paths
    from pyshim.install import fetch, place

    kind, what, _ = job
    if kind == "error":
        return what
    started = time.monotonic()
    try:
        if kind == "archive":
            if args.sha256 and fetch.file_sha256(what) != args.sha256.lower():
                raise InstallError(f"{what} does not have the SHA-256 {args.sha256}; not installed")
            result = place.place(what, None, None, force=args.force)
        else:
            build = what
            url = fetch.mirrored(build.url)
            archive_name = url.rsplit("/", 1)[-1].split("?")[0] or f"{build.key}.tar.gz"
            target = paths.cache_dir() / "downloads" / f"{build.sha256[:16]}-{archive_name}"
            if (paths.versions_dir() / build.folder_name).exists() and not args.force:
                result = place.Installed(build.folder_name, paths.versions_dir() / build.folder_name, build.version, True)
            else:
                if not args.quiet and not single:
                    print(f"downloading {build.folder_name} from {url}", file=sys.stderr)
                fetch.download(url, build.sha256, target, fetch.progress_printer(build.folder_name, args.quiet or not single))
                result = place.place(target, build.folder_name, build.version, force=args.force)
    except PyshimError as error:
        return error.message
    except OSError as error:
        return f"installing {what} failed: {error.strerror or error} ({getattr(error, 'filename', '') or ''})"
    if not args.quiet:
        if result.already:
            print(f"{result.name} is already installed in {result.folder} (--force installs it again)")
        else:
            print(f"installed {result.name} (Python {result.version}) in {result.folder} "
                  f"({time.monotonic() - started:.1f} s)")
    return None


def _list(args: argparse.Namespace) -> int:
    from pyshim import paths
    from pyshim.install import catalog
    from pyshim.request import parse_request

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
        mark = "*" if (paths.versions_dir() / build.folder_name).is_dir() else " "
        print(f"{mark} {build.folder_name:<20} {build.implementation:<8} {build.version:<12} {build.build}")
    if not seen:
        print("pyshim: no build here matches that; see `pyshim install --list`", file=sys.stderr)
        return 1
    return 0
