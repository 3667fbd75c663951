"""The `pyshim versions` listing: one row per interpreter, as `pyenv versions` prints it.

In: `PythonInfo`s (and pyenv's folder, for its links between versions). Out: the name column
(`2.7 --> 2.7.18` for a pyenv link), its width and the rows. `cli.commands.versions` prints
them and `shims.index` stores both variants of every row for the sh front-end, so the two
cannot drift; the rule lives here, below both.
"""

from __future__ import annotations

import os

from pyshim.interpreters.pyinfo import PythonInfo, Source

TYPE_CHECKING = False  # typing stays unimported at run time (see pyshim.base.record)

if TYPE_CHECKING:
    from typing import Sequence


def _pyenv_entry(info: PythonInfo) -> "str | None":
    """The folder entry of a pyenv version or venv (`$PYENV_ROOT/versions/NAME`), else None."""
    if info.source != Source.PYENV:
        return None
    from pyshim.base import paths

    return os.path.join(paths.pyenv_root(), "versions", info.name)


def is_pyenv_alias(info: PythonInfo) -> bool:
    """Whether `info` is one of pyenv's links to another version or venv in its folder."""
    from pyshim.interpreters.discovery.sources import is_alias

    entry = _pyenv_entry(info)
    return entry is not None and is_alias(entry, os.path.dirname(entry))


def display_name(info: PythonInfo) -> str:
    """The name column: the name, and for a pyenv link what it points to (`2.7 --> 2.7.18`)."""
    from pyshim.interpreters.discovery.sources import link_text

    entry = _pyenv_entry(info)
    target = link_text(entry) if entry is not None else None
    return f"{info.name} --> {target}" if target else info.name


def name_width(found: Sequence[PythonInfo]) -> int:
    """The width of the name column of the listing."""
    return max([len(display_name(info)) for info in found if not info.is_system] + [6])


def listing_row(info: PythonInfo, active: bool, width: int) -> str:
    """One row of the listing without its "(set by ...)" suffix (the shims' index stores these too)."""
    marker = "*" if active else " "
    label = f"{info.implementation_label} {info.version}" + (" (free-threaded)" if info.freethreaded else "")
    name = display_name(info) if not info.is_system else "system" if active else ""
    return f"{marker} {name:<{width}}  {label:<24} {info.source:<11} {info.executable}"


def listing_line(info: PythonInfo, active: bool, width: int, origin: str) -> str:
    """The line `pyshim versions` prints for `info`; an active one ends with what set it."""
    line = listing_row(info, active, width)
    if active:
        line += f"  (set by {origin})"
    return line.rstrip()
