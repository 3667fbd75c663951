"""What is at a venv's path before pyshim builds there: checks on the path itself, and whether
the folder is a venv, empty, or something else with what it holds.

Part of the `venv/` action step: `builder.py` asks before it builds (`check_venv_path`,
`inspect_path`) and words its refusals with `name_list`; `--clear` replaces only what
`Existing.replaceable` allows. The build itself is `staging.py`'s.
"""

from __future__ import annotations

import os

from pyshim.base.errors import VenvError
from pyshim.base.record import Record

TYPE_CHECKING = False  # typing stays unimported at run time (see pyshim.base.record)
if TYPE_CHECKING:
    from typing import Optional, Sequence

# what a venv holds at its top level: the stdlib's folders on POSIX and Windows, pyshim's and
# the stdlib's ignore files, and what pip puts there for data files (share/, etc/, man/)
VENV_ENTRIES = frozenset({"bin", "Scripts", "include", "Include", "lib", "Lib", "lib64", "pyvenv.cfg",
                          ".gitignore", "CACHEDIR.TAG", "share", "etc", "man"})
LISTED_NAMES = 8  # how many names a message lists before "and N more"


class Existing(Record):
    """What is at a venv's path before the build."""

    kind: str  # "missing", "empty", "file", "venv" (pyvenv.cfg with a home key) or "other"
    strays: Sequence[str]  # top-level entries that are not a venv's own (all entries for "other")
    reason: str  # why it is not (only) a venv; "" when it is one and holds nothing else

    @property
    def replaceable(self) -> bool:
        """--clear may replace it without --force: nothing there, or a venv and nothing else."""
        return self.kind in ("missing", "empty") or (self.kind == "venv" and not self.strays)


def check_venv_path(path: str, prompt: Optional[str] = None) -> None:
    """Refuse, before anything is built, a path (or prompt) that PATH or a shell cannot carry."""
    if os.pathsep in path:  # the stdlib's ValueError, with its message first
        raise PathSeparatorError(f"Refusing to create a venv in {path} because it contains the PATH separator "
                                 f"{os.pathsep}; pick a path without {os.pathsep!r}")
    from pyshim.activation.safety import check_path_is_shell_safe, check_prompt_is_shell_safe

    check_path_is_shell_safe(path)
    check_prompt_is_shell_safe(prompt if prompt is not None else os.path.basename(path))
    if "\n" in path or "\r" in path:
        raise VenvError(f"cannot create a venv at {path!r}: the path contains a line break, "
                        "which PATH and shells cannot carry; pick another path")


class PathSeparatorError(VenvError, ValueError):
    """A venv path holding os.pathsep: the stdlib raises ValueError, so this is one too."""


def _has_home_key(config: str) -> bool:
    try:
        with open(config, encoding="utf-8", errors="replace") as handle:
            text = handle.read(64 * 1024)
    except OSError:
        return False
    return any(line.partition("=")[0].strip().lower() == "home" and line.partition("=")[1]
               for line in text.splitlines())


def inspect_path(path: str) -> Existing:
    """What is at `path`: see `Existing`. A folder is a venv when its pyvenv.cfg is a file with a
    `home` key; its strays are the entries beside the venv's own (VENV_ENTRIES)."""
    if not os.path.lexists(path):
        return Existing("missing", (), "")
    if not os.path.isdir(path):
        return Existing("file", (), "it is a file")
    entries = sorted(listdir(path))
    if not entries:
        return Existing("empty", (), "")
    config = os.path.join(path, "pyvenv.cfg")
    if not os.path.isfile(config):
        return Existing("other", entries, "it has no pyvenv.cfg")
    if not _has_home_key(config):
        return Existing("other", entries, "its pyvenv.cfg has no `home` key")
    strays = [name for name in entries if name not in VENV_ENTRIES]
    return Existing("venv", strays, "it also holds files that are not the venv's" if strays else "")


def name_list(names: Sequence[str]) -> str:
    shown = ", ".join(names[:LISTED_NAMES])
    return shown + (f" and {len(names) - LISTED_NAMES} more" if len(names) > LISTED_NAMES else "")


def listdir(path: str) -> Sequence[str]:
    try:
        return os.listdir(path)
    except OSError:
        return ()
