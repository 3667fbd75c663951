"""`pyshim find`: the interpreter a request selects."""

from __future__ import annotations

import json
import os

from conftest import version_named
from helpers import pyenv_bin


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
