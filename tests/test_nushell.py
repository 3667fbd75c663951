"""nushell, run for real: activate.nu, `pyshim init nu`, and the cd hook in an interactive `nu`.

Every test runs once per nushell version found (tests/nu_shells.py: the oldest and the newest
release pyshim supports, which scripts/test installs from the npm registry). What bash, zsh and
fish are checked for is checked here too:

* activation (`overlay use .../bin/activate.nu`) with every hostile path and prompt of
  test_activation.py: VIRTUAL_ENV, PATH, the prompt, nothing run, everything restored by
  `deactivate`, and not a word on stderr (a deprecation warning is a failure);
* `pyshim init nu` loaded twice (no warning, the shims once on PATH), `pyshim shell`
  (`pyshim activate` / `pyshim deactivate` in place: test_activate.py, with the other shells);
* the cd hook, typed at a real interactive prompt in a pseudo-terminal: into a project, a
  nested one, out again, a named venv, and an untrusted `.venv` refused with one line.

The interactive shell starts from a config.nu holding exactly the line `pyshim init` tells a
nushell user to add (it saves the init code into nu's vendor autoload folder).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Dict

import pytest

from conftest import CLEAN_PATH, version_named
from nu_shells import Nu, nu_params, require_nu
from pyshim.activation import activation_command
import helpers
from helpers import (COMBINED, HOSTILE, NuShell, Run, check_run, copy_venv, make_venv, shims_folder,
                     started_and_closed)

NU = pytest.mark.parametrize("nu", nu_params())

# ---------------------------------------------------------------------------------------------
# activate.nu, as a script: before -> overlay use -> during -> deactivate -> after


def nu_script(activate: str, *, extra: str = "", prompt: str = '{|| "orig> " }') -> str:
    """The nu twin of test_activation's per-shell scripts (PROMPT_STATE: the drawn prompt)."""
    return f"""$env.PROMPT_COMMAND = {prompt}
$env.PROMPT_STATE = (if ($env.PROMPT_COMMAND | describe) == 'closure' {{ do $env.PROMPT_COMMAND }} else {{ $env.PROMPT_COMMAND }})
^$env.TESTPY -E $env.DUMP before
{activate}
{extra}
$env.PROMPT_EXPANDED = (do $env.PROMPT_COMMAND)
$env.T_PY = (which python | get 0.path)
$env.T_PIP = (which pip | get 0.path)
python $env.DUMP during
deactivate
$env.PROMPT_STATE = (if ($env.PROMPT_COMMAND | describe) == 'closure' {{ do $env.PROMPT_COMMAND }} else {{ $env.PROMPT_COMMAND }})
^$env.TESTPY -E $env.DUMP after
# `deactivate` is an alias of the overlay: gone when the overlay is (0.98 lists active
# overlays by name, later versions as a table with an `active` column).
let active = (overlay list | each {{|o| if ($o | describe) == 'string' {{ $o }} else if $o.active {{ $o.name }} else {{ null }} }} | compact)
if 'activate' in $active {{
    print "the activate overlay (and its deactivate) is still active"
    exit 3
}}
"""


def run_nu_script(nu: Nu, run: Run, script: str) -> subprocess.CompletedProcess:
    result = run.run([nu.path], script, ".nu")
    assert result.returncode == 0, f"nu {nu.version} failed:\nstdout:{result.stdout}\nstderr:{result.stderr}"
    assert result.stderr == "", f"nu {nu.version} printed on stderr:\n{result.stderr}"
    return result


def check_nu_run(nu: Nu, run: Run, result: subprocess.CompletedProcess, venv: Path, prompt: str) -> None:
    """test_activation's checks, plus the prompt nu draws while the venv is active."""
    check_run("nu", run, result, venv, prompt)
    assert run.dump("during")["env"]["PROMPT_EXPANDED"] == f"({prompt}) orig> "
    assert run.dump("after")["env"]["PROMPT_STATE"] == "orig> "


@NU
@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_path_and_prompt(nu: "Nu | None", case: str, base_venv, infra, tmp_path) -> None:
    nu = require_nu(nu)
    text = HOSTILE[case]
    venv = copy_venv(base_venv, tmp_path / "venvs", text, prompt=text)
    run = Run(tmp_path, infra)
    result = run_nu_script(nu, run, nu_script(activation_command("nu", venv)))
    check_nu_run(nu, run, result, venv, text)


@NU
def test_script_reached_through_a_symlink(nu: "Nu | None", base_venv, infra, tmp_path) -> None:
    nu = require_nu(nu)
    venv = copy_venv(base_venv, tmp_path / "venvs", COMBINED, prompt=COMBINED)
    (tmp_path / "links").mkdir()
    (tmp_path / "links" / "bin").symlink_to(venv / "bin")
    run = Run(tmp_path, infra)
    result = run_nu_script(nu, run, nu_script(f'overlay use "{tmp_path}/links/bin/activate.nu"'))
    check_nu_run(nu, run, result, venv, COMBINED)


@NU
def test_activating_a_second_venv_replaces_the_first(nu: "Nu | None", base_venv, infra, tmp_path) -> None:
    nu = require_nu(nu)
    first = copy_venv(base_venv, tmp_path / "venvs", "first 'one'", prompt="first")
    second = copy_venv(base_venv, tmp_path / "venvs", COMBINED, prompt=COMBINED)
    run = Run(tmp_path, infra)
    both = activation_command("nu", first) + "\n" + activation_command("nu", second)
    result = run_nu_script(nu, run, nu_script(both))
    check_nu_run(nu, run, result, second, COMBINED)  # PATH is second/bin + the old PATH: first/bin is gone


@NU
def test_disable_prompt_leaves_the_prompt_alone(nu: "Nu | None", base_venv, infra, tmp_path) -> None:
    nu = require_nu(nu)
    venv = copy_venv(base_venv, tmp_path / "venvs", "v", prompt=COMBINED)
    run = Run(tmp_path, infra)
    run.env["VIRTUAL_ENV_DISABLE_PROMPT"] = "1"
    run_nu_script(nu, run, nu_script(activation_command("nu", venv)))
    assert run.dump("during")["env"]["PROMPT_EXPANDED"] == "orig> "
    assert run.dump("during")["env"]["VIRTUAL_ENV"] == str(venv)


@NU
def test_a_string_prompt_and_a_directory_change_survive(nu: "Nu | None", base_venv, infra, tmp_path) -> None:
    """PROMPT_COMMAND may be a string; `cd` while active stays after `deactivate` (nu's
    `overlay hide` would otherwise take the shell back to where it activated)."""
    nu = require_nu(nu)
    venv = copy_venv(base_venv, tmp_path / "venvs", COMBINED, prompt=COMBINED)
    run = Run(tmp_path, infra)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = nu_script(activation_command("nu", venv), prompt='"orig> "', extra=f'cd "{elsewhere}"')
    script += f'if $env.PWD != "{elsewhere}" {{ print -e $"deactivate moved the shell to ($env.PWD)"; exit 4 }}\n'
    result = run_nu_script(nu, run, script)
    check_run("nu", run, result, venv, COMBINED)
    assert run.dump("during")["env"]["PROMPT_EXPANDED"] == f"({COMBINED}) orig> "
    assert run.dump("after")["env"]["PROMPT_STATE"] == "orig> "


# ---------------------------------------------------------------------------------------------
# `pyshim init nu` as a script (no prompt, so no hook runs): loaded twice, shell, activate


@pytest.fixture
def pyshim_bin(tmp_path: Path) -> Path:
    """A folder whose `pyshim` runs this checkout."""
    return helpers.pyshim_bin(tmp_path / "pyshim-bin")


@NU
def test_init_loaded_twice_warns_nothing_and_puts_the_shims_once(nu: "Nu | None", pyshim, pyshim_bin: Path,
                                                                  tmp_path: Path) -> None:
    nu = require_nu(nu)
    init = tmp_path / "init.nu"
    init.write_text(pyshim("init", "nu", check=True).stdout)
    script = tmp_path / "twice.nu"
    script.write_text(f'source "{init}"\nsource "{init}"\nprint ($env.PATH | str join ":")\n'
                      'print ($env.config.hooks.env_change.PWD | where {|h| ($h | describe) =~ "^record" } | get code | to json -r)\n')
    env = dict(os.environ, PATH=f"{pyshim_bin}:{CLEAN_PATH}")
    result = subprocess.run([nu.path, str(script)], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    path, hooks = result.stdout.splitlines()
    shims = str(Path(os.environ["PYSHIM_ROOT"]) / "shims")
    assert path.split(":") == [shims, str(pyshim_bin), *CLEAN_PATH.split(":")]
    assert hooks == '["_pyshim_hook"]'


# ---------------------------------------------------------------------------------------------
# an interactive nu in a pseudo-terminal (helpers.NuShell)


@pytest.fixture
def nu_shell(tmp_path: Path):
    """`nu_shell(nu)`: helpers.NuShell, closed at the end."""
    yield from started_and_closed(lambda nu, **env: NuShell(require_nu(nu), tmp_path, env))


@NU
def test_config_line_loads_the_init_code_once_and_quietly(nu, nu_shell) -> None:
    shell = nu_shell(nu)
    assert "Warning" not in shell.startup and "Error" not in shell.startup, shell.startup
    autoload = shell.data_dir / "vendor" / "autoload" / "pyshim.nu"
    assert autoload.is_file()
    out = shell.run(f'source "{autoload}"')  # loaded a second time
    assert "Warning" not in out and "Error" not in out, out
    entries = shell.path().split(":")
    assert entries[0] == shims_folder() and entries.count(shims_folder()) == 1
    assert shell.value("($env.config.hooks.env_change.PWD | length)") == "1"


@NU
def test_cd_activates_switches_and_restores(nu, nu_shell, projects: Dict[str, Path]) -> None:
    shell = nu_shell(nu)
    path_before = shell.path()
    said = shell.run(f'cd "{projects["outer"]}/sub"')
    assert shell.env("VIRTUAL_ENV") == str(projects["outer"] / ".venv")
    assert shell.prefix() == str(projects["outer"] / ".venv")
    said += shell.run(f'cd "{projects["inner"]}"')
    assert shell.prefix() == str(projects["inner"] / ".venv")
    said += shell.run("cd ../..")
    assert shell.prefix() == str(projects["outer"] / ".venv")
    said += shell.run(f'cd "{projects["top"]}"')
    assert shell.env("VIRTUAL_ENV") == ""
    assert shell.path() == path_before
    assert "Warning" not in said and "Error" not in said and "pyshim:" not in said, said  # the hook is silent


@NU
def test_untrusted_venv_is_refused_with_one_line_until_allowed(nu, nu_shell, projects: Dict[str, Path]) -> None:
    shell = nu_shell(nu)
    wild = projects["wild"]
    first = shell.run(f'cd "{wild}"')
    assert shell.env("VIRTUAL_ENV") == ""
    message = [line for line in first.splitlines() if "not activating" in line]
    assert message == [f"pyshim: not activating {wild}/.venv: pyshim did not build it and you have not allowed it"
                       f" (run: pyshim allow {wild}/.venv)"], first
    shell.run(f'cd "{projects["top"]}"')
    assert "not activating" not in shell.run(f'cd "{wild}"')  # said once
    shell.run("pyshim allow")
    assert shell.status == 0
    shell.run(f'cd "{projects["top"]}"')
    shell.run(f'cd "{wild}"')
    assert shell.env("VIRTUAL_ENV") == str(wild / ".venv")


@NU
def test_named_venv_from_python_version(nu, nu_shell, projects: Dict[str, Path]) -> None:
    named = make_venv(Path(os.environ["PYSHIM_ROOT"]) / "venvs" / "tools", "tools-env")
    project = projects["top"] / "named-project"
    (project / "deep").mkdir(parents=True)
    (project / ".python-version").write_text("# the project's venv\n  tools  \n")
    shell = nu_shell(nu)
    shell.run(f'cd "{project}/deep"')
    assert shell.prefix() == str(named)
    shell.run(f'cd "{projects["outer"]}"')
    assert shell.env("VIRTUAL_ENV") == str(projects["outer"] / ".venv")


@NU
def test_shell_sets_and_unsets_the_version(nu, nu_shell) -> None:
    version = version_named("3.12")
    shell = nu_shell(nu)
    shell.run(f"pyshim shell {version}")
    assert shell.status == 0
    assert shell.env("PYSHIM_VERSION") == version
    assert version in shell.run("pyshim shell")
    out = shell.run("pyshim shell 2.1.9")
    assert out.count("'2.1.9' is not installed") == 1, out  # the CLI's one line, once
    assert shell.outcome("pyshim shell 2.1.9") == "pyshim: pyshim shell: '2.1.9' is not installed; see `pyshim versions`"
    assert shell.env("PYSHIM_VERSION") == version
    shell.run("pyshim shell --unset")
    assert shell.env("PYSHIM_VERSION") == ""
    assert shell.outcome("pyshim shell") != "ok"  # nu: "External command had a non-zero exit code"
    assert shell.outcome("pyshim shell -") == "ok"  # as `pyenv shell -`: back to the value before
    assert shell.env("PYSHIM_VERSION") == version
    shell.run("$env.PYENV_VERSION = '3.11'")
    assert shell.outcome("pyshim shell --unset") == "ok"  # clears pyenv's variable too
    assert (shell.env("PYSHIM_VERSION"), shell.env("PYENV_VERSION")) == ("", "")


@NU
def test_overlay_activated_venv_is_left_alone_by_the_hook(nu, nu_shell, projects: Dict[str, Path]) -> None:
    mine = make_venv(projects["top"] / "mine", "mine-env")
    shell = nu_shell(nu)
    shell.run(activation_command("nu", mine))
    shell.run(f'cd "{projects["inner"]}"')
    assert shell.env("VIRTUAL_ENV") == str(mine)
    assert shell.value("(do $env.PROMPT_COMMAND)") == "(mine-env) psx> "
    shell.run(f'cd "{projects["top"]}"')
    shell.run("deactivate")
    assert shell.env("VIRTUAL_ENV") == ""
    assert shell.value("$env.PWD") == str(projects["top"])
