"""The cd hook's project walk in each POSIX shell against its Python twin, over generated trees.

`shell.project.find_project_venv` and the hooks' `_pyshim_find` (shell/templates/sh-common.sh,
which bash, zsh, sh/dash and ksh/mksh share) must name the same venv for every folder: generated
trees of `.venv/pyvenv.cfg` (some without the file), `.python-version` files (the shim
differential's adversarial texts, named venvs' names, a folder in its place) and named venvs in
ROOT/venvs (some without pyvenv.cfg). Each shell runs the walk for every folder of a case in one
process (`command cd` there, so no hook activates anything). The fish, tcsh, nu, pwsh and xonsh
walks are not covered here yet.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from pathlib import Path
from typing import Dict, List

import pytest

from conftest import CLEAN_PATH
from helpers import POSIX_SHELLS, SEED, SEGMENTS, version_text
from pyshim.activation.quoting import sh_quote
from pyshim.base import paths
from pyshim.cli import COMMANDS
from pyshim.shell import ALIASES, init_code
from pyshim.shell.project import find_project_venv

CASES = 25
NAMED = ["proj", "tools", "a b", "nocfg"]  # `nocfg` is a folder without pyvenv.cfg


def make_named_venvs() -> None:
    for name in NAMED:
        folder = Path(paths.venvs_dir()) / name
        folder.mkdir(parents=True, exist_ok=True)
        if name != "nocfg":
            (folder / "pyvenv.cfg").write_text("home = /nowhere\n")


def version_file_text(rng: random.Random) -> bytes:
    if rng.random() < 0.5:
        return version_text(rng)
    name = rng.choice(NAMED + ["missing", ".hidden", "a/b", ""])
    return (rng.choice(["", "\ufeff", " ", "\t"]) + name + rng.choice(["", " note", " # pinned", "\0x"])
            + rng.choice(["\n", "\r\n", "", "\n3.12\n"])).encode("utf-8")


def build_case(number: int, rng: random.Random, top: Path) -> List[str]:
    """A chain of folders with random project files; every folder of it, deepest last."""
    folder = top / f"case{number}"
    folders = [folder]
    for level in range(rng.randint(0, 5)):
        folder = folder / (rng.choice(SEGMENTS) + str(level))
        folders.append(folder)
    folder.mkdir(parents=True)
    for place in folders:
        roll = rng.random()
        if roll < 0.15:
            (place / ".venv").mkdir()
            if rng.random() < 0.7:
                (place / ".venv" / "pyvenv.cfg").write_text("home = /nowhere\n")
        elif roll < 0.45:
            (place / ".python-version").write_bytes(version_file_text(rng))
        elif roll < 0.5:
            (place / ".python-version").mkdir()
    return [str(place) for place in folders]


def shell_walk(shell: str, folders: List[str], init: Path, environ: Dict[str, str]) -> List[str]:
    lines = [f". {sh_quote(str(init))}"]
    cd = "command cd"  # past sh.sh's cd wrapper
    if shell == "zsh":  # no chpwd hook, and zsh's `command` runs external commands only
        lines.append("chpwd_functions=()")
        cd = "builtin cd"
    for folder in folders:
        lines.append(f'{cd} {sh_quote(folder)} && _pyshim_find && printf "%s\\n" "${{_pyshim_found:-NONE}}"')
    done = subprocess.run([shell, "-c", "\n".join(lines)], capture_output=True, env=environ, timeout=60)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout.decode("utf-8", "surrogateescape").split("\n")[:-1]


@pytest.mark.parametrize("shell", POSIX_SHELLS)
def test_the_hook_walk_agrees_with_find_project_venv(shell: str, tmp_path: Path) -> None:
    if not shutil.which(shell, path=CLEAN_PATH):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{shell} is not installed")
        pytest.skip(f"{shell} is not installed")
    make_named_venvs()
    init = tmp_path / "init.sh"
    init.write_text(init_code(ALIASES.get(shell, shell), COMMANDS), encoding="utf-8")
    rng = random.Random(SEED + sum(map(ord, shell)))
    seen = set()
    for number in range(CASES):
        folders = build_case(number, rng, tmp_path / "trees")
        auto_venv = rng.choice(["1", "1", "1", "0"])
        environ = dict(os.environ, PATH=CLEAN_PATH, PYSHIM_AUTO_VENV=auto_venv)
        expected = [find_project_venv(folder, environ) or "NONE" for folder in folders]
        assert shell_walk(shell, folders, init, environ) == expected, (number, folders)
        seen.update("named" if venv.startswith(paths.venvs_dir()) else "none" if venv == "NONE" else "project"
                    for venv in expected)
    assert seen == {"named", "none", "project"}  # the cases reach every outcome
