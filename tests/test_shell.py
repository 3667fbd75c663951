"""`pyshim shell`: the version for this shell only, through the `pyshim` function of `pyshim init`,
in real bash, zsh and fish (and, without the function, the CLI saying how to enable it)."""

from __future__ import annotations

import pytest

from conftest import version_named
from helpers import SHELLS


@pytest.mark.parametrize("name", SHELLS)
def test_shell_sets_and_unsets_the_version(name: str, shell_factory) -> None:
    version = version_named("3.12")
    shell = shell_factory(name)
    shell.run(shell.init_line)
    shell.run(f"pyshim shell {version}")
    assert shell.status == 0
    assert shell.value("$PYSHIM_VERSION") == version
    assert version in shell.run("pyshim shell")
    out = shell.run("pyshim shell 2.1.9")
    assert shell.status != 0 and "not installed" in out
    assert shell.value("$PYSHIM_VERSION") == version  # a bad name changes nothing
    shell.run("pyshim shell --unset")
    assert shell.value("$PYSHIM_VERSION") == ""
    shell.run("pyshim shell")
    assert shell.status != 0
    shell.run("pyshim shell -")  # as `pyenv shell -`: back to the value before the last change
    assert shell.status == 0 and shell.value("$PYSHIM_VERSION") == version
    shell.run("pyshim shell -")
    assert shell.status == 0 and shell.value("$PYSHIM_VERSION") == ""


@pytest.mark.parametrize("name", SHELLS)
def test_shell_shows_and_unsets_pyenv_version(name: str, shell_factory) -> None:
    """A pyenv user's PYENV_VERSION is the shell's version: shown, and cleared by --unset."""
    version = version_named("3.11")
    shell = shell_factory(name)
    shell.run(shell.init_line)
    shell.run(f"set -gx PYENV_VERSION {version}" if name == "fish" else f"export PYENV_VERSION={version}")
    assert shell.run("pyshim shell").strip() == version and shell.status == 0
    shell.run("pyshim shell --unset")
    assert shell.status == 0 and shell.value("$PYENV_VERSION") == ""


def test_shell_without_the_function_says_how_to_enable_it(pyshim, work_dir) -> None:
    """As pyenv: changing the shell's version needs the shell function; without it, say so."""
    for args in ([version_named("3.12")], ["--unset"], ["-"]):
        result = pyshim("shell", *args, cwd=work_dir, env={"SHELL": "/bin/bash"})
        assert result.returncode != 0 and result.stdout == "", args
        assert "shell integration is not enabled" in result.stderr and "pyshim init bash" in result.stderr
    shown = pyshim("shell", cwd=work_dir, env={"PYENV_VERSION": "3.11"})
    assert (shown.returncode, shown.stdout) == (0, "3.11\n")
