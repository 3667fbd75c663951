"""Discovery and the probe cache: sources, cache hits and misses, and candidates that misbehave.

Fake interpreters here are small sh scripts that answer the probe (and log each call), used
only for what no real interpreter can show: a cache hit, a hang, a crash, garbage output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import machine_versions, version_named
from pyshim.interpreters import cache
from pyshim.base import paths
from pyshim.interpreters.discovery import find_interpreters, list_candidates
from pyshim.interpreters.pyinfo import PROBE_MARK, Candidate, Source, run_probe


def real_probe_answer(python: str) -> dict:
    answer = run_probe(Candidate(python, Source.PATH, python))
    assert isinstance(answer, dict), answer
    return answer


def make_fake(folder: Path, body: str) -> Path:
    """ROOT/versions/NAME/bin/python as a sh script (pyshim's own versions folder is a source)."""
    exe = folder / "bin" / "python"
    exe.parent.mkdir(parents=True)
    exe.write_text("#!/bin/sh\n" + body)
    exe.chmod(0o755)
    return exe


def answering_fake(name: str, log: Path) -> Path:
    folder = Path(paths.versions_dir()) / name
    answer = real_probe_answer(sys.executable)
    answer["executable"] = str(folder / "bin" / "python")
    answer["version_info"] = [3, 99, 1, "final", 0]
    payload = json.dumps(answer).replace("'", "'\\''")
    return make_fake(folder, f"echo call >> '{log}'\necho 'noise from sitecustomize'\n"
                             f"printf '%s\\n' '{PROBE_MARK}' '{payload}' '{PROBE_MARK}'\n")


def test_finds_the_machine_interpreters_with_sources():
    found = find_interpreters()
    by_name = {info.name: info for info in found.interpreters}
    for machine_name in machine_versions():  # the probe runs on every one of them, 2.7 included
        assert by_name[machine_name].version == machine_name, machine_name
        assert by_name[machine_name].prefix.endswith(machine_name)
    name = version_named("3.12")
    assert by_name[name].source == Source.PYENV
    assert by_name[name].version == name
    assert by_name[name].scheme_paths["purelib"].startswith("{PYSHIM_BASE}")
    assert any(info.is_system for info in found.interpreters)
    two = [info for info in found.interpreters if info.release[0] == 2]
    if (Path(os.environ["PYENV_ROOT"]) / "versions" / version_named("2.7")).exists():
        assert two and two[0].name.startswith("2.7")


def test_cache_hit_starts_no_interpreter_and_change_reprobes(tmp_path: Path):
    log = tmp_path / "calls.log"
    exe = answering_fake("fake", log)
    assert any(i.name == "fake" and i.version == "3.99.1" for i in find_interpreters().interpreters)
    find_interpreters()
    assert log.read_text().count("call") == 1  # second run answered from the cache
    exe.write_text(exe.read_text() + "\n# changed\n")
    find_interpreters()
    assert log.read_text().count("call") == 2  # size/mtime changed: probed again


def test_corrupt_or_foreign_cache_is_rebuilt(tmp_path: Path):
    log = tmp_path / "calls.log"
    answering_fake("fake", log)
    for garbage in ("{not json", json.dumps({"format": 999, "entries": {}}), json.dumps([1, 2])):
        Path(cache.cache_file()).write_text(garbage)
        assert any(i.name == "fake" for i in find_interpreters().interpreters)
        assert json.loads(Path(cache.cache_file()).read_text())["format"] == cache.CACHE_FORMAT


def test_unwritable_cache_folder_only_costs_speed(tmp_path: Path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("PYSHIM_CACHE_DIR", str(blocker / "cache"))
    log = tmp_path / "calls.log"
    answering_fake("fake", log)
    assert any(i.name == "fake" for i in find_interpreters().interpreters)
    find_interpreters()
    assert log.read_text().count("call") == 2  # nothing cached, nothing crashed


def test_vanished_interpreter_is_dropped(tmp_path: Path):
    exe = answering_fake("fake", tmp_path / "calls.log")
    find_interpreters()
    assert str(exe) in cache.load()
    exe.unlink()
    answering_fake("other", tmp_path / "calls.log")
    names = {i.name for i in find_interpreters().interpreters}
    assert "fake" not in names and "other" in names
    assert str(exe) not in cache.load()


@pytest.mark.parametrize(
    "name, body, reason",
    [
        ("crashes", "echo boom >&2; exit 3\n", "exited with status 3: boom"),
        ("garbage", f"echo '{PROBE_MARK}'; echo '[1, 2'; echo '{PROBE_MARK}'\n", "not a probe answer"),
        ("hangs", "exec sleep 30\n", "timed out"),
        ("wrapper", f"exec '{sys.executable}' \"$@\"\n", "a shim or wrapper"),
    ],
)
def test_misbehaving_candidates_are_skipped_with_a_reason(name, body, reason, monkeypatch, pyshim):
    monkeypatch.setenv("PYSHIM_PROBE_TIMEOUT", "1")
    make_fake(Path(paths.versions_dir()) / name, body)
    found = find_interpreters()
    failures = {f.candidate.name: f.reason for f in found.failures}
    assert reason in failures[name]
    assert name not in {i.name for i in found.interpreters}
    result = pyshim("versions", "--verbose")
    assert result.returncode == 0
    assert f"skipped {Path(paths.versions_dir()) / name / 'bin' / 'python'}: " in result.stderr


def test_a_venv_on_path_is_listed_once(tmp_path: Path, monkeypatch):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    monkeypatch.setenv("PATH", f"{venv / 'bin'}:{os.environ['PATH']}")
    in_venv = [c for c in list_candidates() if c.executable.startswith(str(venv))]
    assert len(in_venv) == 1  # python, python3 and python3.Y there are one interpreter
    info = next(i for i in find_interpreters().interpreters if i.executable.startswith(str(venv)))
    assert info.is_venv and info.prefix == str(venv)


def test_not_executable_is_not_a_candidate():
    exe = make_fake(Path(paths.versions_dir()) / "noexec", "exit 0\n")
    exe.chmod(0o644)
    assert "noexec" not in {c.name for c in list_candidates()}


def test_shim_folders_are_never_sources(tmp_path: Path, monkeypatch):
    pyenv_like = tmp_path / "elsewhere" / "shims"
    pyenv_like.mkdir(parents=True)
    (pyenv_like / "python").write_text("#!/usr/bin/env bash\nexec pyenv exec python \"$@\"\n")
    (pyenv_like / "python").chmod(0o755)
    own = Path(paths.shims_dir())
    own.mkdir(parents=True)
    (own / "python3").write_text("#!/bin/sh\nexit 1\n")
    (own / "python3").chmod(0o755)
    monkeypatch.setenv("PATH", f"{pyenv_like}:{own}:{os.environ['PATH']}")
    executables = {c.executable for c in list_candidates()}
    assert not any(e.startswith((str(pyenv_like), str(own))) for e in executables)


def test_concurrent_processes_never_corrupt_the_cache(tmp_path: Path):
    for index in range(4):
        answering_fake(f"fake{index}", tmp_path / "calls.log")
    Path(cache.cache_file()).unlink()
    script = "from pyshim.interpreters.discovery import find_interpreters; find_interpreters()"
    processes = [subprocess.Popen([sys.executable, "-c", script]) for _ in range(6)]
    assert all(p.wait() == 0 for p in processes)
    entries = cache.load()
    assert all(str(Path(paths.versions_dir()) / f"fake{i}" / "bin" / "python") in entries for i in range(4))


def test_probes_run_in_parallel(tmp_path: Path, monkeypatch):
    """Two slow candidates cost one delay, not two: checked by overlap, not by timing."""
    marks = tmp_path / "marks"
    marks.mkdir()
    for name in ("slow1", "slow2"):
        other = "slow2" if name == "slow1" else "slow1"
        # each waits (up to 5 s) until the other has started: only parallel probing sees both
        make_fake(Path(paths.versions_dir()) / name,
                  f"touch '{marks}/{name}'\ni=0\nwhile [ ! -e '{marks}/{other}' ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done\n"
                  f"[ -e '{marks}/{other}' ] && echo both >> '{marks}/log'\nexit 1\n")
    find_interpreters()
    assert (marks / "log").read_text().count("both") == 2


@pytest.mark.parametrize("source", ["uv", "conda", "pyshim"])
def test_every_managed_source_is_found_and_tagged(source, tmp_path: Path, monkeypatch):
    """uv's, conda's and pyshim's own folders, laid out as those tools lay them out, around a real
    interpreter (pyenv's root is emptied so that it does not claim the same file first)."""
    real = Path(os.environ["PYENV_ROOT"]) / "versions" / version_named("3.12")
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "empty-pyenv"))
    if source == "uv":
        monkeypatch.setenv("UV_PYTHON_INSTALL_DIR", str(tmp_path / "uv"))
        (tmp_path / "uv").mkdir()
        (tmp_path / "uv" / "cpython-3.12-linux-x86_64-gnu").symlink_to(real)
        expected_name = "cpython-3.12-linux-x86_64-gnu"
    elif source == "conda":
        (tmp_path / "envs").mkdir()
        (tmp_path / "envs" / "science").symlink_to(real)
        (Path.home() / ".conda").mkdir()
        (Path.home() / ".conda" / "environments.txt").write_text(f"{tmp_path / 'envs' / 'science'}\n")
        expected_name = "conda-science"
    else:
        Path(paths.versions_dir()).mkdir(parents=True)
        (Path(paths.versions_dir()) / "mine").symlink_to(real)
        expected_name = "mine"
    found = {info.name: info for info in find_interpreters().interpreters}
    assert found[expected_name].source == source and source in Source.ORDER
    assert found[expected_name].version == version_named("3.12")


# A cloned repository's own `python3` must not run because the user typed a pyshim command there.
RELATIVE_PATHS = {"dot": ".:{clean}", "empty-entry": ":{clean}", "trailing-empty": "{clean}:", "subfolder": "bin:{clean}"}
CURRENT_FOLDER_COMMANDS = [("version",), ("versions",), ("versions", "--verbose"), ("doctor",), ("which", "python3"),
                           ("exec", "python3", "-c", "pass"), ("find", "3"),
                           ("venv", "made-here", "--without-pip")]


def planted_interpreters(folder: Path, marker: Path) -> None:
    """python, python3, python3.12 in `folder` that leave `marker` behind if anything runs them."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("python", "python3", "python3.12"):
        script = folder / name
        script.write_text(f"#!/bin/sh\necho \"$0\" >> '{marker}'\nexec {sys.executable} \"$@\"\n")
        script.chmod(0o755)


@pytest.mark.parametrize("label", sorted(RELATIVE_PATHS))
@pytest.mark.parametrize("command", CURRENT_FOLDER_COMMANDS, ids=" ".join)
def test_a_relative_path_entry_never_runs_a_file_from_the_current_folder(label, command, work_dir: Path, pyshim) -> None:
    marker = work_dir.parent / "ran"
    planted_interpreters(work_dir, marker)
    planted_interpreters(work_dir / "bin", marker)
    from conftest import CLEAN_PATH

    path = RELATIVE_PATHS[label].format(clean=CLEAN_PATH)
    result = pyshim(*command, cwd=work_dir, env={"PATH": path})
    assert not marker.exists(), (label, command, marker.read_text(), result.stderr)
    if command[-1] == "--verbose":
        entry = {"dot": ".", "subfolder": "bin"}.get(label, "")
        assert f"skipped PATH entry {entry!r}: it is relative to the current folder" in result.stderr


def test_the_shims_slow_path_never_runs_a_file_from_the_current_folder(work_dir: Path, pyshim) -> None:
    """`system` on a PATH with `.` goes to the slow path (the index cannot answer it), and the
    slow path must not take the current folder's python3 for the system one."""
    from conftest import CLEAN_PATH

    assert pyshim("rehash").returncode == 0
    marker = work_dir.parent / "ran"
    planted_interpreters(work_dir, marker)
    (work_dir / ".python-version").write_text("system\n")
    shim = Path(os.environ["PYSHIM_ROOT"]) / "shims" / "python3"
    env = dict(os.environ, PWD=str(work_dir), PATH=f".:{CLEAN_PATH}", PYSHIM_DEBUG_SHIM="1")
    result = subprocess.run([str(shim), "-c", "import sys; print(sys.executable)"], cwd=work_dir, env=env,
                            capture_output=True, text=True, timeout=60)
    assert "pyshim-shim: slow" in result.stderr
    assert not marker.exists(), (marker.read_text(), result.stderr)
    assert result.returncode == 0, result.stderr
    assert not result.stdout.strip().startswith(str(work_dir))


def slow_then_answering_fake(name: str, log: Path, slow_runs: int) -> Path:
    """An interpreter whose first `slow_runs` probes hang (a loaded machine), then answer."""
    exe = answering_fake(name, log)
    body = exe.read_text().split("\n", 1)[1]
    exe.write_text(f"#!/bin/sh\necho probe >> '{log}.runs'\n"
                   f"if [ \"$(wc -l < '{log}.runs')\" -le {slow_runs} ]; then exec sleep 30; fi\n" + body)
    return exe


def test_a_probe_time_out_is_retried_on_the_next_run(tmp_path: Path, monkeypatch) -> None:
    log = tmp_path / "calls.log"
    slow_then_answering_fake("loaded", log, slow_runs=1)  # probes a real interpreter: before the short time-out
    monkeypatch.setenv("PYSHIM_PROBE_TIMEOUT", "2")
    first = find_interpreters()
    assert "timed out" in {f.candidate.name: f.reason for f in first.failures}["loaded"]
    second = find_interpreters()  # the machine is quiet again: found, and cached as found
    assert "loaded" in {info.name for info in second.interpreters}
    find_interpreters()
    assert (tmp_path / "calls.log.runs").read_text().count("probe") == 2


def test_a_candidate_that_keeps_hanging_is_held_for_a_while(tmp_path: Path, monkeypatch) -> None:
    log = tmp_path / "calls.log"
    slow_then_answering_fake("stuck", log, slow_runs=100)
    monkeypatch.setenv("PYSHIM_PROBE_TIMEOUT", "0.5")
    from pyshim.interpreters.discovery import TIMEOUTS_BEFORE_HOLDING

    for _ in range(TIMEOUTS_BEFORE_HOLDING + 2):
        assert "stuck" in {f.candidate.name for f in find_interpreters().failures}
    assert (tmp_path / "calls.log.runs").read_text().count("probe") == TIMEOUTS_BEFORE_HOLDING


def _versions_listing(pyshim) -> str:
    """`pyshim versions`, with a time-out: a FIFO in the cache's place used to hang it."""
    result = subprocess.run([sys.executable, "-m", "pyshim.cli", "versions"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def _rewrite_entry(mutate, recheck: bool = True) -> None:
    """Change one real entry of the warm cache; with `recheck`, its checksum is recomputed, so
    only the validation of each field can tell; without it, as a flipped byte would leave it."""
    document = json.loads(Path(cache.cache_file()).read_text())
    executable = next(exe for exe in document["entries"] if version_named("3.12") in exe)
    entry = document["entries"][executable]
    mutate(entry["data"])
    if recheck:
        entry["check"] = cache.entry_checksum(entry["fingerprint"], entry["data"])
    Path(cache.cache_file()).write_text(json.dumps(document))


CORRUPTIONS = {
    "fifo": lambda f: (f.unlink(), os.mkfifo(f)),
    "dev-zero": lambda f: (f.unlink(), f.symlink_to("/dev/zero")),
    "directory": lambda f: (f.unlink(), f.mkdir()),
    "deeply-nested": lambda f: f.write_text("[" * 100000 + "]" * 100000),
    "nested-entries": lambda f: f.write_text(json.dumps({"format": cache.CACHE_FORMAT, "probe": "x"})[:-1]
                                             + ', "entries": ' + "{\"a\": " * 50000 + "1" + "}" * 50001),
    "huge": lambda f: f.write_bytes(b" " * (cache.MAX_CACHE_BYTES + 10)),
    "flipped-version": lambda f: _rewrite_entry(lambda d: d["version_info"].__setitem__(1, 99), recheck=False),
    "version-text": lambda f: _rewrite_entry(lambda d: d.update(version_info="3.12.1")),
    "version-short": lambda f: _rewrite_entry(lambda d: d.update(version_info=[3])),
    "version-range": lambda f: _rewrite_entry(lambda d: d.update(version_info=[3, -1, 0, "final", 0])),
    "release-level-list": lambda f: _rewrite_entry(lambda d: d.update(version_info=[3, 12, 1, ["final"], 0])),
    "bits-text": lambda f: _rewrite_entry(lambda d: d.update(pointer_bits="64")),
    "paths-list": lambda f: _rewrite_entry(lambda d: d.update(scheme_paths=["x"])),
    "wheels-number": lambda f: _rewrite_entry(lambda d: d.update(ensurepip_wheels=7)),
    "prefix-null": lambda f: _rewrite_entry(lambda d: d.update(prefix=None)),
    "failure-object": lambda f: _rewrite_entry(lambda d: (d.clear(), d.update({"__probe_failure__": {"x": 1}}))),
}


@pytest.mark.parametrize("corruption", sorted(CORRUPTIONS))
def test_a_corrupted_probe_cache_is_ignored_and_rebuilt(corruption: str, pyshim) -> None:
    """The cache is untrusted input: nothing in its place may hang, crash or change an answer."""
    name = version_named("3.12")
    clean = _versions_listing(pyshim)
    assert name in clean
    CORRUPTIONS[corruption](Path(cache.cache_file()))
    assert _versions_listing(pyshim) == clean
    if corruption != "directory":
        assert Path(cache.cache_file()).is_file() and not Path(cache.cache_file()).is_symlink()
        assert any(name in exe for exe in cache.load())  # rebuilt, readable again
    assert _versions_listing(pyshim) == clean


REQUESTS = ["3", "3.12", "3.13", "2", "2.7", ">=3.10,<3.12", "cpython3.11", "pypy3.10", "3.99", "system",
            "/usr/bin/python3", "nothing-by-this-name"]


@pytest.mark.parametrize("text", REQUESTS)
def test_discovery_for_a_request_answers_as_full_discovery(text, monkeypatch, tmp_path):
    """find_interpreters_for leaves PATH out only where PATH cannot change the answer."""
    from pyshim.interpreters.discovery import find_interpreters_for
    from pyshim.selection.request import parse_request
    from pyshim.interpreters.resolve import find_interpreter

    on_path = tmp_path / "on-path"
    on_path.mkdir()
    os.symlink(os.path.join(os.environ["PYENV_ROOT"], "versions", version_named("3.12"), "bin", "python3"),
               on_path / "python3")
    monkeypatch.setenv("PATH", f"{on_path}:{os.environ['PATH']}")
    request = parse_request(text)
    assert (find_interpreter(request, find_interpreters_for([request]).interpreters)
            == find_interpreter(request, find_interpreters().interpreters))


def test_a_request_a_managed_interpreter_answers_never_searches_path(monkeypatch, tmp_path):
    """A long PATH full of interpreters costs `pyshim venv --python 3.12` nothing: none is probed."""
    from pyshim.interpreters.discovery import find_interpreters_for
    from pyshim.selection.request import parse_request

    log = tmp_path / "calls.log"
    folders = []
    for index in range(50):
        folder = tmp_path / f"bin{index}"
        make_fake(folder / "x", f"echo call >> '{log}'\nexit 1\n")
        folders.append(str(folder / "x" / "bin"))
    monkeypatch.setenv("PATH", ":".join(folders + [os.environ["PATH"]]))
    found = find_interpreters_for([parse_request("3.12")])
    assert any(info.version == version_named("3.12") for info in found.interpreters)
    assert not log.exists()
    find_interpreters_for([parse_request("system")])
    assert log.read_text().count("call") == 50  # `system` does search PATH


def test_the_change_detector_sees_flipped_bits_and_moved_bytes() -> None:
    """`pyinfo.change_detector` guards the probe cache's entries: every single-bit flip and
    every swap of two different bytes in a real entry's text changes it."""
    from pyshim.interpreters.pyinfo import PROBE_SOURCE, change_detector

    text = PROBE_SOURCE.encode("utf-8")[:600]
    original = change_detector(text)
    for index in range(len(text)):
        for bit in range(8):
            flipped = text[:index] + bytes([text[index] ^ (1 << bit)]) + text[index + 1:]
            assert change_detector(flipped) != original, (index, bit)
    for first in range(0, len(text), 7):
        for second in range(first + 1, len(text), 13):
            if text[first] != text[second]:
                swapped = bytearray(text)
                swapped[first], swapped[second] = swapped[second], swapped[first]
                assert change_detector(bytes(swapped)) != original, (first, second)
    assert change_detector(text + b"\0") != original  # a longer text, even by a NUL
