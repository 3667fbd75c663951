"""`pyshim install` / `pyshim uninstall`, against a real HTTP server on 127.0.0.1 (no internet).

The server serves archives built here in python-build-standalone's layout (`python/bin`, `lib`,
`include`) from one of this machine's interpreters (a copy of a pyenv build runs from another
folder: CPython finds its prefix from its own location, its libpython through the original), and
a downloads file of the catalog's shape points at it. It also lies, fails, stalls and cuts
connections on purpose. The installed interpreter is then run, and a venv with pip is built on it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, Iterator

import pytest

from conftest import machine_versions, run_pyshim, version_named
from pbs_archive import pack_install_only
from pyshim.install.catalog import this_platform

@pytest.fixture(scope="session")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3.12 build of this machine, packed as python-build-standalone packs its install_only builds."""
    target = tmp_path_factory.mktemp("pbs") / f"cpython-{version_named('3.12')}-test-install_only.tar.gz"
    return pack_install_only(machine_versions()[version_named("3.12")], target, keep_pycache=False, compresslevel=1)


@pytest.fixture(scope="session")
def archive_311(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("pbs") / f"cpython-{version_named('3.11')}-test-install_only.tar.gz"
    return pack_install_only(machine_versions()[version_named("3.11")], target, keep_pycache=False, compresslevel=1)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Server:
    """Files by name, plus /missing (404), /broken (500), /stall (headers, then silence), /cut (half)."""

    def __init__(self, files: Dict[str, Path]) -> None:
        self.files = files
        self.asked: list = []  # every path asked for, in order
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep the test output clean
                pass

            def do_GET(self) -> None:
                outer.asked.append(self.path)
                name = self.path.lstrip("/").split("/")[-1]
                if self.path.startswith("/missing"):
                    self.send_error(404)
                elif self.path.startswith("/broken"):
                    self.send_error(500)
                elif name in outer.files:
                    data = outer.files[name].read_bytes()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    if self.path.startswith("/stall/"):
                        self.wfile.write(data[:1000])
                        self.wfile.flush()
                        time.sleep(5)
                    elif self.path.startswith("/cut/"):
                        self.wfile.write(data[: len(data) // 2])
                    else:
                        self.wfile.write(data)
                else:
                    self.send_error(404)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(archive: Path) -> Iterator[Server]:
    started = Server({archive.name: archive})
    yield started
    started.close()


def catalog(folder: Path, entries: Dict[str, Dict]) -> Dict[str, str]:
    """A downloads file of the catalog's shape; the environment that points pyshim at it."""
    path = folder / "downloads.json"
    path.write_text(json.dumps(entries))
    return {"PYSHIM_PYTHON_DOWNLOADS": str(path)}


def entry(url: str, digest: str, version: str, variant=None) -> Dict:
    system, arch, libc = this_platform()
    major, minor, patch = (int(part) for part in version.split("."))
    return {"name": "cpython", "arch": {"family": arch, "variant": None}, "os": system, "libc": libc, "major": major,
            "minor": minor, "patch": patch, "prerelease": "", "variant": variant, "build": "test", "url": url,
            "sha256": digest}


def versions_dir() -> Path:
    return Path(os.environ["PYSHIM_ROOT"]) / "versions"


def visible_entries() -> list:
    return sorted(p.name for p in versions_dir().iterdir() if not p.name.startswith(".")) if versions_dir().exists() else []


def test_install_then_run_list_venv_and_pip(server: Server, archive: Path, tmp_path: Path) -> None:
    v312 = version_named("3.12")
    env = catalog(tmp_path, {"c": entry(f"{server.url}/{archive.name}", sha256(archive), v312)})
    listed = run_pyshim("install", "--list", env=env)
    assert listed.returncode == 0 and listed.stdout.split()[:2] == [v312, "cpython"], listed.stdout
    result = run_pyshim("install", "3.12", env=env)
    assert result.returncode == 0, result.stderr
    assert f"installed {v312} (Python {v312}) in {versions_dir() / v312}" in result.stdout
    python = versions_dir() / v312 / "bin" / "python3"
    ran = subprocess.run([str(python), "-c", "import sys; print(sys.prefix)"], capture_output=True, text=True)
    assert ran.stdout.strip() == str(versions_dir() / v312), ran.stderr
    assert f"  {v312}" in run_pyshim("versions").stdout and "pyshim " in run_pyshim("versions").stdout
    again = run_pyshim("install", "3.12", env=env)
    assert again.returncode == 0 and "already installed" in again.stdout
    assert (Path(os.environ["PYSHIM_ROOT"]) / "shims" / "python3.12").exists()  # the shims are current
    venv = tmp_path / "venv"
    built = run_pyshim("venv", str(venv), "--python", str(python))
    assert built.returncode == 0, built.stderr
    pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "--version"], capture_output=True, text=True)
    assert pip.returncode == 0 and str(venv) in pip.stdout, pip.stderr
    assert "[*]" not in listed.stdout and run_pyshim("install", "--list", env=env).stdout.startswith("*")


def test_a_wrong_checksum_installs_nothing(server: Server, archive: Path, tmp_path: Path) -> None:
    env = catalog(tmp_path, {"c": entry(f"{server.url}/{archive.name}", "0" * 64, version_named("3.12"))})
    result = run_pyshim("install", "3.12", env=env)
    assert result.returncode == 1 and "does not have the expected SHA-256" in result.stderr
    assert result.stderr.count("\n") == 1 and visible_entries() == []
    downloads = Path(os.environ["PYSHIM_CACHE_DIR"]) / "downloads"
    assert not downloads.exists() or list(downloads.iterdir()) == []


@pytest.mark.parametrize("route, message", [("missing", "answered HTTP 404"), ("broken", "answered HTTP 500"),
                                            ("stall", "stopped after"), ("cut", "cut short")])
def test_server_faults_are_one_line_and_install_nothing(route: str, message: str, server: Server, archive: Path,
                                                        tmp_path: Path) -> None:
    env = catalog(tmp_path, {"c": entry(f"{server.url}/{route}/{archive.name}", sha256(archive), version_named("3.12"))})
    started = time.monotonic()
    result = run_pyshim("install", "3.12", env={**env, "PYSHIM_DOWNLOAD_TIMEOUT": "1"})
    assert result.returncode == 1 and message in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1 and visible_entries() == []
    assert time.monotonic() - started < 30


def hostile_archive(folder: Path, kind: str) -> Path:
    path = folder / f"hostile-{kind}.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        def add(name: str, data: bytes = b"x", **fields) -> None:
            info = tarfile.TarInfo(name)
            info.size = len(data) if not fields else 0
            for key, value in fields.items():
                setattr(info, key, value)
            tar.addfile(info, io.BytesIO(data) if not fields else None)
        add("python/bin/python3", b"#!/bin/sh\n")
        if kind == "dotdot":
            add("python/../../escaped", b"pwned")
        elif kind == "absolute":
            add(str(folder / "absolute-escape"), b"pwned")
        elif kind == "symlink":
            add("python/lib/evil", type=tarfile.SYMTYPE, linkname="/etc")
        elif kind == "device":
            add("python/dev", type=tarfile.CHRTYPE, devmajor=1, devminor=3)
    return path


@pytest.mark.parametrize("kind", ["dotdot", "absolute", "symlink", "device"])
def test_hostile_archives_are_refused(kind: str, tmp_path: Path) -> None:
    path = hostile_archive(tmp_path, kind)
    result = run_pyshim("install", str(path))
    assert result.returncode == 1 and "refusing to unpack" in result.stderr, result.stderr
    assert visible_entries() == [] and not (tmp_path / "absolute-escape").exists()
    assert not (versions_dir().parent / "escaped").exists() and not (versions_dir() / "escaped").exists()


def test_a_local_archive_with_its_checksum(archive: Path) -> None:
    wrong = run_pyshim("install", str(archive), "--sha256", "ab" * 32)
    assert wrong.returncode == 1 and "does not have the SHA-256" in wrong.stderr and visible_entries() == []
    right = run_pyshim("install", str(archive), "--sha256", sha256(archive))
    assert right.returncode == 0, right.stderr
    assert visible_entries() == [version_named("3.12")]


def test_mirrors_replace_the_address_prefix(server: Server, archive: Path, tmp_path: Path) -> None:
    official = f"https://github.com/astral-sh/python-build-standalone/releases/download/test/{archive.name}"
    env = catalog(tmp_path, {"c": entry(official, sha256(archive), version_named("3.12"))})
    mirror_folder = tmp_path / "mirror" / "test"
    mirror_folder.mkdir(parents=True)
    shutil.copy2(archive, mirror_folder / archive.name)
    for name, value in (("UV_PYTHON_INSTALL_MIRROR", server.url), ("PYSHIM_PYTHON_MIRROR", f"file://{tmp_path / 'mirror'}")):
        result = run_pyshim("install", "3.12", "--force", env={**env, name: value})
        assert result.returncode == 0, (name, result.stderr)
        assert f"installed {version_named('3.12')}" in result.stdout


def test_two_installs_at_once_install_once(server: Server, archive: Path, tmp_path: Path) -> None:
    env = dict(os.environ, **catalog(tmp_path, {"c": entry(f"{server.url}/{archive.name}", sha256(archive),
                                                           version_named("3.12"))}))
    runs = [subprocess.Popen([sys.executable, "-m", "pyshim", "install", "3.12"], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    said = sorted("already installed" in out for out, _ in outputs)
    assert said == [False, True], outputs
    assert visible_entries() == [version_named("3.12")]
    assert [p.name for p in versions_dir().iterdir() if p.name.endswith(".unpack")] == []


def test_no_build_for_this_platform_says_what_exists(tmp_path: Path, archive: Path) -> None:
    env = catalog(tmp_path, {"c": entry("http://127.0.0.1:9/x.tar.gz", sha256(archive), "3.12.1")})
    result = run_pyshim("install", "3.99", env=env)
    assert result.returncode == 1 and "no build matches '3.99'" in result.stderr and "3.12.1" in result.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"c": {"name": "cpython", "major": "three", "sha256": "00"}}')
    result = run_pyshim("install", "3.12", env={"PYSHIM_PYTHON_DOWNLOADS": str(bad)})
    assert result.returncode == 1 and "has a bad entry 'c'" in result.stderr and result.stderr.count("\n") == 1


def test_uninstall_refuses_while_a_named_venv_uses_it(archive: Path) -> None:
    assert run_pyshim("install", str(archive)).returncode == 0
    name = version_named("3.12")
    python = versions_dir() / name / "bin" / "python3"
    assert run_pyshim("venv", "--name", "uses-it", "--python", str(python), "--without-pip").returncode == 0
    refused = run_pyshim("uninstall", name)
    assert refused.returncode == 1 and "uses-it" in refused.stderr
    assert run_pyshim("uninstall", name, "--force").returncode == 0
    assert visible_entries() == []
    missing = run_pyshim("uninstall", name)
    assert missing.returncode == 1 and "is not installed by pyshim" in missing.stderr


def test_a_chain_of_links_cannot_lead_out(tmp_path: Path) -> None:
    """Each link points inside when read as text, but `up` -> `.` makes `up/../..` leave the folder."""
    path = tmp_path / "chain.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, target in (("python/up", "."), ("python/out", "up/../.."), ("python/out/escaped", None)):
            info = tarfile.TarInfo(name)
            if target is None:
                info.size = 5
                tar.addfile(info, io.BytesIO(b"pwned"))
            else:
                info.type, info.linkname = tarfile.SYMTYPE, target
                tar.addfile(info)
    result = run_pyshim("install", str(path))
    assert result.returncode == 1 and "refusing" in result.stderr, result.stderr
    assert visible_entries() == [] and not (versions_dir().parent / "escaped").exists()
    assert not list(versions_dir().parent.rglob("escaped"))


def test_an_interrupted_install_leaves_nothing_or_everything(server: Server, archive: Path, tmp_path: Path) -> None:
    """Signals at seeded random moments: the final folder is absent or complete, and the next
    install cleans up what the killed one left."""
    import random
    import signal

    rng = random.Random(20261201)
    env = dict(os.environ, **catalog(tmp_path, {"c": entry(f"{server.url}/{archive.name}", sha256(archive),
                                                           version_named("3.12"))}))
    final = versions_dir() / version_named("3.12")
    for attempt in range(6):
        shutil.rmtree(final, ignore_errors=True)
        run = subprocess.Popen([sys.executable, "-m", "pyshim", "install", "3.12", "--force"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 1.5))
        run.send_signal(rng.choice([signal.SIGINT, signal.SIGTERM, signal.SIGKILL]))
        run.wait(timeout=60)
        if final.exists():
            ran = subprocess.run([str(final / "bin" / "python3"), "-c", "import encodings, venv"], capture_output=True)
            assert ran.returncode == 0, (attempt, ran.stderr)
    done = subprocess.run([sys.executable, "-m", "pyshim", "install", "3.12"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert [p.name for p in versions_dir().iterdir() if p.name.endswith(".unpack")] == []


def test_a_full_disk_installs_nothing_and_says_where(archive: Path, tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (CI runs the suite as root)")
    small = tmp_path / "small"
    small.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(small)], capture_output=True)
    if mounted.returncode != 0:
        from conftest import missing_tool

        missing_tool(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        result = run_pyshim("install", str(archive), env={"PYSHIM_ROOT": str(small / "root")})
        assert result.returncode == 1 and "No space left on device" in result.stderr, result.stderr
        assert str(small) in result.stderr and result.stderr.count("\n") == 1
        assert [p.name for p in (small / "root" / "versions").iterdir() if not p.name.startswith(".")] == []
    finally:
        subprocess.run(["umount", "-l", str(small)])


def test_not_installed_messages_name_the_install_command(work_dir: Path) -> None:
    pinned = run_pyshim("local", "3.99", cwd=work_dir)
    assert pinned.returncode == 1 and "install it with `pyshim install 3.99`" in pinned.stderr
    (work_dir / ".python-version").write_text("3.99\n")
    version = run_pyshim("version", cwd=work_dir)
    assert version.returncode == 1 and "`pyshim install 3.99`" in version.stderr
    venv = run_pyshim("venv", "v", "--python", ">=3.99", cwd=work_dir)
    assert venv.returncode == 1 and "`pyshim install '>=3.99'`" in venv.stderr
    named = run_pyshim("local", "no-such-venv", cwd=work_dir)
    assert named.returncode == 1 and "pyshim install" not in named.stderr  # a name, not a version


def tar_of(path: Path, members, fmt: int = tarfile.PAX_FORMAT, mode: str = "w:gz") -> Path:
    """An archive of (name, kind, payload) members, in that order: kind is file, dir, symlink
    (payload: its target), hardlink (payload: the member it links to)."""
    with tarfile.open(path, mode, format=fmt) as tar:
        for name, kind, payload in members:
            info = tarfile.TarInfo(name)
            info.mtime = 1_700_000_000
            if kind == "file":
                info.size, info.mode = len(payload), 0o755
                tar.addfile(info, io.BytesIO(payload))
                continue
            info.type = {"dir": tarfile.DIRTYPE, "symlink": tarfile.SYMTYPE, "hardlink": tarfile.LNKTYPE}[kind]
            info.linkname = payload if kind != "dir" else ""
            tar.addfile(info)
    return path


def unpacked(path: Path, into: Path) -> Path:
    from pyshim.install.unpack import unpack

    return unpack(path, into)


LONG = "python/lib/" + "/".join(["a-rather-long-folder-name"] * 8) + "/module_with_a_long_name.py"


@pytest.mark.parametrize("fmt, mode", [(tarfile.PAX_FORMAT, "w:gz"), (tarfile.GNU_FORMAT, "w:xz"),
                                       (tarfile.USTAR_FORMAT, "w:bz2"), (tarfile.GNU_FORMAT, "w")])
def test_the_tar_reader_reads_every_layout_an_archive_uses(fmt: int, mode: str, tmp_path: Path) -> None:
    """ustar (long names in the prefix field), GNU (././@LongLink) and pax headers; gzip, xz,
    bzip2 and plain tar; links, hard links, modes and mtimes, as tarfile reads them."""
    name = LONG if fmt != tarfile.USTAR_FORMAT else "python/lib/" + "d" * 90 + "/" + "m" * 90 + ".py"
    members = [("python", "dir", b""), ("python/bin/python3.12", "file", b"#!/bin/sh\necho hi\n"),
               ("python/bin/python3", "symlink", "python3.12"), (name, "file", b"x" * 70_000),
               ("python/lib/again", "hardlink", "python/bin/python3.12"), ("python/lib/empty", "file", b"")]
    top = unpacked(tar_of(tmp_path / f"a.tar{mode[2:] and '.' + mode[2:]}", members, fmt, mode), tmp_path / "out")
    assert top == tmp_path / "out" / "python"
    assert os.readlink(top / "bin" / "python3") == "python3.12"
    assert (top.parent / name).read_bytes() == b"x" * 70_000
    assert os.stat(top / "lib" / "again").st_ino == os.stat(top / "bin" / "python3.12").st_ino
    info = os.stat(top / "bin" / "python3.12")
    assert info.st_mode & 0o777 == 0o755 and info.st_mtime == 1_700_000_000
    assert (top / "lib" / "empty").read_bytes() == b""


def test_a_chain_completed_later_cannot_lead_out(tmp_path: Path) -> None:
    """`a -> b/../..` is inside while `b` does not exist; once `b -> .` is written it leads out.
    Writing through `a` is refused, and so is the finished chain itself."""
    from pyshim.base.errors import InstallError

    chain = [("python/a", "symlink", "b/../.."), ("python/b", "symlink", ".")]
    for extra in ([("python/a/escaped", "file", b"pwned")], []):
        path = tar_of(tmp_path / f"chain{len(extra)}.tar.gz", chain + extra)
        with pytest.raises(InstallError, match="outside its folder; refusing"):
            unpacked(path, tmp_path / f"out{len(extra)}")
        assert not (tmp_path / "escaped").exists()


def test_broken_archives_are_one_clear_error(tmp_path: Path, archive: Path) -> None:
    from pyshim.base.errors import InstallError

    data = archive.read_bytes()
    (tmp_path / "cut.tar.gz").write_bytes(data[: len(data) // 3])
    with pytest.raises(InstallError, match="is not a readable archive"):
        unpacked(tmp_path / "cut.tar.gz", tmp_path / "out1")
    plain = tar_of(tmp_path / "plain.tar", [("python/x", "file", b"data")], mode="w")
    raw = bytearray(plain.read_bytes())
    raw[10] ^= 0xFF  # inside the first header block: its checksum no longer holds
    (tmp_path / "flipped.tar").write_bytes(bytes(raw))
    with pytest.raises(InstallError, match="bad header checksum"):
        unpacked(tmp_path / "flipped.tar", tmp_path / "out2")
    twice = tar_of(tmp_path / "twice.tar.gz", [("python/x", "file", b"one"), ("python/x", "file", b"two")])
    assert (unpacked(twice, tmp_path / "out3") / "x").read_bytes() == b"two"  # as tar: the later one wins


def test_the_header_checksum_sum_is_exact() -> None:
    """The byte sum a header checksum needs, from Adler-32 and the parity, equals `sum` for any
    512-byte block (the largest sums exceed 65521, the modulus)."""
    import random

    from pyshim.install.unpack import _byte_sum

    rng = random.Random(15)
    blocks = [bytes([value]) * 512 for value in (0, 1, 127, 128, 255)]
    blocks += [bytes(rng.choice((0, 255, rng.getrandbits(8))) for _ in range(512)) for _ in range(2000)]
    assert [_byte_sum(block) for block in blocks] == [sum(block) for block in blocks]


def test_a_checked_gzip_is_inflated_without_its_crc(tmp_path: Path) -> None:
    """An archive whose SHA-256 was checked is inflated raw (its CRC-32 not computed): the same
    files come out, from several concatenated gzip members and headers with optional fields; an
    archive nobody checked still has its CRC-32 checked, and a cut one is an error either way."""
    import gzip

    from pyshim.base.errors import InstallError
    from pyshim.install.unpack import unpack

    tar = tar_of(tmp_path / "a.tar", [("python/lib/x.py", "file", b"x = 1\n" * 50_000),
                                      ("python/bin/python3", "file", b"#!/bin/sh\n")], mode="w").read_bytes()
    named = io.BytesIO()
    with gzip.GzipFile("inner.tar", "wb", fileobj=named, mtime=0) as second:  # FNAME set
        second.write(tar[len(tar) // 3:])
    path = tmp_path / "two-members.tar.gz"
    path.write_bytes(gzip.compress(tar[:len(tar) // 3]) + named.getvalue())
    for verified in (False, True):
        top = unpack(path, tmp_path / f"out-{verified}", verified)
        assert (top / "lib" / "x.py").read_bytes() == b"x = 1\n" * 50_000
    data = bytearray(path.read_bytes())
    data[-8] ^= 0xFF  # the last member's CRC-32
    path.write_bytes(bytes(data))
    assert (unpack(path, tmp_path / "crc-unchecked", True) / "bin" / "python3").exists()
    with pytest.raises(InstallError, match="not a readable archive"):
        unpack(path, tmp_path / "crc-checked")
    path.write_bytes(bytes(data[:len(data) // 2]))
    with pytest.raises(InstallError, match="not a readable archive"):
        unpack(path, tmp_path / "cut", True)


@pytest.fixture
def only_311(tmp_path: Path) -> Dict[str, str]:
    """A pyenv root with this machine's 3.11 alone, so 3.12 is not installed (and the shims exist)."""
    root = tmp_path / "pyenv-311"
    (root / "versions").mkdir(parents=True)
    (root / "versions" / version_named("3.11")).symlink_to(machine_versions()[version_named("3.11")])
    return {"PYENV_ROOT": str(root)}


@pytest.fixture
def catalog_312(server: Server, archive: Path, tmp_path: Path, only_311: Dict[str, str]) -> Dict[str, str]:
    return {**only_311, **catalog(tmp_path, {"c": entry(f"{server.url}/{archive.name}", sha256(archive),
                                                         version_named("3.12"))})}


def test_venv_install_installs_what_it_is_built_for(server: Server, catalog_312: Dict[str, str], work_dir: Path) -> None:
    v312 = version_named("3.12")
    refused = run_pyshim("venv", "v", "--python", "3.12", "--without-pip", env=catalog_312)
    assert refused.returncode == 1 and "`pyshim install 3.12`" in refused.stderr and server.asked == []
    assert refused.stderr.count("\n") == 1 and not (work_dir / "v").exists()
    built = run_pyshim("venv", "v", "--python", "3.12", "--without-pip", "--install", env=catalog_312)
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith(f"created {work_dir / 'v'} (CPython {v312}, {versions_dir() / v312}/bin/"), built.stdout
    assert "installing 3.12 (asked for by --python, not installed; --install)" in built.stderr
    assert f"installed {v312} (Python {v312})" in built.stderr and "installed" not in built.stdout
    ran = subprocess.run([str(work_dir / "v" / "bin" / "python"), "-c", "import sys; print(sys.base_prefix)"],
                         capture_output=True, text=True)
    assert ran.stdout.strip() == str(versions_dir() / v312), ran.stderr
    (work_dir / "p").mkdir()
    (work_dir / "p" / ".python-version").write_text("3.12\n")
    again = run_pyshim("venv", "v2", "--without-pip", "--install", cwd=work_dir / "p", env=catalog_312)
    assert again.returncode == 0 and "installing" not in again.stderr and len(server.asked) == 1, again.stderr


def test_a_shim_installs_what_the_version_file_names_with_auto_install(server: Server, catalog_312: Dict[str, str],
                                                                     work_dir: Path) -> None:
    """The shim's fast path does not know 3.12 and hands it to `pyshim exec`, which installs it
    under PYSHIM_AUTO_INSTALL=1; the program's stdout is its own, the install speaks on stderr."""
    assert run_pyshim("rehash", env=catalog_312).returncode == 0
    shim = Path(os.environ["PYSHIM_ROOT"]) / "shims" / "python"
    (work_dir / ".python-version").write_text("3.12\n")
    env = {**os.environ, **catalog_312, "PWD": str(work_dir)}
    command = [str(shim), "-c", "import sys; print(sys.prefix)"]
    off = subprocess.run(command, env=env, capture_output=True, text=True)
    assert off.returncode == 1 and off.stdout == "" and "`pyshim install 3.12`" in off.stderr and server.asked == []
    bad = subprocess.run(command, env={**env, "PYSHIM_AUTO_INSTALL": "maybe"}, capture_output=True, text=True)
    assert bad.returncode == 2 and "PYSHIM_AUTO_INSTALL is 'maybe', neither on nor off" in bad.stderr
    assert bad.stderr.count("\n") == 1 and server.asked == []
    on = subprocess.run(command, env={**env, "PYSHIM_AUTO_INSTALL": "1"}, capture_output=True, text=True)
    v312 = version_named("3.12")
    assert on.returncode == 0, on.stderr
    assert on.stdout == f"{versions_dir() / v312}\n"  # the program's output, nothing else
    assert "pyshim: installing 3.12 (asked for by " in on.stderr and f"installed {v312}" in on.stderr
    fast = subprocess.run(command, env={**env, "PYSHIM_AUTO_INSTALL": "1", "PYSHIM_DEBUG_SHIM": "1"},
                          capture_output=True, text=True)
    assert fast.stdout == on.stdout and "pyshim-shim: fast" in fast.stderr and len(server.asked) == 1


def test_local_with_auto_install_and_install_without_arguments(server: Server, catalog_312: Dict[str, str],
                                                               work_dir: Path) -> None:
    v312 = version_named("3.12")
    forced = run_pyshim("local", "3.12", "--force", env={**catalog_312, "PYSHIM_AUTO_INSTALL": "1"})
    assert forced.returncode == 0 and server.asked == [] and visible_entries() == []  # --force writes it as it is
    installed = run_pyshim("install", env=catalog_312)  # what .python-version names, as `pyenv install`
    assert installed.returncode == 0 and f"installed {v312}" in installed.stdout, installed.stderr
    assert visible_entries() == [v312]
    nothing = run_pyshim("install", env=catalog_312)
    assert nothing.returncode == 0 and "everything the selection names is installed" in nothing.stderr
    assert run_pyshim("uninstall", v312).returncode == 0
    (work_dir / ".python-version").unlink()
    pinned = run_pyshim("local", "3.12", env={**catalog_312, "PYSHIM_AUTO_INSTALL": "yes"})
    assert pinned.returncode == 0 and f"installed {v312}" in pinned.stderr and pinned.stdout == "", pinned.stderr
    assert (work_dir / ".python-version").read_text() == "3.12\n" and visible_entries() == [v312]
    failed = run_pyshim("local", "3.99", env={**catalog_312, "PYSHIM_AUTO_INSTALL": "1"})
    assert failed.returncode == 1 and "no build matches '3.99'" in failed.stderr
    assert (work_dir / ".python-version").read_text() == "3.12\n"  # nothing the user had is lost


def test_the_probe_cached_by_an_install_is_what_a_probe_there_says(archive: Path) -> None:
    """The check probe's answer is stored for the final folder, so the rehash probes nothing; it
    must be what running the interpreter there says."""
    from pyshim.interpreters import cache
    from pyshim.interpreters.pyinfo import Candidate, Source, run_probe

    assert run_pyshim("install", str(archive)).returncode == 0
    executable = str(versions_dir() / version_named("3.12") / "bin" / "python")
    stored = cache.lookup(cache.load(), executable, cache.fingerprint(executable))
    assert stored is not None and stored == run_probe(Candidate(executable, Source.PYSHIM, version_named("3.12")))


def test_several_installs_run_in_parallel_processes(archive: Path, archive_311: Path, tmp_path: Path) -> None:
    """Two requests: the first is installed by the parent, the other by a process of its own
    (started without `site`, on the parent's sys.path); the parent reports both and rehashes
    once; a request that matches nothing fails alone. Run through the `pyshim` script pip
    installs (src/bin/pyshim), which a child process must not run again."""
    served = Server({archive.name: archive, archive_311.name: archive_311})
    try:
        env = catalog(tmp_path, {"a": entry(f"{served.url}/{archive.name}", sha256(archive), version_named("3.12")),
                                 "b": entry(f"{served.url}/{archive_311.name}", sha256(archive_311),
                                            version_named("3.11"))})
        script = Path(__file__).resolve().parents[1] / "src" / "bin" / "pyshim"
        result = subprocess.run([sys.executable, str(script), "install", "3.12", "3.11", "3.98"],
                                env={**os.environ, **env}, capture_output=True, text=True, timeout=600)
    finally:
        served.close()
    assert result.returncode == 1 and result.stderr.count("no build matches '3.98'") == 1, result.stderr
    for name in (version_named("3.12"), version_named("3.11")):
        assert f"installed {name} (Python {name})" in result.stdout
        ran = subprocess.run([str(versions_dir() / name / "bin" / "python3"), "-c", "import venv"], capture_output=True)
        assert ran.returncode == 0, ran.stderr
    assert sorted(visible_entries()) == sorted([version_named("3.12"), version_named("3.11")])
    assert (Path(os.environ["PYSHIM_ROOT"]) / "shims" / "python3.11").exists()


def test_an_install_that_finds_its_version_still_sweeps_what_a_killed_one_left(server: Server, archive: Path,
                                                                                tmp_path: Path) -> None:
    """`pyshim install 3.12` when 3.12 is there already says so, and still removes the unpack
    folder of an install that was killed (its process gone); one of a live process stays."""
    env = dict(os.environ, **catalog(tmp_path, {"c": entry(f"{server.url}/{archive.name}", sha256(archive),
                                                           version_named("3.12"))}))
    assert subprocess.run([sys.executable, "-m", "pyshim", "install", "3.12"], env=env).returncode == 0
    gone = subprocess.Popen(["true"])
    gone.wait()
    killed = versions_dir() / f".install.{gone.pid}.1.unpack"
    running = versions_dir() / f".install.{os.getpid()}.1.unpack"
    for folder in (killed, running):
        (folder / "archive").mkdir(parents=True)
    again = subprocess.run([sys.executable, "-m", "pyshim", "install", "3.12"], env=env, capture_output=True, text=True)
    assert again.returncode == 0 and "already installed" in again.stdout, again
    assert not killed.exists() and running.exists()
