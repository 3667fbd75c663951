"""`pyshim activate [PATH|NAME] [--shell SHELL]`: print the line that activates a venv.

The `pyshim` shell function from `pyshim init` evaluates that line in the current shell.
Without an argument: the venv the current directory means for auto-activation.
"""

from __future__ import annotations

import os

from pyshim.base.arguments import Arg, Namespace, POSITIONAL, VALUE
from pyshim.base.errors import VenvError

ARGUMENTS = (
    Arg(("target",), POSITIONAL, nargs="?", metavar="PATH|NAME",
        help="a venv folder, a project folder with .venv, or a named venv"),
    Arg(("--shell",), VALUE, help="the shell to print for (default: from $SHELL)"),
)


def resolve_target(target: "str | None") -> str:
    from pyshim.shell.project import find_project_venv, named_venv_for, venv_of
    from pyshim.selection.version_file import current_directory

    if target is None:
        found = find_project_venv(current_directory())
        if found is None:
            raise VenvError("no .venv here or above, and no .python-version naming a pyshim venv; "
                            "give a path or a name: `pyshim activate PATH`")
        return found
    if "/" not in target and not os.path.isdir(target):
        named = named_venv_for(target)
        if named is None:
            raise VenvError(f"no venv named {target!r} in pyshim's venvs; see `pyshim venvs`")
        return named
    venv = venv_of(target)
    if not os.path.isfile(os.path.join(venv, "pyvenv.cfg")):
        raise VenvError(f"{target} is not a venv (no pyvenv.cfg there or in its .venv)")
    return venv


def run(args: Namespace) -> int:
    from pyshim.activation import activation_command
    from pyshim.shell import detect_shell

    venv = resolve_target(args.target)
    shell = args.shell or detect_shell(naming="pyshim activate --shell SHELL")
    print(activation_command(shell, venv))
    return 0
