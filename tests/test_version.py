"""`pyshim version [--bare]`: the active versions and what set them."""

from __future__ import annotations

from conftest import version_named
from helpers import make_venv


def test_shows_resolved_names_and_origin(pyshim, work_dir):
    (work_dir / ".python-version").write_text("3.12\n3.9\n")
    result = pyshim("version", cwd=work_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{version_named('3.12')} (from '3.12', set by {work_dir / '.python-version'})",
        f"{version_named('3.9')} (from '3.9', set by {work_dir / '.python-version'})",
    ]
    assert pyshim("version", "--bare", cwd=work_dir).stdout.split() == [version_named("3.12"), version_named("3.9")]


def test_variable_wins_and_is_named(pyshim, work_dir):
    (work_dir / ".python-version").write_text("3.12\n")
    result = pyshim("version", cwd=work_dir, env={"PYSHIM_VERSION": "3.10"})
    assert result.stdout.strip() == f"{version_named('3.10')} (from '3.10', set by the PYSHIM_VERSION environment variable)"


def test_not_installed_names_the_file_and_the_installed(pyshim, work_dir):
    (work_dir / ".python-version").write_text("3.99.1\n")
    result = pyshim("version", cwd=work_dir)
    assert result.returncode == 1
    assert f"'3.99.1' is not installed (set by {work_dir / '.python-version'})" in result.stderr
    assert version_named("3.12") in result.stderr and result.stderr.count("\n") == 1


def test_default_is_system(pyshim, work_dir):
    assert pyshim("version", "--bare", cwd=work_dir).stdout.strip() == "system"


def test_two_point_seven_is_selected_like_any_other(pyshim, work_dir):
    name = version_named("2.7")
    (work_dir / ".python-version").write_text("2.7\n")
    assert pyshim("version", "--bare", cwd=work_dir).stdout.strip() == name
    ran = pyshim("exec", "python", "-c", "import sys; print(sys.version_info[:2])", cwd=work_dir)
    assert ran.stdout.strip() == "(2, 7)"


def test_an_active_venv_comes_first(pyshim, work_dir):
    venv = make_venv(work_dir / "env", "env")
    (work_dir / ".python-version").write_text("3.11\n")
    result = pyshim("version", cwd=work_dir, env={"VIRTUAL_ENV": str(venv)})
    first, second = result.stdout.splitlines()
    assert first == f"{venv} (active venv, Python {version_named('3.12')}, set by the VIRTUAL_ENV environment variable)"
    assert second.startswith(version_named("3.11"))
    bare = pyshim("version", "--bare", cwd=work_dir, env={"VIRTUAL_ENV": str(venv)})
    assert bare.stdout == version_named("3.11") + "\n"  # --bare stays the selection's names, as scripts parse it
