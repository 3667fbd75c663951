"""`pyshim venv [PATH] [--python REQUEST] [--name NAME | --rm NAME] [stdlib venv options]`.

Command edge of the `venv/` action: parses the options (the stdlib's names, see
`pyshim.venv.options`), resolves the target like every other command, builds the venv with
`pyshim.venv.EnvBuilder` and prints one line saying what was made and how to activate it.
`--name NAME` keeps the venv in pyshim's root (usable as a version name); `--rm NAME` removes one.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys

from pyshim.errors import UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from pyshim.venv.options import add_stdlib_options

    parser.add_argument("path", nargs="?", metavar="PATH", help="where to create the venv")
    parser.add_argument("-p", "--python", metavar="REQUEST",
                        help="interpreter: 3.12, pypy3.10, >=3.10, a path or a name (default: the selected one)")
    parser.add_argument("--name", metavar="NAME", help="keep the venv in pyshim's root under NAME")
    parser.add_argument("--rm", metavar="NAME", help="remove the named venv NAME")
    add_stdlib_options(parser)


def run(args: argparse.Namespace) -> int:
    if args.rm or args.name:
        from pyshim.venv import named
    if args.rm:
        if args.path or args.name:
            raise UsageError("--rm NAME takes no PATH and no --name; e.g. `pyshim venv --rm myproject`")
        print(f"removed {named.remove_named(args.rm)}")
        _warn(named.rehash())
        return 0
    if bool(args.path) == bool(args.name):
        raise UsageError("give a PATH or --name NAME (not both); e.g. `pyshim venv .venv --python 3.12`")
    from pyshim.commands._common import interpreters
    from pyshim.venv.builder import EnvBuilder
    from pyshim.venv.options import builder_options
    from pyshim.venv.target import resolve_target

    path = str(named.named_path(args.name)) if args.name else os.path.abspath(args.path)
    builder = EnvBuilder(python=resolve_target(args.python, interpreters(args)), **builder_options(args))
    if args.name:
        builder.command = named_command(args, builder.target.executable)
    builder.create(path)
    if args.name:
        _warn(named.rehash())
    else:
        from pyshim.commands._common import keep_shims_current

        keep_shims_current()
        from pathlib import Path

        from pyshim.shell.project import allow

        allow(Path(path))  # pyshim built it: auto-activation trusts it (named venvs are trusted already)
    info = builder.target
    print(f"created {path} ({info.implementation_label} {info.version}, {info.executable})"
          + (f" with {', '.join(builder.seed)}" if args.with_pip else ""))
    if args.name:
        print(f"use it with `pyshim local {args.name}` or `pyshim shell {args.name}`")
    else:
        print(activate_hint(path))
    return 0


def activate_hint(path: str) -> str:
    """How to activate the new venv, in the user's own shell ($SHELL; POSIX sh's when unknown)."""
    from pathlib import Path

    from pyshim.activation import activation_command
    from pyshim.shell import ShellError, detect_shell, quote_function

    try:
        shell = detect_shell()
    except ShellError:
        shell = "sh"
    line = activation_command(shell, Path(path))
    return f"activate with: pyshim activate {quote_function(shell)(path)} (a shell set up by `pyshim init`), or: {line}"


def named_command(args: argparse.Namespace, executable: str) -> str:
    return " ".join(shlex.quote(part) for part in ("pyshim", "venv", "--name", args.name, "--python", executable))


def _warn(message: "str | None") -> None:
    if message:
        print(f"pyshim: warning: {message}", file=sys.stderr)
