"""`.python-version` files: find the nearest one, read it safely, write it atomically.

Second step of the data flow (used by `selection`). The format is the one pyenv reads: one
name per line, in search order; only the first word of a line counts (`3.12  my note` means
`3.12`, as in pyenv), `#` starts a comment that runs to the end of the line; blank lines, CRLF
line ends and a UTF-8 byte-order mark are tolerated.

Version files are untrusted input (a cloned repository carries its own): reading is bounded
(`MAX_FILE_BYTES` after NUL bytes are dropped, as sh's `read` drops them, so the shims and this
reader agree on NUL padding), invalid UTF-8 is reported rather than guessed at, and every name
is checked by `request.validate_name`, which rejects `\\`, `..` and a name with `/` that leads
out of pyenv's versions folder (`3.12.1/envs/foo`, pyenv-virtualenv's, is fine). Lines end at
`\n` only (one `\r` before it is dropped) and words are split at ASCII spaces and tabs only, as
pyenv's bash and the shims' sh split them: a lone CR, U+00A0 or U+2028 is part of a name.
Repeated names are dropped, and a file naming more than `MAX_NAMES` versions is refused.
"""

from __future__ import annotations

import os

from pyshim.base.errors import VersionFileError
from pyshim.selection.request import validate_name

FILE_NAME = ".python-version"
MAX_FILE_BYTES = 64 * 1024
MAX_RAW_BYTES = 64 * 1024 * 1024  # NUL padding is read past, up to this many bytes in all
MAX_NAMES = 64  # distinct versions in one file; a search order longer than that is a mistake


def current_directory() -> str:
    """The logical working directory ($PWD when it is really where we are), as shells see it."""
    pwd = os.environ.get("PWD")
    if pwd and os.path.isabs(pwd):
        try:
            if os.path.samestat(os.stat(pwd), os.stat(".")):
                return "/" + "/".join(part for part in pwd.split("/") if part not in ("", "."))  # `..` kept, as cd -L
        except OSError:
            pass
    return os.getcwd()


def find_version_file(start: "str | os.PathLike[str]") -> "str | None":
    """The nearest `.python-version` from `start` up to `/`; unreadable folders are passed over."""
    directory = os.path.abspath(start)
    while True:
        candidate = os.path.join(directory, FILE_NAME)
        if os.path.isfile(candidate):  # False also for a folder we may not enter, a loop, a long name
            return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def parse_version_text(text: str) -> List[str]:
    """Names in order: the first word of each line; comments, blank lines and repeats dropped
    (no validation).

    pyenv reads only the first word of a line, so the rest of a line is a note for people
    (`3.12  needed by the CI image`); shims/lib.sh (`_pyshim_read`) reads the same way. Lines
    end at `\n` (one `\r` before it is dropped); words are split at ASCII spaces and tabs only."""
    if text.startswith("\ufeff"):
        text = text[1:]
    names: List[str] = []
    for line in text.split("\n"):
        if line.endswith("\r"):
            line = line[:-1]
        words = [word for word in line.split("#", 1)[0].replace("\t", " ").split(" ") if word]
        names.extend(words[:1])
    return list(dict.fromkeys(names))


def _read_without_nuls(path: "str | os.PathLike[str]") -> bytes:
    """The file's bytes with NUL bytes dropped, at most MAX_FILE_BYTES + 1 of them."""
    kept: List[bytes] = []
    size = raw = 0
    with open(path, "rb") as handle:
        while size <= MAX_FILE_BYTES and raw <= MAX_RAW_BYTES:
            chunk = handle.read(MAX_FILE_BYTES + 1)
            if not chunk:
                break
            raw += len(chunk)
            chunk = chunk.replace(b"\0", b"")  # dropped, as sh's `read` (the shims) and pyenv's bash do
            kept.append(chunk)
            size += len(chunk)
    return b"".join(kept) if raw <= MAX_RAW_BYTES else b"\0" * (MAX_FILE_BYTES + 1)


def read_version_file(path: "str | os.PathLike[str]") -> "tuple[str, ...]":
    """Validated names from `path`; a `VersionFileError` says what is wrong with the file."""
    try:
        data = _read_without_nuls(path)
    except OSError as error:
        raise VersionFileError(f"cannot read {path}: {error.strerror}; fix its permissions or remove it") from None
    if len(data) > MAX_FILE_BYTES:
        raise VersionFileError(
            f"{path} is larger than {MAX_FILE_BYTES // 1024} KiB, too large for a version file; "
            "replace it with `pyshim local VERSION`"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise VersionFileError(f"{path} is UTF-16 (PowerShell's `>` writes that), not UTF-8; "
                               "replace it with `pyshim local VERSION`")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise VersionFileError(f"{path} is not valid UTF-8; replace it with `pyshim local VERSION`") from None
    names = parse_version_text(text)
    for name in names:
        validate_name(name, str(path), pyenv_subfolders=True)
    if len(names) > MAX_NAMES:
        raise VersionFileError(f"{path} names {len(names)} versions, more than {MAX_NAMES}; "
                               "keep the few you need with `pyshim local VERSION ...`")
    return tuple(names)


def write_version_file(path: "str | os.PathLike[str]", names: "Iterable[str]") -> None:
    """Write one name per line, atomically (readers see the old file or the new one)."""
    from pyshim.base.fsutil import atomic_write_text  # (reading a version file writes nothing)

    atomic_write_text(path, "".join(f"{name}\n" for name in names))
