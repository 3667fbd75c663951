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
        while True:
            chunk = source.read(1 << 20)
            if not chunk:
                break
            out.write(chunk)
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
                for member in handle:
                    _extract(handle, _checked(member, label), into)
    except getattr(tarfile, "FilterError", ()) as error:  # the stdlib's `data` filter said no
        raise InstallError(f"{label} holds a member that would land outside its folder ({error}); "
                           "refusing to unpack it") from None
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


def _extract(handle: tarfile.TarFile, member: tarfile.TarInfo, into: Path) -> None:
    """One member already checked by `_checked`, written with the stdlib's `data` filter on top
    where this Python has it (it resolves links on disk, so a chain of links inside the archive
    cannot lead out); without it, a link target holding `..` is refused outright."""
    if hasattr(tarfile, "data_filter"):
        handle.extract(member, into, set_attrs=True, filter="data")
        return
    if member.issym() and ".." in member.linkname.split("/"):
        raise InstallError(f"a link {member.name!r} -> {member.linkname!r} climbs with '..'; this Python cannot "
                           "check where it leads, so pyshim refuses it (Python 3.12+ checks it)")
    handle.extract(member, into, set_attrs=True)


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
