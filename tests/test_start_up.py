"""The everyday commands import only what they use (issue: start-up at the interpreter's speed).

Each command runs through the installed `pyshim` console script, as users run it, under
`-X importtime` (PYTHONPROFILEIMPORTTIME); the modules it imports beyond what `python -c pass`
imports in the same interpreter must include none of `FORBIDDEN`: each costs more than the
command's own work (see docs/design.md, "Start-up"). Timing is never asserted here (the machine
is shared); scripts/bench/cli and scripts/bench/venv measure it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import missing_tool, version_named

CONSOLE_SCRIPT = Path(sys.executable).parent / "pyshim"
FORBIDDEN = {
    "argparse", "re", "pathlib", "typing", "json", "enum", "dataclasses", "shlex", "contextlib", "subprocess",
    "threading", "tempfile", "shutil", "importlib.util", "urllib.parse", "ipaddress", "inspect", "unicodedata",
    "collections", "functools", "signal", "locale", "gettext", "platformdirs", "packaging", "filelock",
    "concurrent.futures", "fnmatch", "types", "importlib",
}


def imported(argv, cwd, env=None) -> set:
    """The modules a run imports, from -X importtime's report on stderr."""
    full_env = dict(os.environ, PYTHONPROFILEIMPORTTIME="1", PWD=str(cwd), **(env or {}))
    result = subprocess.run([str(CONSOLE_SCRIPT), *argv] if argv[0] != "-c" else [sys.executable, *argv],
                            cwd=cwd, env=full_env, capture_output=True, text=True)
    lines = [line for line in result.stderr.splitlines() if line.startswith("import time:")]
    assert lines, result.stderr
    return {line.split("|")[-1].strip() for line in lines[1:]}


@pytest.fixture
def project(tmp_path, pyshim):
    """A project pinned to 3.12 with its .venv, and shims written (as after the README's steps)."""
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / ".python-version").write_text(version_named("3.12") + "\n")
    assert pyshim("venv", str(folder / ".venv"), "--without-pip", cwd=folder).returncode == 0
    assert pyshim("rehash").returncode == 0
    return folder


COMMANDS = [
    ["version"], ["version", "--bare"], ["versions"], ["which", "python"], ["find", "3.12"], ["prefix"],
    ["root"], ["activate", ".venv"], ["local"], ["local", "3.12"],
    ["venv", "--python", "3.12", "--without-pip", "new-venv"],
    ["init", "bash"], ["init", "fish"],  # (every interactive shell runs it as it starts)
    ["rehash", "--command", "no-such-command"],  # (every mistyped command runs it: the command-not-found hook)
]  # not `venv --name`: a named venv is a new version name, so it probes the venv and rehashes


REHASHING = ("venv", "local", "versions", "init", "rehash")  # with no shims yet they write them first (the first-run rule)
CASES = [(argv, "shims written") for argv in COMMANDS] + [
    (argv, "no shims yet") for argv in COMMANDS if argv[0] not in REHASHING]


@pytest.mark.parametrize("argv, shims", CASES, ids=[f"{shims}-{' '.join(argv)}" for argv, shims in CASES])
def test_everyday_commands_import_nothing_heavy(argv, shims, project):
    if not CONSOLE_SCRIPT.exists():
        missing_tool(f"no pyshim console script beside {sys.executable} (scripts/test installs it)")
    if shims == "no shims yet":
        import shutil

        shutil.rmtree(Path(os.environ["PYSHIM_ROOT"]) / "shims")
    floor = imported(["-c", "pass"], project)
    if argv[0] != "venv":  # (a second `venv` would meet the first one's venv)
        imported(argv, project)  # a first run may fill a cache once (`pyshim version`: the cached front-end)
    heavy = (imported(argv, project) - floor) & FORBIDDEN
    assert not heavy, f"`pyshim {' '.join(argv)}` imports {sorted(heavy)}"


# A replayed `pyshim venv` (pyshim.venv.replay) imports the modules of its own steps and nothing
# else: not the CLI, the errors, `__future__` or a shared library such as fcntl or _json. Each
# import costs ~0.1-0.2 ms, and the replay's whole margin over the interpreter's start is a few.
REPLAY_MODULES = {
    "pyshim", "pyshim.__main__", "pyshim.base", "pyshim.base.paths", "pyshim.venv", "pyshim.venv.replay",  # the record
    "pyshim.venv.staging",  # the lock, the leftovers, build beside and rename
    "pyshim.shell", "pyshim.shell.project",  # the trust marker
}


# With pip, the replay also fills in the RECORD hashes of pip's scripts (wheel_cache.record_hash,
# with the built-in sha256 and binascii; `__future__` and the two base modules wheel_cache loads).
PIP_REPLAY_MODULES = REPLAY_MODULES | {"pyshim.venv.wheel_cache", "pyshim.base.errors", "pyshim.base.record", "__future__",
                                       "binascii", "_sha2"} | ({"_sha256"} if sys.version_info < (3, 12) else set())
# (before 3.12, `_sha2` is tried once, then `_sha256`: -X importtime lists the failed attempt too)


@pytest.mark.parametrize("options, expected", [(("--without-pip",), REPLAY_MODULES), ((), PIP_REPLAY_MODULES)],
                         ids=["without pip", "with pip"])
def test_a_replayed_venv_imports_only_its_steps(options, expected, project):
    if not CONSOLE_SCRIPT.exists():
        missing_tool(f"no pyshim console script beside {sys.executable} (scripts/test installs it)")
    for name in ("a", "b"):  # (the first build records; for a long name, the second)
        (project / name).mkdir()
        result = subprocess.run([str(CONSOLE_SCRIPT), "venv", "--python", "3.12", *options, f"{name}/.venv"],
                                cwd=project, env=dict(os.environ, PWD=str(project)), capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    (project / "c").mkdir()
    extra = imported(["venv", "--python", "3.12", *options, "c/.venv"], project) - imported(["-c", "pass"], project)
    assert (project / "c" / ".venv" / "pyvenv.cfg").is_file()
    assert extra == expected, f"beyond its steps: {sorted(extra - expected)}; not: {sorted(expected - extra)}"
