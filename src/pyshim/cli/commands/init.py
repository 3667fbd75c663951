"""`pyshim init [SHELL]`: print the shell code for a start-up file (or, with no shell, the line to add).

Every interactive shell runs `pyshim init SHELL` as it starts, so its arguments are a table
(`ARGUMENTS`) that the CLI reads without argparse."""

from __future__ import annotations

from pyshim.base.arguments import Arg, Namespace, POSITIONAL
from pyshim.shell import ALIASES, INIT_LINES, SHELLS, detect_shell, init_code

ARGUMENTS = (Arg(("shell",), POSITIONAL, nargs="?", choices=SHELLS + tuple(ALIASES), metavar="SHELL",
                 help=f"one of: {', '.join(SHELLS)}; without it, print the line to add for $SHELL"),)


def run(args: Namespace) -> int:
    if args.shell is None:
        shell = detect_shell()
        rc_file, line = INIT_LINES[shell]
        print(f"# add this line to {rc_file}, then open a new shell:")
        print(line)
        return 0
    from pyshim.cli.commands._common import keep_shims_current

    keep_shims_current()  # the shims this code puts on PATH exist from the first shell on
    from pyshim.cli import COMMANDS

    print(init_code(args.shell, COMMANDS), end="")
    return 0
