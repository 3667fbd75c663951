"""The shims as programs: real sh shims run as subprocesses against the machine's interpreters.

Each test rehashes into its own sealed root, then runs `ROOT/shims/CMD` from real directories.
`PYSHIM_DEBUG_SHIM=1` makes a shim say on stderr whether it took the fast or the slow path, so a
test can check both the answer and the road it took.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Sequence

import pytest

from conftest import CLEAN_PATH, machine_versions, run_pyshim, version_named, without_read_override
from helpers import REPO, rehash, run_shim
from pyshim.shims.index import CONTEXT_VARIABLES

PRINT_EXECUTABLE = "import sys; print(sys.executable)"


def road(result: subprocess.CompletedProcess) -> str:
    """'fast' or 'slow': what the shim said on stderr under PYSHIM_DEBUG_SHIM."""
    for line in result.stderr.decode("utf-8", "replace").splitlines():
        if line.startswith("pyshim-shim: "):
            return line.split()[1]
    raise AssertionError(f"the shim did not say which path it took: {result.stderr!r}")


def interpreter_of(name: str) -> str:
    return str(Path(os.environ["PYENV_ROOT"]) / "versions" / name / "bin" / "python")


@pytest.fixture
def shims_dir() -> Path:
    return rehash()


def test_selection_by_directory_takes_the_fast_path(shims_dir: Path, work_dir: Path) -> None:
    v312, v311 = version_named("3.12"), version_named("3.11")
    (work_dir / "a").mkdir()
    (work_dir / "b").mkdir()
    (work_dir / "a" / ".python-version").write_text(v312 + "\n")
    (work_dir / "b" / ".python-version").write_text(v311 + "\n")
    deep = work_dir / "a" / "1" / "2" / "3" / "4" / "5" / "6" / "7" / "8"
    deep.mkdir(parents=True)
    for directory, name in ((work_dir / "a", v312), (work_dir / "b", v311), (deep, v312)):
        result = run_shim("python", "-c", PRINT_EXECUTABLE, cwd=directory)
        assert result.returncode == 0, result.stderr
        assert result.stdout.decode().strip() == interpreter_of(name)
        assert road(result) == "fast"


def test_prefix_alias_resolves_like_the_resolver(shims_dir: Path, work_dir: Path, pyshim) -> None:
    (work_dir / ".python-version").write_text("3\n")
    result = run_shim("python", "-c", PRINT_EXECUTABLE, cwd=work_dir)
    expected = pyshim("which", "python", cwd=work_dir)
    assert result.stdout.decode().strip() == expected.stdout.strip()
    assert road(result) == "fast"


def test_changed_environment_takes_the_slow_path_with_the_same_answer(shims_dir: Path, work_dir: Path) -> None:
    v312 = version_named("3.12")
    (work_dir / ".python-version").write_text(f"{v312}\n")
    other_path = run_shim("python", "-c", PRINT_EXECUTABLE, cwd=work_dir, env={"PATH": "/usr/bin:/bin"})
    assert other_path.stdout.decode().strip() == interpreter_of(v312) and road(other_path) == "fast"  # exact name
    (work_dir / ".python-version").write_text("3.12\n")  # managed interpreters rank first: PATH cannot change it
    for path in ("/usr/bin:/bin", f"{os.environ['PATH']}:{work_dir}", f"/opt/nowhere:{os.environ['PATH']}"):
        other_path = run_shim("python", "-c", PRINT_EXECUTABLE, cwd=work_dir, env={"PATH": path})
        assert other_path.stdout.decode().strip() == interpreter_of(v312) and road(other_path) == "fast", path
    other_home = run_shim("python", "-c", PRINT_EXECUTABLE, cwd=work_dir, env={"HOME": str(work_dir)})
    assert other_home.stdout.decode().strip() == interpreter_of(v312) and road(other_home) == "slow"
    (work_dir / ".python-version").write_text(f"{v312}\n")
    for name in CONTEXT_VARIABLES:  # each one the resolver reads: a change sends the shim to `pyshim exec`
        changed = {name: str(work_dir / "elsewhere")}
        result = run_shim("python", "-c", PRINT_EXECUTABLE, cwd=work_dir, env=changed)
        direct = run_pyshim("exec", "python", "-c", PRINT_EXECUTABLE, cwd=work_dir, env=changed)
        assert road(result) == "slow" and result.stdout.decode() == direct.stdout, name


def test_several_versions_first_with_the_command_wins(shims_dir: Path, work_dir: Path) -> None:
    v313, v312 = version_named("3.13"), version_named("3.12")
    (work_dir / ".python-version").write_text(f"# two versions\r\n{v313}\r\n{v312}  # fallback\r\n")
    python = run_shim("python", "-c", "import os, sys; print(sys.executable); print(os.environ['PATH'])", cwd=work_dir)
    executable, path = python.stdout.decode().splitlines()
    assert executable == interpreter_of(v313)
    bins = [str(Path(interpreter_of(name)).parent) for name in (v313, v312)]
    assert path.split(os.pathsep)[:2] == [bins[0], "/usr/local/sbin"]  # the version that ran it, then PATH
    two_to_three = run_shim("2to3", "--help", cwd=work_dir)  # 3.13 has no 2to3 any more
    assert two_to_three.returncode == 0, two_to_three.stderr
    assert road(two_to_three) == "fast"
    assert f"versions/{v312}/bin/2to3" in two_to_three.stderr.decode()
    code = "import os; print(os.environ['PATH'])"  # python3.12 runs from 3.12: its bin folder only, as pyenv
    child = run_shim("python3.12", "-c", code, cwd=work_dir)
    assert child.stdout.decode().split(os.pathsep)[:2] == [bins[1], "/usr/local/sbin"]


def test_environment_variable_wins_over_the_file(shims_dir: Path, work_dir: Path) -> None:
    v312, v311 = version_named("3.12"), version_named("3.11")
    (work_dir / ".python-version").write_text(v312)
    for variable in ("PYSHIM_VERSION", "PYENV_VERSION"):
        result = run_shim("python", "-c", PRINT_EXECUTABLE, cwd=work_dir, env={variable: f"  {v311}:{v312} "})
        assert result.stdout.decode().strip() == interpreter_of(v311)
        assert road(result) == "fast"


def test_global_file_when_no_local_names(shims_dir: Path, work_dir: Path) -> None:
    v310 = version_named("3.10")
    (Path(os.environ["PYSHIM_ROOT"]) / "version").write_text(v310 + "\n")
    (work_dir / ".python-version").write_text("# only a comment\n\n")
    result = run_shim("python", "-c", PRINT_EXECUTABLE, cwd=work_dir)
    assert result.stdout.decode().strip() == interpreter_of(v310)
    assert road(result) == "fast"


def test_system_runs_the_next_command_on_path_without_recursion(shims_dir: Path, work_dir: Path, tmp_path: Path) -> None:
    system_python = shutil.which("python3", path=os.environ["PATH"])
    if system_python is None:
        pytest.skip("no python3 on the system PATH")
    (work_dir / ".python-version").write_text("system\n")
    link = tmp_path / "shims-link"
    link.symlink_to(shims_dir)
    relative = os.path.relpath(shims_dir, work_dir)
    paths = {
        "first": f"{shims_dir}:{os.environ['PATH']}",
        "twice": f"{shims_dir}:{shims_dir}:{os.environ['PATH']}:{shims_dir}",
        "symlink": f"{link}:{os.environ['PATH']}",
        "relative": f"{relative}:{os.environ['PATH']}",
    }
    for label, path in paths.items():
        result = run_shim("python3", "-c", PRINT_EXECUTABLE, cwd=work_dir, env={"PATH": path})
        assert result.returncode == 0, (label, result.stderr)
        assert result.stdout.decode().strip() == system_python, label
    result = run_shim("python3", "-c", PRINT_EXECUTABLE, cwd=work_dir)
    assert road(result) == "fast"


def test_recursion_guard_turns_a_loop_into_an_error(shims_dir: Path, work_dir: Path, tmp_path: Path) -> None:
    loop = tmp_path / "copied"
    loop.mkdir()
    shutil.copy2(shims_dir / "pydoc3", loop / "pydoc3")  # a stray copy, not in a marked folder
    (work_dir / ".python-version").write_text("system\n")
    result = run_shim("pydoc3", "sys", cwd=work_dir, env={"PATH": f"{loop}:{os.environ['PATH']}"})
    assert result.returncode == 126
    assert "PYSHIM_SHIM_DEPTH" in result.stderr.decode()


def test_missing_command_exits_127_and_names_the_versions_that_have_it(shims_dir: Path, work_dir: Path) -> None:
    v313, v312 = version_named("3.13"), version_named("3.12")
    (work_dir / ".python-version").write_text(v313)
    result = run_shim("2to3", cwd=work_dir)  # 3.13 has no 2to3 any more
    assert result.returncode == 127
    message = result.stderr.decode()
    assert "2to3: command not found" in message and v312 in message and "pyshim local" in message


def test_versioned_command_runs_its_own_version_outside_the_selection(shims_dir: Path, work_dir: Path) -> None:
    v312, v310, v39 = version_named("3.12"), version_named("3.10"), version_named("3.9")
    (work_dir / ".python-version").write_text("3.12\n")
    probe = "import os, sys; print(sys.executable); print(os.environ['PATH'].split(os.pathsep)[0])"
    for command, version in (("python3.10", v310), ("python3.9", v39), ("python3.12", v312)):
        result = run_shim(command, "-c", probe, cwd=work_dir)
        executable, first_on_path = result.stdout.decode().splitlines()
        assert Path(executable).name == command and f"/{version}/" in executable, (command, result.stderr)
        assert first_on_path == str(Path(interpreter_of(version)).parent)
        assert road(result) == "fast"
        direct = run_pyshim("exec", command, "-c", probe, cwd=work_dir)
        assert direct.returncode == 0 and direct.stdout == result.stdout.decode(), direct.stderr
    pip = run_shim("pip3.10", "--version", cwd=work_dir)
    assert f"/{v310}/" in pip.stdout.decode()
    assert run_pyshim("which", "python3.10", cwd=work_dir).stdout.strip().endswith(f"/{v310}/bin/python3.10")


def stripped(command: str, *args: str, cwd: Path, keep: Sequence[str] = ()) -> subprocess.CompletedProcess:
    """Run a shim as tox, cron or `env -i` do: only PATH (and the variables in `keep`)."""
    env = {"PATH": f"{os.environ['PYSHIM_ROOT']}/shims:{CLEAN_PATH}", "PWD": str(cwd), "PYSHIM_DEBUG_SHIM": "1"}
    env.update({name: os.environ[name] for name in keep})
    path = Path(os.environ["PYSHIM_ROOT"]) / "shims" / command
    return subprocess.run(["/usr/bin/env", "-i", *(f"{k}={v}" for k, v in env.items()), str(path), *args],
                          cwd=cwd, capture_output=True, timeout=60)


def test_stripped_environment_selects_what_the_full_one_selects(shims_dir: Path, work_dir: Path) -> None:
    """The test's PYSHIM_ROOT and PYENV_ROOT are not the defaults: the shims carry them."""
    v312, v310 = version_named("3.12"), version_named("3.10")
    (work_dir / ".python-version").write_text("3.12 3.10\n")
    for keep in ((), ("HOME",)):
        for command, version in (("python", v312), ("python3.10", v310)):
            result = stripped(command, "-c", PRINT_EXECUTABLE, cwd=work_dir, keep=keep)
            assert result.returncode == 0, result.stderr
            assert f"/{version}/bin/" in result.stdout.decode() and road(result) == "fast", (keep, command)
    (work_dir / ".python-version").write_text("nope 3.12\n")  # the slow path must look in the same roots
    slow = stripped("python", "-c", "import os; print(os.environ['PYENV_ROOT'])", cwd=work_dir)
    assert road(slow) == "slow" and b"nope" in slow.stderr and b"is not installed" in slow.stderr
    (work_dir / ".python-version").write_text("3.12\n")
    (Path(os.environ["PYSHIM_ROOT"]) / "versions").mkdir()  # stale: the slow path rehashes, in the same roots
    slow = stripped("python", "-c", "import os; print(os.environ['PYENV_ROOT'])", cwd=work_dir)
    assert road(slow) == "slow" and slow.stdout.decode().strip() == os.environ["PYENV_ROOT"], slow.stderr
    assert road(stripped("python", "-c", "pass", cwd=work_dir)) == "fast"


@pytest.mark.parametrize("shell", ["dash", "bash", "/bin/sh", "ksh", "mksh"])
def test_arguments_pass_through_untouched_under_each_shell(shims_dir: Path, work_dir: Path, shell: str) -> None:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    (work_dir / ".python-version").write_text(version_named("3.12"))
    arguments = ["", "two words", "'single'", '"double"', "-v", "--", "*", "$HOME", "`id`", "ünï©ødé", "a\nb", "\\"]
    result = run_shim("python", "-c", "import json, sys; print(json.dumps(sys.argv[1:]))", *arguments,
                      cwd=work_dir, shell=shell)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == arguments
    assert road(result) == "fast"


def test_exit_status_signals_and_stdin_pass_through(shims_dir: Path, work_dir: Path) -> None:
    (work_dir / ".python-version").write_text(version_named("3.11"))
    assert run_shim("python", "-c", "raise SystemExit(7)", cwd=work_dir).returncode == 7
    killed = run_shim("python", "-c", "import os, signal; os.kill(os.getpid(), signal.SIGTERM)", cwd=work_dir)
    assert killed.returncode == -signal.SIGTERM
    data = bytes(range(256)) * 64
    echoed = run_shim("python", "-c", "import sys; sys.stdout.buffer.write(sys.stdin.buffer.read())", cwd=work_dir, input=data)
    assert echoed.stdout == data


def test_shim_reached_through_a_symlink(shims_dir: Path, work_dir: Path, tmp_path: Path) -> None:
    v39 = version_named("3.9")
    (work_dir / ".python-version").write_text(v39)
    link = tmp_path / "bin" / "py"
    link.parent.mkdir()
    link.symlink_to(shims_dir / "python")
    result = run_shim("python", "-c", PRINT_EXECUTABLE, cwd=work_dir, shim=link)
    assert result.stdout.decode().strip() == interpreter_of(v39)


def test_path_with_spaces_and_unicode(shims_dir: Path, work_dir: Path) -> None:
    v310 = version_named("3.10")
    project = work_dir / "my project ünï" / "sub dir $x"
    project.mkdir(parents=True)
    (work_dir / "my project ünï" / ".python-version").write_text(v310)
    result = run_shim("python", "-c", PRINT_EXECUTABLE, cwd=project)
    assert result.stdout.decode().strip() == interpreter_of(v310)
    assert road(result) == "fast"


HOSTILE = [
    b"../../bin/sh\n",
    b"$(touch PWNED)\n",
    b"`touch PWNED`\n",
    b"3.12; touch PWNED\n",
    b"a b*c [x] ?\n",
    b"3.12 # ok\x0b3.11\n",
    b"3.12\x00\n",
    b"\xff\xfe3.12\n",
    b"3" * 70000 + b"\n",
    b"# " + b"x" * 70000 + b"\n3.12\n",
    b"~root\n",
    b"-c\n",
]


@pytest.mark.parametrize("content", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_version_files_never_run_anything_else(shims_dir: Path, work_dir: Path, content: bytes) -> None:
    (work_dir / ".python-version").write_bytes(content)
    result = run_shim("python", "-c", PRINT_EXECUTABLE, cwd=work_dir)
    assert not (work_dir / "PWNED").exists()
    if result.returncode == 0:
        executable = result.stdout.decode().strip()
        assert executable in {interpreter_of(name) for name in machine_versions()}
    direct = run_pyshim("exec", "python", "-c", PRINT_EXECUTABLE, cwd=work_dir)
    assert (result.returncode, result.stdout.decode()) == (direct.returncode, direct.stdout)


def test_logical_pwd_and_broken_version_files_match_pyshim_exec(shims_dir: Path, work_dir: Path, tmp_path: Path) -> None:
    v312, v311 = version_named("3.12"), version_named("3.11")
    (work_dir / ".python-version").write_text(v312)
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "real").mkdir(parents=True)
    (elsewhere / ".python-version").write_text(v311)
    (work_dir / "link").symlink_to(elsewhere / "real")
    inside = work_dir / "link"
    loop = work_dir / "looped"
    loop.mkdir()
    (loop / ".python-version").symlink_to(loop / ".python-version")  # ELOOP: passed over
    dangling = work_dir / "dangling"
    dangling.mkdir()
    (dangling / ".python-version").symlink_to(work_dir / "missing")
    for cwd, expected in ((inside, v312), (loop, v312), (dangling, v312)):
        result = run_shim("python", "-c", PRINT_EXECUTABLE, cwd=cwd)
        direct = run_pyshim("exec", "python", "-c", PRINT_EXECUTABLE, cwd=cwd)
        assert result.stdout.decode().strip() == direct.stdout.strip() == interpreter_of(expected), cwd
        assert road(result) == "fast"


def test_unreadable_parent_is_passed_over(shims_dir: Path, work_dir: Path) -> None:
    """A folder on the way up that may be searched but not read (as root, CI: without the
    capabilities that let root read every folder)."""
    (work_dir / ".python-version").write_text(version_named("3.12"))
    locked = work_dir / "locked"
    inner = locked / "inner"
    inner.mkdir(parents=True)
    locked.chmod(0o311)
    without_override = without_read_override()
    assert subprocess.run([*without_override, "ls", str(locked)], capture_output=True).returncode != 0
    try:
        result = run_shim("python", "-c", PRINT_EXECUTABLE, cwd=inner, prefix=without_override)
        assert result.stdout.decode().strip() == interpreter_of(version_named("3.12"))
        assert road(result) == "fast"
    finally:
        locked.chmod(0o755)


def test_shim_text_is_valid_sh_and_passes_shellcheck(shims_dir: Path) -> None:
    templates = [REPO / "shims" / "shim.sh", REPO / "shims" / "pyshim.sh"]
    files = [REPO / "shims" / "lib.sh", shims_dir / "python", shims_dir / "pyshim", shims_dir / ".pyshim-index",
             shims_dir / ".pyshim-index-aliases", shims_dir / ".pyshim-index-versions"]
    for file in templates + files:
        for shell in ("sh", "dash", "bash"):
            assert subprocess.run([shell, "-n", str(file)]).returncode == 0, (shell, file)
    if shutil.which("shellcheck") is None:
        pytest.skip("shellcheck is not installed")
    # The templates themselves are checked as rendered (with shims/lib.sh pasted in).
    checked = subprocess.run(["shellcheck", "-s", "sh", *map(str, files)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout


def test_concurrent_rehash_while_shims_run(shims_dir: Path, work_dir: Path) -> None:
    v312 = version_named("3.12")
    (work_dir / ".python-version").write_text(v312)
    rehashers = [
        subprocess.Popen([sys.executable, "-c", "from pyshim.shims.rehash import rehash\nfor _ in range(5): rehash()"],
                         env=dict(os.environ), stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    answers = set()
    while any(process.poll() is None for process in rehashers):
        result = run_shim("python", "-S", "-c", PRINT_EXECUTABLE, cwd=work_dir)
        assert result.returncode == 0, result.stderr
        answers.add(result.stdout.decode().strip())
    for process in rehashers:
        assert process.wait() == 0, process.stderr.read()
    assert answers == {interpreter_of(v312)}


@pytest.mark.parametrize("layout", ["lines", "one-line"])
def test_a_long_version_file_runs_with_one_path_entry_per_version(layout: str, shims_dir: Path, work_dir: Path) -> None:
    """4,000 names used to grow PATH by 4,000 entries ("Argument list too long"); repeats count once."""
    first, second = version_named("3.12"), version_named("3.11")
    names = [first, second] * 2000
    (work_dir / ".python-version").write_text(("\n" if layout == "lines" else " ").join(names) + "\n")
    show = "import os, sys; print(sys.executable); print(os.environ['PATH'])"
    for result in (run_shim("python", "-c", show, cwd=work_dir),
                   run_pyshim("exec", "python", "-c", show, cwd=work_dir)):
        assert result.returncode == 0, result.stderr
        out = result.stdout if isinstance(result.stdout, str) else result.stdout.decode()
        executable, path = out.splitlines()
        assert executable == interpreter_of(first)
        entries = path.split(":")
        assert entries.count(str(Path(interpreter_of(first)).parent)) == 1, entries[:5]  # the one that runs, once
        assert entries.count(str(Path(interpreter_of(second)).parent)) == 0, entries[:5]  # as pyenv's exec
