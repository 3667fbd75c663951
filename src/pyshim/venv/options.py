"""The stdlib venv's command-line options, shared by `pyshim venv` and `python -m pyshim.venv`.

Part of the `venv/` step's edge: argparse options with the stdlib's names, defaults and
meanings (symlinks by default on POSIX, pip seeded unless --without-pip, a .gitignore unless
--without-scm-ignore-files), turned into `EnvBuilder` keyword arguments.
"""

from __future__ import annotations

import argparse

SEEDABLE = ("pip", "setuptools", "wheel")


def add_stdlib_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--system-site-packages", action="store_true", dest="system_site",
                        help="give the venv access to the base interpreter's site-packages")
    links = parser.add_mutually_exclusive_group()
    links.add_argument("--symlinks", action="store_true", dest="symlinks", default=True,
                       help="link the interpreter (the default on POSIX)")
    links.add_argument("--copies", action="store_false", dest="symlinks", help="copy the interpreter instead")
    parser.add_argument("--clear", action="store_true", help="replace an existing venv at the path")
    parser.add_argument("--upgrade", action="store_true",
                        help="point an existing venv at its upgraded interpreter; packages stay")
    parser.add_argument("--without-pip", dest="with_pip", action="store_false", help="do not seed pip")
    parser.add_argument("--prompt", help="prompt prefix while active ('.' means the current folder's name)")
    parser.add_argument("--upgrade-deps", action="store_true",
                        help="then upgrade pip (and setuptools before 3.12) from the index: needs the network")
    parser.add_argument("--without-scm-ignore-files", dest="scm_ignore_files", action="store_const",
                        const=frozenset(), default=frozenset(["git"]),
                        help="no .gitignore and CACHEDIR.TAG in the venv")
    parser.add_argument("--seed", default=None, metavar="PACKAGES",
                        help="what to seed from the interpreter's bundled wheels: pip[,setuptools,wheel] "
                             "(default: what its ensurepip installs: pip, and setuptools before 3.12)")
    parser.add_argument("--force", action="store_true", help="with --clear: replace a folder that is not a venv")


def builder_options(args: argparse.Namespace) -> Dict[str, Any]:
    from pyshim.errors import VenvError

    if args.clear and args.upgrade:
        raise VenvError("--upgrade and --clear cannot be used together; pick one")
    return dict(system_site_packages=args.system_site, clear=args.clear, symlinks=args.symlinks,
                upgrade=args.upgrade, with_pip=args.with_pip, prompt=args.prompt, upgrade_deps=args.upgrade_deps,
                scm_ignore_files=args.scm_ignore_files, seed=None if args.seed is None else parse_seed(args.seed), force=args.force)


def parse_seed(text: str) -> Tuple[str, ...]:
    from pyshim.errors import VenvError

    names = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    unknown = [name for name in names if name not in SEEDABLE]
    if unknown or not names:
        raise VenvError(f"--seed {text!r}: pyshim seeds {', '.join(SEEDABLE)} (comma-separated); "
                        f"install anything else with pip afterwards")
    return names
