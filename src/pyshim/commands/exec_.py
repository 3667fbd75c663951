"""`pyshim exec CMD [ARGS ...]`: run CMD from the selected versions; its exit status is ours.

This is also the shims' slow path, so it must give the same answer as the shim's fast path.
The selected versions' bin folders go first on PATH for the child, as pyenv does, so that a
script which runs `python` again gets the same interpreter.
"""

from __future__ import annotations

import argparse
import os

from pyshim.commands._common import interpreters
from pyshim.resolve import resolve_selection, which
from pyshim.selection import select


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("command_name", metavar="CMD")
    parser.add_argument("arguments", nargs=argparse.REMAINDER, metavar="ARGS")


def run(args: argparse.Namespace) -> int:
    found = interpreters(args)
    resolved = resolve_selection(select(), found)
    path, _ = which(args.command_name, resolved, found)
    bin_dirs = [info.bin_dir for info in resolved.interpreters if not info.is_system]
    env = dict(os.environ)
    if bin_dirs:
        env["PATH"] = os.pathsep.join(bin_dirs + [env.get("PATH", "")])
    os.execve(path, [path] + list(args.arguments), env)
    return 0  # not reached
