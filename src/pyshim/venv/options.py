"""The stdlib venv's command-line options, shared by `pyshim venv` and `python -m pyshim.venv`.

Part of the `venv/` step's edge: argparse options with the stdlib's names, defaults and
meanings (symlinks by default on POSIX, pip seeded unless --without-pip, a .gitignore unless
--without-scm-ignore-files), turned into `EnvBuilder` keyword arguments.
"""

from __future__ import annotations

from pyshim.base.arguments import CONST, FALSE, VALUE, Arg, Namespace, add_to

SEEDABLE = ("pip", "setuptools", "wheel")


STDLIB_ARGUMENTS = (
    Arg(("--system-site-packages",), dest="system_site",
        help="give the venv access to the base interpreter's site-packages"),
    Arg(("--symlinks",), default=True, group="links", help="link the interpreter (the default on POSIX)"),
    Arg(("--copies",), FALSE, dest="symlinks", group="links", help="copy the interpreter instead"),
    Arg(("--clear",), help="replace an existing venv at the path"),
    Arg(("--upgrade",), help="point an existing venv at its upgraded interpreter; packages stay"),
    Arg(("--without-pip",), FALSE, dest="with_pip", help="do not seed pip"),
    Arg(("--prompt",), VALUE, help="prompt prefix while active ('.' means the current folder's name)"),
    Arg(("--upgrade-deps",), help="then upgrade pip (and setuptools before 3.12) from the index: needs the network"),
    Arg(("--without-scm-ignore-files",), CONST, dest="scm_ignore_files", const=frozenset(),
        default=frozenset(["git"]), help="no .gitignore and CACHEDIR.TAG in the venv"),
    Arg(("--seed",), VALUE, metavar="PACKAGES",
        help="what to seed from the interpreter's bundled wheels: pip[,setuptools,wheel] "
             "(default: what its ensurepip installs: pip, and setuptools before 3.12)"),
    Arg(("--force",), help="with --clear: replace a folder that is not a venv"),
)


def add_stdlib_options(parser: "argparse.ArgumentParser") -> None:
    add_to(parser, STDLIB_ARGUMENTS)


def check_modes(clear: bool, upgrade: bool) -> None:
    """--upgrade keeps a venv's packages and --clear deletes them: refuse the two together
    (EnvBuilder's constructor, and `pyshim venv` before it resolves the interpreter)."""
    if clear and upgrade:
        from pyshim.base.errors import VenvError

        raise VenvError("--upgrade and --clear cannot be used together; pick one")


def builder_options(args: Namespace) -> Dict[str, Any]:
    check_modes(clear=args.clear, upgrade=args.upgrade)
    return dict(system_site_packages=args.system_site, clear=args.clear, symlinks=args.symlinks,
                upgrade=args.upgrade, with_pip=args.with_pip, prompt=args.prompt, upgrade_deps=args.upgrade_deps,
                scm_ignore_files=args.scm_ignore_files, seed=None if args.seed is None else parse_seed(args.seed), force=args.force)


def parse_seed(text: str) -> Tuple[str, ...]:
    from pyshim.base.errors import VenvError

    names = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    unknown = [name for name in names if name not in SEEDABLE]
    if unknown or not names:
        raise VenvError(f"--seed {text!r}: pyshim seeds {', '.join(SEEDABLE)} (comma-separated); "
                        f"install anything else with pip afterwards")
    return names
