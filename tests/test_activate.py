"""`pyshim activate`: the line that activates a venv, and (through the `pyshim` function of
`pyshim init`) activating in place in real bash, zsh and fish."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import SHELLS, make_venv


@pytest.mark.parametrize("name", SHELLS)
def test_activate_and_deactivate_in_place(name: str, shell_factory, work_dir: Path) -> None:
    venv = make_venv(work_dir / "env", "by-hand")
    shell = shell_factory(name)
    shell.run(shell.init_line)
    path_before = shell.value("$PATH")
    shell.run(f"pyshim activate {venv}")
    assert shell.status == 0
    assert shell.prefix() == str(venv)
    shell.run("cd /")  # a venv activated by hand stays when the directory changes
    assert shell.value("$VIRTUAL_ENV") == str(venv)
    shell.run("pyshim deactivate")
    assert shell.value("$VIRTUAL_ENV") == ""
    assert shell.value("$PATH") == path_before
    shell.run("pyshim deactivate")
    assert shell.status != 0


def test_activate_prints_the_source_line_and_refuses_non_venvs(pyshim, work_dir: Path) -> None:
    venv = make_venv(work_dir / "proj" / ".venv", "proj")
    result = pyshim("activate", "--shell", "bash", str(work_dir / "proj"))
    assert result.stdout.strip() == f"source '{venv}/bin/activate'"
    result = pyshim("activate", "--shell", "fish", cwd=work_dir / "proj")
    assert result.stdout.strip() == f"source '{venv}/bin/activate.fish'"
    result = pyshim("activate", str(work_dir))
    assert result.returncode == 1 and "not a venv" in result.stderr
    assert pyshim("deactivate").returncode == 1
