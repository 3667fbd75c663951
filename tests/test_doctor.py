"""`pyshim doctor`: each problem it claims to find, set up for real in the test's HOME."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Dict, List

import pytest

from conftest import CLEAN_PATH, SRC, machine_versions, version_named
from helpers import make_venv


@pytest.fixture
def shims(pyshim) -> Path:
    """A real rehash; PYTHONPATH is left out of the doctor's env (pyshim is installed in the test venv)."""
    assert pyshim("rehash", env={"PYTHONPATH": os.environ["PYTHONPATH"]}).returncode == 0
    return Path(os.environ["PYSHIM_ROOT"]) / "shims"


def doctor(pyshim, path: str, **env: str) -> Dict:
    result = pyshim("doctor", "--json", env={"PATH": path, "PYTHONPATH": "", **env})
    report = json.loads(result.stdout)
    assert result.returncode == (0 if report["ok"] else 1), result.stderr
    return report


def checks(report: Dict) -> List[str]:
    return [finding["check"] for finding in report["findings"]]


def real_python(prefix: str) -> Path:
    return machine_versions()[version_named(prefix)] / "bin" / f"python{prefix}"


def test_a_good_setup_has_no_findings(pyshim, shims: Path) -> None:
    report = doctor(pyshim, f"{shims}:{CLEAN_PATH}")
    assert report == {"ok": True, "findings": []}
    text = pyshim("doctor", env={"PATH": f"{shims}:{CLEAN_PATH}", "PYTHONPATH": ""})
    assert text.returncode == 0 and "no problems" in text.stdout


def test_shims_missing_from_path_and_no_rehash(pyshim) -> None:
    report = doctor(pyshim, CLEAN_PATH)
    assert "shims-path" in checks(report) and "stale-shims" in checks(report)
    assert all(finding["fix"] for finding in report["findings"])


def test_folder_with_python_before_the_shims(pyshim, shims: Path, tmp_path: Path) -> None:
    early = tmp_path / "early"
    early.mkdir()
    (early / "python").symlink_to(real_python("3.12"))
    report = doctor(pyshim, f"{early}:{shims}:{CLEAN_PATH}")
    assert {"shims-order", "python-path"} <= set(checks(report))
    assert str(early) in report["findings"][0]["problem"]


def test_pyenv_shims_shadow_pyshim(pyshim, shims: Path, tmp_path: Path) -> None:
    pyenv_shims = tmp_path / "home" / ".pyenv" / "shims"
    pyenv_shims.mkdir(parents=True)
    assert "pyenv-shadow" in checks(doctor(pyshim, f"{pyenv_shims}:{shims}:{CLEAN_PATH}"))
    assert "pyenv-shadow" not in checks(doctor(pyshim, f"{shims}:{pyenv_shims}:{CLEAN_PATH}"))


def test_pip_of_another_interpreter(pyshim, shims: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "python").symlink_to(real_python("3.12"))
    pip = second / "pip"
    pip.write_text(f"#!{real_python('3.11')}\nimport sys\n")
    pip.chmod(0o755)
    report = doctor(pyshim, f"{first}:{second}:{CLEAN_PATH}")
    assert "pip-mismatch" in checks(report)
    (second / "pip").write_text(f"#!{first / 'python'}\nimport sys\n")
    assert "pip-mismatch" not in checks(doctor(pyshim, f"{first}:{second}:{CLEAN_PATH}"))


def test_version_file_naming_something_not_installed(pyshim, shims: Path, work_dir: Path) -> None:
    (work_dir / ".python-version").write_text("3.99\n")
    report = doctor(pyshim, f"{shims}:{CLEAN_PATH}")
    assert checks(report) == ["version-file"]
    assert "3.99" in report["findings"][0]["problem"]
    (work_dir / ".python-version").write_text(version_named("3.12") + "\n")
    assert doctor(pyshim, f"{shims}:{CLEAN_PATH}")["ok"]


def test_stale_shims(pyshim, shims: Path) -> None:
    (shims / "pip3").unlink()
    report = doctor(pyshim, f"{shims}:{CLEAN_PATH}")
    assert checks(report) == ["stale-shims"] and "pip3" in report["findings"][0]["problem"]


def test_venv_whose_base_interpreter_is_gone(pyshim, shims: Path, work_dir: Path, tmp_path: Path) -> None:
    base = tmp_path / "base"
    (base / "bin").mkdir(parents=True)
    venv = make_venv(work_dir / ".venv", "gone")
    config = (venv / "pyvenv.cfg").read_text()
    (venv / "pyvenv.cfg").write_text("".join(
        f"home = {base / 'bin'}\n" if line.startswith("home") else line + "\n" for line in config.splitlines()))
    assert doctor(pyshim, f"{shims}:{CLEAN_PATH}")["ok"] is True  # base folder still there: not broken
    base.joinpath("bin").rmdir()  # the base interpreter's folder goes away
    report = doctor(pyshim, f"{shims}:{CLEAN_PATH}")
    assert checks(report) == ["venv-broken"] and str(venv) in report["findings"][0]["problem"]


def test_python_variables(pyshim, shims: Path, tmp_path: Path) -> None:
    report = doctor(pyshim, f"{shims}:{CLEAN_PATH}", PYTHONPATH=str(tmp_path))
    assert checks(report) == ["python-variables"] and "PYTHONPATH" in report["findings"][0]["problem"]
    # PYTHONHOME moves the interpreter running pyshim too: point it at that interpreter's own home.
    report = doctor(pyshim, f"{shims}:{CLEAN_PATH}", PYTHONHOME=sys.base_prefix, PYTHONPATH=SRC)
    assert sorted(f["problem"].split()[0] for f in report["findings"]) == ["PYTHONHOME", "PYTHONPATH"]


@pytest.mark.parametrize("shell, name", [("/usr/bin/fish", "fish"), ("/bin/tcsh", "tcsh"), ("/bin/dash", "sh"),
                                         ("/usr/bin/xonsh", "xonsh"), ("/bin/rc", "bash")])
def test_fix_names_the_users_shell(pyshim, shell: str, name: str) -> None:
    from pyshim.shell import INIT_LINES

    rc_file, line = INIT_LINES[name]
    report = doctor(pyshim, CLEAN_PATH, SHELL=shell)
    fix = next(finding["fix"] for finding in report["findings"] if finding["check"] == "shims-path")
    assert f"`{line}`" in fix and rc_file in fix
    pyenv_shims = Path(os.environ["PYENV_ROOT"]) / "shims"
    report = doctor(pyshim, f"{pyenv_shims}:{Path(os.environ['PYSHIM_ROOT']) / 'shims'}:{CLEAN_PATH}", SHELL=shell)
    fix = next(finding["fix"] for finding in report["findings"] if finding["check"] == "pyenv-shadow")
    assert f"`{line}` after it" in fix and rc_file in fix


def test_an_active_venv_of_another_version_is_reported(pyshim, shims: Path, work_dir: Path) -> None:
    venv = make_venv(work_dir / ".venv", "proj")
    (work_dir / ".python-version").write_text("3.11\n")
    path = f"{venv}/bin:{shims}:{CLEAN_PATH}"
    report = doctor(pyshim, path, VIRTUAL_ENV=str(venv), PWD=str(work_dir))
    assert checks(report) == ["venv-mismatch"], report
    (work_dir / ".python-version").write_text("3.12\n")
    assert doctor(pyshim, path, VIRTUAL_ENV=str(venv), PWD=str(work_dir))["ok"]


def test_python_path_names_the_command_that_exists(pyshim, shims: Path, tmp_path: Path) -> None:
    early = tmp_path / "early"
    early.mkdir()
    (early / "python3").symlink_to(real_python("3.12"))  # a python3, and no `python` anywhere on PATH
    report = doctor(pyshim, f"{early}:/nonexistent")
    problems = [finding["problem"] for finding in report["findings"] if finding["check"] == "python-path"]
    assert problems == [f"`python3` runs {early / 'python3'}, which is neither a pyshim shim nor the active venv"]


@pytest.mark.parametrize("path", [".:{shims}:{clean}", "{shims}:{clean}:", "{shims}::{clean}", "{shims}:bin:{clean}"])
def test_relative_path_entry(pyshim, shims: Path, path: str) -> None:
    report = doctor(pyshim, path.format(shims=shims, clean=CLEAN_PATH))
    relative = [finding for finding in report["findings"] if finding["check"] == "path-relative"]
    assert len(relative) == 1 and "relative to the current folder" in relative[0]["problem"]
    assert "remove it from PATH" in relative[0]["fix"]
