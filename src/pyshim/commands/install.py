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
from typing import List, NamedTuple, Optional, Sequence

from pyshim.errors import InstallError, PyshimError, UsageError
from pyshim.install.catalog import Build


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
    jobs = [_job(text, builds) for text in requests]
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
            if request.kind in ("version", "specifier") and find_interpreter(request, found) is None]


class Job(NamedTuple):
    """One thing to install: a local archive, a build from the catalog, or why there is none."""

    text: str
    archive: Optional[Path] = None
    build: Optional[Build] = None
    error: str = ""


def _job(text: str, builds: Sequence[Build]) -> Job:
    from pyshim.install import catalog
    from pyshim.request import parse_request

    if _is_archive(text):
        return Job(text, archive=Path(text).resolve())
    request = parse_request(text, "the command line", allow_path=False)
    build = catalog.best(request, list(builds))
    if build is not None:
        return Job(text, build=build)
    same_major = sorted((b for b in builds if b.release[:1] == (request.release or (0,))[:1]),
                        key=lambda b: b.release, reverse=True)
    near = list(dict.fromkeys(b.version for b in same_major))[:5]
    return Job(text, error=f"no build matches {text!r} for {'-'.join(catalog.this_platform())}"
               + (f"; there are {', '.join(near)}" if near else "") + "; see `pyshim install --list`")


def _run_job(job: Job, args: argparse.Namespace, single: bool) -> Optional[str]:
    """Install one job and say so; None when it worked, else the error line."""
    if job.error:
        return job.error
    started = time.monotonic()
    try:
        result = _install_archive(job.archive, args) if job.archive else _install_build(job.build, args, single)
    except PyshimError as error:
        return error.message
    except OSError as error:
        return f"installing {job.text} failed: {error.strerror or error} ({getattr(error, 'filename', '') or ''})"
    if not args.quiet:
        if result.already:
            print(f"{result.name} is already installed in {result.folder} (--force installs it again)")
        else:
            print(f"installed {result.name} (Python {result.version}) in {result.folder} "
                  f"({time.monotonic() - started:.1f} s)")
    return None


def _install_archive(archive: Path, args: argparse.Namespace):
    from pyshim.install import fetch, place

    if args.sha256 and fetch.file_sha256(archive) != args.sha256.lower():
        raise InstallError(f"{archive} does not have the SHA-256 {args.sha256}; not installed")
    return place.place(archive, None, None, force=args.force)


def _install_build(build: Build, args: argparse.Namespace, single: bool):
    """Download (into the cache, kept for the next install), check, and put in place."""
    from pyshim import paths
    from pyshim.install import fetch, place

    final = Path(paths.versions_dir()) / build.folder_name
    if final.exists() and not args.force:
        return place.Installed(build.folder_name, final, build.version, True)
    url = fetch.mirrored(build.url)
    archive_name = url.rsplit("/", 1)[-1].split("?")[0] or f"{build.key}.tar.gz"
    target = Path(paths.cache_dir()) / "downloads" / f"{build.sha256[:16]}-{archive_name}"
    if not args.quiet and not single:
        print(f"downloading {build.folder_name} from {url}", file=sys.stderr)
    fetch.download(url, build.sha256, target, fetch.progress_printer(build.folder_name, args.quiet or not single))
    return place.place(target, build.folder_name, build.version, force=args.force)


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
        mark = "*" if (Path(paths.versions_dir()) / build.folder_name).is_dir() else " "
        print(f"{mark} {build.folder_name:<20} {build.implementation:<8} {build.version:<12} {build.build}")
    if not seen:
        print("pyshim: no build here matches that; see `pyshim install --list`", file=sys.stderr)
        return 1
    return 0
