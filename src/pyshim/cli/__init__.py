"""The command line: global options, dispatch to one module per command, errors to one line.

Last step of the data flow. `main()` finds the command name, imports only that command's
module from `pyshim.cli.commands` (so `pyshim version` never imports what `pyshim venv` needs),
reads its arguments, runs it and turns a `PyshimError` into `pyshim: MESSAGE` on stderr and
its exit status. Tracebacks only appear for real bugs, or always under `--debug`.

A command module lists its arguments in `ARGUMENTS` (see `pyshim.base.arguments`), or declares
them to argparse in `add_arguments(parser)`. A command line that `arguments.read` can read
runs without argparse being imported at all (the common case of the everyday commands: their
start-up is what users wait for); help, usage errors and anything unusual go through the
argparse parser built from the same tables.
"""

from __future__ import annotations

import os
import sys

from pyshim.base import arguments
from pyshim.base.arguments import Arg
from pyshim.base.errors import PyshimError, UsageError

# name -> one-line help. Module: pyshim.cli.commands.<name> (dashes and keywords get a "_").
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


GLOBAL_ARGUMENTS = (  # accepted before or after the command name
    Arg(("-v", "--verbose"), help="say what was skipped and why"),
    Arg(("--debug",), help="show tracebacks"),
)


def module_name(command: str) -> str:
    name = command.replace("-", "_")
    return f"pyshim.cli.commands.{name}_" if name in ("global", "exec", "help") else f"pyshim.cli.commands.{name}"


def command_module(command: str) -> object:
    name = module_name(command)
    __import__(name)  # importlib itself is one more import at every start
    return sys.modules[name]


def build_parser(only: "str | None" = None) -> "argparse.ArgumentParser":
    """The full argparse parser; with `only`, just that command's arguments are loaded."""
    from pyshim.cli.parser import build_parser as build

    return build(only)


def _first_word(argv: "list[str]") -> "str | None":
    """The first argument that is no option: where the command name stands."""
    return next((arg for arg in argv if not arg.startswith("-")), None)


def _command_in(argv: "list[str]") -> "str | None":
    word = _first_word(argv)
    return word if word in COMMANDS else None


def _unknown_command(argv: "list[str]") -> "UsageError | None":
    """A first word that is no command: one line with the nearest command names, not all of them."""
    word = _first_word(argv)
    if word is None or word in COMMANDS:
        return None
    import difflib

    near = difflib.get_close_matches(word, list(COMMANDS), n=2, cutoff=0.6)
    hint = " or ".join(f"`pyshim {name}`" for name in near)
    return UsageError(f"unknown command {word!r}" + (f"; did you mean {hint}?" if near else "")
                      + "; see `pyshim --help` for the list")


def _read_lean(command: str, argv: "list[str]") -> "arguments.Namespace | None":
    """The command line read from the command's `ARGUMENTS` without argparse, or None."""
    table = getattr(command_module(command), "ARGUMENTS", None)
    if table is None:
        return None
    rest = list(argv)
    rest.remove(command)  # the first word that is no option (`_command_in`)
    values = arguments.read(rest, GLOBAL_ARGUMENTS + table)
    return None if values is None else arguments.Namespace(command=command, **values)


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
    args = _read_lean(command, argv) if command else None
    if args is None:
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
    args.command_line = argv  # the words as typed (`pyshim venv` records its builds by them: venv.recording)
    try:
        return int(command_module(args.command).run(args) or 0)
    except PyshimError as error:
        if args.debug:
            raise
        print(f"pyshim: {error.message}", file=sys.stderr)
        return error.exit_status
    except BrokenPipeError:  # the reader went away (`| head -1`): before OSError, which it is one of
        sys.stderr.close()
        return 141
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

