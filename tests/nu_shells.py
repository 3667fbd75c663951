"""The real nushell executables the tests run, one pytest parameter per nushell version.

nushell is not packaged by Debian; `scripts/test` installs the pinned releases from the npm
registry into `.test-venv/nushell/VERSION` and names their `nu` in PYSHIM_TEST_NU
(os.pathsep-separated). A `nu` on PATH is run too. The list is read when this module is
imported (at collection, before each test's environment is sealed, which drops PYSHIM_*).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import List, NamedTuple

import pytest

from conftest import missing_tool


class Nu(NamedTuple):
    """One nushell executable and the version it reports."""

    version: str
    path: str


def _version(path: str) -> "str | None":
    try:
        result = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=60)
    except OSError:
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def _find_nu_executables() -> List[Nu]:
    paths = [p for p in os.environ.get("PYSHIM_TEST_NU", "").split(os.pathsep) if p]
    on_path = shutil.which("nu")
    if on_path:
        paths.append(on_path)
    found: dict[str, Nu] = {}
    for path in paths:
        version = _version(path)
        if version and version not in found:
            found[version] = Nu(version, path)
    return sorted(found.values(), key=lambda nu: [int(part) for part in nu.version.split(".") if part.isdigit()])


NU_EXECUTABLES = _find_nu_executables()


def nu_params() -> list:
    """Parameters for `@pytest.mark.parametrize("nu", nu_params())`: one per version found, or a
    single one that skips (fails in CI) when there is none."""
    if not NU_EXECUTABLES:
        return [pytest.param(None, id="nu-missing")]
    return [pytest.param(nu, id=f"nu-{nu.version}") for nu in NU_EXECUTABLES]


def nu_names() -> List[str]:
    """The same as names, `nu-VERSION`, for a parameter that other shells' names share."""
    return [f"nu-{nu.version}" for nu in NU_EXECUTABLES] or ["nu-missing"]


def nu_named(name: str) -> Nu:
    """The nushell a `nu_names()` name stands for; a skip (a failure in CI) for `nu-missing`."""
    return require_nu(next((nu for nu in NU_EXECUTABLES if f"nu-{nu.version}" == name), None))


def require_nu(nu: "Nu | None") -> Nu:
    """The parameter itself, or a skip (a failure in CI) when no nushell was found."""
    if nu is None:
        missing_tool("nushell is not installed (scripts/test installs it with npm; or set PYSHIM_TEST_NU)")
    return nu
