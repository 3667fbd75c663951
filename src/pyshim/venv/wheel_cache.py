"""Unpacked wheels kept in pyshim's cache, verified before every use, linked into venvs.

Part of the `venv/` seeding step. `cached_wheel(path)` returns the cache entry for a wheel
file (unpacking it first if needed); `link_files(entry, site_packages)` hard-links (else copies)
its files into a venv.

An entry is `CACHE/wheels/<wheel stem>-<key>/` with `files/` (the wheel's contents, minus its
RECORD) and `manifest`, which is written last: lines of tab-separated fields (`MANIFEST_HEADER`,
the wheel's name, its .dist-info folder, then `f RELATIVE SIZE MTIME_NS DIGEST` per file and
`x RELATIVE` per executable), read with `str.split` (json's import brings `re` and `enum`, and
pathlib's `urllib.parse`: ~8 ms of every seeded `pyshim venv`, so neither is used here). A wheel
member whose name holds a control character is refused, so no field holds a tab or a newline. The key hashes the wheel's real path, size
and mtime, so a replaced wheel gets a new entry. Safety rules:
- an entry is built in a temporary sibling folder and renamed into place when complete, under a
  lock; a folder without a manifest (a crash, a full disk) is never used, it is rebuilt;
- while unpacking, every file is checked against the wheel's RECORD hashes (the full check);
- before every use, every file's size and mtime are compared with the manifest (one stat per
  file); any difference means someone edited the cache (or a venv file through a hard link),
  and the entry is rebuilt from the wheel before anything is linked;
- the manifest is untrusted input: an entry whose manifest names a path outside its files
  (absolute, `..`) is rebuilt, never linked from.
A venv's files share inodes with the cache. pip never writes into installed files (upgrades
and uninstalls remove or replace them), so that is safe; an editor writing a venv file in place
changes the shared inode, which the next use detects, rebuilding the entry (other venvs made
from that entry see the edit, as with uv's hard-link mode).
"""

from __future__ import annotations

import os

from pyshim.base import paths
from pyshim.base.errors import VenvError
from pyshim.base.record import Record
from pyshim.venv.staging import remove_tree  # (fsutil's, loaded when needed: a replay with pip loads this module)

MANIFEST = "manifest"
MANIFEST_HEADER = "pyshim-wheel-entry\t2"
STALE_SECONDS = 600.0  # a build folder this old, with its entry unlocked, belongs to a killed run


class WheelEntry(Record):
    root: str  # the entry folder; files under root/files
    wheel: str  # wheel file name
    dist_info: str  # "pip-23.2.1.dist-info"
    files: Tuple[Tuple[str, int, int, str], ...]  # (relative path, size, mtime_ns, "sha256=...")
    executables: Tuple[str, ...]  # relative paths whose mode has x bits

    @property
    def files_dir(self) -> str:
        return os.path.join(self.root, "files")

    def entry_points(self) -> str:
        try:
            with open(os.path.join(self.files_dir, self.dist_info, "entry_points.txt"), encoding="utf-8") as handle:
                return handle.read()
        except OSError:
            return ""


def wheels_dir() -> str:
    return os.path.join(paths.cache_dir(), "wheels")


def entry_dir(wheel_path: str) -> str:
    real = os.path.realpath(wheel_path)
    stat = os.stat(real)
    import zlib

    key = "%08x-%x-%x" % (zlib.crc32(real.encode("utf-8", "surrogateescape")), stat.st_size, stat.st_mtime_ns)
    stem = os.path.basename(real)[: -len(".whl")] if real.endswith(".whl") else os.path.basename(real)
    return os.path.join(wheels_dir(), f"{stem}-{key}")


def record_hash(data: bytes) -> str:
    """RECORD's `sha256=<urlsafe base64, no padding>` of `data`."""
    from binascii import b2a_base64  # built in; base64's module costs more to import

    encoded = b2a_base64(_sha256(data).digest(), newline=False).rstrip(b"=").decode("ascii")
    return "sha256=" + encoded.replace("+", "-").replace("/", "_")


_SHA256: list = []  # the constructor, found once (a failed import is not cached: it searches sys.path again)


def _sha256(data: bytes):
    """The built-in sha256: `hashlib` loads OpenSSL first, which costs 2-3 ms at start-up."""
    if not _SHA256:
        try:
            from _sha2 import sha256  # CPython 3.12+
        except ImportError:
            try:
                from _sha256 import sha256  # CPython 3.11 and older
            except ImportError:
                from hashlib import sha256
        _SHA256.append(sha256)
    return _SHA256[0](data)


def load_entry(root: str) -> "WheelEntry | None":
    """The entry at `root` if it is complete and unmodified (size and mtime of every file)."""
    try:
        with open(os.path.join(root, MANIFEST), encoding="utf-8") as handle:
            entry = parse_manifest(root, handle.read())
    except (OSError, ValueError):
        return None
    if entry is None:
        return None
    files_dir = entry.files_dir + os.sep
    try:
        for relative, size, mtime_ns, _ in entry.files:
            stat = os.lstat(files_dir + relative)
            if stat.st_size != size or stat.st_mtime_ns != mtime_ns:
                return None
    except OSError:
        return None
    return entry


def render_manifest(entry: WheelEntry) -> str:
    lines = [MANIFEST_HEADER, entry.wheel, entry.dist_info]
    lines += ["\t".join(("f", relative, str(size), str(mtime_ns), digest)) for relative, size, mtime_ns, digest in entry.files]
    lines += ["x\t" + relative for relative in entry.executables]
    return "\n".join(lines) + "\n"


def parse_manifest(root: str, text: str) -> "WheelEntry | None":
    """The entry `render_manifest` wrote into `text`, or None when `text` is not one (a file row
    that names a path outside the entry's files is not: `_safe_member`)."""
    lines = text.split("\n")
    if len(lines) < 4 or lines[0] != MANIFEST_HEADER or lines[-1] != "":
        return None
    files, executables = [], []
    for line in lines[3:-1]:
        fields = line.split("\t")
        if fields[0] == "f" and len(fields) == 5 and _safe_member(fields[1]) and fields[2].isdigit() and fields[3].isdigit():
            files.append((fields[1], int(fields[2]), int(fields[3]), fields[4]))
        elif fields[0] == "x" and len(fields) == 2 and _safe_member(fields[1]):
            executables.append(fields[1])
        else:
            return None
    return WheelEntry(root, lines[1], lines[2], tuple(files), tuple(executables))


def cached_wheel(wheel_path: str) -> WheelEntry:
    """The verified cache entry for `wheel_path`, unpacked now if missing, partial or modified."""
    try:
        root = entry_dir(wheel_path)
    except OSError as error:
        raise VenvError(f"cannot read the bundled wheel {wheel_path}: {error.strerror}; "
                        "repair that Python's ensurepip, or use --without-pip") from None
    entry = load_entry(root)
    if entry is not None:
        return entry
    from pyshim.base.fsutil import file_lock

    with file_lock(root + ".lock"):
        entry = load_entry(root)  # another process may have built it meanwhile
        if entry is None:
            sweep_stale_builds(os.path.dirname(root), held=os.path.basename(root))
            entry = _build_entry(wheel_path, root)
    return entry


def sweep_stale_builds(folder: str, held: str = "", min_age: float = STALE_SECONDS) -> None:
    """Delete `.ENTRY.*.tmp` / `.ENTRY.*.old` folders (builds and replaced entries of killed runs)
    that are older than `min_age` seconds and whose entry's lock nobody holds (`held`: the entry
    whose lock the caller holds)."""
    import time

    try:
        names = os.listdir(folder)
    except OSError:
        return
    now = time.time()
    for name in names:
        if not (name.startswith(".") and name.endswith((".tmp", ".old"))) or name.count(".") < 3:
            continue
        path = os.path.join(folder, name)
        try:
            if now - os.lstat(path).st_mtime < min_age:
                continue
        except OSError:
            continue
        entry_name = name[1:].rsplit(".", 2)[0]
        if entry_name == held:
            remove_tree(path)
            continue
        if _unlocked(os.path.join(folder, f"{entry_name}.lock")):
            remove_tree(path)


def unpack_uncached(wheel_path: str, scratch: str) -> WheelEntry:
    """A one-off entry in `scratch` (for when the cache folder cannot be written); the caller
    links from it and deletes it."""
    os.mkdir(scratch)
    return _unpack(wheel_path, scratch)


def _unlocked(lock_path: str) -> bool:
    """Whether nobody holds the entry's lock (file_lock's flock); a missing lock file counts."""
    import fcntl

    try:
        fd = os.open(lock_path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return True
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)  # closing drops the lock if we took it


def _build_entry(wheel_path: str, root: str) -> WheelEntry:
    from pyshim.venv.staging import make_sibling_dir

    os.makedirs(os.path.dirname(root), exist_ok=True)
    building = make_sibling_dir(root, "tmp", 0o700)
    try:
        entry = _unpack(wheel_path, building)
        if os.path.lexists(root):
            trash = make_sibling_dir(root, "old", 0o700)
            os.replace(root, os.path.join(trash, "entry"))
            remove_tree(trash)
        os.replace(building, root)
    except BaseException:
        remove_tree(building)
        raise
    return entry._replace(root=root)



def _safe_member(name: str) -> bool:
    """A relative path inside the entry (no `..`, no drive, no backslash) with no control
    character (the manifest's fields are tab-separated lines)."""
    return (name[:1] not in ("", "/") and "/../" not in f"/{name}/" and ":" not in name.partition("/")[0]
            and "\\" not in name and name.isprintable())


def _unpack(wheel_path: str, building: str) -> WheelEntry:
    """Unpack into `building`. A wheel that cannot be read is a VenvError; a folder that cannot be
    written (full, read-only) raises the OSError, so the caller can unpack somewhere else."""
    import zipfile

    wheel = os.path.basename(wheel_path)
    files: List[Tuple[str, int, int, str]] = []
    executables: List[str] = []
    try:
        archive = zipfile.ZipFile(wheel_path)
    except (OSError, zipfile.BadZipFile) as error:
        raise _unreadable(wheel_path, error) from None
    with archive:
        try:
            members = [info for info in archive.infolist() if not info.filename.endswith("/")]
            dist_info = _dist_info_name([info.filename for info in members], wheel)
            expected = _record_hashes(archive.read(f"{dist_info}/RECORD").decode("utf-8"))
        except (OSError, zipfile.BadZipFile, KeyError, UnicodeDecodeError) as error:
            raise _unreadable(wheel_path, error) from None
        for info in members:
            name = info.filename
            if name.startswith(f"{dist_info}/RECORD") or name == f"{dist_info}/INSTALLER":
                continue
            if not _safe_member(name) or name.split("/")[0].endswith(".data"):
                raise VenvError(f"{wheel} holds {name!r}, which pyshim does not seed; use --without-pip")
            try:
                data = archive.read(info)
            except (OSError, zipfile.BadZipFile) as error:
                raise _unreadable(wheel_path, error) from None
            digest = record_hash(data)
            if expected.get(name) not in (None, "", digest):
                raise VenvError(f"{wheel}: {name} does not match the wheel's RECORD; "
                                "the bundled wheel is damaged, reinstall that Python")
            target = os.path.join(building, "files", name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as handle:
                handle.write(data)
            if (info.external_attr >> 16) & 0o111:
                os.chmod(target, 0o755)
                executables.append(name)
            stat = os.lstat(target)
            files.append((name, stat.st_size, stat.st_mtime_ns, digest))
    entry = WheelEntry(building, wheel, dist_info, tuple(files), tuple(executables))
    from pyshim.base.fsutil import atomic_write_text

    atomic_write_text(os.path.join(building, MANIFEST), render_manifest(entry))
    return entry


def _unreadable(wheel_path: str, error: BaseException) -> VenvError:
    return VenvError(f"cannot unpack the bundled wheel {wheel_path}: {error}; reinstall that Python, or use --without-pip")


def _dist_info_name(names: List[str], wheel: str) -> str:
    tops = {name.split("/")[0] for name in names if name.split("/")[0].endswith(".dist-info")}
    if len(tops) != 1:
        raise VenvError(f"{wheel} does not have exactly one .dist-info folder; use --without-pip")
    return tops.pop()


def _record_hashes(record: str) -> Dict[str, str]:
    import csv

    return {row[0]: row[1] for row in csv.reader(record.splitlines()) if len(row) >= 2}


def link_files(entry: WheelEntry, site_packages: str) -> None:
    """Hard-link every file of `entry` into `site_packages` (copy where links are refused)."""
    source_root = entry.files_dir + os.sep
    target_root = site_packages + os.sep
    made = set()
    can_link = True
    for relative, _, _, _ in entry.files:
        folder = os.path.dirname(relative)
        if folder not in made:
            os.makedirs(target_root + folder, exist_ok=True)
            made.add(folder)
        source, target = source_root + relative, target_root + relative
        if can_link:
            try:
                os.link(source, target)
                continue
            except OSError as error:
                if isinstance(error, FileExistsError):
                    os.unlink(target)
                    os.link(source, target)
                    continue
                can_link = False  # another file system, or links not allowed: copy from now on
        import shutil

        shutil.copy2(source, target)
