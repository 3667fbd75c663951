"""`pyshim find`, `which`, `whence`, `prefix`, `root`: what a request or a command resolves to."""

from __future__ import annotations

import json
import os

from conftest import version_named


def pyenv_bin(name: str) -> str:
    return os.path.join(os.environ["PYENV_ROOT"], "versions", name, "bin")


def test_find_every_form(pyshim):
    assert pyshim("find", "3.12").stdout.strip() == os.path.join(pyenv_bin(version_named("3.12")), "python")
    assert pyshim("find", ">=3.8,<3.10").stdout.strip() == os.path.join(pyenv_bin(version_named("3.9")), "python")
    highest = max((version_named(v) for v in ("3.13", "3.12", "3.11")), key=lambda n: [int(p) for p in n.split(".")])
    assert pyshim("find", "3").stdout.strip().startswith(pyenv_bin(highest))
    path = os.path.join(pyenv_bin(version_named("3.10")), "python")
    assert pyshim("find", path).stdout.strip() == path
    data = json.loads(pyshim("find", "cpython@3.11", "--json").stdout)
    assert data["version"] == version_named("3.11")


def test_find_missing_is_one_line(pyshim):
    result = pyshim("find", "pypy3.10")
    assert result.returncode == 1 and "'pypy3.10' is not installed" in result.stderr


def test_which_and_whence(pyshim, work_dir):
    (work_dir / ".python-version").write_text("3.12\n")
    assert pyshim("which", "pip", cwd=work_dir).stdout.strip() == os.path.join(pyenv_bin(version_named("3.12")), "pip")
    whence = pyshim("whence", "pip3.12").stdout.split()
    assert whence == [version_named("3.12")]
    assert pyshim("whence", "no-such-tool").returncode == 1


def test_which_missing_command_is_127_and_names_who_has_it(pyshim, work_dir):
    (work_dir / ".python-version").write_text(version_named("3.13") + "\n")
    result = pyshim("which", "2to3", cwd=work_dir)  # 3.13 has no 2to3 any more
    assert result.returncode == 127
    assert "2to3: command not found" in result.stderr and version_named("3.12") in result.stderr


def test_prefix_and_root(pyshim, work_dir):
    (work_dir / ".python-version").write_text("3.11\n")
    assert pyshim("prefix", cwd=work_dir).stdout.strip() == os.path.dirname(pyenv_bin(version_named("3.11")))
    assert pyshim("prefix", "3.9").stdout.strip() == os.path.dirname(pyenv_bin(version_named("3.9")))
    assert pyshim("root").stdout.strip() == os.environ["PYSHIM_ROOT"]
    assert pyshim("root", "--cache").stdout.strip() == os.environ["PYSHIM_CACHE_DIR"]


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
