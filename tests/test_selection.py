"""Selection order: PYSHIM_VERSION, PYENV_VERSION, nearest file, global files, system."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pyshim.base import paths
from pyshim.base.errors import InvalidVersionName, VersionFileError
from pyshim.selection.select import Origin, select


@pytest.fixture
def project(work_dir: Path) -> Path:
    deep = work_dir / "proj" / "src" / "pkg"
    deep.mkdir(parents=True)
    (work_dir / "proj" / ".python-version").write_text("3.12\n3.9\n")
    return deep


def test_nearest_file_wins_over_globals(project: Path):
    Path(paths.global_version_file()).parent.mkdir(parents=True, exist_ok=True)
    Path(paths.global_version_file()).write_text("3.8\n")
    selection = select(project)
    assert selection.names == ("3.12", "3.9")
    assert selection.origin == Origin.LOCAL_FILE
    assert selection.file == str(project.parent.parent / ".python-version")


def test_variables_win_over_files(project: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PYENV_VERSION", "3.10")
    assert select(project).names == ("3.10",) and select(project).origin == Origin.PYENV_VERSION
    monkeypatch.setenv("PYSHIM_VERSION", "3.11:3.8 3.7")
    selection = select(project)
    assert selection.names == ("3.11", "3.8", "3.7") and selection.origin == Origin.PYSHIM_VERSION
    assert "PYSHIM_VERSION" in selection.origin_text


def test_empty_local_file_falls_to_global(work_dir: Path):
    (work_dir / ".python-version").write_text("# nothing pinned\n")
    Path(paths.global_version_file()).parent.mkdir(parents=True, exist_ok=True)
    Path(paths.global_version_file()).write_text("3.8\n")
    selection = select(work_dir)
    assert selection.names == ("3.8",) and selection.origin == Origin.GLOBAL_FILE


def test_pyenv_global_counts_only_without_pyshim_global(work_dir: Path, tmp_path: Path, monkeypatch):
    pyenv_root = tmp_path / "other-pyenv"
    pyenv_root.mkdir()
    (pyenv_root / "version").write_text("3.10\n")
    monkeypatch.setenv("PYENV_ROOT", str(pyenv_root))
    assert select(work_dir).origin == Origin.PYENV_GLOBAL_FILE
    Path(paths.global_version_file()).parent.mkdir(parents=True, exist_ok=True)
    Path(paths.global_version_file()).write_text("3.8\n")
    assert select(work_dir).origin == Origin.GLOBAL_FILE


def test_default_is_system(work_dir: Path):
    selection = select(work_dir)
    assert selection.names == ("system",) and selection.origin == Origin.DEFAULT


def test_hostile_variable_is_rejected(work_dir: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PYSHIM_VERSION", "../../../bin")
    with pytest.raises(InvalidVersionName, match="PYSHIM_VERSION"):
        select(work_dir)


def test_variable_with_only_separators_is_one_clear_line(work_dir: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PYSHIM_VERSION", " : ")
    with pytest.raises(VersionFileError, match="PYSHIM_VERSION variable holds no version names"):
        select(work_dir)


def test_logical_pwd_is_used_through_a_symlink(work_dir: Path, monkeypatch: pytest.MonkeyPatch):
    real = work_dir / "real" / "inner"
    real.mkdir(parents=True)
    linked_parent = work_dir / "linked"
    linked_parent.mkdir()
    (linked_parent / ".python-version").write_text("3.10\n")
    (linked_parent / "inner").symlink_to(real)
    monkeypatch.chdir(linked_parent / "inner")
    monkeypatch.setenv("PWD", str(linked_parent / "inner"))
    assert select().names == ("3.10",)  # as the shell sees it, like pyenv
    monkeypatch.setenv("PWD", "/nonexistent")
    assert select().names == ("system",)  # a stale PWD is ignored: the physical path is used
    assert os.getcwd() == str(real)


def test_pyenv_dir_and_pyshim_dir_move_where_the_search_starts(work_dir: Path, tmp_path: Path, monkeypatch):
    """As pyenv: the search starts at PYENV_DIR (PYSHIM_DIR first), and when nothing is found
    from there, it goes on from the current directory."""
    (work_dir / ".python-version").write_text("3.9\n")
    other = tmp_path / "other" / "deep"
    other.mkdir(parents=True)
    (tmp_path / "other" / ".python-version").write_text("3.12\n")
    monkeypatch.setenv("PYENV_DIR", str(other))
    assert select().names == ("3.12",)
    monkeypatch.setenv("PYSHIM_DIR", str(tmp_path))  # nothing from there up: the current directory's
    assert select().names == ("3.9",)
    monkeypatch.setenv("PYSHIM_DIR", str(tmp_path / "missing"))
    with pytest.raises(VersionFileError, match="PYSHIM_DIR"):
        select()
