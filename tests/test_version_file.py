"""`.python-version` reading (a table of pyenv/uv-style cases), finding, and writing."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import without_read_override
from pyshim.base.errors import InvalidVersionName, VersionFileError
from pyshim.selection.version_file import MAX_FILE_BYTES, find_version_file, read_version_file, write_version_file


@pytest.mark.parametrize(
    "content, names",
    [
        (b"3.11.7\n", ("3.11.7",)),
        (b"3.11.7", ("3.11.7",)),
        (b"3.11.7\r\n3.12\r\n", ("3.11.7", "3.12")),
        (b"\xef\xbb\xbf3.12\n", ("3.12",)),
        (b"# pinned for CI\n3.12\n", ("3.12",)),
        (b"3.12  # trailing comment\n3.9\n", ("3.12", "3.9")),
        (b"\n\n  3.12 \t 3.9  \n\n", ("3.12",)),  # pyenv reads the first word of a line only
        (b"3.12 system\n", ("3.12",)),
        (b"3.12  my note\n2.7.6 one\n", ("3.12", "2.7.6")),
        (b"3.12 ../../bin/sh\n", ("3.12",)),  # words after the first are never used, so never checked
        (b"", ()),
        (b"# only a comment\n", ()),
        (b">=3.10,<3.12\n", (">=3.10,<3.12",)),
        (b"3.1\x002\x00\n", ("3.12",)),  # NUL bytes dropped, as sh's `read` does in the shims
        (b"3.12\n" + b"\x00" * (MAX_FILE_BYTES + 100) + b"\n3.11\n", ("3.12", "3.11")),  # padding: as the shims read it
        (b"3.12 3.11\n3.12\n3.11 3.12\n", ("3.12", "3.11")),  # repeats dropped
        (("3.12\n" * 4000).encode(), ("3.12",)),
        # Names split at ASCII spaces and tabs, lines at \n, as pyenv's bash and the shims' sh do:
        # everything else is part of a name (and then an invalid or unknown one).
        ("3.12\u00a03.11\n".encode(), ("3.12\u00a03.11",)),
        ("3.12\u20283.11\n".encode(), ("3.12\u20283.11",)),
        ("3.12\u30003.11\n".encode(), ("3.12\u30003.11",)),
    ],
)
def test_reading(tmp_path: Path, content: bytes, names):
    path = tmp_path / ".python-version"
    path.write_bytes(content)
    assert read_version_file(path) == names


@pytest.mark.parametrize(
    "content, error, fragment",
    [
        (b"../../bin/sh\n", InvalidVersionName, "leads out of pyenv's versions folder"),
        (b"3.12\\\n", InvalidVersionName, "path separator"),
        (b"..\n3.12\n", InvalidVersionName, "'..'"),
        (b"3.12\x00\x01\x02", InvalidVersionName, "3.12\\x01\\x02"),
        (b"\xff\xfe3\x00.\x00", VersionFileError, "UTF-16"),
        (b"3.12\xff\n", VersionFileError, "not valid UTF-8"),
        (b"3" * (MAX_FILE_BYTES + 10), VersionFileError, "larger than"),
        (b"$(touch pwned)\n", None, None),
        (b"3.12\r3.11\n", InvalidVersionName, "'3.12\\r3.11'"),  # a lone CR is part of the name
        (b"3.12\r\r\n", InvalidVersionName, "'3.12\\r'"),
        ("\n".join(f"3.{minor}.{micro}" for minor in range(10) for micro in range(10)).encode(), VersionFileError,
         "names 100 versions, more than 64"),
        (b"\x00" * (MAX_FILE_BYTES + 10) + b"3" * (MAX_FILE_BYTES + 10), VersionFileError, "larger than"),
    ],
)
def test_bad_files_are_one_clear_line(tmp_path: Path, content: bytes, error, fragment):
    path = tmp_path / ".python-version"
    path.write_bytes(content)
    if error is None:  # shell syntax is just a (strange) name: never run, never expanded
        assert read_version_file(path) == ("$(touch",)
        return
    with pytest.raises(error) as caught:
        read_version_file(path)
    assert fragment in str(caught.value) and str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_find_walks_up_to_the_nearest(tmp_path: Path):
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    (tmp_path / ".python-version").write_text("3.9\n")
    (tmp_path / "a" / ".python-version").write_text("3.12\n")
    assert find_version_file(deep) == str(tmp_path / "a" / ".python-version")
    assert find_version_file(tmp_path) == str(tmp_path / ".python-version")


def test_find_passes_over_symlink_loops_and_directories(tmp_path: Path):
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (deep / ".python-version").symlink_to(deep / ".python-version")  # a loop
    (tmp_path / "a" / ".python-version").mkdir()  # a folder, not a file
    (tmp_path / ".python-version").write_text("3.9\n")
    assert find_version_file(deep) == str(tmp_path / ".python-version")


def test_find_passes_over_unreadable_directories(tmp_path: Path):
    """A folder on the way up that we may not search (no x bit) is passed over, not fatal.

    Root searches every folder, so as root the check runs without that right (setpriv)."""
    import subprocess
    import sys

    locked = tmp_path / "locked"
    (locked / "inner").mkdir(parents=True)
    (tmp_path / ".python-version").write_text("3.9\n")
    locked.chmod(0o600)
    code = ("import sys; from pathlib import Path; from pyshim.selection.version_file import find_version_file;"
            f" print(find_version_file(Path({str(locked / 'inner')!r})))")
    try:
        src = str(Path(__file__).resolve().parent.parent / "src")
        result = subprocess.run([*without_read_override(), sys.executable, "-c", code], capture_output=True, text=True,
                                env={"PYTHONPATH": src, "PATH": "/usr/bin:/bin"})
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == str(tmp_path / ".python-version")
    finally:
        locked.chmod(0o755)


def test_write_is_atomic_and_round_trips(tmp_path: Path):
    tmp_path = tmp_path / "project"
    tmp_path.mkdir()
    path = tmp_path / ".python-version"
    path.write_text("old\n")
    write_version_file(path, ["3.12", "3.9"])
    assert path.read_text() == "3.12\n3.9\n"
    assert read_version_file(path) == ("3.12", "3.9")
    assert [p.name for p in tmp_path.iterdir()] == [".python-version"]


@pytest.mark.parametrize("name", ["\u0663.\u0661\u0662", "\uff13.\uff11\uff12", "\U0001d7f9.\U0001d7ed\U0001d7ee", "3.\u0661\u0662"])
def test_version_names_are_ascii(name: str, work_dir: Path, pyshim) -> None:
    """Other scripts' digits are not a version: `٣.١٢` must not select 3.12."""
    (work_dir / ".python-version").write_text(name + "\n", encoding="utf-8")
    result = pyshim("exec", "python", "-c", "import sys; print(sys.version)", cwd=work_dir)
    assert result.returncode != 0 and result.stdout == "", result.stdout
    assert "is not installed" in result.stderr
    found = pyshim("find", name)
    assert found.returncode != 0 and "3.12" not in found.stdout
