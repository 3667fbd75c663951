"""Fill each activation template with values quoted for its shell.

Data flow: venv builder -> activation (safety -> **render** -> templates on disk) -> shell.
A template is a data file in `templates/` with `__UPPER_CASE__` placeholders. `values_for`
maps every placeholder of one template to text produced by exactly one quoting function, and
`render` substitutes them in a single pass, so a value that itself looks like a placeholder
(a venv called `__VIRTUAL_ENV__`) is never substituted again.
"""

from __future__ import annotations

import os

from pyshim.activation import quoting as q
from pyshim.activation.shells import SHELL_RECORDS
from pyshim.base.package_data import read_text
from pyshim.base.record import Record

_NAME_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_NAME_CHARS = _NAME_START | frozenset("0123456789_")

_DELAYED_GUARD = 'if "!!"=="" goto :pyshim_delayed_expansion_on'
_DELAYED_REFUSAL = (
    ":pyshim_delayed_expansion_on\r\n"
    "echo activate.bat: this venv's path or prompt contains an exclamation mark, which cmd.exe"
    " changes while delayed expansion is on; open a new cmd with /V:OFF and run activate.bat"
    " again 1>&2\r\n"
    "exit /b 1"
)


TEMPLATE_DIR = ("activation", "templates")  # package data (base.package_data)


class ScriptValues(Record):
    """The raw (unquoted) values a venv's activation scripts carry. `prompt_variable` is one of
    PROMPT_VARIABLE_RULES: how VIRTUAL_ENV_PROMPT is set (the target version's own rule)."""

    env_dir: str
    bin_dir: str
    prompt: str
    site_packages_from_bin: str
    prompt_variable: str = "bare"


# VIRTUAL_ENV_PROMPT after activation, as each CPython version's own venv scripts set it (read
# from lib/pythonX.Y/venv/scripts of 3.6 to 3.13): "unset" before 3.10; "prefixed" 3.10 to 3.12,
# `(x) ` and only while the prompt is shown (PowerShell: `x`); "bare" from 3.13, `x` always.
PROMPT_VARIABLE_RULES = ("unset", "prefixed", "bare")


def prompt_variable_rule(release: "tuple[int, ...]") -> str:
    """The PROMPT_VARIABLE_RULES entry of a target Python's version."""
    minor = tuple(release[:2])
    return "unset" if minor < (3, 10) else "prefixed" if minor < (3, 13) else "bare"


# Per template: the statement that sets VIRTUAL_ENV_PROMPT to {value} (quoted), and the same
# only while the prompt is shown (VIRTUAL_ENV_DISABLE_PROMPT empty or unset, every shell alike).
_SET_PROMPT_VARIABLE = {
    "activate": ("VIRTUAL_ENV_PROMPT={value}; export VIRTUAL_ENV_PROMPT",
                 'if [ -z "${{VIRTUAL_ENV_DISABLE_PROMPT-}}" ]; then VIRTUAL_ENV_PROMPT={value}; export VIRTUAL_ENV_PROMPT; fi'),
    "activate.fish": ("set -gx VIRTUAL_ENV_PROMPT {value}",
                      'test -z "$VIRTUAL_ENV_DISABLE_PROMPT"; and set -gx VIRTUAL_ENV_PROMPT {value}'),
    "activate.csh": ("setenv VIRTUAL_ENV_PROMPT {value}",
                     "if ( $_venv_disable_prompt == 0 ) setenv VIRTUAL_ENV_PROMPT {value}"),
    "activate.nu": ("let prompt_variable = {value}", "let prompt_variable = if $disable {{ null }} else {{ {value} }}"),
    "Activate.ps1": ("$env:VIRTUAL_ENV_PROMPT = {value}",
                     "if (-not $env:VIRTUAL_ENV_DISABLE_PROMPT) {{ $env:VIRTUAL_ENV_PROMPT = {value} }}"),
    "activate.xsh": ("__xonsh__.env['VIRTUAL_ENV_PROMPT'] = {value}",
                     "if not __xonsh__.env.get('VIRTUAL_ENV_DISABLE_PROMPT'):\n    __xonsh__.env['VIRTUAL_ENV_PROMPT'] = {value}"),
    "activate_this.py": ('os.environ["VIRTUAL_ENV_PROMPT"] = {value}',
                         'if not os.environ.get("VIRTUAL_ENV_DISABLE_PROMPT"):\n    os.environ["VIRTUAL_ENV_PROMPT"] = {value}'),
}
_UNSET_NOTE = "# VIRTUAL_ENV_PROMPT stays unset: the venvs of this Python version (before 3.10) do not set it"


# The one quoting function for each template's shell, from its record (the .bat files have
# cmd.exe's own rules: `values_for`).
QUOTE_FOR = {shell.script: shell.quote for shell in SHELL_RECORDS if not shell.script.endswith(".bat")}


def values_for(template: str, v: ScriptValues) -> dict[str, str]:
    """Placeholder -> quoted text for the template named `template`."""
    if template == "activate.bat":
        return _cmd_values(v)
    if template == "deactivate.bat":
        return {}
    if template not in QUOTE_FOR:
        raise KeyError(f"no activation template named {template!r}")
    quote = QUOTE_FOR[template]
    values = {
        "VIRTUAL_ENV": quote(v.env_dir),
        "VIRTUAL_ENV_BIN": quote(v.bin_dir),
        "VIRTUAL_ENV_PROMPT": quote(v.prompt),
        "SET_VIRTUAL_ENV_PROMPT": _set_prompt_variable(template, v, quote),
    }
    if template == "activate":
        values.update(
            PS1_PREFIX=quote(q.prompt_prefix(v.prompt)),
            PS1_PREFIX_ZSH=quote(q.zsh_prompt_prefix(v.prompt)),
            PS1_PREFIX_ZSH_LITERAL=quote(q.zsh_literal_prompt_prefix(v.prompt)),
            PS1_PREFIX_ZSH_PLAIN=quote(q.zsh_plain_prompt_prefix(v.prompt)),
            PS1_PREFIX_KSH93=quote(q.ksh93_prompt_prefix(v.prompt)),
            PS1_PREFIX_BASH=quote(q.bash_prompt_prefix(v.prompt)),
        )
    elif template == "activate.csh":
        values.update(
            PROMPT_PREFIX_TCSH=quote(q.tcsh_prompt_prefix(v.prompt)),
            PROMPT_PREFIX_CSH=quote(q.csh_prompt_prefix(v.prompt)),
        )
    elif template in ("activate.xsh", "activate_this.py"):
        values["SITE_PACKAGES_FROM_BIN"] = quote(v.site_packages_from_bin)
    return values


def _set_prompt_variable(template: str, v: ScriptValues, quote) -> str:
    """The statement that sets VIRTUAL_ENV_PROMPT by `v.prompt_variable`, for `template`."""
    if v.prompt_variable not in PROMPT_VARIABLE_RULES:
        raise ValueError(f"prompt_variable {v.prompt_variable!r}: use one of {', '.join(PROMPT_VARIABLE_RULES)}")
    always, when_shown = _SET_PROMPT_VARIABLE[template]
    if v.prompt_variable == "unset":
        return "let prompt_variable = null  " + _UNSET_NOTE if template == "activate.nu" else _UNSET_NOTE
    if v.prompt_variable == "bare":
        return always.format(value=quote(v.prompt))
    shown = v.prompt if template == "Activate.ps1" else f"({v.prompt}) "  # PowerShell's is bare
    return when_shown.format(value=quote(shown))


def _cmd_values(v: ScriptValues) -> dict[str, str]:
    needs_guard = "!" in v.env_dir + v.bin_dir + v.prompt
    prompt_line = q.cmd_set("PROMPT", q.cmd_prompt_prefix(v.prompt))
    return {
        "DELAYED_EXPANSION_GUARD": _DELAYED_GUARD if needs_guard else "",
        "DELAYED_EXPANSION_REFUSAL": _DELAYED_REFUSAL if needs_guard else "",
        "SET_VIRTUAL_ENV": q.cmd_set("VIRTUAL_ENV", v.env_dir),
        "SET_VIRTUAL_ENV_PROMPT": _cmd_prompt_variable(v),
        # The old PROMPT and PATH are the user's own; they are appended unescaped.
        "SET_PROMPT": prompt_line[:-1] + '%PROMPT%"',
        "SET_PATH": q.cmd_set("PATH", v.bin_dir + ";")[:-1] + '%PATH%"',
    }


def _cmd_prompt_variable(v: ScriptValues) -> str:
    if v.prompt_variable == "unset":
        return "rem" + _UNSET_NOTE[1:]
    if v.prompt_variable == "bare":
        return q.cmd_set("VIRTUAL_ENV_PROMPT", v.prompt)
    return "if not defined VIRTUAL_ENV_DISABLE_PROMPT " + q.cmd_set("VIRTUAL_ENV_PROMPT", f"({v.prompt}) ")


def read_template(template: str) -> str:
    """The template's text, exactly as shipped."""
    return read_text(*TEMPLATE_DIR, template)


def render(template: str, v: ScriptValues) -> str:
    """The finished script text (CRLF line ends for the .bat files)."""
    text = read_template(template)
    values = values_for(template, v)
    rendered = "".join(part if index % 2 == 0 else values[part] for index, part in enumerate(split_placeholders(text)))
    if template.endswith(".bat"):
        rendered = rendered.replace("\r\n", "\n").replace("\n", "\r\n")
    return rendered


def split_placeholders(text: str) -> "list[str]":
    """[text, NAME, text, NAME, ..., text]: the template cut at its `__NAME__` placeholders
    (NAME: a capital letter, then capitals, digits and `_`; the longest that ends before a
    `__`), as the pattern `__[A-Z][A-Z0-9_]*__` finds them (without `re`, whose import costs
    each `pyshim venv` more than the rendering does)."""
    parts: "list[str]" = []
    done = search = 0
    while True:
        start = text.find("__", search)
        if start < 0:
            parts.append(text[done:])
            return parts
        end = start + 2
        while end < len(text) and text[end] in _NAME_CHARS:
            end += 1
        close = text.rfind("__", start + 3, end)  # the name's last `__` inside the run
        if start + 2 < len(text) and text[start + 2] in _NAME_START and close >= 0:
            parts += [text[done:start], text[start + 2:close]]
            done = search = close + 2
        else:
            search = start + 1


def site_packages_from_bin(bin_dir: str, site_packages: str | None) -> str:
    """Relative path from the bin folder to site-packages (absolute if on another drive)."""
    if site_packages is None:
        return ""
    try:
        return os.path.relpath(site_packages, bin_dir)
    except ValueError:
        return site_packages
