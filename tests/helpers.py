"""What several test modules share: real venvs, interactive shells, shims, the activation-script
harness, the generated trees of the differential tests, hand-made wheels.

Fixtures built on these (`shell_factory`, `pyshim_shell`, `projects`, `base_venv`, `infra`) are
in conftest.py, as are the sealing of each test and the finding of this machine's interpreters
(`machine_versions`, `version_named`); a test module imports from here, from conftest and from
nu_shells (the nushells found), never from another test module.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import pathlib
import random
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple, TypeVar

from pyshim.activation import quoting, write_activation_scripts
from pyshim.shell import INIT_LINES

from conftest import CLEAN_PATH, machine_versions, newest_version, run_pyshim, version_named
from nu_shells import Nu, nu_named, nu_names

REPO = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------------------------------------
# the test's sealed root, its interpreters, venvs built in it


def pyshim_bin(folder: Path) -> Path:
    """`folder` (made if missing) holding a `pyshim` script that runs this checkout's pyshim."""
    folder.mkdir(parents=True, exist_ok=True)
    wrapper = folder / "pyshim"
    wrapper.write_text(f'#!/bin/sh\nexec {sys.executable} -m pyshim "$@"\n')
    wrapper.chmod(0o755)
    return folder


def pyshim_root() -> Path:
    """The test's own PYSHIM_ROOT (conftest's `isolated` fixture makes one per test)."""
    return Path(os.environ["PYSHIM_ROOT"])


def shims_folder() -> str:
    """ROOT/shims, as text (what a shell's PATH holds)."""
    return str(pyshim_root() / "shims")


def pyenv_bin(name: str) -> str:
    """The bin folder of version `name` under the test's PYENV_ROOT."""
    return os.path.join(os.environ["PYENV_ROOT"], "versions", name, "bin")


def pyenv_python(prefix: str) -> Path:
    """The newest `prefix` (e.g. '3.12') as the test's PYENV_ROOT holds it."""
    return Path(pyenv_bin(version_named(prefix))) / "python"


def make_venv(path: Path, prompt: "str | None" = None, *, with_pip: bool = False,
              python: "Path | None" = None) -> Path:
    """A real venv (the stdlib's venv module run by a real 3.12; without pip unless asked: fast).
    With `prompt`, it has that prompt and pyshim's activation scripts. `python`: the interpreter
    to build it with (default: the machine's 3.12 in its real folder)."""
    if python is None:
        python = machine_versions()[version_named("3.12")] / "bin" / "python"
    options = ([] if with_pip else ["--without-pip"]) + ([] if prompt is None else ["--prompt", prompt])
    subprocess.run([str(python), "-m", "venv", *options, str(path)], check=True)
    if prompt is not None:
        write_activation_scripts(path, prompt)
    return path


def make_named_venv(name: str, with_pip: bool = False) -> Path:
    """ROOT/venvs/NAME: a named venv of the 3.12 under the test's PYENV_ROOT (no activation scripts)."""
    return make_venv(pyshim_root() / "venvs" / name, with_pip=with_pip, python=pyenv_python("3.12"))


def project_with_venv(folder: Path) -> Path:
    """folder/.venv holding only a pyvenv.cfg: enough of a venv to be trusted, never run."""
    (folder / ".venv").mkdir(parents=True)
    (folder / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    return folder / ".venv"


def allow_marker(venv: Path) -> Path:
    """The file `pyshim allow` writes for `venv`: ROOT/allowed/<absolute path>@allowed."""
    return Path(os.path.join(pyshim_root() / "allowed", str(venv).lstrip("/")) + "@allowed")


def older_allow_marker(venv: Path) -> Path:
    """The marker of earlier releases, ROOT/allowed/<absolute path>/@allowed, which is still read."""
    return pyshim_root() / "allowed" / str(venv).lstrip("/") / "@allowed"


def is_shared_marker(marker: Path) -> bool:
    """Whether `marker` is a hard link to ROOT/allowed/@allowed, as `pyshim allow` makes each one."""
    return marker.is_file() and not marker.is_symlink() and os.path.samefile(marker, allow_marker(Path("/")))


# ---------------------------------------------------------------------------------------------
# shims


def rehash() -> Path:
    """A real `pyshim rehash`; the shims folder."""
    result = run_pyshim("rehash", "--quiet")
    assert result.returncode == 0, result.stderr
    return pyshim_root() / "shims"


def run_shim(command: str, *args: str, cwd: Path, env: Optional[Dict[str, str]] = None, shell: Optional[str] = None,
             input: Optional[bytes] = None, shim: Optional[Path] = None, prefix: Sequence[str] = (),
             text: bool = False) -> subprocess.CompletedProcess:
    """Run ROOT/shims/COMMAND (or `shim`) from `cwd` under PYSHIM_DEBUG_SHIM=1, so it says which
    path it took; `shell`: run it with that shell; `prefix`: argv before it."""
    full_env = dict(os.environ, PWD=str(cwd), PYSHIM_DEBUG_SHIM="1")
    full_env.update(env or {})
    path = shim or pyshim_root() / "shims" / command
    argv: List[str] = [*prefix] + ([shell] if shell else []) + [str(path), *args]
    return subprocess.run(argv, cwd=cwd, env=full_env, input=input, capture_output=True, text=text, timeout=120)


# ---------------------------------------------------------------------------------------------
# interactive shells in a pseudo-terminal (pexpect), started by a fixture that closes them

SHELLS = [name for name in ("bash", "zsh", "fish") if shutil.which(name, path=CLEAN_PATH)]
TIMEOUT = 20

Started = TypeVar("Started")


def started_and_closed(start: Callable[..., Started]) -> Iterator[Callable[..., Started]]:
    """A fixture's body: yields `start`, remembering what it started; closes each at the end."""
    started: List[Started] = []

    def remembered(*args, **kwargs) -> Started:
        thing = start(*args, **kwargs)
        started.append(thing)
        return thing

    yield remembered
    for thing in started:
        thing.close()


class Spawned:
    """A shell in a pseudo-terminal, ended by typing `exit`."""

    child = None

    def close(self) -> None:
        self.child.sendline("exit")
        self.child.close(force=True)


class Shell(Spawned):
    """One interactive bash, zsh or fish; `run(line)` returns the output and remembers the exit
    status. `run`, `status`, `env`, `path`, `prefix`, `outcome`, `quote` and `close` are
    NuShell's too, so one test can drive both (see `start_shell`)."""

    def __init__(self, name: str, tmp_path: Path, extra_env: "Dict[str, str] | None" = None) -> None:
        import pexpect  # here, so that conftest (which imports this module) does not need it

        self.name = name
        self.count = 0
        self.status = 0
        base = tmp_path / f"{name}-shell"
        bin_dir = pyshim_bin(base / "bin")
        for folder in ("zdotdir", "config"):
            (base / folder).mkdir()
        env = dict(os.environ)
        env.update(ZDOTDIR=str(base / "zdotdir"), XDG_CONFIG_HOME=str(base / "config"), SHELL=name,
                   PATH=f"{bin_dir}:{CLEAN_PATH}", TERM="dumb", PS1="psx> ")
        env.update(extra_env or {})
        argv = {"bash": ["--norc", "--noprofile", "-i"], "zsh": ["-f", "-i"], "fish": ["--no-config", "-i"]}[name]
        self.child = pexpect.spawn(name, argv, env=env, encoding="utf-8", timeout=TIMEOUT, cwd=os.getcwd(),
                                   dimensions=(50, 400))
        if name == "fish":
            self.run("function fish_prompt; echo -n 'psx> '; end; set -g fish_greeting")
        elif name == "zsh":
            self.run("unsetopt zle; PS1='psx> '")
        self.init_line = "pyshim init fish | source" if name == "fish" else f'eval "$(pyshim init {name})"'

    def run(self, line: str) -> str:
        self.count += 1
        mark = f"__pyshim_{self.count}_"
        status = "$status" if self.name == "fish" else "$?"
        # The typed line shows `__pyshim_N"_"` while the output shows `__pyshim_N_`: only the output matches.
        self.child.sendline(f'{line}; echo "{mark}""_"{status}"_end"')
        self.child.expect(re.escape(mark) + r"_(\d+)_end")
        output = self.child.before
        self.status = int(self.child.match.group(1))
        # Drop the echo of the typed line; keep what came before it (output of the last prompt hook).
        typed = output.rfind(f'{mark}""_"')
        if typed < 0:
            return output
        return output[:output.rfind("\n", 0, typed) + 1] + output[output.find("\n", typed) + 1:]

    def value(self, expression: str) -> str:
        if self.name != "fish":
            expression = re.sub(r"^\$(\w+)$", r"${\1-}", expression)  # also under `set -u`
        return self.run(f'printf "<%s>\\n" "{expression}"').split("<", 1)[1].split(">", 1)[0]

    def prefix(self) -> str:
        return self.run("python -c 'import sys; print(\"<\" + sys.prefix + \">\")'").split("<")[-1].split(">")[0]

    def env(self, name: str) -> str:
        """The variable `name`, "" when unset."""
        return self.value(f"${name}")

    def path(self) -> str:
        """PATH, folders joined by `:` (as fish joins a quoted path variable too)."""
        return self.value("$PATH")

    def outcome(self, line: str) -> str:
        """"ok", or what `line` printed when it failed."""
        out = self.run(line)
        return "ok" if self.status == 0 else out.strip()

    def quote(self, text: str) -> str:
        """`text` as one word of this shell."""
        return quoting.fish_quote(text) if self.name == "fish" else quoting.sh_quote(text)

    def prompt(self) -> str:
        code = {"bash": 'printf "[%s]\\n" "${PS1@P}"', "zsh": 'print -r -- "[${(%)PS1}]"',
                "fish": 'printf "[%s]\\n" (fish_prompt)'}[self.name]
        return self.run(code).split("[", 1)[1].rsplit("]", 1)[0]


CURSOR_QUERY = re.escape("\x1b[6n")  # reedline asks where the cursor is before each prompt
PROMPT_STARTS = re.escape("\x1b[?2004h")  # and turns bracketed paste on while it reads a line
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[78]")


class NuShell:
    """One interactive `nu` whose config.nu holds the line `pyshim init` tells a nushell user to
    add; `run(line)` returns what it printed, `status` is LAST_EXIT_CODE. Shell's interface."""

    def __init__(self, nu: Nu, tmp_path: Path, extra_env: "Dict[str, str] | None" = None) -> None:
        import pexpect  # as in Shell

        self.timeout = pexpect.TIMEOUT
        base = tmp_path / f"nu-{nu.version}"
        bin_dir = pyshim_bin(base / "bin")
        config = base / "config" / "nushell"
        config.mkdir(parents=True)
        (config / "env.nu").write_text("")
        (config / "config.nu").write_text(
            '$env.PROMPT_COMMAND = {|| "psx> " }\n$env.PROMPT_INDICATOR = ""\n$env.PROMPT_COMMAND_RIGHT = ""\n'
            "$env.config = ($env.config? | default {} | upsert show_banner false)\n"
            + INIT_LINES["nu"][1] + "\n")
        self.data_dir = base / "data" / "nushell"
        env = dict(os.environ, XDG_CONFIG_HOME=str(base / "config"), XDG_DATA_HOME=str(base / "data"),
                   PATH=f"{bin_dir}:{CLEAN_PATH}", TERM="dumb", NO_COLOR="1", SHELL=nu.path)
        env.update(extra_env or {})
        self.count = 0
        self.status = 0
        self.child = pexpect.spawn(nu.path, [], env=env, encoding="utf-8", timeout=30, cwd=os.getcwd(),
                                   dimensions=(50, 400))
        self.child.delaybeforesend = None
        self.startup = self._next_prompt()

    def _answer(self) -> None:
        self.child.send("\x1b[1;1R")

    def _settle(self) -> str:
        """Answer cursor queries until nu has been quiet for a moment (it is reading a line)."""
        out: List[str] = []
        while True:
            found = self.child.expect([CURSOR_QUERY, self.timeout], timeout=0.3)
            out.append(self.child.before)
            if found == 1:
                return "".join(out)
            self._answer()

    def _next_prompt(self) -> str:
        """What nu prints until it reads the next line: its bracketed-paste switch, then quiet.
        Typing earlier is lost: the terminal is not in raw mode yet, so Enter arrives as LF."""
        out = []
        while self.child.expect([PROMPT_STARTS, CURSOR_QUERY]) == 1:
            out.append(self.child.before)
            self._answer()
        out.append(self.child.before)
        out.append(self._settle())
        return "".join(out)

    def run(self, line: str) -> str:
        """Type `line`; then, at the next prompt, a line that prints a marker and the status."""
        self.count += 1
        self.child.send(line + "\r")  # Enter is CR at a raw-mode prompt; older reedline ignores LF
        out = [self._next_prompt()]  # the line and the PWD hooks have run
        mark = f"__pyshim_{self.count}_"
        self.child.send(f'print ("{mark}" + "_end " + ($env.LAST_EXIT_CODE | into string))\r')
        while self.child.expect([re.escape(mark) + r"_end (-?\d+)", CURSOR_QUERY]) == 1:
            out.append(self.child.before)
            self._answer()
        out.append(self.child.before)
        self.status = int(self.child.match.group(1))
        self._next_prompt()
        text = ANSI.sub("", "".join(out)).replace("\r", "")
        return text

    def outcome(self, line: str) -> str:
        """"ok", or the message of the error `line` raised (LAST_EXIT_CODE after an error in a
        custom command is 1 from nu 0.101 on, 0 before: catching it works in every version)."""
        return self.value(f'(try {{ {line}; "ok" }} catch {{|e| $e.msg }})')

    def value(self, expression: str) -> str:
        out = self.run(f'print ("@<" + "@" + ({expression} | into string) + ">@")')
        return re.findall(r"@<@(.*?)>@", out)[-1]

    def env(self, name: str) -> str:
        return self.value(f'($env.{name}? | default "")')

    def path(self) -> str:
        return self.value('($env.PATH | str join ":")')

    def prefix(self) -> str:
        return self.value("(^python -c 'import sys; print(sys.prefix)' | str trim)")

    def quote(self, text: str) -> str:
        return quoting.nu_quote(text)

    def close(self) -> None:
        self.child.sendline("exit\r")
        self.child.close(force=True)


INTERACTIVE_SHELLS = [*SHELLS, *nu_names()]


def start_shell(name: str, tmp_path: Path, extra_env: "Dict[str, str] | None" = None) -> "Shell | NuShell":
    """A shell of INTERACTIVE_SHELLS with `pyshim init` loaded as its start-up file would: bash,
    zsh and fish type their init line, a nushell's config.nu holds it."""
    if name.startswith("nu-"):
        return NuShell(nu_named(name), tmp_path, extra_env)
    shell = Shell(name, tmp_path, extra_env)
    shell.run(shell.init_line)
    return shell


def make_projects(work_dir: Path, pyshim) -> Dict[str, Path]:
    """outer/.venv (allowed), outer/pkg/inner/.venv (allowed), wild/.venv (not allowed), outer/sub."""
    outer = work_dir / "outer"
    inner = outer / "pkg" / "inner"
    wild = work_dir / "wild"
    for folder, prompt in ((outer, "outer-env"), (inner, "inner-env"), (wild, "wild-env")):
        folder.mkdir(parents=True)
        make_venv(folder / ".venv", prompt)
    for folder in (outer, inner):
        assert pyshim("allow", str(folder)).returncode == 0
    (outer / "sub").mkdir()
    return {"outer": outer, "inner": inner, "wild": wild, "top": work_dir}


# ---------------------------------------------------------------------------------------------
# activation scripts run in real shells (test_activation.py, test_nushell.py)

MARKER = "MARKER"

# Path components (and prompts) that must stay data in every shell.
HOSTILE = {
    "space": "with space",
    "squote": "it's",
    "dquote": 'say "hi"',
    "dollar": "cost$HOME",
    "cmdsubst": f"$(touch {MARKER})",
    "backtick": f"`touch {MARKER}`",
    "semicolon": f"a;touch {MARKER}",
    "andand": f"a&&touch {MARKER}",
    "pipe": f"a|touch {MARKER}",
    "bang": "wow!!x!$",
    "percent": "100%d %~ %% %",
    "backslash": "back\\slash\\n",
    "trailing_backslash": "end\\",
    "bs_squote": f"x\\';touch {MARKER};'",
    "star": "st*r?",
    "leading_dash": "-rf",
    "nonascii": "naïve-Ünïcødé",
    "emoji": "snake-🐍-😀",
    "everything": f"a b'c\"d$e$(touch {MARKER})`touch {MARKER}`;&&|!%\\'*-é🐍\\",
}

COMBINED = HOSTILE["everything"]

DUMP_SCRIPT = r"""
import json, os, sys
out = os.environ["PYSHIM_T_OUT"]
with open(os.path.join(out, sys.argv[1] + ".json"), "w", encoding="utf-8") as f:
    json.dump({"env": dict(os.environ), "prefix": sys.prefix, "executable": sys.executable}, f)
"""


def base_python() -> Path:
    """What the activation tests' base venv is built with: the machine's 3.12, else this Python."""
    name = newest_version("3.12")
    return machine_versions()[name] / "bin" / "python3" if name else Path(sys.executable)


def copy_venv(base: pathlib.Path, parent: pathlib.Path, name: str, prompt: str) -> pathlib.Path:
    """A copy of the base venv at parent/name, with pyshim's scripts for that path."""
    parent.mkdir(exist_ok=True)
    venv = parent / name
    shutil.copytree(base, venv, symlinks=True)
    write_activation_scripts(venv, prompt)
    return venv


class Run:
    """One shell run: its work folder, environment and the dumps it wrote."""

    def __init__(self, tmp: pathlib.Path, infra: pathlib.Path) -> None:
        tmp = tmp / "act"
        tmp.mkdir()
        self.work = tmp / "work"
        self.out = tmp / "out"
        self.home = tmp / "home"
        for folder in (self.work, self.out, self.home):
            folder.mkdir()
        self.env = {
            "HOME": str(self.home),
            "ZDOTDIR": str(self.home),
            "XDG_CONFIG_HOME": str(self.home / ".config"),
            "XDG_DATA_HOME": str(self.home / ".local" / "share"),
            "XDG_CACHE_HOME": str(self.home / ".cache"),
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "TERM": "dumb",
            "PYSHIM_T_OUT": str(self.out),
            "DUMP": str(infra / "dump.py"),
            "TESTPY": sys.executable,
            "PYTHONHOME": "/before/python home",
        }

    def run(self, command: list[str], script: str, suffix: str) -> subprocess.CompletedProcess[str]:
        script_path = self.out.parent / f"script{suffix}"
        script_path.write_text(script, encoding="utf-8")
        result = subprocess.run(
            [*command, str(script_path)],
            cwd=self.work,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        assert not (self.work / MARKER).exists(), "a path or prompt ran as code"
        return result

    def dump(self, label: str) -> dict:
        return json.loads((self.out / f"{label}.json").read_text(encoding="utf-8"))


POSIX_SHELLS = ["bash", "zsh", "dash", "ksh", "mksh"]


NOISE = {"_", "SHLVL", "PWD", "OLDPWD", "PROMPT_EXPANDED", "T_PY", "T_PIP", "_VIRTUAL_ENV_PS1_PREFIX"}
# xonsh exports a few variables of its own to every child.
XONSH_NOISE = {"XONSH_VERSION", "XONSH_INTERACTIVE", "XONSH_LOGIN", "XONSH_SHOW_TRACEBACK",
               "XONSH_TRACEBACK_LOGFILE", "XONSH_MODE", "LINES", "COLUMNS", "PROMPT", "RIGHT_PROMPT",
               "BOTTOM_TOOLBAR", "TITLE", "MULTILINE_PROMPT", "XONSHRC", "XONSHRC_DIR",
               "XONSH_DATA_DIR", "XONSH_CONFIG_DIR", "XONSH_CACHE_DIR"}


def comparable(env: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if k not in NOISE}


def expected_prompt(shell: str, prompt: str) -> str:
    """PS1's prefix after parameter expansion (ksh93 turns `!!` into `!` only when drawing)."""
    if shell == "ksh":
        return quoting.ksh93_prompt_prefix(prompt)
    if shell == "zsh":  # without PROMPT_SUBST a backtick shows escaped (quoting.zsh_literal_prompt_prefix)
        return "(" + prompt.replace("`", "\\`") + ") "
    return f"({prompt}) "


def check_run(shell: str, run: Run, result: subprocess.CompletedProcess[str], venv: pathlib.Path, prompt: str,
              shown: "str | None" = None) -> None:
    assert result.returncode == 0, f"{shell} failed:\nstdout:{result.stdout}\nstderr:{result.stderr}"
    before, during, after = run.dump("before"), run.dump("during"), run.dump("after")
    bin_dir = venv / "bin"
    d = during["env"]
    assert d["VIRTUAL_ENV"] == str(venv)
    assert during["prefix"] == str(venv)
    assert d["VIRTUAL_ENV_PROMPT"] == prompt
    assert d["PATH"] == f"{bin_dir}:{before['env']['PATH']}"
    assert "PYTHONHOME" not in d
    assert during["executable"] == str(bin_dir / "python")
    assert unquote(shell, d["T_PY"]) == str(bin_dir / "python")
    assert unquote(shell, d["T_PIP"]) == str(bin_dir / "pip")
    if shell in POSIX_SHELLS:
        assert d["PROMPT_EXPANDED"] == (shown if shown is not None else expected_prompt(shell, prompt)) + "orig$ "
    elif shell == "fish":
        assert d["PROMPT_EXPANDED"].startswith(expected_prompt(shell, prompt))
        for dump in (before, after):  # the first line says where the function was defined
            dump["env"]["PROMPT_STATE"] = dump["env"]["PROMPT_STATE"].split("\n", 1)[1]
    elif shell in ("csh", "tcsh"):
        escaped = quoting.tcsh_prompt_prefix(prompt) if shell == "tcsh" else quoting.csh_prompt_prefix(prompt)
        assert d["PROMPT_EXPANDED"] == escaped + "orig> "
    noise = XONSH_NOISE if shell == "xonsh" else set()
    b = {k: v for k, v in comparable(before["env"]).items() if k not in noise}
    a = {k: v for k, v in comparable(after["env"]).items() if k not in noise}
    assert a == b
    assert not [k for k in after["env"] if "VIRTUAL" in k]


def unquote(shell: str, text: str) -> str:
    """ksh93's `command -v` quotes what it prints: '...' or $'...'."""
    if shell != "ksh" or not text.startswith(("'", "$'")):
        return text
    if text.startswith("'"):
        return shlex.split(text)[0]
    return re.sub(r"\\(.)", r"\1", text[2:-1])


# ---------------------------------------------------------------------------------------------
# generated trees of version files (test_shim_differential.py, test_front_end.py)

SEED = int(os.environ.get("PYSHIM_DIFF_SEED", "20261124"))
COMMANDS = ["python"] * 5 + ["python3"] * 4 + ["python3.13", "python3.6", "python2.7", "python3.12"]
SEGMENTS = ["a", "b c", "ünï", "x$y", "q'r", "-d", "*", "deep", "[g]", "tab\tname"]


@dataclass
class Case:
    number: int
    files: Dict[str, bytes]  # relative dir ("" = the case's top) -> version file bytes
    cwd: str
    command: str
    env: Dict[str, str] = field(default_factory=dict)
    dir_as_version_file: Optional[str] = None
    start_dir: Optional[Tuple[str, str]] = None  # (PYENV_DIR or PYSHIM_DIR, relative dir): where the search starts
    path: str = "{shims}:" + CLEAN_PATH  # {shims} and {extra} are filled in by run_both


# PATHs other than rehash's: managed names must stay exact and fast whatever PATH holds; `system`
# is decided on the PATH of the run ({extra} holds a python3 that rehash never saw).
OTHER_PATHS = ["{shims}:" + CLEAN_PATH + ":/opt/appended", "{shims}:{extra}:" + CLEAN_PATH, "{shims}:/bin:" + CLEAN_PATH,
               "{shims}::" + CLEAN_PATH, "/opt/first:{shims}:" + CLEAN_PATH]


def name_pool(rng: random.Random) -> str:
    versions = sorted(machine_versions())
    minor = rng.choice(versions).rsplit(".", 1)[0]
    if rng.random() < 0.8:
        return rng.choice([rng.choice(versions), minor, "3", "2", f"python-{minor}", f"cpython@{minor}",
                           f"cpython{minor}", "system", "proj"])
    return rng.choice(["3.99", "nope", ">=3.10", "~=3.11.0", "3.11.2", "../../bin/sh", "$(touch PWNED)",
                       "`touch PWNED`", "a*b", "ünï", "3.12\\", "-c", "py 3"])


def comment(rng: random.Random) -> str:
    return rng.choice(["", "", "", "", "", "", " # pinned", "#", " # don't [x] $(id) `id`", " # café", " #\x0b3.99",
                       " # \x0c", "# tab\there", " #\x1c 3.99", " # back\\slash"])


def note(rng: random.Random) -> str:
    """Words after a line's first one: pyenv (and pyshim) read only the first word of a line."""
    return rng.choice(["", "", "", " my note", "\tpinned by CI", "  3.99 nope", " ../../bin/sh", " $(touch PWNED)",
                       " caf\u00e9", " \x0c3.99"])


def version_text(rng: random.Random) -> bytes:
    if rng.random() < 0.5:  # what `pyshim local` writes: the shim's quick path, and its near misses
        words = name_pool(rng) + (note(rng) if rng.random() < 0.3 else "")
        return (words + rng.choice(["\n", "\n", "\n", "", "\n\n", "\r\n", "\n "])).encode("utf-8")
    lines = []
    for _ in range(rng.choice([0, 1, 1, 1, 2, 3])):
        names = [name_pool(rng) for _ in range(rng.choice([0, 1, 1, 1, 2, 3]))]
        separator = rng.choice([" ", "  ", "\t", " \t "])
        lines.append(rng.choice(["", " ", "\t"]) + separator.join(names) + note(rng) + comment(rng))
    end = rng.choice(["\n", "\n", "\r\n", "\r"])
    text = end.join(lines) + rng.choice(["", end])
    if rng.random() < 0.1:
        text = "\ufeff" + text
    data = text.encode("utf-8")
    if rng.random() < 0.03:
        data = data[: rng.randint(0, len(data))] + rng.choice([b"\xff", b"\xc3", b"\x85", b"\x1f"]) + data[len(data) // 2:]
    return data


def make_case(number: int, rng: random.Random) -> Case:
    depth = rng.randint(0, 7)
    parts = [rng.choice(SEGMENTS) + str(level) for level in range(depth)]
    files: Dict[str, bytes] = {}
    for _ in range(rng.choice([0, 1, 1, 1, 2])):
        level = rng.randint(0, depth)
        files["/".join(parts[:level])] = version_text(rng)
    case = Case(number, files, "/".join(parts), rng.choice(COMMANDS))
    roll = rng.random()
    if roll < 0.15:
        case.env["PYSHIM_VERSION"] = rng.choice([":", " ", "\t"]).join(name_pool(rng) for _ in range(rng.randint(0, 3)))
    elif roll < 0.25:
        case.env["PYENV_VERSION"] = " ".join(name_pool(rng) for _ in range(rng.randint(1, 2)))
    if rng.random() < 0.05 and depth:
        case.dir_as_version_file = "/".join(parts[: rng.randint(1, depth)])
    if rng.random() < 0.08:  # the search starts above the current directory, or in another tree
        variable = rng.choice(["PYENV_DIR", "PYSHIM_DIR"])
        if rng.random() < 0.5:
            case.start_dir = (variable, "/".join(parts[: rng.randint(0, depth)]))
        else:
            elsewhere = f"../case{number}-elsewhere"
            case.files[elsewhere] = version_text(rng)
            case.start_dir = (variable, elsewhere + rng.choice(["", "/deeper"]))
    if rng.random() < 0.35:
        case.path = rng.choice(OTHER_PATHS)
    return case


def build(case: Case, top: Path) -> Path:
    base = top / f"case{case.number}"
    cwd = base / case.cwd if case.cwd else base
    cwd.mkdir(parents=True)
    for relative, data in case.files.items():
        folder = (base / relative) if relative else base
        folder.mkdir(parents=True, exist_ok=True)
        folder.joinpath(".python-version").write_bytes(data)
    if case.start_dir:
        (base / case.start_dir[1]).mkdir(parents=True, exist_ok=True)
    if case.dir_as_version_file:
        target = base / case.dir_as_version_file / ".python-version"
        if not target.exists():
            target.mkdir()
    return cwd


# ---------------------------------------------------------------------------------------------
# wheels written by hand: no network, no tools


def write_wheel(folder: Path, filename: str, files: Dict[str, bytes]) -> Path:
    """folder/filename: a wheel holding `files` and the RECORD that lists them."""
    dist_info = next(name.split("/", 1)[0] for name in files if name.split("/", 1)[0].endswith(".dist-info"))
    record = []
    for name, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(data)}")
    record.append(f"{dist_info}/RECORD,,")
    wheel = folder / filename
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        archive.writestr(f"{dist_info}/RECORD", "\n".join(record) + "\n")
    return wheel


def build_tiny_wheel(folder: Path) -> Path:
    """A pure wheel: one module, METADATA, WHEEL, RECORD."""
    return write_wheel(folder, "tinypkg-1.0-py3-none-any.whl", {
        "tinypkg/__init__.py": b"VALUE = 42\n",
        "tinypkg-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: tinypkg\nVersion: 1.0\n",
        "tinypkg-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: handmade\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    })


def console_script_wheel(folder: Path, command: str) -> Path:
    """A minimal wheel whose only content is a module and a console script named `command`."""
    module = command.replace("-", "_")
    files = {
        f"{module}.py": f"def main():\n    print('hello from {command}')\n",
        f"{module}-1.0.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {module}\nVersion: 1.0\n",
        f"{module}-1.0.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: pyshim-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        f"{module}-1.0.dist-info/entry_points.txt": f"[console_scripts]\n{command} = {module}:main\n",
    }
    return write_wheel(folder, f"{module}-1.0-py3-none-any.whl", {name: text.encode() for name, text in files.items()})


def build_pyshim_wheel(folder: Path) -> Path:
    """pyshim's wheel, built offline (setuptools and `wheel` from the test venv) in `folder`, from
    a copy of the tree: setuptools builds in place, and an old build/ there would be in the wheel."""
    source = folder / "source"
    shutil.copytree(REPO, source, symlinks=True,
                    ignore=shutil.ignore_patterns(".git", ".test-venv", "build", "*.egg-info", "__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "--disable-pip-version-check", "-w", str(folder / "dist"), str(source)], check=True)
    (wheel,) = (folder / "dist").glob("pyshim-*.whl")
    return wheel
