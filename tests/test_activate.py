"""`pyshim activate`: the line that activates a venv, and (through the `pyshim` function or
command of `pyshim init`) activating and deactivating in place in real interactive shells:
bash, zsh, fish and every nushell of tests/nu_shells.py, one driver interface for all
(helpers.Shell, helpers.NuShell)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import INTERACTIVE_SHELLS, make_venv

NOT_ACTIVE = "pyshim: no venv is active in this shell"


@pytest.mark.parametrize("name", INTERACTIVE_SHELLS)
def test_activate_and_deactivate_in_place(name: str, pyshim_shell, work_dir: Path) -> None:
    venv = make_venv(work_dir / "env it's", "by-hand")
    shell = pyshim_shell(name)
    path_before = shell.path()
    shell.run(f"pyshim activate {shell.quote(str(venv))}")
    assert shell.status == 0
    assert shell.prefix() == str(venv)
    shell.run("cd /")  # a venv activated by hand stays when the directory changes
    assert shell.env("VIRTUAL_ENV") == str(venv)
    shell.run("pyshim deactivate")
    assert shell.status == 0
    assert shell.env("VIRTUAL_ENV") == ""
    assert shell.path() == path_before
    assert shell.run("pyshim deactivate").count(NOT_ACTIVE) == 1  # said once
    assert shell.outcome("pyshim deactivate") == NOT_ACTIVE  # and failed


def test_activate_prints_the_source_line_and_refuses_non_venvs(pyshim, work_dir: Path) -> None:
    venv = make_venv(work_dir / "proj" / ".venv", "proj")
    result = pyshim("activate", "--shell", "bash", str(work_dir / "proj"))
    assert result.stdout.strip() == f"source '{venv}/bin/activate'"
    result = pyshim("activate", "--shell", "fish", cwd=work_dir / "proj")
    assert result.stdout.strip() == f"source '{venv}/bin/activate.fish'"
    result = pyshim("activate", str(work_dir))
    assert result.returncode == 1 and "not a venv" in result.stderr
    assert pyshim("deactivate").returncode == 1
