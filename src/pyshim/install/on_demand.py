"""Installing on demand: where a version is asked for but not installed, install it, then go on.

Only when asked, so that nothing downloads by surprise: `pyshim venv --install`, or
`PYSHIM_AUTO_INSTALL=1` (also `true`, `yes`, `on`; `0`, `false`, `no`, `off` or unset: never).
Where it applies, and nowhere else:

- `pyshim venv` (`--install` or the variable): the `--python` request, else the selected
  version(s) the venv would be built for;
- `pyshim local NAME` / `pyshim global NAME` (the variable): the names to be written, before
  they are written; not with `--force`, which writes names as they are;
- `pyshim exec` and so the shims (the variable): the selected versions that are not installed,
  before the command runs. A shim always hands a name its index does not know to this slow
  path, so a `.python-version` naming 3.13 installs 3.13 on the first `python` run there.

Never for `version`, `versions`, `which`, `whence`, `find`, `prefix`, `doctor` or `shell`,
which only report or set a variable (the next command run through a shim installs), nor for
versioned command names (`python3.13`). Only version and specifier requests are installed
(`3.13`, `3.13t`, `pypy3.10`, `>=3.12`); names, paths and `system` never are.

It is `pyshim install REQUEST...` (`pyshim.install.batch`), with every line it prints (and the
progress bar on a terminal) on stderr: stdout belongs to the command that asked, a shim's to the
program it runs. An install that fails is the command's error, one line, exit 1: the version
was asked for and is not there. A value of the variable that is neither on nor off is an error
too, but only once something is missing: no command that needs no install is stopped by it.
"""

from __future__ import annotations

import os
import sys
from typing import Iterable, List, Optional, Sequence

from pyshim.base.errors import InstallError
from pyshim.interpreters.pyinfo import PythonInfo
from pyshim.selection.request import PythonRequest, RequestKind

VARIABLE = "PYSHIM_AUTO_INSTALL"
_ON = ("1", "true", "yes", "on")
_OFF = ("", "0", "false", "no", "off")


def missing(requests: Iterable[PythonRequest], found: Sequence[PythonInfo]) -> List[PythonRequest]:
    """The version and specifier requests that no interpreter in `found` satisfies (what
    `pyshim install` could download)."""
    from pyshim.interpreters.resolve import find_interpreter

    return [request for request in dict.fromkeys(requests)
            if request.kind in (RequestKind.VERSION, RequestKind.SPECIFIER) and find_interpreter(request, found) is None]


def wanted(flag: bool = False) -> bool:
    """`--install`, or PYSHIM_AUTO_INSTALL on; UsageError for a value that is neither."""
    if flag:
        return True
    value = os.environ.get(VARIABLE, "").strip().lower()
    if value in _OFF:
        return False
    if value in _ON:
        return True
    from pyshim.base.errors import UsageError

    raise UsageError(f"{VARIABLE} is {os.environ[VARIABLE]!r}, neither on nor off; set it to 1 to install missing "
                     f"versions on demand, or to 0 (or unset it) to never download")


def install_missing(requests: Iterable[PythonRequest], found: Sequence[PythonInfo], origin: str,
                    flag: bool = False) -> Sequence[PythonInfo]:
    """`found`, or when some of `requests` are not installed and an install on demand is wanted
    (`flag`, or the variable), every interpreter found after installing them."""
    needed = missing(requests, found)
    if not needed or not wanted(flag):
        return found
    from pyshim.install.batch import install_all

    names = " ".join(request.raw for request in needed)
    why = "--install" if flag else f"{VARIABLE}={os.environ.get(VARIABLE)}"
    print(f"pyshim: installing {names} (asked for by {origin}, not installed; {why})", file=sys.stderr)
    failures = install_all([request.raw for request in needed], out=sys.stderr, discover_meanwhile=False)
    if failures:
        raise InstallError(failures[0] + ("" if len(failures) == 1 else f" (and {len(failures) - 1} more)"))
    from pyshim.interpreters.discovery import find_interpreters

    return find_interpreters().interpreters
