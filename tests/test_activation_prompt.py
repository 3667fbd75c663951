"""Interactive shells in a real pseudo-terminal draw the venv prompt: data, never code.

bash expands `$(...)` inside PS1 each time it draws the prompt, and so do zsh with
PROMPT_SUBST, ksh, mksh and dash (parameters). The activation scripts therefore put a
*reference* to a variable into PS1, never the prompt's value, and the shell does not expand
a value twice. These tests start each shell interactively (pexpect), set a plain prompt,
activate a venv whose prompt is hostile, let the shell draw its prompt several times, and
assert that exactly "(PROMPT) " is drawn in front of the old prompt, that the marker file
never appears, and that after `deactivate` the old prompt is drawn again.
"""

from __future__ import annotations

import pathlib
import shutil
import subprocess

import pytest

from conftest import missing_tool
from helpers import base_python
from pyshim.activation import activation_command, write_activation_scripts

pexpect = pytest.importorskip("pexpect")

MARKER = "MARKER"
HOSTILE_PROMPT = f"a b'c\"d$e$(touch {MARKER})`touch {MARKER}`;&&|!!%~%%\\'*-é🐍\\"

# zsh without PROMPT_SUBST at activation shows a backtick escaped (see quoting.zsh_literal_prompt_prefix).
ZSH_LITERAL_SHOWN = HOSTILE_PROMPT.replace("`", "\\`")

# shell -> (argv, command that sets a plain prompt, the plain prompt as drawn)
SHELLS = {
    "bash": (["bash", "--norc", "--noprofile", "-i"], "PS1='orig$ '", "orig$ "),
    "bash-promptvars-off": (["bash", "--norc", "--noprofile", "-i"], "shopt -u promptvars; PS1='orig$ '", "orig$ "),
    "zsh": (["zsh", "-f", "-i"], "PS1='orig$ '", "orig$ "),
    "zsh-promptsubst": (["zsh", "-f", "-i"], "setopt promptsubst; PS1='orig$ '", "orig$ "),
    "zsh-promptbang": (["zsh", "-f", "-i"], "setopt promptbang; PS1='orig$ '", "orig$ "),
    "dash": (["dash", "-i"], "PS1='orig$ '", "orig$ "),
    "ksh": (["ksh", "-i"], "PS1='orig$ '", "orig$ "),
    "mksh": (["mksh", "-i"], "PS1='orig$ '", "orig$ "),
    "tcsh": (["tcsh", "-f", "-i"], "set prompt='orig> '", "orig> "),
    "csh": (["csh", "-f", "-i"], "set prompt='orig> '", "orig> "),
    "fish": (["fish", "--no-config", "-i"], "function fish_prompt; printf 'orig> '; end", "orig> "),
}


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    python = base_python()
    # The path is hostile too: the activation line is typed into the interactive shell, where
    # csh's history substitution (`!`) and bash's and zsh's would act on it.
    folder = tmp_path_factory.mktemp("prompt") / f"v!1 it's $(touch {MARKER}) `touch {MARKER}` \\"
    subprocess.run([str(python), "-m", "venv", "--without-pip", str(folder)], check=True)
    for old in folder.joinpath("bin").glob("[Aa]ctivate*"):
        old.unlink()
    write_activation_scripts(folder, HOSTILE_PROMPT)
    return folder


# Options changed *after* activation: shell -> (the SHELLS entry, the command, the prefix then shown).
LATER = {
    "bash-promptvars-on-later": ("bash-promptvars-off", "shopt -s promptvars", HOSTILE_PROMPT),
    "bash-promptvars-off-later": ("bash", "shopt -u promptvars", HOSTILE_PROMPT),
    "zsh-promptsubst-later": ("zsh", "setopt promptsubst", HOSTILE_PROMPT),
    "zsh-promptbang-later": ("zsh", "setopt promptbang", ZSH_LITERAL_SHOWN),
    "zsh-promptsubst-promptbang-later": ("zsh-promptsubst", "setopt promptbang", HOSTILE_PROMPT),
    "zsh-promptsubst-both-later": ("zsh", "setopt promptsubst promptbang", HOSTILE_PROMPT),
}


def shown_prefix(name: str) -> str:
    """The prefix as drawn right after activation."""
    return ZSH_LITERAL_SHOWN if name in ("zsh", "zsh-promptbang") else HOSTILE_PROMPT


@pytest.mark.parametrize("name", list(SHELLS) + list(LATER))
def test_prompt_is_drawn_as_data(name: str, venv: pathlib.Path, tmp_path: pathlib.Path) -> None:
    later = LATER.get(name)
    argv, set_prompt, plain = SHELLS[later[0] if later else name]
    first = shown_prefix(later[0] if later else name)
    if shutil.which(argv[0]) is None:
        missing_tool(f"{argv[0]} is not installed")
    home = tmp_path / "pty-home"
    work = tmp_path / "pty-work"
    home.mkdir()
    work.mkdir()
    env = {
        "HOME": str(home),
        "ZDOTDIR": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TERM": "dumb",
        "ENV": "/dev/null",
    }
    shell_name = "fish" if name == "fish" else ("tcsh" if name in ("tcsh", "csh") else argv[0])
    child = pexpect.spawn(argv[0], argv[1:], cwd=str(work), env=env, encoding="utf-8", timeout=10,
                          dimensions=(24, 400))
    try:
        child.sendline(set_prompt)
        child.sendline("echo set''done")
        child.expect_exact("setdone")
        child.expect_exact(plain)
        child.sendline(activation_command(shell_name, venv))
        for round_ in range(3):  # the prompt is drawn again after every command
            child.expect_exact(f"({first}) {plain}")
            child.sendline(f"echo drawn{round_}''x")
            child.expect_exact(f"drawn{round_}x")
        child.expect_exact(f"({first}) {plain}")
        if later:
            child.sendline(later[1])
            for round_ in range(3):
                child.expect_exact(f"({later[2]}) {plain}")
                child.sendline(f"echo later{round_}''x")
                child.expect_exact(f"later{round_}x")
            child.expect_exact(f"({later[2]}) {plain}")
        child.sendline("deactivate")
        child.sendline("echo gone''x")
        child.expect_exact("gonex")
        child.expect_exact(plain)
        assert not child.before.rstrip().endswith(")")
        child.sendline("exit")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert not (work / MARKER).exists(), "the prompt ran as code"
    assert not (home / MARKER).exists(), "the prompt ran as code"
