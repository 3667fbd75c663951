"""`pyshim deactivate`: leaving a venv works through the `pyshim` function of `pyshim init`
(test_activate.py runs it in real shells); the CLI alone can only say how to get that function."""

from __future__ import annotations

import pytest





@pytest.mark.parametrize("shell, rc_file, line", [
    ("/bin/bash", "~/.bashrc", 'eval "$(pyshim init bash)"'),
    ("/usr/bin/fish", "~/.config/fish/config.fish", "pyshim init fish | source"),
])
def test_without_the_function_it_names_the_init_line_for_the_users_shell(pyshim, work_dir, shell, rc_file, line) -> None:
    result = pyshim("deactivate", cwd=work_dir, env={"SHELL": shell})
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("pyshim: ")
    assert f"add `{line}` to {rc_file}" in result.stderr and "or type `deactivate`" in result.stderr


def test_an_active_venv_changes_nothing_the_cli_can_do(pyshim, work_dir) -> None:
    """A program cannot change its shell: with a venv active, the CLI still only explains."""
    result = pyshim("deactivate", cwd=work_dir, env={"VIRTUAL_ENV": str(work_dir / "env"), "SHELL": "/bin/bash"})
    assert result.returncode == 1 and result.stdout == "" and "a program cannot change its shell" in result.stderr
