"""`pyshim venv [PATH] [--python REQUEST] [--name NAME | --rm NAME] [stdlib venv options]`.

Command edge of the `venv/` action: parses the options (the stdlib's names, see
`pyshim.venv.options`), resolves the target like every other command, builds the venv with
`pyshim.venv.EnvBuilder` and prints one line saying what was made and how to activate it.
`--name NAME` keeps the venv in pyshim's root (usable as a version name); `--rm NAME` removes one.
`--upgrade` moves an existing venv onto a new base of the same X.Y in place (pyenv-style patch
upgrades, see `pyshim.venv.rebase`), keeping its prompt, system site-packages, links or copies
and packages; without --python it takes the best installed Python of the venv's own X.Y.
"""

from __future__ import annotations

import os
import sys

from pyshim.base.arguments import POSITIONAL, VALUE, Arg, Namespace
from pyshim.base.errors import UsageError
from pyshim.venv.options import STDLIB_ARGUMENTS

TYPE_CHECKING = False  # typing stays unimported at run time (see pyshim.base.record)

if TYPE_CHECKING:
    from pyshim.venv.builder import EnvBuilder


ARGUMENTS = (
    Arg(("path",), POSITIONAL, nargs="?", metavar="PATH", help="where to create the venv"),
    Arg(("-p", "--python"), VALUE, metavar="REQUEST",
        help="interpreter: 3.12, pypy3.10, >=3.10, a path or a name (default: the selected one)"),
    Arg(("--name",), VALUE, metavar="NAME", help="keep the venv in pyshim's root under NAME"),
    Arg(("--rm",), VALUE, metavar="NAME", help="remove the named venv NAME"),
    Arg(("--install",), help="install the interpreter first when it is not installed, as `pyshim install` "
                             "(PYSHIM_AUTO_INSTALL=1 does the same)"),
) + STDLIB_ARGUMENTS
EPILOG = ("Stricter than `python -m venv`, to protect what is there: an existing venv needs --clear "
          "or --upgrade; a non-empty folder that is not a venv is refused; --clear replaces only a "
          "folder that looks like a venv (pyvenv.cfg with a home key and nothing else beside the "
          "venv's own entries), anything else needs --force. `python -m pyshim.venv` follows "
          "the stdlib's rules. --upgrade moves a venv onto another patch release of its Python "
          "(3.12.1 -> 3.12.8) in place, keeping its packages; another X.Y is refused.")


def run(args: Namespace) -> int:
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
    from pyshim.cli.commands._common import interpreters
    from pyshim.venv.builder import EnvBuilder
    from pyshim.venv.options import builder_options
    from pyshim.venv.staging import ignore_interrupts
    from pyshim.venv.target import asked_for, resolve_target

    path = named.named_path_text(args.name) if args.name else os.path.abspath(args.path)
    options, python = builder_options(args), args.python
    if args.upgrade:
        python = _keep_what_the_venv_had(path, args, options)
    asked = asked_for(python)
    found = interpreters(args, asked.requests)
    if args.install or os.environ.get("PYSHIM_AUTO_INSTALL"):
        from pyshim.install.on_demand import install_missing

        found = install_missing(asked.requests, found, asked.origin, args.install)
    target = resolve_target(python, found, selection_default=True, asked=asked)
    builder = EnvBuilder(python=target, strict=True, **options)
    if args.name:
        builder.command = named_command(args, builder.target.executable)
    try:
        builder.create(path)
        ignore_interrupts()
    except KeyboardInterrupt:
        if not builder.completed:
            raise  # stopped in time: nothing changed at PATH (the builder rolled back)
        ignore_interrupts()
    _report(args, builder, path)
    from pyshim.venv.recording import record

    record(args, ARGUMENTS, path, builder, lambda where: [created_line(args, builder, where), activate_hint(where)])
    return 0


def _keep_what_the_venv_had(path: str, args: Namespace, options: dict) -> "str | None":
    """--upgrade of an existing venv keeps its prompt, system site-packages and copies (links
    become copies with --copies) unless the command line says otherwise, and adds no pip;
    returns the interpreter request (default: the venv's own X.Y)."""
    from pathlib import Path

    from pyshim.venv.rebase import kept_settings, minor_of, recorded_version

    env_dir = Path(path)
    if not (env_dir / "pyvenv.cfg").is_file():
        return args.python
    kept = kept_settings(env_dir)
    if args.prompt is None and "prompt" in kept:
        options["prompt"] = kept["prompt"]
    if kept.get("system_site_packages"):
        options["system_site_packages"] = True
    if not kept["symlinks"]:
        options["symlinks"] = False
    options["with_pip"] = kept["with_pip"]
    return args.python or minor_of(recorded_version(env_dir)) or None


def _report(args: Namespace, builder: "EnvBuilder", path: str) -> None:
    if args.name:
        from pyshim.venv import named

        _warn(named.rehash())
    else:
        from pyshim.cli.commands._common import keep_shims_current

        keep_shims_current()
        from pyshim.shell.project import trust_new_venv

        _warn(trust_new_venv(path, upgraded=args.upgrade))
    print(created_line(args, builder, path))
    if args.name:
        print(f"use it with `pyshim local {args.name}` or `pyshim shell {args.name}`")
    else:
        print(activate_hint(path))


def created_line(args: Namespace, builder: "EnvBuilder", path: str) -> str:
    info = builder.target
    done = "upgraded" if args.upgrade else "created"
    return (f"{done} {path} ({info.implementation_label} {info.version}, {info.executable})"
            + (f" with {', '.join(builder.seed)}" if args.with_pip and (builder.seeded_scripts or not args.upgrade) else ""))


def activate_hint(path: str) -> str:
    """How to activate the new venv, in the user's own shell ($SHELL; POSIX sh's when unknown)."""
    from pyshim.activation import activation_command
    from pyshim.shell import ShellError, detect_shell, quote_function

    try:
        shell = detect_shell()
    except ShellError:
        shell = "sh"
    line = activation_command(shell, path)
    return f"activate with: pyshim activate {quote_function(shell)(path)} (a shell set up by `pyshim init`), or: {line}"


def named_command(args: Namespace, executable: str) -> str:
    from pyshim.activation.quoting import sh_word

    return " ".join(sh_word(part) for part in ("pyshim", "venv", "--name", args.name, "--python", executable))


def _warn(message: "str | None") -> None:
    if message:
        print(f"pyshim: warning: {message}", file=sys.stderr)
