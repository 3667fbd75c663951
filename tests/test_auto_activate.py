"""The cd hook from `pyshim init`, in real interactive bash, zsh and fish in a pseudo-terminal.

Each shell gets its own HOME/ZDOTDIR/XDG_CONFIG_HOME (no user start-up file is read) and finds
`pyshim` through a wrapper script that runs this checkout. Venvs are real (the stdlib's venv
module run by a real interpreter, with pyshim's activation scripts).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pexpect
import pytest

from conftest import CLEAN_PATH, machine_versions, version_named

SHELLS = [name for name in ("bash", "zsh", "fish") if shutil.which(name, path=CLEAN_PATH)]
TIMEOUT = 20


def make_venv(path: Path, prompt: str) -> Path:
    """A real venv without pip (fast), with pyshim's activation scripts."""
    from pyshim.activation import write_activation_scripts

    python = machine_versions()[version_named("3.12")] / "bin" / "python"
    subprocess.run([str(python), "-m", "venv", "--without-pip", "--prompt", prompt, str(path)], check=True)
    write_activation_scripts(path, prompt)
    return path


class Shell:
    """One interactive shell; `run(line)` returns the output and remembers the exit status."""

    def __init__(self, name: str, tmp_path: Path, extra_env: "Dict[str, str] | None" = None) -> None:
        self.name = name
        self.count = 0
        self.status = 0
        base = tmp_path / f"{name}-shell"
        bin_dir = base / "bin"
        bin_dir.mkdir(parents=True)
        wrapper = bin_dir / "pyshim"
        wrapper.write_text(f'#!/bin/sh\nexec {sys.executable} -m pyshim "$@"\n')
        wrapper.chmod(0o755)
        for folder in ("zdotdir", "config"):
            (base / folder).mkdir()
        env = dict(os.environ)
        env.update(ZDOTDIR=str(base / "zdotdir"), XDG_CONFIG_HOME=str(base / "config"), SHELL=name,
                   PATH=f"{bin_dir}:{CLEAN_PATH}", TERM="dumb", PS1="psx> ")
        env.update(extra_env or {})
        argv = {"bash": ["--norc", "--noprofile", "-i"], "zsh": ["-f", "-i"], "fish": ["--no-config", "-i"]}[name]
        self.child = pexpect.spawn(name, argv, env=env, encoding="utf-8", timeout=TIMEOUT, cwd=os.getcwd(),
                                   dimensions=(50, 400))
        if name == "fish":
            self.run("function fish_prompt; echo -n 'psx> '; end; set -g fish_greeting")
        elif name == "zsh":
            self.run("unsetopt zle; PS1='psx> '")
        self.init_line = "pyshim init fish | source" if name == "fish" else f'eval "$(pyshim init {name})"'

    def run(self, line: str) -> str:
        self.count += 1
        mark = f"__pyshim_{self.count}_"
        status = "$status" if self.name == "fish" else "$?"
        # The typed line shows `__pyshim_N"_"` while the output shows `__pyshim_N_`: only the output matches.
        self.child.sendline(f'{line}; echo "{mark}""_"{status}"_end"')
        self.child.expect(re.escape(mark) + r"_(\d+)_end")
        output = self.child.before
        self.status = int(self.child.match.group(1))
        # Drop the echo of the typed line; keep what came before it (output of the last prompt hook).
        typed = output.rfind(f'{mark}""_"')
        if typed < 0:
            return output
        return output[:output.rfind("\n", 0, typed) + 1] + output[output.find("\n", typed) + 1:]

    def value(self, expression: str) -> str:
        if self.name != "fish":
            expression = re.sub(r"^\$(\w+)$", r"${\1-}", expression)  # also under `set -u`
        return self.run(f'printf "<%s>\\n" "{expression}"').split("<", 1)[1].split(">", 1)[0]

    def prefix(self) -> str:
        return self.run("python -c 'import sys; print(\"<\" + sys.prefix + \">\")'").split("<")[-1].split(">")[0]

    def prompt(self) -> str:
        code = {"bash": 'printf "[%s]\\n" "${PS1@P}"', "zsh": 'print -r -- "[${(%)PS1}]"',
                "fish": 'printf "[%s]\\n" (fish_prompt)'}[self.name]
        return self.run(code).split("[", 1)[1].rsplit("]", 1)[0]

    def close(self) -> None:
        self.child.sendline("exit")
        self.child.close(force=True)


@pytest.fixture
def shell_factory(tmp_path: Path):
    shells: List[Shell] = []

    def start(name: str, **env: str) -> Shell:
        shell = Shell(name, tmp_path, env)
        shells.append(shell)
        return shell

    yield start
    for shell in shells:
        shell.close()


def make_projects(work_dir: Path, pyshim) -> Dict[str, Path]:
    """outer/.venv (allowed), outer/pkg/inner/.venv (allowed), wild/.venv (not allowed), outer/sub."""
    outer = work_dir / "outer"
    inner = outer / "pkg" / "inner"
    wild = work_dir / "wild"
    for folder, prompt in ((outer, "outer-env"), (inner, "inner-env"), (wild, "wild-env")):
        folder.mkdir(parents=True)
        make_venv(folder / ".venv", prompt)
    for folder in (outer, inner):
        assert pyshim("allow", str(folder)).returncode == 0
    (outer / "sub").mkdir()
    return {"outer": outer, "inner": inner, "wild": wild, "top": work_dir}


@pytest.fixture
def projects(work_dir: Path, pyshim) -> Dict[str, Path]:
    return make_projects(work_dir, pyshim)


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
    marker = Path(os.environ["PYSHIM_ROOT"]) / "allowed" / str(project / ".venv").lstrip("/") / "@allowed"
    assert marker.is_file()
    shell = shell_factory("bash")
    shell.run(shell.init_line)
    out = shell.run(f"cd {project}") + shell.run("true")
    assert "not activating" not in out
    assert shell.value("$VIRTUAL_ENV") == str(project / ".venv")
