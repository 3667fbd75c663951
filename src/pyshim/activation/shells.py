"""One record per shell: its names, its quoting, its activation line, its `pyshim init` code.

Part of the actions (activation and shell integration both read it; `pyshim.shell` imports
this package, never the other way). In: a shell's name as a user, $SHELL or a command line
gives it (`/bin/bash`, `ksh93`, `pwsh.exe`). Out: its `Shell` record: `quote` writes a value as
one word in that shell's code (init code and activation scripts); `script` is the activation
script in a venv's bin folder and `activation_line(path)` the line that sources it;
`init_templates` are the `shell/templates/` files of `pyshim init`, with the start-up file and
the line that loads them. Every per-shell rule is a field here, so a new shell is one record.
"""

from __future__ import annotations

import os

from pyshim.activation import quoting as q
from pyshim.base.errors import ActivationError
from pyshim.base.record import Record

TYPE_CHECKING = False  # typing stays unimported at run time (see pyshim.base.record)

if TYPE_CHECKING:
    from typing import Callable, Optional, Tuple


class Shell(Record):
    """What pyshim knows about one shell."""

    name: str
    aliases: "Tuple[str, ...]"  # other names for it (what $SHELL may hold)
    quote: "Callable[[str], str]"  # a value as one word in this shell's code
    script: str  # the activation script in a venv's bin folder
    activation_line: "Callable[[str], str]"  # the script's path -> the line that activates it
    init_templates: "Tuple[str, ...]" = ()  # shell/templates files of `pyshim init`; () for none
    start_up_file: str = ""
    init_line: str = ""


def _cmd_line(path: str) -> str:
    if "%" in path:
        raise ActivationError(
            f"cannot write a cmd.exe command for {path!r}: cmd's command line has no way to"
            " quote '%'; run the script by typing its path with tab completion instead"
        )
    return f'"{path}"'


def _python_line(path: str) -> str:
    quoted = q.python_quote(path)
    return f"exec(open({quoted}).read(), {{'__file__': {quoted}}})"


SHELL_RECORDS = (
    Shell("bash", (), q.sh_quote, "activate", lambda path: f"source {q.sh_quote(path)}",
          ("sh-common.sh", "bash.sh"), "~/.bashrc", 'eval "$(pyshim init bash)"'),
    Shell("zsh", (), q.sh_quote, "activate", lambda path: f"source {q.sh_quote(path)}",
          ("sh-common.sh", "zsh.zsh"), "~/.zshrc", 'eval "$(pyshim init zsh)"'),
    Shell("fish", (), q.fish_quote, "activate.fish", lambda path: f"source {q.fish_quote(path)}",
          ("fish.fish",), "~/.config/fish/config.fish", "pyshim init fish | source"),
    Shell("sh", ("dash",), q.sh_quote, "activate", lambda path: f". {q.sh_quote(path)}",
          ("sh-common.sh", "sh.sh"), "~/.profile (the file $ENV names)", 'eval "$(pyshim init sh)"'),
    Shell("ksh", ("ksh93", "mksh"), q.sh_quote, "activate", lambda path: f". {q.sh_quote(path)}",
          ("sh-common.sh", "sh.sh"), "~/.kshrc (~/.mkshrc for mksh)", 'eval "$(pyshim init ksh)"'),
    Shell("tcsh", ("csh",), q.csh_quote, "activate.csh", lambda path: f"source {q.csh_quote(path)}",
          ("tcsh.csh",), "~/.tcshrc", 'eval "`pyshim init tcsh`"'),
    Shell("nu", ("nushell",), q.nu_quote, "activate.nu", lambda path: f"overlay use {q.nu_quote(path)}",
          ("nu.nu",), "config.nu (nu 0.98+ loads vendor/autoload after it)",
          "mkdir ($nu.data-dir | path join vendor autoload); "
          "pyshim init nu | save -f ($nu.data-dir | path join vendor autoload pyshim.nu)"),
    Shell("pwsh", ("powershell",), q.ps_quote, "Activate.ps1", lambda path: f". {q.ps_single_quoted(path)}",
          ("pwsh.ps1",), "$PROFILE", "Invoke-Expression (& pyshim init pwsh | Out-String)"),
    Shell("xonsh", (), q.python_quote, "activate.xsh", lambda path: f"source @({q.python_quote(path)})",
          ("xonsh.xsh",), "~/.xonshrc", "execx($(pyshim init xonsh))"),
    Shell("cmd", (), q.cmd_escape, "activate.bat", _cmd_line),  # the .bat files have cmd.exe's own rules
    Shell("python", (), q.python_quote, "activate_this.py", _python_line),
)

_BY_NAME = {name: shell for shell in SHELL_RECORDS for name in (shell.name, *shell.aliases)}


def normalized(shell: str) -> str:
    """`/bin/bash` -> `bash`, `PWSH.EXE` -> `pwsh`: the name as the records spell it."""
    return os.path.basename(shell).lower().removesuffix(".exe")


def find_shell(shell: str) -> "Optional[Shell]":
    """The record of `shell` (any of its names, a path, `.exe`), else None."""
    return _BY_NAME.get(normalized(shell))
