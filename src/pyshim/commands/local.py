"""`pyshim local [NAME ...] [--unset] [--force]`: the `.python-version` in this directory."""

from __future__ import annotations

import argparse

from pyshim.commands import pin
from pyshim.version_file import FILE_NAME, current_directory

add_arguments = pin.add_arguments


def run(args: argparse.Namespace) -> int:
    return pin.show_set_or_unset(args, current_directory() / FILE_NAME, "local", when_missing="")
