"""Resolution: from requests (and a selection) to interpreters and commands.

Fourth step of the data flow: it takes the `Selection` and the discovered `PythonInfo`s and
answers "which interpreter is this request", "which file does command CMD run here" and "which
versions have CMD". Every command (and the shims' slow path, `pyshim exec`) goes through here,
so they cannot disagree.

Ranking among interpreters that match a request: an exact name match first; then managed
interpreters (pyshim's own, named venvs, pyenv's, uv's, conda's) above those found on PATH or in
system folders, as uv's default `python-preference = managed` does; then the highest version,
final releases above pre-releases; CPython above other implementations when the request did not
name one; then source order (pyshim, pyshim venvs, pyenv, uv, conda, PATH, system folders).

Managed first means a request that a managed interpreter matches never depends on PATH, so
the shims' index can answer it whatever PATH holds; only `system` and requests that match
nothing managed do.
"""

from __future__ import annotations

import os

from pyshim.interpreters.discovery import sources
from pyshim.base.errors import CommandNotFound, VersionNotInstalled
from pyshim.interpreters.pyinfo import PythonInfo, Source
from pyshim.base.record import Record
from pyshim.selection.request import PythonRequest, RequestKind
from pyshim.selection.select import Selection

_SOURCE_ORDER = {source: index for index, source in enumerate(Source.ORDER)}


def _rank(request: PythonRequest, info: PythonInfo) -> Tuple:
    exact_name = info.name == request.raw
    prefer_cpython = request.implementation is None and info.implementation == "cpython"
    managed = not info.is_system
    return (exact_name, managed, info.version_key[3] == 3, prefer_cpython, info.version_key, -_SOURCE_ORDER[info.source])


def find_interpreter(request: PythonRequest, interpreters: Iterable[PythonInfo]) -> Optional[PythonInfo]:
    """The best interpreter for `request`, or None."""
    if request.kind == RequestKind.SYSTEM:
        return system_interpreter(interpreters)
    matches = [info for info in interpreters if request.matches(info)]
    return max(matches, key=lambda info: _rank(request, info)) if matches else None


def system_interpreter(interpreters: Iterable[PythonInfo]) -> Optional[PythonInfo]:
    """What `system` means: the `python3` (else `python`) first on PATH outside shim folders."""
    interpreters = list(interpreters)
    by_path = {info.executable: info for info in interpreters}
    for name in ("python3", "python"):
        path = find_on_path(name)
        if path is None:
            continue
        info = by_path.get(path) or next((i for i in interpreters if i.real_executable == os.path.realpath(path)), None)
        if info is not None:
            # A PATH entry may be a link to an interpreter discovery listed under another source
            # (e.g. /usr/local/bin/python3 -> a pyenv version): as `system` it is the PATH one.
            return info if info.is_system else info._replace(source=Source.PATH, name=path, executable=path)
    return None


def find_on_path(command: str) -> Optional[str]:
    """`command` on PATH with every shim folder left out (so `system` never loops into a shim)."""
    for directory in sources.path_directories():
        candidate = os.path.join(os.path.abspath(directory), command)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def installed_names(interpreters: Iterable[PythonInfo]) -> List[str]:
    names = [info.name for info in interpreters if not info.is_system]
    return list(dict.fromkeys(names)) + ["system"]


class Resolved(Record):
    """A selection turned into interpreters, in search order.

    `interpreters[i]` is what `requests[i]` resolved to; `missing` holds the selected requests
    that no installed interpreter satisfies (pyenv skips those, with a warning, and goes on)."""

    selection: Selection
    interpreters: Tuple[PythonInfo, ...]
    requests: Tuple[PythonRequest, ...] = ()
    missing: Tuple[PythonRequest, ...] = ()

    def missing_warnings(self) -> List[str]:
        """One line per selected version that is not installed, for stderr."""
        return [missing_warning(request, self.selection.origin_text) for request in self.missing]


def resolve_selection(selection: Selection, interpreters: Sequence[PythonInfo]) -> Resolved:
    """The selection's installed versions, in order; the others go to `missing`, as pyenv skips them.

    When none of the selected versions is installed, `VersionNotInstalled` names every one of
    them: pyshim never quietly runs `system` in place of what a version file asked for (pyenv's
    shims do; docs/reference.md, "pyenv vs pyshim, on purpose")."""
    found: List[PythonInfo] = []
    requests: List[PythonRequest] = []
    missing: List[PythonRequest] = []
    for request in selection.requests:
        info = find_interpreter(request, interpreters)
        if info is None:
            missing.append(request)
        else:
            found.append(info)
            requests.append(request)
    if not found:
        raise versions_not_installed(missing, selection.origin_text, interpreters)
    return Resolved(selection, tuple(found), tuple(requests), tuple(missing))


def install_hint(requests: Sequence[PythonRequest]) -> str:
    """`install it with `pyshim install 3.13``, for the requests `pyshim install` can satisfy ('' if none)."""
    import shlex

    installable = [shlex.quote(request.raw) for request in requests
                   if request.kind in (RequestKind.VERSION, RequestKind.SPECIFIER)]
    return f"install it with `pyshim install {' '.join(installable)}`, or " if installable else ""


def missing_warning(request: PythonRequest, origin: str) -> str:
    """The warning for a selected version that is skipped because it is not installed."""
    return (f"pyshim: warning: version '{request.raw}' is not installed (set by {origin}), skipped; "
            f"{install_hint([request]) or 'install it, or '}see `pyshim versions` for what is")


def versions_not_installed(
    requests: Sequence[PythonRequest], origin: str, interpreters: Iterable[PythonInfo]
) -> VersionNotInstalled:
    """One line naming every request in `requests` (none of them installed) and what is."""
    if len(requests) == 1:
        return not_installed(requests[0], origin, interpreters)
    names = ", ".join(f"'{request.raw}'" for request in requests)
    return VersionNotInstalled(
        f"versions {names} are not installed (set by {origin}); "
        f"installed: {', '.join(installed_names(interpreters))}; {install_hint(requests)}pick one with `pyshim local VERSION`"
    )


def not_installed(
    request: PythonRequest,
    origin: str,
    interpreters: Iterable[PythonInfo],
    fix: str = "pick one with `pyshim local VERSION`",
) -> VersionNotInstalled:
    names = installed_names(interpreters)
    return VersionNotInstalled(
        f"version '{request.raw}' is not installed (set by {origin}); installed: {', '.join(names)}; "
        f"{install_hint([request])}{fix}"
    )


def command_in(info: PythonInfo, command: str) -> Optional[str]:
    """The file `command` runs for interpreter `info`: its bin folder, or PATH for `system`."""
    if info.is_system:
        return find_on_path(command)
    path = os.path.join(info.bin_dir, command)
    return path if os.path.isfile(path) and os.access(path, os.X_OK) else None


def which(command: str, resolved: Resolved, interpreters: Sequence[PythonInfo]) -> Tuple[str, Optional[PythonInfo]]:
    """The file `command` runs and the version it comes from: the first selected version that
    has it, else for a versioned name (`python3.10`) the best installed version it names, else
    PATH as `system` (None: as pyenv, `which bash` works under a 3.12 pin).
    CommandNotFound (127) names the selected versions that are not installed and the versions
    that have the command."""
    if os.sep in command or command in ("", ".", ".."):
        raise CommandNotFound(f"'{command}' is not a command name; give a name such as python or pip")
    for info in resolved.interpreters:
        path = command_in(info, command)
        if path is not None:
            return path, info
    fallback = versioned_command(command, interpreters)
    if fallback is not None:
        return fallback
    if not any(info.is_system for info in resolved.interpreters):
        path = find_on_path(command)
        if path is not None:
            return path, None
    selected = ", ".join(resolved.selection.names)
    skipped = "".join(f"; version '{request.raw}' is not installed" for request in resolved.missing)
    having = whence(command, interpreters)
    hint = (
        f"it exists in: {', '.join(having)}; select one with `pyshim local NAME` or `pyshim shell NAME`"
        if having
        else "no installed version has it; install it with pip"
    )
    raise CommandNotFound(
        f"{command}: command not found in {selected} (set by {resolved.selection.origin_text}){skipped}; {hint}"
    )


def child_path(chosen: Optional[PythonInfo], path: str) -> str:
    """PATH for the child of `exec` (and the shims), as pyenv's `exec` makes it: the bin folder of
    the version that runs the command first; a command from `system` (None: from PATH) keeps
    PATH as it is."""
    if chosen is None or chosen.is_system:
        return path
    return os.pathsep.join([chosen.bin_dir, path])


def command_version(command: str) -> Optional[str]:
    """The version a versioned command name asks for: `python3.10`, `pip3.10`, `pydoc3.10`,
    `idle3.10`, `2to3-3.10`, `python3.10-config` -> "3.10"; `python3.13t` -> "3.13t"; else None.
    (The shims' sh spells the same rule as `case` patterns: `_pyshim_versioned` in shims/shim.sh.)"""
    for prefix in ("python", "pip", "pydoc", "idle", "2to3-"):
        if command.startswith(prefix):
            rest = command[len(prefix):]
            if rest.endswith("-config") and prefix == "python":
                rest = rest[: -len("-config")]
            major, dot, minor = rest.rstrip("t").partition(".")
            tail = rest[len(major) + len(dot) + len(minor):]
            if len(major) == 1 and dot and 1 <= len(minor) <= 2 and (major + minor).isdigit() and tail in ("", "t"):
                return rest
    return None


def versioned_command(command: str, interpreters: Sequence[PythonInfo]) -> Optional[Tuple[str, PythonInfo]]:
    """`python3.10` asks for a 3.10 even where the selection has none: the best installed 3.10
    (managed first, see `_rank`) that has the command, as (file, interpreter); else None."""
    from pyshim.base.errors import PyshimError
    from pyshim.selection.request import parse_request

    version = command_version(command)
    if version is None:
        return None
    try:
        request = parse_request(version, f"the command name {command}", allow_path=False)
    except PyshimError:
        return None
    info = find_interpreter(request, interpreters)
    path = command_in(info, command) if info is not None else None
    return (path, info) if path is not None else None


def whence(command: str, interpreters: Iterable[PythonInfo]) -> List[str]:
    """Names of the installed (non-system) versions whose bin folder has `command`."""
    return [info.name for info in interpreters if not info.is_system and command_in(info, command)]
