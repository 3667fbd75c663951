"""Replacing and refusing what is at a venv's path (issue 11): `--clear` only on what looks like
a venv, one replacement of a path at a time, true messages and exit statuses, trust only for
what pyshim built, no leftovers, and a full disk or cache reported as what it is.

Everything runs the real CLI or the real builder against the machine's interpreters; full file
systems are small tmpfs mounts (root only: the suite runs as root in CI)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator, List

import pytest

from conftest import mounted_tmpfs, version_named

from pyshim.base.errors import VenvError
from pyshim.venv import EnvBuilder, create
from pyshim.shell.project import is_trusted


@pytest.fixture
def small_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 3 MiB tmpfs mounted for this test only."""
    with mounted_tmpfs(tmp_path / "small", "3m") as mount:
        yield mount


def fill(folder: Path) -> None:
    """Write into `folder` until its file system is full."""
    with open(folder / "filler", "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    for n in range(10000):  # and the last blocks and inodes
        try:
            (folder / f"f{n}").write_bytes(b"x")
        except OSError:
            break


def hidden_siblings(folder: Path) -> List[str]:
    return sorted(name for name in os.listdir(folder) if name.startswith("."))


# -- --clear only on what looks like a venv ---------------------------------------------------

def test_clear_refuses_a_folder_with_an_empty_pyvenv_cfg(pyshim, work_dir: Path) -> None:
    (work_dir / "fk" / "src").mkdir(parents=True)
    (work_dir / "fk" / "src" / "main.py").write_text("x\n")
    (work_dir / "fk" / "pyvenv.cfg").write_text("")
    result = pyshim("venv", "--clear", "fk", "--without-pip", "--python", "3.12")
    assert result.returncode == 1, result.stdout
    assert result.stderr.count("\n") == 1
    assert "src" in result.stderr and "--force" in result.stderr and "home" in result.stderr
    assert (work_dir / "fk" / "src" / "main.py").read_text() == "x\n"
    assert sorted(os.listdir(work_dir)) == ["fk"]
    forced = pyshim("venv", "--clear", "--force", "fk", "--without-pip", "--python", "3.12")
    assert forced.returncode == 0, forced.stderr
    assert not (work_dir / "fk" / "src").exists()


def test_clear_refuses_a_real_venv_holding_something_else(pyshim, work_dir: Path) -> None:
    assert pyshim("venv", "env", "--without-pip", "--python", "3.12").returncode == 0
    (work_dir / "env" / "notes.txt").write_text("mine\n")
    (work_dir / "env" / "src").mkdir()
    result = pyshim("venv", "--clear", "env", "--without-pip", "--python", "3.12")
    assert result.returncode == 1
    assert "notes.txt" in result.stderr and "src" in result.stderr and "--force" in result.stderr
    assert "bin" not in result.stderr.split("delete")[-1]  # only what is not the venv's own is listed
    assert (work_dir / "env" / "notes.txt").read_text() == "mine\n"


def test_a_home_with_a_stray_pyvenv_cfg_is_not_emptied(pyshim, work_dir: Path) -> None:
    home = Path(os.environ["HOME"])
    (home / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (home / "thesis.tex").write_text("years of work\n")
    result = pyshim("venv", "--clear", str(home), "--without-pip", "--python", "3.12")
    assert result.returncode == 1 and "thesis.tex" in result.stderr
    assert (home / "thesis.tex").exists()


def test_clear_replaces_a_venv_with_only_its_own_entries(pyshim, work_dir: Path) -> None:
    assert pyshim("venv", "env", "--python", "3.12").returncode == 0
    (work_dir / "env" / "share").mkdir()
    cleared = pyshim("venv", "--clear", "env", "--without-pip", "--python", "3.11")
    assert cleared.returncode == 0, cleared.stderr
    assert f"version = {version_named('3.11')}" in (work_dir / "env" / "pyvenv.cfg").read_text()
    assert sorted(os.listdir(work_dir)) == ["env"]


# -- one replacement of a path at a time ------------------------------------------------------

def venv_is_complete(env: Path, with_pip: bool) -> str:
    """"" when `env` is a whole venv, else what is wrong with it."""
    for needed in ["pyvenv.cfg", "bin/activate", "bin/python"] + (["bin/pip"] if with_pip else []):
        if not (env / needed).exists():
            return f"{needed} missing"
    prefix = subprocess.run([str(env / "bin" / "python"), "-c", "import sys; print(sys.prefix)"],
                            capture_output=True, text=True).stdout.strip()
    return "" if prefix == str(env) else f"sys.prefix {prefix!r}"


@pytest.mark.parametrize("with_pip", [False, True])
def test_concurrent_clears_of_one_path_each_replace_it_whole(work_dir: Path, with_pip: bool) -> None:
    python = EnvBuilder(python="3.12").target.executable
    subprocess.run([sys.executable, "-m", "pyshim", "venv", "env", "--python", python], check=True,
                   capture_output=True)
    rounds, processes = (6, 8) if with_pip else (8, 8)
    for round_ in range(rounds):
        command = [sys.executable, "-m", "pyshim", "venv", "--clear", "env", "--python", python]
        if not with_pip:
            command.append("--without-pip")
        running = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                   for _ in range(processes)]
        results = [(p.wait(timeout=120), *p.communicate()) for p in running]
        for status, out, err in results:
            assert status == 0, f"round {round_}: {err}"
            assert out.startswith("created "), out
        assert venv_is_complete(work_dir / "env", with_pip) == "", f"round {round_}"
        assert sorted(os.listdir(work_dir)) == ["env"], f"round {round_}: leftovers"


def test_concurrent_creations_one_wins_the_others_say_so(work_dir: Path) -> None:
    python = EnvBuilder(python="3.12").target.executable
    command = [sys.executable, "-m", "pyshim", "venv", "env", "--python", python, "--without-pip"]
    running = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(6)]
    results = [(p.wait(timeout=120), *p.communicate()) for p in running]
    assert sorted(status for status, _, _ in results) == [0, 1, 1, 1, 1, 1]
    for status, _, err in results:
        if status:
            assert "already a venv" in err, err
    assert venv_is_complete(work_dir / "env", False) == ""
    assert sorted(os.listdir(work_dir)) == ["env"]


# -- trust ------------------------------------------------------------------------------------

def test_upgrade_of_a_hand_made_venv_does_not_allow_it(pyshim, work_dir: Path) -> None:
    python = EnvBuilder(python="3.12").target.executable
    subprocess.run([python, "-m", "venv", "--without-pip", str(work_dir / ".venv")], check=True)
    activate = (work_dir / ".venv" / "bin" / "activate").read_bytes()
    result = pyshim("venv", ".venv", "--upgrade", "--python", "3.12", "--without-pip", cwd=work_dir)
    assert result.returncode == 0, result.stderr
    assert not is_trusted(work_dir / ".venv")
    assert (work_dir / ".venv" / "bin" / "activate").read_bytes() == activate
    assert "pyshim allow" in result.stdout + result.stderr
    built = pyshim("venv", "fresh", "--python", "3.12", "--without-pip", cwd=work_dir)
    assert built.returncode == 0 and is_trusted(work_dir / "fresh")


# -- true messages, no leftovers --------------------------------------------------------------

def test_a_full_target_disk_names_the_target(pyshim, small_tmpfs: Path) -> None:
    fill(small_tmpfs)
    result = pyshim("venv", str(small_tmpfs / "env"), "--python", "3.12")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert str(small_tmpfs / "env") in result.stderr and "No space left" in result.stderr
    assert os.environ["PYSHIM_CACHE_DIR"] not in result.stderr  # the cache is not what is full
    assert not (small_tmpfs / "env").exists() and hidden_siblings(small_tmpfs) == []


def test_a_full_cache_folder_falls_back_to_unpacking_in_the_venv(pyshim, work_dir: Path, small_tmpfs: Path) -> None:
    python = EnvBuilder(python="3.12").target.executable
    fill(small_tmpfs)
    result = pyshim("venv", "env", "--python", python, env={"PYSHIM_CACHE_DIR": str(small_tmpfs / "cache")})
    assert result.returncode == 0, result.stderr
    assert venv_is_complete(work_dir / "env", True) == ""
    assert subprocess.run([str(work_dir / "env" / "bin" / "pip"), "--version"], capture_output=True).returncode == 0


def test_an_allow_marker_that_cannot_be_written_is_a_warning(pyshim, work_dir: Path) -> None:
    root = Path(os.environ["PYSHIM_ROOT"])
    root.mkdir(parents=True, exist_ok=True)
    (root / "allowed").write_text("a file where the allow tree should be")
    result = pyshim("venv", "env", "--python", "3.12", "--without-pip")
    assert result.returncode == 0, result.stderr
    assert "warning" in result.stderr and "pyshim allow" in result.stderr
    assert venv_is_complete(work_dir / "env", False) == ""


def test_interrupt_after_commit_is_either_rolled_back_or_reported_done(work_dir: Path) -> None:
    """SIGINT at many moments of a --clear: exit 130 means the old venv is back, exit 0 means
    the new one is in place; never a mix, never leftovers."""
    python = EnvBuilder(python="3.12").target.executable
    subprocess.run([sys.executable, "-m", "pyshim", "venv", "env", "--python", python, "--without-pip"], check=True)
    (work_dir / "env" / "old-marker").mkdir()  # present only in the old venv
    import random

    rng = random.Random(11)
    seen = set()
    for attempt in range(24):
        marker_before = (work_dir / "env" / "old-marker").exists()
        process = subprocess.Popen([sys.executable, "-m", "pyshim", "venv", "--clear", "--force", "env", "--python",
                                    python, "--without-pip"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.05, 0.6))
        process.send_signal(signal.SIGINT)
        status = process.wait(timeout=60)
        out, err = process.communicate()
        seen.add(status)
        # other statuses only when Python itself was still starting (before pyshim's code ran)
        python_starting = status != 0 and ("KeyboardInterrupt" in err or err == "") and "pyshim:" not in err
        assert status in (0, 130) or python_starting, (status, err)
        if status != 0:
            assert (work_dir / "env" / "old-marker").exists() == marker_before, (status, out, err)
        else:
            assert not (work_dir / "env" / "old-marker").exists() and out.startswith("created"), (out, err)
        if (work_dir / "env").exists():
            assert venv_is_complete(work_dir / "env", False) == "", (status, err)
        assert sorted(os.listdir(work_dir)) in (["env"], []), os.listdir(work_dir)
        if not (work_dir / "env").exists():  # interrupted before anything existed: build it again
            subprocess.run([sys.executable, "-m", "pyshim", "venv", "env", "--python", python, "--without-pip"],
                           check=True)
        if not (work_dir / "env" / "old-marker").exists():
            (work_dir / "env" / "old-marker").mkdir()


def test_leftovers_of_killed_runs_are_cleaned_by_a_later_run(work_dir: Path) -> None:
    create("env", python="3.12", with_pip=False)
    for leftover in (".env.0badc0de.pyshim-tmp", ".env.1badc0de.pyshim-old"):
        (work_dir / leftover / "venv" / "bin").mkdir(parents=True)
    create("env", python="3.12", with_pip=False, clear=True)
    assert sorted(os.listdir(work_dir)) == ["env"]


def test_a_venv_lost_between_the_two_renames_is_put_back(work_dir: Path) -> None:
    """A kill between moving the old venv aside and moving the new one in leaves only the trash:
    a later run puts the user's venv back before deciding anything."""
    create("env", python="3.12", with_pip=False)
    (work_dir / "env" / "lib" / "python3.12" / "site-packages" / "mine.py").write_text("")
    trash = work_dir / ".env.2badc0de.pyshim-old"
    trash.mkdir()
    os.rename(work_dir / "env", trash / "venv")
    with pytest.raises(VenvError, match="already a venv"):  # the `pyshim venv` command's rules
        EnvBuilder(python="3.12", strict=True).create("env")
    assert (work_dir / "env" / "lib" / "python3.12" / "site-packages" / "mine.py").exists()
    assert sorted(os.listdir(work_dir)) == ["env"]


def test_stale_wheel_cache_builds_are_cleaned(work_dir: Path) -> None:
    from pyshim.venv import wheel_cache

    create("one", python="3.12", with_pip=True, symlinks=True)
    wheels = Path(wheel_cache.wheels_dir())
    [entry] = [p for p in wheels.iterdir() if p.is_dir() and not p.name.startswith(".")]
    stale = wheels / f".{entry.name}.k1ll3d.tmp"
    (stale / "files").mkdir(parents=True)
    other = wheels / ".setuptools-0-py3-none-any-00000000-0-0.abc.tmp"
    other.mkdir()
    old = time.time() - 3600
    for path in (stale, other):
        os.utime(path, (old, old))
    fresh = wheels / f".{entry.name}.running.tmp"
    fresh.mkdir()  # young: may belong to a build in progress
    (entry / wheel_cache.MANIFEST).unlink()  # force a rebuild, which sweeps
    create("two", python="3.12", with_pip=True, symlinks=True)
    names = sorted(p.name for p in wheels.iterdir())
    assert stale.name not in names and other.name not in names
    assert fresh.name in names


def test_rm_of_a_symlinked_named_venv_leaves_nothing_and_keeps_the_target(pyshim, tmp_path: Path) -> None:
    real = tmp_path / "elsewhere"
    create(real, python="3.12", with_pip=False)
    venvs = Path(os.environ["PYSHIM_ROOT"]) / "venvs"
    venvs.mkdir(parents=True)
    (venvs / "linked").symlink_to(real)
    (venvs / ".gone.pyshim-removing-999999999").mkdir()  # a --rm killed long ago (no such pid)
    result = pyshim("venv", "--rm", "linked")
    assert result.returncode == 0, result.stderr
    assert os.listdir(venvs) == []
    assert (real / "pyvenv.cfg").is_file()


def test_a_mount_point_is_refused_without_leftovers(pyshim, small_tmpfs: Path) -> None:
    empty = pyshim("venv", str(small_tmpfs), "--python", "3.12", "--without-pip")
    assert empty.returncode == 1 and "mount point" in empty.stderr, empty.stderr
    assert hidden_siblings(small_tmpfs.parent) == [] and os.listdir(small_tmpfs) == []
    import shutil

    made = pyshim("venv", str(small_tmpfs.parent / "built"), "--python", "3.12", "--without-pip")
    assert made.returncode == 0, made.stderr
    for entry in (small_tmpfs.parent / "built").iterdir():  # a venv whose folder is the mount point
        target = small_tmpfs / entry.name
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, target, symlinks=True)
        else:
            shutil.copy2(entry, target, follow_symlinks=False)
    before = sorted(os.listdir(small_tmpfs))
    cleared = pyshim("venv", "--clear", str(small_tmpfs), "--python", "3.12", "--without-pip")
    assert cleared.returncode == 1 and "mount point" in cleared.stderr, cleared.stderr
    assert sorted(os.listdir(small_tmpfs)) == before
    assert hidden_siblings(small_tmpfs.parent) == []
