"""`pyshim venvs [--json]`: the named venvs, their Python, path and whether they still work
(building, listing as JSON and removing one is in test_venv.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from conftest import version_named
from helpers import make_named_venv


def test_one_line_per_named_venv_in_name_order(pyshim) -> None:
    root = Path(os.environ["PYSHIM_ROOT"])
    for name in ("web", "a-tool"):
        make_named_venv(name)
    result = pyshim("venvs")
    assert result.returncode == 0, result.stderr
    lines = [line.split() for line in result.stdout.splitlines()]
    assert lines == [["a-tool", version_named("3.12"), "ok", str(root / "venvs" / "a-tool")],
                     ["web", version_named("3.12"), "ok", str(root / "venvs" / "web")]]


def test_none_yet(pyshim) -> None:
    assert json.loads(pyshim("venvs", "--json").stdout) == []
    assert pyshim("venvs", "--json").stderr == ""
