"""Writing a venv's activation scripts, and the line that sources one in a given shell.

Part of the activation action (see `pyshim.activation`): `write_activation_scripts` renders every
script (`render.py`) for a venv after `safety.py` has checked its path and prompt, and writes them
into its bin folder; `activation_command(shell, env_dir)` is what `pyshim activate` and
`pyshim venv` print for the user to paste.
"""

from __future__ import annotations

import os

from pyshim.activation.render import ScriptValues, render, site_packages_from_bin
from pyshim.activation.safety import check_path_is_shell_safe, check_prompt_is_shell_safe
from pyshim.activation.shells import find_shell
from pyshim.base.errors import ActivationError
from pyshim.base.fsutil import atomic_write_bytes

POSIX_SCRIPTS = (
    "activate",
    "activate.fish",
    "activate.csh",
    "activate.nu",
    "Activate.ps1",
    "activate.xsh",
    "activate_this.py",
)
WINDOWS_SCRIPTS = (
    "activate.bat",
    "deactivate.bat",
    "Activate.ps1",
    "activate.nu",
    "activate.xsh",
    "activate_this.py",
)


StrPath = "str | os.PathLike[str]"


def _find_site_packages(env_dir: str, windows: bool) -> str:
    if windows:
        return os.path.join(env_dir, "Lib", "site-packages")
    lib = os.path.join(env_dir, "lib")
    try:
        names = sorted(os.listdir(lib))
    except OSError:
        names = []
    found = [os.path.join(lib, name, "site-packages") for name in names
             if os.path.isdir(os.path.join(lib, name, "site-packages"))]
    return found[0] if found else os.path.join(lib, "site-packages")


def write_activation_scripts(
    env_dir: StrPath,
    prompt: str,
    *,
    bin_dir: StrPath | None = None,
    site_packages: StrPath | None = None,
    windows: bool = False,
    prompt_variable: str = "bare",
) -> list[str]:
    """Write every activation script for this venv into its bin folder; return their paths.

    `bin_dir` defaults to env_dir/bin (env_dir/Scripts when `windows`). `site_packages` (for
    activate_this.py) may be absolute or relative to `bin_dir`; by default it is found under
    env_dir/lib/*/site-packages (env_dir/Lib/site-packages on Windows). `windows` selects the
    Windows set of scripts (.bat instead of the POSIX, fish and csh ones) and path rules.
    `prompt_variable` says how the scripts set VIRTUAL_ENV_PROMPT (render.PROMPT_VARIABLE_RULES;
    the venv builder passes the target version's rule, `render.prompt_variable_rule`).

    Raises ActivationError (before writing anything) if the venv path, the bin folder or the
    prompt cannot be carried safely by every shell.
    """
    env_dir = os.path.abspath(env_dir)
    bin_dir = os.path.abspath(bin_dir) if bin_dir else os.path.join(env_dir, "Scripts" if windows else "bin")
    check_path_is_shell_safe(env_dir, windows=windows)
    check_path_is_shell_safe(bin_dir, windows=windows)
    check_prompt_is_shell_safe(prompt)
    if site_packages is None:
        site_packages = _find_site_packages(env_dir, windows)
    else:
        site_packages = os.path.join(bin_dir, site_packages)  # a relative one is relative to bin_dir
    values = ScriptValues(
        env_dir=env_dir,
        bin_dir=bin_dir,
        prompt=prompt,
        site_packages_from_bin=site_packages_from_bin(bin_dir, os.fspath(site_packages)),
        prompt_variable=prompt_variable,
    )
    texts = {name: render(name, values) for name in (WINDOWS_SCRIPTS if windows else POSIX_SCRIPTS)}
    os.makedirs(bin_dir, exist_ok=True)
    written = []
    for name, text in texts.items():
        path = os.path.join(bin_dir, name)
        atomic_write_bytes(path, text.encode("utf-8"))  # keeps the .bat files' CRLF
        written.append(path)
    return written


def activation_command(shell: str, env_dir: StrPath) -> str:
    """The one line a user pastes into `shell` to activate the venv at `env_dir`.

    `shell` is any name of a shell in `shells.SHELL_RECORDS` (bash, zsh, sh, dash, ksh, ksh93,
    mksh, fish, csh, tcsh, nu, pwsh, powershell, cmd, xonsh, python). The script path is quoted
    for that shell.
    """
    env_dir = os.path.abspath(env_dir)
    windows_layout = os.path.isdir(os.path.join(env_dir, "Scripts")) and not os.path.isdir(os.path.join(env_dir, "bin"))
    bin_dir = os.path.join(env_dir, "Scripts" if windows_layout else "bin")
    check_path_is_shell_safe(bin_dir, windows=windows_layout)
    record = find_shell(shell)
    if record is not None:
        return record.activation_line(os.path.join(bin_dir, record.script))
    raise ActivationError(
        f"pyshim does not know how to activate a venv in {shell!r}; use one of: bash, zsh, sh,"
        " dash, ksh, mksh, fish, csh, tcsh, nu, pwsh, powershell, cmd, xonsh, python"
    )
