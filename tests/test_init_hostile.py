"""`pyshim init` under hostile input, in every POSIX-family shell, fish and tcsh, run for real.

What a shell inherits or is given is untrusted: an inherited $PWD that still holds `..`, and
the arguments of the `pyshim` function or alias (a path with `;touch MK` in it). Every case
plants marker files that only code nobody chose would write, and checks that none appears;
a positive control in each test shows the same set-up does work, so no test passes by doing
nothing. Each shell runs interactively in a pseudo-terminal (pexpect), as a user has it.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Dict

import pexpect
import pytest

from conftest import CLEAN_PATH, missing_tool, run_pyshim
from helpers import HOSTILE, Spawned, pyshim_bin, started_and_closed

SHELLS = ["bash", "dash", "ksh93", "mksh", "zsh", "fish", "tcsh"]
INIT = {"bash": "bash", "dash": "sh", "ksh93": "ksh", "mksh": "ksh", "zsh": "zsh", "fish": "fish", "tcsh": "tcsh"}
TIMEOUT = 30


class Interactive(Spawned):
    """One interactive shell in a pseudo-terminal; `run(line)` waits until the line is done."""

    def __init__(self, name: str, tmp_path: Path, cwd: Path, env: Dict[str, str]) -> None:
        found = shutil.which(name, path=CLEAN_PATH)
        if found is None:
            missing_tool(f"{name} is not installed (apt-get install -y {name})")
        self.name = name
        self.count = 0
        base = tmp_path / f"{name}-home"
        (base / "config").mkdir(parents=True, exist_ok=True)
        bin_dir = pyshim_bin(base / "bin")
        full_env = dict(os.environ, ZDOTDIR=str(base), XDG_CONFIG_HOME=str(base / "config"), SHELL=name,
                        PATH=f"{bin_dir}:{CLEAN_PATH}", TERM="dumb", PS1="psx> ", ENV="/dev/null")
        full_env.update(env)
        argv = {"bash": ["--norc", "--noprofile", "-i"], "zsh": ["-f", "-i"], "fish": ["--no-config", "-i"],
                "tcsh": ["-f", "-i"]}.get(name, ["-i"])
        self.child = pexpect.spawn(found, argv, env=full_env, cwd=str(cwd), encoding="utf-8", timeout=TIMEOUT,
                                   dimensions=(50, 400))
        if name == "zsh":
            self.run("unsetopt zle")
        if name == "fish":
            self.run("set -g fish_greeting")

    def run(self, line: str) -> str:
        """Send `line`, then a marker echo; the output up to the marker (typed text included)."""
        self.count += 1
        # Typed, the marker reads `sync""N`; printed, `syncN`: only the output matches.
        self.child.sendline(line)
        self.child.sendline(f'echo "sync""{self.count}_"')
        self.child.expect(re.escape(f"sync{self.count}_"))
        return self.child.before

    def init_line(self) -> str:
        init = INIT[self.name]
        return {"fish": "pyshim init fish | source", "tcsh": 'eval "`pyshim init tcsh`"'}.get(
            init, f'eval "$(pyshim init {init})"')


@pytest.fixture
def interactive(tmp_path: Path):
    yield from started_and_closed(lambda name, cwd, **env: Interactive(name, tmp_path, cwd, env))


def hand_made_venv(folder: Path, marker: Path) -> Path:
    """A `.venv` nobody built with pyshim: its activation scripts only leave `marker` behind."""
    bin_dir = folder / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (folder / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    for script in ("activate", "activate.fish", "activate.csh"):
        (bin_dir / script).write_text(f"touch '{marker}'\n")
    return folder / ".venv"


@pytest.mark.parametrize("name", SHELLS)
def test_an_inherited_pwd_with_dot_dot_does_not_make_a_venv_trusted(name: str, interactive, work_dir: Path) -> None:
    """`env PWD=$PYSHIM_ROOT/venvs/../../clone SHELL -i` in clone: that PWD starts with the named
    venvs' folder, but clone's hand-made .venv is not a named venv; an allowed one still works."""
    root = Path(os.environ["PYSHIM_ROOT"])
    (root / "venvs").mkdir(parents=True)
    ran = work_dir / "hand-made-ran"
    clone = work_dir / "clone"
    hand_made_venv(clone, ran)
    hostile_pwd = f"{root}/venvs/{os.path.relpath(clone, root / 'venvs')}"
    assert ".." in hostile_pwd and os.path.samefile(hostile_pwd, clone)
    shell = interactive(name, clone, PWD=hostile_pwd)
    output = shell.run(shell.init_line()) + shell.run("cd .") + shell.run("true")
    assert not ran.exists(), output
    assert f"not activating {clone}/.venv" in output  # the warning names the normalised path

    allowed_ran = work_dir / "allowed-ran"
    good = work_dir / "good"
    hand_made_venv(good, allowed_ran)
    assert run_pyshim("allow", str(good / ".venv")).returncode == 0
    shell = interactive(name, good, PWD=f"{root}/venvs/{os.path.relpath(good, root / 'venvs')}")
    output = shell.run(shell.init_line()) + shell.run("true")
    assert allowed_ran.exists(), output


def test_the_python_rule_decides_trust_on_a_normalised_path(work_dir: Path) -> None:
    """`link/../..` through a symlink: lexically inside ROOT/venvs, physically inside the clone."""
    from pyshim.base import paths
    from pyshim.shell import project

    root = Path(paths.root())
    (root / "venvs" / "tools").mkdir(parents=True)
    clone = work_dir / "clone"
    (clone / "a" / "b").mkdir(parents=True)
    (work_dir / "link").symlink_to(clone / "a" / "b")
    lookalike = clone / root.name / "venvs"  # the clone's own folders, named like pyshim's
    hand_made_venv(lookalike, work_dir / "unused")
    hostile = Path(os.path.join(str(work_dir / "link"), "..", "..", root.name, "venvs"))
    assert os.path.samefile(hostile, lookalike) and os.path.abspath(hostile) == str(root / "venvs")
    found = project.find_project_venv(hostile, {})
    assert found == str(lookalike / ".venv")
    assert not project.is_trusted(found)
    assert not project.is_trusted(Path(os.path.join(str(hostile), ".venv")))
    assert project.is_trusted(root / "venvs" / "tools")
    project.allow(lookalike / ".venv")
    assert project.is_trusted(Path(os.path.join(str(hostile), ".venv")))


def hostile_venvs(top: Path) -> Dict[str, Path]:
    """One small venv (pyvenv.cfg and pyshim's activation scripts) under each hostile text of
    the activation tests; no interpreter, since only activating and deactivating are tested."""
    from pyshim.activation import write_activation_scripts

    venvs = {}
    for case, text in HOSTILE.items():
        venv = top / case / text / "venv"
        (venv / "bin").mkdir(parents=True)
        (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
        write_activation_scripts(venv, case)
        venvs[case] = venv
    return venvs


def activation_script(name: str, venvs: Dict[str, Path]) -> str:
    """`pyshim activate PATH` with each hostile PATH quoted as a user would type it, then print."""
    from pyshim.activation import quoting

    init = INIT[name]
    if name == "tcsh":
        quote, show = quoting.csh_quote, "printf '@@%s=%s\\n' {case} $VIRTUAL_ENV:q"
        lines = ['eval "`pyshim init tcsh`"']
    elif name == "fish":
        quote, show = quoting.fish_quote, "printf '@@%s=%s\\n' {case} \"$VIRTUAL_ENV\""
        lines = ["pyshim init fish | source"]
    else:
        quote, show = quoting.sh_quote, "printf '@@%s=%s\\n' {case} \"$VIRTUAL_ENV\""
        lines = [f'eval "$(pyshim init {init})"']
    for case, venv in venvs.items():
        lines += [f"pyshim activate {quote(str(venv))}", show.format(case=case), "pyshim deactivate"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name", SHELLS)
def test_pyshim_activate_passes_hostile_paths_as_data(name: str, tmp_path: Path, work_dir: Path) -> None:
    import subprocess

    found = shutil.which(name, path=CLEAN_PATH)
    if found is None:
        missing_tool(f"{name} is not installed (apt-get install -y {name})")
    venvs = hostile_venvs(tmp_path / "hostile")
    script = tmp_path / f"activate.{name}"
    script.write_text(activation_script(name, venvs))
    bin_dir = pyshim_bin(tmp_path / "pyshim-bin")
    flags = {"zsh": ["-f"], "fish": ["--no-config"], "tcsh": ["-f"]}.get(name, [])
    env = dict(os.environ, PATH=f"{bin_dir}:{CLEAN_PATH}", SHELL=name, PWD=str(work_dir))
    result = subprocess.run([found, *flags, str(script)], cwd=work_dir, env=env, capture_output=True, text=True,
                            timeout=120)
    shown = dict(line[2:].split("=", 1) for line in result.stdout.splitlines() if line.startswith("@@"))
    markers = [str(path) for path in tmp_path.rglob("MARKER")]
    assert not markers, (markers, result.stderr)
    wrong = {case: shown.get(case) for case, venv in venvs.items() if shown.get(case) != str(venv)}
    assert not wrong, (wrong, result.stderr[-2000:])


@pytest.mark.parametrize("name", SHELLS)
def test_pyshim_activate_typed_at_the_prompt_passes_the_path_as_data(name: str, interactive, tmp_path: Path,
                                                                     work_dir: Path) -> None:
    """The same, typed at an interactive prompt (history substitution and aliases act there)."""
    from pyshim.activation import quoting

    venv = hostile_venvs(tmp_path / "hostile")["everything"]
    quote = {"tcsh": quoting.csh_quote, "fish": quoting.fish_quote}.get(name, quoting.sh_quote)
    shell = interactive(name, work_dir)
    shell.run(shell.init_line())
    show = "printf '<%s>\\n' $VIRTUAL_ENV:q" if name == "tcsh" else "printf '<%s>\\n' \"$VIRTUAL_ENV\""
    output = shell.run(f"pyshim activate {quote(str(venv))}") + shell.run(show)
    assert not list(tmp_path.rglob("MARKER")), output
    assert f"<{venv}>" in output, output


# .python-version text -> whether the named venv `venvN` it starts with is the one it names.
VERSION_FILE_SPLITS = {
    "line-separator": ("{name}\u2028x\n", False),  # one (unknown) name, as the selection reads it
    "ideographic-space": ("{name}\u3000x\n", False),
    "no-break-space": ("{name}\u00a0x\n", False),
    "tab": ("{name}\tx\n", True),
    "bom-crlf": ("\ufeff{name}\r\n3.12\r\n", True),
    "comment-first": ("# the project's venv\r\n  {name}  # pinned\r\n", True),
}


@pytest.mark.parametrize("name", SHELLS)
def test_hooks_split_a_version_file_as_the_selection_does(name: str, interactive, work_dir: Path) -> None:
    from pyshim.shell import project

    cases = dict(VERSION_FILE_SPLITS)
    root = Path(os.environ["PYSHIM_ROOT"])
    for index, (case, (text, named)) in enumerate(sorted(cases.items())):
        venv = root / "venvs" / f"venv{index}"
        (venv / "bin").mkdir(parents=True)
        (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
        for script in ("activate", "activate.fish", "activate.csh"):
            (venv / "bin" / script).write_text(f"touch '{work_dir / ('ran-' + case)}'\n")
        folder = work_dir / case
        folder.mkdir()
        (folder / ".python-version").write_bytes(text.format(name=venv.name).encode("utf-8"))
        assert (project.find_project_venv(folder, {}) == str(venv)) is named, case  # the Python twin agrees
    shell = interactive(name, work_dir, LC_ALL="C.UTF-8", LANG="C.UTF-8")
    output = shell.run(shell.init_line())
    for case in sorted(cases):
        output += shell.run(f"cd {work_dir / case}") + shell.run(f"cd {work_dir}")
    ran = {case: (work_dir / f"ran-{case}").exists() for case in cases}
    assert ran == {case: cases[case][1] for case in cases}, output[-3000:]
