"""Putting an interpreter in place: unpacked beside its final folder, probed, renamed in.

Last step of `pyshim install` (see `pyshim.install`). One install of a name at a time (a lock
beside its folder): a second `pyshim install 3.12` waits, then finds it installed. The archive
is unpacked into `ROOT/versions/.install.PID.THREAD.unpack/` (dot folders are never discovered), its
interpreter is run once (the probe) to check it is the version it claims to be, and its top
folder is renamed to `ROOT/versions/NAME`; a folder there is always complete. That one probe is
also discovery's: its answer, with the unpack folder's path replaced by the final one (a
relocatable build finds its prefix from where it is), goes into the probe cache, so the rehash
that follows starts no interpreter. Leftovers of a
killed install are removed by the next one (`sweep_leftovers`, at its start). `uninstall` is the reverse, and refuses while a
named venv is built on the interpreter, unless forced.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from pyshim.base import paths
from pyshim.base.errors import InstallError
from pyshim.base.fsutil import file_lock
from pyshim.interpreters.pyinfo import Candidate, ProbeFailure, Source, run_probe


class Installed(NamedTuple):
    name: str
    folder: Path
    version: str
    already: bool  # it was there before this run


def probed_name(top: Path, label: str) -> Tuple[str, str, Candidate, Dict[str, Any]]:
    """(version, folder name, candidate, probe answer) of the unpacked interpreter, from what it
    says when run (`3.12.8`, and `3.13.1t` for a free-threaded build); InstallError if it does
    not run. The candidate is the one discovery will list once the folder is in place."""
    from pyshim.interpreters.discovery.sources import _named_candidate

    candidate = _named_candidate(top, Source.PYSHIM, top.name)
    if candidate is None:
        raise InstallError(f"{label} has no bin/python3; it is not an interpreter archive")
    data = run_probe(candidate)
    if isinstance(data, ProbeFailure):
        raise InstallError(f"the interpreter in {label} does not run here ({data.reason}); it may be built for "
                           "another platform")
    major, minor, micro, level, serial = (list(data["version_info"]) + [0, 0, 0, "final", 0])[:5]
    pre = {"alpha": "a", "beta": "b", "candidate": "rc"}.get(str(level), "")
    version = f"{major}.{minor}.{micro}" + (f"{pre}{serial}" if pre else "")
    name = version + ("t" if data.get("freethreaded") else "")
    if data.get("implementation") == "pypy":
        name = f"pypy{major}.{minor}"
    return version, name, candidate, data


def _moved(value: Any, old: str, new: str) -> Any:
    """`value` (probe data) with every path inside the folder `old` moved to `new`."""
    if isinstance(value, str):
        return new + value[len(old):] if value == old or value.startswith(old + os.sep) else value
    if isinstance(value, list):
        return [_moved(item, old, new) for item in value]
    if isinstance(value, dict):
        return {key: _moved(item, old, new) for key, item in value.items()}
    return value


def _remember_probe(candidate: Candidate, data: Dict[str, Any], top: Tuple[str, str], final: Path) -> None:
    """The probe answer for the interpreter at its final place, as discovery would get it.
    `top` is where it was probed, as named and as its real path: an interpreter may report
    either (sys.executable is the name it was run by; a prefix may come from the real path)."""
    from pyshim.interpreters import cache

    executable = str(final) + candidate.executable[len(top[0]):]
    print_ = cache.fingerprint(executable)
    if print_ is not None:
        moved = _moved(_moved(data, top[1], os.path.realpath(final)), top[0], str(final))
        cache.store([(executable, print_, moved)])


def sweep_leftovers(versions: Path) -> None:
    """Remove unpack folders of installs whose process is gone (`batch.install_all` asks this
    first, once per `pyshim install`, also when every version is there already)."""
    try:
        entries = list(versions.iterdir())
    except OSError:
        return
    for entry in entries:
        parts = entry.name.split(".")
        if entry.name.startswith(".") and entry.name.endswith(".unpack") and len(parts) >= 4 and parts[-3].isdigit():
            if not _alive(int(parts[-3])):
                shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def place(archive: Path, name: Optional[str], expected_version: Optional[str], force: bool = False,
          verified: bool = False) -> Installed:
    """Install `archive` as ROOT/versions/NAME (NAME from the interpreter itself when None);
    `verified`: its SHA-256 was checked (see `unpack`)."""
    from pyshim.install.unpack import unpack

    versions = Path(paths.versions_dir())
    versions.mkdir(parents=True, exist_ok=True)
    work = versions / f".install.{os.getpid()}.{threading.get_ident()}.unpack"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        try:
            top = unpack(archive, work / "archive", verified)
        except OSError as error:
            raise InstallError(f"unpacking {archive.name} into {versions} failed: {error.strerror or error}; "
                               "free some space there, or move pyshim's root (PYSHIM_ROOT)") from None
        version, own_name, candidate, data = probed_name(top, archive.name)
        real_top = os.path.realpath(top)
        if expected_version and version != expected_version:
            raise InstallError(f"{archive.name} holds Python {version}, not {expected_version} as the downloads "
                               "file says; not installed")
        name = name or own_name
        final = versions / name
        with file_lock(versions / f".{name}.lock", timeout=3600):
            if final.exists() and not force:
                return Installed(name, final, version, True)
            if final.exists():  # --force: the old one goes into the unpack folder, which is removed below
                os.rename(final, work / "previous")
            os.rename(top, final)
        _remember_probe(candidate, data, (str(top), real_top), final)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Installed(name, final, version, False)


def dependent_venvs(folder: Path) -> List[str]:
    """Named venvs whose base interpreter lives in `folder` (their pyvenv.cfg `home` is inside it)."""
    found = []
    real = os.path.realpath(folder)
    try:
        venvs = sorted(Path(paths.venvs_dir()).iterdir())
    except OSError:
        return []
    for venv in venvs:
        try:
            text = (venv / "pyvenv.cfg").read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for line in text.splitlines():
            key, _, value = line.partition("=")
            if key.strip() == "home" and os.path.realpath(value.strip()).startswith(real + os.sep):
                found.append(venv.name)
    return found


def remove(name: str, force: bool = False) -> Path:
    """Uninstall ROOT/versions/NAME: moved aside under the install lock, then deleted."""
    from pyshim.selection.request import validate_name

    validate_name(name, "the command line")
    versions = Path(paths.versions_dir())
    folder = versions / name
    if not folder.is_dir():
        raise InstallError(f"{name} is not installed by pyshim (no {folder}); see `pyshim versions`")
    users = dependent_venvs(folder)
    if users and not force:
        raise InstallError(f"the named venvs {', '.join(users)} are built on {name}; remove them first "
                           f"(`pyshim venv --rm NAME`) or add --force")
    with file_lock(versions / f".{name}.lock", timeout=3600):
        trash = versions / f".remove.{os.getpid()}.{threading.get_ident()}.unpack"
        os.rename(folder, trash)
        shutil.rmtree(trash, ignore_errors=True)
    return folder
