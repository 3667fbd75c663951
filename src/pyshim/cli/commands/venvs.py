"""`pyshim venvs [--json]`: the named venvs, their Python, path and whether they still work:
ok, broken (the base interpreter is gone) or outdated (the base now runs another patch release);
exit status 1 unless every one is ok."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print a JSON list")


def run(args: argparse.Namespace) -> int:
    from pyshim.cli.commands._common import interpreters
    from pyshim.venv.named import list_named, recreate_hint

    found = interpreters(args)
    venvs = list_named(found)
    if args.json:
        from pyshim.cli.commands._common import print_json

        print_json([{"name": v.name, "version": v.version, "path": str(v.path), "status": v.status,
                     "problem": v.problem} for v in venvs])
        return 0
    if not venvs:
        import sys

        print("pyshim: no named venvs yet; create one with `pyshim venv --name NAME --python VERSION`", file=sys.stderr)
        return 0
    width = max([len(v.name) for v in venvs] + [4])
    for venv in venvs:
        line = f"{venv.name:<{width}}  {venv.version or '?':<10} {venv.status:<7} {venv.path}"
        if venv.problem:
            line += f"  ({venv.problem}; {recreate_hint(venv, found)})"
        print(line)
    return 0 if all(v.problem is None for v in venvs) else 1
