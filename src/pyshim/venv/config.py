"""pyvenv.cfg: render it for a new venv, read it back (for named venvs, upgrades and doctor).

Part of the `venv/` action step. Keys written, and who reads them:
- `home`: the folder of the base interpreter. Read by the interpreter at start-up (getpath /
  site.py) to find the base prefix; by uv and virtualenv to find the base interpreter.
- `include-system-site-packages`: read by site.py (adds the base site-packages when true) and
  by pip (`virtualenv_no_global`: refuses `--user` when false; pip matches lower-case
  `true|false` only, so exactly those words are written).
- `version` (the stdlib's key) and `version_info` (uv's and virtualenv's key): the target's
  full version; read by uv, virtualenv, ty/ruff, IDEs; not by the interpreter itself.
- `implementation` (uv, virtualenv): CPython / PyPy.
- `executable` (stdlib 3.11+): the real path of the base interpreter; `command`: how to make
  this venv again (`PYTHON -m venv ...` as the stdlib writes it; `pyshim venv ...` for venvs
  the `pyshim venv` command made). Written for every target version.
- `prompt` when one was given: a Python repr (`prompt = 'x'`), as the stdlib writes it.
- `pyshim`: the version that built it (as uv and virtualenv record theirs).
site.py reads every `key = value` line and ignores keys it does not know.
"""

from __future__ import annotations

import os

from pyshim import __version__
from pyshim.interpreters.pyinfo import PythonInfo
from pyshim.venv.layout import VenvLayout

TYPE_CHECKING = False  # typing stays unimported at run time (see pyshim.base.record)

if TYPE_CHECKING:
    from pyshim.venv.builder import EnvBuilder


def render_config(info: PythonInfo, layout: VenvLayout, *, system_site_packages: bool,
                  prompt: Optional[str], command: str) -> str:
    lines = [  # the stdlib's keys in the stdlib's order, then the additions
        ("home", layout.python_dir),
        ("include-system-site-packages", "true" if system_site_packages else "false"),
        ("version", "%d.%d.%d" % info.release),
    ]
    if prompt is not None:
        lines.append(("prompt", repr(prompt)))  # a Python repr, as the stdlib writes it
    lines += [
        ("executable", os.path.realpath(layout.base_executable)),
        ("command", command),
        ("implementation", info.implementation_label),
        ("version_info", info.version),
        ("pyshim", __version__),
    ]
    return "".join(f"{key} = {value}\n" for key, value in lines)


def command_key(builder: "EnvBuilder", env_dir: str) -> str:
    """The `command` key: what makes this venv again. The stdlib's form, `PYTHON -m venv OPTIONS
    DIR` as the target's version writes it, for the library; `pyshim venv ...` for the strict
    `pyshim venv` command."""
    if not builder.strict:
        flags = ((not builder.symlinks, "--copies"), (not builder.with_pip, "--without-pip"),
                 (builder.system_site_packages, "--system-site-packages"), (builder.clear, "--clear"),
                 (builder.upgrade, "--upgrade"), (builder.upgrade_deps, "--upgrade-deps"))
        args = [flag for wanted, flag in flags if wanted]
        if builder.orig_prompt is not None:
            args.append(f'--prompt="{builder.orig_prompt}"')
        if not builder.scm_ignore_files and builder.target.release[:2] >= (3, 13):
            args.append("--without-scm-ignore-files")
        return f"{builder.target.executable} -m venv {' '.join(args + [env_dir])}"
    from pyshim.activation.quoting import sh_word

    args = ["pyshim", "venv", "--python", builder.target.executable]
    explicit_seed = builder.seed if builder.with_pip and builder._seed is not None else ()
    flags = ((not builder.symlinks, "--copies"), (not builder.with_pip, "--without-pip"),
             (builder.system_site_packages, "--system-site-packages"), (builder.upgrade_deps, "--upgrade-deps"),
             (not builder.scm_ignore_files, "--without-scm-ignore-files"),
             (bool(explicit_seed), "--seed=" + ",".join(explicit_seed)))
    args += [flag for wanted, flag in flags if wanted]
    if builder.orig_prompt is not None:
        args.append(f"--prompt={builder.orig_prompt}")
    args.append(env_dir)
    return " ".join(sh_word(arg) for arg in args)


def read_config(path: str) -> Dict[str, str]:
    """Keys (lower-cased) and values of a pyvenv.cfg, parsed as site.py does; {} if unreadable."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read(64 * 1024)
    except OSError:
        return {}
    values: Dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            values[key.strip().lower()] = value.strip()
    return values
