"""`pyshim versions`: every interpreter, its source, `*` on the active ones; --json."""

from __future__ import annotations

import json

from conftest import version_named


def test_lists_every_machine_interpreter_and_marks_the_active(pyshim, work_dir):
    name = version_named("3.12")
    (work_dir / ".python-version").write_text(f"{name}\n")
    result = pyshim("versions", cwd=work_dir)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    active = [line for line in lines if line.startswith("*")]
    assert len(active) == 1 and f" {name} " in active[0] and str(work_dir / ".python-version") in active[0]
    assert any(f" {version_named('3.9')} " in line and " pyenv " in line for line in lines)


def test_json_is_machine_readable(pyshim, work_dir):
    data = json.loads(pyshim("versions", "--json", cwd=work_dir).stdout)
    names = {entry["name"] for entry in data}
    assert version_named("3.11") in names
    entry = next(e for e in data if e["name"] == version_named("3.11"))
    assert entry["source"] == "pyenv" and entry["implementation"] == "cpython"
    assert set(entry) >= {"executable", "real_executable", "prefix", "base_prefix", "is_venv", "freethreaded",
                          "debug", "machine", "scheme_paths", "ensurepip_wheels", "active"}
    assert sum(e["active"] for e in data) == 1  # the default selection: system


def test_missing_selected_version_warns_but_lists(pyshim, work_dir):
    (work_dir / ".python-version").write_text("3.99\n")
    result = pyshim("versions", cwd=work_dir)
    assert result.returncode == 0 and "'3.99' is not installed" in result.stderr
    assert not any(line.startswith("*") for line in result.stdout.splitlines())
