"""`pyshim rehash` and `pyshim.shims`: which shims get written, the index, locks, Windows text."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from functools import partial
from pathlib import Path
from typing import List

import pytest

from conftest import machine_versions, run_pyshim, version_named
from helpers import build_pyshim_wheel, make_named_venv, run_shim, write_wheel
from helpers import pyshim_root as root
from pyshim.shims import rehash as shims  # the module: shims.rehash(), shims.INDEX_NAME
from pyshim.interpreters.discovery import find_interpreters
from pyshim.selection.request import is_plain_name, parse_request
from pyshim.interpreters.resolve import find_interpreter

# this module reads what the shims print as text
run_shim = partial(run_shim, text=True)


def executables_in(folder: Path) -> List[str]:
    return [entry.name for entry in folder.iterdir() if entry.is_file() and os.access(entry, os.X_OK)]


def test_rehash_writes_one_shim_per_command_and_the_marker(pyshim) -> None:
    result = pyshim("rehash")
    assert result.returncode == 0, result.stderr
    shims_dir = root() / "shims"
    expected = set()
    for name in machine_versions():
        expected.update(executables_in(Path(os.environ["PYENV_ROOT"]) / "versions" / name / "bin"))
    written = {entry.name for entry in shims_dir.iterdir() if not entry.name.startswith(".")}
    assert written == {name for name in expected if is_plain_name(name)} | {shims.FRONT_END_NAME}
    assert shims.FRONT_END_NAME not in shims.existing_shims(shims_dir)  # the front-end is never a stale shim
    v312 = version_named("3.12").rsplit(".", 1)[0]
    for command in ("python", "python3", f"python{v312}", "pip", f"pip{v312}", "pydoc", "idle", "2to3", "python-config"):
        assert os.access(shims_dir / command, os.X_OK), command
    assert (shims_dir / ".pyshim-shims").is_file() and (shims_dir / ".pyshim-index").is_file()
    assert f"{len(written) - 1} shims in {shims_dir}" in result.stdout  # the front-end is not counted
    again = pyshim("rehash", "--quiet")
    assert again.returncode == 0 and again.stdout == ""


def test_index_answers_what_the_resolver_answers() -> None:
    result = shims.rehash()
    interpreters = find_interpreters().interpreters
    probes = sorted(set(result.index_names) | {"3.11.2", "nope", "3.99", "pypy3.10", "system"})
    script = '_pyshim_index=$1; . "$1"; shift; for n do if _pyshim_lookup "$n"; then echo "$n=${_pyshim_bin:-SYSTEM}=$_pyshim_real"; else echo "$n=-"; fi; done'
    index = Path(result.shims_dir) / shims.INDEX_NAME
    out = subprocess.run(["sh", "-c", script, "sh", str(index), *probes], capture_output=True, text=True, check=True)
    answered = dict(line.split("=", 1) for line in out.stdout.splitlines())
    for name in probes:
        chosen = find_interpreter(parse_request(name, allow_path=False), interpreters)
        if chosen is None:
            assert answered[name] == "-", name
        elif chosen.is_system:
            assert answered[name] in ("-", "SYSTEM=system"), name
        else:
            assert answered[name] == f"{chosen.bin_dir}={chosen.name}", name  # the front-end prints the name
    assert "3.12" in answered and answered["3.12"] != "-"


def test_named_venv_gets_shims_and_is_selected_by_name(work_dir: Path) -> None:
    venv = make_named_venv("demo")
    tool = venv / "bin" / "demo-tool"
    tool.write_text("#!/bin/sh\necho demo-tool ran\n")
    tool.chmod(0o755)
    result = shims.rehash()
    assert "demo-tool" in result.commands and "demo" in result.index_names
    (work_dir / ".python-version").write_text("demo\n")
    ran = run_shim("python", "-c", "import sys; print(sys.prefix)", cwd=work_dir)
    assert ran.stdout.strip() == str(venv) and "fast" in ran.stderr
    assert run_shim("demo-tool", cwd=work_dir).stdout == "demo-tool ran\n"


def test_stale_shims_are_removed_and_other_files_kept(work_dir: Path) -> None:
    venv = make_named_venv("gone")
    (venv / "bin" / "gone-tool").write_text("#!/bin/sh\n")
    (venv / "bin" / "gone-tool").chmod(0o755)
    shims.rehash()
    foreign = root() / "shims" / "not-a-shim"
    foreign.write_text("#!/bin/sh\necho mine\n")
    foreign.chmod(0o755)
    (venv / "bin" / "gone-tool").unlink()
    result = shims.rehash()
    assert "gone-tool" in result.removed
    assert not (root() / "shims" / "gone-tool").exists()
    assert foreign.is_file()


def test_stale_index_goes_slow_and_heals_itself(work_dir: Path) -> None:
    shims.rehash()
    time.sleep(0.1)
    venv = make_named_venv("late")  # after the rehash: the index does not know it yet
    (work_dir / ".python-version").write_text("late\n")
    first = run_shim("python", "-c", "import sys; print(sys.prefix)", cwd=work_dir)
    assert first.stdout.strip() == str(venv) and "slow" in first.stderr
    second = run_shim("python", "-c", "import sys; print(sys.prefix)", cwd=work_dir)
    assert second.stdout.strip() == str(venv) and "fast" in second.stderr


def _demo_wheel(folder: Path) -> Path:
    files = {
        "pyshim_demo.py": "def main():\n    print('pyshim demo ran')\n",
        "pyshim_demo-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: pyshim-demo\nVersion: 1.0\n",
        "pyshim_demo-1.0.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        "pyshim_demo-1.0.dist-info/entry_points.txt": "[console_scripts]\npyshim-demo = pyshim_demo:main\n",
    }
    return write_wheel(folder, "pyshim_demo-1.0-py3-none-any.whl", {name: text.encode() for name, text in files.items()})


def test_pip_install_and_uninstall_through_a_shim_rehash(work_dir: Path, tmp_path: Path) -> None:
    make_named_venv("pipper", with_pip=True)
    shims.rehash()
    (work_dir / ".python-version").write_text("pipper\n")
    wheel = _demo_wheel(tmp_path)
    installed = run_shim("pip", "install", "--no-index", "--disable-pip-version-check", "-q", str(wheel), cwd=work_dir)
    assert installed.returncode == 0, installed.stderr
    demo = run_shim("pyshim-demo", cwd=work_dir)
    assert demo.stdout == "pyshim demo ran\n", demo.stderr
    removed = run_shim("python", "-m", "pip", "uninstall", "-y", "-q", "pyshim-demo", cwd=work_dir)
    assert removed.returncode == 0, removed.stderr
    assert not (root() / "shims" / "pyshim-demo").exists()
    failed = run_shim("pip", "install", "--no-index", "-q", "surely-not-a-package-xyz", cwd=work_dir)
    assert failed.returncode != 0  # the shim waits for pip, rehashes, and keeps pip's status


def test_two_rehashes_at_once_and_a_killed_lock_holder() -> None:
    shims.rehash()
    lock = root() / "shims" / shims.LOCK_NAME
    holder = subprocess.Popen(
        [sys.executable, "-c", f"from pyshim.base.fsutil import file_lock\nimport time\nwith file_lock({str(lock)!r}):\n"
         "    print('held', flush=True)\n    time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    started = time.monotonic()
    both = [subprocess.Popen([sys.executable, "-m", "pyshim", "rehash", "--quiet"]) for _ in range(2)]
    assert [process.wait(timeout=60) for process in both] == [0, 0]
    assert time.monotonic() - started < 20
    index = (root() / "shims" / shims.INDEX_NAME).read_text()
    assert index.rstrip().endswith("}") and subprocess.run(["sh", "-n", str(root() / "shims" / shims.INDEX_NAME)]).returncode == 0
    assert not [p for p in (root() / "shims").iterdir() if p.name.endswith(".tmp")]


def test_windows_cmd_shims_go_through_pyshim_exec() -> None:
    text = shims.render_cmd_shim("python.exe", r"C:\Tools\pyshim\python.exe", r"C:\Tools\pyshim\Lib\site-packages")
    assert text.startswith("@echo off\r\n") and "\r\n" in text and "\n" not in text.replace("\r\n", "")
    assert '"C:\\Tools\\pyshim\\python.exe" -I -c ' in text
    assert '"C:\\Tools\\pyshim\\Lib\\site-packages" exec "python.exe" %*' in text
    assert "exit /b %ERRORLEVEL%" in text
    assert shims.windows_shim_name("python.exe") == "python.cmd"
    assert shims.windows_shim_name("black") == "black.cmd"


def test_windows_rehash_writes_cmd_files(tmp_path: Path) -> None:
    venv = make_named_venv("winlike")
    (venv / "bin" / "tool.exe").write_bytes(b"MZ")
    result = shims.rehash(windows=True)
    assert "tool.cmd" in result.commands
    assert (root() / "shims" / "tool.cmd").read_bytes().count(b"\r\n") >= 5


def test_wheel_ships_the_templates(tmp_path: Path) -> None:
    names = zipfile.ZipFile(build_pyshim_wheel(tmp_path)).namelist()
    for template in ("shim.sh", "shim.cmd", "lib.sh", "pyshim.sh"):
        assert f"pyshim/shim_templates/{template}" in names, template


@pytest.mark.parametrize("argv", [
    ["init", "bash"], ["init", "fish"], ["local", "3.12"], ["global", "3.12"], ["shell", "3.12"], ["versions"],
    ["venv", "v", "--without-pip"], ["venv", "--name", "tools", "--without-pip"],
])
def test_the_first_commands_leave_working_shims(argv: List[str], work_dir: Path) -> None:
    """No `pyshim rehash` for a new user: the commands Daily use starts with write the shims."""
    assert not (root() / "shims").exists()
    function = {"PYSHIM_SHELL_FUNCTION": "1"} if argv[0] == "shell" else {}  # as the shell function runs it
    result = run_pyshim(*argv, cwd=work_dir, env=function)
    assert result.returncode == 0, result.stderr
    (work_dir / ".python-version").write_text("3.12\n")
    ran = run_shim("python", "-c", "import sys; print(sys.executable)", cwd=work_dir)
    assert ran.returncode == 0 and f"/{version_named('3.12')}/bin/python" in ran.stdout, (argv, ran.stderr)
    assert "fast" in ran.stderr


def test_first_commands_rehash_only_when_something_changed(work_dir: Path) -> None:
    assert shims.needs_rehash() == "there are no shims yet"
    shims.rehash()
    assert shims.needs_rehash() is None
    index = root() / "shims" / shims.INDEX_NAME
    before = index.stat().st_mtime_ns
    assert run_pyshim("local", "3.12", cwd=work_dir).returncode == 0
    assert index.stat().st_mtime_ns == before  # up to date: not rewritten
    (root() / "versions").mkdir()  # a version folder appeared since
    assert shims.needs_rehash() == f"{root() / 'versions'} changed"
    assert run_pyshim("local", "3.11", cwd=work_dir).returncode == 0
    assert shims.needs_rehash() is None
    other = {"PYENV_ROOT": str(work_dir)}
    probe = run_pyshim("init", "bash", cwd=work_dir, env=other)
    assert probe.returncode == 0
    assert f"'{work_dir}'" in index.read_text()  # rewritten for the folders now in force
