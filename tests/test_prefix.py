"""`pyshim prefix`: the prefix of the selected or named interpreter (with `root`, pyshim's folders)."""

from __future__ import annotations

import os

from conftest import version_named
from helpers import pyenv_bin


def test_prefix_and_root(pyshim, work_dir):
    (work_dir / ".python-version").write_text("3.11\n")
    assert pyshim("prefix", cwd=work_dir).stdout.strip() == os.path.dirname(pyenv_bin(version_named("3.11")))
    assert pyshim("prefix", "3.9").stdout.strip() == os.path.dirname(pyenv_bin(version_named("3.9")))
    assert pyshim("root").stdout.strip() == os.environ["PYSHIM_ROOT"]
    assert pyshim("root", "--cache").stdout.strip() == os.environ["PYSHIM_CACHE_DIR"]


def test_every_selected_version_must_be_installed(pyshim, work_dir) -> None:
    """As pyenv's `prefix`: one line per selected version; a missing one fails, naming its file."""
    (work_dir / ".python-version").write_text("3.12\n3.9\n")
    shown = pyshim("prefix", cwd=work_dir)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines() == [os.path.dirname(pyenv_bin(version_named(v))) for v in ("3.12", "3.9")]
    (work_dir / ".python-version").write_text("3.12\n3.99\n")
    missing = pyshim("prefix", cwd=work_dir)
    assert missing.returncode == 1 and missing.stdout == ""
    assert "'3.99' is not installed" in missing.stderr and str(work_dir / ".python-version") in missing.stderr
    named = pyshim("prefix", "3.99")
    assert named.returncode == 1 and "'3.99' is not installed" in named.stderr
