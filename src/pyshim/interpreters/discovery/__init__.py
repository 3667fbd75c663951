"""Discovery: every interpreter on the machine, as `PythonInfo`s, probed once and cached.

Third step of the data flow. `find_interpreters()` lists candidates from every source in
`sources.ALL_SOURCES` (order matters: the first source to find a file names it), drops
duplicates, answers what it can from the cache, probes the rest in parallel and stores the new
answers. Candidates that fail are returned as `ProbeFailure`s, and relative PATH entries
(never searched, see `sources`) as `skipped_path_entries`; both are shown under `--verbose`.
"""

from __future__ import annotations

import os
import time

from pyshim.interpreters import cache
from pyshim.interpreters.discovery import sources
from pyshim.interpreters.pyinfo import (
    Candidate,
    ProbeFailure,
    PythonInfo,
    Source,
    check_not_a_shim,
    info_from_probe,
    probe_data_problem,
    run_probe,
    venv_config_beside,
)
from pyshim.base.record import Record
from pyshim.selection.request import RequestKind

TYPE_CHECKING = False  # typing stays unimported at run time (see pyshim.base.record)
if TYPE_CHECKING:
    from pyshim.selection.request import PythonRequest

_MANAGED_KINDS = (RequestKind.VERSION, RequestKind.SPECIFIER, RequestKind.NAME)
FAILURE_KEY = "__probe_failure__"
TIMEOUTS_KEY = "__timeouts__"  # consecutive runs in which the probe timed out
RETRY_AT_KEY = "__retry_at__"  # until then (seconds since the epoch) a time-out stands
MAX_PARALLEL_PROBES = 8
# A time-out may be load or a slow disk, not the interpreter: it is probed again on the next
# run, and only after this many time-outs in a row is it believed for a while, so that a
# candidate that really hangs does not cost its time-out on every command.
TIMEOUTS_BEFORE_HOLDING = 3
TIMEOUT_HOLD_SECONDS = 600


class Discovery(Record):
    interpreters: Tuple[PythonInfo, ...]
    failures: Tuple[ProbeFailure, ...]
    skipped_path_entries: Tuple[str, ...] = ()


def _is_venv_executable(executable: str) -> bool:
    return os.path.exists(venv_config_beside(executable))


class _Search:
    """One discovery run, which can be widened by more sources: candidates, what each turned out
    to be, and the cache read once. `widen(more)` lists the sources' candidates (each interpreter
    once, against every candidate already listed) and answers for the new ones only."""

    def __init__(self) -> None:
        self.candidates: "list[Candidate]" = []
        self.results: dict = {}  # Candidate -> PythonInfo | ProbeFailure
        self.searched_path = False
        self._seen: set = set()
        self._seen_names: set = set()
        self._entries: "dict | None" = None
        self._real: "dict[Candidate, str]" = {}  # candidate -> its executable's real path, found when listed

    def widen(self, more: "Sequence[Callable]") -> Discovery:
        new = self._list(more)
        self.searched_path = self.searched_path or sources.on_path in more
        if self._entries is None:
            self._entries = cache.load()
        self.results.update(_answers(new, self._entries, self._real))
        return self._discovery()

    def _list(self, more: "Sequence[Callable]") -> "list[Candidate]":
        """Two names for one file (python3 -> python3.11) are one interpreter; inside a venv, the
        file is shared with the base interpreter, so there the venv's own folder is part of what
        counts. pyenv's folder keeps every name of one interpreter: its links (`2.7 -> 2.7.18`,
        `foo -> 3.12.1/envs/foo`) are names people type, and `pyenv versions` lists them."""
        new = []
        for source in more:
            for candidate in source():
                real = os.path.realpath(candidate.executable)
                venv_dir = os.path.dirname(os.path.dirname(candidate.executable))
                key = (os.path.realpath(venv_dir), real) if _is_venv_executable(candidate.executable) else ("", real)
                alias = candidate.source == Source.PYENV and (key, candidate.name) not in self._seen_names
                if key not in self._seen or alias:
                    self._seen.add(key)
                    self._seen_names.add((key, candidate.name))
                    self._real[candidate] = real
                    new.append(candidate)
        self.candidates += new
        return new

    def _discovery(self) -> Discovery:
        results = [self.results.get(candidate) for candidate in self.candidates]
        interpreters = tuple(sorted(
            (result for result in results if isinstance(result, PythonInfo)),
            key=lambda info: (Source.ORDER.index(info.source), () if info.is_system else info.version_key),
        ))
        failures = tuple(result for result in results if isinstance(result, ProbeFailure))
        skipped = sources.relative_path_entries() if self.searched_path else ()
        return Discovery(interpreters, failures, tuple(skipped))


def list_candidates(from_sources: "Sequence[Callable]" = sources.ALL_SOURCES) -> "list[Candidate]":
    """Candidates from every source, each interpreter once (see `_Search._list`)."""
    search = _Search()
    search._list(from_sources)
    return search.candidates


def _probe_one(candidate: Candidate) -> Tuple[Candidate, Union[Dict[str, Any], ProbeFailure]]:
    return candidate, run_probe(candidate)


def _as_info(candidate: Candidate, data: Dict[str, Any], real: str) -> Union[PythonInfo, ProbeFailure]:
    if FAILURE_KEY in data:
        return ProbeFailure(candidate, str(data[FAILURE_KEY]), TIMEOUTS_KEY in data)
    shim = check_not_a_shim(data, candidate, real)
    if shim is not None:
        return shim
    try:
        return info_from_probe(data, candidate, real)
    except (KeyError, TypeError, ValueError):
        return ProbeFailure(candidate, "probe answer is missing fields")


def _usable(data: Dict[str, Any], now: float) -> bool:
    """A cached answer to use as it is: well formed, and not a time-out that is due a retry."""
    if FAILURE_KEY not in data:
        return probe_data_problem(data) is None
    if type(data[FAILURE_KEY]) is not str:
        return False
    if TIMEOUTS_KEY not in data:
        return True
    retry_at = data.get(RETRY_AT_KEY)
    return type(retry_at) is int and now < retry_at <= now + TIMEOUT_HOLD_SECONDS


def _previous_timeouts(data: "Dict[str, Any] | None") -> int:
    count = data.get(TIMEOUTS_KEY) if data else None
    return count if type(count) is int and 0 < count < 1000 else 0


def _cache_data(answer: Union[Dict[str, Any], ProbeFailure], previous: "Dict[str, Any] | None", now: float
                ) -> Dict[str, Any]:
    """What to store for a fresh answer; a time-out counts up and, after a few, is held a while."""
    if not isinstance(answer, ProbeFailure):
        return answer
    if not answer.transient:
        return {FAILURE_KEY: answer.reason}
    count = _previous_timeouts(previous) + 1
    hold = TIMEOUT_HOLD_SECONDS if count >= TIMEOUTS_BEFORE_HOLDING else 0
    return {FAILURE_KEY: answer.reason, TIMEOUTS_KEY: count, RETRY_AT_KEY: int(now) + hold}


def find_interpreters_for(requests: "Sequence[PythonRequest]") -> Discovery:
    """Enough of discovery to answer `requests` as `find_interpreters()` would.

    Managed interpreters rank above those on PATH and in system folders for every request but
    `system` and paths (see `resolve`), and a PATH candidate is named by its path, so it is no
    name's exact match: when every request matches a managed interpreter, PATH and the system
    folders cannot change an answer and are not searched (a long PATH costs such commands
    nothing). Otherwise the same search is widened to them."""
    if not all(request.kind in _MANAGED_KINDS for request in requests):
        return find_interpreters()
    search = _Search()
    managed = search.widen(sources.MANAGED_SOURCES)
    if all(any(request.matches(info) for info in managed.interpreters) for request in requests):
        return managed
    return search.widen(sources.PATH_SOURCES)


def find_interpreters(from_sources: "Sequence[Callable]" = sources.ALL_SOURCES) -> Discovery:
    """Every interpreter found, in source order, plus every candidate that failed and why."""
    return _Search().widen(from_sources)


def _answers(candidates: "list[Candidate]", entries: dict, real: "dict[Candidate, str]") -> dict:
    """What each candidate is: from the cache where it still holds, else probed (in parallel,
    the answers stored). `real`: each executable's real path, as `_list` found it (a realpath is
    a few lstat calls in Python; every discovery used to take it three times per candidate)."""
    results: dict = {}
    prints = {c: cache.fingerprint(c.executable, real.get(c)) for c in candidates}
    to_probe = []
    previous: Dict[Candidate, Dict[str, Any]] = {}
    now = time.time()
    for candidate in candidates:
        print_ = prints[candidate]
        if print_ is None:
            continue
        data = cache.lookup(entries, candidate.executable, print_)
        if data is not None and _usable(data, now):
            results[candidate] = _as_info(candidate, data, print_[0])
        else:
            to_probe.append(candidate)
            if data is not None:
                previous[candidate] = data
    if to_probe:
        from concurrent.futures import ThreadPoolExecutor

        new_entries = []
        with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL_PROBES, len(to_probe))) as pool:
            for candidate, answer in pool.map(_probe_one, to_probe):
                print_ = prints[candidate]
                data = _cache_data(answer, previous.get(candidate), now)
                new_entries.append((candidate.executable, print_, data))
                results[candidate] = _as_info(candidate, data, print_[0])
        cache.store(new_entries)
    return results
