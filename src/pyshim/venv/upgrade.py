"""`--upgrade-deps`: upgrade pip (and setuptools before 3.12) in a finished venv from the index.

The one step of the `venv/` action that needs the network; called by
`EnvBuilder.upgrade_dependencies`. pip is run as the target's own stdlib runs it, so code that
patches `venv.subprocess` sees the same call: `subprocess.check_call(cmd)` before 3.10,
`check_output` through `EnvBuilder._call_new_python` from 3.10. pip exits 0 when it cannot reach
the index but the installed version satisfies the request, so its output (verbose, through
PIP_VERBOSE) is read for that where it is captured (3.10+).
"""

from __future__ import annotations

import types

from pyshim.base.errors import VenvError

TYPE_CHECKING = False  # typing stays unimported at run time (see pyshim.base.record)

if TYPE_CHECKING:
    from pyshim.venv.builder import EnvBuilder

OFFLINE_MARKS = ("Could not fetch URL", "Failed to establish a new connection", "NewConnectionError",
                 "Network is unreachable", "Temporary failure in name resolution", "ConnectTimeoutError")


def upgrade_dependencies(builder: "EnvBuilder", context: types.SimpleNamespace) -> None:
    import subprocess

    deps = ["pip"] + (["setuptools"] if builder.target.release[:2] < (3, 12) else [])
    args = [context.env_exec_cmd, "-m", "pip", "install", "--upgrade", *deps]
    try:
        if builder.target.release[:2] < (3, 10):
            subprocess.check_call(args)
            output = b""
        else:
            output = builder._call_new_python(context, *args[1:], stderr=subprocess.STDOUT,
                                              extra_env={"PIP_VERBOSE": "2"})
    except (subprocess.CalledProcessError, OSError) as error:
        captured = getattr(error, "output", None) or b""
        last = captured.decode("utf-8", "replace").strip().splitlines()[-1:] or [str(error)]
        raise upgrade_failed(context, deps, last[0]) from error
    text = output.decode("utf-8", "replace") if isinstance(output, bytes) else str(output or "")
    offline = next((line for line in text.splitlines() if any(mark in line for mark in OFFLINE_MARKS)), None)
    if offline:
        raise upgrade_failed(context, deps, offline)


def upgrade_failed(context: types.SimpleNamespace, deps: Sequence[str], last: str) -> VenvError:
    return VenvError(
        f"the venv at {context.env_dir} is ready, but upgrading {' and '.join(deps)} failed "
        f"(pip: {last.strip()[:160]}); the network or the package index may be unreachable: retry later with "
        f"`{context.env_exe} -m pip install --upgrade {' '.join(deps)}`"
    )
