"""Golden files for PowerShell and cmd.exe, which cannot run here, and for nushell (which runs
for real in test_nushell.py; its golden files keep every change to activate.nu visible).

The rendered scripts for one hostile Windows path and one hostile prompt are compared with
tests/golden/activation/*; set PYSHIM_UPDATE_GOLDEN=1 to rewrite them after a deliberate
change (then read the diff!). Beyond the byte comparison, each quoted value is decoded again
by a small model of that shell's parser below, which must give back the original text and
must not find anything that the shell would run.

Review of the quoting rules (why each function in pyshim.activation.quoting looks as it does)
-----------------------------------------------------------------------------------------------
PowerShell (Activate.ps1)
  * Values are verbatim strings '...'. Inside them nothing is expanded ($var, $(...), `
    backtick escapes all stay literal); the only special character is the single quote,
    written twice. PowerShell also accepts the typographic quotes U+2018, U+2019, U+201A and
    U+201B as single quotes, so they are doubled too: a path holding ’ would otherwise end
    the string and the rest of the path would be parsed as code.
  * Windows PowerShell 5.1 reads a script without a BOM in the ANSI code page, so any
    non-ASCII character is spelled [char]0xHHHH (or [char]::ConvertFromUtf32 above the
    BMP) and joined with '+' to the ASCII runs; the file itself is pure ASCII.
  * The prompt prefix is built with '(' + $env:VIRTUAL_ENV_PROMPT + ') ' inside the prompt
    function, never inside a "..." string, so the value is never expanded again.
  * PATH is joined with [System.IO.Path]::PathSeparator (';' on Windows, ':' elsewhere).
nushell (activate.nu)
  * Values are plain double-quoted strings "..." (not $"..." interpolation): nu processes
    only backslash escapes in them, so '\' and '"' are escaped and everything else
    ($, (, ), ', `, ;, |) is literal. nu never evaluates a string value as code.
  * The prompt is a closure that joins [prefix, old prompt] with `str join`; PATH may be a
    string or a list and is split on (char esep). `deactivate` hides the overlay, which
    restores every variable the overlay changed.
cmd.exe (activate.bat, deactivate.bat)
  * Phase 1, percent expansion, runs on every line regardless of quotes: every % in a value
    becomes %% (a batch file reads %% as %). Values are not written with %VAR% references.
  * Phase 2, special characters: inside "..." the characters & | < > ( ) ^ are literal;
    outside they act (command separators, redirection, blocks, escape). Values are written as
    set "NAME=VALUE"; a " inside a prompt toggles the state, so cmd_escape tracks it and
    puts a ^ in front of every special character that lands outside quotes. cmd's set takes
    everything up to the last " on the line, so the inner quotes stay part of the value.
  * Delayed expansion (!VAR!, only when cmd runs with /V:ON) would eat ! and carets. It is
    off by default; when the path or prompt holds a !, the script checks ("!!"=="" is true
    only with delayed expansion) and refuses with a one-line message instead of mangling it.
  * The PROMPT text is cmd's own language: $ is written $$, and & | < > ( ) = as the codes
    $A $B $L $G $C $F $Q, so they never reach the batch parser at all.
  * No value is assigned inside a parenthesised block (a ) in a value would end the block);
    control flow uses goto. chcp 65001 is set while the script runs so a UTF-8 path is read
    correctly, and the previous code page is restored.
  * The user's own PATH and PROMPT are appended as %PATH% and %PROMPT%: they are trusted as
    the user's, like in every other activator.
  * Windows paths cannot contain " < > | ? *; ';' (the PATH separator) is refused.
CVE-2024-9287 (CPython venv) and CVE-2024-53899 (virtualenv) were both template values placed
inside quotes that did not protect them (a double-quoted "$VIRTUAL_ENV" body, or an already
quoted value wrapped in a second pair of quotes). Here each placeholder stands alone in the
template, outside any quotes, and its quoting function supplies the only quotes.
"""

from __future__ import annotations

import os
import pathlib
import re

import pytest

from pyshim.activation import quoting
from pyshim.activation.render import ScriptValues, render
from pyshim.activation.safety import check_path_is_shell_safe

GOLDEN = pathlib.Path(__file__).parent / "golden" / "activation"
UPDATE_GOLDEN = os.environ.get("PYSHIM_UPDATE_GOLDEN") == "1"  # read before the env is sealed

WINDOWS_ENV = "C:\\Users\\O'Brien & Co\\100% ^caret! (x86)\\$env.PATH $(calc) `n \u2018smart\u2019 caf\u00e9 \U0001f40d\\venv"
PROMPT = 'a"b&c|d<e>f^g%PATH%h!i(j)k$P\'l\u2018m\u2019 $(calc) `calc` ;x= caf\u00e9\U0001f40d'
WINDOWS_VALUES = ScriptValues(
    env_dir=WINDOWS_ENV,
    bin_dir=WINDOWS_ENV + "\\Scripts",
    prompt=PROMPT,
    site_packages_from_bin="..\\Lib\\site-packages",
)
POSIX_ENV = "/tmp/it's \"q\" $(touch X) `touch X` \\ \u2019 caf\u00e9 \U0001f40d/venv"
POSIX_VALUES = ScriptValues(
    env_dir=POSIX_ENV, bin_dir=POSIX_ENV + "/bin", prompt=PROMPT, site_packages_from_bin="../lib/python3.12/site-packages"
)

CASES = [
    ("windows", "Activate.ps1", WINDOWS_VALUES),
    ("windows", "activate.nu", WINDOWS_VALUES),
    ("windows", "activate.bat", WINDOWS_VALUES),
    ("windows", "deactivate.bat", WINDOWS_VALUES),
    ("posix", "Activate.ps1", POSIX_VALUES),
    ("posix", "activate.nu", POSIX_VALUES),
]


def test_the_hostile_windows_path_is_allowed() -> None:
    check_path_is_shell_safe(WINDOWS_ENV, windows=True)


@pytest.mark.parametrize(("kind", "name", "values"), CASES)
def test_rendered_text_matches_golden_file(kind: str, name: str, values: ScriptValues) -> None:
    rendered = render(name, values).encode("utf-8")
    golden = GOLDEN / kind / name
    if UPDATE_GOLDEN:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(rendered)
    assert golden.read_bytes() == rendered, f"{golden} differs; PYSHIM_UPDATE_GOLDEN=1 rewrites it"


# --- a model of PowerShell's reading of what ps_quote writes -------------------------------

_PS_QUOTES = "'\u2018\u2019\u201a\u201b"
_PS_PIECE = re.compile(r"\s*(?:'((?:[^" + _PS_QUOTES + r"]|[" + _PS_QUOTES + r"]{2})*)'|\[char\]0x([0-9A-F]{4})"
                       r"|\[char\]::ConvertFromUtf32\(0x([0-9A-F]+)\))\s*")


def decode_ps(expression: str) -> str:
    """Read back a verbatim string or a ('' + ... ) concatenation; fail on anything else."""
    if expression.startswith("("):
        assert expression.endswith(")")
        pieces = expression[1:-1].split(" + ")
    else:
        pieces = [expression]
    out = []
    for piece in pieces:
        match = _PS_PIECE.fullmatch(piece)
        assert match, f"PowerShell would parse {piece!r} as code"
        verbatim, bmp, astral = match.groups()
        if verbatim is not None:
            out.append(re.sub("([" + _PS_QUOTES + "])\\1", r"\1", verbatim))
        else:
            out.append(chr(int(bmp or astral, 16)))
    return "".join(out)


@pytest.mark.parametrize("value", [WINDOWS_ENV, PROMPT, POSIX_ENV, "", "''", "\u2019\u2019'", "plain"])
def test_powershell_quoting_reads_back(value: str) -> None:
    quoted = quoting.ps_quote(value)
    assert quoted.isascii()
    assert decode_ps(quoted) == value


def test_powershell_script_is_ascii_and_carries_each_value() -> None:
    text = render("Activate.ps1", WINDOWS_VALUES)
    assert text.isascii()
    lines = dict(line.split(" = ", 1) for line in text.splitlines() if line.startswith("$env:VIRTUAL_ENV"))
    assert decode_ps(lines["$env:VIRTUAL_ENV"]) == WINDOWS_ENV
    assert decode_ps(lines["$env:VIRTUAL_ENV_PROMPT"]) == PROMPT


# --- a model of nushell's plain double-quoted strings --------------------------------------


def decode_nu(literal: str) -> str:
    assert literal.startswith('"') and literal.endswith('"')
    body = literal[1:-1]
    assert not re.search(r'(?<!\\)(?:\\\\)*"', body), "an unescaped quote would end the string"
    return re.sub(r"\\(.)", r"\1", body)


@pytest.mark.parametrize("value", [WINDOWS_ENV, PROMPT, POSIX_ENV, "\\", '\\"', "end\\"])
def test_nu_quoting_reads_back(value: str) -> None:
    assert decode_nu(quoting.nu_quote(value)) == value


def test_nu_script_carries_each_value() -> None:
    text = render("activate.nu", WINDOWS_VALUES)
    found = dict(re.findall(r"^\s*let (venv_dir|bin_dir|venv_prompt) = (.*)$", text, re.M))
    assert decode_nu(found["venv_dir"]) == WINDOWS_ENV
    assert decode_nu(found["bin_dir"]) == WINDOWS_ENV + "\\Scripts"
    assert decode_nu(found["venv_prompt"]) == PROMPT


# --- a model of cmd.exe's batch parser for one `set "NAME=VALUE"` line ---------------------


def decode_cmd_set(line: str, variables: dict[str, str]) -> tuple[str, str]:
    """Run phases 1 and 2 of cmd's parser on `line`; return (name, value) that set assigns.

    Fails if an unescaped & | < > would split the line outside quotes.
    """
    # phase 1: %% -> %, %NAME% -> value (only the names the test allows)
    expanded = re.sub(r"%%|%([^%]+)%", lambda m: "%" if m.group(0) == "%%" else variables[m.group(1)], line)
    # phase 2: quotes toggle; outside them ^ escapes and & | < > split the command
    out, inside, i = [], False, 0
    while i < len(expanded):
        char = expanded[i]
        if char == '"':
            inside = not inside
            out.append(char)
        elif not inside and char == "^":
            i += 1
            out.append(expanded[i])
        elif not inside and char in "&|<>":
            raise AssertionError(f"cmd.exe would act on {char!r} in {line!r}")
        else:
            out.append(char)
        i += 1
    command = "".join(out)
    assert command.startswith('set "')
    assignment = command[len('set "'):command.rindex('"')]
    name, value = assignment.split("=", 1)
    return name, value


def test_cmd_set_lines_read_back_without_running_anything() -> None:
    text = render("activate.bat", WINDOWS_VALUES)
    old = {"PROMPT": "$P$G", "PATH": "C:\\Windows"}
    assigned = dict(decode_cmd_set(line, old) for line in text.splitlines() if line.startswith('set "') and "_OLD" not in line)
    assert assigned["VIRTUAL_ENV"] == WINDOWS_ENV
    assert assigned["VIRTUAL_ENV_PROMPT"] == PROMPT
    assert assigned["PATH"] == WINDOWS_ENV + "\\Scripts;C:\\Windows"
    assert assigned["PROMPT"] == quoting.cmd_prompt_prefix(PROMPT) + "$P$G"


def test_cmd_prompt_prefix_uses_prompt_codes() -> None:
    prefix = quoting.cmd_prompt_prefix("a&b|c<d>e(f)g$h=i")
    assert prefix == "$Ca$Ab$Bc$Ld$Ge$Cf$Fg$$h$Qi$F$S"
    assert not set("&|<>()") & set(prefix)


def test_cmd_refuses_to_mangle_bang_under_delayed_expansion() -> None:
    text = render("activate.bat", WINDOWS_VALUES)
    assert text.index('if "!!"=="" goto :pyshim_delayed_expansion_on') < text.index('set "VIRTUAL_ENV=')
    assert ":pyshim_delayed_expansion_on\r\n" in text
    plain = render("activate.bat", ScriptValues("C:\\venv", "C:\\venv\\Scripts", "venv", "..\\Lib\\site-packages"))
    assert "!!" not in plain


def test_batch_files_use_crlf_and_assign_nothing_inside_blocks() -> None:
    for name in ("activate.bat", "deactivate.bat"):
        text = render(name, WINDOWS_VALUES)
        assert "\n" not in text.replace("\r\n", "")
        assert not [line for line in text.splitlines() if line.lstrip().startswith("set") and "(" in line.split("=")[0]]
