"""Atomic writes: readers only ever see the old or the new content, and nothing is left beside;
the inter-process lock, which filelock's excludes; deleting a tree, never through a link."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from pyshim.base.fsutil import atomic_write_bytes, atomic_write_text, file_lock, remove_tree


def test_replaces_and_leaves_nothing_beside(work_dir: Path):
    target = work_dir / "deep" / "file.txt"
    atomic_write_text(target, "one\n")
    atomic_write_text(target, "two\n", mode=0o600)
    assert target.read_text() == "two\n" and (target.stat().st_mode & 0o777) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["file.txt"]


def test_a_leftover_temporary_name_is_stepped_over(work_dir: Path):
    import os

    (work_dir / f".file.txt.{os.getpid()}.0.tmp").write_text("left by a killed writer")
    atomic_write_text(work_dir / "file.txt", "new\n")
    assert (work_dir / "file.txt").read_text() == "new\n"


def test_concurrent_writers_and_readers_see_whole_files(work_dir: Path):
    target = work_dir / "shared"
    contents = [bytes([65 + i]) * 200_000 for i in range(4)]
    atomic_write_bytes(target, contents[0])
    seen = set()
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            seen.add(target.read_bytes())

    readers = [threading.Thread(target=read) for _ in range(2)]
    writers = [threading.Thread(target=lambda c=c: [atomic_write_bytes(target, c) for _ in range(20)]) for c in contents]
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    for thread in readers:
        thread.join()
    assert seen <= set(contents)
    assert sorted(p.name for p in work_dir.iterdir()) == ["shared"]


def test_remove_tree_deletes_all_below_and_nothing_through_a_link(work_dir: Path):
    outside = work_dir / "outside"
    (outside / "kept").mkdir(parents=True)
    (outside / "kept" / "file").write_text("mine\n")
    tree = work_dir / "tree"
    (tree / "a" / "b" / "c").mkdir(parents=True)
    for folder in (tree, tree / "a", tree / "a" / "b" / "c"):
        (folder / "file").write_text("x")
    (tree / "a" / "to-outside").symlink_to(outside)
    (tree / "a" / "to-a-file").symlink_to(outside / "kept" / "file")
    (tree / "a" / "dangling").symlink_to(work_dir / "nowhere")
    (tree / "a" / "b" / "empty").mkdir()
    remove_tree(tree)
    assert not os.path.lexists(tree)
    assert (outside / "kept" / "file").read_text() == "mine\n"


@pytest.mark.parametrize("kind", ["link to a folder", "file", "missing"])
def test_remove_tree_of_a_link_or_a_file_removes_that_alone(kind: str, work_dir: Path):
    outside = work_dir / "outside"
    outside.mkdir()
    (outside / "file").write_text("mine\n")
    target = work_dir / "target"
    if kind == "link to a folder":
        target.symlink_to(outside)
    elif kind == "file":
        target.write_text("x")
    remove_tree(target)
    assert not os.path.lexists(target) and (outside / "file").read_text() == "mine\n"


def test_file_lock_and_filelocks_lock_exclude_each_other(work_dir: Path):
    """On POSIX file_lock is flock(2), filelock's own lock there: each waits for the other."""
    import filelock

    from pyshim.base.errors import PyshimError

    path = work_dir / "shared.lock"
    theirs = filelock.FileLock(str(path))
    theirs.acquire()
    try:
        with pytest.raises(PyshimError, match="has held"):
            with file_lock(path, timeout=0.2):
                pass
    finally:
        theirs.release()
    with file_lock(path):
        with pytest.raises(filelock.Timeout):
            filelock.FileLock(str(path), timeout=0.2).acquire()
    filelock.FileLock(str(path), timeout=0.2).acquire()  # (and free again once it is left)


def test_taking_a_lock_does_not_import_filelock(work_dir: Path):
    """filelock 4 imports in about 40 ms (typing, logging, threading, dataclasses, decimal ...):
    more than a first `pyshim version` takes without it."""
    import subprocess
    import sys

    code = ("import sys\nfrom pyshim.base.fsutil import file_lock\n"
            f"with file_lock({str(work_dir / 'a.lock')!r}):\n    pass\nprint('filelock' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout == "False\n"
