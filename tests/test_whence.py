"""`pyshim whence`: the versions that have a command (with `which`, the file it runs here)."""

from __future__ import annotations

import os

from conftest import version_named
from helpers import pyenv_bin


def test_which_and_whence(pyshim, work_dir):
    (work_dir / ".python-version").write_text("3.12\n")
    assert pyshim("which", "pip", cwd=work_dir).stdout.strip() == os.path.join(pyenv_bin(version_named("3.12")), "pip")
    whence = pyshim("whence", "pip3.12").stdout.split()
    assert whence == [version_named("3.12")]
    assert pyshim("whence", "no-such-tool").returncode == 1
