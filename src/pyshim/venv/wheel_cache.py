"""Unpacked wheels kept in pyshim's cache, verified before every use, linked into venvs.

Part of the `venv/` seeding step. `cached_wheel(path)` returns the cache entry for a wheel
file (unpacking it first if needed); `link_files(entry, site_packages)` hard-links (else copies)
its files into a venv.

An entry is `CACHE/wheels/<wheel stem>-<key>/` with `files/` (the wheel's contents, minus its
RECORD) and `manifest.json`, which is written last. The key hashes the wheel's real path, size
and mtime, so a replaced wheel gets a new entry. Safety rules:
- an entry is built in a temporary sibling folder and renamed into place when complete, under a
  lock; a folder without a manifest (a crash, a full disk) is never used, it is rebuilt;
- while unpacking, every file is checked against the wheel's RECORD hashes (the full check);
- before every use, every file's size and mtime are compared with the manifest (one stat per
  file); any difference means someone edited the cache (or a venv file through a hard link),
  and the entry is rebuilt from the wheel before anything is linked.
A venv's files share inodes with the cache. pip never writes into installed files (upgrades
and uninstalls remove or replace them), so that is safe; an editor writing a venv file in place
changes the shared inode, which the next use detects, rebuilding the entry (other venvs made
from that entry see the edit, as with uv's hard-link mode).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from pyshim.base import paths
from pyshim.base.errors import VenvError
from pyshim.base.record import Record

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
STALE_SECONDS = 600.0  # a build folder this old, with its entry unlocked, belongs to a killed run


class WheelEntry(Record):
    root: Path  # the entry folder; files under root/"files"
    wheel: str  # wheel file name
    dist_info: str  # "pip-23.2.1.dist-info"
    files: Tuple[Tuple[str, int, int, str], ...]  # (relative path, size, mtime_ns, "sha256=...")
    executables: Tuple[str, ...]  # relative paths whose mode has x bits

    @property
    def files_dir(self) -> Path:
        return self.root / "files"

    def entry_points(self) -> str:
        try:
            return (self.files_dir / self.dist_info / "entry_points.txt").read_text(encoding="utf-8")
        except OSError:
            return ""


def wheels_dir() -> Path:
    return Path(paths.cache_dir()) / "wheels"


def entry_dir(wheel_path: str) -> Path:
    real = os.path.realpath(wheel_path)
    stat = os.stat(real)
    import zlib

    key = "%08x-%x-%x" % (zlib.crc32(real.encode("utf-8", "surrogateescape")), stat.st_size, stat.st_mtime_ns)
    stem = os.path.basename(real)[: -len(".whl")] if real.endswith(".whl") else os.path.basename(real)
    return wheels_dir() / f"{stem}-{key}"


def record_hash(data: bytes) -> str:
    """RECORD's `sha256=<urlsafe base64, no padding>` of `data`."""
    from binascii import b2a_base64  # built in; base64's module costs more to import

    encoded = b2a_base64(_sha256(data).digest(), newline=False).rstrip(b"=").decode("ascii")
    return "sha256=" + encoded.replace("+", "-").replace("/", "_")


def _sha256(data: bytes):
    """The built-in sha256: `hashlib` loads OpenSSL first, which costs 2-3 ms at start-up."""
    try:
        from _sha2 import sha256  # CPython 3.12+
    except ImportError:
        try:
            from _sha256 import sha256  # CPython 3.11 and older
        except ImportError:
            from hashlib import sha256
    return sha256(data)


def load_entry(root: Path) -> "WheelEntry | None":
    """The entry at `root` if it is complete and unmodified (size and mtime of every file)."""
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        if data.get("version") != MANIFEST_VERSION:
            return None
        entry = WheelEntry(root, data["wheel"], data["dist_info"], tuple(tuple(f) for f in data["files"]),
                           tuple(data["executables"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    files_dir = str(entry.files_dir) + os.sep
    try:
        for relative, size, mtime_ns, _ in entry.files:
            stat = os.lstat(files_dir + relative)
            if stat.st_size != size or stat.st_mtime_ns != mtime_ns:
                return None
    except OSError:
        return None
    return entry


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

    with file_lock(str(root) + ".lock"):
        entry = load_entry(root)  # another process may have built it meanwhile
        if entry is None:
            sweep_stale_builds(root.parent, held=root.name)
            entry = _build_entry(wheel_path, root)
    return entry


def sweep_stale_builds(folder: Path, held: str = "", min_age: float = STALE_SECONDS) -> None:
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
        path = folder / name
        try:
            if now - os.lstat(path).st_mtime < min_age:
                continue
        except OSError:
            continue
        entry_name = name[1:].rsplit(".", 2)[0]
        if entry_name == held:
            _rmtree(path, ignore_errors=True)
            continue
        if _unlocked(folder / f"{entry_name}.lock"):
            _rmtree(path, ignore_errors=True)


def unpack_uncached(wheel_path: str, scratch: str) -> WheelEntry:
    """A one-off entry in `scratch` (for when the cache folder cannot be written); the caller
    links from it and deletes it."""
    os.mkdir(scratch)
    return _unpack(wheel_path, Path(scratch))


def _unlocked(lock_path: Path) -> bool:
    """Whether nobody holds the entry's lock (file_lock's flock); a missing lock file counts."""
    import fcntl

    try:
        fd = os.open(str(lock_path), os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
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


def _build_entry(wheel_path: str, root: Path) -> WheelEntry:
    from pyshim.venv.staging import make_sibling_dir

    root.parent.mkdir(parents=True, exist_ok=True)
    building = Path(make_sibling_dir(str(root), "tmp", 0o700))
    try:
        entry = _unpack(wheel_path, building)
        if root.exists():
            trash = Path(make_sibling_dir(str(root), "old", 0o700))
            os.replace(root, trash / "entry")
            _rmtree(trash, ignore_errors=True)
        os.replace(building, root)
    except BaseException:
        _rmtree(building, ignore_errors=True)
        raise
    return entry._replace(root=root)


def _rmtree(path: Path, ignore_errors: bool = True) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=ignore_errors)


def _safe_member(name: str) -> bool:
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and ".." not in parts and ":" not in parts[0] and "\\" not in name


def _unpack(wheel_path: str, building: Path) -> WheelEntry:
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
            target = building / "files" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            if (info.external_attr >> 16) & 0o111:
                os.chmod(target, 0o755)
                executables.append(name)
            stat = os.lstat(target)
            files.append((name, stat.st_size, stat.st_mtime_ns, digest))
    manifest = {"version": MANIFEST_VERSION, "wheel": wheel, "dist_info": dist_info, "files": files,
                "executables": executables}
    from pyshim.base.fsutil import atomic_write_text

    atomic_write_text(building / MANIFEST, json.dumps(manifest))
    return WheelEntry(building, wheel, dist_info, tuple(files), tuple(executables))


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
    source_root = str(entry.files_dir) + os.sep
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
