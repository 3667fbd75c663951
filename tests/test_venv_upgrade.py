"""pyenv-style upgrades of a venv's base, built for real: a venv whose base interpreter vanished
(a copy of a pyenv build in this test's pyshim root, deleted afterwards) or now runs another
patch release (pyvenv.cfg's `version` written back to an older patch, as a venv made before an
in-place upgrade has it) is reported by `pyshim venvs` and `pyshim doctor` with the one command
that fixes it, and `pyshim venv --upgrade PATH --python X.Y` moves it in place: pip still works
in it and what was installed still imports."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest

from conftest import machine_versions, version_named
from helpers import console_script_wheel

from pyshim.venv.config import read_config


def base_copy(name: str, minor: str) -> Path:
    """A copy of the machine's X.Y build in this test's pyshim root, `versions/NAME`: its own
    executable (CPython finds its prefix from where it is) and a link to the original's lib
    (libpython is found through the original, which stays in place). Returns its bin/python."""
    original = machine_versions()[version_named(minor)]
    folder = Path(os.environ["PYSHIM_ROOT"]) / "versions" / name
    (folder / "bin").mkdir(parents=True)
    executable = folder / "bin" / f"python{minor}"
    shutil.copy2(os.path.realpath(original / "bin" / f"python{minor}"), executable)
    for alias in ("python3", "python"):
        (folder / "bin" / alias).symlink_to(executable.name)
    (folder / "lib").symlink_to(original / "lib")
    return folder / "bin" / "python"


def run(*command: str, cwd: "Path | None" = None) -> subprocess.CompletedProcess:
    return subprocess.run(list(command), capture_output=True, text=True, cwd=cwd)


def pip_install(env: Path, wheels: Path, project: str) -> None:
    result = run(str(env / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check", "--no-index",
                 "--find-links", str(wheels), project)
    assert result.returncode == 0, result.stdout + result.stderr


def doctor_findings(pyshim, cwd: Path) -> List[Dict]:
    report = json.loads(pyshim("doctor", "--json", cwd=cwd).stdout)
    return [finding for finding in report["findings"] if finding["check"].startswith("venv-")]


def fix_command(fix: str) -> List[str]:
    """The command between backticks in a fix line, as argv for `python -m pyshim`."""
    command = shlex.split(fix.split("`")[1])
    assert command[:2] == ["pyshim", "venv"], fix
    return command[1:]


def snapshot(env: Path) -> Dict[str, str]:
    """Every entry of a venv: a link's target or a file's bytes (as text), for "nothing changed"."""
    found = {}
    for folder, dirs, files in os.walk(env):
        for name in dirs + files:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                found[path] = "-> " + os.readlink(path)
            elif os.path.isfile(path):
                found[path] = Path(path).read_bytes().decode("utf-8", "replace")
    return found


def test_a_venv_whose_base_vanished_is_moved_onto_the_installed_patch(pyshim, work_dir: Path) -> None:
    base = base_copy("3.12.0", "3.12")
    env = work_dir / ".venv"
    created = pyshim("venv", ".venv", "--python", str(base), "--prompt", "proj", cwd=work_dir)
    assert created.returncode == 0, created.stderr
    assert read_config(str(env / "pyvenv.cfg"))["home"] == str(base.parent)
    wheels = work_dir / "wheels"
    wheels.mkdir()
    console_script_wheel(wheels, "hello-tool")
    pip_install(env, wheels, "hello_tool")
    activate = env / "bin" / "activate"
    activate.write_text(activate.read_text() + "# edited by hand\n")
    assert doctor_findings(pyshim, work_dir) == []

    shutil.rmtree(base.parent.parent)  # 3.12.0 uninstalled: the venv's base is gone
    assert not os.path.exists(env / "bin" / "python")
    [finding] = doctor_findings(pyshim, work_dir)
    assert finding["check"] == "venv-broken" and str(base.parent) in finding["problem"]
    assert f"`pyshim venv --upgrade {env} --python 3.12`" in finding["fix"]

    moved = pyshim(*fix_command(finding["fix"]), cwd=work_dir)
    assert moved.returncode == 0, moved.stderr
    assert moved.stdout.startswith(f"upgraded {env} (CPython {version_named('3.12')}")
    target = machine_versions()[version_named("3.12")]
    config = read_config(str(env / "pyvenv.cfg"))
    new_base = os.environ["PYENV_ROOT"] + f"/versions/{version_named('3.12')}/bin"
    assert config["home"] == new_base
    assert config["version"] == version_named("3.12")
    assert config["executable"] == os.path.realpath(target / "bin" / "python3.12")
    assert config["command"].startswith(f"pyshim venv --python {new_base}/python")
    assert config["prompt"] == "'proj'"  # kept: the command line named no other
    for name in ("python", "python3", "python3.12"):
        assert os.path.realpath(env / "bin" / name) == os.path.realpath(target / "bin" / "python3.12"), name
    assert "# edited by hand" not in activate.read_text()  # pyshim's scripts are refreshed
    assert "# Written by pyshim." in activate.read_text()

    # the packages stay, and pip works in the moved venv
    hello = run(str(env / "bin" / "hello-tool"))
    assert hello.stdout == "hello from hello-tool\n", hello.stderr
    console_script_wheel(wheels, "second-tool")
    pip_install(env, wheels, "second_tool")
    imported = run(str(env / "bin" / "python"), "-c", "import hello_tool, second_tool, sys; print(sys.prefix)")
    assert imported.stdout == f"{env}\n", imported.stderr
    assert doctor_findings(pyshim, work_dir) == []


def test_a_named_venv_left_on_an_older_patch_is_outdated_until_upgraded(pyshim) -> None:
    assert pyshim("venv", "--name", "tools", "--python", "3.12", "--without-pip").returncode == 0
    env = Path(os.environ["PYSHIM_ROOT"]) / "venvs" / "tools"
    (env / "lib" / "python3.12" / "site-packages" / "mine.py").write_text("VALUE = 7\n")
    config = (env / "pyvenv.cfg").read_text()
    now = version_named("3.12")
    older = now.rsplit(".", 1)[0] + ".0" if not now.endswith(".0") else now + "1"
    (env / "pyvenv.cfg").write_text(config.replace(f"version = {now}\n", f"version = {older}\n", 1))

    listed = pyshim("venvs")
    assert listed.returncode == 1
    assert " outdated " in listed.stdout
    assert f"it was made on Python {older}, and its base" in listed.stdout and f"now runs {now}" in listed.stdout
    assert "`pyshim venv --name tools --python 3.12 --upgrade`" in listed.stdout
    assert json.loads(pyshim("venvs", "--json").stdout)[0]["status"] == "outdated"
    [finding] = doctor_findings(pyshim, Path.cwd())
    assert finding["check"] == "venv-outdated" and finding["fix"].endswith("`pyshim venv --name tools --python 3.12 --upgrade`")

    moved = pyshim(*fix_command(finding["fix"]))
    assert moved.returncode == 0, moved.stderr
    assert read_config(str(env / "pyvenv.cfg"))["version"] == now
    assert pyshim("venvs").returncode == 0 and doctor_findings(pyshim, Path.cwd()) == []
    value = run(str(env / "bin" / "python"), "-c", "import mine; print(mine.VALUE)")
    assert value.stdout == "7\n", value.stderr
    assert not (env / "lib" / "python3.12" / "site-packages" / "pip").exists()  # --without-pip stays


def test_upgrade_onto_another_minor_version_is_refused_and_changes_nothing(pyshim, work_dir: Path) -> None:
    assert pyshim("venv", "env", "--python", "3.11", "--without-pip", cwd=work_dir).returncode == 0
    (work_dir / "env" / "lib" / "python3.11" / "site-packages" / "mine.py").write_text("")
    before = snapshot(work_dir / "env")
    refused = pyshim("venv", "--upgrade", "env", "--python", "3.12", cwd=work_dir)
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.count("\n") == 1, refused.stderr
    assert f"it was made for Python {version_named('3.11')}" in refused.stderr
    assert f"`pyshim venv --upgrade {work_dir / 'env'} --python 3.11`" in refused.stderr
    assert snapshot(work_dir / "env") == before


def test_upgrade_without_python_takes_the_venvs_minor_and_keeps_copies_and_settings(pyshim, work_dir: Path) -> None:
    base = base_copy("3.11.0", "3.11")
    created = pyshim("venv", "env", "--python", str(base), "--copies", "--system-site-packages", "--prompt",
                     "it's mine", "--without-pip", cwd=work_dir)
    assert created.returncode == 0, created.stderr
    shutil.rmtree(base.parent.parent)
    moved = pyshim("venv", "env", "--upgrade", cwd=work_dir)  # no --python: the venv's own 3.11
    assert moved.returncode == 0, moved.stderr
    target = os.path.realpath(machine_versions()[version_named("3.11")] / "bin" / "python3.11")
    for name in ("python", "python3", "python3.11"):
        path = work_dir / "env" / "bin" / name
        assert not path.is_symlink() and path.read_bytes() == Path(target).read_bytes(), name
    config = read_config(str(work_dir / "env" / "pyvenv.cfg"))
    assert config["include-system-site-packages"] == "true" and config["prompt"] == '"it\'s mine"'
    inside = run(str(work_dir / "env" / "bin" / "python"), "-c", "import sys; print(sys.prefix, sys.version_info[:2])")
    assert inside.stdout == f"{work_dir / 'env'} (3, 11)\n", inside.stderr


def test_python_m_pyshim_venv_upgrade_keeps_the_stdlibs_semantics(tmp_path: Path) -> None:
    """As `python -m venv --upgrade`: pyvenv.cfg is written from this command line (a --prompt
    given at creation is dropped), activation scripts are left as they are."""
    python = os.path.join(os.environ["PYENV_ROOT"], "versions", version_named("3.12"), "bin", "python3.12")
    results = {}
    for label, module in (("stdlib", "venv"), ("pyshim", "pyshim.venv")):
        env = tmp_path / label / "env"
        extra = ["--python", python] if label == "pyshim" else []
        interpreter = sys.executable if label == "pyshim" else python
        subprocess.run([interpreter, "-m", module, *extra, "--without-pip", "--prompt", "p", str(env)], check=True)
        scripts = {path.name: path.read_bytes() for path in (env / "bin").glob("[Aa]ctivate*")}
        subprocess.run([interpreter, "-m", module, *extra, "--without-pip", "--upgrade", str(env)], check=True)
        assert {path.name: path.read_bytes() for path in (env / "bin").glob("[Aa]ctivate*")} == scripts
        config = read_config(str(env / "pyvenv.cfg"))
        results[label] = {key: config[key].replace(str(env), "ENV") for key in
                          ("home", "include-system-site-packages", "version", "executable")}
        results[label]["prompt"] = config.get("prompt")
        results[label]["command"] = config["command"].replace(str(env), "ENV").split(" -m venv ")[1]
    assert results["pyshim"] == results["stdlib"]
    assert results["stdlib"]["prompt"] is None and results["stdlib"]["command"] == "--without-pip --upgrade ENV"


@pytest.mark.parametrize("cfg_version", ["3.12", "", "garbage"])
def test_an_unreadable_version_key_is_never_called_outdated(pyshim, cfg_version: str) -> None:
    assert pyshim("venv", "--name", "odd", "--python", "3.12", "--without-pip").returncode == 0
    env = Path(os.environ["PYSHIM_ROOT"]) / "venvs" / "odd"
    lines = [line for line in (env / "pyvenv.cfg").read_text().splitlines() if not line.startswith(("version", "version_info"))]
    (env / "pyvenv.cfg").write_text("\n".join(lines + [f"version = {cfg_version}"]) + "\n")
    assert pyshim("venvs").returncode == 0


def test_a_broken_venv_of_a_version_not_installed_says_to_install_one_first(pyshim) -> None:
    assert pyshim("venv", "--name", "old", "--python", "3.12", "--without-pip").returncode == 0
    env = Path(os.environ["PYSHIM_ROOT"]) / "venvs" / "old"
    text = (env / "pyvenv.cfg").read_text().replace(str(Path(os.environ["PYENV_ROOT"])), "/gone")
    (env / "pyvenv.cfg").write_text(text.replace(f"version = {version_named('3.12')}", "version = 3.5.10"))
    listed = pyshim("venvs")
    assert listed.returncode == 1 and " broken " in listed.stdout
    assert "install a Python 3.5 (`pyshim install 3.5`), then run `pyshim venv --name old --python 3.5 --upgrade`" \
        in listed.stdout


def test_a_home_holding_several_pythons_is_judged_by_the_venvs_own(tmp_path: Path) -> None:
    """/usr/bin holds python3.11 and python3.12: a 3.12 venv there is compared with the 3.12."""
    from pyshim.venv.rebase import base_change, base_now
    from pyshim.venv.target import resolve_target

    home = tmp_path / "usr" / "bin"
    home.mkdir(parents=True)
    infos = []
    for minor in ("3.11", "3.12"):
        info = resolve_target(minor)
        infos.append(info._replace(executable=str(home / f"python{minor}"), real_executable=str(home / f"python{minor}")))
    env = tmp_path / "env"
    env.mkdir()
    now = version_named("3.12")
    (env / "pyvenv.cfg").write_text(f"home = {home}\nversion = {now}\n")
    assert base_now(env, infos) is infos[1] and base_change(env, infos) is None
    (env / "pyvenv.cfg").write_text(f"home = {home}\nversion = 3.12.0\nexecutable = {home / 'python3.12'}\n")
    (home / "python3.12").write_text("")  # pyvenv.cfg's `executable` names it: that one is the base
    assert base_now(env, infos) is infos[1]
    assert base_change(env, infos) == f"it was made on Python 3.12.0, and its base {home} now runs {now}"
