"""Differential test: the shim (fast path where it can) and `pyshim exec` give the same answers.

A seeded generator builds many directory trees, `.python-version` files (comments, CRLF, a BOM,
several versions, `system`, aliases, missing versions, specifiers, hostile names, stray control
bytes), global files and PYSHIM_VERSION/PYENV_VERSION values. For each case the real shim and
the real `pyshim exec` run the same command from the same directory; their exit status, output
(the interpreter's path and PATH) and error message must be identical. Repeatable: the seed is
fixed (PYSHIM_DIFF_SEED overrides it, PYSHIM_DIFF_CASES the number of cases).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from conftest import CLEAN_PATH, machine_versions, run_pyshim, version_named

SEED = int(os.environ.get("PYSHIM_DIFF_SEED", "20261124"))
CASES = int(os.environ.get("PYSHIM_DIFF_CASES", "150"))
PROBE = "import os,sys;sys.stdout.write(sys.executable+'\\n'+os.environ.get('PATH','')+'\\n')"
COMMANDS = ["python"] * 5 + ["python3"] * 4 + ["python3.13", "python3.6", "python2.7", "python3.12"]
SEGMENTS = ["a", "b c", "ünï", "x$y", "q'r", "-d", "*", "deep", "[g]", "tab\tname"]


@dataclass
class Case:
    number: int
    files: Dict[str, bytes]  # relative dir ("" = the case's top) -> version file bytes
    cwd: str
    command: str
    env: Dict[str, str] = field(default_factory=dict)
    dir_as_version_file: Optional[str] = None
    path: str = "{shims}:" + CLEAN_PATH  # {shims} and {extra} are filled in by run_both


# PATHs other than rehash's: managed names must stay exact and fast whatever PATH holds; `system`
# is decided on the PATH of the run ({extra} holds a python3 that rehash never saw).
OTHER_PATHS = ["{shims}:" + CLEAN_PATH + ":/opt/appended", "{shims}:{extra}:" + CLEAN_PATH, "{shims}:/bin:" + CLEAN_PATH,
               "{shims}::" + CLEAN_PATH, "/opt/first:{shims}:" + CLEAN_PATH]


def name_pool(rng: random.Random) -> str:
    versions = sorted(machine_versions())
    minor = rng.choice(versions).rsplit(".", 1)[0]
    if rng.random() < 0.8:
        return rng.choice([rng.choice(versions), minor, "3", "2", f"python-{minor}", f"cpython@{minor}",
                           f"cpython{minor}", "system", "proj"])
    return rng.choice(["3.99", "nope", ">=3.10", "~=3.11.0", "3.11.2", "../../bin/sh", "$(touch PWNED)",
                       "`touch PWNED`", "a*b", "ünï", "3.12\\", "-c", "py 3"])


def comment(rng: random.Random) -> str:
    return rng.choice(["", "", "", "", "", "", " # pinned", "#", " # don't [x] $(id) `id`", " # café", " #\x0b3.99",
                       " # \x0c", "# tab\there", " #\x1c 3.99", " # back\\slash"])


def version_text(rng: random.Random) -> bytes:
    if rng.random() < 0.5:  # what `pyshim local` writes: the shim's quick path, and its near misses
        return (name_pool(rng) + rng.choice(["\n", "\n", "\n", "", "\n\n", "\r\n", "\n "])).encode("utf-8")
    lines = []
    for _ in range(rng.choice([0, 1, 1, 1, 2, 3])):
        names = [name_pool(rng) for _ in range(rng.choice([0, 1, 1, 1, 2, 3]))]
        separator = rng.choice([" ", "  ", "\t", " \t "])
        lines.append(rng.choice(["", " ", "\t"]) + separator.join(names) + comment(rng))
    end = rng.choice(["\n", "\n", "\r\n", "\r"])
    text = end.join(lines) + rng.choice(["", end])
    if rng.random() < 0.1:
        text = "\ufeff" + text
    data = text.encode("utf-8")
    if rng.random() < 0.03:
        data = data[: rng.randint(0, len(data))] + rng.choice([b"\xff", b"\xc3", b"\x85", b"\x1f"]) + data[len(data) // 2:]
    return data


def make_case(number: int, rng: random.Random) -> Case:
    depth = rng.randint(0, 7)
    parts = [rng.choice(SEGMENTS) + str(level) for level in range(depth)]
    files: Dict[str, bytes] = {}
    for _ in range(rng.choice([0, 1, 1, 1, 2])):
        level = rng.randint(0, depth)
        files["/".join(parts[:level])] = version_text(rng)
    case = Case(number, files, "/".join(parts), rng.choice(COMMANDS))
    roll = rng.random()
    if roll < 0.15:
        case.env["PYSHIM_VERSION"] = rng.choice([":", " ", "\t"]).join(name_pool(rng) for _ in range(rng.randint(0, 3)))
    elif roll < 0.25:
        case.env["PYENV_VERSION"] = " ".join(name_pool(rng) for _ in range(rng.randint(1, 2)))
    if rng.random() < 0.05 and depth:
        case.dir_as_version_file = "/".join(parts[: rng.randint(1, depth)])
    if rng.random() < 0.35:
        case.path = rng.choice(OTHER_PATHS)
    return case


def build(case: Case, top: Path) -> Path:
    base = top / f"case{case.number}"
    cwd = base / case.cwd if case.cwd else base
    cwd.mkdir(parents=True)
    for relative, data in case.files.items():
        ((base / relative) if relative else base).joinpath(".python-version").write_bytes(data)
    if case.dir_as_version_file:
        target = base / case.dir_as_version_file / ".python-version"
        if not target.exists():
            target.mkdir()
    return cwd


def run_both(case: Case, cwd: Path, shims_dir: Path, extra: Path) -> Tuple[tuple, tuple, str]:
    env = dict(os.environ, PWD=str(cwd), PATH=case.path.format(shims=shims_dir, extra=extra), **case.env)
    shim = subprocess.run([str(shims_dir / case.command), "-S", "-c", PROBE], cwd=cwd, capture_output=True,
                          env=dict(env, PYSHIM_DEBUG_SHIM="1"), timeout=60)
    direct = subprocess.run([sys.executable, "-m", "pyshim", "exec", case.command, "-S", "-c", PROBE], cwd=cwd,
                            capture_output=True, env=env, timeout=60)
    shim_err = [line for line in shim.stderr.splitlines() if not line.startswith(b"pyshim-shim: ")]
    road = "slow"
    if b"pyshim-shim: fast" in shim.stderr:
        road = "quick" if shim.stderr.rstrip().endswith(b"(quick)") else "full"
    return (shim.returncode, shim.stdout, shim_err), (direct.returncode, direct.stdout, direct.stderr.splitlines()), road


def make_pyenv_root(folder: Path) -> Path:
    (folder / "versions").mkdir(parents=True)
    for name, real in machine_versions().items():
        (folder / "versions" / name).symlink_to(real)
    return folder


def test_fast_path_agrees_with_pyshim_exec(tmp_path: Path, monkeypatch) -> None:
    rng = random.Random(SEED)
    monkeypatch.setenv("PYENV_ROOT", str(make_pyenv_root(tmp_path / "pyenv")))
    monkeypatch.setenv("PATH", f"{Path(os.environ['PYSHIM_ROOT']) / 'shims'}:{CLEAN_PATH}")
    root = Path(os.environ["PYSHIM_ROOT"])
    python312 = Path(os.environ["PYENV_ROOT"]) / "versions" / sorted(v for v in machine_versions() if v.startswith("3.12."))[-1]
    subprocess.run([str(python312 / "bin" / "python"), "-m", "venv", "--without-pip", str(root / "venvs" / "proj")], check=True)
    phases = [
        ({}, None),
        ({"version": version_text(rng)}, None),
        ({"version": b"# nothing here\n"}, version_text(rng)),
    ]
    extra = tmp_path / "extra-bin"  # a python3 on PATH that rehash never saw
    extra.mkdir()
    (extra / "python3").symlink_to(Path(os.environ["PYENV_ROOT"]) / "versions" / version_named("3.10") / "bin" / "python3.10")
    roads: Dict[str, int] = {"quick": 0, "full": 0, "slow": 0}
    disagreements: List[str] = []
    per_phase = CASES // len(phases)
    for phase, (root_files, pyenv_global) in enumerate(phases):
        for name, data in root_files.items():
            (root / name).write_bytes(data)
        if pyenv_global is not None:
            (Path(os.environ["PYENV_ROOT"]) / "version").write_bytes(pyenv_global)
        rehashed = run_pyshim("rehash", "--quiet")
        assert rehashed.returncode == 0, rehashed.stderr
        cases = [make_case(phase * per_phase + n, rng) for n in range(per_phase)]
        top = tmp_path / f"phase{phase}"
        built = [(case, build(case, top)) for case in cases]
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(lambda item: (item[0], run_both(item[0], item[1], root / "shims", extra)), built))
        for case, (shim, direct, road) in results:
            roads[road] += 1
            if shim != direct:
                disagreements.append(f"seed {SEED} case {case.number}: {case}\n  shim   {shim}\n  direct {direct}")
        assert not list(top.rglob("PWNED")), "a hostile version file ran something"
    assert not disagreements, "\n".join(disagreements[:5])
    assert roads["quick"] >= CASES // 20, roads  # each road must really be exercised
    assert roads["full"] >= CASES // 10, roads
    assert roads["slow"] >= CASES // 10, roads
