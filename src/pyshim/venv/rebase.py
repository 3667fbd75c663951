"""pyenv-style upgrades of a venv's base: 3.12.1 replaced by 3.12.8 (or upgraded in place).

Part of the `venv/` action step. A venv records its base in pyvenv.cfg (`home`, `version`).
When that base is gone, or the interpreter now in `home` is another patch release than the
`version` the venv was made with, the venv is reported (`pyshim venvs`, `pyshim doctor`) with
the command that moves it: `pyshim venv --upgrade PATH --python X.Y`. That command points the
venv at the new base in place (pyvenv.cfg, bin/python*, activation scripts) and keeps its
site-packages, which only fit the same X.Y (and implementation, and free-threading): anything
else is refused before a file changes (`check_fits`).

Nothing here starts a process: the interpreter in `home` is recognised among the discovered
ones (their probe answers are cached), and a `home` no discovery source lists is not judged.
"""

from __future__ import annotations

import os
from pathlib import Path

from pyshim.activation.quoting import sh_word
from pyshim.base.errors import VenvError
from pyshim.venv.config import read_config

TYPE_CHECKING = False  # typing stays unimported at run time (see pyshim.base.record)

if TYPE_CHECKING:
    from typing import Dict, Optional, Sequence

    from pyshim.interpreters.pyinfo import PythonInfo


def _release(text: str) -> str:
    """`X.Y.Z` or `X.Y` at the start of `text` (`3.13.0rc1` gives 3.13.0), else ""."""
    parts = []
    for part in text.split(".")[:3]:
        digits = ""
        for char in part:
            if not char.isascii() or not char.isdigit():
                break
            digits += char
        if not digits:
            break
        parts.append(digits)
        if digits != part:
            break
    return ".".join(parts) if len(parts) >= 2 else ""


def recorded_version(env_dir: Path, config: Optional[Dict[str, str]] = None) -> str:
    """The X.Y.Z the venv was made with (pyvenv.cfg `version`, else `version_info`), else X.Y from
    its lib/pythonX.Y folder, else ""."""
    config = read_config(str(env_dir / "pyvenv.cfg")) if config is None else config
    for key in ("version", "version_info"):
        release = _release(config.get(key, ""))
        if release:
            return release
    found = sorted(env_dir.glob("lib/python3.*/site-packages"))
    return found[0].parent.name[len("python"):].rstrip("t") if found else ""


def minor_of(version: str) -> str:
    return ".".join(version.split(".")[:2])


def base_now(env_dir: Path, interpreters: Sequence[PythonInfo]) -> Optional[PythonInfo]:
    """The discovered interpreter in the venv's `home` folder that is its base: the one whose
    real file is pyvenv.cfg's `executable` or what bin/python links to, else the one of the
    venv's X.Y (a folder such as /usr/bin holds several); None if there is none (venvs are
    never a base)."""
    config = read_config(str(env_dir / "pyvenv.cfg"))
    home = config.get("home", "")
    if not home or not os.path.isdir(home):
        return None
    real_home = os.path.realpath(home)
    in_home = [info for info in interpreters if not info.is_venv
               and os.path.realpath(os.path.dirname(info.executable)) == real_home]
    wanted = {os.path.realpath(path) for path in (config.get("executable", ""), str(env_dir / "bin" / "python"))
              if path and os.path.exists(path)}
    for info in in_home:
        if os.path.realpath(info.real_executable) in wanted:
            return info
    minor = minor_of(recorded_version(env_dir, config))
    return next((info for info in in_home if _same_minor(info, minor)), None)


def base_change(env_dir: Path, interpreters: Sequence[PythonInfo]) -> Optional[str]:
    """Why a venv that still runs is on another patch release than it was made with, or None."""
    config = read_config(str(env_dir / "pyvenv.cfg"))
    made = recorded_version(env_dir, config)
    info = base_now(env_dir, interpreters)
    if info is None or made.count(".") != 2:
        return None
    now = "%d.%d.%d" % info.release
    if now == made:
        return None
    return f"it was made on Python {made}, and its base {config.get('home')} now runs {now}"


def upgrade_command(env_dir: Path, version: str, name: Optional[str] = None) -> str:
    """The command that moves the venv onto the installed Python `version` (X.Y), in place."""
    minor = minor_of(version) or "X.Y"
    if name:  # the order `pyshim venvs` has always printed
        return f"pyshim venv --name {sh_word(name)} --python {minor} --upgrade"
    return f"pyshim venv --upgrade {sh_word(str(env_dir))} --python {minor}"


def upgrade_fix(env_dir: Path, interpreters: Sequence[PythonInfo], name: Optional[str] = None) -> str:
    """One line: the upgrade command, or, when no Python of the venv's X.Y is installed, how to
    get one first."""
    minor = minor_of(recorded_version(env_dir))
    command = upgrade_command(env_dir, minor, name)
    if minor and not any(_same_minor(info, minor) for info in interpreters):
        return f"install a Python {minor} (`pyshim install {minor}`), then run `{command}`; or rebuild it with --clear"
    return f"move it onto the installed Python {minor or 'X.Y'} in place, keeping its packages: `{command}`"


def _same_minor(info: PythonInfo, minor: str) -> bool:
    return not info.is_venv and "%d.%d" % info.release[:2] == minor


def check_fits(env_dir: Path, info: PythonInfo) -> None:
    """Refuse to move a venv onto a base its site-packages do not fit (another X.Y, another
    implementation, free-threaded or not), before anything changes."""
    config = read_config(str(env_dir / "pyvenv.cfg"))
    made = recorded_version(env_dir, config)
    target = "%d.%d" % info.release[:2]
    implementation = config.get("implementation", "").lower()
    problems = []
    if made and minor_of(made) != target:
        problems.append(f"it was made for Python {made}, and {info.executable} is {info.version}")
    elif implementation and implementation != info.implementation.lower():
        problems.append(f"it was made for {config['implementation']}, and {info.executable} is {info.implementation_label}")
    elif any(env_dir.glob("lib/python3.*t/site-packages")) != bool(info.freethreaded):
        venv_kind, base_kind = ("a", "not a") if not info.freethreaded else ("not a", "a")
        problems.append(f"it was made for {venv_kind} free-threaded build, and {info.executable} is {base_kind} "
                        "free-threaded build")
    if problems:
        wanted = minor_of(made) or target
        raise VenvError(f"--upgrade {env_dir}: {problems[0]}, so the packages it holds would not load; "
                        f"pick a Python {wanted} (`{upgrade_command(env_dir, wanted)}`), or rebuild it with "
                        f"`pyshim venv {sh_word(str(env_dir))} --clear --python {target}` and reinstall them")


def kept_settings(env_dir: Path) -> Dict[str, object]:
    """What an existing venv had that `pyshim venv --upgrade` keeps unless told otherwise: its
    prompt, system site-packages, links or copies, and whether it has pip (none is added)."""
    config = read_config(str(env_dir / "pyvenv.cfg"))
    kept: Dict[str, object] = {}
    prompt = config.get("prompt")
    if prompt:
        if len(prompt) >= 2 and prompt[0] == prompt[-1] and prompt[0] in "'\"":
            import ast

            try:
                prompt = ast.literal_eval(prompt)
            except (ValueError, SyntaxError):
                pass
        kept["prompt"] = prompt
    if config.get("include-system-site-packages", "").lower() == "true":
        kept["system_site_packages"] = True
    python = env_dir / "bin" / "python"
    kept["symlinks"] = not (python.exists() and not python.is_symlink())
    kept["with_pip"] = any(env_dir.glob("lib/*/site-packages/pip-*.dist-info"))
    return kept
