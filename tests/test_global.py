"""`pyshim global`: pyshim's global version file, and what selection falls back to without it
(writing, showing and unsetting, shared with `local`, are in test_local.py)."""

from __future__ import annotations

from pathlib import Path

from conftest import version_named
from pyshim.base import paths


def test_global_shows_pyenvs_global_file_when_pyshim_has_none(pyshim, work_dir, tmp_path, monkeypatch):
    pyenv_root = tmp_path / "other-pyenv"
    pyenv_root.mkdir()
    (pyenv_root / "version").write_text("3.11\n")
    monkeypatch.setenv("PYENV_ROOT", str(pyenv_root))
    assert pyshim("global", cwd=work_dir).stdout.split() == ["3.11"]
    Path(paths.global_version_file()).parent.mkdir(parents=True, exist_ok=True)
    Path(paths.global_version_file()).write_text("# nothing\n")  # empty: selection goes on to pyenv's, so does global
    assert pyshim("global", cwd=work_dir).stdout.split() == ["3.11"]
    Path(paths.global_version_file()).write_text("3.8\n")
    assert pyshim("global", cwd=work_dir).stdout.split() == ["3.8"]


def test_global_selects_where_no_local_file_does(pyshim, work_dir) -> None:
    assert pyshim("global", "3.11").returncode == 0
    assert Path(paths.global_version_file()).read_text().split() == ["3.11"]
    assert pyshim("version", "--bare", cwd=work_dir).stdout == version_named("3.11") + "\n"
    (work_dir / ".python-version").write_text("3.12\n")
    assert pyshim("version", "--bare", cwd=work_dir).stdout == version_named("3.12") + "\n"  # a local file wins
    assert pyshim("global", cwd=work_dir).stdout.split() == ["3.11"]  # and the global file is still shown
    assert pyshim("global", "--unset").returncode == 0 and not Path(paths.global_version_file()).exists()
    assert pyshim("global").stdout == "system\n"
