"""Where everything goes inside a venv, computed from the target's `PythonInfo` alone.

Part of the `venv/` action step: `plan_layout(info, env_dir)` turns the target interpreter's
install scheme (probed inside it, with a `{PYSHIM_BASE}` placeholder for the base) into the
folders and names the builder creates. Nothing here touches the disk except reading a venv
target's pyvenv.cfg to find the interpreter it was made from.

Rules, taken from CPython's `Lib/venv` so that `python -m venv` and pyshim agree:
- 3.11+ (and any target whose sysconfig has a "venv" scheme): bin, include and purelib come from
  that scheme (include is `include/python3.Y`, as the stdlib does from 3.11 on).
- older targets: `bin`, `include`, `lib/pythonX.Y/site-packages`; PyPy's own scheme gives its
  site-packages folder. Windows targets are refused for now (pyshim's shims are POSIX sh).
- a `lib64 -> lib` symlink on 64-bit POSIX other than macOS (CPython issue 21197).
- the interpreter under its own file name, plus python, python3, python3.Y (and python3.Yt for a
  free-threaded build, pypy/pypy3 for PyPy) pointing at it.
"""

from __future__ import annotations

import os

from pyshim.base.errors import VenvError
from pyshim.interpreters.pyinfo import PythonInfo
from pyshim.base.record import Record

PLACEHOLDER = "{PYSHIM_BASE}"


class VenvLayout(Record):
    env_dir: str
    bin_dir: str
    include_dir: str
    purelib: str
    platlib: str
    lib64_link: bool
    base_executable: str  # the interpreter file the venv's python points at
    python_dir: str  # pyvenv.cfg `home`: the folder of base_executable
    python_exe: str  # the venv interpreter's own file name (first one created)
    executable_names: Tuple[str, ...]  # further names, each a link to python_exe

    @property
    def env_exe(self) -> str:
        return os.path.join(self.bin_dir, self.python_exe)


def check_supported(info: PythonInfo) -> None:
    if info.release[:2] < (3, 3):
        raise VenvError(
            f"Python {info.version} ({info.executable}) is not supported: pyshim builds venvs for Python 3 only; "
            "pick a Python 3 with --python, or use `virtualenv` for Python 2"
        )
    if info.platform == "win32":
        raise VenvError(f"{info.executable} is a Windows interpreter; pyshim builds venvs on POSIX systems only")


def scheme_path(info: PythonInfo, key: str, env_dir: str) -> str:
    template = info.scheme_paths.get(key, "")
    if PLACEHOLDER not in template:
        raise VenvError(f"the install scheme of {info.executable} has no usable '{key}' path ({template!r}); "
                        "run `pyshim versions --refresh` or report this interpreter")
    return os.path.normpath(template.replace(PLACEHOLDER, env_dir))


def base_executable(info: PythonInfo) -> str:
    """The interpreter a new venv should point at: the target itself, or a venv target's base."""
    if not info.is_venv:
        return info.executable
    from pyshim.venv.config import read_config

    home = read_config(os.path.join(info.prefix, "pyvenv.cfg")).get("home", "")
    for name in (os.path.basename(info.real_executable), f"python{info.minor_version}", "python3", "python"):
        candidate = os.path.join(home, name)
        if home and os.path.isfile(candidate):
            return candidate
    return info.real_executable


def executable_names(info: PythonInfo) -> Tuple[str, ...]:
    minor = info.release[1]
    names = ["python", "python3", f"python3.{minor}"]
    if info.freethreaded:
        names.append(f"python3.{minor}t")
    if info.implementation == "pypy":
        names += ["pypy", "pypy3", f"pypy3.{minor}"]
    return tuple(names)


def plan_layout(info: PythonInfo, env_dir: str) -> VenvLayout:
    """Every path of a venv at `env_dir` (absolute) for the target `info` (one that
    `check_supported` accepted: `EnvBuilder.target` checks it once)."""
    if info.scheme == "venv" or info.implementation != "cpython":
        bin_dir = scheme_path(info, "scripts", env_dir)
        include_dir = scheme_path(info, "include", env_dir)
        purelib = scheme_path(info, "purelib", env_dir)
        platlib = scheme_path(info, "platlib", env_dir)
    else:
        bin_dir, include_dir = os.path.join(env_dir, "bin"), os.path.join(env_dir, "include")
        purelib = platlib = os.path.join(env_dir, "lib", "python%d.%d" % info.release[:2], "site-packages")
    if platlib.startswith(os.path.join(env_dir, "lib64") + os.sep):
        platlib = purelib  # lib64 is a link to lib in a venv
    base = base_executable(info)
    python_exe = os.path.basename(base)
    names = tuple(name for name in executable_names(info) if name != python_exe)
    lib64 = info.pointer_bits > 32 and info.platform != "darwin"
    return VenvLayout(env_dir, bin_dir, include_dir, purelib, platlib, lib64, base, os.path.dirname(base),
                      python_exe, names)
