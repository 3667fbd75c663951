"""Which venv a directory means for auto-activation, and whether the user trusts it.

Part of the shell step. The cd hook (templates/) does this walk in shell code; this module is
the same rule in Python, used by `pyshim activate` (no argument), `pyshim allow`/`deny` and the
tests. Rule, nearest directory first, from the start directory up to `/`:
1. `DIR/.venv/pyvenv.cfg` exists (unless PYSHIM_AUTO_VENV=0): the venv is `DIR/.venv`;
2. `DIR/.python-version` exists: its first name, if `ROOT/venvs/NAME/pyvenv.cfg` exists, is
   the venv; otherwise the walk stops there with no venv (that file selects an interpreter).

Trust: a venv is trusted when it is a named venv, directly in `ROOT/venvs/` (only pyshim writes
there), or the user ran `pyshim allow` for it. Both are decided on a normalised path
(`normalised`): an inherited $PWD may hold `..` (`ROOT/venvs/../../clone`), and a string test on
that would call a cloned repository's `.venv` a named venv. The `pyshim = VERSION` key that pyshim writes
into pyvenv.cfg is *not* trust: anyone can write that line into a `.venv` they ship. The allow
list is a tree of marker files that mirrors the venv's path: allowing `/home/me/p/.venv`
writes `ROOT/allowed/home/me/p/.venv@allowed`, so the hook checks it with one `[ -e ]` and no
process (the form of earlier releases, `ROOT/allowed/home/me/p/.venv/@allowed`, is still read
and removed by `deny`). `allow` writes a marker for the path as the shell sees it ($PWD-based)
and for its real path. Every marker is a hard link to one file, `ROOT/allowed/@allowed` (the
marker of `/`, which no venv can be). Both choices spare inodes: a new inode is the dearest
step a file system takes here, dearer than anything else a replayed `pyshim venv` does
(docs/benchmarks.md), and a new project's marker now costs one (its folder) where it cost three.
"""

import os
import stat  # (loaded with os)

from pyshim.base import paths

MARKER = "@allowed"
MARKER_TEXT = "a venv at this path (below ROOT/allowed) is allowed for auto-activation: `pyshim allow`, `pyshim deny`\n"
TYPE_CHECKING = False  # typing stays unimported at run time (see pyshim.base.record)
if TYPE_CHECKING:
    from typing import Mapping, Union

    StrPath = Union[str, "os.PathLike[str]"]


def _first_name(version_file: str) -> str:
    """The first name in the file, split as the selection reads it (and the hooks do)."""
    from pyshim.selection.version_file import parse_version_text

    try:
        with open(version_file, "rb") as handle:
            data = handle.read(64 * 1024)
    except OSError:
        return ""
    names = parse_version_text(data.replace(b"\0", b"").decode("utf-8", "replace"))
    return names[0] if names else ""


def named_venv_for(name: str) -> "str | None":
    if not name or "/" in name or name.startswith("."):
        return None
    path = os.path.join(paths.venvs_dir(), name)
    return path if os.path.isfile(os.path.join(path, "pyvenv.cfg")) else None


def normalised(path: "StrPath") -> str:
    """`path` as an absolute path without `.`, `..` or doubled slashes, as the cd hooks take it.

    A path that holds any of those is taken physically (its real path, what `pwd -P` prints):
    `a/link/../b` names the folder the kernel finds, which a lexical `..` may not be.
    """
    text = os.fspath(path)
    if text.startswith("/") and not text.startswith("//") and os.path.normpath(text) == text:
        return text
    return os.path.realpath(text)


def find_project_venv(start: "StrPath", environ: "Mapping[str, str] | None" = None) -> "str | None":
    """The venv the cd hook activates in `start` (see the module docstring), or None."""
    environ = os.environ if environ is None else environ
    auto_venv = environ.get("PYSHIM_AUTO_VENV", "1") != "0"
    folder = normalised(start)
    while True:
        venv = os.path.join(folder, ".venv")
        if auto_venv and os.path.isfile(os.path.join(venv, "pyvenv.cfg")):
            return venv
        version_file = os.path.join(folder, ".python-version")
        if os.path.isfile(version_file):
            return named_venv_for(_first_name(version_file))
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def allowed_dir() -> str:
    return os.path.join(paths.root(), "allowed")


def marker_path(venv: "StrPath") -> str:
    """`ROOT/allowed/<absolute path of venv>@allowed`."""
    return os.path.join(allowed_dir(), os.fspath(venv).lstrip("/")) + MARKER


def older_marker_path(venv: "StrPath") -> str:
    """`ROOT/allowed/<absolute path of venv>/@allowed`: the marker of earlier releases, still read."""
    return os.path.join(allowed_dir(), os.fspath(venv).lstrip("/"), MARKER)


def _keys(venv: "StrPath") -> "list[str]":
    """The venv's logical path, and its real path when that differs (the real path last)."""
    logical = os.path.abspath(venv)
    real = os.path.realpath(venv)
    return [logical] if logical == real else [logical, real]


def is_trusted(venv: "StrPath") -> bool:
    """A named venv (a folder directly in ROOT/venvs) or an allowed one, on the normalised path."""
    venv = normalised(venv)
    if os.path.dirname(venv) == normalised(paths.venvs_dir()):
        return True
    return os.path.exists(marker_path(venv)) or os.path.exists(older_marker_path(venv))


def allow(venv: "StrPath") -> "list[str]":
    """Mark `venv` trusted (under its logical and real path); returns the marker files."""
    written = []
    for key in _keys(venv):
        marker = marker_path(key)
        _write_marker(marker)
        written.append(marker)
    return written


def _write_marker(marker: str) -> None:
    """The marker and its folders: a hard link to the shared marker (made first if missing), or
    a file of its own where no link can be made (another file system, a link count at its
    limit). Its existence is the trust (the cd hooks test `-e`), so it needs no
    write-beside-and-rename (`fsutil`, which a replayed `pyshim venv` then need not load). A
    marker there already stays as it is; a link or a folder in its place is refused, never
    written through."""
    os.makedirs(os.path.dirname(marker), exist_ok=True)
    shared = marker_path("/")
    for attempt in range(2):
        try:
            os.link(shared, marker)
            return
        except FileNotFoundError:  # (the shared marker is missing: the first marker of this root)
            if attempt:
                break
            try:
                _write_new_file(shared)
            except OSError:
                break
        except OSError:  # (a file in the marker's place, or no link possible here)
            break
    _write_new_file(marker)


def _write_new_file(path: str) -> None:
    """A new file holding MARKER_TEXT; a regular file there already is kept as it is."""
    flags = os.O_WRONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        if stat.S_ISREG(os.lstat(path).st_mode):
            return
        os.close(os.open(path, flags))  # a link (ELOOP) or a folder (EISDIR) there: raises why
        raise
    try:
        os.write(fd, MARKER_TEXT.encode())
    finally:
        os.close(fd)


def trust_new_venv(path: str, upgraded: bool = False) -> "str | None":
    """Allow a venv pyshim built for auto-activation (`pyshim venv PATH`, either path of it; named
    venvs are trusted already); a venv only refreshed by --upgrade keeps its own activation
    scripts, so it is not. Returns a warning line, or None."""
    if upgraded:
        if is_trusted(path):
            return None
        return (f"{path} was refreshed, not rebuilt, so auto-activation does not trust it; "
                f"check its bin/activate, then run `pyshim allow {_word(path)}`")
    try:
        allow(path)
    except OSError as error:  # (all that writing a marker file can raise)
        reason = error.strerror or str(error)
        return (f"the venv is ready, but it could not be allowed for auto-activation ({reason}); "
                f"fix that, then run `pyshim allow {_word(path)}`")
    return None


def _word(text: str) -> str:
    from pyshim.activation.quoting import sh_word

    return sh_word(text)


def deny(venv: "StrPath") -> "list[str]":
    """Remove `venv`'s markers; returns the ones that existed."""
    removed = []
    for key in _keys(venv):
        for marker in (marker_path(key), older_marker_path(key)):
            try:
                os.unlink(marker)
                removed.append(marker)
            except FileNotFoundError:
                pass
    return removed


def venv_of(target: "StrPath") -> str:
    """A venv folder given either the venv itself or a project folder holding `.venv`."""
    target = os.path.abspath(target)
    if os.path.isfile(os.path.join(target, "pyvenv.cfg")):
        return target
    return os.path.join(target, ".venv")
