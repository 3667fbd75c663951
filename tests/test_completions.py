"""`pyshim completions`: the words the shell completion of `pyshim init` offers, from the CLI and
in real bash, zsh and fish."""

from __future__ import annotations

from pathlib import Path

from conftest import machine_versions, version_named
from helpers import make_named_venv
from pyshim.cli import COMMANDS


def test_completion_of_commands_and_versions(shell_factory, work_dir: Path) -> None:
    version = version_named("3.12")
    bash = shell_factory("bash")
    bash.run(bash.init_line)
    out = bash.run('COMP_WORDS=(pyshim do); COMP_CWORD=1; _pyshim_complete; printf "<%s>" "${COMPREPLY[@]}"; echo')
    assert "<doctor>" in out and "<local>" not in out
    out = bash.run('COMP_WORDS=(pyshim local 3.1); COMP_CWORD=2; _pyshim_complete; printf "<%s>" "${COMPREPLY[@]}"; echo')
    assert f"<{version}>" in out

    fish = shell_factory("fish")
    fish.run(fish.init_line)
    assert "deactivate" in fish.run("complete -C 'pyshim deac'")
    assert version in fish.run("complete -C 'pyshim shell 3.1'")

    zsh = shell_factory("zsh")
    zsh.run("autoload -Uz compinit && compinit -u -D")
    zsh.run(zsh.init_line)
    assert "<_pyshim_complete>" in zsh.run('print -r -- "<${_comps[pyshim]}>"')


def test_commands_are_every_command(pyshim) -> None:
    for args in ((), ("commands",)):
        result = pyshim("completions", *args)
        assert result.returncode == 0 and result.stdout.splitlines() == list(COMMANDS)


def test_versions_are_the_installed_names_and_the_named_venvs(pyshim) -> None:
    make_named_venv("tools")
    result = pyshim("completions", "versions")
    assert result.returncode == 0, result.stderr
    words = result.stdout.splitlines()
    assert set(machine_versions()) <= set(words) and "tools" in words
    assert len(words) == len(set(words))  # a name offered once
    assert pyshim("completions", "nonsense").returncode == 2
