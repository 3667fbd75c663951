"""`pyshim global [NAME ...] [--unset] [--force]`: pyshim's global version file."""

from __future__ import annotations

import argparse

from pyshim import paths
from pyshim.commands import pin

add_arguments = pin.add_arguments


def run(args: argparse.Namespace) -> int:
    return pin.show_set_or_unset(args, paths.global_version_file(), "global", when_missing="system")
