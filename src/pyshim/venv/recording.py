"""Recording a `pyshim venv` build for replay: the full path's last step.

Part of the `venv/` action (the quick path and the rules for when a record may be used are in
`replay.py`): after the command's full path has built a venv and printed its lines,
`record(args, table, path, builder, lines)` builds the same venv again at a marker path in the
cache, reads both trees back and keeps the marker's only if filling in the real path gives back
the venv just built, byte for byte. In the marker's tree, its path is `replay.PATH_MARK`, and
in a record for any name (`replay.ANY_NAME`: a name short enough, `_name_limit`) its name
NAME_PROBE is `replay.NAME_MARK`. That record is made at the first build of a command line
(`recorded_words`: the words typed, the path's word as `@`); one for a single long name at the
second, the first leaving a note. A file that is a hard link into the wheel cache (pip's,
seeded by `seed.py`) is kept as its cache file's path (a row of kind `h`), and that file is
stamped. Never imported by a replay.
"""

from __future__ import annotations

import os
import sys

from pyshim.base import paths
from pyshim.venv.replay import (ANY_NAME, HASH_MARK, NAME_MARK, PATH_MARK, environment, fill_text, filled_tree, is_plain,
                                 key_for, load, pack, record_file, same_device, selected_names, stamp, still_holds)

TYPE_CHECKING = False  # typing stays unimported at run time (see pyshim.base.record)
if TYPE_CHECKING:
    from typing import Callable

    from pyshim.venv.builder import EnvBuilder

KEPT_RECORDS = 32  # the newest, one per command line and venv name; ~20 kB without pip (a venv's scripts), ~150 kB with
# read besides the resolver's variables (shims.index.CONTEXT_VARIABLES): SHELL for the activation
# line and the pyenv-style version variable for the selection. Not VIRTUAL_ENV: no step of
# `pyshim venv` reads it (a request never means a venv), and with it in the key a venv active in
# the shell, different in each project, made every replay decline
EXTRA_CONTEXT = ("SHELL", "PYENV_VERSION")
# where a recorded interpreter may come from: the resolver ranks these above PATH, so no PATH
# change alters what a request means while one of them answers it
MANAGED_SOURCES = ("pyshim", "venv", "pyenv", "uv", "conda")
# the arguments a recorded command line may set (others must be at their defaults)
REPLAYABLE = ("path", "python", "with_pip", "prompt", "system_site", "scm_ignore_files", "install")
REQUEST_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.@<>=!~,*+_-")
# the folder name of the marker build of a record for any name: plain, short, and no text a venv
# holds otherwise (a build whose files hold it elsewhere fails the check and is not recorded)
NAME_PROBE = "nAme9Q"


def record(args: object, table: tuple, path: str, builder: "EnvBuilder", lines: "Callable[[str], list[str]]") -> None:
    """After the full path built `path`: record it for replay when it may be replayed (see the
    module docstring); `lines(path)` are the command's two output lines for a venv at `path`.
    A record for any name is made at once: it serves the next venv of this command line,
    whatever its name, and costs about a quarter of the full path (a second build at the
    marker). For one long name, the first build leaves only a note (most such one-off names are
    never built again), and the second one records. Never fails the command: a record that
    cannot be made is not made."""
    from pyshim.base.fsutil import atomic_write_text
    from pyshim.shims.rehash import INDEX_NAME

    words = recorded_words(args, table)
    info = builder.target
    index = os.path.join(paths.shims_dir(), INDEX_NAME)
    if words is None or info.source not in MANAGED_SOURCES or not is_plain(path) or not os.path.isfile(index):
        return  # (no shims index: the shims could not be written, and the full path warns each time)
    name_limit = _name_limit(args)
    name = os.path.basename(path)
    if not name_limit or len(name) <= name_limit:
        name = ANY_NAME  # (a record for any name this short: `_entry` builds it under NAME_PROBE)
    file = record_file(words, name)
    selected = [] if args.python else selected_names()  # type: ignore[attr-defined]
    if file is None or (not args.python and not selected):  # type: ignore[attr-defined]
        return
    key = key_for(words, name, selected)
    seen = load(file)
    try:
        if seen is not None and not seen["note"] and still_holds(seen, words, name):
            return  # recorded and current: the replay declined for this path (a missing folder ...)
        if name != ANY_NAME and (seen is None or seen["key"] != key):
            note = pack(key)
            if note is not None:
                os.makedirs(os.path.dirname(file), exist_ok=True)
                atomic_write_text(file, note)  # seen once
            return
        if getattr(args, "with_pip", False) and not same_device(path, paths.cache_dir()):
            return  # pip's files were copied, not linked from the cache: no record can serve this path
        entry = _entry(args, file, path, info, index, lines, name == ANY_NAME)
        if entry is not None:
            entry["name_limit"] = name_limit if name == ANY_NAME else 0
        text = None if entry is None else pack(key, entry)
        if text is not None:
            atomic_write_text(file, text)
            _forget_old_records(os.path.dirname(file))
    except Exception:  # noqa: BLE001 (the venv is made and reported; a record only saves time later)
        return


def _name_limit(args: object) -> int:
    """The longest venv name a record of this command line can fill in (0: any):
    with --prompt the name is only in the path, without it it is the prompt too
    (`quoting.longest_verbatim_prompt`)."""
    from pyshim.activation.quoting import longest_verbatim_prompt

    return longest_verbatim_prompt() if getattr(args, "prompt", None) is None else 0


def recorded_words(args: object, table: tuple) -> "list[str] | None":
    """The command line a replay will look the record up by: the words typed (`args.command_line`,
    starting with `venv`), the path's word as `@`; None when it may not be replayed: an argument
    outside REPLAYABLE set, --verbose, `--prompt .` (the current folder's name), a request that
    could mean a file, or a path word that is not the one plain word equal to the path."""
    words = list(getattr(args, "command_line", None) or ())
    path_word = getattr(args, "path", None)
    for arg in table:
        if arg.name not in REPLAYABLE and getattr(args, arg.name, arg.initial) != arg.initial:
            return None
    request = getattr(args, "python", None)
    if getattr(args, "verbose", False) or os.name != "posix" or not path_word or getattr(args, "prompt", None) == ".":
        return None
    if request is not None and (not REQUEST_CHARACTERS.issuperset(request) or request.startswith(".")):
        return None  # a path (the current folder's, or any), or nothing a file name can hold
    if words[:1] != ["venv"] or words.count(path_word) != 1 or path_word.startswith("-") or not is_plain(path_word):
        return None
    words[words.index(path_word)] = "@"
    return words


def _entry(args: object, file: str, path: str, info: object, index: str,
           lines: "Callable[[str], list[str]]", any_name: bool) -> "dict | None":
    """The record of the venv just built at `path`, made from a second build at a marker path
    (named NAME_PROBE for a record of `any_name`: the probe's name is marked too) and checked
    against the first; None when filling in `path` does not give back that venv."""
    from pyshim.base.fsutil import remove_tree
    from pyshim.shims.index import CONTEXT_VARIABLES, named_folders
    from pyshim.venv.builder import EnvBuilder
    from pyshim.venv.options import builder_options

    scratch = os.path.join(os.path.dirname(file), f"b-{os.urandom(4).hex()}")  # short: a long marker path changes the #! line
    marker = os.path.join(scratch, NAME_PROBE if any_name else os.path.basename(path))
    if not is_plain(marker):
        return None
    try:
        os.makedirs(scratch)
        EnvBuilder(python=info, strict=True, **builder_options(args)).create(marker)  # the command's builder
        with_pip = getattr(args, "with_pip", False)  # (only pip's files are links, and only pip's RECORD holds hashes)
        links = _cache_files(_wheels_dir()) if with_pip else {}
        tree = _read_tree(marker, links, marker, any_name)
        tree = _hashes_marked(tree, marker) if tree is not None and with_pip else tree
        limit = None if tree is None else _longest_path(tree)
        if limit is None or _read_tree(path, links) != filled_tree(tree, path):
            return None
        created, hint = (_marked(line, marker, any_name) for line in lines(marker))
    finally:
        remove_tree(scratch)  # one left behind harms nothing: its name is unique
    if [fill_text(created, path), fill_text(hint, path)] != lines(path):
        return None
    watched = [info.executable, os.path.realpath(info.executable), index]  # type: ignore[attr-defined]
    linked = [data for _, kind, _, data in tree if kind == "h"]
    stamps = [stamp(item) for item in dict.fromkeys(watched + named_folders() + _pyshim_files() + linked)]
    return {"environment": environment(list(CONTEXT_VARIABLES + EXTRA_CONTEXT)), "stamps": stamps,
            "tree": tree, "limit": limit, "created": created, "hint": hint}


def _wheels_dir() -> str:
    from pyshim.venv.wheel_cache import wheels_dir

    return wheels_dir()


def _longest_path(tree: list) -> "int | None":
    """The longest venv path the tree serves, 0 for any: a script's `#!PATH/bin/python` line
    takes another form past `seed.MAX_SHEBANG` (`seed.shebang`). None when a script that runs
    the venv's python already has that other form (the marker path was too long): such a tree
    serves long paths only, and is not recorded."""
    scripts = [data for _, kind, _, data in tree if kind == "f" and data.startswith("#!") and PATH_MARK in data]
    if not scripts:
        return 0  # (a venv without pip: seed.py need not be loaded)
    if any(not data.startswith("#!" + PATH_MARK) for data in scripts):
        return None
    from pyshim.venv.seed import MAX_SHEBANG

    limits = [MAX_SHEBANG - 2 - len(data.partition("\n")[0]) + len("#!" + PATH_MARK) for data in scripts]
    return max(1, min(limits))


def _cache_files(folder: str) -> "dict[tuple[int, int], str]":
    """(device, inode) -> path of every file in the wheel cache's entries under `folder`."""
    found = {}
    stack = [entry.path for entry in _scan(folder) if entry.is_dir(follow_symlinks=False) and not entry.name.startswith(".")]
    while stack:
        for entry in _scan(stack.pop()):
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            elif entry.is_file(follow_symlinks=False):
                status = entry.stat(follow_symlinks=False)
                found[(status.st_dev, status.st_ino)] = entry.path
    return found


def _scan(folder: str) -> list:
    try:
        return list(os.scandir(folder))
    except OSError:
        return []


def _read_tree(top: str, links: "dict[tuple[int, int], str]", marker: "str | None" = None,
               any_name: bool = False) -> "list | None":
    """The venv at `top` as [relative, kind, mode, data] rows, parents first; a file that is one
    of `links` (the wheel cache's files) as a row of kind `h` naming it; with `marker` (the
    marker venv's path), file texts are `_marked`. None if a file is not UTF-8 text or already
    holds a NUL."""
    rows = []
    stack = [""]
    while stack:
        relative = stack.pop()
        for entry in sorted(os.scandir(os.path.join(top, relative)), key=lambda e: e.name):
            name_in = f"{relative}/{entry.name}" if relative else entry.name
            status = entry.stat(follow_symlinks=False)
            mode = status.st_mode & 0o7777
            if entry.is_symlink():
                rows.append((name_in, "l", 0, os.readlink(entry.path)))
            elif entry.is_dir():
                rows.append((name_in, "d", mode, ""))
                stack.append(name_in)
            elif status.st_nlink > 1 and (status.st_dev, status.st_ino) in links:
                rows.append((name_in, "h", 0, links[(status.st_dev, status.st_ino)]))
            else:
                with open(entry.path, "rb") as handle:
                    try:
                        text = handle.read().decode("utf-8")
                    except UnicodeDecodeError:
                        return None
                if marker is not None:
                    if PATH_MARK[0] in text:
                        return None
                    text = _marked(text, marker, any_name)
                rows.append((name_in, "f", mode, text))
    rows.sort(key=lambda row: row[0].count("/"))
    return rows


def _marked(text: str, marker: str, any_name: bool) -> str:
    """`text` of the marker build with PATH_MARK for the marker's path, and for `any_name`
    NAME_MARK for its name (NAME_PROBE)."""
    text = text.replace(marker, PATH_MARK)
    return text.replace(NAME_PROBE, NAME_MARK) if any_name else text


def _hashes_marked(tree: list, marker: str) -> list:
    """The tree with each RECORD hash and size of a file that holds the path (pip's scripts)
    replaced by HASH_MARK and the file's name: the replay computes it for its own path."""
    from pyshim.venv.wheel_cache import record_hash

    tokens = {}
    for relative, kind, _, data in tree:
        if kind == "f" and PATH_MARK in data:
            text = fill_text(data, marker).encode("utf-8")
            tokens.setdefault(f"{record_hash(text)},{len(text)}", f"{HASH_MARK}{relative}\x00")
    rows = []
    for relative, kind, mode, data in tree:
        if kind == "f":
            for token, mark in tokens.items():
                data = data.replace(token, mark)
        rows.append((relative, kind, mode, data))
    return rows


def _forget_old_records(folder: str) -> None:
    records = [entry for entry in os.scandir(folder) if entry.name.endswith(".rec")]
    records.sort(key=lambda entry: entry.stat().st_mtime_ns, reverse=True)
    for entry in records[KEPT_RECORDS:]:
        os.unlink(entry.path)


def _pyshim_files() -> "list[str]":
    """What a change of pyshim shows in, so that a record made by another pyshim goes stale.

    pyshim installed from a wheel (`pip install .`, a release): its RECORD, which the installer
    writes anew at every install, upgrade and reinstall (and removes with the rest), one stamp
    where the files it lists are sixty. A file edited by hand inside site-packages is not seen
    then (as pip does not see it): deleting `CACHE/venv-replay` makes every record anew. Anything else (a
    checkout, an editable install): every pyshim source file loaded now, and the activation
    templates."""
    record = installed_record(paths.source_dir())
    if record is not None:
        return [record]
    import pyshim.activation.render

    files = [module.__file__ for name, module in list(sys.modules.items())
             if name.startswith("pyshim") and getattr(module, "__file__", None)]
    templates = os.path.join(os.path.dirname(pyshim.activation.render.__file__), "templates")
    files += [entry.path for entry in os.scandir(templates) if entry.is_file()]
    return sorted(files)


def installed_record(folder: str) -> "str | None":
    """The RECORD of the pyshim installed from a wheel into `folder` (the folder that holds the
    running package), or None: no such install, more than one `pyshim-*.dist-info` there, or a
    RECORD that does not list the package's own files (an editable install lists none)."""
    try:
        found = [entry.path for entry in os.scandir(folder)
                 if entry.name.startswith("pyshim-") and entry.name.endswith(".dist-info") and entry.is_dir()]
    except OSError:
        return None
    if len(found) != 1:
        return None
    record = os.path.join(found[0], "RECORD")
    try:
        with open(record, encoding="utf-8") as handle:
            lists_package = any(line.startswith("pyshim/__init__.py,") for line in handle)
    except (OSError, ValueError):
        return None
    return record if lists_package else None
