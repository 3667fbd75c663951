"""`pyshim deny [DIR]`: take back `pyshim allow` (in real shells: test_auto_activate.py)."""

from __future__ import annotations

from pathlib import Path

from helpers import allow_marker, project_with_venv


def test_deny_removes_what_allow_wrote_under_both_paths(pyshim, work_dir: Path) -> None:
    venv = project_with_venv(work_dir / "real")
    (work_dir / "link").symlink_to(work_dir / "real")
    assert pyshim("allow", str(work_dir / "link")).returncode == 0
    result = pyshim("deny", str(work_dir / "link"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"pyshim: denied {work_dir / 'link' / '.venv'}\n"
    assert not allow_marker(work_dir / "link" / ".venv").exists() and not allow_marker(venv).exists()


def test_deny_here_and_what_was_never_allowed(pyshim, work_dir: Path) -> None:
    venv = project_with_venv(work_dir / "proj")
    assert pyshim("allow", str(venv)).returncode == 0
    assert pyshim("deny", cwd=work_dir / "proj").stdout == f"pyshim: denied {venv}\n"
    again = pyshim("deny", cwd=work_dir / "proj")
    assert again.returncode == 0 and again.stdout == f"pyshim: {venv} was not allowed\n"
    nothing = pyshim("deny", cwd=work_dir)
    assert nothing.returncode == 1 and nothing.stderr.count("\n") == 1 and "no .venv here or above" in nothing.stderr
