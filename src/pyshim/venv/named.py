"""Named venvs (pyenv-virtualenv style): kept in pyshim's root, usable wherever a version is.

Part of the `venv/` action step. A named venv lives in `paths.venvs_dir()/NAME`; discovery
lists those folders as `Source.VENV` under NAME, so `pyshim local NAME`, `.python-version`,
shims and `pyshim versions` all know it without further bookkeeping. This module checks names,
lists the venvs with their state (a venv whose base interpreter has gone is "broken", one whose
base now runs another patch release is "outdated", each with the command that fixes it, see
`rebase.py`), removes them, and asks the shims to be rewritten after a change.
"""

from __future__ import annotations

import os

from pyshim.base import paths
from pyshim.base.errors import PyshimError, VenvError
from pyshim.base.record import Record
from pyshim.venv.config import read_config


class NamedVenv(Record):
    name: str
    path: Path
    version: str  # from pyvenv.cfg ("" when unknown)
    home: str  # the base interpreter's folder, from pyvenv.cfg
    problem: Optional[str]  # None when usable and on the base it was made with
    outdated: bool = False  # the problem is only that its base is another patch release now

    @property
    def status(self) -> str:
        return "ok" if self.problem is None else "outdated" if self.outdated else "broken"


MAX_NAME_LENGTH = 100


def check_name(name: str) -> str:
    """A name that cannot escape the venvs folder, fits in .python-version (no spaces) and does
    not read as a version request."""
    from pyshim.selection.request import RequestKind, is_plain_name, parse_request

    if not is_plain_name(name, MAX_NAME_LENGTH) or ".." in name or parse_request(name, "--name", allow_path=False).kind != RequestKind.NAME:
        raise VenvError(f"--name {name!r}: a venv name is letters, digits and _ . + @ - (not first: . + @ -), "
                        "and must not read as a version (3.12, pypy3.10, system); pick one such as 'myproject'")
    return name


def named_path(name: str) -> "Path":
    from pathlib import Path  # listing and removing are not on any start-up path; naming is

    return Path(named_path_text(name))


def named_path_text(name: str) -> str:
    return os.path.join(paths.venvs_dir(), check_name(name))


def venv_problem(env_dir: "str | os.PathLike[str]") -> "str | None":
    """Why the venv at `env_dir` cannot run, with the fix; None when it can (no process started)."""
    config = read_config(os.path.join(env_dir, "pyvenv.cfg"))
    if not config:
        return f"{env_dir}/pyvenv.cfg is missing or unreadable"
    home = config.get("home", "")
    python = os.path.join(env_dir, "bin", "python")
    if not home or not os.path.isdir(home) or not os.path.exists(python):
        gone = config.get("executable") or home or "its base interpreter"
        return f"its base interpreter {gone} is gone"
    return None


def recreate_hint(venv: NamedVenv, interpreters: Sequence[PythonInfo]) -> str:
    """The fix for a broken or outdated named venv: move it onto an installed interpreter of the
    same X.Y in place, keeping its packages (pyenv-style: 3.12.1 removed, 3.12.8 installed)."""
    from pyshim.venv.rebase import upgrade_fix

    return upgrade_fix(venv.path, interpreters, name=venv.name)


def list_named(interpreters: Optional[Sequence[PythonInfo]] = None) -> List[NamedVenv]:
    """Every named venv with its state; `interpreters` (discovered when needed) tell whether a
    base still runs the patch release a venv was made with."""
    from pyshim.venv.rebase import base_change

    from pathlib import Path

    found = []
    for entry in (Path(paths.venvs_dir()) / name for name in paths.named_venv_names()):
        config = read_config(str(entry / "pyvenv.cfg"))
        if not config:
            continue
        version = config.get("version_info") or config.get("version", "")
        problem, outdated = venv_problem(entry), False
        if problem is None:
            if interpreters is None:
                from pyshim.interpreters.discovery import find_interpreters

                interpreters = find_interpreters().interpreters
            problem = base_change(entry, interpreters)
            outdated = problem is not None
        found.append(NamedVenv(entry.name, entry, version, config.get("home", ""), problem, outdated))
    return found


def remove_named(name: str) -> Path:
    path = named_path(name)
    if not (path / "pyvenv.cfg").is_file():
        known = ", ".join(venv.name for venv in list_named()) or "none"
        raise VenvError(f"no named venv '{name}' in {paths.venvs_dir()} (named venvs: {known}); see `pyshim venvs`")
    sweep_removals()
    trash = path.with_name(f".{name}.{REMOVING}{os.getpid()}")
    os.replace(path, trash)  # gone from discovery at once, even if deleting takes a while
    _delete(trash)
    return path


REMOVING = "pyshim-removing-"


def _delete(path: Path) -> None:
    """A named venv moved aside by --rm: a symlinked one loses only the link (its target is
    the user's), a folder is deleted."""
    if path.is_symlink():
        path.unlink()
        return
    from pyshim.base.fsutil import remove_tree

    remove_tree(path)


def sweep_removals() -> None:
    """Finish the `--rm`s of killed runs: `.NAME.pyshim-removing-PID` whose process is gone."""
    from pathlib import Path

    try:
        entries = list(Path(paths.venvs_dir()).iterdir())
    except OSError:
        return
    for entry in entries:
        head, _, pid = entry.name.rpartition("." + REMOVING)
        if not (entry.name.startswith(".") and head and pid.isdigit()):
            continue
        if int(pid) != os.getpid() and not _alive(int(pid)):
            _delete(entry)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return pid < 2**31  # another user's process holds it; a pid out of range is no process
    return True


def rehash() -> Optional[str]:
    """Rewrite the shims so they know the named venvs; a warning line if that failed, else None."""
    from pyshim.shims.rehash import rehash as write_shims

    try:
        write_shims()
    except (PyshimError, OSError) as error:
        return f"the shims were not updated ({error}); run `pyshim rehash`"
    return None
