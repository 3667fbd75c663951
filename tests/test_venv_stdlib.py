"""pyshim.venv as a drop-in for the stdlib's venv (issue 12): CPython's own venv test suite, from
each interpreter's own `lib/pythonX.Y/test/test_venv.py`, run inside that interpreter with a
stand-in `venv` package that is `pyshim.venv`; it must run and skip as many tests as the same
suite against the interpreter's real venv, with no failure. Plus what the suite does not check:
the default target, `python -m pyshim.venv` run twice, and the library against the command's
stricter rules."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Dict, Tuple

import pytest

from conftest import SRC, machine_versions, version_named

import pyshim.venv

SUITE_VERSIONS = ["3.9", "3.10", "3.11", "3.12", "3.13"]  # the interpreters pyshim itself runs on
STAND_IN = "import sys\nimport pyshim.venv\nsys.modules[__name__] = pyshim.venv\n"


@pytest.fixture(scope="module")
def stand_in(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A PYTHONPATH: the stand-in `venv` package, pyshim's source, and pyshim's pure-Python
    dependencies (linked from the interpreter running the tests)."""
    root = tmp_path_factory.mktemp("stand-in")
    (root / "venv").mkdir()
    (root / "venv" / "__init__.py").write_text(STAND_IN)
    deps = root / "deps"
    deps.mkdir()
    for name in ("filelock", "packaging", "platformdirs"):
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.submodule_search_locations, name
        (deps / name).symlink_to(list(spec.submodule_search_locations)[0])
    return os.pathsep.join([str(root), SRC, str(deps)])


def run_suite(python: Path, cwd: Path, pythonpath: str = "") -> Tuple[int, int, str]:
    """(tests run, tests skipped, output) of `python -m unittest test.test_venv`; fails the test
    on any failure or error."""
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    result = subprocess.run([str(python), "-m", "unittest", "-v", "test.test_venv"], cwd=cwd, env=env,
                            capture_output=True, text=True, timeout=900)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    ran = re.search(r"^Ran (\d+) tests? in", output, re.M)
    skipped = re.search(r"^OK(?: \((?:.*?)skipped=(\d+)\))?", output, re.M)
    assert ran and skipped, output[-3000:]
    return int(ran.group(1)), int(skipped.group(1) or 0), output


@pytest.mark.parametrize("minor", SUITE_VERSIONS)
def test_cpython_venv_suite_passes_on_pyshim_venv(minor: str, stand_in: str, tmp_path: Path) -> None:
    python = machine_versions()[version_named(minor)] / "bin" / f"python{minor}"
    if not (python.parent.parent / "lib" / f"python{minor}" / "test" / "test_venv.py").is_file():
        pytest.skip(f"{python} has no test package")
    which = subprocess.run([str(python), "-c", "import venv, sys; print(venv.__name__)"], capture_output=True,
                           text=True, env=dict(os.environ, PYTHONPATH=stand_in), cwd=tmp_path)
    assert which.stdout.strip() == "pyshim.venv", which.stderr  # the suite below really runs pyshim
    (tmp_path / "ours").mkdir()
    (tmp_path / "theirs").mkdir()
    ours = run_suite(python, tmp_path / "ours", stand_in)
    theirs = run_suite(python, tmp_path / "theirs")
    assert ours[:2] == theirs[:2], ours[2][-4000:]


def test_library_default_target_is_the_running_interpreter(work_dir: Path) -> None:
    """Not the version selected here (a .python-version naming another one is ignored)."""
    (work_dir / ".python-version").write_text("3.10\n")
    builder = pyshim.venv.EnvBuilder()
    builder.create("env")
    base = getattr(sys, "_base_executable", sys.executable)
    config = (work_dir / "env" / "pyvenv.cfg").read_text()
    assert f"home = {os.path.dirname(base)}\n" in config
    assert f"version = {'%d.%d.%d' % sys.version_info[:3]}\n" in config


@pytest.mark.parametrize("minor, expected", [("3.12", "(proj) "), ("3.13", "proj")])
def test_context_prompt_follows_the_target_version(minor: str, expected: str, work_dir: Path) -> None:
    version_named(minor)
    builder = pyshim.venv.EnvBuilder(python=minor, prompt="proj")
    context = builder.ensure_directories(str(work_dir / "env"))
    assert context.prompt == expected
    stdlib = subprocess.run([builder.target.executable, "-c",
                             "import venv, sys; print(repr(venv.EnvBuilder(prompt='proj').ensure_directories(sys.argv[1]).prompt))",
                             str(work_dir / "theirs")], capture_output=True, text=True, check=True)
    assert repr(expected) == stdlib.stdout.strip()


def test_python_m_pyshim_venv_twice_updates_in_place(work_dir: Path) -> None:
    command = [sys.executable, "-m", "pyshim.venv", "--python", "3.12", "--without-pip", "env"]
    first = subprocess.run(command, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    (work_dir / "env" / "lib" / "python3.12" / "site-packages" / "mine.py").write_text("")
    second = subprocess.run(command, capture_output=True, text=True)
    assert second.returncode == 0, second.stderr
    assert (work_dir / "env" / "lib" / "python3.12" / "site-packages" / "mine.py").exists()
    assert (work_dir / "env" / "bin" / "activate").is_file()
    clash = subprocess.run([sys.executable, "-m", "pyshim.venv", "--clear", "--upgrade", "x"], capture_output=True,
                           text=True)
    assert clash.returncode == 1 and clash.stderr.startswith("Error: ")


def test_the_command_keeps_its_stricter_rules(pyshim, work_dir: Path) -> None:
    made = pyshim("venv", "env", "--python", "3.12", "--without-pip")
    assert made.returncode == 0, made.stderr
    again = pyshim("venv", "env", "--python", "3.12", "--without-pip")
    assert again.returncode == 1 and "--clear" in again.stderr
    config: Dict[str, str] = dict(line.split(" = ", 1) for line in (work_dir / "env" / "pyvenv.cfg").read_text().splitlines())
    assert config["command"].startswith("pyshim venv --python ")


def test_a_path_holding_the_path_separator_is_a_value_error(work_dir: Path) -> None:
    with pytest.raises(ValueError, match="PATH separator"):
        pyshim.venv.create(str(work_dir / f"a{os.pathsep}b"), python="3.12")
    assert os.listdir(work_dir) == []


def read_cfg(path: Path) -> Dict[str, str]:
    return dict(line.split(" = ", 1) for line in path.read_text().splitlines() if " = " in line)


@pytest.mark.parametrize("minor", ["3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13"])
def test_pyvenv_cfg_holds_what_the_targets_stdlib_writes(minor: str, work_dir: Path) -> None:
    """Every key the target's own `python -m venv` writes, with the same value (the venv's path
    aside); pyshim's additions are extra keys only."""
    version_named(minor)
    builder = pyshim.venv.EnvBuilder(python=minor, prompt="my proj", symlinks=True,
                                     scm_ignore_files=["git"] if minor == "3.13" else ())
    builder.create(str(work_dir / "ours"))
    subprocess.run([builder.target.executable, "-m", "venv", "--without-pip", "--prompt", "my proj",
                    str(work_dir / "theirs")], check=True)
    theirs = read_cfg(work_dir / "theirs" / "pyvenv.cfg")
    ours = read_cfg(work_dir / "ours" / "pyvenv.cfg")
    assert {key: ours.get(key) for key in theirs} == \
        {key: value.replace(str(work_dir / "theirs"), str(work_dir / "ours")) for key, value in theirs.items()}
