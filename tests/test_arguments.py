"""pyshim.base.arguments: the lean reader gives every command what argparse gives it, or steps aside.

For each command with an `ARGUMENTS` table, generated command lines go through both readers:
wherever `arguments.read` answers, argparse (the parser `pyshim --help` shows) accepts the same
line with the same values; wherever argparse refuses a line, the lean reader refused it too.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyshim import cli
from pyshim.base import arguments
from pyshim.cli.parser import build_parser
from pyshim.base.errors import UsageError

LEAN_COMMANDS = [name for name in cli.COMMANDS if getattr(cli.command_module(name), "ARGUMENTS", None) is not None]
WORDS = ["3.12", "x", ".venv", "bash", "nushell", "-", "--", "--help", "-h", "-x", "--bogus", "--pyth", "-vf", "-1", "a=b",
         ""]


def tokens(command):
    table = cli.GLOBAL_ARGUMENTS + cli.command_module(command).ARGUMENTS
    names = [name for arg in table if arg.kind != arguments.POSITIONAL for name in arg.names]
    with_values = [f"{name}={word}" for name in names if name.startswith("--") for word in ("3.12", "")]
    return st.lists(st.sampled_from(names + WORDS + with_values), max_size=6)


def through_argparse(command, argv):
    try:
        namespace = build_parser(only=command).parse_args([command] + argv)
    except (UsageError, SystemExit):
        return None
    values = vars(namespace)
    values.pop("command")
    return values


def test_the_everyday_commands_have_tables():
    assert {"version", "versions", "which", "find", "local", "global", "prefix", "root", "activate", "venv",
            "init"} <= set(LEAN_COMMANDS)


@pytest.mark.parametrize("command", LEAN_COMMANDS)
@settings(max_examples=250, deadline=None)
@given(data=st.data())
def test_lean_reader_agrees_with_argparse(command, data):
    argv = data.draw(tokens(command))
    lean = arguments.read(argv, cli.GLOBAL_ARGUMENTS + cli.command_module(command).ARGUMENTS)
    if lean is None:
        return  # argparse decides, as cli.main does
    assert through_argparse(command, argv) == lean, argv


@pytest.mark.parametrize("argv, expected", [
    (["venv", ".venv", "--python", "3.12", "--without-pip"], {"path": ".venv", "python": "3.12", "with_pip": False}),
    (["venv", "--python=3.12", "-v", "--copies", ".venv"], {"python": "3.12", "verbose": True, "symlinks": False}),
    (["-v", "version", "--bare"], {"verbose": True, "bare": True}),
    (["local", "3.12", "3.11", "--force"], {"names": ["3.12", "3.11"], "force": True}),
    (["init", "bash"], {"shell": "bash"}), (["init"], {"shell": None}),
])
def test_common_command_lines_are_read_without_argparse(argv, expected):
    args = cli._read_lean(cli._command_in(argv), argv)
    assert args is not None and {key: vars(args)[key] for key in expected} == expected


@pytest.mark.parametrize("argv", [["venv", "--help"], ["venv", "--symlinks", "--copies", "x"], ["venv", "--pyth", "3.12"],
                                  ["find"], ["local", "3.12", "-f", "3.11"], ["venv", "--python"],
                                  ["init", "no-such-shell"]])
def test_unusual_command_lines_go_to_argparse(argv):
    assert cli._read_lean(cli._command_in(argv), argv) is None
