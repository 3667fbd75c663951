"""`pyshim venv`'s quick path (pyshim.venv.replay) against its full path, run for real.

The quick path runs before the CLI (pyshim.__main__), so these tests run the `pyshim` script that
pip installed beside the test interpreter; `python -m pyshim.cli` (the CLI alone) is the full path.

A venv replayed from a record must be byte for byte the venv the full path builds at the same
path (files, modes, links, the two output lines, the trust marker), for generated folder names,
requests, options and interpreters; and the record must not be used once anything it was decided
from has changed (a new interpreter folder, an environment variable, the interpreter itself, the
path being taken or not plain). Whether a run replayed is read from `-X importtime`: a replay
never imports the builder.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import pytest

from conftest import mounted_tmpfs, run_pyshim, version_named
from test_cli import run_into_closed_pipe
from helpers import SEED, allow_marker, build_pyshim_wheel, is_shared_marker
from pyshim.venv.replay import SEPARATOR, pack, unpack

BUILDER = "pyshim.venv.builder"
CONSOLE_SCRIPT = str(Path(sys.executable).parent / "pyshim")
NAME_CHARACTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+"


def venv(path: Path, *options: str, env: "Dict[str, str] | None" = None,
         command: "Sequence[str]" = (CONSOLE_SCRIPT,)) -> Tuple[subprocess.CompletedProcess, bool]:
    """Run `pyshim venv PATH OPTIONS` (by `command`); returns the result and whether it replayed a record."""
    full = dict(os.environ, PYTHONPROFILEIMPORTTIME="1", **(env or {}))
    result = subprocess.run([*command, "venv", str(path), *options], env=full, capture_output=True, text=True)
    replayed = f"| {BUILDER}\n" not in result.stderr and not result.stderr.rstrip().endswith(f"| {BUILDER}")
    result.stderr = "".join(line for line in result.stderr.splitlines(True) if not line.startswith("import time:"))
    return result, replayed and result.returncode == 0


def snapshot(top: Path) -> List[Tuple[str, str, int, bytes]]:
    """Every entry under `top`: (relative path, kind, permission bits, content or link target)."""
    rows = []
    for folder, dirs, files in os.walk(top):
        for name in sorted(dirs + files):
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, top)
            status = os.lstat(path)
            if os.path.islink(path):
                rows.append((relative, "link", 0, os.readlink(path).encode()))
            elif os.path.isdir(path):
                rows.append((relative, "dir", status.st_mode & 0o7777, b""))
            else:
                rows.append((relative, "file", status.st_mode & 0o7777, Path(path).read_bytes()))
    return sorted(rows)


def full_path_build(path: Path, options: Tuple[str, ...]) -> Tuple[list, str, str]:
    """The full path's venv at `path` (the records moved aside meanwhile), its snapshot and
    output; then the folder is emptied again for the replay."""
    records = Path(os.environ["PYSHIM_CACHE_DIR"]) / "venv-replay"
    aside = records.with_name("venv-replay-aside")
    records.rename(aside)
    try:
        result, replayed = venv(path, *options)
    finally:
        subprocess.run(["rm", "-rf", str(records)], check=True)
        aside.rename(records)
    assert result.returncode == 0 and not replayed, result.stderr
    built = snapshot(path)
    subprocess.run(["rm", "-rf", str(path)], check=True)
    return built, result.stdout, result.stderr


def recorded(path: Path, *options: str) -> None:
    """Build twice for `path`'s name and `options` (beside `path`): a record for any name is made
    by the first build, one for a long name by the second."""
    for index in range(2):
        result, _ = venv(path.parent / f"recording-{index}" / path.name, *options)
        assert result.returncode == 0, result.stderr




def generated_cases(count: int) -> List[Tuple[str, Tuple[str, ...]]]:
    rng = random.Random(SEED)
    requests = ["3.12", "3.13", "3.9", version_named("3.11"), "cpython@3.12"]
    extras = [(), ("--prompt", "tools"), ("--system-site-packages",), ("--without-scm-ignore-files",), ("--install",)]
    names = [".venv", "venv", "env", "a" * 40, "x"]
    cases = []
    for index in range(count):
        with_pip = index % 3 == 2  # a third seed pip (short names: the `#!` line of a long path takes another form)
        name = rng.choice(names + ["".join(rng.choice(NAME_CHARACTERS) for _ in range(rng.randint(1, 30)))])
        if name in (".", "..") or (with_pip and len(name) > 8):
            name = "venv"
        cases.append((name, ("--python", rng.choice(requests)) + (() if with_pip else ("--without-pip",))
                      + rng.choice(extras)))
    return cases


@pytest.mark.parametrize("name, options", generated_cases(12))
def test_a_replayed_venv_is_the_one_the_full_path_builds(name: str, options: Tuple[str, ...], tmp_path: Path) -> None:
    for index in range(2):  # (a record for a long name is made at the second build; each in a new folder)
        first, replayed = venv(tmp_path / f"first-{index}" / name, *options)
        assert first.returncode == 0 and not replayed, first.stderr
    target = tmp_path / "projects" / "p-1" / name
    target.parent.mkdir(parents=True)
    expected, out, err = full_path_build(target, options)
    allow_marker(target).unlink()
    result, replayed = venv(target, *options)
    assert replayed, result.stderr
    assert (result.returncode, result.stdout, result.stderr) == (0, out, err)
    assert snapshot(target) == expected
    assert is_shared_marker(allow_marker(target))
    subprocess.run([str(target / "bin" / "python"), "-c", "import sys; assert sys.prefix != sys.base_prefix"], check=True)


@pytest.mark.parametrize("request_", ["3.12", "3.9"])  # pip alone; pip and setuptools (before 3.12)
def test_a_replayed_venv_with_pip_links_the_cache_as_the_full_path_does(request_: str, tmp_path: Path) -> None:
    options = ("--python", request_)
    recorded(tmp_path / ".venv", *options)
    target = tmp_path / "projects" / "p-1" / ".venv"
    target.parent.mkdir(parents=True)
    expected, out, err = full_path_build(target, options)
    result, replayed = venv(target, *options)
    assert replayed, result.stderr
    assert (result.returncode, result.stdout, result.stderr) == (0, out, err)
    assert snapshot(target) == expected
    pip_init = next(target.glob("lib/python*/site-packages/pip/__init__.py"))
    cached = [path for path in (Path(os.environ["PYSHIM_CACHE_DIR"]) / "wheels").glob("*/files/pip/__init__.py")
              if path.stat().st_ino == pip_init.stat().st_ino]
    assert len(cached) == 1  # a hard link into the cache, as the full path makes
    check = subprocess.run([str(target / "bin" / "pip"), "--version"], capture_output=True, text=True)
    assert check.returncode == 0 and str(target) in check.stdout, check.stderr


def test_a_changed_wheel_cache_or_a_long_path_takes_the_full_path(tmp_path: Path) -> None:
    """A record with pip links cache files it has stamped: once the entry changes (an edit
    through a venv's hard link, found and rebuilt by the next full build), the record is stale.
    Past the longest path it serves, the scripts' `#!` line takes another form: the full path."""
    options = ("--python", "3.12")
    recorded(tmp_path / "env", *options)
    (tmp_path / "a").mkdir()
    assert venv(tmp_path / "a" / "env", *options)[1]
    with open(next((tmp_path / "a" / "env").glob("lib/python*/site-packages/pip/__init__.py")), "a") as handle:
        handle.write("# edited in place\n")  # the inode the cache shares
    (tmp_path / "b").mkdir()
    result, replayed = venv(tmp_path / "b" / "env", *options)
    assert result.returncode == 0 and not replayed, result.stderr
    assert "# edited" not in next((tmp_path / "b" / "env").glob("lib/python*/site-packages/pip/__init__.py")).read_text()
    deep = tmp_path / ("d" * 100) / "env"
    deep.parent.mkdir()
    recorded(tmp_path / "c" / "env", *options)
    result, replayed = venv(deep, *options)
    assert result.returncode == 0 and not replayed, result.stderr
    assert (deep / "bin" / "pip").read_text().startswith("#!/bin/sh\n")
    assert subprocess.run([str(deep / "bin" / "pip"), "--version"], capture_output=True).returncode == 0


def test_a_venv_with_pip_on_another_file_system_is_the_full_paths_and_costs_no_second_build(tmp_path: Path) -> None:
    """pip's files cannot be hard-linked across file systems: the full path copies them, the
    replay declines before writing anything, and the recording does not build a second venv that
    could never match."""
    options = ("--python", "3.12")
    recorded(tmp_path / ".venv", *options)
    records = Path(os.environ["PYSHIM_CACHE_DIR"]) / "venv-replay"
    before = {path.name: path.read_bytes() for path in records.iterdir()}
    with mounted_tmpfs(tmp_path / "elsewhere", "64m") as mount:
        for index in range(2):
            target = mount / f"p-{index}" / ".venv"
            target.parent.mkdir()
            result, replayed = venv(target, *options)
            assert result.returncode == 0 and not replayed, result.stderr
            pip_init = next(target.glob("lib/python*/site-packages/pip/__init__.py"))
            assert pip_init.stat().st_nlink == 1  # a copy
            assert subprocess.run([str(target / "bin" / "pip"), "--version"], capture_output=True).returncode == 0
            assert sorted(os.listdir(target.parent)) == [".venv"]
    assert {path.name: path.read_bytes() for path in records.iterdir()} == before
    assert not list(records.glob("b-*"))


def test_a_cache_too_deep_for_a_short_line_makes_no_record_with_pip(tmp_path: Path) -> None:
    """The recording builds at a marker path in the cache; when that path is too long for a
    direct `#!` line, its scripts take the /bin/sh form, which a short venv path never gets:
    such a build is not recorded, even when the venvs built are as long."""
    deep_cache = tmp_path / ("c" * 120)
    subprocess.run(["cp", "-a", os.environ["PYSHIM_CACHE_DIR"], str(deep_cache)], check=True)
    env = {"PYSHIM_CACHE_DIR": str(deep_cache)}
    for folder in (tmp_path / ("d" * 120) / "0", tmp_path / ("d" * 120) / "1", tmp_path / "short"):
        folder.mkdir(parents=True)
        result, replayed = venv(folder / ".venv", "--python", "3.12", env=env)
        assert result.returncode == 0 and not replayed, result.stderr
    assert (tmp_path / ("d" * 120) / "1" / ".venv" / "bin" / "pip").read_text().startswith("#!/bin/sh\n")
    assert (tmp_path / "short" / ".venv" / "bin" / "pip").read_text().startswith(f"#!{tmp_path}")
    assert all(unpack(record.read_text())["note"] for record in (deep_cache / "venv-replay").glob("*.rec"))


def test_the_record_is_not_used_once_its_inputs_change(tmp_path: Path) -> None:
    options = ("--python", "3.12", "--without-pip")
    recorded(tmp_path / ".venv", *options)
    steps = []
    for label, env in (("unchanged", {}), ("VIRTUAL_ENV set", {"VIRTUAL_ENV": str(tmp_path)}),
                       ("a new PYSHIM_ variable", {"PYSHIM_SOMETHING": "1"}), ("another SHELL", {"SHELL": "/bin/zsh"})):
        target = tmp_path / label.replace(" ", "-") / ".venv"
        target.parent.mkdir()
        result, replayed = venv(target, *options, env=env)
        assert result.returncode == 0, result.stderr
        steps.append((label, replayed))
    assert steps == [("unchanged", True), ("VIRTUAL_ENV set", True),  # (no step of `pyshim venv` reads it)
                     ("a new PYSHIM_ variable", False), ("another SHELL", False)]


def test_a_venv_active_in_the_shell_changes_nothing_the_replay_writes(tmp_path: Path) -> None:
    """With a venv active (VIRTUAL_ENV set, its bin first on PATH), as a user who made the venv
    from inside another project's: the full path builds what the replay writes, byte for byte."""
    options = ("--python", "3.12", "--without-pip")
    recorded(tmp_path / ".venv", *options)
    active = tmp_path / "elsewhere" / ".venv"
    active.parent.mkdir()
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(active)], check=True)
    env = {"VIRTUAL_ENV": str(active), "PATH": f"{active / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    target = tmp_path / "p" / ".venv"
    target.parent.mkdir()
    result, replayed = venv(target, *options, env=env)
    assert replayed and result.returncode == 0, result.stderr
    replayed_tree = snapshot(target)
    shutil.rmtree(target)
    full = subprocess.run([sys.executable, "-m", "pyshim.cli", "venv", str(target), *options],
                          env=dict(os.environ, **env), capture_output=True, text=True)
    assert full.returncode == 0, full.stderr
    assert (full.stdout, full.stderr) == (result.stdout, result.stderr) and snapshot(target) == replayed_tree


def test_a_one_off_name_costs_a_note_only(tmp_path: Path) -> None:
    name = "a-project-with-a-long-name"  # (a short one's note is for any name: the next test)
    result, replayed = venv(tmp_path / name, "--python", "3.12", "--without-pip")
    assert result.returncode == 0 and not replayed
    notes = list((Path(os.environ["PYSHIM_CACHE_DIR"]) / "venv-replay").iterdir())
    assert [note.name for note in notes] == [f"venv @ --python 3.12 --without-pip {name}.rec"]
    assert unpack(notes[0].read_text())["note"] and notes[0].stat().st_size < 2000


@pytest.mark.parametrize("options", [("--python", "3.12", "--without-pip"), ("--python", "3.9", "--without-pip"),
                                     ("--python", "3.13", "--without-pip", "--prompt", "tools"),
                                     ("--python", "3.12")])
def test_the_first_build_makes_a_record_for_every_short_name(options: Tuple[str, ...], tmp_path: Path) -> None:
    """A name is the venv's default prompt in every activation script: the record the first
    build with a short name makes fills in any short name, byte for byte as the full path builds
    it; a long one (bash's prompt line is then cut into runs) replays only a record of its own
    name, unless --prompt took the name out of the prompts."""
    from pyshim.activation.quoting import longest_verbatim_prompt

    limit = longest_verbatim_prompt()
    result, replayed = venv(tmp_path / "first" / "env", *options)
    assert result.returncode == 0 and not replayed, result.stderr
    rng = random.Random(SEED)
    names = [".venv", "x", "a" * limit, "".join(rng.choice(NAME_CHARACTERS) for _ in range(limit))]
    for index, name in enumerate(names):
        target = tmp_path / f"p-{index}" / name
        target.parent.mkdir()
        expected, out, err = full_path_build(target, options)
        allow_marker(target).unlink()
        result, replayed = venv(target, *options)
        assert replayed, (name, result.stderr)
        assert (result.returncode, result.stdout, result.stderr) == (0, out, err)
        assert snapshot(target) == expected, name
    long_name = tmp_path / "long" / ("b" * (limit + 1))
    long_name.parent.mkdir()
    assert venv(long_name, *options)[1] == ("--prompt" in options)


def test_prompt_dot_is_the_current_folders_name_and_never_replayed(tmp_path: Path) -> None:
    """`--prompt .` means the name of the folder the command is typed in, which is in no record's key."""
    options = ("--python", "3.12", "--without-pip", "--prompt", ".")
    for folder in ("first", "second", "third"):
        (tmp_path / folder).mkdir()
        result = subprocess.run([CONSOLE_SCRIPT, "venv", str(tmp_path / folder / ".venv"), *options],
                                cwd=tmp_path / folder, env=dict(os.environ, PYTHONPROFILEIMPORTTIME="1"),
                                capture_output=True, text=True)
        assert result.returncode == 0 and f"| {BUILDER}" in result.stderr, result.stderr
        assert f"prompt = '{folder}'" in (tmp_path / folder / ".venv" / "pyvenv.cfg").read_text()
    assert not list((Path(os.environ["PYSHIM_CACHE_DIR"]) / "venv-replay").glob("*.rec"))


def test_a_new_interpreter_folder_makes_the_record_stale(tmp_path: Path) -> None:
    options = ("--python", "3.12", "--without-pip")
    recorded(tmp_path / "env", *options)
    (tmp_path / "b").mkdir()
    assert venv(tmp_path / "b" / "env", *options)[1]
    versions = Path(os.environ["PYSHIM_ROOT"]) / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    (versions / "3.12-new").mkdir()  # as `pyshim install` adds one (an empty folder is no interpreter)
    (tmp_path / "c").mkdir()
    result, replayed = venv(tmp_path / "c" / "env", *options)
    assert result.returncode == 0 and not replayed, result.stderr
    (tmp_path / "d").mkdir()
    assert venv(tmp_path / "d" / "env", *options)[1]  # recorded again by c, for the new state


def test_what_the_full_path_refuses_is_never_replayed(tmp_path: Path) -> None:
    options = ("--python", "3.12", "--without-pip")
    recorded(tmp_path / "env", *options)
    existing = tmp_path / "taken" / "env"
    existing.mkdir(parents=True)
    (existing / "notes.txt").write_text("mine\n")
    result, replayed = venv(existing, *options)
    assert result.returncode == 1 and not replayed
    assert "not a venv" in result.stderr and (existing / "notes.txt").read_text() == "mine\n"
    hostile = tmp_path / "b" / "env $(touch pwned)"
    hostile.parent.mkdir()
    result, replayed = venv(hostile, *options)  # not plain: the full path decides (and builds it safely)
    assert not replayed and not (tmp_path / "b" / "pwned").exists()
    result, replayed = venv(tmp_path / "missing-parent" / "env", *options)
    assert result.returncode == 0 and not replayed
    (tmp_path / "c").mkdir()
    assert not venv(tmp_path / "c" / "env", *options, "-v")[1]  # --verbose reports what discovery skipped


def test_a_path_request_is_the_full_path(tmp_path: Path) -> None:
    python = str(Path(os.environ["PYENV_ROOT"]) / "versions" / version_named("3.12") / "bin" / "python")
    for index in range(2):
        (tmp_path / str(index)).mkdir()
        assert not venv(tmp_path / str(index) / "env", "--python", python, "--without-pip")[1]
    assert not list((Path(os.environ["PYSHIM_CACHE_DIR"]) / "venv-replay").glob("*.rec"))


def test_a_venv_among_the_interpreters_is_left_to_the_full_path(tmp_path: Path) -> None:
    options = ("--python", "3.12", "--without-pip")
    venvs = Path(os.environ["PYSHIM_ROOT"]) / "venvs"
    venvs.mkdir(parents=True)
    recorded(tmp_path / "tools", *options)
    result, replayed = venv(venvs / "tools", *options)
    assert result.returncode == 0 and not replayed
    assert "tools" in run_pyshim("versions", "--bare").stdout.split()


def test_one_build_of_a_path_at_a_time(tmp_path: Path) -> None:
    options = ("--python", "3.12", "--without-pip")
    recorded(tmp_path / "env", *options)
    target = tmp_path / "b" / "env"
    target.parent.mkdir()
    runs = [subprocess.Popen([CONSOLE_SCRIPT, "venv", str(target), *options], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outcomes = [(run.wait(), run.stderr.read()) for run in runs]
    assert sorted(code for code, _ in outcomes) == [0, 1, 1, 1], outcomes
    assert all("already a venv" in err for code, err in outcomes if code)
    assert sorted(entry.name for entry in target.parent.iterdir()) == ["env"]  # no lock or build folders left


def test_the_lock_file_becomes_a_file_of_the_venv(tmp_path: Path) -> None:
    """`path_lock.lend`: while the lock is held the lent file is the lock file (one inode); after
    it, the lock file's name is gone and the file keeps its content and exact mode, linked once."""
    from pyshim.venv.staging import path_lock

    final = tmp_path / "env"
    (tmp_path / "build").mkdir()
    target = tmp_path / "build" / ".gitignore"
    with path_lock(str(final)) as lock:
        assert lock.lend(str(target), b"*\n", 0o640)
        assert os.path.samefile(target, lock.lock_path) and target.stat().st_nlink == 2
    assert not os.path.lexists(lock.lock_path)
    assert target.read_bytes() == b"*\n" and target.stat().st_mode & 0o7777 == 0o640 and target.stat().st_nlink == 1


def test_a_replay_spends_no_inode_on_its_lock(tmp_path: Path) -> None:
    """The lock file a killed run left (a plain file of the user's) is taken over, and its inode
    becomes the venv's first file: the replay makes no inode for its lock."""
    options = ("--python", "3.12", "--without-pip")
    recorded(tmp_path / "env", *options)
    target = tmp_path / "b" / "env"
    target.parent.mkdir()
    stale = target.parent / ".env.pyshim-lock"
    stale.write_text("")
    inode = stale.stat().st_ino
    result, replayed = venv(target, *options)
    assert replayed, result.stderr
    assert not os.path.lexists(stale)
    gitignore = target / ".gitignore"
    assert gitignore.stat().st_ino == inode and gitignore.stat().st_nlink == 1
    assert gitignore.read_bytes() == (tmp_path / "recording-1" / "env" / ".gitignore").read_bytes()


@pytest.mark.parametrize("planted", ["symlink", "hard link"])
def test_a_file_planted_as_the_lock_file_is_never_written(planted: str, tmp_path: Path) -> None:
    """The replay writes into its lock file only when that is a plain file of the user's with
    one link: a link someone left in its place (to a file of the user's) keeps the file as it
    was, and the venv is built all the same."""
    options = ("--python", "3.12", "--without-pip")
    recorded(tmp_path / "env", *options)
    target = tmp_path / "b" / "env"
    target.parent.mkdir()
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me\n")
    lock_file = target.parent / ".env.pyshim-lock"
    if planted == "symlink":
        lock_file.symlink_to(precious)
    else:
        os.link(precious, lock_file)
    result, replayed = venv(target, *options)
    assert replayed, result.stderr
    assert precious.read_text() == "keep me\n" and precious.stat().st_nlink == 1 and not os.path.lexists(lock_file)
    built = {relative: data for relative, _, _, data in snapshot(target)}
    assert built[".gitignore"] == (tmp_path / "recording-1" / "env" / ".gitignore").read_bytes()
    assert str(target).encode() in built["pyvenv.cfg"]


def test_without_python_the_pinned_version_is_the_request(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    assert run_pyshim("local", "3.12", cwd=project).returncode == 0
    for index in range(2):
        sub = project / f"recording-{index}"
        sub.mkdir()
        assert run_in(sub)[0].returncode == 0
    (project / "app").mkdir()
    result, replayed = run_in(project / "app")
    assert replayed and version_named("3.12") in result.stdout, result.stderr
    (project / ".python-version").write_text("3.13\n")  # pinned again: another request, the full path
    (project / "lib").mkdir()
    result, replayed = run_in(project / "lib")
    assert not replayed and version_named("3.13") in result.stdout, result.stderr
    assert "3.13." in (project / "lib" / ".venv" / "pyvenv.cfg").read_text()


def run_in(folder: Path) -> Tuple[subprocess.CompletedProcess, bool]:
    """`pyshim venv .venv --without-pip` typed in `folder` (its PWD too: the selection walks up from it)."""
    full = dict(os.environ, PWD=str(folder), PYTHONPROFILEIMPORTTIME="1")
    result = subprocess.run([CONSOLE_SCRIPT, "venv", ".venv", "--without-pip"], cwd=folder, env=full,
                            capture_output=True, text=True)
    replayed = result.returncode == 0 and f"| {BUILDER}\n" not in result.stderr
    return result, replayed


@pytest.mark.parametrize("damage", ["traversal", "through a link", "absolute", "a count past the end", "not a record",
                                    "escape in the output", "a NUL that is no mark", "another name in the key",
                                    "a name the file system refuses"])
def test_a_damaged_record_is_not_replayed(damage: str, tmp_path: Path) -> None:
    """Records are untrusted input: a damaged one is passed over (the full path runs and records
    again), and nothing is written outside the new venv."""
    options = ("--python", "3.12", "--without-pip")
    recorded(tmp_path / "env", *options)
    (record,) = (Path(os.environ["PYSHIM_CACHE_DIR"]) / "venv-replay").glob("* [*].rec")
    entry = unpack(record.read_text())
    assert entry is not None and not entry["note"]
    outside = tmp_path / "outside"
    if damage == "traversal":
        entry["tree"].append(("../../outside", "f", 0o644, "pwned"))
    elif damage == "through a link":
        entry["tree"][1:1] = [("sneaky", "l", 0, str(tmp_path)), ("sneaky/outside", "f", 0o644, "pwned")]
    elif damage == "absolute":
        entry["tree"].append((str(outside), "f", 0o644, "pwned"))
    elif damage == "escape in the output":
        entry["created"] = "created \u001b]0;pwned\u0007"
    elif damage == "a NUL that is no mark":
        entry["hint"] = "activate with: \x00X"
    elif damage == "another name in the key":  # (the key must hold the name the record was found by)
        entry["key"][3] = "env"
    elif damage == "a name the file system refuses":  # well formed, but the build fails half-way and rolls back
        entry["tree"].append(("x" * 300, "f", 0o644, "too long a name"))
    text = pack(entry["key"], entry)
    if damage == "a count past the end":
        text = text.replace(f"{SEPARATOR}{len(entry['environment'])}{SEPARATOR}", f"{SEPARATOR}99999{SEPARATOR}", 1)
    elif damage == "not a record":
        text = "{not a record"
    record.write_text(text)
    (tmp_path / "b").mkdir()
    result, replayed = venv(tmp_path / "b" / "env", *options)
    assert result.returncode == 0 and not replayed, result.stderr
    assert not outside.exists() and "pwned" not in result.stdout
    assert not (tmp_path / "b" / "env" / "sneaky").exists()
    assert sorted(entry.name for entry in (tmp_path / "b").iterdir()) == ["env"]  # no build folder or lock left


def test_a_record_reads_back_as_written() -> None:
    key = ["/venv/bin/python", "/src", "0o22", ".venv", "", "venv", "--python", "3.12", "@"]
    cached = os.path.join(os.environ["PYSHIM_CACHE_DIR"], "wheels", "pip-1-py3-none-any-0-0-0", "files", "pip.py")
    entry = {"environment": {"HOME": "/home/me", "VIRTUAL_ENV": "\x00"}, "stamps": ["/a\x001\x002\x003", "/b", cached],
             "tree": [("bin", "d", 0o755, ""), ("bin/activate", "f", 0o644, "x\x00Py\n" * 3), ("lib64", "l", 0, "lib"),
                      ("pip.py", "h", 0, cached)],
             "limit": 114, "name_limit": 17, "created": "created \x00P", "hint": "activate with: \x00P"}
    assert unpack(pack(key, entry)) == {"note": False, "key": key, **entry, "watched": ["/a", "/b", cached]}
    assert unpack(pack(key)) == {"note": True, "key": key}
    assert pack(key + ["a\x1eb"]) is None  # the separator inside a word: not recorded
    assert unpack(pack(key, {**entry, "tree": [("bin/x", "f", 0o644, "")]})) is None  # no folder row before it
    for source in ("/etc/passwd", cached + "/../../../../../../etc/passwd", cached + "-not-stamped"):  # outside the cache, or unchecked
        assert unpack(pack(key, {**entry, "tree": [("pip.py", "h", 0, source)]})) is None


def test_a_replay_whose_reader_goes_away_still_leaves_the_venv(tmp_path: Path) -> None:
    """As the CLI: exit 141 and nothing on stderr, the venv made and trusted."""
    options = ("--python", "3.12", "--without-pip")
    recorded(tmp_path / "env", *options)
    target = tmp_path / "b" / "env"
    target.parent.mkdir()
    result = run_into_closed_pipe([CONSOLE_SCRIPT, "venv", str(target), *options])
    assert (result.returncode, result.stderr) == (141, "")
    assert (target / "pyvenv.cfg").is_file() and allow_marker(target).is_file()


def test_python_m_pyshim_replays_the_console_scripts_record(work_dir: Path) -> None:
    """One record serves both entry points, whichever of the venv's names for its interpreter
    runs them (the console script's first line may be `bin/python3`, `python -m` runs `bin/python`)."""
    options = ("--python", version_named("3.12"), "--without-pip")
    for name in ("a", "b"):  # (the first build records; for a long name, the second)
        assert not venv(work_dir / name / ".venv", *options)[1]
    for runner in (sys.executable, str(Path(sys.executable).with_name("python3"))):
        target = work_dir / Path(runner).name / ".venv"
        built, output, _ = full_path_build(target, options)
        result, replayed = venv(target, *options, command=(runner, "-m", "pyshim"))
        assert replayed, (runner, result.stderr)
        assert (snapshot(target), result.stdout) == (built, output)


def test_a_record_that_holds_is_not_made_again_for_a_path_it_cannot_serve(tmp_path: Path) -> None:
    """A replay needs the venv's folder to exist; the full path makes it. A record that still
    holds is kept as it is then (making it again costs a second build, about as long again)."""
    options = ("--python", "3.12", "--without-pip")
    recorded(tmp_path / ".venv", *options)
    (file,) = [entry for entry in (Path(os.environ["PYSHIM_CACHE_DIR"]) / "venv-replay").iterdir()
               if entry.name.endswith(" *.rec")]
    before = (file.read_bytes(), file.stat().st_mtime_ns)
    for index in range(2):
        result, replayed = venv(tmp_path / f"not-yet-{index}" / "deeper" / ".venv", *options)
        assert result.returncode == 0 and not replayed, result.stderr
    assert (file.read_bytes(), file.stat().st_mtime_ns) == before
    (tmp_path / "now").mkdir()
    assert venv(tmp_path / "now" / ".venv", *options)[1]


@pytest.fixture(scope="module")
def wheel_install(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pyshim installed from a wheel into a venv of its own (as `pip install .` installs it),
    its dependencies read from the test venv's site-packages by a `.pth` line; returns the venv."""
    top = tmp_path_factory.mktemp("wheel-install")
    wheel = build_pyshim_wheel(top)
    env = top / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    install_wheel(env, wheel)
    (site_packages,) = env.glob("lib/python*/site-packages")
    (site_packages / "test-venv-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return env


WHEEL_ONLY = {"PYTHONPATH": ""}  # the tests' PYTHONPATH names the checkout's src


def install_wheel(env: Path, wheel: Path, *options: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--python", str(env / "bin" / "python"), "install", "-q", "--no-deps",
                    "--no-index", "--disable-pip-version-check", *options, str(wheel)], check=True)


def test_a_wheel_install_is_stamped_by_its_record_and_a_reinstall_makes_records_stale(wheel_install: Path,
                                                                                       tmp_path: Path) -> None:
    """pyshim from a wheel: one stamp, the installer's RECORD, where a checkout stamps every
    source file; reinstalling pyshim (a new RECORD) makes its records stale."""
    command = (str(wheel_install / "bin" / "pyshim"),)  # (and not the checkout the tests put on PYTHONPATH)
    options = ("--python", "3.12", "--without-pip")
    for index in range(2):  # (the first build records; for a long name, the second)
        result, replayed = venv(tmp_path / f"first-{index}" / ".venv", *options, command=command, env=WHEEL_ONLY)
        assert result.returncode == 0 and not replayed, result.stderr
    (file,) = (Path(os.environ["PYSHIM_CACHE_DIR"]) / "venv-replay").glob("* [*].rec")
    watched = unpack(file.read_text(encoding="utf-8"))["watched"]
    (record,) = wheel_install.glob("lib/python*/site-packages/pyshim-*.dist-info/RECORD")
    assert str(record) in watched and not [path for path in watched if path.endswith(".py")], watched
    (tmp_path / "replayed").mkdir()
    assert venv(tmp_path / "replayed" / ".venv", *options, command=command, env=WHEEL_ONLY)[1]
    (wheel,) = (wheel_install.parent / "dist").glob("pyshim-*.whl")
    install_wheel(wheel_install, wheel, "--force-reinstall")
    (tmp_path / "after").mkdir()
    result, replayed = venv(tmp_path / "after" / ".venv", *options, command=command, env=WHEEL_ONLY)
    assert result.returncode == 0 and not replayed, result.stderr


def test_only_a_wheel_installs_record_stands_for_the_sources(tmp_path: Path) -> None:
    from pyshim.venv.recording import installed_record

    def dist_info(name: str, *lines: str) -> Path:
        folder = tmp_path / name
        folder.mkdir(parents=True)
        (folder / "RECORD").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        return folder / "RECORD"

    assert installed_record(str(tmp_path)) is None  # a checkout: no dist-info beside the package
    dist_info("pyshim-0.1.0.dist-info", "__editable__.pyshim-0.1.0.pth,sha256=x,10", "pyshim-0.1.0.dist-info/RECORD,,")
    assert installed_record(str(tmp_path)) is None  # an editable install lists no source file
    (tmp_path / "pyshim-0.1.0.dist-info" / "RECORD").unlink()
    (tmp_path / "pyshim-0.1.0.dist-info").rmdir()
    record = dist_info("pyshim-0.1.0.dist-info", "pyshim/__init__.py,sha256=x,100", "pyshim/venv/replay.py,sha256=y,9")
    assert installed_record(str(tmp_path)) == str(record)
    dist_info("pyshim-0.0.9.dist-info", "pyshim/__init__.py,sha256=z,90")  # a leftover of another install
    assert installed_record(str(tmp_path)) is None


def test_the_wheel_installs_pyshim_and_nothing_beside_it(wheel_install: Path) -> None:
    """No top-level package but `pyshim` (src/bin, where the console script is kept, is none)."""
    (site_packages,) = wheel_install.glob("lib/python*/site-packages")
    top_level = {entry.name for entry in site_packages.iterdir()} - {"test-venv-dependencies.pth"}
    assert {name for name in top_level if not name.startswith("pyshim-")} == {"pyshim"}, sorted(top_level)
    assert (wheel_install / "bin" / "pyshim").is_file()
