"""Where a venv is built and how it is put into place: checks on the target path, the hidden
folder beside it that the build happens in, the rename that commits it, and the error a failed
build turns into. Used by `builder.py` (the `venv/` action step); no step of the stdlib's API
lives here.
"""

from __future__ import annotations

import os
import types
from typing import Optional, Sequence

from pyshim.errors import PyshimError, VenvError


def check_venv_path(path: str, prompt: Optional[str] = None) -> None:
    """Refuse, before anything is built, a path (or prompt) that PATH or a shell cannot carry."""
    try:
        from pyshim.activation.safety import check_path_is_shell_safe, check_prompt_is_shell_safe
    except ImportError:
        pass
    else:
        check_path_is_shell_safe(path)
        check_prompt_is_shell_safe(prompt if prompt is not None else os.path.basename(path))
    if os.pathsep in path or "\n" in path or "\r" in path:
        raise VenvError(f"cannot create a venv at {path!r}: the path contains {os.pathsep!r} or a line break, "
                        "which PATH and shells cannot carry; pick another path")


def existing_state(path: str) -> str:
    """"missing", "empty", "venv", "other" (a non-empty folder without pyvenv.cfg) or "file"."""
    if not os.path.lexists(path):
        return "missing"
    if not os.path.isdir(path):
        return "file"
    if os.path.isfile(os.path.join(path, "pyvenv.cfg")):
        return "venv"
    return "other" if listdir(path) else "empty"


def make_sibling_dir(path: str, kind: str, mode: int) -> str:
    """A new hidden folder beside `path` (`.NAME.RANDOM.KIND`), made by this process only."""
    while True:
        candidate = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.{os.urandom(4).hex()}.{kind}")
        try:
            os.mkdir(candidate, mode)  # mode is masked by the umask, as for any folder
            return candidate
        except FileExistsError:
            continue


def listdir(path: str) -> Sequence[str]:
    try:
        return os.listdir(path)
    except OSError:
        return ()


def commit(staging: str, final: str, state: str) -> str:
    """Rename the finished venv into place; returns where a replaced one waits ("" if none)."""
    if state in ("missing", "empty"):
        os.replace(staging, final)  # rename(2) replaces an empty folder
        return ""
    trash = make_sibling_dir(final, "pyshim-old", 0o700)
    old = os.path.join(trash, "venv")
    os.replace(final, old)
    try:
        os.replace(staging, final)
    except BaseException:
        os.replace(old, final)
        raise
    return old


def retarget(context: types.SimpleNamespace, old: str, new: str) -> None:
    """Point every path in `context` from the build folder to the final one."""
    for name, value in list(vars(context).items()):
        if isinstance(value, str) and (value == old or value.startswith(old + os.sep)):
            setattr(context, name, new + value[len(old):])
    context.pyshim_layout = context.pyshim_final_layout


def as_venv_error(error: BaseException, final: str) -> BaseException:
    if isinstance(error, (PyshimError, KeyboardInterrupt)):
        return error
    if isinstance(error, OSError):
        what = error.strerror or str(error)
        where = f" ({error.filename})" if error.filename else ""
        return VenvError(f"cannot create the venv at {final}: {what}{where}; {final} was left as it was")
    return error



def shutil_module():
    import shutil  # imported only when needed: it pulls in bz2 and lzma (2 ms at start-up)

    return shutil
