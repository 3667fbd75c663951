"""Refuse venv paths and prompts that no shell can carry safely.

Data flow: venv builder -> activation (**safety check** -> quoting -> templates) -> shell.
Quoting can make any character *data*, but some characters change meaning after quoting:
the PATH separator splits the bin folder into two PATH entries, and a newline or other
control character cannot be written inside csh, cmd.exe or PowerShell strings (or a terminal
prompt) without being acted on. Those are refused here, before anything is written.
"""

from __future__ import annotations

import os

from pyshim.base.errors import ActivationError


def _is_control(char: str) -> bool:
    """Unicode's category Cc (a fixed set: C0, DEL, C1), without unicodedata's import."""
    return char <= "\x1f" or "\x7f" <= char <= "\x9f"


def _is_surrogate(char: str) -> bool:
    """Category Cs: how a byte that is not UTF-8 reaches Python (surrogateescape)."""
    return "\ud800" <= char <= "\udfff"


def _first_unsafe_char(text: str) -> str | None:
    for char in text:
        if _is_control(char) or _is_surrogate(char) or char in "\u2028\u2029":
            return char
    return None


def _describe(char: str) -> str:
    if _is_surrogate(char):
        return "a byte that is not valid UTF-8"
    return f"the control character U+{ord(char):04X}"


def check_path_is_shell_safe(path: "str | os.PathLike[str]", *, windows: bool | None = None) -> None:
    """Raise ActivationError if `path` cannot be put into every shell's PATH as one entry.

    Refused: control characters (newline, tab, escape, ...), bytes that are not UTF-8, and
    the PATH separator (`:` on POSIX; `;` on Windows, where `:` is allowed only after the
    drive letter). `windows` defaults to the running system.
    """
    if windows is None:
        windows = os.name == "nt"
    text = os.fspath(path)
    char = _first_unsafe_char(text)
    if char is not None:
        raise ActivationError(
            f"cannot write activation scripts for {text!r}: the path contains {_describe(char)},"
            " which no shell can carry safely; create the venv in a folder without it"
        )
    separator = ";" if windows else ":"
    rest = text[2:] if windows and len(text) >= 2 and text[1] == ":" and text[0].isalpha() else text
    if separator in rest or (windows and ":" in rest):
        bad = separator if separator in rest else ":"
        raise ActivationError(
            f"cannot write activation scripts for {text!r}: the path contains {bad!r}, which would"
            " split it in PATH; create the venv in a folder whose path has no"
            f" {bad!r}"
        )


def check_prompt_is_shell_safe(prompt: str) -> None:
    """Raise ActivationError if `prompt` holds a control character (newline, escape, ...)."""
    char = _first_unsafe_char(prompt)
    if char is not None:
        raise ActivationError(
            f"cannot use the venv prompt {prompt!r}: it contains {_describe(char)}, which a shell"
            " prompt cannot show safely; choose a prompt without it (--prompt NAME)"
        )
