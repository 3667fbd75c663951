"""`pyshim local [NAME ...] [--unset] [-f|--force]`: the `.python-version` in this directory.

Without names it shows the version file that applies here, the nearest one up the tree (as
`pyenv local` does; the sh front-end answers that when it can, `shims.front_end`); names and
`--unset` write or remove `./.python-version`.
"""

from __future__ import annotations

import os


from pyshim.base.arguments import Namespace
from pyshim.cli.commands import pin
from pyshim.base.errors import VersionFileError
from pyshim.selection.version_file import FILE_NAME, current_directory, find_version_file

ARGUMENTS = pin.ARGUMENTS


def run(args: Namespace) -> int:
    here = current_directory()
    status = pin.show_set_or_unset(args, os.path.join(here, FILE_NAME), "local", shown=lambda: find_version_file(here),
                                   when_missing=lambda: no_local_version(here))
    if not args.names and not args.unset:
        from pyshim.shims import cached_front_end

        cached_front_end.keep_current()  # before any shims: the next `pyshim local` is the front-end's
    return status


def no_local_version(directory: str) -> int:
    raise VersionFileError(f"no local version is set in {directory} or above (no .python-version); "
                           "set one with `pyshim local VERSION`")
