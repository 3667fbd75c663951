"""Version requests: what a user, a version file or a variable asks for, parsed once.

This is the first step of the data flow. Every accepted form is turned into one frozen
`PythonRequest`; `PythonRequest.matches(info)` is the only matcher, so every command agrees on
what "3.11" means.

Accepted forms (see README and docs/reference.md, "Version requests"):

    3.11.7   exact version            3.11, 3     prefix (highest final release wins)
    3.13t    free-threaded build      3.13.0rc1   exact pre-release
    pypy3.10, cpython3.12, cpython@3.12, pypy@3.10   implementation + version
    >=3.10,<3.12                      PEP 440 specifier (packaging, imported only then)
    /usr/bin/python3                  absolute path (command line and variables only)
    python-3.11                       pyenv-style name, same as 3.11
    system                            the first interpreter on PATH outside any shim folder
    myproject, 3.11.7-debug           any other name: a venv or interpreter folder of that name
    3.12.1/envs/foo                   a pyenv-virtualenv venv (a name with `/` must stay inside
                                      $PYENV_ROOT/versions, as pyenv's CVE-2022-35861 fix has it)

A version or specifier never selects a virtual environment: `3.11` means an interpreter, even
when a named venv built on 3.11 exists; venvs are selected by name (or path).
"""

from __future__ import annotations

import os

from pyshim.base.errors import InvalidVersionName
from pyshim.base.record import Record

TYPE_CHECKING = False  # typing stays unimported at run time (see pyshim.base.record)

if TYPE_CHECKING:
    from pyshim.interpreters.pyinfo import PythonInfo

MAX_NAME_LENGTH = 255
_PLAIN_FIRST = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_PLAIN_REST = _PLAIN_FIRST | frozenset(".+@-")

_DIGITS = frozenset("0123456789")  # ASCII only: `str.isdigit` and int() also take `٣` and `３`
_IMPLEMENTATIONS = ("cpython", "pypy")
_PRE_TAGS = ("rc", "a", "b")
_SPECIFIER_START = ("<", ">", "=", "!", "~")
# pyenv's rolling and source builds (`3.8-dev`, `3.12-src`, `miniconda3-latest`): never the
# answer to a version or specifier, only to their own name (as `pyenv latest` leaves them out).
_ROLLING_SUFFIXES = ("-dev", "-src", "-latest")


class RequestKind:
    """What a request names (constants, not an `enum`: see `pyinfo.Source`)."""

    SYSTEM = "system"
    VERSION = "version"
    SPECIFIER = "specifier"
    PATH = "path"
    NAME = "name"


class PythonRequest(Record):
    """One parsed request. `raw` is the text as written, for messages."""

    raw: str
    kind: RequestKind
    implementation: Optional[str] = None
    release: Tuple[int, ...] = ()
    prerelease: Optional[str] = None
    freethreaded: bool = False
    specifier: str = ""

    def __str__(self) -> str:
        return self.raw

    @property
    def is_exact(self) -> bool:
        return self.kind == RequestKind.VERSION and len(self.release) == 3

    def matches(self, info: "PythonInfo") -> bool:
        """Whether `info` satisfies this request (ranking among matches is `resolve`'s job)."""
        if info.name == self.raw and self.kind != RequestKind.SYSTEM:
            return True
        if self.kind == RequestKind.NAME:
            return False
        if self.kind == RequestKind.SYSTEM:
            return info.is_system
        if self.kind == RequestKind.PATH:  # parse_request made it absolute
            return self.raw in (info.executable, info.real_executable)
        if info.is_venv:
            return False  # a version asks for an interpreter; venvs are selected by their name
        if info.name.endswith(_ROLLING_SUFFIXES):
            return False
        return self.matches_release(info.implementation, info.release, info.prerelease, info.freethreaded, info.version)

    def matches_release(self, implementation: str, release: Tuple[int, ...], prerelease: Optional[str],
                        freethreaded: bool, version: str) -> bool:
        """The version part of `matches`, for anything with a version: an interpreter, or a build
        `pyshim install` could download."""
        if self.kind not in (RequestKind.VERSION, RequestKind.SPECIFIER):
            return False
        if self.implementation and implementation != self.implementation:
            return False
        if freethreaded != self.freethreaded:
            return False
        if self.kind == RequestKind.SPECIFIER:
            return _specifier_contains(self.specifier, version)
        if tuple(release[: len(self.release)]) != self.release:
            return False
        if len(self.release) == 3:
            return prerelease == self.prerelease
        return not prerelease  # a prefix (`3.13`) never means a pre-release, as `pyenv latest`


def _specifier_contains(specifier: str, version: str) -> bool:
    from packaging.specifiers import SpecifierSet

    return SpecifierSet(specifier).contains(version, prereleases=None)


def is_plain_name(text: str, max_length: int = MAX_NAME_LENGTH) -> bool:
    """A name every shell, file system and sh `case` takes as it is: ASCII letters, digits and
    `_` first, then also `.+@-`; what shims and named venvs may be called."""
    return (0 < len(text) <= max_length and text[0] in _PLAIN_FIRST
            and all(char in _PLAIN_REST for char in text))


def validate_name(name: str, origin: str, pyenv_subfolders: bool = False) -> None:
    """Reject names that could point outside pyshim's folders (CVE-2022-35861) or are not text.

    A name with `/` is refused, except with `pyenv_subfolders` (names a request may hold, such
    as pyenv-virtualenv's `3.12.1/envs/foo`) when it stays inside pyenv's versions folder."""
    problem = None
    if not name:
        problem = "is empty"
    elif len(name) > MAX_NAME_LENGTH:
        problem = f"is {len(name)} characters long (at most {MAX_NAME_LENGTH})"
    elif "\\" in name or ("/" in name and not pyenv_subfolders):
        problem = "contains a path separator"
    elif "/" in name:
        problem = _path_name_problem(name)
    elif ".." in name:
        problem = "contains '..'"
    elif any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        problem = "contains control characters"
    if problem:
        shown = name if len(name) <= 60 else name[:57] + "..."
        raise InvalidVersionName(
            f"invalid version name {shown!r} in {origin}: it {problem}; "
            "use a version such as 3.12 or a venv name (see `pyshim versions`)"
        )


def _pyenv_versions_dir() -> str:
    from pyshim.base import paths

    return os.path.join(paths.pyenv_root(), "versions")


def _path_name_problem(name: str) -> Optional[str]:
    """Why a name with `/` is refused, or None for one inside pyenv's versions folder.

    pyenv-virtualenv's venvs are named `3.12.1/envs/foo`; pyenv's fix for CVE-2022-35861
    accepts such a name when, with `..` resolved as `cd` does (symlinks kept), it stays inside
    `$PYENV_ROOT/versions`, and so does pyshim."""
    if name.startswith("/"):
        return "is an absolute path"
    versions = _pyenv_versions_dir()
    if not os.path.normpath(os.path.join(versions, name)).startswith(versions + os.sep):
        return f"leads out of pyenv's versions folder ({versions})"
    return None


def parse_request(text: str, origin: str = "the command line", allow_path: bool = True) -> PythonRequest:
    """Parse one request. Paths are accepted only where the user typed them (`allow_path`)."""
    raw = text.strip()
    if allow_path and (raw.startswith("/") or raw.startswith("~")):
        return PythonRequest(raw=os.path.abspath(os.path.expanduser(raw)), kind=RequestKind.PATH)
    if raw.startswith(_SPECIFIER_START):
        return _parse_specifier(raw, origin)
    validate_name(raw, origin, pyenv_subfolders=True)
    if "/" in raw:  # `3.12.1/envs/foo`: a folder under pyenv's versions, named as discovery names it
        versions = _pyenv_versions_dir()
        return PythonRequest(raw=os.path.relpath(os.path.normpath(os.path.join(versions, raw)), versions),
                             kind=RequestKind.NAME)
    if raw == "system":
        return PythonRequest(raw=raw, kind=RequestKind.SYSTEM)
    body = raw[len("python-"):] if raw.startswith("python-") else raw
    implementation = None
    for name in _IMPLEMENTATIONS:  # `pypy3.10`, `cpython@3.12`
        rest = body[len(name):] if body.startswith(name) else ""
        rest = rest[1:] if rest.startswith("@") else rest
        if rest[:1] in _DIGITS:
            implementation, body = name, rest
    version = _parse_version(body)
    if version is None:
        return PythonRequest(raw=raw, kind=RequestKind.NAME)
    release, prerelease, freethreaded = version
    if prerelease and len(release) < 3:
        release = release + (0,) * (3 - len(release))
    return PythonRequest(
        raw=raw,
        kind=RequestKind.VERSION,
        implementation=implementation,
        release=release,
        prerelease=prerelease,
        freethreaded=freethreaded,
    )


def _is_number(text: str) -> bool:
    return bool(text) and all(ch in _DIGITS for ch in text)


def _parse_version(body: str) -> "tuple[tuple[int, ...], str | None, bool] | None":
    """`3`, `3.12`, `3.12.1`, each optionally followed by a pre-release tag (`a1`, `b2`, `rc1`)
    and then `t` (free-threaded): (release, pre-release or None, free-threaded), else None."""
    freethreaded = body.endswith("t")
    body = body[:-1] if freethreaded else body
    prerelease = None
    for tag in _PRE_TAGS:
        head, found, serial = body.rpartition(tag)
        if found and _is_number(serial) and head[-1:] in _DIGITS:
            body, prerelease = head, tag + serial
            break
    parts = body.split(".")
    if not 1 <= len(parts) <= 3 or not all(_is_number(part) for part in parts):
        return None
    return tuple(int(part) for part in parts), prerelease, freethreaded


def _parse_specifier(raw: str, origin: str) -> PythonRequest:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        if not raw.isascii():
            raise InvalidSpecifier(raw)
        SpecifierSet(raw)
    except InvalidSpecifier:
        raise InvalidVersionName(
            f"invalid version specifier {raw!r} in {origin}; write it as PEP 440, e.g. '>=3.10,<3.12'"
        ) from None
    return PythonRequest(raw=raw, kind=RequestKind.SPECIFIER, specifier=raw)
