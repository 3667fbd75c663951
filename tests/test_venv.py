"""pyshim.venv and `pyshim venv`: real venvs for every interpreter on this machine, checked from
inside (sys.prefix, sys.path, pip) and side by side with the target's own `python -m venv`."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Dict, List

import pytest

from conftest import machine_versions, version_named
from helpers import build_tiny_wheel

import pyshim.venv
from pyshim.base.errors import PyshimError, VenvError

TARGETS = ["3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13"]

INSPECT = r"""
import json, site, sys, sysconfig
print(json.dumps({
    "prefix": sys.prefix, "base_prefix": sys.base_prefix, "path": sys.path,
    "purelib": sysconfig.get_paths()["purelib"],
    "site_packages": site.getsitepackages(), "user_site": site.ENABLE_USER_SITE,
}))
"""


def inspect(python: Path) -> Dict:
    out = subprocess.run([str(python), "-c", INSPECT], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def tree(root: Path) -> List[str]:
    """Folders (and links to folders) of a venv, relative; what pip installed is left out."""
    found = []
    for folder, dirs, _ in os.walk(root):
        for name in dirs:
            found.append(os.path.relpath(os.path.join(folder, name), root))
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(folder, d)) and d != "site-packages"]
    return sorted(found)


@pytest.mark.parametrize("minor", TARGETS)
def test_venv_for_every_interpreter(minor: str, tmp_path: Path) -> None:
    name = version_named(minor)
    base = machine_versions()[name]
    env = tmp_path / "env"
    builder = pyshim.venv.create(env, python=minor, with_pip=True, symlinks=True)
    assert builder.target.version == name

    inside = inspect(env / "bin" / "python")
    assert inside["prefix"] == str(env)
    assert os.path.realpath(inside["base_prefix"]) == os.path.realpath(base)
    assert inside["purelib"] == str(env / "lib" / f"python{minor}" / "site-packages")
    assert inside["site_packages"][0] == inside["purelib"]
    assert not inside["user_site"]
    assert all(not p.startswith(os.path.realpath(base) + "/lib/python" + minor + "/site-packages")
               for p in map(os.path.realpath, inside["path"]))

    # the target's own venv, side by side: same folders, same sys.path (modulo the venv's path)
    stdlib_env = tmp_path / "stdlib-env"
    subprocess.run([builder.target.executable, "-m", "venv", "--without-pip", str(stdlib_env)], check=True)
    stdlib_inside = inspect(stdlib_env / "bin" / "python")
    assert [p.replace(str(stdlib_env), str(env)) for p in stdlib_inside["path"]] == inside["path"]
    assert tree(stdlib_env) == tree(env)
    assert {p.name for p in (stdlib_env / "bin").iterdir() if p.name.startswith("python")} <= \
        {p.name for p in (env / "bin").iterdir()}

    # pip: works, knows it is in a venv, installs a local wheel, refuses --user
    version = subprocess.run([str(env / "bin" / "pip"), "--version"], check=True, capture_output=True, text=True)
    assert str(env / "lib") in version.stdout
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    build_tiny_wheel(wheels)
    pip = [str(env / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "--no-cache-dir"]
    subprocess.run(pip + ["install", "--no-index", "--find-links", str(wheels), "tinypkg"], check=True,
                   capture_output=True)
    value = subprocess.run([str(env / "bin" / "python"), "-c", "import tinypkg; print(tinypkg.__file__, tinypkg.VALUE)"],
                           check=True, capture_output=True, text=True).stdout.split()
    assert value == [str(env / "lib" / f"python{minor}" / "site-packages" / "tinypkg" / "__init__.py"), "42"]
    under_venv = subprocess.run([str(env / "bin" / "python"), "-c", "import sys; print(sys.prefix != sys.base_prefix)"],
                                capture_output=True, text=True)
    assert under_venv.stdout.strip() == "True"
    pip_major = int(version.stdout.split()[1].split(".")[0])
    if pip_major >= 19:  # pip 18 (bundled with 3.6) does not read pyvenv.cfg for this check
        refused = subprocess.run(pip + ["install", "--user", "--no-index", "--find-links", str(wheels), "tinypkg"],
                                 capture_output=True, text=True)
        assert refused.returncode != 0
        assert "User site-packages are not visible in this virtualenv" in refused.stderr

    # --system-site-packages and --copies, without pip
    shared = tmp_path / "shared"
    pyshim.venv.create(shared, python=minor, with_pip=False, system_site_packages=True, symlinks=False)
    shared_inside = inspect(shared / "bin" / "python")
    base_site = os.path.realpath(base / "lib" / f"python{minor}" / "site-packages")
    assert base_site in map(os.path.realpath, shared_inside["path"])
    assert not (shared / "bin" / "python").is_symlink()
    assert "include-system-site-packages = true" in (shared / "pyvenv.cfg").read_text()


def test_cli_builds_named_and_lists_them(pyshim, tmp_path: Path) -> None:
    name = version_named("3.11")
    created = pyshim("venv", "--name", "proj", "--python", "3.11", "--without-pip")
    assert created.returncode == 0, created.stderr
    root = Path(os.environ["PYSHIM_ROOT"])
    assert (root / "venvs" / "proj" / "pyvenv.cfg").is_file()
    found = pyshim("find", "3.11").stdout.strip()  # a version still means an interpreter, not the venv
    assert found == os.path.join(os.environ["PYENV_ROOT"], "versions", name, "bin", "python")
    versions = pyshim("versions")
    assert any(line.split()[:1] == ["proj"] for line in versions.stdout.splitlines()), versions.stdout
    assert pyshim("local", "proj").returncode == 0
    which = pyshim("which", "python")
    assert which.stdout.strip() == str(root / "venvs" / "proj" / "bin" / "python")
    index = root / "shims" / ".pyshim-index"
    assert str(root / "venvs" / "proj" / "bin") in index.read_text()  # creating it rehashed the shims
    shim = subprocess.run([str(root / "shims" / "python"), "-c", "import sys; print(sys.prefix)"],
                          capture_output=True, text=True)
    assert shim.stdout.strip() == str(root / "venvs" / "proj"), shim.stderr
    listed = pyshim("venvs", "--json")
    assert json.loads(listed.stdout) == [{"name": "proj", "version": name, "path": str(root / "venvs" / "proj"),
                                          "status": "ok", "problem": None}]
    assert pyshim("venv", "--rm", "proj").returncode == 0
    assert not (root / "venvs" / "proj").exists()
    assert str(root / "venvs" / "proj" / "bin") not in index.read_text()
    assert "proj" not in pyshim("versions").stdout
    missing = pyshim("venv", "--rm", "proj")
    assert missing.returncode == 1 and "no named venv 'proj'" in missing.stderr
    empty = pyshim("venvs")
    assert empty.returncode == 0 and empty.stdout == "" and "no named venvs yet" in empty.stderr


def test_named_venv_whose_base_is_gone_is_broken(pyshim, tmp_path: Path) -> None:
    real = os.path.realpath(machine_versions()[version_named("3.12")] / "bin" / "python3.12")
    gone = tmp_path / "gone" / "bin"
    gone.mkdir(parents=True)
    (gone / "python3.12").symlink_to(real)
    assert pyshim("venv", "--name", "old", "--python", str(gone / "python3.12"), "--without-pip").returncode == 0
    (gone / "python3.12").unlink()
    listed = pyshim("venvs")
    assert listed.returncode == 1
    assert "broken" in listed.stdout and "is gone" in listed.stdout
    assert "pyshim venv --name old --python 3.12 --upgrade" in listed.stdout
    site = Path(os.environ["PYSHIM_ROOT"]) / "venvs" / "old" / "lib" / "python3.12" / "site-packages"
    (site / "mine.py").write_text("VALUE = 1\n")
    moved = pyshim("venv", "--name", "old", "--python", "3.12", "--upgrade", "--without-pip")
    assert moved.returncode == 0, moved.stderr
    assert pyshim("venvs").returncode == 0  # ok again, on the installed 3.12
    python = Path(os.environ["PYSHIM_ROOT"]) / "venvs" / "old" / "bin" / "python"
    assert subprocess.run([str(python), "-c", "import mine; print(mine.VALUE)"], capture_output=True,
                          text=True).stdout == "1\n"


@pytest.mark.parametrize("name", ["3.12", "pypy3.10", "system", ".hidden", "../up", "-x", "two words", "a/b", ""])
def test_named_venv_refuses_names_that_are_not_names(pyshim, name: str) -> None:
    result = pyshim("venv", f"--name={name}", "--python", "3.12", "--without-pip")
    assert result.returncode != 0 and result.stderr.startswith("pyshim: ")
    assert not (Path(os.environ["PYSHIM_ROOT"]) / "venvs").exists() or not any((Path(os.environ["PYSHIM_ROOT"]) / "venvs").iterdir())


def test_python_2_is_refused_with_one_line(pyshim, work_dir: Path) -> None:
    version_named("2.7")
    result = pyshim("venv", "env", "--python", "2.7")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "not supported" in result.stderr
    assert not (work_dir / "env").exists() and os.listdir(work_dir) == []


def test_existing_folders_are_never_destroyed_silently(pyshim, work_dir: Path) -> None:
    folder = work_dir / "data"
    folder.mkdir()
    (folder / "keep.txt").write_text("precious")
    result = pyshim("venv", "data", "--python", "3.12")
    assert result.returncode == 1 and "not a venv" in result.stderr
    cleared = pyshim("venv", "data", "--python", "3.12", "--clear")
    assert cleared.returncode == 1 and "--force" in cleared.stderr
    assert (folder / "keep.txt").read_text() == "precious" and os.listdir(folder) == ["keep.txt"]
    assert sorted(os.listdir(work_dir)) == ["data"]
    forced = pyshim("venv", "data", "--python", "3.12", "--clear", "--force", "--without-pip")
    assert forced.returncode == 0, forced.stderr
    assert not (folder / "keep.txt").exists() and (folder / "pyvenv.cfg").is_file()
    again = pyshim("venv", "data", "--python", "3.12", "--without-pip")
    assert again.returncode == 1 and "--clear" in again.stderr


def test_clear_replaces_a_venv_and_upgrade_keeps_packages(work_dir: Path) -> None:
    pyshim.venv.create("env", python="3.11", with_pip=False)
    (work_dir / "env" / "lib" / "python3.11" / "site-packages" / "mine.py").write_text("")
    pyshim.venv.create("env", python="3.12", with_pip=False, clear=True)
    assert "version = 3.12" in (work_dir / "env" / "pyvenv.cfg").read_text()
    assert not (work_dir / "env" / "lib" / "python3.11").exists()
    (work_dir / "env" / "lib" / "python3.12" / "site-packages" / "mine.py").write_text("")
    pyshim.venv.EnvBuilder(python="3.12", upgrade=True, symlinks=True).create("env")
    assert (work_dir / "env" / "lib" / "python3.12" / "site-packages" / "mine.py").exists()
    assert inspect(work_dir / "env" / "bin" / "python")["prefix"] == str(work_dir / "env")
    assert sorted(os.listdir(work_dir)) == ["env"]


class Interrupting(pyshim.venv.EnvBuilder):
    def __init__(self, error: BaseException, step: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.error, self.step = error, step

    def setup_python(self, context) -> None:
        super().setup_python(context)
        if self.step == "setup_python":
            raise self.error

    def post_setup(self, context) -> None:
        if self.step == "post_setup":
            raise self.error


@pytest.mark.parametrize("step", ["setup_python", "post_setup"])
@pytest.mark.parametrize("error", [KeyboardInterrupt(), OSError(28, "No space left on device")])
def test_creation_is_all_or_nothing(work_dir: Path, step: str, error: BaseException) -> None:
    pyshim.venv.create("env", python="3.12", with_pip=False)
    before = sorted(os.listdir(work_dir / "env"))
    (work_dir / "empty").mkdir()
    for target, clear in (("new", False), ("env", True), ("empty", False)):
        builder = Interrupting(error, step, python="3.12", with_pip=True, clear=clear, symlinks=True)
        with pytest.raises((KeyboardInterrupt, VenvError)) as raised:
            builder.create(target)
        if isinstance(error, OSError):
            outcome = "nothing was made" if target == "new" else "was left as it was"
            assert "No space left on device" in str(raised.value) and outcome in str(raised.value)
    assert sorted(os.listdir(work_dir)) == ["empty", "env"]  # no half-built venv, no temporary folder
    assert os.listdir(work_dir / "empty") == []
    assert sorted(os.listdir(work_dir / "env")) == before  # the venv --clear would have replaced is back
    assert inspect(work_dir / "env" / "bin" / "python")["prefix"] == str(work_dir / "env")


def test_a_gone_interpreter_builds_nothing(work_dir: Path) -> None:
    info = pyshim.venv.EnvBuilder(python="3.12").target
    missing = info._replace(executable=str(work_dir / "nowhere" / "python"), is_venv=False)
    with pytest.raises(VenvError, match="is gone"):
        pyshim.venv.create("env", python=missing, with_pip=True, symlinks=True)
    assert os.listdir(work_dir) == []


@pytest.mark.parametrize("folder", ["with space", "ünïcødé", "quote'd \"both\"", "dollar $HOME `x` \\back"])
def test_awkward_paths(work_dir: Path, folder: str) -> None:
    env = work_dir / folder / "env"
    pyshim.venv.create(env, python="3.12", with_pip=True, symlinks=True)
    result = subprocess.run([str(env / "bin" / "pip3.12"), "--version"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert str(env) in result.stdout
    assert inspect(env / "bin" / "python")["prefix"] == str(env)
    activated = subprocess.run(["sh", "-c", '. "$1/bin/activate" && printf %s "$VIRTUAL_ENV"', "sh", str(env)],
                               capture_output=True, text=True)
    assert activated.stdout == str(env), activated.stderr


@pytest.mark.parametrize("path", ["a:b", "line\nbreak"])
def test_paths_no_shell_can_carry_are_refused_before_building(work_dir: Path, path: str) -> None:
    with pytest.raises(PyshimError):
        pyshim.venv.create(path, python="3.12", with_pip=False)
    assert os.listdir(work_dir) == []


def test_a_prompt_no_shell_can_show_is_refused_before_building(work_dir: Path) -> None:
    with pytest.raises(PyshimError, match="prompt"):
        pyshim.venv.create("env", python="3.12", prompt="evil\x1b]0;title\x07", with_pip=True, symlinks=True)
    assert os.listdir(work_dir) == []


def test_pyvenv_cfg_keys_prompt_and_scm_files(work_dir: Path) -> None:
    pyshim.venv.create("env", python="3.12", with_pip=False, prompt=".", scm_ignore_files=["git"])
    config = dict(line.split(" = ", 1) for line in (work_dir / "env" / "pyvenv.cfg").read_text().splitlines())
    info = pyshim.venv.EnvBuilder(python="3.12").target
    assert config["home"] == os.path.dirname(info.executable)
    assert config["version"] == config["version_info"] == info.version
    assert config["implementation"] == "CPython"
    assert config["include-system-site-packages"] == "false"
    assert config["executable"] == os.path.realpath(info.executable)
    assert config["prompt"] == repr(work_dir.name)  # a Python repr, as the stdlib writes it
    assert config["command"] == f'{info.executable} -m venv --copies --without-pip --prompt="." {work_dir / "env"}'  # the stdlib's form
    assert (work_dir / "env" / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (work_dir / "env" / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    git = subprocess.run(["git", "init", "-q", str(work_dir)], capture_output=True)
    if git.returncode == 0:
        status = subprocess.run(["git", "-C", str(work_dir), "status", "--porcelain", "--untracked-files=all"],
                                capture_output=True, text=True).stdout
        assert status == ""
    pyshim.venv.create("bare", python="3.12", with_pip=False, scm_ignore_files=())
    assert not (work_dir / "bare" / ".gitignore").exists() and not (work_dir / "bare" / "CACHEDIR.TAG").exists()


def test_stdlib_subclass_works_unchanged(work_dir: Path) -> None:
    import venv as stdlib_venv

    seen = {}

    def make(base):
        class Recording(base):
            def post_setup(self, context):
                seen[base.__module__] = dict(vars(context))
                with open(os.path.join(context.bin_path, "hello"), "w") as handle:
                    handle.write(context.env_exe)

        return Recording

    make(stdlib_venv.EnvBuilder)(with_pip=False, symlinks=True).create(str(work_dir / "std"))
    make(pyshim.venv.EnvBuilder)(with_pip=False, symlinks=True, python="3.12").create(str(work_dir / "ours"))
    stdlib_context, ours = seen["venv"], seen["pyshim.venv.builder"]
    assert set(stdlib_context) <= set(ours)
    assert ours["env_dir"] == str(work_dir / "ours") and ours["env_name"] == "ours"
    assert (work_dir / "ours" / "bin" / "hello").read_text() == str(work_dir / "ours" / "bin" / "python")
    assert sorted(os.listdir(work_dir)) == ["ours", "std"]


def test_stdlib_subclass_installing_its_own_scripts(work_dir: Path) -> None:
    scripts = work_dir / "scripts" / "common"
    scripts.mkdir(parents=True)
    (scripts / "where").write_text("#!/bin/sh\necho '__VENV_DIR__' '__VENV_PROMPT__' '__VENV_BIN_NAME__'\n")
    (scripts / "where").chmod(0o755)

    class WithScripts(pyshim.venv.EnvBuilder):
        def setup_scripts(self, context):
            super().setup_scripts(context)
            self.install_scripts(context, str(work_dir / "scripts"))

    WithScripts(python="3.12", prompt="mine", symlinks=True).create(str(work_dir / "env"))
    out = subprocess.run([str(work_dir / "env" / "bin" / "where")], capture_output=True, text=True).stdout
    assert out == f"{work_dir / 'env'} (mine)  bin\n"  # 3.12's context.prompt is "(mine) ", as in its stdlib


def test_python_m_pyshim_venv_takes_the_stdlib_command_line(work_dir: Path) -> None:
    import sys

    result = subprocess.run([sys.executable, "-m", "pyshim.venv", "--python", "3.12", "--without-pip", "--copies",
                             "--prompt", "hi", "one", "two"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for name in ("one", "two"):
        assert "prompt = 'hi'" in (work_dir / name / "pyvenv.cfg").read_text()
        assert not (work_dir / name / "bin" / "python").is_symlink()
        assert inspect(work_dir / name / "bin" / "python")["prefix"] == str(work_dir / name)
    clash = subprocess.run([sys.executable, "-m", "pyshim.venv", "--clear", "--upgrade", "x"], capture_output=True, text=True)
    assert clash.returncode != 0 and "together" in clash.stderr


def test_upgrade_deps_without_network_says_so(pyshim, work_dir: Path) -> None:
    result = pyshim("venv", "env", "--python", "3.12", "--upgrade-deps",
                    env={"PIP_CONFIG_FILE": os.devnull, "PIP_INDEX_URL": "http://127.0.0.1:9/simple",
                         "PIP_RETRIES": "0", "PIP_TIMEOUT": "2"})
    assert result.returncode == 1
    assert "is ready, but upgrading pip failed" in result.stderr and "network" in result.stderr
    assert (work_dir / "env" / "bin" / "pip").exists()


def test_default_target_is_the_selected_version_and_a_venv_target_uses_its_base(pyshim, work_dir: Path) -> None:
    (work_dir / ".python-version").write_text("3.10\n")
    made = pyshim("venv", ".venv", "--without-pip", cwd=work_dir)
    assert made.returncode == 0, made.stderr
    assert f"version = {version_named('3.10')}" in (work_dir / ".venv" / "pyvenv.cfg").read_text()
    nested = pyshim("venv", "nested", "--python", str(work_dir / ".venv" / "bin" / "python"), "--without-pip")
    assert nested.returncode == 0, nested.stderr
    config = (work_dir / "nested" / "pyvenv.cfg").read_text()
    assert f"home = {(work_dir / '.venv' / 'pyvenv.cfg').read_text().split('home = ')[1].splitlines()[0]}" in config
    inside = inspect(work_dir / "nested" / "bin" / "python")
    assert inside["prefix"] == str(work_dir / "nested")
    assert os.path.realpath(inside["base_prefix"]) == os.path.realpath(machine_versions()[version_named("3.10")])


def test_the_activation_hint_is_for_the_users_shell(pyshim, work_dir):
    for shell, line in (("/usr/bin/fish", "source '{}/bin/activate.fish'"), ("/bin/bash", "source '{}/bin/activate'"),
                        ("/bin/tcsh", "source '{}/bin/activate.csh'")):
        target = work_dir / f"env-{shell.rsplit('/', 1)[1]}"
        result = pyshim("venv", str(target), "--python", "3.12", "--without-pip", env={"SHELL": shell})
        assert result.returncode == 0, result.stderr
        hint = result.stdout.splitlines()[-1]
        assert hint.startswith(f"activate with: pyshim activate '{target}'") and hint.endswith(line.format(target)), hint
