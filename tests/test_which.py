"""`pyshim which`: the file a command runs here."""

from __future__ import annotations

import os

from conftest import version_named
from helpers import pyenv_bin


def test_which_missing_command_is_127_and_names_who_has_it(pyshim, work_dir):
    (work_dir / ".python-version").write_text(version_named("3.13") + "\n")
    result = pyshim("which", "2to3", cwd=work_dir)  # 3.13 has no 2to3 any more
    assert result.returncode == 127
    assert "2to3: command not found" in result.stderr and version_named("3.12") in result.stderr


def test_system_that_links_into_a_managed_version_is_still_system(pyshim, work_dir, tmp_path):
    """`system` means PATH: its commands come from PATH even when python3 links into pyenv."""
    link_dir = tmp_path / "usr-local-bin"
    link_dir.mkdir()
    target = os.path.join(pyenv_bin(version_named("3.12")), "python3")
    (link_dir / "python3").symlink_to(target)
    (link_dir / "tool").write_text("#!/bin/sh\necho from-path\n")
    (link_dir / "tool").chmod(0o755)
    env = {"PATH": f"{link_dir}:{os.environ['PATH']}"}
    (work_dir / ".python-version").write_text("system\n")
    assert pyshim("which", "python3", cwd=work_dir, env=env).stdout.strip() == str(link_dir / "python3")
    assert pyshim("exec", "tool", cwd=work_dir, env=env).stdout.strip() == "from-path"
    assert pyshim("version", "--bare", cwd=work_dir, env=env).stdout.strip() == "system"
