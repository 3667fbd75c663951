"""Unpacking an archive that is untrusted input, into an empty folder.

Third step of `pyshim install` (see `pyshim.install`). Every member is checked before it is
written: no absolute names, no `..`, no device or FIFO files, no link whose target leaves the
archive's folder, no set-user-ID bits; one bad member stops the unpack, and the caller deletes
the half-written folder (it is beside the final one, never in its place). The archive must hold one top folder (python-build-standalone's
`python/`, PyPy's `pypy3.10-v7.3.19-linux64/`); `unpack` returns it.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import stat
import tarfile
import zipfile
from pathlib import Path

from pyshim.errors import InstallError


def _check_name(name: str, archive: str) -> str:
    clean = posixpath.normpath(name.replace("\\", "/"))
    if name.startswith(("/", "\\")) or clean.startswith("../") or clean == ".." or (len(name) > 1 and name[1] == ":"):
        raise InstallError(f"{archive} holds {name!r}, a path outside its folder; refusing to unpack it")
    return clean


def _check_link(name: str, target: str, archive: str) -> None:
    if target.startswith("/") or posixpath.normpath(posixpath.join(posixpath.dirname(name), target)).startswith("../"):
        raise InstallError(f"{archive} holds a link {name!r} -> {target!r} that points outside its folder; "
                           "refusing to unpack it")


def _checked(member: tarfile.TarInfo, archive: str) -> tarfile.TarInfo:
    """`member`, refused unless it is a plain file, folder or in-folder link (see module docstring)."""
    member.name = _check_name(member.name, archive)
    if member.issym():
        _check_link(member.name, member.linkname, archive)
    elif member.islnk():
        member.linkname = _check_name(member.linkname, archive)
    elif not (member.isfile() or member.isdir()):
        raise InstallError(f"{archive} holds {member.name!r}, a device or FIFO; refusing to unpack it")
    member.mode &= ~(stat.S_ISUID | stat.S_ISGID)
    return member


def _decompress_zstd(path: Path, into: Path) -> Path:
    """A `.tar.zst` decompressed to a plain tar beside the unpack folder (tarfile reads no zstd)."""
    plain = into.parent / (into.name + ".tar")
    try:
        from compression import zstd  # Python 3.14+

        source = zstd.open(path, "rb")
    except ImportError:
        try:
            import zstandard
        except ImportError:
            raise InstallError(f"{path.name} is zstd-compressed, which this Python cannot read; install the "
                               "`zstandard` package beside pyshim, or pick a .tar.gz build") from None
        source = zstandard.ZstdDecompressor().stream_reader(open(path, "rb"), closefd=True)
    with source, open(plain, "wb") as out:
        shutil.copyfileobj(source, out, 1 << 20)
    return plain


def unpack(archive: Path, into: Path) -> Path:
    """Unpack `archive` into the empty folder `into`; return its single top folder."""
    label = archive.name
    plain = None
    try:
        if archive.name.endswith(".zip"):
            _unpack_zip(archive, into)
        else:
            plain = _decompress_zstd(archive, into) if archive.name.endswith(".tar.zst") else archive
            # One pass, as a stream: each member is checked before it is written, and a bad one
            # stops the whole unpack (the caller deletes the folder; nothing reaches its final place).
            with tarfile.open(plain, "r|*") as handle:
                writer = _Writer(handle, into, label)
                for member in handle:
                    writer.write(_checked(member, label))
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, zlib_error()) as error:
        raise InstallError(f"{label} is not a readable archive ({error}); download it again") from None
    finally:
        if plain is not None and plain != archive:
            plain.unlink()
    tops = list(into.iterdir())
    if len(tops) != 1 or not tops[0].is_dir() or tops[0].is_symlink():
        held = ", ".join(sorted(top.name for top in tops)) or "nothing"
        raise InstallError(f"{label} does not hold one top folder (it holds {held}); it is not an interpreter archive")
    return tops[0]


def zlib_error() -> type:
    import zlib

    return zlib.error


class _Writer:
    """Writes checked members under `into`, never through a link that leads out of it.

    Its own loop rather than `TarFile.extract`: one `realpath` per folder (cached) instead of
    several per member, no chown (files belong to the user who installs), and the stdlib's
    filter rules kept: group/other write bits and set-ID bits dropped, mtimes kept (the
    interpreter's .pyc files check them)."""

    def __init__(self, handle: tarfile.TarFile, into: Path, archive: str) -> None:
        self.handle, self.archive = handle, archive
        self.root = os.path.realpath(into)
        os.makedirs(self.root, exist_ok=True)
        self.inside_dirs = {self.root}

    def _parent(self, name: str) -> str:
        """The real folder `name` goes into, created if needed; InstallError if it is outside."""
        parent = os.path.join(self.root, os.path.dirname(name)) if os.path.dirname(name) else self.root
        if parent not in self.inside_dirs:
            os.makedirs(parent, exist_ok=True)
            real = os.path.realpath(parent)
            if real != self.root and not real.startswith(self.root + os.sep):
                raise InstallError(f"{self.archive} writes {name!r} through a link that leads outside its folder; "
                                   "refusing to unpack it")
            self.inside_dirs.add(parent)
        return parent

    def write(self, member: tarfile.TarInfo) -> None:
        target = os.path.join(self._parent(member.name), os.path.basename(member.name))
        mode = member.mode & 0o755
        if member.isdir():
            os.makedirs(target, exist_ok=True)
            os.chmod(target, mode | 0o700)
        elif member.isfile():
            source = self.handle.extractfile(member)
            with source, open(target, "wb") as out:
                shutil.copyfileobj(source, out, 1 << 20)
            os.chmod(target, mode | 0o600)
            os.utime(target, (member.mtime, member.mtime))
        elif member.issym():
            os.symlink(member.linkname, target)
            real = os.path.realpath(target)
            if real != self.root and not real.startswith(self.root + os.sep):
                raise InstallError(f"{self.archive} holds a link {member.name!r} -> {member.linkname!r} that leads "
                                   "outside its folder; refusing to unpack it")
        elif member.islnk():
            source_path = os.path.join(self.root, member.linkname)
            if not os.path.realpath(source_path).startswith(self.root + os.sep):
                raise InstallError(f"{self.archive} holds a hard link {member.name!r} to a file outside its folder; "
                                   "refusing to unpack it")
            os.link(source_path, target)


def _unpack_zip(archive: Path, into: Path) -> None:
    with zipfile.ZipFile(archive) as handle:
        for info in handle.infolist():
            name = _check_name(info.filename, archive.name)
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise InstallError(f"{archive.name} holds a link {name!r}; refusing to unpack links from a zip file")
            target = into / name
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with handle.open(info) as source, open(target, "wb") as out:
                while True:
                    chunk = source.read(1 << 20)
                    if not chunk:
                        break
                    out.write(chunk)
            if mode & 0o111:
                os.chmod(target, 0o755)
