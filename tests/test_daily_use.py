"""The README's Daily use, typed line by line into real interactive bash, zsh and fish (in a
pseudo-terminal) from a fresh HOME, with no step the README does not show: no `pyshim rehash`,
no variable it does not name. Also the promises next to it: a console script pip installs from
a venv's own bin/pip becomes a command by itself, and versioned commands find their version.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import List

import pytest

from conftest import version_named
from helpers import SHELLS, console_script_wheel
from pyshim.shell import INIT_LINES

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_block_after(marker: str) -> List[str]:
    """The lines of the first ```sh block after `marker` in the README, comments dropped."""
    text = README.read_text(encoding="utf-8").split(marker, 1)[1]
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    return [re.split(r"\s{2,}# ", line, maxsplit=1)[0].strip() for line in block.splitlines() if line.strip()]


def daily_use_lines() -> List[str]:
    """The commands of the README's Daily use block."""
    return readme_block_after("## Daily use")


def for_shell(line: str, shell: str) -> str:
    """The README writes bash's start-up lines; `pyshim init` names the same lines for zsh and fish."""
    rc_file, init_line = INIT_LINES[shell]
    if line.startswith("echo ") and "~/.bashrc" in line:
        return f"echo '{init_line}' >> {rc_file}"
    if line == "source ~/.bashrc":
        return f"source {rc_file}"
    return line


def fresh_home_shell(shell_factory, name: str):
    home = Path(os.environ["HOME"])
    (home / ".config" / "fish").mkdir(parents=True)
    shell = shell_factory(name, ZDOTDIR=str(home), XDG_CONFIG_HOME=str(home / ".config"))
    project = home / "myproject"
    project.mkdir()
    shell.run(f"cd {project}")
    return shell, project


@pytest.mark.parametrize("name", SHELLS)
def test_daily_use_as_written(name: str, shell_factory) -> None:
    lines = daily_use_lines()
    assert lines[0].startswith("echo ") and "pyshim init bash" in lines[0] and "pyshim local 3.12" in lines
    shell, project = fresh_home_shell(shell_factory, name)
    v312, v311 = version_named("3.12"), version_named("3.11")
    for line in lines:
        out = shell.run(for_shell(line, name))
        if line.startswith("pyshim doctor"):
            continue  # doctor's findings depend on the machine; its own tests check them
        assert shell.status == 0, (line, out)
        if line == "python --version":
            assert f"Python {v312}" in out, out
    assert (project / ".python-version").read_text().split() == ["3.12"]
    assert shell.prefix() == str(project / ".venv")  # activated by `pyshim activate`
    shell.run(f"cd {project.parent}")  # the cd hook deactivates on the way out ...
    assert shell.value("$VIRTUAL_ENV") == ""
    shell.run(f"cd {project}")  # ... and activates on the way back in
    assert shell.value("$VIRTUAL_ENV") == str(project / ".venv")
    shell.run("pyshim deactivate")
    assert v312 in shell.run("python -c 'import sys; print(sys.version)'")
    shell.run("mkdir -p deep/er/still && cd deep/er/still")
    assert v312 in shell.run("python -c 'import platform; print(platform.python_version())'")
    assert v311 in shell.run("python3.11 -c 'import platform; print(platform.python_version())'")
    tools = Path(os.environ["PYSHIM_ROOT"]) / "venvs" / "tools"
    assert (tools / "pyvenv.cfg").is_file()


@pytest.mark.parametrize("name", SHELLS)
def test_a_console_script_pip_installs_becomes_a_command(name: str, shell_factory, tmp_path: Path) -> None:
    shell, _ = fresh_home_shell(shell_factory, name)
    shell.run(INIT_LINES[name][1])
    shell.run("pyshim venv --name tools --python 3.12 && pyshim local tools")
    assert shell.status == 0
    assert shell.value("$VIRTUAL_ENV").endswith("/venvs/tools")  # the hook saw the new pin at once
    shell.run("pyshim deactivate")  # so that only the shims can find what pip installs next
    tools = Path(os.environ["PYSHIM_ROOT"]) / "venvs" / "tools"
    wheel = console_script_wheel(tmp_path, "hello-pyshim")
    shell.run(f"{tools}/bin/pip install -q --no-index {wheel}")  # the venv's own pip: no shim hears of it
    assert shell.status == 0
    assert not (Path(os.environ["PYSHIM_ROOT"]) / "shims" / "hello-pyshim").exists()
    out = shell.run("hello-pyshim")
    assert "hello from hello-pyshim" in out, out
    assert shell.status == (127 if name == "fish" else 0)  # fish gives its handler's commands 127, whatever they return
    assert "hello from hello-pyshim" in shell.run("hello-pyshim")  # now through its shim
    shell.run("hash -r" if name != "fish" else "true")
    shell.run("python -c pass")  # the shell looks the shims folder up (zsh hashes all of it)
    second = console_script_wheel(tmp_path, "hello-again")
    shell.run(f"pip install -q --no-index {second}")  # the shim's pip: it rehashes after pip
    assert shell.status == 0 and (Path(os.environ["PYSHIM_ROOT"]) / "shims" / "hello-again").exists()
    assert "hello from hello-again" in shell.run("hello-again")
    out = shell.run("no-such-command-anywhere")
    assert shell.status == 127 and "no-such-command-anywhere" in out


def test_the_pep668_install_route_works_as_typed_in_a_login_shell(tmp_path: Path) -> None:
    """Debian's own python3, a fresh HOME with Debian's start-up files, the README's lines as written."""
    import shutil
    import subprocess

    system_python = "/usr/bin/python3"
    if not Path(system_python).exists() or not Path("/etc/skel/.profile").exists():
        pytest.skip("not a Debian-like system with /usr/bin/python3 and /etc/skel")
    repo = README.parent
    tree = tmp_path / "clone"
    shutil.copytree(repo, tree, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".test-venv", "__pycache__", "*.egg-info", "build"))
    home = tmp_path / "fresh-home"
    shutil.copytree("/etc/skel", home)
    install, init = readme_block_after("(PEP 668")
    env = {"HOME": str(home), "PATH": "/usr/local/bin:/usr/bin:/bin", "PYENV_ROOT": os.environ["PYENV_ROOT"],
           "LANG": "C.UTF-8", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    installed = subprocess.run(["bash", "-c", install], cwd=tree, env=env, capture_output=True, text=True, timeout=600)
    assert installed.returncode == 0, installed.stderr[-2000:]
    assert version_named("3.12") in installed.stdout  # `pyshim versions` listed this machine's interpreters
    added = subprocess.run(["bash", "-c", init], cwd=home, env=env, capture_output=True, text=True)
    assert added.returncode == 0, added.stderr
    (home / "proj").mkdir()
    (home / "proj" / ".python-version").write_text("3.12\n")
    login = subprocess.run(["bash", "-l", "-i", "-c", "cd ~/proj && pyshim version --bare && python --version"],
                           cwd=home, env=env, capture_output=True, text=True, timeout=120)
    assert login.returncode == 0, login.stderr[-2000:]
    assert login.stdout.split() == [version_named("3.12"), "Python", version_named("3.12")], login.stdout
