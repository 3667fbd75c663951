"""Seeding pip from the target's ensurepip wheel: the verified wheel cache, hard links, console
scripts and their shebangs, INSTALLER/RECORD, and real pip uninstalling and upgrading the result."""

from __future__ import annotations

import csv
import os
import subprocess
from pathlib import Path

import pytest

import pyshim.venv
from pyshim.base.errors import VenvError
from pyshim.venv import seed, wheel_cache

from helpers import build_tiny_wheel


def pip_files(env: Path, minor: str):
    site = env / "lib" / f"python{minor}" / "site-packages"
    return site, sorted(site.glob("pip-*.dist-info"))[0]


def cache_entries() -> list:
    return sorted(p for p in Path(wheel_cache.wheels_dir()).iterdir() if p.is_dir() and not p.name.startswith("."))


def test_second_venv_links_the_cached_files(work_dir: Path) -> None:
    pyshim.venv.create("one", python="3.12", with_pip=True, symlinks=True)
    pyshim.venv.create("two", python="3.12", with_pip=True, symlinks=True)
    [entry] = cache_entries()
    cached = entry / "files" / "pip" / "__init__.py"
    one, two = (work_dir / name / "lib" / "python3.12" / "site-packages" / "pip" / "__init__.py" for name in ("one", "two"))
    assert os.stat(one).st_ino == os.stat(two).st_ino == os.stat(cached).st_ino
    assert os.stat(cached).st_nlink == 3


def test_a_venv_file_edited_in_place_is_detected_and_never_linked_again(work_dir: Path) -> None:
    pyshim.venv.create("one", python="3.12", with_pip=True, symlinks=True)
    [entry] = cache_entries()
    original = (entry / "files" / "pip" / "__init__.py").read_bytes()
    with open(work_dir / "one" / "lib" / "python3.12" / "site-packages" / "pip" / "__init__.py", "ab") as handle:
        handle.write(b"\nraise SystemExit('edited')\n")  # in place: the inode the cache shares
    assert wheel_cache.load_entry(entry) is None
    pyshim.venv.create("two", python="3.12", with_pip=True, symlinks=True)
    fresh = work_dir / "two" / "lib" / "python3.12" / "site-packages" / "pip" / "__init__.py"
    assert fresh.read_bytes() == original
    assert subprocess.run([str(work_dir / "two" / "bin" / "pip"), "--version"], capture_output=True).returncode == 0
    assert sorted(p.name for p in Path(wheel_cache.wheels_dir()).iterdir() if not p.name.endswith(".lock")) == [entry.name]


@pytest.mark.parametrize("damage", ["no manifest", "truncated file", "missing file"])
def test_a_half_written_or_damaged_entry_is_rebuilt(work_dir: Path, damage: str) -> None:
    pyshim.venv.create("one", python="3.12", with_pip=True, symlinks=True)
    [entry] = cache_entries()
    target = entry / "files" / "pip" / "_internal" / "main.py"
    if damage == "no manifest":
        (entry / wheel_cache.MANIFEST).unlink()
    elif damage == "truncated file":
        os.truncate(target, 1)
    else:
        target.unlink()
    pyshim.venv.create("two", python="3.12", with_pip=True, symlinks=True)
    result = subprocess.run([str(work_dir / "two" / "bin" / "python"), "-m", "pip", "--version"], capture_output=True)
    assert result.returncode == 0, result.stderr
    assert wheel_cache.load_entry(entry) is not None


def test_a_manifest_naming_a_path_outside_the_entry_is_rebuilt_not_linked(work_dir: Path) -> None:
    """The manifest is untrusted input: a row that climbs out of the entry (`..`) would link a
    file from anywhere into the venv, or a venv file to anywhere."""
    pyshim.venv.create("one", python="3.12", with_pip=True, symlinks=True)
    [entry] = cache_entries()
    secret = work_dir / "secret.txt"
    secret.write_text("not pip\n")
    manifest = entry / wheel_cache.MANIFEST
    lines = manifest.read_text(encoding="utf-8").split("\n")
    lines.insert(3, f"f\t../../../../../..{secret}\t{secret.stat().st_size}\t{secret.stat().st_mtime_ns}\tsha256=x")
    manifest.write_text("\n".join(lines), encoding="utf-8")
    assert wheel_cache.load_entry(entry) is None
    pyshim.venv.create("two", python="3.12", with_pip=True, symlinks=True)
    assert secret.stat().st_nlink == 1
    assert "secret" not in (entry / wheel_cache.MANIFEST).read_text(encoding="utf-8")
    assert not list((work_dir / "two").rglob("secret.txt"))


def test_record_lists_every_file_and_installer_is_pyshim(work_dir: Path) -> None:
    pyshim.venv.create("env", python="3.11", seed=("pip", "setuptools"), with_pip=True, symlinks=True)
    site, dist_info = pip_files(work_dir / "env", "3.11")
    assert (dist_info / "INSTALLER").read_text() == "pyshim\n"
    rows = list(csv.reader((dist_info / "RECORD").read_text().splitlines()))
    listed = {os.path.normpath(site / row[0]) for row in rows}
    on_disk = {os.path.normpath(p) for p in site.rglob("*") if p.is_file() and
               os.path.relpath(p, site).split(os.sep)[0] in ("pip", dist_info.name)}
    on_disk |= {str(work_dir / "env" / "bin" / name) for name in ("pip", "pip3", "pip3.11")}
    assert listed == on_disk
    assert all(row[1].startswith("sha256=") for row in rows if not row[0].endswith("RECORD"))
    assert (site / "setuptools").is_dir() and sorted(site.glob("setuptools-*.dist-info"))


def test_pip_can_uninstall_and_reinstall_what_pyshim_seeded(work_dir: Path) -> None:
    builder = pyshim.venv.create("env", python="3.13", with_pip=True, symlinks=True)
    env = work_dir / "env"
    wheel = seed.bundled_wheels(builder.target)["pip"]
    pip = [str(env / "bin" / "python"), "-m", "pip", "--disable-pip-version-check"]
    reinstall = subprocess.run(pip + ["install", "--no-index", "--find-links", os.path.dirname(wheel),
                                      "--force-reinstall", "pip"], capture_output=True, text=True)
    assert reinstall.returncode == 0, reinstall.stderr
    assert "Successfully uninstalled pip" in reinstall.stdout
    site, dist_info = pip_files(env, "3.13")
    assert not (dist_info / "INSTALLER").read_text() == "pyshim\n"  # pip's own install now
    removed = subprocess.run(pip + ["uninstall", "-y", "pip"], capture_output=True, text=True)
    assert removed.returncode == 0, removed.stderr
    assert not (site / "pip").exists() and not (env / "bin" / "pip").exists()


def test_setuptools_is_refused_where_it_is_not_bundled(work_dir: Path) -> None:
    with pytest.raises(VenvError, match="does not bundle setuptools"):
        pyshim.venv.create("env", python="3.12", seed=("pip", "setuptools"), with_pip=True, symlinks=True)
    assert os.listdir(work_dir) == []


def test_long_paths_go_through_the_sh_trick(work_dir: Path) -> None:
    env = work_dir / ("long-" * 30) / "env"
    pyshim.venv.create(env, python="3.12", with_pip=True, symlinks=True)
    script = (env / "bin" / "pip").read_text()
    assert script.startswith("#!/bin/sh\n'''exec' ")
    result = subprocess.run([str(env / "bin" / "pip"), "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and str(env) in result.stdout


def test_short_plain_paths_get_a_plain_shebang() -> None:
    assert seed.shebang("/usr/bin/python3") == "#!/usr/bin/python3"
    assert seed.shebang("/" + "é" * 60 + "/python").startswith("#!/bin/sh")  # 127 is counted in bytes


@pytest.mark.parametrize("folder", ["a b", "$HOME `id` \"q\" 's' \\ end", "x" * 130])
def test_sh_trick_execs_the_interpreter_for_any_path(tmp_path: Path, folder: str) -> None:
    import warnings

    interpreter = tmp_path / folder / "python"
    interpreter.parent.mkdir()
    interpreter.write_text('#!/bin/sh\nprintf "ran %s" "$1"\n')  # stands in for python: shows what it got
    interpreter.chmod(0o755)
    script = tmp_path / "tool"
    script.write_text(seed.render_script(str(interpreter), "pip._internal.cli.main:main"))
    script.chmod(0o755)
    assert script.read_text().startswith("#!/bin/sh\n")
    result = subprocess.run([str(script)], capture_output=True, text=True)
    assert result.stdout == f"ran {script}", result.stderr
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compile(script.read_text(), str(script), "exec")  # and Python reads it without a warning


def test_a_wheel_whose_files_do_not_match_its_record_is_refused(tmp_path: Path) -> None:
    import zipfile

    wheel = build_tiny_wheel(tmp_path)
    damaged = tmp_path / "damaged" / wheel.name
    damaged.parent.mkdir()
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, b"VALUE = 666\n" if item.filename.endswith("__init__.py") else data)
    with pytest.raises(VenvError, match="does not match the wheel's RECORD"):
        wheel_cache.cached_wheel(str(damaged))
    assert [p for p in Path(wheel_cache.wheels_dir()).iterdir() if not p.name.endswith(".lock")] == []
    entry = wheel_cache.cached_wheel(str(wheel))
    assert (Path(entry.files_dir) / "tinypkg" / "__init__.py").read_bytes() == b"VALUE = 42\n"


@pytest.mark.parametrize("data", [b"", b"pip\n" * 1000, bytes(range(256))])
def test_record_hash_is_the_wheel_spec_hash(data: bytes) -> None:
    import base64
    import hashlib

    expected = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    assert wheel_cache.record_hash(data) == expected


def test_an_unwritable_cache_still_seeds_pip(work_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = pyshim.venv.EnvBuilder(python="3.12").target  # discovery needs its own (probe) cache
    blocker = work_dir.parent / "not-a-folder"
    blocker.write_text("the cache path is a file, so nothing can be created under it")
    monkeypatch.setenv("PYSHIM_CACHE_DIR", str(blocker))
    builder = pyshim.venv.EnvBuilder(python=target, with_pip=True, symlinks=True)
    builder.create("env")
    result = subprocess.run([str(work_dir / "env" / "bin" / "pip"), "--version"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert sorted(os.listdir(work_dir / "env" / "lib" / "python3.12")) == ["site-packages"]
