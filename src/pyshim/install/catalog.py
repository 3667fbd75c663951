"""The downloads catalog: which relocatable builds exist, where, with which checksum.

First step of `pyshim install` (see `pyshim.install`): reads the downloads file (the copy shipped
in this package, `downloads.json`, from python-build-standalone's metadata as uv publishes it;
or the file `PYSHIM_PYTHON_DOWNLOADS` names: a path, a `file://` or an `http(s)://` address) into
`Build`s, keeps the ones for this platform and ranks those a request matches. The file is
untrusted input: every entry is checked for its fields' types before it is used.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from pyshim.base.errors import InstallError
from pyshim.selection.request import PythonRequest

SHIPPED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "downloads.json")
MAX_CATALOG_BYTES = 64 * 1024 * 1024
IMPLEMENTATIONS = ("cpython", "pypy")  # graalpy builds are listed in the file but not offered
VARIANTS = ("", "debug", "freethreaded", "freethreaded+debug")
ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar.xz", ".tar.bz2", ".tar.zst", ".zip")


class Build(NamedTuple):
    key: str
    implementation: str
    release: Tuple[int, int, int]
    prerelease: str
    variant: str
    os: str
    arch: str
    libc: str
    url: str
    sha256: str
    build: str

    @property
    def version(self) -> str:
        return ".".join(str(part) for part in self.release) + self.prerelease

    @property
    def freethreaded(self) -> bool:
        return "freethreaded" in self.variant

    @property
    def folder_name(self) -> str:
        """Its folder under ROOT/versions: `3.12.8`, `3.13.1t`, `3.12.8-debug`, `pypy3.10-7.3.19`."""
        if self.implementation == "pypy":
            return f"pypy{self.release[0]}.{self.release[1]}-{self.build}"
        name = self.version + ("t" if self.freethreaded else "")
        return name + ("-debug" if "debug" in self.variant else "")


def this_platform() -> Tuple[str, str, str]:
    """(os, arch, libc) in the catalog's words: ('linux', 'x86_64', 'gnu'), ('darwin', 'aarch64', 'none')."""
    system = {"linux": "linux", "darwin": "darwin", "win32": "windows"}.get(sys.platform, sys.platform)
    machine = platform.machine().lower()
    arch = {"amd64": "x86_64", "x64": "x86_64", "arm64": "aarch64", "i386": "i686", "i586": "i686"}.get(machine, machine)
    libc = "none"
    if system == "linux":
        try:
            libc = "gnu" if os.confstr("CS_GNU_LIBC_VERSION") else "musl"
        except (ValueError, OSError):
            libc = "musl"
    return system, arch, libc


def _entry(key: str, value: Any, origin: str) -> Optional[Build]:
    """One entry as a Build; None for one without a checksum (never installed unverified)."""
    def bad(what: str) -> InstallError:
        return InstallError(f"the downloads file {origin} has a bad entry {key!r}: {what}; fix or replace the file "
                            "(PYSHIM_PYTHON_DOWNLOADS names it)")

    if not isinstance(value, dict):
        raise bad("not an object")
    if value.get("sha256") is None:
        return None
    arch = value.get("arch")
    numbers = [value.get(part) for part in ("major", "minor", "patch")]
    if not all(isinstance(number, int) and not isinstance(number, bool) and 0 <= number < 1000 for number in numbers):
        raise bad("major, minor and patch must be small whole numbers")
    texts = {name: value.get(name) for name in ("name", "os", "libc", "url", "sha256")}
    if not all(isinstance(text, str) and text for text in texts.values()) or not isinstance(arch, dict):
        raise bad("name, os, libc, url, sha256 must be text and arch an object")
    sha = texts["sha256"].lower()
    if len(sha) != 64 or any(ch not in "0123456789abcdef" for ch in sha):
        raise bad("sha256 is not 64 hexadecimal digits")
    if not texts["url"].startswith(("https://", "http://", "file://")):
        raise bad("url is not an http(s):// or file:// address")
    family = arch.get("family")
    if not isinstance(family, str) or (arch.get("variant") is not None and not isinstance(arch.get("variant"), str)):
        raise bad("arch.family must be text")
    variant = value.get("variant") or ""
    prerelease = value.get("prerelease") or ""
    if not isinstance(variant, str) or not isinstance(prerelease, str) or not isinstance(value.get("build") or "", str):
        raise bad("variant, prerelease and build must be text")
    full_arch = family + (f"_{arch['variant']}" if arch.get("variant") else "")
    return Build(key, texts["name"], (numbers[0], numbers[1], numbers[2]), prerelease, variant, texts["os"],
                 full_arch, texts["libc"], texts["url"], sha, value.get("build") or "")


def _read_source(source: str) -> Tuple[bytes, str]:
    if source.startswith(("http://", "https://")):
        from pyshim.install.fetch import read_url

        return read_url(source, MAX_CATALOG_BYTES), source
    path = source[len("file://"):] if source.startswith("file://") else source
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_CATALOG_BYTES + 1)
    except OSError as error:
        raise InstallError(f"cannot read the downloads file {path}: {error.strerror or error}; "
                           "check PYSHIM_PYTHON_DOWNLOADS") from None
    return data, path


def load(source: Optional[str] = None) -> List[Build]:
    """Every usable entry of the downloads file (`PYSHIM_PYTHON_DOWNLOADS`, else the shipped copy)."""
    source = source or os.environ.get("PYSHIM_PYTHON_DOWNLOADS") or SHIPPED
    data, origin = _read_source(source)
    if len(data) > MAX_CATALOG_BYTES:
        raise InstallError(f"the downloads file {origin} is over {MAX_CATALOG_BYTES >> 20} MiB; is it the right file?")
    try:
        entries: Dict[str, Any] = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise InstallError(f"the downloads file {origin} is not valid JSON ({error}); fix or replace it") from None
    if not isinstance(entries, dict):
        raise InstallError(f"the downloads file {origin} is not a JSON object of entries; fix or replace it")
    builds = [_entry(key, value, origin) for key, value in entries.items()]
    return [build for build in builds
            if build is not None and build.implementation in IMPLEMENTATIONS and build.variant in VARIANTS]


def for_platform(builds: List[Build], where: Optional[Tuple[str, str, str]] = None) -> List[Build]:
    system, arch, libc = where or this_platform()
    return [build for build in builds if (build.os, build.arch, build.libc) == (system, arch, libc)]


def matches(request: PythonRequest, build: Build) -> bool:
    """The request matcher (`PythonRequest.matches_release`), on a build; debug builds only by name."""
    if request.raw in (build.folder_name, build.key):
        return True
    if "debug" in build.variant:
        return False
    return request.matches_release(build.implementation, build.release, build.prerelease or None,
                                   build.freethreaded, build.version)


def _rank(build: Build) -> Tuple:
    final = not build.prerelease
    supported = not build.url.endswith(".tar.zst") or zstd_available()
    return (final, build.release, build.prerelease, build.implementation == "cpython", supported, build.build)


def best(request: PythonRequest, builds: List[Build]) -> Optional[Build]:
    """The build `request` installs: the highest matching version, finals first, CPython first."""
    found = [build for build in builds if matches(request, build)]
    return max(found, key=_rank) if found else None


def zstd_available() -> bool:
    try:
        import compression.zstd  # noqa: F401 (Python 3.14+)
    except ImportError:
        try:
            import zstandard  # noqa: F401
        except ImportError:
            return False
    return True
