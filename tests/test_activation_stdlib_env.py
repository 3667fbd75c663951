"""Activation side by side with the stdlib: for each target version, a venv made by the target's
own `python -m venv` and one made by pyshim.venv (same folder name, same --prompt) are activated
in real bash, fish, tcsh and csh, and the environments compared: VIRTUAL_ENV, VIRTUAL_ENV_PROMPT
(which the stdlib sets differently per version), PATH, PYTHONHOME and every other exported
variable but the scripts' private `_OLD_*` ones, plus the prompt as the shell draws it.

Each comparison is also checked against the rule written down in pyshim.activation.render
(`prompt_variable_rule`), so the test cannot pass by both sides being wrong the same way.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, Optional

import pytest

from conftest import machine_versions, missing_tool, version_named
from nu_shells import nu_params, require_nu

import pyshim.venv
from pyshim.activation import activation_command, quoting
from pyshim.activation.render import ScriptValues, prompt_variable_rule, render

TARGETS = ["3.6", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13"]  # 3.7 is 3.6 here
SHELLS = ["bash", "fish", "tcsh", "csh"]
PROMPTS = [None, "my proj"]  # None: the stdlib's default, the folder's name ("proj")

DUMP = "import json, os, sys\njson.dump(dict(os.environ), open(sys.argv[1], 'w'))\n"

SCRIPTS = {
    "bash": "set -eu\nPS1='orig$ '\nexport PS1\n{activate}\nPROMPT_EXPANDED=${{PS1@P}}\nexport PROMPT_EXPANDED\n"
            '"$TESTPY" -E "$DUMP" "$OUT"\n',
    "fish": "{activate}\nset -gx PROMPT_EXPANDED (fish_prompt | string collect)\n$TESTPY -E $DUMP $OUT\n",
    "csh": "set prompt='orig> '\n{activate}\nsetenv PROMPT_EXPANDED \"$prompt:q\"\n\"$TESTPY:q\" -E \"$DUMP:q\" \"$OUT:q\"\n",
}
SUFFIX = {"bash": ".sh", "fish": ".fish", "csh": ".csh"}
ESCAPES = re.compile(r"\x1b\[[0-9;]*[A-Za-z]|\x1b[()][0-9A-Za-z]")
NOISE = {"_", "SHLVL", "PWD", "OLDPWD", "PS1", "OUT"}  # PS1's raw text differs (bash's is escaped); its drawing is compared


def shell_command(name: str) -> list:
    path = shutil.which(name)
    if path is None:
        missing_tool(f"{name} is not installed (apt-get install -y {name})")
    return [path] + {"fish": ["--no-config"], "tcsh": ["-f"], "csh": ["-f"]}.get(name, [])


def activated(shell: str, venv: Path, work: Path, disable: bool) -> Dict[str, str]:
    """The exported environment after activating `venv` in `shell`, with PROMPT_EXPANDED (the
    prompt as the shell draws it, colours stripped)."""
    family = "csh" if shell in ("csh", "tcsh") else shell
    out = work / f"{shell}-{venv.parent.name}.json"
    script = work / f"script{SUFFIX[family]}"
    script.write_text(SCRIPTS[family].format(activate=activation_command(shell, venv)))
    (work / "dump.py").write_text(DUMP)
    # a real terminal type: the stdlib's 3.13 fish prompt misprints when set_color prints nothing
    env = {"HOME": str(work), "XDG_CONFIG_HOME": str(work / ".config"), "PATH": "/usr/local/bin:/usr/bin:/bin",
           "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color", "PYTHONHOME": "/before/home",
           "TESTPY": sys.executable, "DUMP": str(work / "dump.py"), "OUT": str(out)}
    if disable:
        env["VIRTUAL_ENV_DISABLE_PROMPT"] = "1"
    result = subprocess.run([*shell_command(shell), str(script)], cwd=work, env=env, capture_output=True,
                            text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, f"{shell} {venv}: {result.stdout}{result.stderr}"
    dumped = json.loads(out.read_text())
    dumped["PROMPT_EXPANDED"] = ESCAPES.sub("", dumped["PROMPT_EXPANDED"])  # fish's set_color
    return {key: value.replace(str(venv), "VENV") for key, value in dumped.items()
            if key not in NOISE and not key.startswith("_OLD_")}


def expected_prompt_variable(release, prompt: str, disable: bool) -> Optional[str]:
    rule = prompt_variable_rule(release)
    if rule == "unset" or (rule == "prefixed" and disable):
        return None
    return f"({prompt}) " if rule == "prefixed" else prompt


@pytest.fixture(scope="module")
def venv_pairs(tmp_path_factory: pytest.TempPathFactory) -> Dict:
    """(minor, prompt) -> (stdlib venv, pyshim venv), both named `proj`, built once."""
    return {}


def venv_pair(pairs: Dict, root: Path, minor: str, prompt: Optional[str]):
    key = (minor, prompt)
    if key not in pairs:
        python = machine_versions()[version_named(minor)] / "bin" / "python3"
        folder = root / f"{minor}-{'default' if prompt is None else 'custom'}"
        stdlib_venv, pyshim_venv = folder / "stdlib" / "proj", folder / "pyshim" / "proj"
        subprocess.run([str(python), "-m", "venv", "--without-pip", *(["--prompt", prompt] if prompt else []),
                        str(stdlib_venv)], check=True)
        pyshim.venv.EnvBuilder(python=str(python), prompt=prompt, symlinks=True).create(pyshim_venv)
        pairs[key] = (stdlib_venv, pyshim_venv)
    return pairs[key]


@pytest.mark.parametrize("disable", [False, True], ids=["prompt", "disabled"])
@pytest.mark.parametrize("prompt", PROMPTS, ids=["default", "custom"])
@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("minor", TARGETS)
def test_environment_after_activation_is_the_stdlibs(minor: str, shell: str, prompt: Optional[str], disable: bool,
                                                      venv_pairs, tmp_path_factory, tmp_path: Path) -> None:
    shell_command(shell)
    stdlib_venv, pyshim_venv = venv_pair(venv_pairs, tmp_path_factory.getbasetemp() / "pairs", minor, prompt)
    release = tuple(int(part) for part in version_named(minor).split(".")[:3])
    stdlib_env = activated(shell, stdlib_venv, tmp_path, disable)
    pyshim_env = activated(shell, pyshim_venv, tmp_path, disable)
    shown = prompt or "proj"

    # pyshim's side is what the rule says...
    assert pyshim_env["VIRTUAL_ENV"] == "VENV"
    assert pyshim_env["PATH"] == "VENV/bin:/usr/local/bin:/usr/bin:/bin"
    assert "PYTHONHOME" not in pyshim_env
    assert pyshim_env.get("VIRTUAL_ENV_PROMPT") == expected_prompt_variable(release, shown, disable)
    if disable:
        assert not pyshim_env["PROMPT_EXPANDED"].startswith("(")
    else:
        assert pyshim_env["PROMPT_EXPANDED"].startswith(f"({shown}) ")

    # ... and the stdlib's is the same, prompt included
    stdlib_prompt = stdlib_env.pop("PROMPT_EXPANDED")
    pyshim_prompt = pyshim_env.pop("PROMPT_EXPANDED")
    if shell in ("csh", "tcsh"):
        # the stdlib's activate.csh leaves PYTHONHOME set (so the venv's python looks for its
        # standard library there); pyshim unsets it, as every other shell's script does
        assert stdlib_env.pop("PYTHONHOME") == "/before/home"
    assert pyshim_env == stdlib_env
    if shell in ("csh", "tcsh") and release[:2] < (3, 9) and not disable:
        # 3.6-3.8's activate.csh shows `[folder name] ` and ignores --prompt (fixed in 3.9);
        # pyshim shows `(prompt) ` as every other shell and version does (README, known limits)
        assert stdlib_prompt == "[proj] orig> " and pyshim_prompt == f"({shown}) orig> "
    else:
        assert pyshim_prompt == stdlib_prompt


@pytest.mark.parametrize("minor", ["3.9", "3.12", "3.13"])
def test_builder_writes_the_targets_rule_into_every_script(minor: str, tmp_path: Path) -> None:
    """The shells the stdlib has no script for (nu, xonsh, activate_this.py) follow the rule of
    the target's bin/activate too, so a tool reading VIRTUAL_ENV_PROMPT sees one value per venv."""
    release = tuple(int(part) for part in version_named(minor).split(".")[:3])
    env = tmp_path / "proj"
    pyshim.venv.create(env, python=minor, prompt="p q")
    rule = prompt_variable_rule(release)
    nu = (env / "bin" / "activate.nu").read_text()
    this = (env / "bin" / "activate_this.py").read_text()
    xsh = (env / "bin" / "activate.xsh").read_text()
    if rule == "unset":
        assert "let prompt_variable = null" in nu
        assert "os.environ[\"VIRTUAL_ENV_PROMPT\"]" not in this and "env['VIRTUAL_ENV_PROMPT'] =" not in xsh
    elif rule == "prefixed":
        assert 'let prompt_variable = if $disable { null } else { "(p q) " }' in nu
        assert "os.environ[\"VIRTUAL_ENV_PROMPT\"] = '(p q) '" in this and "= '(p q) '" in xsh
    else:
        assert 'let prompt_variable = "p q"' in nu
        assert "os.environ[\"VIRTUAL_ENV_PROMPT\"] = 'p q'" in this and "= 'p q'" in xsh


@pytest.mark.parametrize("rule", ["unset", "prefixed", "bare"])
@pytest.mark.parametrize("disable", ["", "1"])
def test_activate_this_py_follows_the_rule(rule: str, disable: str, tmp_path: Path) -> None:
    bin_dir = tmp_path / "v" / "bin"
    bin_dir.mkdir(parents=True)
    script = bin_dir / "activate_this.py"
    script.write_text(render("activate_this.py", ScriptValues(str(tmp_path / "v"), str(bin_dir), "p", "../lib", rule)))
    code = f"p = {str(script)!r}\nexec(open(p).read(), {{'__file__': p}})\nimport os\nprint(os.environ.get('VIRTUAL_ENV_PROMPT'))\n"
    env = {"PATH": "/usr/bin:/bin", "VIRTUAL_ENV_DISABLE_PROMPT": disable}
    out = subprocess.run([sys.executable, "-I", "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    expected = {"unset": "None", "prefixed": "None" if disable else "(p) ", "bare": "p"}[rule]
    assert out == expected + "\n"


def test_an_unknown_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="prompt_variable 'odd'"):
        render("activate", ScriptValues("/v", "/v/bin", "p", "../lib", "odd"))


@pytest.mark.parametrize(("rule", "powershell", "cmd"), [
    ("unset", "# VIRTUAL_ENV_PROMPT stays unset", "rem VIRTUAL_ENV_PROMPT stays unset"),
    ("prefixed", "if (-not $env:VIRTUAL_ENV_DISABLE_PROMPT) { $env:VIRTUAL_ENV_PROMPT = 'p' }",
     'if not defined VIRTUAL_ENV_DISABLE_PROMPT set "VIRTUAL_ENV_PROMPT=(p) "'),
    ("bare", "$env:VIRTUAL_ENV_PROMPT = 'p'", 'set "VIRTUAL_ENV_PROMPT=p"'),
])
def test_windows_scripts_follow_the_rule(rule: str, powershell: str, cmd: str) -> None:
    """PowerShell and cmd.exe cannot run here: their lines for each rule, as written. Activate.ps1
    sets the bare prompt on 3.10-3.12 too, as the stdlib's Activate.ps1 does (`$Prompt`)."""
    values = ScriptValues("C:\\v", "C:\\v\\Scripts", "p", "..\\Lib\\site-packages", rule)
    assert any(line.startswith(powershell) for line in render("Activate.ps1", values).splitlines())
    assert any(line.startswith(cmd) for line in render("activate.bat", values).splitlines())
    assert "('(' + 'p' + ') ')" in render("Activate.ps1", values)  # the prefix is drawn from the prompt itself


@pytest.fixture(scope="module")
def rule_venvs(tmp_path_factory: pytest.TempPathFactory) -> Dict[str, Path]:
    """One pyshim venv (prompt `p q`) per rule: 3.9 (unset), 3.12 (prefixed), 3.13 (bare)."""
    root = tmp_path_factory.mktemp("rules")
    venvs = {}
    for minor in ("3.9", "3.12", "3.13"):
        python = machine_versions()[version_named(minor)] / "bin" / "python3"
        pyshim.venv.EnvBuilder(python=str(python), prompt="p q").create(root / minor)
        venvs[minor] = root / minor
    return venvs


RULE_VALUES = {"3.9": None, "3.12": "(p q) ", "3.13": "p q"}


@pytest.mark.parametrize("disable", ["", "1"])
@pytest.mark.parametrize("nu", nu_params())
def test_nu_sets_the_rules_value_and_draws_the_prefix(nu, disable: str, rule_venvs, tmp_path: Path) -> None:
    nu = require_nu(nu)
    for minor, venv in rule_venvs.items():
        code = (f"overlay use {quoting.nu_quote(str(venv / 'bin' / 'activate.nu'))}\n"
                "print ({variable: ($env.VIRTUAL_ENV_PROMPT? | default null), prompt: (if ($env.PROMPT_COMMAND | describe) == 'closure' { do $env.PROMPT_COMMAND }"
                " else { $env.PROMPT_COMMAND })} | to json -r)")
        env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "VIRTUAL_ENV_DISABLE_PROMPT": disable}
        result = subprocess.run([nu.path, "--no-config-file", "-c", code], env=env, capture_output=True, text=True,
                                timeout=60, cwd=tmp_path)
        assert result.returncode == 0 and result.stderr == "", result.stderr
        found = json.loads(result.stdout)
        expected = None if disable and minor == "3.12" else RULE_VALUES[minor]
        assert found == {"variable": expected, "prompt": "" if disable else "(p q) "}, minor


@pytest.mark.parametrize("disable", ["", "1"])
def test_xonsh_draws_the_prefix_under_every_rule(disable: str, rule_venvs, tmp_path: Path) -> None:
    """xonsh shows VIRTUAL_ENV_PROMPT as it is, or wraps pyvenv.cfg's prompt in `(...) ` when
    the variable is unset or bare: `(p q) ` whatever the rule."""
    pytest.importorskip("xonsh")
    for minor, venv in rule_venvs.items():
        script = tmp_path / "show.xsh"
        script.write_text(f"source @({quoting.python_quote(str(venv / 'bin' / 'activate.xsh'))})\n"
                          "from xonsh.prompt.base import PromptFormatter\n"
                          "print(repr(PromptFormatter()('{env_name}')), repr(${...}.get('VIRTUAL_ENV_PROMPT')))\n")
        env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "VIRTUAL_ENV_DISABLE_PROMPT": disable}
        result = subprocess.run([sys.executable, "-E", "-m", "xonsh", "--no-rc", str(script)], env=env,
                                capture_output=True, text=True, timeout=60, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        expected = None if disable and minor == "3.12" else RULE_VALUES[minor]
        # a script has no interactive prompt fields: {env_prefix}/{env_postfix} ("(" and ") " in
        # an interactive xonsh) show as error fields, which stand for them here
        shown = result.stdout.replace("{BACKGROUND_RED}{ERROR:env_prefix}{RESET}", "(")
        shown = shown.replace("{BACKGROUND_RED}{ERROR:env_postfix}{RESET}", ") ")
        assert shown == f"{'' if disable else '(p q) '!r} {expected!r}\n", minor
