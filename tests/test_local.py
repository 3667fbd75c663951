"""`pyshim local` and `pyshim global`: show, write (atomically, installed only), unset."""

from __future__ import annotations

import pytest

from conftest import version_named
from pyshim import paths


@pytest.mark.parametrize("command", ["local", "global"])
def test_write_show_unset(pyshim, work_dir, command):
    target = work_dir / ".python-version" if command == "local" else paths.global_version_file()
    assert pyshim(command, "3.12", "3.9", cwd=work_dir).returncode == 0
    assert target.read_text() == "3.12\n3.9\n"
    assert pyshim(command, cwd=work_dir).stdout.split() == ["3.12", "3.9"]
    assert pyshim(command, "--unset", cwd=work_dir).returncode == 0
    assert not target.exists()


@pytest.mark.parametrize("command", ["local", "global"])
def test_refuses_what_is_not_installed_unless_forced(pyshim, work_dir, command):
    target = work_dir / ".python-version" if command == "local" else paths.global_version_file()
    result = pyshim(command, "3.99", cwd=work_dir)
    assert result.returncode == 1 and "'3.99' is not installed" in result.stderr and "--force" in result.stderr
    assert not target.exists()
    assert pyshim(command, "3.99", "--force", cwd=work_dir).returncode == 0
    assert target.read_text() == "3.99\n"


def test_rejects_traversal_even_with_force(pyshim, work_dir):
    (work_dir / ".python-version").write_text("3.12\n")
    result = pyshim("local", "../../evil", "--force", cwd=work_dir)
    assert result.returncode == 1 and "path separator" in result.stderr
    assert (work_dir / ".python-version").read_text() == "3.12\n"  # nothing lost


def test_accepts_every_request_form(pyshim, work_dir):
    for request in ("3", "python-3.12", "cpython@3.12", ">=3.10,<3.12", version_named("3.11")):
        assert pyshim("local", request, cwd=work_dir).returncode == 0, request
    assert pyshim("local", cwd=work_dir).stdout.strip() == version_named("3.11")


def test_show_without_a_file(pyshim, work_dir):
    local = pyshim("local", cwd=work_dir)
    assert local.returncode == 1 and "pyshim local VERSION" in local.stderr
    assert pyshim("global", cwd=work_dir).stdout.strip() == "system"


def test_pinning_another_version_inside_an_active_venv_says_so(pyshim, work_dir):
    from test_auto_activate import make_venv

    venv = make_venv(work_dir / ".venv", "proj")
    result = pyshim("local", "3.11", cwd=work_dir, env={"VIRTUAL_ENV": str(venv)})
    assert result.returncode == 0 and (work_dir / ".python-version").read_text().split() == ["3.11"]
    assert result.stderr.count("\n") == 1 and f"the active venv {venv} (Python {version_named('3.12')})" in result.stderr
    assert "pyshim deactivate" in result.stderr and "--python 3.11" in result.stderr
    same = pyshim("local", "3.12", cwd=work_dir, env={"VIRTUAL_ENV": str(venv)})
    assert same.returncode == 0 and same.stderr == ""
