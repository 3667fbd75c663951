"""Activation scripts: the venv's bin folder learns to talk to every common shell.

Data flow: venv builder -> **activation scripts** -> the user's shell.

The venv builder calls `write_activation_scripts` once the venv is laid out; the
`pyshim activate` command prints `activation_command(shell, env_dir)` for the user to paste.
The scripts themselves are templates (data files in `templates/`); `render.py` fills them
with values quoted by exactly one function per shell (`quoting.py`), after `safety.py` has
refused paths and prompts that no shell can carry. A venv path and a prompt are data in
every shell, both when a script is sourced and each time the shell draws its prompt.
`scripts.py` writes them and names the line that sources one.

This file loads `scripts.py` on first use of its names: `pyshim venv` often needs only
`quoting` (through `pyshim.shell`), never the renderer.
"""

from __future__ import annotations

__all__ = ["activation_command", "check_path_is_shell_safe", "write_activation_scripts"]


def __getattr__(name: str) -> object:
    if name in __all__:
        from pyshim.activation import scripts

        return getattr(scripts, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
