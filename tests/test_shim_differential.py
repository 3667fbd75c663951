"""Differential test: the shim (fast path where it can) and `pyshim exec` give the same answers.

A seeded generator builds many directory trees, `.python-version` files (comments, CRLF, a BOM,
notes after a line's first word, several versions, `system`, aliases, missing versions,
specifiers, hostile names, stray control bytes), global files, PYSHIM_VERSION/PYENV_VERSION
values and PYENV_DIR/PYSHIM_DIR start folders. For each case the real shim and the real
`pyshim exec` run the same command from the same directory; their exit status, output (the
interpreter's path and PATH) and error message must be identical. Repeatable: the seed is
fixed (PYSHIM_DIFF_SEED overrides it, PYSHIM_DIFF_CASES the number of cases). The generator is
in helpers.py (test_front_end.py runs its cases too).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List, Tuple

from conftest import CLEAN_PATH, machine_versions, make_pyenv_root, run_pyshim, version_named
from helpers import SEED, Case, build, make_case, version_text

CASES = int(os.environ.get("PYSHIM_DIFF_CASES", "150"))
PROBE = "import os,sys;sys.stdout.write(sys.executable+'\\n'+os.environ.get('PATH','')+'\\n')"


def run_both(case: Case, cwd: Path, shims_dir: Path, extra: Path) -> Tuple[tuple, tuple, str]:
    env = dict(os.environ, PWD=str(cwd), PATH=case.path.format(shims=shims_dir, extra=extra), **case.env)
    if case.start_dir:
        variable, relative = case.start_dir
        base = cwd.parents[len(Path(case.cwd).parts) - 1] if case.cwd else cwd
        env[variable] = os.path.normpath(base / relative)
    shim = subprocess.run([str(shims_dir / case.command), "-S", "-c", PROBE], cwd=cwd, capture_output=True,
                          env=dict(env, PYSHIM_DEBUG_SHIM="1"), timeout=60)
    direct = subprocess.run([sys.executable, "-m", "pyshim", "exec", case.command, "-S", "-c", PROBE], cwd=cwd,
                            capture_output=True, env=env, timeout=60)
    shim_err = [line for line in shim.stderr.splitlines() if not line.startswith(b"pyshim-shim: ")]
    road = "slow"
    if b"pyshim-shim: fast" in shim.stderr:
        road = "quick" if shim.stderr.rstrip().endswith(b"(quick)") else "full"
    return (shim.returncode, shim.stdout, shim_err), (direct.returncode, direct.stdout, direct.stderr.splitlines()), road


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
