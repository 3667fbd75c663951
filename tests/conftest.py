"""Fixtures every test gets: a sealed HOME, pyshim root, cache and pyenv root, and a leak guard.

Each test runs with its own temporary HOME, PYSHIM_ROOT and PYSHIM_CACHE_DIR, and a PATH with
only the system folders. PYENV_ROOT points at a per-session folder whose `versions/` holds
symlinks to the machine's real interpreters under ~/.pyenv/versions, so tests use the real
interpreters but never read or change the real pyenv settings (its global `version` file).
A test that changes os.environ or the working directory without undoing it fails.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterator, List, NoReturn

import pytest



def _machine_pyenv_versions() -> Path:
    """Where this machine's interpreters are, found as pyshim finds pyenv's (PYENV_ROOT, else what
    `pyenv root` says), then, for a fresh HOME with neither, the root of the `pyenv` on PATH (a
    git install's `bin/pyenv` sits in its root); else ~/.pyenv."""
    if os.environ.get("PYSHIM_TEST_PYENV_VERSIONS"):
        return Path(os.environ["PYSHIM_TEST_PYENV_VERSIONS"])
    if os.environ.get("PYENV_ROOT"):
        return Path(os.environ["PYENV_ROOT"]) / "versions"
    pyenv = shutil.which("pyenv")
    if pyenv:
        answer = subprocess.run([pyenv, "root"], capture_output=True, text=True)
        if answer.returncode == 0 and (Path(answer.stdout.strip()) / "versions").is_dir():
            return Path(answer.stdout.strip()) / "versions"
        installed = Path(os.path.realpath(pyenv)).parent.parent / "versions"
        if installed.is_dir():
            return installed
    return Path.home() / ".pyenv" / "versions"


REAL_PYENV_VERSIONS = _machine_pyenv_versions()
CLEAN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
SRC = str(Path(__file__).resolve().parent.parent / "src")


IN_CI = os.environ.get("CI") == "true"


def missing_tool(message: str) -> "NoReturn":
    """A shell or tool a test needs is missing: a failure in CI (CI=true), a skip elsewhere."""
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@contextlib.contextmanager
def mounted_tmpfs(mount: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` mounted at `mount` (made here) for the block: another file system, or a
    small one to fill. Root only: not root and not CI, skipped; a failure in CI."""
    if os.geteuid() != 0:
        if IN_CI:
            pytest.fail("mounting a tmpfs needs root (the suite runs as root in CI)")
        pytest.skip("mounting a tmpfs needs root")
    mount.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True,
                            text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def without_read_override() -> List[str]:
    """An argv prefix that runs a command without root's right to read and search every folder
    (setpriv drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH), so permission bits apply to it as
    they do to a user; nothing when the tests do not run as root."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        missing_tool("setpriv (util-linux) is needed to test unreadable folders as root")
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]


def machine_versions() -> Dict[str, Path]:
    """The interpreters under ~/.pyenv/versions, name -> folder (empty when there are none)."""
    if not REAL_PYENV_VERSIONS.is_dir():
        return {}
    return {entry.name: entry for entry in sorted(REAL_PYENV_VERSIONS.iterdir()) if (entry / "bin" / "python").exists()}


def newest_version(prefix: str) -> "str | None":
    """The machine's newest version name for a prefix such as '3.12', or None."""
    for name in sorted(machine_versions(), key=lambda n: [int(p) for p in n.split(".") if p.isdigit()], reverse=True):
        if name == prefix or name.startswith(prefix + "."):
            return name
    return None


def version_named(prefix: str) -> str:
    """The machine's full version name for a prefix such as '3.12'; skips the test if absent."""
    name = newest_version(prefix)
    if name is not None:
        return name
    missing_tool(f"no Python {prefix} under {REAL_PYENV_VERSIONS} (set PYSHIM_TEST_PYENV_VERSIONS to the folder that holds it)")


def make_pyenv_root(folder: Path) -> Path:
    """A pyenv root whose versions are symlinks to the real ones, and no global version file."""
    (folder / "versions").mkdir(parents=True)
    for name, real in machine_versions().items():
        (folder / "versions" / name).symlink_to(real)
    return folder


@pytest.fixture(scope="session")
def fake_pyenv_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's pyenv root (see make_pyenv_root)."""
    return make_pyenv_root(tmp_path_factory.mktemp("pyenv-root"))


def filled_probe_cache(factory: pytest.TempPathFactory, pyenv_root: Path, label: str) -> Path:
    """A probe cache that a real `pyshim versions` filled for `pyenv_root`."""
    cache = factory.mktemp(f"{label}-cache")
    home = factory.mktemp(f"{label}-home")
    env = isolated_environment(home, home / "root", cache, pyenv_root)
    subprocess.run([sys.executable, "-m", "pyshim", "versions"], env=env, stdout=subprocess.DEVNULL, check=True)
    return cache


@pytest.fixture(scope="session")
def warm_cache(tmp_path_factory: pytest.TempPathFactory, fake_pyenv_root: Path) -> Path:
    """A probe cache filled once per session, copied into each test's cache folder."""
    return filled_probe_cache(tmp_path_factory, fake_pyenv_root, "warm")


def isolated_environment(home: Path, root: Path, cache: Path, pyenv_root: Path) -> Dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYSHIM_", "PYENV", "VIRTUAL_ENV", "CONDA", "PYTHON", "UV_", "XDG_"))
        and key != "SHELL"  # CI runs without a login shell; a test that wants one names it
    }
    env.update(
        HOME=str(home),
        PYSHIM_ROOT=str(root),
        PYSHIM_CACHE_DIR=str(cache),
        PYENV_ROOT=str(pyenv_root),
        PATH=CLEAN_PATH,
        PYTHONPATH=SRC,
        NO_COLOR="1",
    )
    return env


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, fake_pyenv_root: Path, warm_cache: Path):
    """Seal the test (see module docstring) and fail it if it leaks env or cwd changes."""
    original_env = dict(os.environ)
    original_cwd = os.getcwd()
    home = tmp_path / "home"
    home.mkdir()
    cache = tmp_path / "cache"
    shutil.copytree(warm_cache, cache)
    isolated_env = isolated_environment(home, tmp_path / "pyshim-root", cache, fake_pyenv_root)
    os.environ.clear()
    os.environ.update(isolated_env)
    work = tmp_path / "work"
    work.mkdir()
    os.chdir(work)
    os.environ["PWD"] = str(work)
    isolated_env["PWD"] = str(work)
    yield
    leaked_env = _without_pytest_keys(os.environ) != _without_pytest_keys(isolated_env)
    leaked_cwd = os.getcwd() != str(work)
    os.environ.clear()
    os.environ.update(original_env)
    os.chdir(original_cwd)
    if leaked_env or leaked_cwd:
        pytest.fail("the test changed os.environ or the working directory without undoing it (use monkeypatch)")


def _without_pytest_keys(env) -> Dict[str, str]:
    return {key: value for key, value in env.items() if key != "PYTEST_CURRENT_TEST"}


@pytest.fixture
def work_dir() -> Path:
    """The test's own empty working directory (the current directory when the test starts)."""
    return Path(os.getcwd())


def run_pyshim(*args: str, cwd: "Path | str | None" = None, env: "Dict[str, str] | None" = None,
               input: "str | None" = None, check: bool = False) -> subprocess.CompletedProcess:
    """Run the real CLI as a subprocess, in the sealed environment (plus `env` overrides)."""
    full_env = dict(os.environ)
    if cwd is not None:
        full_env["PWD"] = str(cwd)
    full_env.update(env or {})
    command: List[str] = [sys.executable, "-m", "pyshim.cli", *args]  # the CLI alone: the reference
    return subprocess.run(command, cwd=cwd, env=full_env, input=input, capture_output=True, text=True, check=check)


@pytest.fixture
def pyshim():
    """`pyshim("versions", cwd=...)` runs the CLI as a subprocess and returns the result."""
    return run_pyshim


@pytest.fixture
def shell_factory(tmp_path: Path):
    """`shell_factory("bash", VAR=value)`: a real interactive shell (helpers.Shell), closed at the end."""
    from helpers import Shell, started_and_closed

    yield from started_and_closed(lambda name, **env: Shell(name, tmp_path, env))


@pytest.fixture
def pyshim_shell(tmp_path: Path):
    """`pyshim_shell(name)`, name in helpers.INTERACTIVE_SHELLS (bash, zsh, fish, nu-VERSION): a
    real interactive shell with `pyshim init` loaded (helpers.start_shell), closed at the end."""
    from helpers import start_shell, started_and_closed

    yield from started_and_closed(lambda name, **env: start_shell(name, tmp_path, env))


@pytest.fixture
def projects(work_dir: Path, pyshim) -> Dict[str, Path]:
    """helpers.make_projects in the test's working directory."""
    from helpers import make_projects

    return make_projects(work_dir, pyshim)


@pytest.fixture(scope="module")
def base_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real venv (no pip; a fake `pip` executable stands in), copied for each case."""
    from helpers import base_python

    python = base_python()
    venv = tmp_path_factory.mktemp("base") / "venv"
    subprocess.run([str(python), "-m", "venv", "--without-pip", str(venv)], check=True)
    for old in venv.joinpath("bin").glob("[Aa]ctivate*"):
        old.unlink()
    pip = venv / "bin" / "pip"
    pip.write_text("#!/bin/sh\necho fake pip\n")
    pip.chmod(0o755)
    return venv


@pytest.fixture(scope="module")
def infra(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding dump.py (helpers.DUMP_SCRIPT), which the activation runs call."""
    from helpers import DUMP_SCRIPT

    root = tmp_path_factory.mktemp("infra")
    (root / "dump.py").write_text(DUMP_SCRIPT)
    return root
