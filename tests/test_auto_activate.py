"""The cd hook from `pyshim init`, in real interactive bash, zsh and fish in a pseudo-terminal.

Each shell (helpers.Shell, started by the `shell_factory` fixture) gets its own
HOME/ZDOTDIR/XDG_CONFIG_HOME (no user start-up file is read) and finds `pyshim` through a wrapper
script that runs this checkout. Venvs are real (helpers.make_venv: the stdlib's venv module run
by a real interpreter, with pyshim's activation scripts); `projects` is helpers.make_projects.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Dict

import pytest

from conftest import version_named
from helpers import SHELLS, allow_marker, is_shared_marker, make_venv, older_allow_marker


@pytest.mark.parametrize("name", SHELLS)
def test_cd_activates_switches_and_restores(name: str, shell_factory, projects: Dict[str, Path]) -> None:
    shell = shell_factory(name)
    if name != "fish":  # users with `set -u` in their rc file: the hook reads no unset variable
        shell.run("set -u")
    shell.run(shell.init_line)
    path_before = shell.value("$PATH")
    prompt_before = shell.prompt()
    assert prompt_before == "psx> "

    shell.run(f"cd {projects['outer']}/sub")
    assert shell.value("$VIRTUAL_ENV") == str(projects["outer"] / ".venv")
    assert shell.prefix() == str(projects["outer"] / ".venv")
    assert shell.prompt() == "(outer-env) psx> "

    shell.run(f"cd {projects['inner']}")
    assert shell.prefix() == str(projects["inner"] / ".venv")
    assert shell.prompt() == "(inner-env) psx> "

    shell.run("cd ../..")
    assert shell.prefix() == str(projects["outer"] / ".venv")

    shell.run(f"cd {projects['top']}")
    assert shell.value("$VIRTUAL_ENV") == ""
    assert shell.value("$PATH") == path_before
    assert shell.prompt() == prompt_before


@pytest.mark.parametrize("name", [s for s in SHELLS if s != "fish"])
def test_pushd_popd_and_cd_dash(name: str, shell_factory, projects: Dict[str, Path]) -> None:
    shell = shell_factory(name)
    shell.run(shell.init_line)
    shell.run(f"pushd {projects['inner']} >/dev/null")
    assert shell.value("$VIRTUAL_ENV") == str(projects["inner"] / ".venv")
    shell.run("popd >/dev/null")
    assert shell.value("$VIRTUAL_ENV") == ""
    shell.run(f"cd {projects['outer']}")
    shell.run(f"cd {projects['top']}")
    assert shell.value("$VIRTUAL_ENV") == ""
    shell.run("cd - >/dev/null")
    assert shell.value("$VIRTUAL_ENV") == str(projects["outer"] / ".venv")


@pytest.mark.parametrize("name", SHELLS)
def test_untrusted_venv_is_not_activated_until_allowed(name: str, shell_factory, projects: Dict[str, Path]) -> None:
    shell = shell_factory(name)
    shell.run(shell.init_line)
    wild = projects["wild"]
    first = shell.run(f"cd {wild}") + shell.run("true")  # bash says it at the next prompt
    assert shell.value("$VIRTUAL_ENV") == ""
    assert first.count(f"pyshim: not activating {wild}/.venv") == 1
    assert f"pyshim allow {wild}/.venv" in first
    shell.run(f"cd {projects['top']}")
    assert "not activating" not in shell.run(f"cd {wild}") + shell.run("true")  # said once

    shell.run("pyshim allow")
    assert shell.status == 0
    shell.run(f"cd {projects['top']}")
    shell.run(f"cd {wild}")
    assert shell.value("$VIRTUAL_ENV") == str(wild / ".venv")
    shell.run(f"cd {projects['top']}")
    shell.run(f"pyshim deny {wild}")
    shell.run(f"cd {wild}")
    assert shell.value("$VIRTUAL_ENV") == ""


@pytest.mark.parametrize("name", SHELLS)
def test_a_marker_of_the_older_form_is_still_trusted(name: str, shell_factory, projects: Dict[str, Path]) -> None:
    """Earlier releases wrote ROOT/allowed/VENV/@allowed: every hook still reads it, and `pyshim
    deny` takes it back."""
    wild = projects["wild"]
    older = older_allow_marker(wild / ".venv")
    older.parent.mkdir(parents=True)
    older.write_text(f"{wild / '.venv'}\n")
    shell = shell_factory(name)
    shell.run(shell.init_line)
    out = shell.run(f"cd {wild}") + shell.run("true")
    assert "not activating" not in out and shell.value("$VIRTUAL_ENV") == str(wild / ".venv")
    shell.run(f"cd {projects['top']}")
    shell.run(f"pyshim deny {wild}")
    assert not older.exists()
    shell.run(f"cd {wild}")
    assert shell.value("$VIRTUAL_ENV") == ""


@pytest.mark.parametrize("name", SHELLS)
def test_named_venv_from_python_version(name: str, shell_factory, projects: Dict[str, Path]) -> None:
    root = Path(os.environ["PYSHIM_ROOT"])
    named = make_venv(root / "venvs" / "tools", "tools-env")
    project = projects["top"] / "named-project"
    (project / "deep").mkdir(parents=True)
    (project / ".python-version").write_text("# the project's venv\n  tools  \n")
    shell = shell_factory(name)
    shell.run(shell.init_line)
    shell.run(f"cd {project}/deep")
    assert shell.prefix() == str(named)
    shell.run(f"cd {projects['outer']}")  # switch to another project
    assert shell.value("$VIRTUAL_ENV") == str(projects["outer"] / ".venv")
    shell.run(f"cd {project}")
    assert shell.value("$VIRTUAL_ENV") == str(named)


@pytest.mark.parametrize("name", SHELLS)
def test_auto_venv_off_and_hand_activated_venv_untouched(name: str, shell_factory, projects: Dict[str, Path]) -> None:
    shell = shell_factory(name, PYSHIM_AUTO_VENV="0")
    shell.run(shell.init_line)
    shell.run(f"cd {projects['outer']}")
    assert shell.value("$VIRTUAL_ENV") == ""

    mine = make_venv(projects["top"] / "mine", "mine-env")
    script = "activate.fish" if name == "fish" else "activate"
    shell.run(f"cd {projects['top']}")
    shell.run(f"set -e PYSHIM_AUTO_VENV; source {mine}/bin/{script}" if name == "fish"
              else f"unset PYSHIM_AUTO_VENV; . {mine}/bin/{script}")
    shell.run(f"cd {projects['inner']}")
    assert shell.value("$VIRTUAL_ENV") == str(mine)
    shell.run(f"cd {projects['top']}")
    assert shell.value("$VIRTUAL_ENV") == str(mine)


@pytest.mark.parametrize("name", [s for s in SHELLS if s != "fish"])
def test_nested_shell_inherits_and_leaves_the_venv(name: str, shell_factory, projects: Dict[str, Path]) -> None:
    shell = shell_factory(name)
    shell.run(shell.init_line)
    path_before = shell.value("$PATH")
    shell.run(f"cd {projects['outer']}")
    args = "--norc --noprofile -i" if name == "bash" else "-f -i"
    shell.child.sendline(f"PS1='psx> ' {name} {args}")
    shell.run("PS1='psx> '" + ("; unsetopt zle" if name == "zsh" else ""))
    shell.run(shell.init_line)
    assert shell.value("$VIRTUAL_ENV") == str(projects["outer"] / ".venv")
    shell.run(f"cd {projects['top']}")
    assert shell.value("$VIRTUAL_ENV") == ""
    assert shell.value("$PATH") == path_before
    shell.child.sendline("exit")
    assert shell.value("$VIRTUAL_ENV") == str(projects["outer"] / ".venv")  # the outer shell, untouched


def test_a_venv_pyshim_builds_is_trusted_at_once(shell_factory, pyshim, work_dir: Path) -> None:
    project = work_dir / "built"
    project.mkdir()
    result = pyshim("venv", str(project / ".venv"), "--python", version_named("3.12"), "--without-pip")
    assert result.returncode == 0, result.stderr
    assert is_shared_marker(allow_marker(project / ".venv"))
    shell = shell_factory("bash")
    shell.run(shell.init_line)
    out = shell.run(f"cd {project}") + shell.run("true")
    assert "not activating" not in out
    assert shell.value("$VIRTUAL_ENV") == str(project / ".venv")
