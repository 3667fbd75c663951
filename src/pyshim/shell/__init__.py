"""Shell integration: the code `pyshim init SHELL` prints for a shell's start-up file.

Data flow: selection/venvs on disk -> **shell code** -> the user's interactive shell.

The code itself lives in `templates/` as data files (one per shell, plus `sh-common.sh`,
POSIX code shared by bash, zsh, sh/dash and ksh/mksh): it puts the shims first on PATH (once,
however often it is evaluated), defines a `pyshim` shell function (alias in tcsh) for the
commands that must change the current shell (`shell`, `activate`, `deactivate`), and installs
the cd hook: bash PROMPT_COMMAND, zsh chpwd/precmd, fish `--on-variable PWD`, sh/ksh a `cd`
(and pushd/popd) wrapper, tcsh `alias cwdcmd` sourcing the static `tcsh-hook.csh`, nu an
`env_change.PWD` hook, pwsh a wrapped `prompt`, xonsh an `on_chdir` handler. Each hook does
one string compare (or nothing) when $PWD did not change and walks up the tree in shell code
after a change. Values filled into a template are quoted by pyshim.activation.quoting.
`init.py` renders that code and names the user's shell; `project.py` holds the same walk and
the trust rules in Python, for `pyshim activate`, `pyshim allow`, `pyshim venv` and the tests.

This file loads `init.py` on first use of its names: `pyshim venv` needs only the trust rules.
"""

__all__ = ["SHELLS", "ALIASES", "INIT_LINES", "ShellError", "check_shell", "detect_shell", "init_line", "quote_function", "templates_dir", "init_code"]


def __getattr__(name: str) -> object:
    if name in __all__:
        from pyshim.shell import init

        return getattr(init, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
