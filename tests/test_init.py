"""`pyshim init`, and the `pyshim` shell function it defines (`shell`, `activate`, `deactivate`), in real shells."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import CLEAN_PATH, version_named
from pyshim.shell import INIT_LINES
from helpers import SHELLS, make_venv

SHIMS = lambda: str(Path(os.environ["PYSHIM_ROOT"]) / "shims")  # noqa: E731


@pytest.mark.parametrize("name", SHELLS)
def test_init_twice_puts_shims_on_path_once(name: str, shell_factory) -> None:
    shell = shell_factory(name)
    shell.run(shell.init_line)
    shell.run(shell.init_line)
    entries = shell.value("$PATH").split(":")
    assert entries[0] == SHIMS()
    assert entries.count(SHIMS()) == 1


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


def test_init_without_shell_prints_the_line_to_add(pyshim) -> None:
    for shell, line in (("/bin/bash", 'eval "$(pyshim init bash)"'), ("/usr/bin/zsh", 'eval "$(pyshim init zsh)"'),
                        ("/usr/bin/fish", "pyshim init fish | source")):
        result = pyshim("init", env={"SHELL": shell})
        assert result.returncode == 0 and line in result.stdout.splitlines()
    for shell in ("/bin/dash", "/bin/mksh", "/bin/tcsh", "/usr/bin/nu", "/usr/bin/pwsh", "/usr/bin/xonsh"):
        name = {"dash": "sh", "mksh": "ksh"}.get(os.path.basename(shell), os.path.basename(shell))
        result = pyshim("init", env={"SHELL": shell})
        assert result.returncode == 0 and INIT_LINES[name][1] in result.stdout.splitlines()
    result = pyshim("init", env={"SHELL": "/bin/rc"})
    assert result.returncode == 1 and "'/bin/rc'" in result.stderr


def test_activate_prints_the_source_line_and_refuses_non_venvs(pyshim, work_dir: Path) -> None:
    venv = make_venv(work_dir / "proj" / ".venv", "proj")
    result = pyshim("activate", "--shell", "bash", str(work_dir / "proj"))
    assert result.stdout.strip() == f"source '{venv}/bin/activate'"
    result = pyshim("activate", "--shell", "fish", cwd=work_dir / "proj")
    assert result.stdout.strip() == f"source '{venv}/bin/activate.fish'"
    result = pyshim("activate", str(work_dir))
    assert result.returncode == 1 and "not a venv" in result.stderr
    assert pyshim("deactivate").returncode == 1


@pytest.mark.parametrize("name", ["bash", "zsh"])
def test_init_code_parses(name: str, pyshim) -> None:
    code = pyshim("init", name, check=True).stdout
    subprocess.run([name, "-n"], input=code, text=True, check=True)
    if name == "bash" and shutil.which("shellcheck"):
        subprocess.run(["shellcheck", "-s", "bash", "-e", "SC2034,SC1091,SC1090", "-"], input=code, text=True, check=True)


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
