"""`pyshim shell [NAME ... | - | --unset]`: the version(s) for this shell only (PYSHIM_VERSION).

A process cannot change its parent shell, so this command checks and prints; the `pyshim`
shell function from `pyshim init` does the rest (src/pyshim/shell/templates/*). The protocol
between the two: the function runs this command with PYSHIM_SHELL_FUNCTION=1; on success,
what it prints is the new PYSHIM_VERSION (nothing: unset it), the old value goes to
PYSHIM_VERSION_OLD, and `--unset` clears PYENV_VERSION too. As `pyenv shell`:

* `pyshim shell` shows the shell's version: PYSHIM_VERSION, else PYENV_VERSION;
* `pyshim shell -` goes back to the previous value (PYSHIM_VERSION_OLD);
* without the shell function, changing the version says how to enable it and fails.
"""

from __future__ import annotations

import argparse
import os

from pyshim.base.errors import UsageError, VersionNotInstalled
from pyshim.shell import ShellError

TYPE_CHECKING = False  # typing stays unimported at run time (see pyshim.base.record)

if TYPE_CHECKING:
    from pyshim.interpreters.pyinfo import PythonInfo

FUNCTION_MARK = "PYSHIM_SHELL_FUNCTION"  # set by the shell function for this command only
PREVIOUS = "PYSHIM_VERSION_OLD"  # the value before the last `pyshim shell`, kept by the function


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help="version names or requests (3.12, pypy3.10, a venv name), or - for the previous value")
    parser.add_argument("--unset", action="store_true",
                        help="go back to the version the directory selects (clears PYENV_VERSION too)")


def run(args: argparse.Namespace) -> int:
    if args.unset and args.names:
        raise UsageError("pyshim shell: give either NAME or --unset, not both")
    if not args.unset and not args.names:
        print(shell_version(os.environ))
        return 0
    require_function(os.environ)
    if args.unset:
        return 0
    if args.names == ["-"]:
        print(previous_version(os.environ))
        return 0
    found = check_installed(args)
    from pyshim.cli.commands._common import keep_shims_current

    keep_shims_current(found)
    print(":".join(args.names))
    return 0


def shell_version(environ: Mapping[str, str]) -> str:
    """The version this shell sets: PYSHIM_VERSION, else PYENV_VERSION (pyenv's)."""
    for variable in ("PYSHIM_VERSION", "PYENV_VERSION"):
        if environ.get(variable, ""):
            return environ[variable]
    raise ShellError("pyshim shell: no shell version is set (PYSHIM_VERSION and PYENV_VERSION are empty); "
                     "set one with `pyshim shell 3.12`")


def require_function(environ: Mapping[str, str]) -> None:
    """Changing the shell's version only works through the shell function."""
    if environ.get(FUNCTION_MARK) == "1":
        return
    from pyshim.shell import init_line

    rc_file, line = init_line(environ)
    raise ShellError(f"pyshim shell: shell integration is not enabled, so this shell cannot be changed; "
                     f"add `{line}` to {rc_file} (see `pyshim init`) and open a new shell")


def previous_version(environ: Mapping[str, str]) -> str:
    """`pyshim shell -`: the value before the last change ('' when there was none: unset)."""
    if PREVIOUS not in environ:
        raise ShellError(f"pyshim shell -: there is no previous shell version ({PREVIOUS} is not set); "
                         "set one with `pyshim shell 3.12`")
    return environ[PREVIOUS]


def check_installed(args: argparse.Namespace) -> "Sequence[PythonInfo]":
    """Every name must be installed; the interpreters found, for the caller's rehash check."""
    from pyshim.cli.commands._common import interpreters
    from pyshim.selection.request import parse_request
    from pyshim.interpreters.resolve import find_interpreter

    found = interpreters(args)
    for name in args.names:
        request = parse_request(name, "pyshim shell")
        if find_interpreter(request, found) is None:
            raise VersionNotInstalled(f"pyshim shell: {name!r} is not installed; see `pyshim versions`")
    return found
