"""`python -m pyshim.venv [options] ENV_DIR [ENV_DIR ...]`: the stdlib venv's command line.

The command edge of the library (the `pyshim venv` command has its own, in commands/venv.py).
Takes everything `python -m venv` takes, with the same defaults and behaviour (an existing
folder is updated in place, `--clear` empties it), plus `--python REQUEST` (default: the
interpreter running this), `--seed` and `--force`. `main()` raises as the stdlib's does;
`run()` is the program: `Error: MESSAGE` on stderr and exit status 1, as `python -m venv`.
"""

from __future__ import annotations

import argparse
import sys


def main(args: Optional[List[str]] = None) -> None:
    from pyshim.venv.builder import EnvBuilder
    from pyshim.venv.options import add_stdlib_options, builder_options

    parser = argparse.ArgumentParser(prog="python -m pyshim.venv",
                                     description="Creates virtual Python environments in one or more target directories.",
                                     epilog="Once an environment has been created, you may wish to activate it, "
                                            "e.g. by sourcing an activate script in its bin directory.")
    parser.add_argument("dirs", metavar="ENV_DIR", nargs="+", help="A directory to create the environment in.")
    parser.add_argument("--python", metavar="REQUEST",
                        help="the interpreter: 3.12, pypy3.10, a path, a name (default: the one running this)")
    add_stdlib_options(parser)
    options = parser.parse_args(args)
    if options.upgrade and options.clear:
        raise ValueError("you cannot supply --upgrade and --clear together.")
    builder = EnvBuilder(python=options.python, **builder_options(options))
    for env_dir in options.dirs:
        builder.create(env_dir)


def run(argv: Optional[List[str]] = None) -> int:
    try:
        main(argv)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # as `python -m venv`: one line, status 1
        print(f"Error: {error}", file=sys.stderr)
        return 1
    return 0
