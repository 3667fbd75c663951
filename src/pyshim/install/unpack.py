"""Unpacking an archive that is untrusted input, into an empty folder.

Third step of `pyshim install` (see `pyshim.install`). Every member is checked before it is
written: no absolute names, no `..`, no device or FIFO files, no link whose target leaves the
archive's folder (also through a chain of links, checked again once everything is written), no
write through a link, no set-user-ID bits; one bad member stops the unpack, and the caller
deletes the half-written folder (it is beside the final one, never in its place). The archive
must hold one top folder (python-build-standalone's `python/`, PyPy's
`pypy3.10-v7.3.19-linux64/`); `unpack` returns it.

Two threads, because decompressing and writing files both release the GIL: one reads and
decompresses the archive (gzip, xz, bzip2, zstd or plain tar, told apart by their first bytes;
a gzip archive whose SHA-256 the caller checked is inflated without computing its CRC-32)
into a bounded queue of chunks, the other parses the tar stream (`_TarReader`: ustar, GNU long
names and pax headers, each header's checksum checked) and writes each file with
`os.open`/`os.write` straight from those chunks, its mode given at creation. The stdlib's
`tarfile` is not used: per member it costs more than the write itself.
"""

from __future__ import annotations

import os
import posixpath
import queue
import stat
import threading
import zipfile
import zlib
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, NamedTuple, Optional, Set

from pyshim.base.errors import InstallError

READ_SIZE = 1 << 20
OUT_SIZE = 1 << 20  # a decompressed chunk: a small archive cannot make a huge one in memory
QUEUE_CHUNKS = 16  # at most this many decompressed chunks (~1 MiB each) wait for the writer
_END = object()
_O_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


class BadArchive(Exception):
    """The archive is not well formed (reported as "not a readable archive")."""


def _check_name(name: str, archive: str) -> str:
    clean = posixpath.normpath(name.replace("\\", "/"))
    if name.startswith(("/", "\\")) or clean.startswith("../") or clean == ".." or (len(name) > 1 and name[1] == ":"):
        raise InstallError(f"{archive} holds {name!r}, a path outside its folder; refusing to unpack it")
    return clean


def _check_link(name: str, target: str, archive: str) -> None:
    if target.startswith("/") or posixpath.normpath(posixpath.join(posixpath.dirname(name), target)).startswith("../"):
        raise InstallError(f"{archive} holds a link {name!r} -> {target!r} that points outside its folder; "
                           "refusing to unpack it")


# --- decompression (its own thread) -------------------------------------------------------------

def _decompressor(head: bytes, label: str) -> Optional[Callable[[], object]]:
    """A factory of decompress objects for the format `head` starts with; None for a plain tar."""
    if head.startswith(b"\x1f\x8b"):
        return lambda: zlib.decompressobj(31)
    if head.startswith(b"\xfd7zXZ\x00"):
        import lzma

        return lzma.LZMADecompressor
    if head.startswith(b"BZh"):
        import bz2

        return bz2.BZ2Decompressor
    if head.startswith(b"\x28\xb5\x2f\xfd"):
        try:
            from compression import zstd  # Python 3.14+

            return zstd.ZstdDecompressor
        except ImportError:
            try:
                import zstandard
            except ImportError:
                raise InstallError(f"{label} is zstd-compressed, which this Python cannot read; install the "
                                   "`zstandard` package beside pyshim, or pick a .tar.gz build") from None
            return lambda: zstandard.ZstdDecompressor().decompressobj()
    return None


def _inflate(handle, head: bytes, make: Optional[Callable[[], object]]) -> Iterator[bytes]:
    """The archive's tar bytes, in chunks of at most `OUT_SIZE`: `head` and the rest of `handle`,
    decompressed (several concatenated streams too, as gzip allows)."""
    if make is None:
        while head:
            yield head
            head = handle.read(READ_SIZE)
        return
    engine: Any = make()
    pending = head
    while True:
        if hasattr(engine, "unconsumed_tail"):  # zlib
            data = engine.decompress(pending, OUT_SIZE)
            pending = engine.unconsumed_tail
        elif hasattr(engine, "needs_input"):  # lzma, bz2, compression.zstd
            data = engine.decompress(pending, OUT_SIZE)
            pending = b""
        else:  # zstandard's decompressobj
            data = engine.decompress(pending)
            pending = b""
        if data:
            yield data
        if getattr(engine, "eof", False):
            pending = engine.unused_data or handle.read(READ_SIZE)
            if not pending:
                return
            engine = make()
            continue
        if pending or not getattr(engine, "needs_input", True):
            continue
        pending = handle.read(READ_SIZE)
        if pending:
            continue
        flush = getattr(engine, "flush", None)
        tail = flush() if flush is not None else b""
        if tail:
            yield tail
        if hasattr(engine, "eof") and not engine.eof:
            raise BadArchive("the compressed stream ends early")
        return


def _gzip_header_size(data: bytes) -> Optional[int]:
    """The length of the gzip member header `data` starts with; None if `data` ends inside it."""
    if len(data) < 10:
        return None
    if data[:3] != b"\x1f\x8b\x08":
        raise BadArchive("not a gzip member")
    flags, pos = data[3], 10
    if flags & 4:  # FEXTRA: its length, then the data
        if len(data) < 12:
            return None
        pos = 12 + int.from_bytes(data[10:12], "little")
    for flag in (8, 16):  # FNAME, FCOMMENT: text ended by NUL
        if flags & flag:
            end = data.find(b"\0", pos)
            if end < 0:
                return None
            pos = end + 1
    if flags & 2:  # FHCRC
        pos += 2
    return pos if pos <= len(data) else None


def _inflate_gzip_unchecked(handle, head: bytes) -> Iterator[bytes]:
    """As `_inflate` for gzip, but each member's deflate stream inflated raw and its CRC-32 not
    computed (a tenth of the inflate time): for an archive whose SHA-256 was checked, which
    covers every byte the CRC would."""
    data = head
    while True:
        size = _gzip_header_size(data)
        while size is None:
            more = handle.read(READ_SIZE)
            if not more or len(data) > READ_SIZE:
                raise BadArchive("the compressed stream ends early" if not more else "a gzip header too long")
            data += more
            size = _gzip_header_size(data)
        engine = zlib.decompressobj(-15)
        pending = data[size:]
        while not engine.eof:
            if not pending:
                pending = handle.read(READ_SIZE)
                if not pending:
                    raise BadArchive("the compressed stream ends early")
            chunk = engine.decompress(pending, OUT_SIZE)
            pending = engine.unconsumed_tail
            if chunk:
                yield chunk
        data = engine.unused_data
        while len(data) < 8:  # the member's trailer (CRC-32 and size)
            more = handle.read(READ_SIZE)
            if not more:
                raise BadArchive("the compressed stream ends early")
            data += more
        data = data[8:] or handle.read(READ_SIZE)
        if not data:
            return


def _decompressed(handle, head: bytes, label: str, verified: bool) -> Iterator[bytes]:
    """The archive's tar bytes (see `_inflate`); the format is told apart here, in the calling
    thread, so that a format this Python cannot read is an error before anything starts."""
    if verified and head.startswith(b"\x1f\x8b"):
        return _inflate_gzip_unchecked(handle, head)
    return _inflate(handle, head, _decompressor(head, label))


class _Producer(threading.Thread):
    """Reads and decompresses the archive into `chunks`; an error travels the same way."""

    def __init__(self, source: Iterator[bytes]) -> None:
        super().__init__(name="pyshim-unpack-inflate", daemon=True)
        self.source = source
        self.chunks: "queue.Queue[object]" = queue.Queue(QUEUE_CHUNKS)
        self.stop = threading.Event()

    def _put(self, item: object) -> bool:
        while not self.stop.is_set():
            try:
                self.chunks.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def run(self) -> None:
        try:
            for chunk in self.source:
                if not self._put(chunk):
                    return
            self._put(_END)
        except BaseException as error:  # noqa: B902 (handed to the reading thread, raised there)
            self._put(error)


class _Chunks:
    """The tar stream as the producer hands it over, read exactly (headers) or copied to a file
    descriptor slice by slice (file data, never joined)."""

    def __init__(self, producer: _Producer) -> None:
        self.producer = producer
        self.data = b""  # the current chunk, and a view of it (file data is written from the view)
        self.view = memoryview(self.data)
        self.pos = 0
        self.ended = False

    def _next(self) -> bool:
        if self.ended:
            return False
        item = self.producer.chunks.get()
        if item is _END:
            self.ended = True
            return False
        if isinstance(item, BaseException):
            self.ended = True
            raise item
        self.data, self.pos = item, 0  # type: ignore[assignment]
        self.view = memoryview(self.data)
        return True

    def read(self, size: int) -> bytes:
        """`size` bytes; fewer only at the end of the stream."""
        pos = self.pos
        if len(self.data) - pos >= size:
            self.pos = pos + size
            return self.data[pos:pos + size]
        parts: List[bytes] = []
        while size:
            if self.pos == len(self.data) and not self._next():
                break
            take = min(size, len(self.data) - self.pos)
            parts.append(self.data[self.pos:self.pos + take])
            self.pos += take
            size -= take
        return b"".join(parts)

    def copy(self, size: int, fd: Optional[int]) -> None:
        """The next `size` bytes, written to `fd` (skipped when None), and the padding to the next
        512-byte block; BadArchive if they run out."""
        padded = size + (-size % 512)
        while padded:
            if self.pos == len(self.data) and not self._next():
                raise BadArchive("unexpected end of data")
            take = min(padded, len(self.data) - self.pos)
            if fd is not None and size:
                piece = self.view[self.pos:self.pos + min(take, size)]
                size -= len(piece)
                while piece:
                    piece = piece[os.write(fd, piece):]
            self.pos += take
            padded -= take

    def drain(self) -> None:
        """Read to the end, so a decompression error after the last member is not missed."""
        while self._next():
            self.pos = len(self.data)


# --- the tar format -----------------------------------------------------------------------------

class Member(NamedTuple):
    name: str
    kind: str  # "file", "dir", "symlink", "hardlink"
    mode: int
    size: int
    mtime: float
    linkname: str


def _number(field: bytes) -> int:
    try:  # the common case, digits ended by NUL or space; anything else is read as tarfile reads it
        return int(field.rstrip(b"\0 ") or b"0", 8)
    except ValueError:
        pass
    if field[:1] in (b"\x80", b"\xff"):  # GNU base-256
        value = int.from_bytes(field[1:], "big")
        return value - (256 ** (len(field) - 1)) if field[:1] == b"\xff" else value
    text = field.split(b"\0", 1)[0].strip()
    try:
        return int(text, 8) if text else 0
    except ValueError:
        raise BadArchive(f"invalid number field {field!r}") from None


_ODD = bytes(value & 1 for value in range(256))


def _byte_sum(block: bytes) -> int:
    """sum(block) for a header (at most 512 * 255 < 2 * 65521), in two C calls instead of a loop
    over 512 ints: Adler-32's first half is the sum modulo 65521, and the sum's parity (65521 is
    odd) tells whether to add 65521 once."""
    low = ((zlib.adler32(block) & 0xFFFF) - 1) % 65521
    return low + 65521 * ((block.translate(_ODD).count(1) - low) & 1)


def _text(field: bytes) -> str:
    return field.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")


def _pax_records(data: bytes) -> Dict[str, str]:
    records: Dict[str, str] = {}
    pos = 0
    while pos < len(data) and data[pos:pos + 1] != b"\0":
        space = data.find(b" ", pos)
        try:
            length = int(data[pos:space])
        except ValueError:
            raise BadArchive("invalid pax header") from None
        if space < 0 or length <= space - pos or pos + length > len(data):
            raise BadArchive("invalid pax header")
        key, equals, value = data[space + 1:pos + length - 1].partition(b"=")
        if not equals:
            raise BadArchive("invalid pax header")
        records[key.decode("utf-8", "surrogateescape")] = value.decode("utf-8", "surrogateescape")
        pos += length
    return records


_KINDS = {b"0": "file", b"\0": "file", b"7": "file", b"1": "hardlink", b"2": "symlink", b"5": "dir"}
_DEVICES = {b"3": "character device", b"4": "block device", b"6": "FIFO"}
_ZERO_BLOCK = bytes(512)


class _TarReader:
    """The members of a tar stream, one header at a time; the caller consumes each member's data
    (`chunks.copy`) before asking for the next."""

    def __init__(self, chunks: _Chunks, label: str) -> None:
        self.chunks, self.label = chunks, label
        self.global_pax: Dict[str, str] = {}

    def _payload(self, size: int) -> bytes:
        padded = size + (-size % 512)
        data = self.chunks.read(padded)
        if len(data) != padded:
            raise BadArchive("unexpected end of data")
        return data[:size]

    def members(self) -> Iterator[Member]:
        pax: Dict[str, str] = {}
        long_name = long_link = None
        read = self.chunks.read
        while True:
            header = read(512)
            if len(header) != 512:
                if not header:
                    return  # the stream ended at a member boundary, without the end blocks
                raise BadArchive("unexpected end of data")
            if header == _ZERO_BLOCK:
                return  # end of archive
            checksum = header[148:156]
            if _number(checksum) != _byte_sum(header) - sum(checksum) + 256:
                raise BadArchive("bad header checksum")
            kind_flag = header[156:157]
            size = _number(header[124:136])
            if kind_flag in (b"x", b"g"):
                records = _pax_records(self._payload(size))
                (pax if kind_flag == b"x" else self.global_pax).update(records)
                continue
            if kind_flag in (b"L", b"K"):
                value = self._payload(size).split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
                if kind_flag == b"L":
                    long_name = value
                else:
                    long_link = value
                continue
            if header[257:263] == b"ustar\0" and header[345:346] != b"\0":
                name = _text(header[345:500]) + "/" + _text(header[0:100])
            else:
                name = _text(header[0:100])
            name = long_name or name
            linkname = long_link or (_text(header[157:257]) if kind_flag in (b"1", b"2") else "")
            mtime = None
            fields = {**self.global_pax, **pax} if self.global_pax else pax
            if fields:
                name = fields.get("path", name)
                linkname = fields.get("linkpath", linkname)
                if any(key.startswith("GNU.sparse") for key in fields):
                    kind_flag = b"S"
                try:
                    size = int(fields["size"]) if "size" in fields else size
                    mtime = float(fields["mtime"]) if "mtime" in fields else None
                except ValueError:
                    raise BadArchive("invalid pax size or mtime") from None
                pax = {}
            long_name = long_link = None
            kind = _KINDS.get(kind_flag)
            if kind is None:
                if kind_flag in _DEVICES:
                    raise InstallError(f"{self.label} holds {name!r}, a {_DEVICES[kind_flag]}; refusing to unpack it")
                raise InstallError(f"{self.label} holds {name!r}, a tar member of type {kind_flag!r} that an "
                                   "interpreter archive does not use; refusing to unpack it")
            if kind == "file" and name.endswith("/"):
                kind = "dir"
            if size < 0:
                raise BadArchive(f"negative size for {name!r}")
            if mtime is None:
                mtime = float(_number(header[136:148]))
            # As tarfile reads it: only regular files have data after their header.
            yield Member(name, kind, _number(header[100:108]), size if kind == "file" else 0, mtime, linkname)


# --- writing ------------------------------------------------------------------------------------

class _Writer:
    """Writes checked members under `into`, never through a link: a folder is created only when
    no part of its path is a link this archive made (else its real path must stay inside), and
    files are created with O_EXCL | O_NOFOLLOW. No chown (files belong to the user who
    installs); the stdlib's filter rules kept: group/other write bits and set-ID bits dropped,
    file mtimes kept (the interpreter's .pyc files check them)."""

    def __init__(self, into: Path, archive: str) -> None:
        self.archive = archive
        self.root = os.path.realpath(into)
        os.makedirs(self.root, exist_ok=True)
        self.dirs: Dict[str, str] = {"": self.root}  # relative folders known to exist and to be real
        # folders inside, with their absolute paths
        self.links: Set[str] = set()  # relative names of the symbolic links written
        self.umask = _umask()

    def _outside(self, path: str) -> bool:
        real = os.path.realpath(path)
        return real != self.root and not real.startswith(self.root + os.sep)

    def _through_link(self, relative: str) -> bool:
        parts = relative.split("/")
        return any("/".join(parts[:end]) in self.links for end in range(1, len(parts) + 1))

    def _folder(self, relative: str, name: str) -> str:
        """The absolute folder `relative` (created if needed); InstallError if it leads outside."""
        full = self.dirs.get(relative)
        if full is not None:
            return full
        full = os.path.join(self.root, relative)
        if self.links and self._through_link(relative):
            if self._outside(full):
                raise InstallError(f"{self.archive} writes {name!r} through a link that leads outside its "
                                   "folder; refusing to unpack it")
        os.makedirs(full, 0o755, exist_ok=True)
        if not self.links:
            parts = relative.split("/")
            for end in range(1, len(parts) + 1):
                folder = "/".join(parts[:end])
                self.dirs[folder] = os.path.join(self.root, folder)
        else:
            self.dirs[relative] = full
        return full

    def _replacing(self, path: str, make: Callable[[], Any]) -> Any:
        """`make()`, which creates `path`; a member written twice is written again, the later one
        winning as with tar, unless one of them is a folder."""
        try:
            return make()
        except FileExistsError:
            return self._replace(path, make)

    def _replace(self, path: str, make: Callable[[], Any]) -> Any:
        """`make()` again, once the earlier `path` (not a folder) is removed."""
        if os.path.isdir(path) and not os.path.islink(path):
            raise InstallError(f"{self.archive} holds {path[len(self.root) + 1:]!r} twice, once as a folder; "
                               "refusing to unpack it")
        os.unlink(path)
        return make()

    def write(self, member: Member, chunks: _Chunks) -> None:
        name = _check_name(member.name, self.archive)
        if name == ".":
            return
        relative_dir, _, base = name.rpartition("/")
        target = self._folder(relative_dir, name) + os.sep + base
        if member.kind == "file":
            mode = (member.mode & 0o755) | 0o600
            try:
                fd = os.open(target, _O_CREATE, mode)
            except FileExistsError:
                fd = self._replace(target, lambda: os.open(target, _O_CREATE, mode))
            try:
                chunks.copy(member.size, fd)
                if mode & self.umask:
                    os.fchmod(fd, mode)
                mtime = int(member.mtime * 1e9)
                os.utime(fd, ns=(mtime, mtime))
            finally:
                os.close(fd)
        elif member.kind == "dir":
            mode = (member.mode & 0o755) | 0o700
            if name not in self.dirs:
                self._folder(name, name)
            if mode != 0o755 & ~self.umask:
                os.chmod(target, mode)
        elif member.kind == "symlink":
            _check_link(name, member.linkname, self.archive)
            self.links.add(name)
            self._replacing(target, lambda: os.symlink(member.linkname, target))
            if self._outside(target):
                raise self._link_out(name, member.linkname)
        else:  # a hard link, to a member written before
            source = _check_name(member.linkname, self.archive)
            source_path = os.path.join(self.root, source)
            if self._outside(source_path) or os.path.realpath(source_path) == self.root:
                raise InstallError(f"{self.archive} holds a hard link {name!r} to a file outside its folder; "
                                   "refusing to unpack it")
            self._replacing(target, lambda: os.link(source_path, target))

    def _link_out(self, name: str, target: str) -> InstallError:
        return InstallError(f"{self.archive} holds a link {name!r} -> {target!r} that leads outside its folder; "
                            "refusing to unpack it")

    def check_links(self) -> None:
        """Every link again, now that all are written: a chain whose parts were each inside when
        written (`a -> b/..` before `b -> ..`) can lead out only once it is complete."""
        for name in sorted(self.links):
            path = os.path.join(self.root, name)
            if os.path.islink(path) and self._outside(path):
                raise self._link_out(name, os.readlink(path))


def _umask() -> int:
    """The process umask (read from /proc where possible: setting it to read it is not thread-safe)."""
    try:
        with open("/proc/self/status", "rb") as status:
            for line in status:
                if line.startswith(b"Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o777  # unknown: always set modes explicitly


def _unpack_tar(archive: Path, into: Path, label: str, verified: bool) -> None:
    handle = open(archive, "rb")
    with handle:
        head = handle.read(READ_SIZE)
        producer = _Producer(_decompressed(handle, head, label, verified))
        producer.start()
        try:
            chunks = _Chunks(producer)
            writer = _Writer(into, label)
            for member in _TarReader(chunks, label).members():
                writer.write(member, chunks)
            chunks.drain()
            writer.check_links()
        finally:
            producer.stop.set()
            producer.join()


def unpack(archive: Path, into: Path, verified: bool = False) -> Path:
    """Unpack `archive` into the empty folder `into`; return its single top folder. `verified`:
    its SHA-256 was checked, so a gzip member's CRC-32 need not be."""
    label = archive.name
    errors = (BadArchive, zipfile.BadZipFile, EOFError, zlib.error, _lzma_error())
    try:
        if archive.name.endswith(".zip"):
            _unpack_zip(archive, into)
        else:
            _unpack_tar(archive, into, label, verified)
    except errors as error:
        raise InstallError(f"{label} is not a readable archive ({error}); download it again") from None
    tops = list(into.iterdir())
    if len(tops) != 1 or not tops[0].is_dir() or tops[0].is_symlink():
        held = ", ".join(sorted(top.name for top in tops)) or "nothing"
        raise InstallError(f"{label} does not hold one top folder (it holds {held}); it is not an interpreter archive")
    return tops[0]


def _lzma_error() -> type:
    try:
        import lzma

        return lzma.LZMAError
    except ImportError:
        return BadArchive


def _unpack_zip(archive: Path, into: Path) -> None:
    import shutil

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
                shutil.copyfileobj(source, out, READ_SIZE)
            if mode & 0o111:
                os.chmod(target, 0o755)
