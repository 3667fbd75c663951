"""`pyshim global [NAME ...] [--unset] [-f|--force]`: pyshim's global version file.

Without names it shows what selection uses where no `.python-version` applies: pyshim's global
file, else pyenv's (`$PYENV_ROOT/version`), else `system`.
"""

from __future__ import annotations

import os

from pyshim.base import paths
from pyshim.base.arguments import Namespace
from pyshim.cli.commands import pin

ARGUMENTS = pin.ARGUMENTS


def run(args: Namespace) -> int:
    return pin.show_set_or_unset(args, paths.global_version_file(), "global", shown=global_file_in_use,
                                 when_missing=print_system)


def global_file_in_use() -> "str | None":
    """The global version file selection reads: the first of pyshim's and pyenv's that holds names."""
    from pyshim.selection.version_file import read_version_file

    for path in (paths.global_version_file(), os.path.join(paths.pyenv_root(), "version")):
        if pin.existing_file(path) and read_version_file(path):
            return path
    return None


def print_system() -> int:
    print("system")
    return 0
