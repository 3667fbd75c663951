"""Atomic writes: readers only ever see the old or the new content, and nothing is left beside."""

from __future__ import annotations

import threading
from pathlib import Path

from pyshim.base.fsutil import atomic_write_bytes, atomic_write_text


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
