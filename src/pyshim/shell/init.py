"""The code `pyshim init SHELL` prints, and which shell the user runs.

Part of the shell integration (see `pyshim.shell` for what the code does in each shell):
`init_code(shell, commands)` fills a shell's templates (`templates/`, read with
`base.package_data`) with pyshim's folders quoted for that shell; `detect_shell` reads $SHELL;
`init_line` is the line a start-up file needs; SHELLS, ALIASES and INIT_LINES come from the one
record per shell (`activation.shells`).
"""

from __future__ import annotations

import os

from pyshim.activation.quoting import sh_quote
from pyshim.activation.shells import SHELL_RECORDS, find_shell
from pyshim.base import paths
from pyshim.base.errors import PyshimError
from pyshim.base.package_data import data_path, read_text

# The shells `pyshim init` knows (those whose record has init templates), their other names
# and their start-up lines, all read from the one record per shell (activation.shells).
SHELLS = tuple(shell.name for shell in SHELL_RECORDS if shell.init_templates)
ALIASES = {alias: shell.name for shell in SHELL_RECORDS if shell.init_templates for alias in shell.aliases}
INIT_LINES = {shell.name: (shell.start_up_file, shell.init_line) for shell in SHELL_RECORDS if shell.init_templates}
TEMPLATE_DIR = ("shell", "templates")  # package data (base.package_data)


class ShellError(PyshimError):
    """A shell pyshim cannot integrate with, or a shell command used outside the shell function."""


def check_shell(shell: str) -> str:
    record = find_shell(shell)
    if record is None or not record.init_templates:
        raise ShellError(f"no integration for the shell {shell!r} yet; use one of: {', '.join(SHELLS)}")
    return record.name


def detect_shell(environ: Optional[Mapping[str, str]] = None, naming: str = "pyshim init SHELL") -> str:
    """The user's shell from $SHELL's file name; ShellError when unset or unknown. `naming` is
    how the caller's command names a shell instead (`pyshim activate --shell SHELL`)."""
    environ = os.environ if environ is None else environ
    value = environ.get("SHELL", "")
    if not value:
        raise ShellError("$SHELL is not set, so pyshim cannot tell your shell; name it: "
                         f"`{naming.replace('SHELL', 'bash')}` (or zsh, fish, ...)")
    return check_shell(value)


def init_line(environ: Mapping[str, str]) -> "tuple[str, str]":
    """(start-up file, line to add) for the user's shell ($SHELL), bash's when it is unknown."""
    try:
        return INIT_LINES[detect_shell(environ)]
    except ShellError:
        return INIT_LINES["bash"]


def quote_function(shell: str) -> Callable[[str], str]:
    """How a value is written as one word in `shell`'s code."""
    record = find_shell(shell)
    return record.quote if record is not None else sh_quote


def templates_dir() -> str:
    """The folder of the static tcsh files that tcsh's init line sources."""
    return data_path(*TEMPLATE_DIR)


def init_code(shell: str, commands: "Sequence[str]") -> str:
    """The start-up code for `shell` (see SHELLS) with pyshim's folders filled in; `commands`
    (the command line's names, `cli.COMMANDS`) are the ones its completion offers."""
    shell = check_shell(shell)
    quote = quote_function(shell)
    values = {"@PYSHIM_ROOT@": quote(paths.root()), "@PYSHIM_SHIMS@": quote(paths.shims_dir()),
              "@PYSHIM_TEMPLATES@": quote(templates_dir()),
              "@PYSHIM_CR@": quote("\r"), "@PYSHIM_BOM@": quote("\ufeff"),
              "@PYSHIM_COMMANDS@": " ".join(name for name in commands if name.replace("-", "").isalnum())}
    text = "".join(read_text(*TEMPLATE_DIR, name) for name in find_shell(shell).init_templates)
    for key, value in values.items():
        text = text.replace(key, value)
    return text
