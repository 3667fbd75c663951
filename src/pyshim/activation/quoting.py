"""One quoting function per shell: turn a Python string into text that shell reads back as data.

Data flow: venv builder -> `pyshim.activation.write_activation_scripts` -> **quoting** ->
templates -> the user's shell. Every value that comes from the user (the venv path, the bin
folder, the prompt) reaches a template only through one of these functions; nothing else
touches template text. Each function returns a complete literal *including* its quotes, so a
template writes `VIRTUAL_ENV=__VIRTUAL_ENV__`, never `"__VIRTUAL_ENV__"`.

The second half of the module builds the prompt *prefixes* "(PROMPT) " escaped for each
shell's prompt language (zsh and tcsh `%`, ksh93 and csh `!`, bash backslashes, cmd.exe `$`
codes), because some shells interpret the prompt text again each time they draw it.

Callers must have refused control characters first (`safety.check_*`): no shell below can
carry a newline safely and none of these functions tries.
"""

from __future__ import annotations

# --- POSIX sh family (bash, zsh, dash, ksh, mksh) ------------------------------------------


def sh_quote(value: str) -> str:
    """Single quotes; a `'` becomes `'\\''`. Nothing is special inside POSIX single quotes."""
    return "'" + value.replace("'", "'\\''") + "'"


_SH_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-")


def sh_word(value: str) -> str:
    """`shlex.quote` (which imports `re`): bare when every character is safe, else `sh_quote`."""
    return value if value and all(ch in _SH_SAFE for ch in value) else sh_quote(value)


# --- fish ----------------------------------------------------------------------------------


def fish_quote(value: str) -> str:
    """fish single quotes: only `\\\\` and `\\'` are escapes inside them."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


# --- csh / tcsh ----------------------------------------------------------------------------


def csh_quote(value: str) -> str:
    """Single-quoted runs; `'` and `!` go outside the quotes as `\\'` and `\\!`.

    Inside csh single quotes `!` still triggers history substitution in an interactive shell
    (also for lines of a sourced file), so it is always backslash-escaped outside quotes.
    """
    parts: list[str] = []
    run: list[str] = []
    for char in value:
        if char in "'!":
            if run:
                parts.append("'" + "".join(run) + "'")
                run = []
            parts.append("\\" + char)
        else:
            run.append(char)
    if run:
        parts.append("'" + "".join(run) + "'")
    return "".join(parts) or "''"


# --- nushell -------------------------------------------------------------------------------


def nu_quote(value: str) -> str:
    """A plain (non-interpolating) double-quoted nu string; escape `\\` and `"` only."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- PowerShell ----------------------------------------------------------------------------

# PowerShell treats the typographic single quotes as quote characters too.
_PS_SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b"


def ps_single_quoted(value: str) -> str:
    """A PowerShell verbatim string: every single-quote character (ASCII or typographic) doubled."""
    return "'" + "".join(c + c if c in _PS_SINGLE_QUOTES else c for c in value) + "'"


def ps_quote(value: str) -> str:
    """An ASCII-only PowerShell expression for `value`.

    Windows PowerShell 5.1 reads a BOM-less script in the ANSI code page, so non-ASCII text
    is written as `[char]0x....` (or `[char]::ConvertFromUtf32(...)` above the BMP) and
    joined to verbatim ASCII runs: `('' + 'C:\\caf' + [char]0x00e9)`.
    """
    if value.isascii():
        return ps_single_quoted(value)
    pieces = ["''"]
    run: list[str] = []
    for char in value:
        if char.isascii():
            run.append(char)
            continue
        if run:
            pieces.append(ps_single_quoted("".join(run)))
            run = []
        code = ord(char)
        if code > 0xFFFF:
            pieces.append(f"[char]::ConvertFromUtf32(0x{code:X})")
        else:
            pieces.append(f"[char]0x{code:04X}")
    if run:
        pieces.append(ps_single_quoted("".join(run)))
    return "(" + " + ".join(pieces) + ")"


# --- cmd.exe -------------------------------------------------------------------------------

_CMD_SPECIAL = "&|<>()^"


def cmd_escape(value: str, *, quoted: bool = True) -> str:
    """Escape `value` for a batch-file line, starting inside (`quoted=True`) or outside quotes.

    Phase 1 (percent expansion) runs everywhere, so `%` becomes `%%`. Phase 2 (special
    characters) honours quotes: inside them `& | < > ( ) ^` are literal; outside they need a
    caret. A `"` in the value toggles the state, which is tracked so that every special
    character is escaped exactly when cmd would otherwise act on it.
    """
    out: list[str] = []
    inside = quoted
    for char in value:
        if char == "%":
            out.append("%%")
        elif char == '"':
            inside = not inside
            out.append(char)
        elif char in _CMD_SPECIAL and not inside:
            out.append("^" + char)
        else:
            out.append(char)
    return "".join(out)


def cmd_set(name: str, value: str) -> str:
    """`set "NAME=VALUE"`: cmd assigns everything up to the last quote on the line."""
    return f'set "{name}={cmd_escape(value)}"'


# --- Python and xonsh ----------------------------------------------------------------------


def python_quote(value: str) -> str:
    """A pure-ASCII Python string literal (also valid in xonsh's Python mode)."""
    return ascii(value)


# --- prompt prefixes, escaped for each shell's prompt language ----------------------------


def prompt_prefix(prompt: str) -> str:
    """The text every shell shows in front of its prompt: `(PROMPT) `."""
    return f"({prompt}) "


def zsh_prompt_prefix(prompt: str) -> str:
    """zsh with PROMPT_SUBST at activation: the value PS1 refers to, which zsh does not expand
    again but reads for `%` escapes (`%%` is `%`) and, with PROMPT_BANG (also when it is set
    later), `!` as the history number: `%D{!}` (strftime of a plain `!`) is `!` either way."""
    return prompt_prefix(prompt.replace("%", "%%").replace("!", "%D{!}"))


_ZSH_LITERAL = {"%": "%%", "!": "%D{!}", "$": "$%{%}", "\\": "\\%{%}", "`": "\\`"}


def zsh_literal_prompt_prefix(prompt: str) -> str:
    """zsh without PROMPT_SUBST at activation: text in PS1 itself, inert if PROMPT_SUBST or
    PROMPT_BANG is set later. `$` and `\\` are followed by an empty `%{%}`, so no `$(`, `${`,
    `$NAME` or `\\$` forms; `!` is `%D{!}`. A backtick cannot be both: it is written `\\``,
    shown as `\\`` until PROMPT_SUBST is set (then as a backtick), never run."""
    return prompt_prefix("".join(_ZSH_LITERAL.get(c, c) for c in prompt))


def zsh_plain_prompt_prefix(prompt: str) -> str:
    """zsh without PROMPT_PERCENT or PROMPT_SUBST at activation (sh/ksh emulation): text in PS1
    itself, escaped for PROMPT_SUBST in case it is set later (`\\$`, `\\``, `\\\\`); until then
    those three show with their backslash. `!` stays: PROMPT_BANG needs PROMPT_PERCENT's parser."""
    return prompt_prefix("".join("\\" + c if c in "$`\\" else c for c in prompt))


def bash_prompt_prefix(prompt: str) -> str:
    """bash's PS1 text, the same with `promptvars` on or off (also when it changes later).

    Each run of characters goes through `\\D{...}` (strftime of a format without conversions
    is the text itself): bash inserts its result quoted when promptvars is on, raw when it is
    off, and never decodes it again, so `$(...)`, backticks, backslashes and, in POSIX mode,
    `!` are data in both. `}` ends a format, so it stands outside; strftime's `%` is `%%`; runs
    are at most 20 characters (bash formats into a 128-byte buffer); an empty format would be
    bash's default time, so there is none.
    """
    parts = []
    for index, run in enumerate(prompt_prefix(prompt).split("}")):
        if index:
            parts.append("}")
        for start in range(0, len(run), BASH_PROMPT_RUN):
            parts.append("\\D{" + run[start:start + BASH_PROMPT_RUN].replace("%", "%%") + "}")
    return "".join(parts)


BASH_PROMPT_RUN = 20  # the longest run `bash_prompt_prefix` puts in one `\\D{...}`


def longest_verbatim_prompt() -> int:
    """The longest prompt of venv-name characters (letters, digits, `._-+`, none of them special
    to any function here) that every form above puts as it is into the same frame, whatever the
    name: `form(name) == form(other).replace(other, name)`. Past it bash's line is cut into
    runs elsewhere. `pyshim venv`'s replay fills in names up to this length (`venv.recording`)."""
    return BASH_PROMPT_RUN - len(prompt_prefix(""))


def ksh93_prompt_prefix(prompt: str) -> str:
    """ksh93 replaces `!` in PS1 (even in expanded values) by the history number; `!!` is `!`."""
    return prompt_prefix(prompt.replace("!", "!!"))


def tcsh_prompt_prefix(prompt: str) -> str:
    """tcsh's prompt: `%` escapes (`%%` is `%`), `!` is the event number (`\\!` is `!`), and a
    backslash escapes the next character (`\\\\` is `\\`)."""
    escaped = prompt.replace("\\", "\\\\").replace("%", "%%").replace("!", "\\!")
    return prompt_prefix(escaped)


def csh_prompt_prefix(prompt: str) -> str:
    """BSD csh's prompt: only `!` (the event number) is special; `\\!` is a literal `!`."""
    return prompt_prefix(prompt.replace("!", "\\!"))


_CMD_PROMPT_CODES = {"$": "$$", "&": "$A", "|": "$B", "<": "$L", ">": "$G", "(": "$C", ")": "$F", "=": "$Q"}


def cmd_prompt_prefix(prompt: str) -> str:
    """cmd.exe's PROMPT language: `$` starts a code; spell the metacharacters as codes.

    Writing `& | < > ( )` as `$A $B $L $G $C $F` keeps them out of the batch parser entirely.
    """
    return "$C" + "".join(_CMD_PROMPT_CODES.get(c, c) for c in prompt) + "$F$S"
