"""`pyshim doctor [--json]`: find set-up problems, each with the command that fixes it (exit 1 if any)."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")


def run(args: argparse.Namespace) -> int:
    from pyshim.cli.commands._common import print_json
    from pyshim.doctor import run_checks
    from pyshim.selection.version_file import current_directory

    findings = run_checks(current_directory())
    if args.json:
        print_json({"ok": not findings, "findings": [finding.as_dict() for finding in findings]})
    elif not findings:
        print("pyshim doctor: no problems found")
    else:
        for finding in findings:
            print(f"[{finding.check}] {finding.problem}\n    fix: {finding.fix}")
    return 1 if findings else 0
