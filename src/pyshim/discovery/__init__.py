"""Discovery: every interpreter on the machine, as `PythonInfo`s, probed once and cached.

Third step of the data flow. `find_interpreters()` lists candidates from every source in
`sources.ALL_SOURCES` (order matters: the first source to find a file names it), drops
duplicates, answers what it can from the cache, probes the rest in parallel and stores the new
answers. Candidates that fail are returned as `ProbeFailure`s, and relative PATH entries
(never searched, see `sources`) as `skipped_path_entries`; both are shown under `--verbose`.
"""

from __future__ import annotations

import os
from typing import Any, Dict, List, NamedTuple, Tuple, Union

from pyshim import cache
from pyshim.discovery import sources
from pyshim.pyinfo import (
    Candidate,
    ProbeFailure,
    PythonInfo,
    Source,
    check_not_a_shim,
    info_from_probe,
    run_probe,
    venv_config_beside,
)

FAILURE_KEY = "__probe_failure__"
MAX_PARALLEL_PROBES = 8


class Discovery(NamedTuple):
    interpreters: Tuple[PythonInfo, ...]
    failures: Tuple[ProbeFailure, ...]
    skipped_path_entries: Tuple[str, ...] = ()


def _is_venv_executable(executable: str) -> bool:
    return os.path.exists(venv_config_beside(executable))


def list_candidates() -> List[Candidate]:
    """Candidates from every source, each interpreter once.

    Two names for one file (python3 -> python3.11) are one interpreter; inside a venv, the file is
    shared with the base interpreter, so there the venv's own folder is part of what counts.
    """
    seen = set()
    found: List[Candidate] = []
    for source in sources.ALL_SOURCES:
        for candidate in source():
            real = os.path.realpath(candidate.executable)
            venv_dir = os.path.dirname(os.path.dirname(candidate.executable))
            key = (os.path.realpath(venv_dir), real) if _is_venv_executable(candidate.executable) else ("", real)
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


def _probe_one(candidate: Candidate) -> Tuple[Candidate, Union[Dict[str, Any], ProbeFailure]]:
    return candidate, run_probe(candidate)


def _as_info(candidate: Candidate, data: Dict[str, Any], real: str) -> Union[PythonInfo, ProbeFailure]:
    if FAILURE_KEY in data:
        return ProbeFailure(candidate, str(data[FAILURE_KEY]))
    shim = check_not_a_shim(data, candidate, real)
    if shim is not None:
        return shim
    try:
        return info_from_probe(data, candidate, real)
    except (KeyError, TypeError, ValueError):
        return ProbeFailure(candidate, "probe answer is missing fields")


def find_interpreters() -> Discovery:
    """Every interpreter found, in source order, plus every candidate that failed and why."""
    candidates = list_candidates()
    entries = cache.load()
    results: Dict[Candidate, Union[PythonInfo, ProbeFailure]] = {}
    prints = {c: cache.fingerprint(c.executable) for c in candidates}
    to_probe = []
    for candidate in candidates:
        print_ = prints[candidate]
        if print_ is None:
            continue
        data = cache.lookup(entries, candidate.executable, print_)
        if data is None:
            to_probe.append(candidate)
        else:
            results[candidate] = _as_info(candidate, data, print_[0])
    if to_probe:
        from concurrent.futures import ThreadPoolExecutor

        new_entries = []
        with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL_PROBES, len(to_probe))) as pool:
            for candidate, answer in pool.map(_probe_one, to_probe):
                print_ = prints[candidate]
                data = {FAILURE_KEY: answer.reason} if isinstance(answer, ProbeFailure) else answer
                new_entries.append((candidate.executable, print_, data))
                results[candidate] = _as_info(candidate, data, print_[0])
        cache.store(new_entries)
    interpreters = tuple(
        sorted(
            (r for c in candidates if isinstance(r := results.get(c), PythonInfo)),
            key=lambda info: (list(Source).index(info.source), () if info.is_system else info.version_key),
        )
    )
    failures = tuple(r for c in candidates if isinstance(r := results.get(c), ProbeFailure))
    return Discovery(interpreters, failures, tuple(sources.relative_path_entries()))
