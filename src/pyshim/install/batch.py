"""Installing several requests at once: the one code path of `pyshim install` and of installs
on demand (`pyshim.install.on_demand`).

For each request, the best build for this platform from the downloads catalog (`catalog`),
fetched and checked (`fetch`), unpacked and put in place (`place`); an archive path installs
that archive (`--sha256` checks it first). One install runs in this process (its unpacking
in two threads, see `unpack`); several run in parallel, the first here and each other one in a
Python process of its own, because the tar parsing between one file write and the next holds
the GIL and three installs in threads of one process were measured slower than three
processes. A child starts without `site` (`-I -S`, this process's `sys.path` handed over) and
imports only what an install needs. The shims are made current after, here. What it says goes to `out` (stdout for `pyshim install`; stderr for an install on
demand, whose stdout belongs to the command that asked); a progress bar only on a terminal.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any, Dict, List, NamedTuple, Optional, Sequence, Tuple

from pyshim.base.errors import InstallError, PyshimError
from pyshim.install.catalog import Build


class Options(NamedTuple):
    force: bool = False
    quiet: bool = False
    sha256: Optional[str] = None  # the checksum the one ARCHIVE must have


class Job(NamedTuple):
    """One thing to install: a local archive, a build from the catalog, or why there is none."""

    text: str
    archive: Optional[Path] = None
    build: Optional[Build] = None
    error: str = ""


def is_archive(text: str) -> bool:
    from pyshim.install.catalog import ARCHIVE_SUFFIXES

    return text.endswith(ARCHIVE_SUFFIXES) and (os.sep in text or os.path.exists(text))


def install_all(texts: Sequence[str], options: Options = Options(), out: Optional[IO[str]] = None,
                discover_meanwhile: bool = True) -> List[str]:
    """Install every request or archive in `texts`; the error line of each that failed.

    With `discover_meanwhile`, discovery runs in a thread while the installs download and
    unpack, so the interpreters already there are probed (and cached) by the time the shims are
    rewritten; the new ones are cached by `place` itself."""
    from pyshim.base import paths
    from pyshim.install import catalog, place

    place.sweep_leftovers(Path(paths.versions_dir()))  # what a killed install left, whatever this one finds
    discovery = threading.Thread(target=_discover, daemon=True) if discover_meanwhile else None
    if discovery is not None:
        discovery.start()
    builds = [] if all(is_archive(text) for text in texts) else catalog.for_platform(catalog.load())
    jobs = [_job(text, builds) for text in texts]
    single = len(jobs) == 1
    if single:
        results = [_run_job(jobs[0], options, True)]
    else:  # a process each but the first: the tar parsing holds the GIL (see module docstring)
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=min(3, len(jobs) - 1)) as pool:
            others = pool.map(lambda job: _run_in_child(job, options), jobs[1:])
            results = [_run_job(jobs[0], options, False), *others]
    for _, said in results:
        if said:
            print(said, file=out or sys.stdout)
    failures = [message for message, _ in results if message]
    if discovery is not None:
        discovery.join()
    from pyshim.shims.rehash import keep_current

    keep_current()
    return failures


# The child: `python -I -S -c CHILD`, its job and the parent's sys.path on stdin, its result on
# stdout (JSON).
CHILD = ("import json, sys; request = json.loads(sys.stdin.read()); sys.path[:] = request['path']; "
         "from pyshim.install.batch import child_main; sys.exit(child_main(request))")


def _run_in_child(job: Job, options: Options) -> Tuple[Optional[str], str]:
    """`_run_job` in a Python process of its own (the same interpreter, this pyshim), started
    directly rather than by multiprocessing, which would run the `pyshim` script again."""
    import json
    import subprocess

    if job.error:
        return job.error, ""
    request = {"text": job.text, "archive": str(job.archive) if job.archive else None,
               "build": list(job.build) if job.build else None, "options": list(options), "path": sys.path}
    done = subprocess.run([sys.executable, "-I", "-S", "-c", CHILD], input=json.dumps(request),
                          stdout=subprocess.PIPE, text=True)
    try:
        error, said = json.loads(done.stdout)
        return error, said
    except (ValueError, TypeError):
        return f"installing {job.text} failed: its process ended with status {done.returncode}", ""


def child_main(request: Dict[str, Any]) -> int:
    """The child's side of `_run_in_child`: `request` is what the parent wrote on stdin."""
    import json

    build = request["build"]
    job = Job(request["text"], Path(request["archive"]) if request["archive"] else None,
              Build(*[tuple(field) if isinstance(field, list) else field for field in build]) if build else None)
    try:
        result = _run_job(job, Options(*request["options"]), False)
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group; the parent reports it
        return 130
    print(json.dumps(list(result)))
    return 0


def _discover() -> None:
    from pyshim.interpreters.discovery import find_interpreters

    try:
        find_interpreters()
    except (PyshimError, OSError):
        pass  # the rehash after the installs discovers again, and reports what is wrong


def _job(text: str, builds: Sequence[Build]) -> Job:
    from pyshim.install import catalog
    from pyshim.selection.request import parse_request

    if is_archive(text):
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


def _run_job(job: Job, options: Options, single: bool) -> Tuple[Optional[str], str]:
    """Install one job: (None, what to say) when it worked, else (the error line, '')."""
    if job.error:
        return job.error, ""
    started = time.monotonic()
    try:
        result = _install_archive(job.archive, options) if job.archive else _install_build(job.build, options, single)
    except PyshimError as error:
        return error.message, ""
    except OSError as error:
        return f"installing {job.text} failed: {error.strerror or error} ({getattr(error, 'filename', '') or ''})", ""
    if options.quiet:
        return None, ""
    if result.already:
        return None, f"{result.name} is already installed in {result.folder} (--force installs it again)"
    return None, (f"installed {result.name} (Python {result.version}) in {result.folder} "
                  f"({time.monotonic() - started:.1f} s)")


def _install_archive(archive: Path, options: Options):
    from pyshim.install import fetch, place

    if options.sha256 and fetch.file_sha256(archive) != options.sha256.lower():
        raise InstallError(f"{archive} does not have the SHA-256 {options.sha256}; not installed")
    return place.place(archive, None, None, force=options.force, verified=bool(options.sha256))


def _install_build(build: Build, options: Options, single: bool):
    """Download (into the cache, kept for the next install), check, and put in place."""
    from pyshim.base import paths
    from pyshim.install import fetch, place

    final = Path(paths.versions_dir()) / build.folder_name
    if final.exists() and not options.force:
        return place.Installed(build.folder_name, final, build.version, True)
    url = fetch.mirrored(build.url)
    archive_name = url.rsplit("/", 1)[-1].split("?")[0] or f"{build.key}.tar.gz"
    target = Path(paths.cache_dir()) / "downloads" / f"{build.sha256[:16]}-{archive_name}"
    if not options.quiet and not single:
        print(f"downloading {build.folder_name} from {url}", file=sys.stderr)
    fetch.download(url, build.sha256, target, fetch.progress_printer(build.folder_name, options.quiet or not single))
    return place.place(target, build.folder_name, build.version, force=options.force, verified=True)
