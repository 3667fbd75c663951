"""The `pyshim` front-end (ROOT/shims/pyshim, from shims/pyshim.sh): the same bytes as the CLI.

Differential: seeded generated cases (the directory trees, version files and variables of
test_shim_differential, from helpers.py) run `ROOT/shims/pyshim version`, `version --bare` and `versions` next
to `python -m pyshim.cli` (the CLI alone) with the same arguments; exit status, stdout and stderr must be identical,
and a good share must have taken the fast path (PYSHIM_DEBUG_SHIM tracing), so the test cannot
pass by always handing over to Python. Then: hostile version files run nothing, every other
command and argument passes through unchanged, and a stale index or a changed PATH go slow.
Repeatable: the seed is fixed (PYSHIM_DIFF_SEED overrides it, PYSHIM_FRONT_END_CASES the count).
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import pytest

from conftest import CLEAN_PATH, machine_versions, make_pyenv_root, missing_tool, run_pyshim, version_named
from helpers import SEED, build, make_case, make_named_venv, rehash, version_text
from helpers import pyshim_root as root

CASES = int(os.environ.get("PYSHIM_FRONT_END_CASES", "120"))
ARGUMENTS = [["version"], ["version", "--bare"], ["prefix"], ["local"], ["versions"]]  # `versions` last: it rehashes
HOSTILE = ["$(touch PWNED)", "`touch PWNED`", "';touch PWNED;'", "3.12;touch PWNED", "$(touch${IFS}PWNED)",
           "x\"$(touch PWNED)\"", "*", "../../bin/sh", "-c"]


def front_end() -> Path:
    return root() / "shims" / "pyshim"


def run_both(argv: Sequence[str], cwd: Path, extra: Dict[str, str]) -> Tuple[tuple, tuple, str]:
    """(status, stdout, stderr) of the front-end and of the CLI, and the road the front-end took."""
    env = dict(os.environ, PWD=str(cwd), **extra)
    fast = subprocess.run([str(front_end()), *argv], cwd=cwd, capture_output=True, timeout=60,
                          env=dict(env, PYSHIM_DEBUG_SHIM="1"))
    direct = subprocess.run([sys.executable, "-m", "pyshim.cli", *argv], cwd=cwd, capture_output=True, env=env, timeout=60)
    errors = b"".join(line for line in fast.stderr.splitlines(keepends=True) if not line.startswith(b"pyshim-shim: "))
    road = "fast" if b"pyshim-shim: fast" in fast.stderr else "slow"
    return (fast.returncode, fast.stdout, errors), (direct.returncode, direct.stdout, direct.stderr), road


@pytest.fixture
def shims_on_path(tmp_path: Path, monkeypatch) -> Path:
    """ROOT/shims first on PATH (as `pyshim init` arranges), a pyshim venv `proj`, a fresh rehash."""
    monkeypatch.setenv("PYENV_ROOT", str(make_pyenv_root(tmp_path / "pyenv")))
    monkeypatch.setenv("PATH", f"{root() / 'shims'}:{CLEAN_PATH}")
    make_named_venv("proj")
    rehash()
    return root() / "shims"


def test_front_end_agrees_with_the_cli(shims_on_path: Path, tmp_path: Path) -> None:
    rng = random.Random(SEED + 1)
    phases = [({}, None), ({"version": version_text(rng)}, None), ({"version": b"# nothing here\n"}, version_text(rng))]
    roads: Dict[str, Dict[str, int]] = {" ".join(argv): {"fast": 0, "slow": 0} for argv in ARGUMENTS}
    disagreements: List[str] = []
    per_phase = CASES // len(phases)
    for phase, (root_files, pyenv_global) in enumerate(phases):
        for name, data in root_files.items():
            (root() / name).write_bytes(data)
        if pyenv_global is not None:
            (Path(os.environ["PYENV_ROOT"]) / "version").write_bytes(pyenv_global)
        rehash()
        cases = [make_case(phase * per_phase + n, rng) for n in range(per_phase)]
        top = tmp_path / f"phase{phase}"
        built = [(case, build(case, top), ARGUMENTS[case.number % len(ARGUMENTS)]) for case in cases]
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(lambda item: (item, run_both(item[2], item[1], item[0].env)), built))
        for (case, _, argv), (fast, direct, road) in results:
            roads[" ".join(argv)][road] += 1
            if fast != direct:
                disagreements.append(f"seed {SEED + 1} case {case.number} {argv}: {case}\n  front-end {fast}\n  cli       {direct}")
        assert not list(top.rglob("PWNED")), "a hostile version file ran something"
    assert not disagreements, "\n".join(disagreements[:5])
    print("roads:", roads)
    for argv, counts in roads.items():  # every form must really take the fast path, and the slow one
        assert counts["fast"] >= CASES // len(ARGUMENTS) // 6, roads
    assert sum(counts["fast"] for counts in roads.values()) >= CASES // 3, roads
    assert sum(counts["slow"] for counts in roads.values()) >= CASES // 10, roads


def test_hostile_version_files_and_variables_run_nothing(shims_on_path: Path, work_dir: Path) -> None:
    for number, name in enumerate(HOSTILE):
        project = work_dir / f"p{number}"
        project.mkdir()
        (project / ".python-version").write_text(f"{name}\n")
        for argv in ARGUMENTS:
            fast, direct, _ = run_both(argv, project, {})
            assert fast == direct and (fast[0] != 0 or argv in (["versions"], ["local"])), (name, argv, fast)
                # (versions warns; local shows the file's first words, which Python accepts or refuses alike)
            fast, direct, _ = run_both(argv, work_dir, {"PYSHIM_VERSION": name})
            assert fast == direct, (name, argv, fast)
    assert not list(work_dir.rglob("PWNED")) and not Path("PWNED").exists()


def test_every_other_command_passes_through_unchanged(shims_on_path: Path, work_dir: Path) -> None:
    (work_dir / ".python-version").write_text(version_named("3.12") + "\n")
    probe = "import sys; print(sys.argv[1:])"
    for argv in (["root"], ["--version"], [], ["nope"], ["find", "3.12"], ["which", "python"], ["version", "--help"],
                 ["version", "-v"], ["version", "--bare", "--bare"], ["versions", "--json"], ["--debug", "version"],
                 ["exec", "python", "-c", probe, "a b", "  c\td  ", "", "*", "$HOME"], ["prefix", "no such"]):
        fast, direct, road = run_both(argv, work_dir, {})
        assert fast == direct, (argv, fast, direct)
        assert road == "slow", argv
    status = run_both(["nope"], work_dir, {})[0][0]
    assert status == 2
    ran = run_both(["exec", "python", "-c", probe, "a b", "  c\td  ", ""], work_dir, {})[0]
    assert ran[1].decode().strip() == "['a b', '  c\\td  ', '']"


def test_fast_path_answers_and_goes_slow_when_unsure(shims_on_path: Path, work_dir: Path, monkeypatch) -> None:
    (work_dir / ".python-version").write_text("3.12  pinned by CI\nsystem\n")
    for argv in ARGUMENTS:
        fast, direct, road = run_both(argv, work_dir, {})
        assert fast == direct and road == "fast", (argv, fast, direct)
    full = version_named("3.12")
    assert run_both(["version", "--bare"], work_dir, {})[0][1] == f"{full}\nsystem\n".encode()
    assert run_both(["version"], work_dir, {})[0][1].startswith(
        f"{full} (from '3.12', set by {work_dir / '.python-version'})\n".encode())
    # A new venv makes the index stale: still right, through Python.
    python = Path(os.environ["PYENV_ROOT"]) / "versions" / full / "bin" / "python"
    subprocess.run([str(python), "-m", "venv", "--without-pip", str(root() / "venvs" / "fresh")], check=True)
    (work_dir / ".python-version").write_text("fresh\n")
    for argv in ARGUMENTS:
        fast, direct, road = run_both(argv, work_dir, {})
        assert fast == direct and road == "slow", (argv, fast, direct)
    rehash()
    assert run_both(["version", "--bare"], work_dir, {})[2] == "fast"
    # The listing holds PATH interpreters: another PATH sends `versions` to Python.
    monkeypatch.setenv("PATH", f"{root() / 'shims'}:/usr/bin:/bin")
    fast, direct, road = run_both(["versions"], work_dir, {})
    assert fast == direct and road == "slow"
    assert run_both(["version", "--bare"], work_dir, {})[2] == "fast"  # an exact name needs no PATH
    fast, direct, road = run_both(["version"], work_dir, {"PYSHIM_VERSION": "system"})
    assert fast == direct and road == "fast"  # `system` is decided on the PATH the front-end runs with


def test_rehash_keeps_the_front_end_and_skips_pyshim_commands(shims_on_path: Path) -> None:
    venv_bin = root() / "venvs" / "proj" / "bin"
    (venv_bin / "pyshim").write_text("#!/bin/sh\necho not the front-end\n")
    (venv_bin / "pyshim").chmod(0o755)
    rehash()
    text = front_end().read_text()
    assert "pyshim-front-end" in text and "not the front-end" not in text
    listed = run_pyshim("versions")
    assert str(root() / "shims") not in listed.stdout  # discovery still skips the shims folder
    doctor_view = run_pyshim("rehash")
    assert "removed" not in doctor_view.stdout and front_end().is_file()


def test_other_shells_agree(shims_on_path: Path, work_dir: Path) -> None:
    """/bin/sh is dash here; elsewhere it is bash (posix mode), ksh or zsh: same answers, fast."""
    (work_dir / ".python-version").write_bytes(b"3.12 # pinned\r\nsystem\n3\n")
    shells = [["bash"], ["bash", "--posix"], ["mksh"], ["ksh93"], ["zsh", "--emulate", "sh"], ["busybox", "sh"]]
    tried = 0
    for shell in shells:
        if shutil.which(shell[0]) is None:
            continue
        tried += 1
        for argv in ARGUMENTS:
            env = dict(os.environ, PWD=str(work_dir))
            ran = subprocess.run([*shell, str(front_end()), *argv], cwd=work_dir, capture_output=True, timeout=60,
                                 env=dict(env, PYSHIM_DEBUG_SHIM="1"))
            direct = subprocess.run([sys.executable, "-m", "pyshim.cli", *argv], cwd=work_dir, capture_output=True, env=env)
            assert (ran.returncode, ran.stdout) == (direct.returncode, direct.stdout), (shell, argv, ran.stderr)
            assert ran.stderr == f"pyshim-shim: fast pyshim {argv[0]}\n".encode(), (shell, argv, ran.stderr)
    if not tried:
        pytest.skip("no other sh-compatible shell is installed")


def console_script() -> Path:
    """The `pyshim` console script installed beside the running interpreter (pip install -e .)."""
    script = Path(sys.executable).with_name("pyshim")
    if not script.exists():
        missing_tool(f"no pyshim console script beside {sys.executable}; run `pip install -e .` there")
    return script


def run_console(argv: Sequence[str], cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PWD=str(cwd), PYSHIM_DEBUG_SHIM="1")
    return subprocess.run([str(console_script()), *argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def test_console_script_hands_the_three_queries_to_the_front_end(shims_on_path: Path, work_dir: Path) -> None:
    (work_dir / ".python-version").write_text(f"{version_named('3.12')}\nproj\n")
    for argv in ARGUMENTS:
        handed, direct = run_console(argv, work_dir), run_pyshim(*argv, cwd=work_dir)
        assert handed.stderr == f"pyshim-shim: fast pyshim {argv[0]}\n", (argv, handed.stderr)
        assert (handed.returncode, handed.stdout) == (direct.returncode, direct.stdout)
    for argv in (["versions", "--json"], ["version", "-v"], ["--verbose", "version"], ["root"]):
        kept, direct = run_console(argv, work_dir), run_pyshim(*argv, cwd=work_dir)
        assert "pyshim-shim" not in kept.stderr, argv  # answered by the Python CLI in the same process
        assert (kept.returncode, kept.stdout) == (direct.returncode, direct.stdout), argv


def test_console_script_keeps_the_query_when_the_front_end_is_not_its_own(shims_on_path: Path, work_dir: Path) -> None:
    (work_dir / ".python-version").write_text(f"{version_named('3.12')}\n")
    direct = run_pyshim("version", cwd=work_dir)
    text = front_end().read_text()
    for foreign in (text.replace(f"\n_pyshim_python='{sys.executable}'\n", "\n_pyshim_python='/usr/bin/python3'\n"),
                    text.replace("\n_pyshim_src='", "\n_pyshim_src='/elsewhere")):
        assert foreign != text
        front_end().write_text(foreign)
        kept = run_console(["version"], work_dir)
        assert "pyshim-shim" not in kept.stderr and kept.stdout == direct.stdout
    front_end().unlink()
    kept = run_console(["version"], work_dir)
    assert "pyshim-shim" not in kept.stderr and kept.stdout == direct.stdout


def test_console_script_through_a_front_end_that_goes_slow(shims_on_path: Path, work_dir: Path) -> None:
    (work_dir / ".python-version").write_text(">=3.12\n")  # a specifier: only Python can resolve it
    handed, direct = run_console(["version"], work_dir), run_pyshim("version", cwd=work_dir)
    assert handed.stderr.startswith("pyshim-shim: slow pyshim")
    assert (handed.returncode, handed.stdout) == (direct.returncode, direct.stdout)


# ---------------------------------------------------------------------------- before any shims
# With no ROOT/shims yet, `pyshim version` keeps the front-end and its index in the cache
# (shims.cached_front_end) and the console script hands `version [--bare]` to that copy.


def cached_front_end() -> Path:
    return Path(os.environ["PYSHIM_CACHE_DIR"]) / "front-end" / "pyshim"


@pytest.fixture
def no_shims(work_dir: Path) -> Path:
    (work_dir / ".python-version").write_text(f"{version_named('3.12')}\n")
    assert not (root() / "shims").exists()
    return work_dir


@pytest.mark.parametrize("first", [["version", "--bare"], ["prefix"], ["local"]])
def test_before_any_shims_the_queries_are_answered_by_the_cached_front_end(no_shims: Path, first) -> None:
    written = run_console(first, no_shims)
    assert "pyshim-shim" not in written.stderr  # the first call: the Python CLI, which writes the copy
    assert written.stdout == run_pyshim(*first, cwd=no_shims).stdout and cached_front_end().is_file()
    for argv in (["version", "--bare"], ["version"], ["prefix"], ["local"]):
        handed, direct = run_console(argv, no_shims), run_pyshim(*argv, cwd=no_shims)
        assert handed.stderr == f"pyshim-shim: fast pyshim {argv[0]}\n", (argv, handed.stderr)
        assert (handed.returncode, handed.stdout) == (direct.returncode, direct.stdout)
    assert not (root() / "shims").exists()  # a query never writes the shims
    listed = run_console(["versions"], no_shims)
    assert "pyshim-shim" not in listed.stderr  # `versions` is a first command: it writes the shims,
    assert (root() / "shims" / "pyshim").is_file()  # and from then on ROOT/shims' front-end answers
    assert run_console(["version", "--bare"], no_shims).stderr == "pyshim-shim: fast pyshim version\n"


def test_python_m_pyshim_takes_the_same_quick_path(no_shims: Path) -> None:
    run_console(["version", "--bare"], no_shims)
    env = dict(os.environ, PWD=str(no_shims), PYSHIM_DEBUG_SHIM="1")
    handed = subprocess.run([sys.executable, "-m", "pyshim", "version", "--bare"], cwd=no_shims, env=env,
                            capture_output=True, text=True)
    assert handed.stderr == "pyshim-shim: fast pyshim version\n"
    assert handed.stdout == run_pyshim("version", "--bare", cwd=no_shims).stdout


def test_a_stale_cached_front_end_goes_slow_and_is_rewritten(no_shims: Path) -> None:
    run_console(["version", "--bare"], no_shims)
    written = cached_front_end().stat().st_mtime_ns
    (root() / "versions" / "3.99.0").mkdir(parents=True)  # an interpreter folder changed: the index is stale
    slow = run_console(["version", "--bare"], no_shims)
    assert slow.stderr == "pyshim-shim: slow pyshim\n" and slow.stdout == run_pyshim("version", "--bare", cwd=no_shims).stdout
    assert run_console(["version", "--bare"], no_shims).stderr == "pyshim-shim: fast pyshim version\n"
    (no_shims / ".python-version").write_text("3.99.0\n")  # not installed: only Python words the warning
    missing, direct = run_console(["version", "--bare"], no_shims), run_pyshim("version", "--bare", cwd=no_shims)
    assert (missing.returncode, missing.stdout) == (direct.returncode, direct.stdout) == (1, "")
    assert missing.stderr == "pyshim-shim: slow pyshim\n" + direct.stderr
    assert cached_front_end().stat().st_mtime_ns >= written


def test_a_front_end_someone_else_may_write_is_not_run(no_shims: Path) -> None:
    run_console(["version", "--bare"], no_shims)
    direct = run_pyshim("version", "--bare", cwd=no_shims)
    front_end_text = cached_front_end().read_text()
    cached_front_end().chmod(0o777)  # writable by anyone: the console script does not exec it,
    kept = run_console(["version", "--bare"], no_shims)
    assert "pyshim-shim" not in kept.stderr and kept.stdout == direct.stdout
    assert cached_front_end().stat().st_mode & 0o777 == 0o755  # and the CLI wrote it again
    foreign = front_end_text.replace("\n_pyshim_src='", "\n_pyshim_src='/elsewhere")
    cached_front_end().write_text(foreign)  # another pyshim's: not run, and rewritten for this one
    kept = run_console(["version", "--bare"], no_shims)
    assert "pyshim-shim" not in kept.stderr and kept.stdout == direct.stdout
    assert cached_front_end().read_text() == front_end_text
    assert run_console(["version", "--bare"], no_shims).stderr == "pyshim-shim: fast pyshim version\n"
    folder = cached_front_end().parent
    folder.chmod(0o777)  # a folder anyone may write: its front-end could be swapped before the exec
    kept = run_console(["version", "--bare"], no_shims)
    assert "pyshim-shim" not in kept.stderr and kept.stdout == direct.stdout
    folder.chmod(0o700)
    elsewhere = no_shims / "elsewhere"
    cached_front_end().rename(elsewhere)
    cached_front_end().symlink_to(elsewhere)  # a link, even to a good copy: not run (and written again)
    kept = run_console(["version", "--bare"], no_shims)
    assert "pyshim-shim" not in kept.stderr and kept.stdout == direct.stdout
    assert not cached_front_end().is_symlink()
    assert run_console(["version", "--bare"], no_shims).stderr == "pyshim-shim: fast pyshim version\n"


def test_a_cache_that_cannot_be_written_costs_only_speed(no_shims: Path) -> None:
    blocker = no_shims / "a-file"
    blocker.write_text("not a folder\n")
    env = {"PYSHIM_CACHE_DIR": str(blocker / "cache")}
    reference = run_pyshim("version", "--bare", cwd=no_shims)
    for _ in range(2):
        answer = run_pyshim("version", "--bare", cwd=no_shims, env=env)
        assert (answer.returncode, answer.stdout, answer.stderr) == (0, reference.stdout, "")
