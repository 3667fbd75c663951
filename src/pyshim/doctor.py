"""The checks behind `pyshim doctor`: the set-up problems people hit most, each with its fix.

Reads the environment, PATH, the version file selection, the shims folder and venvs; starts no
interpreter except through discovery's probe cache (for the version-file check). Every check
returns `Finding`s; the command module prints them (or JSON) and sets the exit status.
"""

from __future__ import annotations

import os
from pathlib import Path

from pyshim.base import paths
from pyshim.base.record import Record


class Finding(Record):
    check: str  # short id: shims-path, pyenv-shadow, python-path, pip-mismatch, version-file, ...
    problem: str
    fix: str

    def as_dict(self) -> dict:
        return self._asdict()


def _path_entries(environ: Mapping[str, str]) -> List[str]:
    return [os.path.abspath(entry) for entry in environ.get("PATH", "").split(os.pathsep) if entry]


def _same(a: str, b: str) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


def _which(command: str, entries: Sequence[str]) -> Optional[str]:
    for folder in entries:
        candidate = os.path.join(folder, command)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def _venv_bin(environ: Mapping[str, str]) -> Optional[str]:
    venv = environ.get("VIRTUAL_ENV")
    return os.path.join(os.path.abspath(venv), "bin") if venv else None


def check_shims_on_path(environ: Mapping[str, str]) -> List[Finding]:
    shims = paths.shims_dir()
    entries = _path_entries(environ)
    from pyshim.shell import init_line

    rc_file, line = init_line(environ)
    fix = f"add `{line}` (see `pyshim init`) to {rc_file} and open a new shell"
    if not any(_same(entry, shims) for entry in entries):
        return [Finding("shims-path", f"the shims folder {shims} is not on PATH", fix)]
    findings = []
    allowed_before = {_venv_bin(environ)}
    for entry in entries:
        if _same(entry, shims):
            break
        if entry in allowed_before:
            continue
        python = _which("python", [entry]) or _which("python3", [entry])
        if python:
            findings.append(Finding("shims-order", f"{entry} comes before the shims on PATH and holds {python}",
                                    f"put {shims} first: evaluate `pyshim init` last in your start-up file"))
    return findings


def check_pyenv_shadow(environ: Mapping[str, str]) -> List[Finding]:
    shims = paths.shims_dir()
    pyenv_shims = {os.path.abspath(Path(paths.pyenv_root()) / "shims")}
    for entry in _path_entries(environ):
        if _same(entry, shims):
            return []
        if entry in pyenv_shims or entry.endswith("/.pyenv/shims"):
            from pyshim.shell import init_line

            rc_file, line = init_line(environ)
            return [Finding("pyenv-shadow", f"pyenv's shims {entry} come before pyshim's on PATH",
                            f"remove pyenv's init line from {rc_file}, or put `{line}` after it")]
    return []


def _shebang_interpreter(script: str) -> Optional[str]:
    try:
        with open(script, "rb") as handle:
            first = handle.readline(4096)
    except OSError:
        return None
    if not first.startswith(b"#!"):
        return None
    words = first[2:].decode("utf-8", "replace").split()
    if not words:
        return None
    if os.path.basename(words[0]) == "env":
        return None  # `#!/usr/bin/env python` follows PATH, like `python` does
    return words[0]


def _is_shim(path: str) -> bool:
    return _same(os.path.dirname(path), paths.shims_dir())


def check_python_and_pip(environ: Mapping[str, str]) -> List[Finding]:
    entries = _path_entries(environ)
    command = "python" if _which("python", entries) else "python3"
    python = _which(command, entries)
    pip = _which("pip", entries) or _which("pip3", entries)
    findings = []
    expected = [paths.shims_dir()] + [folder for folder in [_venv_bin(environ)] if folder]
    if python and not any(_same(os.path.dirname(python), folder) for folder in expected):
        findings.append(Finding("python-path", f"`{command}` runs {python}, which is neither a pyshim shim nor the active venv",
                                "put the shims first on PATH with `pyshim init`, or remove that folder from PATH"))
    if pip and python and not _is_shim(pip):
        interpreter = _shebang_interpreter(pip)
        if interpreter and (_is_shim(python) or not _same(interpreter, python)):
            findings.append(Finding("pip-mismatch", f"`pip` ({pip}) installs for {interpreter}, but `python` is {python}",
                                    "use `python -m pip` instead of `pip`, or fix PATH so both come from one place"))
    return findings


def check_version_file(cwd: Path, environ: Mapping[str, str]) -> List[Finding]:
    from pyshim.interpreters.discovery import find_interpreters
    from pyshim.base.errors import PyshimError
    from pyshim.interpreters.resolve import find_interpreter, installed_names
    from pyshim.selection.select import select

    try:
        selection = select(cwd, environ)
    except PyshimError as error:
        return [Finding("version-file", error.message, "fix or remove that file (`pyshim local --unset`)")]
    if selection.file is None:
        return []
    interpreters = find_interpreters().interpreters
    findings = []
    for request in selection.requests:
        if find_interpreter(request, interpreters) is None:
            names = ", ".join(installed_names(interpreters))
            findings.append(Finding("version-file", f"{selection.file} names {request.raw!r}, which is not installed",
                                    f"pick an installed one with `pyshim local VERSION` (installed: {names})"))
    return findings


def check_venv_mismatch(cwd: Path, environ: Mapping[str, str]) -> List[Finding]:
    """The active venv is another Python than the one the selection picks (`active_venv`)."""
    from pyshim.interpreters.active_venv import active_venv, disagreement
    from pyshim.interpreters.discovery import find_interpreters
    from pyshim.base.errors import PyshimError
    from pyshim.interpreters.resolve import find_interpreter
    from pyshim.selection.select import select

    venv = active_venv(environ)
    if venv is None:
        return []
    try:
        selection = select(cwd, environ)
    except PyshimError:
        return []  # check_version_file reports it
    first = find_interpreter(selection.requests[0], find_interpreters().interpreters)
    note = disagreement(venv, first) if first is not None and not first.is_system else None
    if note is None:
        return []
    problem, fix = note.split("; ", 1)
    return [Finding("venv-mismatch", f"{problem} (selected by {selection.origin_text})", fix)]


def check_stale_shims() -> List[Finding]:
    from pyshim.interpreters.discovery import find_interpreters
    from pyshim.shims.rehash import INDEX_NAME, existing_shims, shim_commands

    folder = Path(paths.shims_dir())
    if not (folder / INDEX_NAME).is_file():
        return [Finding("stale-shims", f"no shims in {folder} yet", "run `pyshim rehash`")]
    wanted = set(shim_commands(find_interpreters().interpreters))
    existing = set(existing_shims(folder))
    missing, extra = sorted(wanted - existing), sorted(existing - wanted)
    if not missing and not extra:
        return []
    parts = []
    if missing:
        parts.append("missing " + ", ".join(missing[:8]) + (" ..." if len(missing) > 8 else ""))
    if extra:
        parts.append("left over " + ", ".join(extra[:8]) + (" ..." if len(extra) > 8 else ""))
    return [Finding("stale-shims", f"the shims in {folder} are out of date ({'; '.join(parts)})", "run `pyshim rehash`")]


def _venvs_to_check(cwd: Path, environ: Mapping[str, str]) -> Iterable[Path]:
    from pyshim.shell.project import find_project_venv

    seen = set()
    candidates = [environ.get("VIRTUAL_ENV"), find_project_venv(cwd, environ)]
    candidates += [os.path.join(paths.venvs_dir(), name) for name in paths.named_venv_names()]
    for candidate in candidates:
        if candidate and (Path(candidate) / "pyvenv.cfg").is_file() and str(candidate) not in seen:
            seen.add(str(candidate))
            yield Path(candidate)


def check_venvs(cwd: Path, environ: Mapping[str, str]) -> List[Finding]:
    """venv-broken (its base is gone) and venv-outdated (its base now runs another patch release),
    for the active venv, this folder's project venv and every named venv; the fix moves it onto
    the installed X.Y in place (`pyshim venv --upgrade`, see venv/rebase.py)."""
    from pyshim.interpreters.discovery import find_interpreters
    from pyshim.venv.named import venv_problem
    from pyshim.venv.rebase import base_change, upgrade_fix

    findings = []
    interpreters = None
    for venv in _venvs_to_check(cwd, environ):
        if interpreters is None:
            interpreters = find_interpreters().interpreters
        name = venv.name if venv.parent == Path(paths.venvs_dir()) else None
        problem = venv_problem(venv)
        if problem:
            findings.append(Finding("venv-broken", f"the venv {venv} cannot run: {problem}",
                                    upgrade_fix(venv, interpreters, name)))
            continue
        change = base_change(venv, interpreters)
        if change:
            findings.append(Finding("venv-outdated", f"the venv {venv} is on another Python than it was made with: "
                                    f"{change}", upgrade_fix(venv, interpreters, name)))
    return findings


def check_relative_path_entries(environ: Mapping[str, str]) -> List[Finding]:
    """`.` (or the empty entry, or `bin`) on PATH runs whatever the current folder holds."""
    entries = environ.get("PATH", "").split(os.pathsep)
    relative = list(dict.fromkeys(entry for entry in entries if not os.path.isabs(entry)))
    if not relative:
        return []
    shown = ", ".join(repr(entry) for entry in relative)
    return [Finding("path-relative", f"PATH holds {shown}, relative to the current folder: a command there runs "
                    "in place of the real one (pyshim itself never searches such entries)",
                    "remove it from PATH in your start-up files (an empty entry is a leading, trailing or doubled `:`)")]


def check_python_variables(environ: Mapping[str, str]) -> List[Finding]:
    findings = []
    for name in ("PYTHONHOME", "PYTHONPATH"):
        if environ.get(name):
            findings.append(Finding("python-variables", f"{name} is set ({environ[name]}): every interpreter and venv sees it",
                                    f"unset it (`unset {name}`) and remove it from your start-up files"))
    return findings


def run_checks(cwd: Path, environ: Optional[Mapping[str, str]] = None) -> List[Finding]:
    """Every check, in the order a user should fix them."""
    env = os.environ if environ is None else environ
    checks: List[Callable[[], List[Finding]]] = [
        lambda: check_shims_on_path(env),
        lambda: check_pyenv_shadow(env),
        lambda: check_python_and_pip(env),
        lambda: check_relative_path_entries(env),
        lambda: check_python_variables(env),
        lambda: check_version_file(cwd, env),
        lambda: check_venv_mismatch(cwd, env),
        check_stale_shims,
        lambda: check_venvs(cwd, env),
    ]
    findings: List[Finding] = []
    for check in checks:
        findings.extend(check())
    return findings
