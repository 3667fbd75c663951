"""`pyshim exec CMD [ARGS ...]`: run CMD from the selected versions; its exit status is ours.

This is also the shims' slow path, so it must give the same answer as the shim's fast path.
Selected versions that are not installed are skipped (as pyenv does); a command that no
selected version has runs, for a versioned name (`python3.10` under a 3.12 pin), from the best
installed 3.10 (`resolve.versioned_command`), else from `system`. As pyenv's `exec`, the bin
folder of the version that runs the command goes first on PATH for the child, so that a script
which runs `python` again gets the same interpreter, and a command from `system` keeps PATH as
it is (`resolve.child_path`).

Shims count their nesting in PYSHIM_SHIM_DEPTH; past `MAX_SHIM_DEPTH` this refuses to run
anything (`ShimRecursion`), so a shim that ends up running itself stops with a clear error.
A shim whose index is out of date passes `--rehash`, and the shims are rewritten first.
Under PYSHIM_AUTO_INSTALL=1 the selected versions that are not installed are installed first
(`install.on_demand`, which prints on stderr only).
"""

from __future__ import annotations

import argparse
import os
import sys

from pyshim.cli.commands._common import interpreters
from pyshim.base.errors import PyshimError, ShimRecursion
from pyshim.interpreters.resolve import child_path, resolve_selection, which
from pyshim.selection.select import select


MAX_SHIM_DEPTH = 40


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rehash", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("command_name", metavar="CMD")
    parser.add_argument("arguments", nargs=argparse.REMAINDER, metavar="ARGS")


def check_shim_depth(command: str) -> None:
    depth = os.environ.get("PYSHIM_SHIM_DEPTH", "0")
    if depth.isdigit() and int(depth) > MAX_SHIM_DEPTH:
        raise ShimRecursion(
            f"{command}: shims ran each other {depth} times (PYSHIM_SHIM_DEPTH), a loop; "
            "a copy of a pyshim shim is probably on PATH or in a bin folder, remove it and run `pyshim rehash`"
        )


def run(args: argparse.Namespace) -> int:
    check_shim_depth(args.command_name)
    found = interpreters(args)
    if args.rehash:
        from pyshim.shims.rehash import rehash

        try:
            rehash(found)
        except (PyshimError, OSError) as error:  # a stale index must not stop the command itself
            print(f"pyshim: warning: could not rehash the shims: {error}", file=sys.stderr)
    selection = select()
    if os.environ.get("PYSHIM_AUTO_INSTALL"):  # selected versions not installed: install them first
        from pyshim.install.on_demand import install_missing

        found = install_missing(selection.requests, found, selection.origin_text)
    resolved = resolve_selection(selection, found)
    path, chosen = which(args.command_name, resolved, found)
    env = dict(os.environ)
    env["PATH"] = child_path(chosen, env.get("PATH", ""))
    os.execve(path, [path] + list(args.arguments), env)
    return 0  # not reached
