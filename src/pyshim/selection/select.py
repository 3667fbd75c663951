"""Selection: which version names are active here, and what set them.

Second step of the data flow: request text comes from the first of these that exists, in
this order (README and docs/reference.md, "Selection order"):

1. the PYSHIM_VERSION variable (names separated by `:` or white space);
2. the PYENV_VERSION variable, when PYSHIM_VERSION is unset (pyenv users keep working);
3. the nearest `.python-version`, from PYSHIM_DIR (else pyenv's PYENV_DIR) up to `/`, then,
   when that finds none, from the current directory up;
4. pyshim's global version file (`ROOT/version`);
5. pyenv's global version file (`$PYENV_ROOT/version`), when pyshim has none;
6. `system`.

The result is a `Selection`: the parsed requests, in search order, plus their origin so every
error can say which file or variable to fix.
"""

from __future__ import annotations

import os

from pyshim.base import paths
from pyshim.base.errors import VersionFileError
from pyshim.base.record import Record
from pyshim.selection.request import PythonRequest, parse_request
from pyshim.selection.version_file import current_directory, find_version_file, read_version_file


class Origin:
    """Where a selection came from (constants, not an `enum`: see `pyinfo.Source`)."""

    PYSHIM_VERSION = "PYSHIM_VERSION"
    PYENV_VERSION = "PYENV_VERSION"
    LOCAL_FILE = "local"
    GLOBAL_FILE = "global"
    PYENV_GLOBAL_FILE = "pyenv-global"
    DEFAULT = "default"


class Selection(Record):
    requests: Tuple[PythonRequest, ...]
    origin: Origin
    file: "str | None" = None  # the version file it came from

    @property
    def origin_text(self) -> str:
        """Where the selection came from, as users read it: a variable or a file path."""
        if self.file is not None:
            return self.file
        if self.origin == Origin.DEFAULT:
            return "the default, no version file found"
        return f"the {self.origin} environment variable"

    @property
    def names(self) -> Tuple[str, ...]:
        return tuple(request.raw for request in self.requests)


def _from_variable(value: str, origin: Origin) -> Selection:
    names = value.replace(":", " ").split()  # as pyenv: `:` or white space between names
    if not names:
        raise VersionFileError(
            f"the {origin} variable holds no version names ({value!r}); "
            f"set it to a version such as 3.12, or unset it"
        )
    requests = tuple(parse_request(name, f"the {origin} variable", allow_path=False) for name in names)
    return Selection(requests, origin)


def _from_file(path: str, origin: str) -> "Selection | None":
    names = read_version_file(path)
    if not names:
        return None
    return Selection(tuple(parse_request(name, path, allow_path=False) for name in names), origin, path)


def start_directories(env: "Mapping[str, str]") -> "list[str]":
    """Where the search for `.python-version` starts, in order: PYSHIM_DIR, else PYENV_DIR (as
    pyenv, which then also searches from the current directory), else the current directory."""
    for variable in ("PYSHIM_DIR", "PYENV_DIR"):
        value = env.get(variable, "")
        if value:
            if not os.path.isdir(value):
                raise VersionFileError(f"the {variable} variable names {value!r}, which is not a folder; "
                                       f"set it to the folder to look for .python-version from, or unset it")
            here = current_directory()
            start = os.path.abspath(value)
            return [start] if start == here else [start, here]
    return [current_directory()]


def select(cwd: "str | os.PathLike[str] | None" = None, environ: Optional[Mapping[str, str]] = None) -> Selection:
    """The active selection for `cwd` (default: the current directory) and `environ`."""
    env = os.environ if environ is None else environ
    for variable, origin in (("PYSHIM_VERSION", Origin.PYSHIM_VERSION), ("PYENV_VERSION", Origin.PYENV_VERSION)):
        value = env.get(variable, "").strip()
        if value:
            return _from_variable(value, origin)
    local = None
    for start in [cwd] if cwd is not None else start_directories(env):
        local = find_version_file(start)
        if local is not None:
            break
    if local is not None:
        selection = _from_file(local, Origin.LOCAL_FILE)
        if selection is not None:
            return selection
    for path, origin in (
        (paths.global_version_file(), Origin.GLOBAL_FILE),
        (os.path.join(paths.pyenv_root(), "version"), Origin.PYENV_GLOBAL_FILE),
    ):
        if os.path.isfile(path):  # False also behind an unreadable folder: passed over, as local files
            selection = _from_file(path, origin)
            if selection is not None:
                return selection
    return Selection((parse_request("system"),), Origin.DEFAULT)
