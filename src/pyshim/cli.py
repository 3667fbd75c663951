"""The command line: global options, dispatch to one module per command, errors to one line.

Last step of the data flow. `main()` finds the command name, imports only that command's
module from `pyshim.commands` (so `pyshim version` never imports what `pyshim venv` needs),
lets it add its arguments, runs it and turns a `PyshimError` into `pyshim: MESSAGE` on stderr
and its exit status. Tracebacks only appear for real bugs, or always under `--debug`.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from pyshim import __version__
from pyshim.errors import PyshimError, UsageError

# name -> one-line help. Module: pyshim.commands.<name> (dashes and keywords get a "_").
COMMANDS = {
    "versions": "list every interpreter found, * marks the active ones",
    "version": "show the active version(s) and what set them",
    "local": "pin versions for this directory in .python-version",
    "global": "set the versions used where no .python-version applies",
    "find": "print the interpreter that a request selects",
    "which": "print the file a command runs in the current directory",
    "whence": "list the versions that have a command",
    "exec": "run a command with the selected interpreter",
    "rehash": "rewrite the shims for every installed command",
    "root": "print pyshim's root folder",
    "prefix": "print the prefix of the selected (or named) interpreter",
    "venv": "create a virtual environment for any interpreter (--name NAME keeps it in pyshim's root)",
    "venvs": "list the named virtual environments and whether they still work",
    "install": "download and install interpreters (checked, atomic; mirrors and local archives work offline)",
    "uninstall": "remove interpreters that `pyshim install` installed",
    "init": "print the shell code for your shell's start-up file (shims on PATH, cd hook)",
    "shell": "set or unset the version(s) for this shell only (through `pyshim init`)",
    "activate": "print (or, through `pyshim init`, run) the line that activates a venv",
    "deactivate": "leave the active venv (through `pyshim init`)",
    "allow": "trust a project's .venv for auto-activation",
    "deny": "stop trusting a project's .venv for auto-activation",
    "doctor": "find set-up problems (PATH, shims, pip, version files, venvs), each with its fix",
    "completions": "print command or version names for shell completion",
    "help": "show help for a command",
}


def module_name(command: str) -> str:
    name = command.replace("-", "_")
    return f"pyshim.commands.{name}_" if name in ("global", "exec", "help") else f"pyshim.commands.{name}"


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's own, told the width up front: otherwise it imports shutil (2 ms) to ask."""

    def __init__(self, prog: str) -> None:
        try:
            width = os.get_terminal_size(sys.stderr.fileno()).columns
        except (OSError, ValueError):
            width = 80
        super().__init__(prog, width=max(width - 2, 40))


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad command line is one line (what is wrong, where to read more), exit 2."""

    def error(self, message: str) -> "NoReturn":
        raise UsageError(f"{message}; see `{self.prog} --help`")


def build_parser(only: Optional[str] = None) -> argparse.ArgumentParser:
    """The full parser; with `only`, just that command's arguments are loaded."""
    parser = _Parser(
        prog="pyshim",
        formatter_class=_HelpFormatter,
        description="Choose a Python interpreter per project and build virtual environments for it.",
    )
    parser.add_argument("--version", action="version", version=f"pyshim {__version__}")
    _add_global_options(parser, default=False)
    common = _Parser(add_help=False, formatter_class=_HelpFormatter)
    _add_global_options(common, default=argparse.SUPPRESS)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        if only and name != only:
            continue  # one sub-parser costs ~1 ms to build: build only the one that runs
        sub = subparsers.add_parser(
            name, help=help_text, description=help_text, parents=[common], formatter_class=_HelpFormatter
        )
        if only is None or name == only:
            importlib.import_module(module_name(name)).add_arguments(sub)
    return parser


def _add_global_options(parser: argparse.ArgumentParser, default: object) -> None:
    """--verbose and --debug, accepted before or after the command name."""
    parser.add_argument("-v", "--verbose", action="store_true", default=default, help="say what was skipped and why")
    parser.add_argument("--debug", action="store_true", default=default, help="show tracebacks")


def _command_in(argv: List[str]) -> Optional[str]:
    for arg in argv:
        if not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def _unknown_command(argv: List[str]) -> Optional[UsageError]:
    """A first word that is no command: one line with the nearest command names, not all of them."""
    word = next((arg for arg in argv if not arg.startswith("-")), None)
    if word is None or word in COMMANDS:
        return None
    import difflib

    near = difflib.get_close_matches(word, list(COMMANDS), n=2, cutoff=0.6)
    hint = " or ".join(f"`pyshim {name}`" for name in near)
    return UsageError(f"unknown command {word!r}" + (f"; did you mean {hint}?" if near else "")
                      + "; see `pyshim --help` for the list")


def _working_directory_is_gone() -> bool:
    """The process stands in a folder that was removed (getcwd fails): errors then name no file."""
    try:
        os.getcwd()
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return False


def main(argv: Optional[List[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    unknown = _unknown_command(argv)
    if unknown is not None:
        print(f"pyshim: {unknown.message}", file=sys.stderr)
        return unknown.exit_status
    command = _command_in(argv)
    parser = build_parser(only=command or "")
    try:
        args = parser.parse_args(argv)
    except UsageError as error:
        print(f"pyshim: {error.message}", file=sys.stderr)
        return error.exit_status
    if args.command is None:
        parser.print_help()
        return 0
    args.parser = parser
    try:
        return int(importlib.import_module(module_name(args.command)).run(args) or 0)
    except PyshimError as error:
        if args.debug:
            raise
        print(f"pyshim: {error.message}", file=sys.stderr)
        return error.exit_status
    except OSError as error:  # the file system said no: one line, no traceback (--debug shows it)
        if args.debug:
            raise
        if _working_directory_is_gone():
            folder = f" {os.environ['PWD']}" if os.environ.get("PWD") else ""
            print(f"pyshim: the current folder{folder} no longer exists (it was deleted or moved while you were "
                  "in it); cd to an existing folder and run the command again", file=sys.stderr)
            return 1
        target = getattr(error, "filename2", None) or error.filename  # a rename names its target second
        where = f" {target}" if target else ""
        print(f"pyshim: cannot use{where}: {error.strerror or error}; check that folder's permissions "
              "and free space (PYSHIM_ROOT and PYSHIM_CACHE_DIR move pyshim's own folders)", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 141

