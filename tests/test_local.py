"""`pyshim local` (and, through their shared body `commands/pin.py`, `pyshim global`): show, write
(atomically, installed only), unset. What only `global` does is in test_global.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import version_named
from helpers import make_venv
from pyshim.base import paths


@pytest.mark.parametrize("command", ["local", "global"])
def test_write_show_unset(pyshim, work_dir, command):
    target = work_dir / ".python-version" if command == "local" else Path(paths.global_version_file())
    assert pyshim(command, "3.12", "3.9", cwd=work_dir).returncode == 0
    assert target.read_text() == "3.12\n3.9\n"
    assert pyshim(command, cwd=work_dir).stdout.split() == ["3.12", "3.9"]
    assert pyshim(command, "--unset", cwd=work_dir).returncode == 0
    assert not target.exists()


@pytest.mark.parametrize("command", ["local", "global"])
def test_refuses_what_is_not_installed_unless_forced(pyshim, work_dir, command):
    target = work_dir / ".python-version" if command == "local" else Path(paths.global_version_file())
    result = pyshim(command, "3.99", cwd=work_dir)
    assert result.returncode == 1 and "'3.99' is not installed" in result.stderr and "--force" in result.stderr
    assert not target.exists()
    assert pyshim(command, "3.99", "--force", cwd=work_dir).returncode == 0
    assert target.read_text() == "3.99\n"


def test_rejects_traversal_even_with_force(pyshim, work_dir):
    (work_dir / ".python-version").write_text("3.12\n")
    result = pyshim("local", "../../evil", "--force", cwd=work_dir)
    assert result.returncode == 1 and "leads out of pyenv's versions folder" in result.stderr
    assert (work_dir / ".python-version").read_text() == "3.12\n"  # nothing lost


def test_accepts_every_request_form(pyshim, work_dir):
    for request in ("3", "python-3.12", "cpython@3.12", ">=3.10,<3.12", version_named("3.11")):
        assert pyshim("local", request, cwd=work_dir).returncode == 0, request
    assert pyshim("local", cwd=work_dir).stdout.strip() == version_named("3.11")


def test_show_without_a_file(pyshim, work_dir):
    local = pyshim("local", cwd=work_dir)
    assert local.returncode == 1 and "pyshim local VERSION" in local.stderr
    assert pyshim("global", cwd=work_dir).stdout.strip() == "system"


def test_local_shows_the_nearest_file_up_the_tree(pyshim, work_dir):
    """As `pyenv local`: without names it shows the file that applies here, not only ./.python-version."""
    deep = work_dir / "src" / "pkg"
    deep.mkdir(parents=True)
    (work_dir / ".python-version").write_text("3.12  pinned by CI\n3.9\n")
    shown = pyshim("local", cwd=deep)
    assert (shown.returncode, shown.stdout.split()) == (0, ["3.12", "3.9"])
    assert pyshim("local", "-f", "3.99", cwd=deep).returncode == 0  # -f is --force, as pyenv's
    assert (deep / ".python-version").read_text() == "3.99\n"


def test_pinning_another_version_inside_an_active_venv_says_so(pyshim, work_dir):
    venv = make_venv(work_dir / ".venv", "proj")
    result = pyshim("local", "3.11", cwd=work_dir, env={"VIRTUAL_ENV": str(venv)})
    assert result.returncode == 0 and (work_dir / ".python-version").read_text().split() == ["3.11"]
    assert result.stderr.count("\n") == 1 and f"the active venv {venv} (Python {version_named('3.12')})" in result.stderr
    assert "pyshim deactivate" in result.stderr and "--python 3.11" in result.stderr
    same = pyshim("local", "3.12", cwd=work_dir, env={"VIRTUAL_ENV": str(venv)})
    assert same.returncode == 0 and same.stderr == ""
