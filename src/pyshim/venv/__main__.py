"""`python -m pyshim.venv [options] ENV_DIR [ENV_DIR ...]`: the stdlib venv's command line.

Takes everything `python -m venv` takes (plus `--python REQUEST`, `--seed`, `--force`), so
scripts written for the stdlib work unchanged; without `--python` the target is the interpreter
selected for the current directory, as with `pyshim venv`.
"""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional


def main(argv: Optional[List[str]] = None) -> int:
    from pyshim.errors import PyshimError
    from pyshim.venv.builder import EnvBuilder
    from pyshim.venv.options import add_stdlib_options, builder_options

    parser = argparse.ArgumentParser(prog="python -m pyshim.venv",
                                     description="Creates virtual Python environments in one or more target directories.")
    parser.add_argument("dirs", metavar="ENV_DIR", nargs="+", help="a folder to create the environment in")
    parser.add_argument("--python", metavar="REQUEST", help="the interpreter: 3.12, pypy3.10, a path, a name")
    add_stdlib_options(parser)
    args = parser.parse_args(argv)
    try:
        builder = EnvBuilder(python=args.python, **builder_options(args))
        for env_dir in args.dirs:
            builder.create(env_dir)
    except PyshimError as error:
        print(f"Error: {error.message}", file=sys.stderr)
        return error.exit_status
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
