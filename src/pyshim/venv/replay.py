"""Replaying a `pyshim venv` build made before: the common command at the interpreter's start-up speed.

The `venv/` action's quick path, for the `pyshim venv PATH` command only (never the library API).
A venv without pip is a dozen small files whose text depends on the interpreter, the options and
the path; deciding that text takes the whole pipeline (selection, discovery, the probe cache,
`EnvBuilder`, the activation renderer), about forty modules whose import costs twice what the
interpreter's own start does. So the full path, once it has built a venv, records what it built
(`record`), and the next `pyshim venv` with the same request and options writes the same files
without importing any of that (`replay`):

    cli.commands.venv -> **replay.replay(args)** -> the venv at PATH, or False -> the full path
    full path done    -> recording.record(args, path, builder) -> CACHE/venv-replay/REQUEST--NAME.json

`recording.py` makes the records: the first full build for a key leaves a note; the second
builds the same venv again at a marker path in the cache and keeps its files with the marker
path as a placeholder, only if filling in the real path gives back, byte for byte, the venv the
full path just made. This module holds what a record is keyed and stamped by, and the replay;
a record is used only when nothing it was decided from has changed:

* the key: pyshim's own interpreter and source folder, the arguments other than PATH, the venv's
  folder name (its default prompt, which bash's script writes in pieces when long, so it is no
  placeholder) and the umask; and every environment variable the resolver, the build or the
  output lines read (`shims.index.CONTEXT_VARIABLES`, `recording.EXTRA_CONTEXT`, any PYSHIM_ one), set or
  unset alike;
* the stamps: the interpreter's executable and its real file, the folders whose change means
  interpreters were added or removed (`shims.index.named_folders`: a new `pyenv install`
  makes the record stale), the shims index (current when the record was made), and every pyshim
  source and template file the recording build read;
* the path: absent, its folder present and no interpreter folder, and plain (letters, digits
  and `/._-+`); anything else (a hostile path, an existing venv) is the full path's to refuse.

Only interpreters found in a managed folder are recorded (pyshim's, pyenv's, uv's, conda's: the
resolver ranks them above PATH, so no PATH change alters the answer), and only builds without pip
(seeding is the full path's). The replay keeps the full path's guarantees: one build per path at
a time (`siblings.path_lock`, leftovers swept), all or nothing (`staging.Staged`), the venv
trusted for auto-activation (`shell.project.allow`), and the same two output lines.
tests/test_venv_replay.py compares the trees and outputs of both paths.
"""

from __future__ import annotations

import os
import sys

from pyshim.base import json_text, paths

TYPE_CHECKING = False  # typing stays unimported at run time (see pyshim.base.record)
if TYPE_CHECKING:
    from typing import Callable

FORMAT = 1
PATH_MARK = "\x00P"  # where the venv's path goes (NUL: no path or file text of a venv holds one)
REQUEST_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.@<>=!~,*+_-")
PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+")
# the arguments a record may differ in (others must be at their defaults); `path` is the placeholder
REPLAYABLE = ("path", "python", "with_pip", "prompt", "system_site", "scm_ignore_files", "install")


# --- what identifies a record -------------------------------------------------------------------

def key_for(args: object, table: tuple, name: str) -> "dict | None":
    """The record's key for these arguments and the venv's folder `name` (its default prompt, which
    some shells' scripts write in pieces: a record is for one name), or None when an argument
    outside REPLAYABLE is set or the request could mean a file. Without --python, the names the
    selection holds for the current folder (`pyshim local 3.12`) stand for the request."""
    values = {}
    for arg in table:
        value = getattr(args, arg.name, arg.initial)
        if arg.name == "path":
            continue
        if arg.name not in REPLAYABLE and value != arg.initial:
            return None
        values[arg.name] = sorted(value) if isinstance(value, frozenset) else value
    if getattr(args, "verbose", False) or values.get("with_pip", True) or os.name != "posix":
        return None
    requests = [values["python"]] if values["python"] else _selected_names()
    if not requests or len(name) > 128 or len("+".join(requests)) > 64:
        return None
    if any(not REQUEST_CHARACTERS.issuperset(request) or request.startswith(".") for request in requests):
        return None  # a path (the current folder's, or any), or nothing a file name can hold
    umask = os.umask(0o22)
    os.umask(umask)
    return {"format": FORMAT, "pyshim": [sys.executable, paths.source_dir()], "arguments": values,
            "requests": requests, "name": name, "umask": umask}


def _selected_names() -> "list[str]":
    """The selection's names (`pyshim version`'s), or none when it cannot be read (the full path
    then says why)."""
    from pyshim.base.errors import PyshimError
    from pyshim.selection.select import select

    try:
        return list(select().names)
    except (PyshimError, OSError):
        return []


def environment(names: "list[str]") -> dict:
    """The values of `names` and of every PYSHIM_ variable (None: unset)."""
    environ = os.environ
    found = {name: environ.get(name) for name in names}
    found.update((name, value) for name, value in environ.items() if name.startswith("PYSHIM_"))
    return found


def record_file(key: dict) -> str:
    """CACHE/venv-replay/REQUEST--NAME.json (`selected-NAMES--NAME.json` without --python): one
    record per request and venv name; the key inside tells the rest, and a record for other
    options or another environment is replaced."""
    asked = key["arguments"]["python"] or "selected-" + "+".join(key["requests"])
    return os.path.join(paths.cache_dir(), "venv-replay", f"{asked}--{key['name']}.json")


def stamp(path: str) -> list:
    try:
        status = os.stat(path)
    except OSError:
        return [path]
    return [path, status.st_ino, status.st_size, status.st_mtime_ns]


def is_plain(path: str) -> bool:
    return PLAIN.issuperset(path)


# --- replay -------------------------------------------------------------------------------------

def replay(args: object, table: tuple, trust: "Callable[[str], str | None]", on_commit: "Callable[[], None]") -> bool:
    """Build the venv at `args.path` from a record and print what the full path prints (the trust
    step and its warning are the command's `trust`; `on_commit` runs once the venv is in place);
    False when there is no valid record for these arguments: the full path then runs."""
    path = os.path.abspath(args.path)  # type: ignore[attr-defined]
    key = key_for(args, table, os.path.basename(path))
    if key is None or not is_plain(path) or os.path.lexists(path) or not os.path.isdir(os.path.dirname(path)):
        return False
    entry = load(record_file(key))
    if entry.get("key") != key or not well_formed(entry):
        return False
    if environment(list(entry["environment"])) != entry["environment"]:
        return False
    if any(stamp(recorded[0]) != recorded for recorded in entry["stamps"]):
        return False
    if any(recorded[0] == os.path.dirname(path) for recorded in entry["stamps"]):
        return False  # a venv among interpreters (pyenv's versions, pyshim's venvs): rehash's business
    if not _build(path, entry["tree"], key["umask"]):
        return False
    on_commit()
    warning = trust(path)
    if warning:
        print(f"pyshim: warning: {warning}", file=sys.stderr)
    print(fill_text(entry["created"], path))
    print(fill_text(entry["hint"], path))
    return True


def _build(path: str, tree: list, umask: int) -> bool:
    """Write `tree` as the venv at `path`, all or nothing; False if `path` is taken meanwhile."""
    from pyshim.venv.siblings import path_lock, sweep_leftovers
    from pyshim.venv.staging import Staged

    with path_lock(path):
        sweep_leftovers(path)
        if os.path.lexists(path):
            return False
        with Staged(path, "missing") as staged:
            top = staged.path
            for relative, kind, mode, data in tree:
                target = os.path.join(top, relative)
                if kind == "d":
                    os.mkdir(target, mode)
                elif kind == "l":
                    os.symlink(data, target)
                else:
                    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
                    try:
                        os.write(fd, data.replace(PATH_MARK, path).encode("utf-8"))
                    finally:
                        os.close(fd)
                if mode & umask:  # (a link's row has mode 0)
                    os.chmod(target, mode)  # a mode the umask would narrow, set as the full path set it
            staged.commit()
    return True


# --- reading a record ---------------------------------------------------------------------------

def well_formed(entry: dict) -> bool:
    """A record (not a note) of the shape `recording` writes. Records are untrusted input: a tree
    row names a file under the venv only (relative, no `..`, inside a folder row before it, so
    never through a link), and the output lines hold no control character."""
    try:
        environment, stamps, tree = entry["environment"], entry["stamps"], entry["tree"]
        lines = [entry["created"], entry["hint"]]
    except (KeyError, TypeError):
        return False
    if not isinstance(environment, dict) or not all(
            isinstance(name, str) and (value is None or isinstance(value, str)) for name, value in environment.items()):
        return False
    if not isinstance(stamps, list) or not all(isinstance(item, list) and item and isinstance(item[0], str)
                                               for item in stamps):
        return False
    if not all(isinstance(line, str) and not any(ch < " " and ch != PATH_MARK[0] for ch in line) for line in lines):
        return False
    return isinstance(tree, list) and _tree_is_safe(tree)


def _tree_is_safe(tree: list) -> bool:
    folders = {""}
    for row in tree:
        if not (isinstance(row, list) and len(row) == 4):
            return False
        relative, kind, mode, data = row
        if not (isinstance(relative, str) and kind in ("d", "f", "l") and type(mode) is int and 0 <= mode <= 0o7777
                and isinstance(data, str)):
            return False
        parent, _, leaf = relative.rpartition("/")
        if parent not in folders or leaf in ("", ".", "..") or "\x00" in relative or relative in folders:
            return False
        if kind == "d":
            folders.add(relative)
    return True


def load(file: str) -> dict:
    try:
        with open(file, encoding="utf-8") as handle:
            entry = json_text.loads(handle.read())
    except (OSError, ValueError):
        return {}
    return entry if isinstance(entry, dict) else {}


def fill_text(text: str, path: str) -> str:
    return text.replace(PATH_MARK, path)
