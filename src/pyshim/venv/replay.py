"""Replaying a `pyshim venv` build made before: the common command at the interpreter's start-up speed.

The first quick path of `pyshim venv ...`, for the console script and `python -m pyshim` alike
(`pyshim.__main__`; never `python -m pyshim.cli`, the reference, nor the library API). A venv without pip is a dozen small files whose text
depends on the interpreter, the options and the path; deciding that text takes the whole pipeline
(the command line, selection, discovery, the probe cache, `EnvBuilder`, the activation renderer),
about sixty modules whose import costs more than the interpreter's own start. So the full path,
once it has built a venv, records what it built (`recording.py`), and the next run of the same
command line writes the same files, before the CLI is imported at all:

    pyshim.__main__ -> **replay.replay_command(argv)** -> exit status | None -> pyshim.cli.main (full path)
    full path done -> recording.record(...) -> CACHE/venv-replay/venv ARGS @ NAME.rec (NAME: * or the name)

A record is found by the command line itself, not by its meaning: the words typed, with the venv's
path as `@`. The same words parse the same way, so a record made from `venv --python 3.12
--without-pip .venv` answers `venv --python 3.12 --without-pip ../other/.venv`; which word is the
path is tried from the last word back (a word that starts with `-` never is). The full path only
records command lines it may replay (`recording.recorded_words`).

A record is used only when nothing it was decided from has changed:

* the key: pyshim's own interpreter and source folder, the umask, the venv's folder name, the
  words, and without --python the names the selection holds for the current folder (`pyshim
  local 3.12`). The name is the venv's default prompt, which every activation script holds as
  it is up to a length (`quoting.longest_verbatim_prompt`; bash's writes a longer one in
  pieces): a record made for a name that short, or with --prompt, holds NAME_MARK where the
  name goes and ANY_NAME as its name, and serves every name up to its `name_limit`, as the
  path's mark serves every path; a longer name has a record of its own;
* the environment: every variable the resolver, the build or the output lines read
  (`shims.index.CONTEXT_VARIABLES`, `recording.EXTRA_CONTEXT`, any PYSHIM_ one), set or unset
  alike;
* the stamps: the interpreter's executable and its real file, the folders whose change means
  interpreters were added or removed (`shims.index.named_folders`: a new `pyenv install` makes
  the record stale), the shims index, and pyshim itself (`recording._pyshim_files`: a wheel
  install's RECORD, or every pyshim source and template file the recording build read);
* the path: absent, its folder present and no interpreter folder, and plain (letters, digits
  and `/._-+`); anything else (a hostile path, an existing venv) is the full path's to refuse.

Builds are recorded for interpreters found in a managed folder (pyshim's, pyenv's, uv's,
conda's: the resolver ranks them above PATH, so no PATH change alters the answer). A venv with
pip holds pip's files as hard links into the wheel cache (`wheel_cache.py`); its record names
each one's cache file (a row of kind `h`), and those files are among the stamps, so an edited
or rebuilt cache entry makes the record stale; the scripts' `#!` line holds the venv's path,
so a record with one also holds the longest path it serves (`limit`: past it, `seed.shebang`
writes another form); pip's RECORD lists each script's hash and size, which the replay fills in
(`HASH_MARK`, `wheel_cache.record_hash`).
The replay keeps the full path's guarantees: one build per path at a time
(`staging.path_lock`, leftovers swept), all or nothing (`staging.Staged`), the venv trusted for
auto-activation (`shell.project.trust_new_venv`), the same output lines. Records are untrusted
input (`unpack`): a row never leaves the venv or goes through a link, output lines hold no
control character. tests/test_venv_replay.py compares both paths' trees and outputs.

Imports: os and sys, and the lean modules of the steps above (tests/test_start_up.py).
"""

import os
import sys

from pyshim.base import paths

FORMAT = "pyshim-venv-replay-5"
PATH_MARK = "\x00P"  # where the venv's path goes (NUL: no path or file text of a venv holds one)
NAME_MARK = "\x00N"  # where the venv's folder name goes (its default prompt), in a record for ANY_NAME
ANY_NAME = "*"  # a record's name when it serves every name up to its `name_limit` (no plain name is "*")
HASH_MARK = "\x00H"  # HASH_MARK RELATIVE NUL: the RECORD hash and size of the tree's file RELATIVE, filled in
UNSET = "\x00"  # an environment variable's value in a record when it is unset
WORD_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.@<>=!~,*+_-")
PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+")
MAX_FILE_NAME = 200
OCTAL = frozenset("01234567")


# --- what identifies a record -------------------------------------------------------------------

def key_for(words: "list[str]", name: str, selected: "list[str]") -> "list[str]":
    """The record's key: pyshim's interpreter, as the file it is (device and inode: the console
    script runs `bin/python3` where `python -m pyshim` may run `bin/python`, two names of one file;
    one stat, where its real path is a stat per folder on the way), pyshim's source folder, the
    umask, the venv's folder name, the selection's names (none when the words name the
    interpreter) and the words (`@` for the path)."""
    umask = os.umask(0o22)
    os.umask(umask)
    try:
        status = os.stat(sys.executable)
        interpreter = f"{status.st_dev}:{status.st_ino}"
    except OSError:  # (sys.executable empty, in an embedding, or gone: its text then)
        interpreter = sys.executable
    return [interpreter, paths.source_dir(), oct(umask), name, " ".join(selected), *words]


def record_file(words: "list[str]", name: str) -> "str | None":
    """CACHE/venv-replay/`WORDS NAME`.rec (the words with `@` for the path; NAME the venv's folder
    name or ANY_NAME), or None when a word is no plain request or option (a record is for short,
    plain command lines only)."""
    if not all(word and WORD_CHARACTERS.issuperset(word) for word in words):
        return None
    if not (is_plain(name) or name == ANY_NAME):
        return None
    file_name = f"{' '.join(words)} {name}.rec"
    if len(file_name) > MAX_FILE_NAME or name.startswith("-"):
        return None
    return os.path.join(paths.cache_dir(), "venv-replay", file_name)


def environment(names: "list[str]") -> "dict[str, str]":
    """The values of `names` and of every PYSHIM_ variable (UNSET: not set)."""
    environ = os.environ
    found = {name: environ.get(name, UNSET) for name in names}
    # (the names alone, then the few values: os.environ decodes each name and value it yields)
    found.update((name, environ[name]) for name in environ if name.startswith("PYSHIM_"))
    return found


def stamp(path: str) -> str:
    """`path`, with its inode, size and modification time when it exists."""
    try:
        status = os.stat(path)
    except OSError:
        return path
    return f"{path}\x00{status.st_ino}\x00{status.st_size}\x00{status.st_mtime_ns}"


def is_plain(path: str) -> bool:
    return PLAIN.issuperset(path)


def selected_names() -> "list[str]":
    """The selection's names (`pyshim version`'s), or none when it cannot be read (the full path
    then says why). Only a command line without --python needs them."""
    from pyshim.base.errors import PyshimError
    from pyshim.selection.select import select

    try:
        return list(select().names)
    except (PyshimError, OSError):
        return []


# --- replay -------------------------------------------------------------------------------------

def replay_command(argv: "list[str]") -> "int | None":
    """Run `pyshim venv ...` (`argv`, starting with "venv") from a record: the venv built, the
    full path's lines printed, 0 returned. None when no record answers: the full path runs."""
    if os.name != "posix":
        return None
    for index in range(len(argv) - 1, 0, -1):
        word = argv[index]
        if word.startswith("-") or not is_plain(word):
            continue
        path = os.path.abspath(word)
        words = argv[:index] + ["@"] + argv[index + 1:]
        entry = _record_for(words, os.path.basename(path))
        if entry is None:
            continue
        if not _is_current(entry, words, path):
            return None
        try:
            if not _build(path, filled_tree(entry["tree"], path), int(entry["key"][2], 8)):
                return None
        except KeyboardInterrupt:
            return 130  # (as the CLI: nothing was made, the build folder went with the rollback)
        except Exception:  # noqa: BLE001 (rolled back: the full path runs again and words the error)
            return None
        try:
            _report(entry, path)
        except BrokenPipeError:  # the reader went away: the venv is made; as the CLI does (cli.main)
            sys.stderr.close()
            return 141
        return 0
    return None


def _record_for(words: "list[str]", name: str) -> "dict | None":
    """The record for these words and a venv called `name`: the one for any name when it serves
    one this long, else the one for this name; None when neither is there. Its `name` is the
    name it was found by (ANY_NAME or `name`), which its key must hold (`still_holds`)."""
    for name_word in (ANY_NAME, name):
        file = record_file(words, name_word)
        entry = load(file) if file else None
        if entry is None or entry["note"]:
            continue
        limit = entry["name_limit"]
        if name_word == ANY_NAME and limit and len(name) > limit:
            continue
        entry["name"] = name_word
        return entry
    return None


def _is_current(entry: dict, words: "list[str]", path: str) -> bool:
    """Whether `entry` may build the venv at `path`: the path is free, its folder there and no
    interpreter folder, no longer than the record's limit, on the wheel cache's file system when
    the record links from it, and the record `still_holds`."""
    parent = os.path.dirname(path)
    if os.path.lexists(path) or not os.path.isdir(parent) or parent in entry["watched"]:
        return False  # (a venv among interpreters, pyenv's versions or pyshim's venvs, is rehash's business)
    if entry["limit"] and len(path) > entry["limit"]:
        return False  # (a plain path: its length in characters is its length in bytes)
    linked = next((data for _, kind, _, data in entry["tree"] if kind == "h"), None)
    if linked is not None and not same_device(parent, linked):
        return False  # (no hard link across file systems: the full path copies pip's files)
    return still_holds(entry, words, entry["name"])


def same_device(path: str, other: str) -> bool:
    try:
        return os.stat(path).st_dev == os.stat(other).st_dev
    except OSError:
        return False


def still_holds(entry: dict, words: "list[str]", name: str) -> bool:
    """Nothing the record was decided from has changed, whatever the path: the key, the
    environment, the stamps and the selection. (The recording asks this too: a record that
    still holds is not made again when a replay declined for its path's sake.)"""
    selected = entry["key"][4].split()
    if entry["key"] != key_for(words, name, selected):
        return False
    if environment(list(entry["environment"])) != entry["environment"]:
        return False
    if [stamp(item) for item in entry["watched"]] != entry["stamps"]:
        return False
    return not selected or selected == selected_names()


def _report(entry: dict, path: str) -> None:
    """After the venv is in place, as the full path: trust it, print its two lines."""
    from pyshim.shell.project import trust_new_venv

    warning = trust_new_venv(path)
    if warning:
        print(f"pyshim: warning: {warning}", file=sys.stderr)
    print(fill_text(entry["created"], path))
    print(fill_text(entry["hint"], path))


def _build(path: str, tree: list, umask: int) -> bool:
    """Write `tree` (filled in: `filled_tree`) as the venv at `path`, all or nothing; False if
    `path` is taken meanwhile."""
    from pyshim.venv.staging import Staged, ignore_interrupts, path_lock, sweep_leftovers

    with path_lock(path) as lock:
        sweep_leftovers(path)
        if os.path.lexists(path):
            return False
        with Staged(path, "missing") as staged:
            top = staged.path
            lend = True  # the first file takes the lock file's inode if it may (`path_lock.lend`): one inode fewer
            for relative, kind, mode, data in tree:
                target = os.path.join(top, relative)
                if kind == "d":
                    os.mkdir(target, mode)
                elif kind == "l":
                    os.symlink(data, target)
                elif kind == "h":
                    os.link(data, target)  # a file of the wheel cache's entry, as `wheel_cache.link_files` links it
                else:
                    if lend:
                        lend = False
                        if lock.lend(target, data.encode("utf-8"), mode):
                            continue  # (with its mode exactly)
                    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
                    try:
                        os.write(fd, data.encode("utf-8"))
                    finally:
                        os.close(fd)
                if mode & umask:  # (a link's row has mode 0; a hard link's too: its mode is the cache file's)
                    os.chmod(target, mode)  # a mode the umask would narrow, set as the full path set it
            staged.commit()
            ignore_interrupts()  # in place: from now on a Ctrl-C is too late (before this, it rolls back)
    return True


def fill_text(text: str, path: str) -> str:
    """`text` for a venv at `path`: its path, and its folder name where a record for any name has
    NAME_MARK."""
    return text.replace(PATH_MARK, path).replace(NAME_MARK, os.path.basename(path))


def filled_tree(tree: list, path: str) -> list:
    """The tree's rows for a venv at `path`: file texts with the path and name filled in, then
    the hashes of the files they name (`HASH_MARK`, always an earlier row: `_tree` checks)."""
    rows, texts = [], {}
    for relative, kind, mode, data in tree:
        if kind == "f":
            data = fill_text(data, path)
            if HASH_MARK in data:
                data = _fill_hashes(data, texts)
            texts[relative] = data
        rows.append((relative, kind, mode, data))
    return rows


def _fill_hashes(text: str, texts: "dict[str, str]") -> str:
    from pyshim.venv.wheel_cache import record_hash

    head, *parts = text.split(HASH_MARK)
    pieces = [head]
    for part in parts:
        relative, _, rest = part.partition("\x00")
        data = texts[relative].encode("utf-8")
        pieces += [f"{record_hash(data)},{len(data)}", rest]
    return "".join(pieces)


# --- the record file ----------------------------------------------------------------------------
# A record is a list of strings joined by SEPARATOR (which `pack` makes sure none of them holds),
# so that it reads back with one split (json's C scanner is one more shared library to load):
#     FORMAT, "note" | "record", COUNT, KEY...; then for a record:
#     COUNT, (NAME, VALUE)...: the environment; COUNT, STAMP...; COUNT, (RELATIVE, KIND, MODE, DATA)...:
#     the tree (KIND d, f, l or h; MODE in octal); LIMIT (the longest path served, 0: any);
#     NAME_LIMIT (for ANY_NAME, the longest name served, 0: any); CREATED, HINT: the output lines
SEPARATOR = "\x1e"  # ASCII's record separator: no path, word or file text of a venv holds one


def pack(key: "list[str]", record: "dict | None" = None) -> "str | None":
    """A note (`record` None: the key seen once) or a record, as text; None if a string holds
    the separator (such a command line is not recorded)."""
    strings = [FORMAT, "note" if record is None else "record", str(len(key)), *key]
    if record is not None:
        environment_rows = [item for pair in record["environment"].items() for item in pair]
        tree_rows = [item for relative, kind, mode, data in record["tree"] for item in (relative, kind, oct(mode), data)]
        strings += [str(len(record["environment"])), *environment_rows, str(len(record["stamps"])), *record["stamps"],
                    str(len(record["tree"])), *tree_rows, str(record["limit"]), str(record["name_limit"]),
                    record["created"], record["hint"]]
    if any(SEPARATOR in text for text in strings):
        return None
    return SEPARATOR.join(strings)


def unpack(text: "str | None") -> "dict | None":
    """The note or record in `text`, or None when it is not one of the shape `pack` writes.
    Records are untrusted input: a tree row names a file under the venv only (relative, no `..`,
    inside a folder row before it, so never through a link), a hard link's source is a stamped
    file of the wheel cache, and the output lines hold no control character."""
    strings = text.split(SEPARATOR) if text else []
    if len(strings) < 3 or strings[0] != FORMAT or strings[1] not in ("note", "record"):
        return None
    reader = _Reader(strings, 2)
    key = reader.counted(1)
    if key is None or len(key) < 7:
        return None
    if strings[1] == "note":
        return {"note": True, "key": key} if reader.done() else None
    environment_rows, stamps, tree_rows = reader.counted(2), reader.counted(1), reader.counted(4)
    rest = reader.rest()
    if environment_rows is None or stamps is None or tree_rows is None or len(rest) != 4:
        return None
    if not (_is_number(rest[0]) and _is_number(rest[1])):
        return None
    limit, name_limit, lines = int(rest[0]), int(rest[1]), rest[2:]
    watched = [recorded.partition("\x00")[0] for recorded in stamps]  # the paths the stamps were taken of (`stamp`)
    tree = _tree(tree_rows, watched)
    if tree is None or any(character < " " for line in lines
                           for character in line.replace(PATH_MARK, "").replace(NAME_MARK, "")):
        return None
    return {"note": False, "key": key, "environment": dict(zip(environment_rows[::2], environment_rows[1::2])),
            "stamps": stamps, "watched": watched, "tree": tree, "limit": limit,
            "name_limit": name_limit, "created": lines[0], "hint": lines[1]}


class _Reader:
    """Walks the strings of a record: `counted(width)` reads a COUNT and COUNT * width strings."""

    def __init__(self, strings: "list[str]", position: int) -> None:
        self.strings, self.position = strings, position

    def counted(self, width: int) -> "list[str] | None":
        strings, position = self.strings, self.position
        if position >= len(strings) or not _is_number(strings[position]):
            return None
        end = position + 1 + int(strings[position]) * width
        if end > len(strings):
            return None
        self.position = end
        return strings[position + 1:end]

    def rest(self) -> "list[str]":
        return self.strings[self.position:]

    def done(self) -> bool:
        return self.position == len(self.strings)


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _tree(rows: "list[str]", watched: "list[str]") -> "list[tuple[str, str, int, str]] | None":
    tree = []
    folders, files = {""}, set()
    wheels = os.path.join(paths.cache_dir(), "wheels") + os.sep
    stamped: "set[str] | None" = None  # (the stamped paths as a set, made on the first hard link's row)
    for index in range(0, len(rows), 4):
        relative, kind, mode_text, data = rows[index:index + 4]
        if kind not in ("d", "f", "l", "h") or not mode_text.startswith("0o") or not OCTAL.issuperset(mode_text[2:] or "x"):
            return None
        mode = int(mode_text[2:], 8)
        parent, _, leaf = relative.rpartition("/")
        if mode > 0o7777 or parent not in folders or leaf in ("", ".", "..") or "\x00" in relative or relative in folders:
            return None
        if kind == "h":
            stamped = set(watched) if stamped is None else stamped
            if mode or not data.startswith(wheels) or os.path.normpath(data) != data or data not in stamped:
                return None
        if kind == "d":
            folders.add(relative)
        if kind == "f" and HASH_MARK in data:
            named = [part.partition("\x00") for part in data.split(HASH_MARK)[1:]]
            if not all(end and name in files for name, end, _ in named):
                return None  # a hash of a file that is not an earlier file row
        if kind == "f":
            files.add(relative)
        tree.append((relative, kind, mode, data))
    return tree


def load(file: str) -> "dict | None":
    """The note or record in `file` (`unpack`), or None when it is missing, unreadable or not one."""
    try:
        with open(file, encoding="utf-8") as handle:
            return unpack(handle.read())
    except (OSError, ValueError):
        return None
