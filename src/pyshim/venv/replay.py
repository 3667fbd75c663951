"""Replaying a `pyshim venv` build made before: the common command at the interpreter's start-up speed.

The `venv/` action's quick path, for the `pyshim venv PATH` command only (never the library API).
A venv without pip is a dozen small files whose text depends on the interpreter, the options and
the path; deciding that text takes the whole pipeline (selection, discovery, the probe cache,
`EnvBuilder`, the activation renderer), about forty modules whose import costs twice what the
interpreter's own start does. So the full path, once it has built a venv, records what it built
(`record`), and the next `pyshim venv` with the same request and options writes the same files
without importing any of that (`replay`):

    cli.commands.venv -> **replay.replay(args)** -> the venv at PATH, or False -> the full path
    full path done    -> **replay.record(args, path, builder)** -> CACHE/venv-replay/REQUEST--NAME.json

The first full build for a key leaves a note; the second builds the same venv again at a marker
path in the cache and keeps its files with the marker path as a placeholder. The record is kept
only if filling in the real path gives back, byte for byte, the venv the full path just made, and
it is used only when nothing it was decided from has changed:

* the key: pyshim's own interpreter and source folder, the arguments other than PATH, the venv's
  folder name (its default prompt, which bash's script writes in pieces when long, so it is no
  placeholder) and the umask; and every environment variable the resolver, the build or the
  output lines read (`shims.index.CONTEXT_VARIABLES`, `EXTRA_CONTEXT`, any PYSHIM_ one), set or
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

    from pyshim.venv.builder import EnvBuilder

FORMAT = 1
KEPT_RECORDS = 32  # the newest; each is ~20 kB (a venv's scripts), one per request and venv name
PATH_MARK = "\x00P"  # where the venv's path goes (NUL: no path or file text of a venv holds one)
REQUEST_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.@<>=!~,*+_-")
PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+")
# the arguments a record may differ in (others must be at their defaults); `path` is the placeholder
REPLAYABLE = ("path", "python", "with_pip", "prompt", "system_site", "scm_ignore_files", "install")
# read besides the resolver's variables (shims.index.CONTEXT_VARIABLES): SHELL for the activation
# line, the active venv and the pyenv-style version variable
EXTRA_CONTEXT = ("SHELL", "VIRTUAL_ENV", "PYENV_VERSION")
MANAGED_SOURCES = ("pyshim", "venv", "pyenv", "uv", "conda")


# --- what identifies a record -------------------------------------------------------------------

def _key(args: object, table: tuple, name: str) -> "dict | None":
    """The record's key for these arguments and the venv's folder `name` (its default prompt, which
    some shells' scripts write in pieces: a record is for one name), or None when an argument
    outside REPLAYABLE is set or the request could mean a file."""
    values = {}
    for arg in table:
        value = getattr(args, arg.name, arg.initial)
        if arg.name == "path":
            continue
        if arg.name not in REPLAYABLE and value != arg.initial:
            return None
        values[arg.name] = sorted(value) if isinstance(value, frozenset) else value
    if getattr(args, "verbose", False) or values.get("with_pip", True) or not values.get("python") or os.name != "posix":
        return None
    request = values["python"]
    if not REQUEST_CHARACTERS.issuperset(request) or request.startswith(".") or len(request) > 64 or len(name) > 128:
        return None  # a path (the current folder's, or any), or nothing a file name can hold
    umask = os.umask(0o22)
    os.umask(umask)
    return {"format": FORMAT, "pyshim": [sys.executable, paths.source_dir()], "arguments": values, "name": name,
            "umask": umask}


def _environment(names: "list[str]") -> dict:
    """The values of `names` and of every PYSHIM_ variable (None: unset)."""
    environ = os.environ
    found = {name: environ.get(name) for name in names}
    found.update((name, value) for name, value in environ.items() if name.startswith("PYSHIM_"))
    return found


def _record_file(key: dict) -> str:
    """CACHE/venv-replay/REQUEST--NAME.json: one record per request and venv name (the key inside
    tells the rest; a record for other options or another environment is replaced)."""
    return os.path.join(paths.cache_dir(), "venv-replay", f"{key['arguments']['python']}--{key['name']}.json")


def _stamp(path: str) -> list:
    try:
        status = os.stat(path)
    except OSError:
        return [path]
    return [path, status.st_ino, status.st_size, status.st_mtime_ns]


def _plain(path: str) -> bool:
    return PLAIN.issuperset(path)


# --- replay -------------------------------------------------------------------------------------

def replay(args: object, table: tuple, trust: "Callable[[str], str | None]", on_commit: "Callable[[], None]") -> bool:
    """Build the venv at `args.path` from a record and print what the full path prints (the trust
    step and its warning are the command's `trust`; `on_commit` runs once the venv is in place);
    False when there is no valid record for these arguments: the full path then runs."""
    path = os.path.abspath(args.path)  # type: ignore[attr-defined]
    key = _key(args, table, os.path.basename(path))
    if key is None or not _plain(path) or os.path.lexists(path) or not os.path.isdir(os.path.dirname(path)):
        return False
    entry = _load(_record_file(key))
    if entry.get("key") != key or "tree" not in entry:
        return False
    if _environment(list(entry["environment"])) != entry["environment"]:
        return False
    if any(_stamp(stamp[0]) != stamp for stamp in entry["stamps"]):
        return False
    if any(stamp[0] == os.path.dirname(path) for stamp in entry["stamps"]):
        return False  # a venv among interpreters (pyenv's versions, pyshim's venvs): rehash's business
    if not _build(path, entry["tree"], key["umask"]):
        return False
    on_commit()
    warning = trust(path)
    if warning:
        print(f"pyshim: warning: {warning}", file=sys.stderr)
    print(_fill_text(entry["created"], path))
    print(_fill_text(entry["hint"], path))
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
                if mode & umask and kind != "l":
                    os.chmod(target, mode)  # a mode the umask would narrow, set as the full path set it
            staged.commit()
    return True


# --- record -------------------------------------------------------------------------------------

def record(args: object, table: tuple, path: str, builder: "EnvBuilder", lines: "Callable[[str], list[str]]") -> None:
    """After the full path built `path`: record it for replay when it may be replayed (see the
    module docstring); `lines(path)` are the command's two output lines for a venv at `path`.
    The first build for a key leaves only a note (most venvs with a one-off name are never
    built again, and a record costs a second build); the second one records. Never fails the
    command: a record that cannot be made is not made."""
    from pyshim.base.fsutil import atomic_write_text
    from pyshim.shims.rehash import INDEX_NAME

    key = _key(args, table, os.path.basename(path))
    info = builder.target
    index = os.path.join(paths.shims_dir(), INDEX_NAME)
    if key is None or info.source not in MANAGED_SOURCES or not _plain(path) or not os.path.isfile(index):
        return  # (no shims index: the shims could not be written, and the full path warns each time)
    file = _record_file(key)
    try:
        if _load(file).get("key") != key:
            os.makedirs(os.path.dirname(file), exist_ok=True)
            atomic_write_text(file, json_text.dumps_canonical({"key": key}))  # seen once
            return
        entry = _entry(key, path, info, index, lines)
        if entry is not None:
            atomic_write_text(file, json_text.dumps_canonical(entry))
            _forget_old_records(os.path.dirname(file))
    except Exception:  # noqa: BLE001 (the venv is made and reported; a record only saves time later)
        return


def _load(file: str) -> dict:
    try:
        with open(file, encoding="utf-8") as handle:
            entry = json_text.loads(handle.read())
    except (OSError, ValueError):
        return {}
    return entry if isinstance(entry, dict) else {}


def _entry(key: dict, path: str, info: object, index: str, lines: "Callable[[str], list[str]]") -> "dict | None":
    """The record of the venv just built at `path`, made from a second build at a marker path and
    checked against the first; None when filling in `path` does not give back that venv."""
    from pyshim.shims.index import CONTEXT_VARIABLES, named_folders

    scratch = os.path.join(os.path.dirname(_record_file(key)), f"build-{os.getpid()}-{os.urandom(4).hex()}")
    marker = os.path.join(scratch, os.path.basename(path))
    if not _plain(marker):
        return None
    try:
        os.makedirs(scratch)
        _marker_builder(info, key).create(marker)
        tree = _read_tree(marker, marker)
        if tree is None or _read_tree(path) != _fill(tree, path):
            return None
        created, hint = (line.replace(marker, PATH_MARK) for line in lines(marker))
    finally:
        try:
            _remove(scratch)
        except OSError:
            pass  # it stays in the cache folder under its own unique name, harming nothing
    if [_fill_text(created, path), _fill_text(hint, path)] != lines(path):
        return None
    watched = [info.executable, os.path.realpath(info.executable), index]  # type: ignore[attr-defined]
    stamps = [_stamp(item) for item in dict.fromkeys(watched + named_folders() + _pyshim_files())]
    return {"key": key, "environment": _environment(list(CONTEXT_VARIABLES + EXTRA_CONTEXT)), "stamps": stamps,
            "tree": tree, "created": created, "hint": hint}


def _marker_builder(info: object, key: dict) -> "EnvBuilder":
    """A builder like the command's, for the arguments in `key` (those a record may differ in)."""
    from pyshim.venv.builder import EnvBuilder

    values = key["arguments"]
    return EnvBuilder(python=info, strict=True, system_site_packages=values["system_site"], symlinks=True,
                      with_pip=False, prompt=values["prompt"], scm_ignore_files=values["scm_ignore_files"])


def _read_tree(top: str, marker: "str | None" = None) -> "list | None":
    """The venv at `top` as [relative, kind, mode, data] rows, parents first; with `marker` (the
    marker venv's path), file texts hold PATH_MARK where it was. None if a file is not UTF-8
    text or already holds a NUL."""
    rows = []
    stack = [""]
    while stack:
        relative = stack.pop()
        for entry in sorted(os.scandir(os.path.join(top, relative)), key=lambda e: e.name):
            name_in = f"{relative}/{entry.name}" if relative else entry.name
            status = entry.stat(follow_symlinks=False)
            mode = status.st_mode & 0o7777
            if entry.is_symlink():
                rows.append([name_in, "l", 0, os.readlink(entry.path)])
            elif entry.is_dir():
                rows.append([name_in, "d", mode, ""])
                stack.append(name_in)
            else:
                with open(entry.path, "rb") as handle:
                    try:
                        text = handle.read().decode("utf-8")
                    except UnicodeDecodeError:
                        return None
                if marker is not None:
                    if PATH_MARK[0] in text:
                        return None
                    text = text.replace(marker, PATH_MARK)
                rows.append([name_in, "f", mode, text])
    rows.sort(key=lambda row: row[0].count("/"))
    return rows


def _fill_text(text: str, path: str) -> str:
    return text.replace(PATH_MARK, path)


def _fill(tree: list, path: str) -> list:
    return [[relative, kind, mode, _fill_text(data, path) if kind == "f" else data]
            for relative, kind, mode, data in tree]


def _forget_old_records(folder: str) -> None:
    records = [entry for entry in os.scandir(folder) if entry.name.endswith(".json")]
    records.sort(key=lambda entry: entry.stat().st_mtime_ns, reverse=True)
    for entry in records[KEPT_RECORDS:]:
        os.unlink(entry.path)


def _remove(top: str) -> None:
    """Delete the scratch folder of a recording build (`shutil` would import `re` and more)."""
    for folder, dirs, files in os.walk(top, topdown=False):
        for name in files + dirs:
            path = os.path.join(folder, name)
            if os.path.islink(path) or name in files:
                os.unlink(path)
            else:
                os.rmdir(path)
    os.rmdir(top)


def _pyshim_files() -> "list[str]":
    """Every pyshim source file loaded now, and the activation templates: a change to any of
    them (a new pyshim, an edited checkout) makes a record stale."""
    import pyshim.activation.render

    files = [module.__file__ for name, module in list(sys.modules.items())
             if name.startswith("pyshim") and getattr(module, "__file__", None)]
    templates = os.path.join(os.path.dirname(pyshim.activation.render.__file__), "templates")
    files += [entry.path for entry in os.scandir(templates) if entry.is_file()]
    return sorted(files)
