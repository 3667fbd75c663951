"""`pyshim exec CMD [ARGS ...]`: run CMD from the selected versions; its exit status is ours.

This is also the shims' slow path, so it must give the same answer as the shim's fast path.
The selected versions' bin folders go first on PATH for the child, as pyenv does, so that a
script which runs `python` again gets the same interpreter. A versioned command that no selected
version has (`python3.10` under a 3.12 pin) runs from the best installed 3.10, whose bin folder
alone goes first (`resolve.versioned_command`).

Shims count their nesting in PYSHIM_SHIM_DEPTH; past `MAX_SHIM_DEPTH` this refuses to run
anything (`ShimRecursion`), so a shim that ends up running itself stops with a clear error.
A shim whose index is out of date passes `--rehash`, and the shims are rewritten first.
"""

from __future__ import annotations

import argparse
import os
import sys

from pyshim.commands._common import interpreters
from pyshim.errors import PyshimError, ShimRecursion
from pyshim.resolve import resolve_selection, which
from pyshim.selection import select


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
        from pyshim.shims import rehash

        try:
            rehash(found)
        except (PyshimError, OSError) as error:  # a stale index must not stop the command itself
            print(f"pyshim: warning: could not rehash the shims: {error}", file=sys.stderr)
    resolved = resolve_selection(select(), found)
    path, chosen = which(args.command_name, resolved, found)
    # A versioned command (`python3.10`) run from outside the selection gets its own bin folder.
    chosen_ones = resolved.interpreters if chosen in resolved.interpreters else (chosen,)
    bin_dirs = list(dict.fromkeys(info.bin_dir for info in chosen_ones if not info.is_system))  # one entry each
    env = dict(os.environ)
    if bin_dirs:
        env["PATH"] = os.pathsep.join(bin_dirs + [env.get("PATH", "")])
    os.execve(path, [path] + list(args.arguments), env)
    return 0  # not reached
