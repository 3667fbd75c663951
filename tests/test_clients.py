"""Real client tools through pyshim's shims: tox, virtualenv, uv, pipx and pre-commit.

Each tool is installed from PyPI into the test environment by scripts/test and runs with
pyshim's shims first on PATH, the test's own (non-default) PYSHIM_ROOT and PYENV_ROOT, and
nothing passed on to the interpreters it starts: tox strips the environment of its interpreter
queries, the others ask for versioned commands (`python3.12`) that the selection may not hold.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

from conftest import CLEAN_PATH, missing_tool, version_named
from helpers import console_script_wheel
from pyshim.shims import rehash as shims  # the module: shims.rehash(), shims.INDEX_NAME

TOOLS = Path(sys.executable).parent


def tool(name: str) -> str:
    path = TOOLS / name
    if not path.is_file():
        missing_tool(f"{name} is not installed in {TOOLS} (scripts/test installs it from PyPI)")
    return str(path)


def client_env(work: Path, **extra: str) -> Dict[str, str]:
    env = dict(os.environ, PWD=str(work), PATH=f"{shims.rehash().shims_dir}:{CLEAN_PATH}")
    env.pop("PYTHONPATH", None)  # the tools' own interpreters must not see this checkout
    env.update(extra)
    return env


def run(argv: List[str], work: Path, env: Dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=work, env=env, capture_output=True, text=True, timeout=timeout)


def test_tox_finds_every_version_of_the_envlist(work_dir: Path) -> None:
    (work_dir / ".python-version").write_text("3.12 3.10 3.8\n")
    (work_dir / "tox.ini").write_text(
        "[tox]\nenvlist = py38,py310,py312\nskipsdist = true\n"
        "[testenv]\nskip_install = true\ncommands = python -c \"import platform; print('ran', platform.python_version())\"\n")
    result = run([tool("tox")], work_dir, client_env(work_dir))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    for prefix in ("3.8", "3.10", "3.12"):
        assert f"ran {version_named(prefix)}" in result.stdout


def test_virtualenv_p_finds_a_version_the_selection_lacks(work_dir: Path) -> None:
    (work_dir / ".python-version").write_text("3.10\n")
    target = work_dir / "env"
    result = run([tool("virtualenv"), "-p", "3.12", "--no-seed", str(target)], work_dir, client_env(work_dir))
    assert result.returncode == 0, result.stderr + result.stdout
    assert f"version_info = {version_named('3.12')}" in (target / "pyvenv.cfg").read_text().replace(".final.0", "")


def test_uv_python_find_runs_the_shim(work_dir: Path) -> None:
    (work_dir / ".python-version").write_text("3.10\n")
    env = client_env(work_dir, UV_PYTHON_DOWNLOADS="never", UV_CACHE_DIR=str(work_dir / "uv-cache"))
    result = run([tool("uv"), "python", "find", "--system", "3.12"], work_dir, env)
    assert result.returncode == 0, result.stderr
    found = result.stdout.strip()
    version = subprocess.run([found, "-c", "import platform; print(platform.python_version())"], env=env,
                             cwd=work_dir, capture_output=True, text=True)
    assert version.stdout.strip() == version_named("3.12"), (found, version.stderr)


def test_pipx_install_with_python_version(work_dir: Path, tmp_path: Path) -> None:
    (work_dir / ".python-version").write_text("3.12\n")
    wheel = console_script_wheel(tmp_path, "hello-pipx")
    env = client_env(work_dir, PIPX_HOME=str(tmp_path / "pipx-home"), PIPX_BIN_DIR=str(tmp_path / "pipx-bin"),
                     PIPX_MAN_DIR=str(tmp_path / "pipx-man"))
    result = run([tool("pipx"), "install", "--python", "3.10", str(wheel)], work_dir, env)
    assert result.returncode == 0, result.stderr + result.stdout
    cfg = (tmp_path / "pipx-home" / "venvs" / "hello-pipx" / "pyvenv.cfg").read_text()
    assert f"version = {version_named('3.10')}" in cfg or f"version_info = {version_named('3.10')}" in cfg
    hello = subprocess.run([str(tmp_path / "pipx-bin" / "hello-pipx")], capture_output=True, text=True)
    assert hello.stdout.strip() == "hello from hello-pipx"


def test_pre_commit_language_version(work_dir: Path) -> None:
    (work_dir / ".python-version").write_text("3.10\n")
    (work_dir / ".pre-commit-config.yaml").write_text(
        "repos:\n- repo: local\n  hooks:\n  - id: which-python\n    name: which python\n    language: python\n"
        "    language_version: python3.12\n    entry: python -c \"import sys; assert sys.version_info[:2] == (3, 12), sys.version\"\n"
        "    pass_filenames: false\n    always_run: true\n")
    env = client_env(work_dir, PRE_COMMIT_HOME=str(work_dir / "pre-commit-home"), GIT_CONFIG_NOSYSTEM="1",
                     GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid", GIT_COMMITTER_NAME="t",
                     GIT_COMMITTER_EMAIL="t@example.invalid")
    for argv in (["git", "init", "-q"], ["git", "add", "-A"]):
        assert run(argv, work_dir, env).returncode == 0
    result = run([tool("pre-commit"), "run", "--all-files"], work_dir, env, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "which python" in result.stdout and "Passed" in result.stdout
