"""Getting an archive: from its address, a mirror, or a local file, checked against its SHA-256.

Second step of `pyshim install` (see `pyshim.install`). A download goes to a `.part` file in the
cache folder, hashed as it arrives; only a file whose SHA-256 equals the catalog's is renamed to
its final name and handed on to be unpacked. A wrong checksum, a truncated transfer, an HTTP
error or a server that stalls (`PYSHIM_DOWNLOAD_TIMEOUT` seconds without a byte, 30 by default)
is one line naming the address and what to do; nothing partial is kept.

Mirrors replace the start of an address, as uv's do: `PYSHIM_PYTHON_MIRROR` (else uv's
`UV_PYTHON_INSTALL_MIRROR`) stands for python-build-standalone's release folder, and
`PYSHIM_PYPY_MIRROR` (else `UV_PYPY_INSTALL_MIRROR`) for downloads.python.org/pypy. A mirror
may be `file://` or a plain folder, for machines with no route to the internet.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Callable, Optional

from pyshim.base.errors import InstallError

PBS_PREFIX = "https://github.com/astral-sh/python-build-standalone/releases/download"
PYPY_PREFIX = "https://downloads.python.org/pypy"
CHUNK = 1 << 20

Progress = Callable[[int, Optional[int]], None]  # (bytes so far, total or None)


def timeout() -> float:
    try:
        return max(0.1, float(os.environ.get("PYSHIM_DOWNLOAD_TIMEOUT", "30")))
    except ValueError:
        return 30.0


def mirrored(url: str) -> str:
    """`url` with a configured mirror in place of the prefix it replaces."""
    for prefix, names in ((PBS_PREFIX, ("PYSHIM_PYTHON_MIRROR", "UV_PYTHON_INSTALL_MIRROR")),
                          (PYPY_PREFIX, ("PYSHIM_PYPY_MIRROR", "UV_PYPY_INSTALL_MIRROR"))):
        mirror = next((os.environ[name] for name in names if os.environ.get(name)), None)
        if mirror and url.startswith(prefix + "/"):
            if "://" not in mirror:
                mirror = "file://" + os.path.abspath(os.path.expanduser(mirror))
            return mirror.rstrip("/") + url[len(prefix):]
    return url


def _local_path(url: str) -> Optional[str]:
    if url.startswith("file://"):
        from urllib.parse import unquote

        return unquote(url[len("file://"):])
    return None if "://" in url else url


def _open(url: str):
    """A readable binary stream and its length (None if unknown), or InstallError."""
    local = _local_path(url)
    if local is not None:
        try:
            handle = open(local, "rb")
            return handle, os.fstat(handle.fileno()).st_size
        except OSError as error:
            raise InstallError(f"cannot read {local}: {error.strerror or error}") from None
    import urllib.error
    import urllib.request

    try:
        response = urllib.request.urlopen(urllib.request.Request(url, headers={"User-Agent": "pyshim"}), timeout=timeout())
    except urllib.error.HTTPError as error:
        raise InstallError(f"{url} answered HTTP {error.code} ({error.reason}); check the address, or set "
                           "PYSHIM_PYTHON_MIRROR to a mirror that has it") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise InstallError(f"cannot download {url}: {reason}; check the network, or set PYSHIM_PYTHON_MIRROR "
                           "to a mirror or folder that has it") from None
    length = response.headers.get("Content-Length")
    return response, int(length) if length and length.isdigit() else None


def read_url(url: str, limit: int) -> bytes:
    """A small file (a downloads catalog) at `url`, at most `limit` bytes."""
    stream, _ = _open(url)
    with stream:
        try:
            return stream.read(limit + 1)
        except OSError as error:
            raise InstallError(f"reading {url} failed: {error}") from None


def download(url: str, sha256: str, target: Path, progress: Optional[Progress] = None) -> Path:
    """`url` at `target`, its SHA-256 checked; a file already there with that checksum is kept."""
    if target.is_file() and file_sha256(target) == sha256:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f".{target.name}.{os.getpid()}.part")
    digest = hashlib.sha256()
    received = 0
    stream, total = _open(url)
    try:
        try:
            out = open(part, "wb")
        except OSError as error:
            raise _write_error(part, error) from None
        with stream, out:
            while True:
                try:
                    chunk = stream.read(CHUNK)
                except OSError as error:  # a stall (socket time-out) or a reset connection
                    raise InstallError(f"the download of {url} stopped after {received} bytes ({error}); "
                                       "try again, or use a mirror (PYSHIM_PYTHON_MIRROR)") from None
                if not chunk:
                    break
                try:
                    out.write(chunk)
                except OSError as error:
                    raise _write_error(part, error) from None
                digest.update(chunk)
                received += len(chunk)
                if progress:
                    progress(received, total)
        if total is not None and received != total:
            raise InstallError(f"the download of {url} was cut short ({received} of {total} bytes); try again")
        if digest.hexdigest() != sha256:
            raise InstallError(f"{url} does not have the expected SHA-256 (got {digest.hexdigest()}, expected {sha256}); "
                               "the file was not unpacked; the download or the mirror is corrupt")
        os.replace(part, target)
    finally:
        try:
            os.unlink(part)
        except FileNotFoundError:
            pass
    return target


def _write_error(path: Path, error: OSError) -> InstallError:
    """A write into the cache that failed (a full disk), naming the folder and the fix."""
    return InstallError(f"cannot write the download to {path.parent}: {error.strerror or error}; "
                        "free some space there, or move pyshim's cache (PYSHIM_CACHE_DIR)")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def progress_printer(label: str, quiet: bool) -> Optional[Progress]:
    """A progress line on a terminal (bytes, rate, time left); nothing otherwise or under --quiet."""
    if quiet or not sys.stderr.isatty():
        return None
    started = time.monotonic()
    width = shutil.get_terminal_size((80, 20)).columns

    def show(received: int, total: Optional[int]) -> None:
        elapsed = max(time.monotonic() - started, 1e-6)
        rate = received / elapsed
        text = f"{label}: {received / 1e6:.1f} MB"
        if total:
            left = (total - received) / rate if rate else 0
            text += f" of {total / 1e6:.1f} MB, {rate / 1e6:.1f} MB/s, {left:.0f} s left"
        sys.stderr.write("\r" + text[: width - 1].ljust(width - 1))
        if total and received >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show
