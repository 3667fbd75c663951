"""The console script's first step: hand the read-only queries to the sh front-end.

Data flow: argv -> **front_end.hand_over** -> exec ROOT/shims/pyshim (sh) | return, and the console
script (src/bin/pyshim) runs `pyshim.cli.main()`.

Python's start-up (~10 ms) is the floor of every console-script call, and argparse plus the
imports of a command double it. `pyshim version [--bare]` and `pyshim versions` are asked often
(prompts, scripts) and `pyshim rehash` already writes a front-end (`shims/pyshim.sh`) that
answers exactly these with shell built-ins, byte for byte as `cli.main()` would
(tests/test_front_end.py), and runs the Python CLI itself whenever it is unsure. So the console
script execs it for those three argument lists, and only when the front-end was written for this
interpreter and this pyshim source folder: its slow path then runs this same code, never an
older install. Anything else, or any doubt, goes to `cli.main()` in this process.

`python -m pyshim` never hands over: it is the reference the front-end is tested against.
Imports: os and sys only (and `pyshim.base.paths`, which keeps to those).
"""

from __future__ import annotations

import os
import sys

QUERIES = (("version",), ("version", "--bare"), ("versions",))
HEADER_BYTES = 2048  # the front-end names its Python and source folder in its first lines


def hand_over(argv: "list[str]") -> None:
    """Exec the front-end for `argv` when it may answer; return (to run the Python CLI) otherwise."""
    if tuple(argv) not in QUERIES or os.name != "posix":
        return
    if tuple(argv) == ("version",) and os.environ.get("VIRTUAL_ENV"):
        return  # the front-end would hand it back: Python names the active venv first
    from pyshim.base import paths

    front_end = os.path.join(paths.root(), "shims", "pyshim")
    try:
        with open(front_end, "rb") as handle:
            header = handle.read(HEADER_BYTES)
    except OSError:
        return
    if recorded(header, "src") != paths.source_dir() or not same_interpreter(recorded(header, "python"), sys.executable):
        return
    sys.stdout.flush()
    try:
        os.execv(front_end, [front_end, *argv])
    except OSError:
        return  # not executable, or no /bin/sh: the Python CLI answers


def recorded(header: bytes, name: str) -> "str | None":
    """The value of the front-end's `_pyshim_NAME='...'` line; None if absent or quoted otherwise."""
    start = header.find(f"\n_pyshim_{name}='".encode())
    if start < 0:
        return None
    start += len(name) + 11
    end = header.find(b"'\n", start)
    value = header[start:end]
    if end < 0 or b"'" in value:
        return None  # a quote inside: sh_quote's escaping, not worth undoing here
    return os.fsdecode(value)


def same_interpreter(written_for: "str | None", running: str) -> bool:
    """The same venv and interpreter (`bin/python` and `bin/python3` are one), or the same path."""
    if written_for is None or not running:
        return False
    if written_for == running:
        return True
    return (os.path.dirname(written_for) == os.path.dirname(running)
            and os.path.realpath(written_for) == os.path.realpath(running))
