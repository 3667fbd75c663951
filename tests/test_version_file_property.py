"""Property test: the Python reader, the shims' fast path and the `pyshim` front-end read every
version file alike (hypothesis generates the files from the pieces that have split them before:
ASCII and other blanks, lone CRs, BOMs, NUL bytes, comments, non-ASCII digits, repeats).

For each generated file the real shim and the real `pyshim exec` run the same command, and the
front-end and `python -m pyshim.cli` (the CLI alone) print `version --bare`, in the same folder: exit status,
output and error text must be identical; and the cd hook's sh walk (in dash and bash) finds the
same venv as its Python twin, `pyshim.shell.project.find_project_venv` (a named venv `proj` is
among the generated names). Every other shell's hook is compared with the twin in
tests/test_init_hostile.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="scripts/test installs hypothesis")
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from conftest import CLEAN_PATH, machine_versions, run_pyshim  # noqa: E402

PROBE = "import sys; print(sys.executable)"


def pieces() -> st.SearchStrategy[bytes]:
    versions = sorted(machine_versions())
    names = versions + [name.rsplit(".", 1)[0] for name in versions] + ["system", "3", "nope", "3.99", "proj"]
    return st.one_of(
        st.sampled_from([name.encode() for name in names]),
        st.sampled_from([b" ", b"\t", b"\n", b"\r\n", b"\r", b"#", b" # note", b"\xef\xbb\xbf", b"\x00",
                         "\u00a0".encode(), "\u2028".encode(), "\uff13.\uff11\uff12".encode(), b"\x0c",
                         "\u0663.\u0661\u0662".encode(), b"\xff"]),
    )


@settings(max_examples=int(os.environ.get("PYSHIM_PROPERTY_EXAMPLES", "40")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(content=st.lists(pieces(), min_size=0, max_size=8).map(b"".join))
def test_python_reader_shims_and_front_end_agree(content: bytes, work_dir: Path) -> None:
    shims_dir = Path(os.environ["PYSHIM_ROOT"]) / "shims"
    if not (shims_dir / "python").exists():
        assert run_pyshim("rehash", "--quiet").returncode == 0
    project = work_dir / "p"
    project.mkdir(exist_ok=True)
    (project / ".python-version").write_bytes(content)
    env = dict(os.environ, PWD=str(project), PATH=f"{shims_dir}:{CLEAN_PATH}")
    shim = subprocess.run([str(shims_dir / "python"), "-c", PROBE], cwd=project, env=env, capture_output=True)
    direct = subprocess.run([sys.executable, "-m", "pyshim", "exec", "python", "-c", PROBE], cwd=project, env=env,
                            capture_output=True)
    assert (shim.returncode, shim.stdout, shim.stderr) == (direct.returncode, direct.stdout, direct.stderr), content
    front = subprocess.run([str(shims_dir / "pyshim"), "version", "--bare"], cwd=project, env=env, capture_output=True)
    cli = subprocess.run([sys.executable, "-m", "pyshim.cli", "version", "--bare"], cwd=project, env=env,
                         capture_output=True)
    assert (front.returncode, front.stdout, front.stderr) == (cli.returncode, cli.stdout, cli.stderr), content
    # The cd hook's walk (sh, as bash, zsh, dash and ksh run it) against its Python twin.
    from pyshim.shell.project import find_project_venv

    named = Path(os.environ["PYSHIM_ROOT"]) / "venvs" / "proj"
    (named / "bin").mkdir(parents=True, exist_ok=True)
    (named / "pyvenv.cfg").write_text("home = /usr/bin\n")
    # (bytes: the init text holds a raw CR, which text mode's newline translation turns into \n)
    init = subprocess.run([sys.executable, "-m", "pyshim.cli", "init", "sh"], capture_output=True, check=True).stdout.decode()
    for shell in ("dash", "bash"):
        hook = subprocess.run([shell, "-c", init + '\n_pyshim_find; printf "%s" "$_pyshim_found"'], cwd=project,
                              env=env, capture_output=True)
        twin = find_project_venv(project)
        assert hook.stdout.decode() == (str(twin) if twin else ""), (shell, content, hook.stderr)
