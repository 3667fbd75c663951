"""The cd hook's project walk in every shell against its Python twin, over generated trees.

`shell.project.find_project_venv` and each shell's hook must name the same venv for every
folder: generated trees of `.venv/pyvenv.cfg` (some without the file), `.python-version` files
(the shim differential's adversarial texts, and named venvs' names among BOMs, NUL bytes, CRs,
Unicode spaces, form feeds and comments that each language's "split at whitespace" or "read a
line" could take differently from `version_file.parse_version_text`; a folder in its place)
and named venvs in ROOT/venvs (some without pyvenv.cfg); first a fixed catalogue case, in which
every shell meets each of those decorations once (`catalogue`). One shell process per case walks
every folder of it, as close to the hook's own call as the shell allows, with nothing activated:

* bash, zsh, dash, ksh, mksh: `_pyshim_find` (shell/templates/sh-common.sh) after `command cd`;
* fish: `_pyshim_find` (fish.fish) after `builtin cd`, the PWD handler erased;
* tcsh: a real `cd`, whose `cwdcmd` alias runs tcsh-hook.csh; that hook names its venv only
  after the trust check, so every project venv of the case is allowed first (named venvs are
  trusted anyway), and no venv has an activate.csh, so nothing activates;
* nu (every nushell of tests/nu_shells.py): `_pyshim_find $env.PWD` (nu.nu) after `cd`, as its
  PWD hook calls it (a script runs no hooks);
* xonsh: `_pyshim_find($PWD.rstrip('/'))` (xonsh.xsh) after `cd`, as its on_chdir hook calls it,
  the handler discarded.

Not covered: pwsh (no build of it can be installed on this machine), and csh, which never runs
the `cwdcmd` alias that `pyshim init csh` (tcsh's code) sets, so it has no cd hook to compare.
"""

from __future__ import annotations

import importlib.util
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable, Dict, List, NamedTuple

import pytest

from conftest import CLEAN_PATH, missing_tool
from helpers import POSIX_SHELLS, SEED, SEGMENTS, version_text
from nu_shells import nu_named, nu_names
from pyshim.activation import quoting
from pyshim.base import paths
from pyshim.cli import COMMANDS
from pyshim.shell import ALIASES, init_code
from pyshim.shell.project import find_project_venv, marker_path

CASES = 25
NAMED = ["proj", "tools", "a b", "nocfg"]  # `nocfg` is a folder without pyvenv.cfg
# Around a named venv's name: what parse_version_text keeps as part of the name (NUL bytes
# aside, which are dropped first) and what it splits at, strips or skips.
BEFORE = ["", "", "\ufeff", " ", "\t", " \t", "\x0c", "\u00a0", "\r", "\x1c", "\n", "# note\n", " \n", "\r\n",
          "\r\r\n", "\0", "\0\n", "\ufeff\n"]
AFTER = ["", "", " note", " # pinned", "#x", "\0x", "\u00a0x", "\u2028x", "\rx", "\x0bx", "\x0cx", "\x1cx", "\x85x", "\0"]
END = ["\n", "\r\n", "", "\n3.12\n", "\r", "\r\r\n", "\n\0"]


def make_named_venvs() -> None:
    for name in NAMED:
        folder = Path(paths.venvs_dir()) / name
        folder.mkdir(parents=True, exist_ok=True)
        if name != "nocfg":
            (folder / "pyvenv.cfg").write_text("home = /nowhere\n")


def with_nul(rng: random.Random, name: str) -> str:
    """`name`, now and then with a NUL byte inside it (dropped by every reader: `pr\\0oj` is `proj`)."""
    if len(name) < 2 or rng.random() < 0.8:
        return name
    cut = rng.randint(1, len(name) - 1)
    return name[:cut] + "\0" + name[cut:]


def version_file_text(rng: random.Random) -> bytes:
    if rng.random() < 0.4:
        return version_text(rng)
    name = rng.choice(NAMED + ["missing", ".hidden", "a/b", ""])
    return (rng.choice(BEFORE) + with_nul(rng, name) + rng.choice(AFTER) + rng.choice(END)).encode("utf-8")


def build_case(number: int, rng: random.Random, top: Path) -> List[str]:
    """A chain of folders with random project files; every folder of it, deepest last. Every
    project venv is allowed (see the module docstring: tcsh)."""
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
            marker = Path(marker_path(place / ".venv"))
            marker.parent.mkdir(parents=True)
            marker.touch()
        elif roll < 0.5:
            (place / ".python-version").write_bytes(version_file_text(rng))
        elif roll < 0.55:
            (place / ".python-version").mkdir()
    return [str(place) for place in folders]


# ---------------------------------------------------------------------------------------------
# each shell's walk: a script that loads the init code, then prints the venv (or NONE) per folder


def sh_script(shell: str, init: Path, folders: List[str]) -> str:
    lines = [f". {quoting.sh_quote(str(init))}"]
    cd = "command cd"  # past sh.sh's cd wrapper
    if shell == "zsh":  # no chpwd hook, and zsh's `command` runs external commands only
        lines.append("chpwd_functions=()")
        cd = "builtin cd"
    for folder in folders:
        lines.append(f'{cd} {quoting.sh_quote(folder)} && _pyshim_find && printf "%s\\n" "${{_pyshim_found:-NONE}}"')
    return "\n".join(lines) + "\n"


def fish_script(init: Path, folders: List[str]) -> str:
    lines = [f"source {quoting.fish_quote(str(init))}", "functions -e _pyshim_hook"]
    for folder in folders:  # _pyshim_find prints how it found the venv, then the venv
        lines.append(f"builtin cd {quoting.fish_quote(folder)}; or exit 1")
        lines.append("set -l found (_pyshim_find) NONE NONE; printf '%s\\n' $found[2]")
    return "\n".join(lines) + "\n"


def tcsh_script(init: Path, folders: List[str]) -> str:
    lines = [f"source {quoting.csh_quote(str(init))}"]
    for folder in folders:
        lines += [f"cd {quoting.csh_quote(folder)}", 'if ( "$_pyshim_found" == "" ) then', "    echo NONE", "else",
                  "    printf '%s\\n' \"$_pyshim_found\"", "endif"]
    return "\n".join(lines) + "\n"


def nu_script(init: Path, folders: List[str]) -> str:
    lines = [f"source {quoting.nu_quote(str(init))}"]
    for folder in folders:
        lines.append(f"cd {quoting.nu_quote(folder)}")
        lines.append('print (_pyshim_find $env.PWD | if $in == "" { "NONE" } else { $in })')
    return "\n".join(lines) + "\n"


def xonsh_script(init: Path, folders: List[str]) -> str:
    lines = ["$XONSH_SHOW_TRACEBACK = True", f"source {quoting.python_quote(str(init))}",
             "events.on_chdir.discard(_pyshim_on_chdir)"]
    lines.append(f"for folder in [{', '.join(map(quoting.python_quote, folders))}]:")  # one line: xonsh parses slowly
    lines.append("    cd @(folder)\n    print(_pyshim_find($PWD.rstrip('/')) or 'NONE')")
    return "\n".join(lines) + "\n"


class Walk(NamedTuple):
    """How one shell runs the walk: its argv (the script's path follows), init name, script."""

    argv: List[str]
    init_shell: str
    suffix: str
    script: Callable[[Path, List[str]], str]


def walk_for(shell: str) -> Walk:
    """The shell's Walk; a skip (a failure in CI) when it is not installed."""
    if shell.startswith("nu-"):
        return Walk([nu_named(shell).path, "--no-config-file"], "nu", ".nu", nu_script)
    if shell == "xonsh":
        if importlib.util.find_spec("xonsh") is None:
            missing_tool("xonsh is not installed (pip install xonsh)")
        return Walk([sys.executable, "-m", "xonsh", "--no-rc"], "xonsh", ".xsh", xonsh_script)
    found = shutil.which(shell, path=CLEAN_PATH)
    if found is None:
        missing_tool(f"{shell} is not installed")
    if shell == "fish":
        return Walk([found, "--no-config"], "fish", ".fish", fish_script)
    if shell == "tcsh":
        return Walk([found, "-f"], "tcsh", ".csh", tcsh_script)
    return Walk([found], ALIASES.get(shell, shell), ".sh", lambda init, folders: sh_script(shell, init, folders))


def shell_walk(walk: Walk, folders: List[str], init: Path, environ: Dict[str, str]) -> List[str]:
    script = init.with_name("walk" + walk.suffix)
    script.write_text(walk.script(init, folders), encoding="utf-8")
    done = subprocess.run([*walk.argv, str(script)], capture_output=True, env=environ, timeout=60,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout.decode("utf-8", "surrogateescape").split("\n")[:-1]


def disagreements(folders: List[str], expected: List[str], got: List[str]) -> List[tuple]:
    """(folder, Python's venv, the shell's, the case's version files on the way up) where they differ."""
    version_files = {folder: Path(folder, ".python-version").read_bytes() for folder in folders
                     if Path(folder, ".python-version").is_file()}
    return [(folder, want, have, {place: text for place, text in version_files.items() if folder.startswith(place)})
            for folder, want, have in zip(folders, expected, got) if want != have]


SHELLS = [*POSIX_SHELLS, "fish", "tcsh", *nu_names(), "xonsh"]


def catalogue(top: Path) -> List[str]:
    """Folders side by side, each with a version file naming `proj` with one decoration of
    version_file_text's (so every shell meets each one), and the files on which a hook once
    read another name than the Python twin: NUL bytes inside a name (zsh, fish, tcsh, nu), a
    BOM after a NUL (zsh), Unicode spaces, form feeds and lone CRs (xonsh, nu), a UTF-16 file
    (nu's `decode` reads its BOM); and a block of NULs before the name, as a crash can leave."""
    texts = [*(before + "proj\n" for before in BEFORE), *("proj" + after + "\n" for after in AFTER),
             *("proj" + end for end in END), "pr\0oj", "\0\ntools\0\r", "\0\ufeffproj\n", "\ufeff\ufeffproj\n",
             "\0" * 4096 + "proj\n"]
    folders = []
    for number, data in enumerate([*(text.encode("utf-8") for text in dict.fromkeys(texts)), "proj\n".encode("utf-16")]):
        folder = top / "catalogue" / str(number)
        folder.mkdir(parents=True)
        (folder / ".python-version").write_bytes(data)
        folders.append(str(folder))
    return folders


def check_case(walk: Walk, init: Path, folders: List[str], environ: Dict[str, str], label: object) -> List[str]:
    """The shell's walk over `folders` is Python's; the venvs (NONE for none)."""
    expected = [find_project_venv(folder, environ) or "NONE" for folder in folders]
    got = shell_walk(walk, folders, init, environ)
    assert len(got) == len(folders) and got == expected, (label, disagreements(folders, expected, got))
    return expected


@pytest.mark.parametrize("shell", SHELLS)
def test_the_hook_walk_agrees_with_find_project_venv(shell: str, tmp_path: Path) -> None:
    walk = walk_for(shell)
    make_named_venvs()
    init = tmp_path / ("init" + walk.suffix)
    init.write_text(init_code(walk.init_shell, COMMANDS), encoding="utf-8")
    environ = dict(os.environ, PATH=CLEAN_PATH, PYSHIM_AUTO_VENV="1")
    check_case(walk, init, catalogue(tmp_path / "trees"), environ, "catalogue")
    rng = random.Random(SEED + sum(map(ord, shell)))
    seen = set()
    for number in range(CASES):
        folders = build_case(number, rng, tmp_path / "trees")
        environ["PYSHIM_AUTO_VENV"] = rng.choice(["1", "1", "1", "0"])
        seen.update("named" if venv.startswith(paths.venvs_dir()) else "none" if venv == "NONE" else "project"
                    for venv in check_case(walk, init, folders, environ, number))
    assert seen == {"named", "none", "project"}  # the cases reach every outcome
