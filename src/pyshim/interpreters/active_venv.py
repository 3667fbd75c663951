"""The venv active in the caller's shell (VIRTUAL_ENV), and whether it agrees with the selection.

Beside the data flow's resolution step: an active venv's bin folder comes before the shims on
PATH, so it decides what `python` runs whatever `.python-version` says. `pyshim version` shows
it first, `pyshim local`/`global` say in one line when a new pin differs from it, and
`pyshim doctor` reports the mismatch. Reads pyvenv.cfg only; starts no interpreter.
"""

from __future__ import annotations

import os

from pyshim.interpreters.pyinfo import PythonInfo
from pyshim.base.record import Record


class ActiveVenv(Record):
    path: str
    release: Tuple[int, ...]  # from pyvenv.cfg's `version` (stdlib) or `version_info` (virtualenv); () if unknown

    @property
    def version_text(self) -> str:
        return ".".join(str(part) for part in self.release) or "an unknown version"


def active_venv(environ: Optional[Mapping[str, str]] = None) -> Optional[ActiveVenv]:
    """The venv VIRTUAL_ENV names, when it is one (has a pyvenv.cfg); else None."""
    env = os.environ if environ is None else environ
    path = env.get("VIRTUAL_ENV", "")
    if not path or not os.path.isabs(path):
        return None
    try:
        with open(os.path.join(path, "pyvenv.cfg"), encoding="utf-8", errors="replace") as handle:
            text = handle.read(65536)
    except OSError:
        return None
    values = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            values[key.strip().lower()] = value.strip()
    version = values.get("version") or values.get("version_info") or ""
    release = []
    for part in version.split(".")[:3]:
        if not part.isdigit():
            break
        release.append(int(part))
    return ActiveVenv(path, tuple(release))


def disagreement(venv: ActiveVenv, selected: PythonInfo) -> Optional[str]:
    """A one-line note when the active venv's Python is another minor version than `selected`."""
    if len(venv.release) < 2 or tuple(venv.release[:2]) == tuple(selected.release[:2]):
        return None
    return (f"the active venv {venv.path} (Python {venv.version_text}) still decides what `python` runs, "
            f"not {selected.name}; rebuild it with `pyshim venv --clear {venv.path} --python {selected.minor_version}` "
            "or leave it with `pyshim deactivate`")
