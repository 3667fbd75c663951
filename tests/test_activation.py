"""Activation scripts run in the real shells, with hostile venv paths and prompts.

Each case builds a venv whose path (and prompt) contains one hostile piece of text, writes
pyshim's scripts into it, then runs a script in the shell that: dumps the environment,
activates with the exact line `activation_command` gives, dumps again through the venv's own
`python` (which also records `sys.prefix` and where `python`/`pip` resolve), deactivates and
dumps a third time. The test fails if a marker file appears (a value ran as code), if
VIRTUAL_ENV is not the real path, or if deactivation leaves the environment different.

Shells run non-interactively with a temporary HOME (ZDOTDIR, XDG_CONFIG_HOME too) and no rc
files. Prompt drawing in a real terminal is in test_activation_prompt.py. In CI (CI=true)
a missing shell fails instead of skipping.
"""

from __future__ import annotations

import json
import os
import pathlib
import shlex
import shutil
import subprocess
import sys
import unicodedata

import pytest

from pyshim.activation import (
    activation_command,
    check_path_is_shell_safe,
    quoting,
    write_activation_scripts,
)
from conftest import missing_tool
from helpers import COMBINED, HOSTILE, POSIX_SHELLS, Run, check_run, comparable, copy_venv
from pyshim.base.errors import ActivationError

XONSH_EXPANDS_PATH = (
    "xonsh expands $NAME inside PATH entries ($EXPAND_ENV_VARS, on by default), so a venv path"
    " holding `$HOME` is looked up in another folder; nothing runs as code (only names expand)"
)

# ---------------------------------------------------------------------------------------------
# the shells (the venvs, runs and checks are in helpers.py, the fixtures in conftest.py)


def _shell_command(name: str) -> list[str] | None:
    if name == "xonsh":
        try:
            import xonsh  # noqa: F401
        except ImportError:
            return None
        # -E: the test sets PYTHONHOME for the shells, which would break xonsh's own Python.
        return [sys.executable, "-E", "-m", "xonsh", "--no-rc"]
    path = shutil.which(name)
    if path is None:
        return None
    flags = {"zsh": ["-f"], "fish": ["--no-config"], "tcsh": ["-f"], "csh": ["-f"]}
    return [path, *flags.get(name, [])]


def require_shell(name: str) -> list[str]:
    command = _shell_command(name)
    if command is None:
        missing_tool(f"{name} is not installed (apt-get install -y {name}; pip install xonsh)")
    return command


# ---------------------------------------------------------------------------------------------
# per-shell scripts: before -> activate -> during -> deactivate -> after

ALL_SHELLS = [*POSIX_SHELLS, "fish", "tcsh", "csh", "xonsh"]


def posix_script(shell: str, activate: str, *, extra: str = "", expand: str = "") -> str:
    strict = "set -euo pipefail" if shell == "bash" else "set -eu"
    expand = expand or {
        "bash": 'PROMPT_EXPANDED=${PS1@P}',
        "zsh": 'PROMPT_EXPANDED=${(%)PS1}',
    }.get(shell, 'eval "PROMPT_EXPANDED=\\"$PS1\\""')
    return f"""{strict}
PS1='orig$ '
export PS1
"$TESTPY" -E "$DUMP" before
{activate}
{extra}
{expand}
export PROMPT_EXPANDED
export _VIRTUAL_ENV_PS1_PREFIX
T_PY=$(command -v python) T_PIP=$(command -v pip) python "$DUMP" during
unset PROMPT_EXPANDED
deactivate
"$TESTPY" -E "$DUMP" after
if command -v deactivate >/dev/null 2>&1; then echo "deactivate is still defined"; exit 3; fi
"""


def fish_script(activate: str, *, extra: str = "") -> str:
    return f"""set -gx PROMPT_STATE (functions fish_prompt | string collect)
$TESTPY -E $DUMP before
{activate}
{extra}
set -gx PROMPT_EXPANDED (fish_prompt | string collect)
set -gx T_PY (command -v python)
set -gx T_PIP (command -v pip)
python $DUMP during
set -e T_PY
set -e T_PIP
set -e PROMPT_EXPANDED
deactivate
set -gx PROMPT_STATE (functions fish_prompt | string collect)
$TESTPY -E $DUMP after
if functions -q deactivate
    echo "deactivate is still defined"
    exit 3
end
"""


def csh_script(activate: str, *, extra: str = "") -> str:
    return f"""set prompt='orig> '
setenv PROMPT_STATE "$prompt:q"
"$TESTPY:q" -E "$DUMP:q" before
{activate}
{extra}
setenv PROMPT_EXPANDED "$prompt:q"
setenv T_PY "`which python`"
setenv T_PIP "`which pip`"
python "$DUMP:q" during
unsetenv T_PY
unsetenv T_PIP
unsetenv PROMPT_EXPANDED
deactivate
setenv PROMPT_STATE "$prompt:q"
"$TESTPY:q" -E "$DUMP:q" after
set _left=`alias deactivate`
if ( "$_left:q" != "" ) then
    echo "deactivate is still defined"
    exit 3
endif
"""


def xonsh_script(activate: str, *, extra: str = "") -> str:
    return f"""import os, shutil
@($TESTPY) -E @($DUMP) before
{activate}
{extra}
$T_PY = shutil.which('python', path=os.pathsep.join($PATH))
$T_PIP = shutil.which('pip', path=os.pathsep.join($PATH))
python @($DUMP) during
del $T_PY
del $T_PIP
deactivate
@($TESTPY) -E @($DUMP) after
if 'deactivate' in aliases:
    print('deactivate is still defined')
    exit(3)
"""


def script_for(shell: str, activate: str, extra: str = "") -> tuple[str, str]:
    if shell in POSIX_SHELLS:
        return posix_script(shell, activate, extra=extra), ".sh"
    if shell == "fish":
        return fish_script(activate, extra=extra), ".fish"
    if shell in ("csh", "tcsh"):
        return csh_script(activate, extra=extra), ".csh"
    return xonsh_script(activate, extra=extra), ".xsh"


def activate_line(shell: str, venv: pathlib.Path) -> str:
    return activation_command(shell, venv)


# ---------------------------------------------------------------------------------------------
# the matrix: every shell x every hostile text (as path and as prompt)


@pytest.mark.parametrize("case", list(HOSTILE))
@pytest.mark.parametrize("shell", ALL_SHELLS)
def test_hostile_path_and_prompt(shell: str, case: str, base_venv, infra, tmp_path, request) -> None:
    command = require_shell(shell)
    if shell == "xonsh" and case == "dollar":
        request.applymarker(pytest.mark.xfail(strict=True, reason=XONSH_EXPANDS_PATH))
    text = HOSTILE[case]
    venv = copy_venv(base_venv, tmp_path / "venvs", text, prompt=text)
    run = Run(tmp_path, infra)
    script, suffix = script_for(shell, activate_line(shell, venv))
    result = run.run(command, script, suffix)
    check_run(shell, run, result, venv, text)


# ---------------------------------------------------------------------------------------------
# behaviour: symlinks, a second venv, nondestructive, disabled prompt, shell options

@pytest.mark.parametrize("shell", ["bash", "zsh", "dash", "fish", "tcsh", "xonsh"])
def test_script_reached_through_a_symlink(shell: str, base_venv, infra, tmp_path) -> None:
    command = require_shell(shell)
    venv = copy_venv(base_venv, tmp_path / "venvs", COMBINED, prompt=COMBINED)
    script_name = {"fish": "activate.fish", "tcsh": "activate.csh", "xonsh": "activate.xsh"}.get(shell, "activate")
    link_dir = tmp_path / "links"
    link_dir.mkdir()
    (link_dir / "bin").symlink_to(venv / "bin")
    source = {"fish": "source", "tcsh": "source", "xonsh": "source", "dash": "."}.get(shell, "source")
    run = Run(tmp_path, infra)
    script, suffix = script_for(shell, f"{source} {link_dir}/bin/{script_name}")
    check_run(shell, run, run.run(command, script, suffix), venv, COMBINED)


@pytest.mark.parametrize("shell", ALL_SHELLS)
def test_activating_a_second_venv_deactivates_the_first(shell: str, base_venv, infra, tmp_path) -> None:
    command = require_shell(shell)
    first = copy_venv(base_venv, tmp_path / "venvs", "first 'one'", prompt="first")
    second = copy_venv(base_venv, tmp_path / "venvs", COMBINED, prompt=COMBINED)
    run = Run(tmp_path, infra)
    both = activation_command(shell, first) + "\n" + activation_command(shell, second)
    script, suffix = script_for(shell, both)
    check_run(shell, run, run.run(command, script, suffix), second, COMBINED)


@pytest.mark.parametrize("shell", [*POSIX_SHELLS, "fish", "tcsh", "csh", "xonsh"])
def test_deactivate_nondestructive_restores_and_keeps_the_command(shell: str, base_venv, infra, tmp_path) -> None:
    command = require_shell(shell)
    venv = copy_venv(base_venv, tmp_path / "venvs", COMBINED, prompt=COMBINED)
    run = Run(tmp_path, infra)
    script, suffix = script_for(shell, activation_command(shell, venv))
    # after the normal run's checks, `deactivate nondestructive` must leave deactivate defined
    script = script.replace("\ndeactivate\n", "\ndeactivate nondestructive\n", 1)
    keeps = {
        "fish": "functions -q deactivate; or exit 4\n",
        "tcsh": 'set _kept=`alias deactivate`\nif ( "$_kept:q" == "" ) exit 4\n',
        "csh": 'set _kept=`alias deactivate`\nif ( "$_kept:q" == "" ) exit 4\n',
        "xonsh": "if 'deactivate' not in aliases:\n    exit(4)\n",
    }.get(shell, "command -v deactivate >/dev/null 2>&1 || exit 4\n")
    script = script.split("\n", 1)
    marker = "deactivate nondestructive\n"
    body = script[1].replace(marker, marker + keeps, 1)
    # drop the final "still defined" check: here it must stay defined
    body = body.split("if command -v deactivate")[0].split("if functions -q deactivate")[0]
    body = body.split("set _left=")[0].split("if 'deactivate' in aliases")[0]
    result = run.run(command, script[0] + "\n" + body, suffix)
    check_run(shell, run, result, venv, COMBINED)


@pytest.mark.parametrize("shell", [*POSIX_SHELLS, "fish", "tcsh", "csh"])
def test_disable_prompt_leaves_the_prompt_alone(shell: str, base_venv, infra, tmp_path) -> None:
    command = require_shell(shell)
    venv = copy_venv(base_venv, tmp_path / "venvs", "v", prompt=COMBINED)
    run = Run(tmp_path, infra)
    run.env["VIRTUAL_ENV_DISABLE_PROMPT"] = "1"
    script, suffix = script_for(shell, activation_command(shell, venv))
    result = run.run(command, script, suffix)
    assert result.returncode == 0, result.stderr
    during = run.dump("during")["env"]
    if shell in POSIX_SHELLS:
        assert during["PS1"] == "orig$ "
    elif shell == "fish":
        assert not during["PROMPT_EXPANDED"].startswith("(")
    else:
        assert during["PROMPT_EXPANDED"] == "orig> "
    assert comparable(run.dump("after")["env"]) == comparable(run.dump("before")["env"])


@pytest.mark.parametrize(
    ("shell", "option", "expected_ps1", "expand", "shown"),
    [
        # (e) then (%): what zsh does when drawing with PROMPT_SUBST; the value is not re-expanded
        ("zsh", "setopt promptsubst", "${_VIRTUAL_ENV_PS1_PREFIX}orig$ ", "PROMPT_EXPANDED=${(%)${(e)PS1}}",
         quoting.prompt_prefix(COMBINED)),
        ("zsh", "unsetopt promptpercent", quoting.zsh_plain_prompt_prefix(COMBINED) + "orig$ ", "PROMPT_EXPANDED=$PS1",
         quoting.zsh_plain_prompt_prefix(COMBINED)),
        ("bash", "shopt -u promptvars", quoting.bash_prompt_prefix(COMBINED) + "orig$ ", "", None),
        ("bash", "shopt -s promptvars", quoting.bash_prompt_prefix(COMBINED) + "orig$ ", "", None),
    ],
)
def test_prompt_follows_the_shells_prompt_options(shell, option, expected_ps1, expand, shown, base_venv, infra,
                                                  tmp_path) -> None:
    command = require_shell(shell)
    venv = copy_venv(base_venv, tmp_path / "venvs", "v", prompt=COMBINED)
    run = Run(tmp_path, infra)
    script = posix_script(shell, option + "\n" + activation_command(shell, venv), expand=expand)
    suffix = ".sh"
    check_run(shell, run, run.run(command, script, suffix), venv, COMBINED, shown)
    assert run.dump("during")["env"]["PS1"] == expected_ps1


@pytest.mark.parametrize("shell", POSIX_SHELLS)
def test_unset_ps1_and_pythonhome_stay_unset(shell: str, base_venv, infra, tmp_path) -> None:
    command = require_shell(shell)
    venv = copy_venv(base_venv, tmp_path / "venvs", "v", prompt="v")
    run = Run(tmp_path, infra)
    del run.env["PYTHONHOME"]
    script, suffix = script_for(shell, activation_command(shell, venv))
    script = script.replace("PS1='orig$ '\nexport PS1\n", "unset PS1\n")
    script = script.replace('"$TESTPY" -E "$DUMP" after', 'PS1_AFTER=${PS1-unset} "$TESTPY" -E "$DUMP" after')
    result = run.run(command, script, suffix)
    assert result.returncode == 0, result.stderr
    after = run.dump("after")["env"]
    assert after["PS1_AFTER"] == "unset"
    assert "PYTHONHOME" not in after
    assert comparable(after) == {**comparable(run.dump("before")["env"]), "PS1_AFTER": "unset"}


def test_activate_this_py(base_venv, tmp_path) -> None:
    venv = copy_venv(base_venv, tmp_path / "venvs", COMBINED, prompt=COMBINED)
    code = (
        "import json, os, sys\n"
        f"p = {str(venv / 'bin' / 'activate_this.py')!r}\n"
        "exec(open(p).read(), {'__file__': p})\n"
        "print(json.dumps([sys.prefix, os.environ['VIRTUAL_ENV'], os.environ['VIRTUAL_ENV_PROMPT'],"
        " os.environ['PATH'], sys.path[0]]))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONHOME": "/x"}
    out = subprocess.run([sys.executable, "-E", "-c", code], env=env, capture_output=True, text=True, check=True)
    prefix, virtual_env, prompt, path, first = json.loads(out.stdout)
    assert prefix == virtual_env == str(venv)
    assert prompt == COMBINED
    assert path == f"{venv / 'bin'}:/usr/bin:/bin"
    assert first == str(next(venv.glob("lib/*/site-packages")))


# ---------------------------------------------------------------------------------------------
# refusals and the pasteable command


@pytest.mark.parametrize(
    "bad",
    ["a:b", "new\nline", "tab\there", "esc\x1b[31m", "del\x7f", "nul\x00", "cr\r", "ls\u2028", "bad\udcff"],
)
def test_paths_no_shell_can_carry_are_refused(bad: str, tmp_path) -> None:
    venv = tmp_path / bad
    with pytest.raises(ActivationError) as error:
        write_activation_scripts(venv, "p")
    message = str(error.value)
    assert "\n" not in message and repr(str(venv)) in message
    assert not (venv / "bin").exists()
    with pytest.raises(ActivationError):
        check_path_is_shell_safe(str(venv), windows=False)


def test_windows_paths_refuse_semicolon_but_allow_the_drive_colon() -> None:
    check_path_is_shell_safe("C:\\Users\\a&b^c%d!e (x86)\\venv", windows=True)
    for bad in ("C:\\a;b", "C:\\a:b", "C:\\a\nb"):
        with pytest.raises(ActivationError):
            check_path_is_shell_safe(bad, windows=True)


@pytest.mark.parametrize("bad", ["new\nline", "bell\x07", "esc\x1b]0;title\x07"])
def test_prompts_with_control_characters_are_refused(bad: str, tmp_path) -> None:
    with pytest.raises(ActivationError) as error:
        write_activation_scripts(tmp_path / "venv", bad)
    assert "\n" not in str(error.value)


def test_every_form_holds_a_short_venv_name_as_it_is() -> None:
    """What `pyshim venv`'s replay fills a venv's name into (`venv.recording`): every quoting and
    prompt function of pyshim's puts a name of letters, digits and `._-+` up to
    `longest_verbatim_prompt()` characters as it is into the frame it puts any other such name
    in, and bash's frame differs for a longer one."""
    import inspect
    import random

    forms = [function for name, function in inspect.getmembers(quoting, inspect.isfunction)
             if name.endswith(("quote", "quoted", "word", "escape", "prefix")) and function.__module__ == quoting.__name__]
    assert len(forms) >= 15, forms
    limit = quoting.longest_verbatim_prompt()
    rng = random.Random(7)
    characters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+"
    names = [".venv", "x", "a" * limit] + ["".join(rng.choice(characters) for _ in range(rng.randint(1, limit)))
                                           for _ in range(200)]
    from pyshim.venv.recording import NAME_PROBE as probe
    for name in names:
        for form in forms:
            assert form(name) == form(probe).replace(probe, name), (form.__name__, name)
    longer = "a" * (limit + 1)
    assert quoting.bash_prompt_prefix(longer) != quoting.bash_prompt_prefix(probe).replace(probe, longer)


@pytest.mark.parametrize("text", [HOSTILE["everything"], HOSTILE["bs_squote"], "__VIRTUAL_ENV_PROMPT__"])
def test_activation_command_round_trips_through_sh_and_fish_and_csh(text: str, tmp_path) -> None:
    venv = tmp_path / text
    script = str(venv / "bin" / "activate")
    assert shlex.split(activation_command("bash", venv)) == ["source", script]
    assert shlex.split(activation_command("sh", venv)) == [".", script]
    for shell, name in (("fish", "activate.fish"), ("tcsh", "activate.csh")):
        if _shell_command(shell) is None:
            continue
        line = activation_command(shell, venv).replace("source ", "printf '%s' ", 1)
        printed = subprocess.run([*_shell_command(shell), "-c", line], capture_output=True, text=True, cwd=tmp_path)
        assert printed.stdout == str(venv / "bin" / name), printed.stderr
    assert activation_command("python", venv).startswith("exec(open(")


def test_placeholder_lookalikes_in_values_are_not_substituted(base_venv, tmp_path) -> None:
    venv = copy_venv(base_venv, tmp_path / "venvs", "__VIRTUAL_ENV_PROMPT__", prompt="__VIRTUAL_ENV__")
    text = (venv / "bin" / "activate").read_text()
    assert "VIRTUAL_ENV='" + str(venv) + "'" in text
    assert "VIRTUAL_ENV_PROMPT='__VIRTUAL_ENV__'" in text


def test_unknown_shell_is_an_activation_error(tmp_path) -> None:
    with pytest.raises(ActivationError, match="elvish"):
        activation_command("elvish", tmp_path)


def test_scripts_written_for_posix_and_windows(tmp_path) -> None:
    posix = write_activation_scripts(tmp_path / "p", "p")
    assert sorted(os.path.basename(p) for p in posix) == sorted(
        ["activate", "activate.fish", "activate.csh", "activate.nu", "Activate.ps1", "activate.xsh", "activate_this.py"]
    )
    windows = write_activation_scripts(tmp_path / "w", "w", windows=True)
    assert {os.path.basename(os.path.dirname(p)) for p in windows} == {"Scripts"}
    assert (tmp_path / "w" / "Scripts" / "activate.bat").read_bytes().count(b"\r\n") > 10
    assert unicodedata.is_normalized("NFC", HOSTILE["nonascii"])


def test_activation_command_for_windows_shells(tmp_path) -> None:
    venv = tmp_path / "it’s a & b"
    (venv / "Scripts").mkdir(parents=True)
    script = str(venv / "Scripts" / "Activate.ps1")
    assert activation_command("pwsh", venv) == ". '" + script.replace("’", "’’") + "'"
    assert activation_command("cmd", venv) == '"' + str(venv / "Scripts" / "activate.bat") + '"'
    percent = tmp_path / "100%"
    (percent / "Scripts").mkdir(parents=True)
    with pytest.raises(ActivationError, match="%"):
        activation_command("cmd", percent)
    assert activation_command("nu", venv) == 'overlay use "' + str(venv / "Scripts" / "activate.nu") + '"'


def test_posix_template_passes_shellcheck() -> None:
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck is not installed")
    template = pathlib.Path(quoting.__file__).parent / "templates" / "activate"
    result = subprocess.run([shellcheck, "-s", "sh", str(template)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_xonsh_draws_the_prompt_name_as_data(base_venv, infra, tmp_path) -> None:
    command = require_shell("xonsh")
    prompt = COMBINED + " {cwd} {RED} @(print('X'))"
    venv = copy_venv(base_venv, tmp_path / "venvs", "v", prompt=prompt)
    run = Run(tmp_path, infra)
    extra = "from xonsh.prompt.base import PromptFormatter\n$PROMPT_EXPANDED = PromptFormatter()('{env_name}')\n"
    script, suffix = script_for("xonsh", activation_command("xonsh", venv), extra=extra)
    script = script.replace("del $T_PIP\n", "del $T_PIP\ndel $PROMPT_EXPANDED\n")
    check_run("xonsh", run, run.run(command, script, suffix), venv, prompt)
    assert run.dump("during")["env"]["PROMPT_EXPANDED"] == prompt


@pytest.mark.parametrize("shell", ["tcsh", "csh"])
def test_csh_command_table_follows_activation_without_rehash(shell: str, base_venv, infra, tmp_path) -> None:
    """activate.csh runs no `rehash` (csh and tcsh rescan PATH whenever it is set): a command
    only the venv has runs once activated, is gone after `deactivate`, and one added to the
    bin folder while the venv was off runs at the next activation."""
    command = require_shell(shell)
    venv = copy_venv(base_venv, tmp_path / "venvs", "v", prompt="v")
    (venv / "bin" / "only-in-venv").write_text("#!/bin/sh\necho ran-first\n")
    (venv / "bin" / "only-in-venv").chmod(0o755)
    line = activation_command(shell, venv)
    added = venv / "bin" / "added-later"
    source = tmp_path / "added-later"
    source.write_text("#!/bin/sh\necho ran-added\n")
    source.chmod(0o755)
    # `( cmd ) || echo gone`: a command that is not found ends only the subshell.
    script = (f"{line}\nonly-in-venv\ndeactivate\n( only-in-venv ) || echo gone\n"
              f"cp {quoting.csh_quote(str(source))} {quoting.csh_quote(str(added))}\n{line}\nadded-later\ndeactivate\n")
    run = Run(tmp_path, infra)
    result = run.run(command, script, ".csh")
    assert result.stdout.splitlines() == ["ran-first", "gone", "ran-added"], result.stdout + result.stderr
    assert "only-in-venv: Command not found." in result.stderr
    code = [text for text in (venv / "bin" / "activate.csh").read_text().splitlines() if not text.startswith("#")]
    assert not [text for text in code if "rehash" in text]  # it would rescan every PATH folder a second time
