"""`pyshim init`: the start-up code for each shell, loaded in real bash, zsh and fish.

What the `pyshim` shell function it defines does has a file per command: test_shell.py,
test_activate.py, test_deactivate.py, test_completions.py; the cd hook is in
test_auto_activate.py, the other shells in test_init_shells.py and test_nushell.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from helpers import SHELLS, shims_folder
from pyshim.shell import INIT_LINES


@pytest.mark.parametrize("name", SHELLS)
def test_init_twice_puts_shims_on_path_once(name: str, shell_factory) -> None:
    shell = shell_factory(name)
    shell.run(shell.init_line)
    shell.run(shell.init_line)
    entries = shell.value("$PATH").split(":")
    assert entries[0] == shims_folder()
    assert entries.count(shims_folder()) == 1


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


@pytest.mark.parametrize("name", ["bash", "zsh"])
def test_init_code_parses(name: str, pyshim) -> None:
    code = pyshim("init", name, check=True).stdout
    subprocess.run([name, "-n"], input=code, text=True, check=True)
    if name == "bash" and shutil.which("shellcheck"):
        subprocess.run(["shellcheck", "-s", "bash", "-e", "SC2034,SC1091,SC1090", "-"], input=code, text=True, check=True)
