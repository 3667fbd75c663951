"""`pyshim allow [DIR]`: the marker files that make the cd hook trust a venv (the hook itself, in
real shells, is in test_auto_activate.py; taking trust back is test_deny.py)."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import mounted_tmpfs
from helpers import allow_marker, is_shared_marker, project_with_venv


def test_a_project_folder_or_its_venv_or_the_one_here(pyshim, work_dir: Path) -> None:
    for how in ("project", "venv", "here"):
        venv = project_with_venv(work_dir / how)
        args = {"project": [str(work_dir / how)], "venv": [str(venv)], "here": []}[how]
        (work_dir / how / "deep").mkdir()
        result = pyshim("allow", *args, cwd=work_dir / how / "deep")
        assert result.returncode == 0, result.stderr
        assert result.stdout == f"pyshim: allowed {venv}\n"
        assert is_shared_marker(allow_marker(venv))


def test_a_venv_reached_through_a_link_is_allowed_under_both_paths(pyshim, work_dir: Path) -> None:
    venv = project_with_venv(work_dir / "real")
    (work_dir / "link").symlink_to(work_dir / "real")
    result = pyshim("allow", str(work_dir / "link"))
    assert result.returncode == 0, result.stderr
    for path in (work_dir / "link" / ".venv", venv):
        assert is_shared_marker(allow_marker(path))


def test_nothing_to_allow_is_one_line_and_writes_nothing(pyshim, work_dir: Path) -> None:
    (work_dir / "plain" / ".venv").mkdir(parents=True)  # a folder called .venv that is no venv
    for args, message in (([], "no .venv here or above to allow"),
                          ([str(work_dir / "plain")], "is not a venv (no pyvenv.cfg)")):
        result = pyshim("allow", *args, cwd=work_dir)
        assert result.returncode == 1 and result.stdout == "", args
        assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert not (Path(os.environ["PYSHIM_ROOT"]) / "allowed").exists()


def test_a_link_in_the_markers_place_is_not_written_through(pyshim, work_dir: Path) -> None:
    """The marker is written in place (its existence is the trust), but never through a link: a
    link planted there leaves its target as it was, and the command says so in one line."""
    venv = project_with_venv(work_dir / "p")
    target = work_dir / "elsewhere.txt"
    target.write_text("keep me\n")
    allow_marker(venv).parent.mkdir(parents=True)
    allow_marker(venv).symlink_to(target)
    result = pyshim("allow", str(venv))
    assert result.returncode != 0 and result.stderr.count("\n") == 1, result.stderr
    assert target.read_text() == "keep me\n"


def test_every_marker_is_one_inode_and_outlives_the_shared_one(pyshim, work_dir: Path) -> None:
    """Markers are hard links to ROOT/allowed/@allowed: allowing a venv makes no new inode (the
    dearest step of a file system), deleting the shared file takes no trust away, and the next
    `allow` makes it again."""
    venvs = [project_with_venv(work_dir / name) for name in ("a", "b", "c")]
    for venv in venvs[:2]:
        assert pyshim("allow", str(venv)).returncode == 0
    shared = allow_marker(Path("/"))  # ROOT/allowed/@allowed
    assert shared.stat().st_nlink == 3 and all(is_shared_marker(allow_marker(venv)) for venv in venvs[:2])
    shared.unlink()
    assert allow_marker(venvs[0]).is_file()  # still trusted
    assert pyshim("allow", str(venvs[2])).returncode == 0
    assert is_shared_marker(allow_marker(venvs[2])) and shared.stat().st_nlink == 2
    assert pyshim("deny", str(venvs[2])).returncode == 0
    assert not allow_marker(venvs[2]).exists() and allow_marker(venvs[1]).is_file()


def test_a_marker_on_another_file_system_is_a_file_of_its_own(pyshim, work_dir: Path) -> None:
    """No hard link crosses file systems: there the marker is a plain file, and trusted the same."""
    venv = project_with_venv(work_dir / "p")
    assert pyshim("allow", str(project_with_venv(work_dir / "first"))).returncode == 0  # (the shared marker)
    mirror = allow_marker(venv).parent  # ROOT/allowed/.../p: a tmpfs
    mirror.parent.mkdir(parents=True, exist_ok=True)
    with mounted_tmpfs(mirror, "1m"):
        result = pyshim("allow", str(venv))
        assert result.returncode == 0, result.stderr
        marker = allow_marker(venv)
        assert marker.is_file() and marker.stat().st_nlink == 1 and "pyshim allow" in marker.read_text()
        assert pyshim("allow", str(venv)).returncode == 0 and marker.stat().st_nlink == 1  # kept as it is
