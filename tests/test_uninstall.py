"""`pyshim uninstall NAME...`: remove what `pyshim install` put in ROOT/versions (installing and
then uninstalling a real build, and the refusal while a named venv uses it, are in test_install.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import machine_versions


def test_removes_the_folders_it_is_given_and_nothing_else(pyshim) -> None:
    versions = Path(os.environ["PYSHIM_ROOT"]) / "versions"
    for name in ("3.12.99", "3.11.99", "3.10.99"):
        (versions / name / "bin").mkdir(parents=True)
    result = pyshim("uninstall", "3.12.99", "3.11.99")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"removed {versions / '3.12.99'}", f"removed {versions / '3.11.99'}"]
    assert sorted(entry.name for entry in versions.iterdir() if not entry.name.startswith(".")) == ["3.10.99"]


def test_a_name_pyshim_did_not_install_is_one_line(pyshim) -> None:
    pyenv_name = sorted(machine_versions())[-1]  # pyenv's, not pyshim's: uninstall never touches it
    for name in (pyenv_name, "3.99.1"):
        result = pyshim("uninstall", name)
        assert result.returncode == 1 and result.stdout == ""
        assert result.stderr.count("\n") == 1 and f"{name} is not installed by pyshim" in result.stderr
    assert (machine_versions()[pyenv_name] / "bin" / "python").exists()


@pytest.mark.parametrize("name", ["../venvs", "3.12/../..", "/tmp"])
def test_names_that_lead_out_of_the_versions_folder_are_refused(pyshim, name: str, tmp_path: Path) -> None:
    (Path(os.environ["PYSHIM_ROOT"]) / "venvs").mkdir(parents=True)
    result = pyshim("uninstall", name)
    assert result.returncode != 0 and result.stdout == "" and result.stderr.count("\n") == 1
    assert (Path(os.environ["PYSHIM_ROOT"]) / "venvs").is_dir()
