"""Request parsing and matching: one table of accepted forms, one of rejected ones."""

from __future__ import annotations

import pytest

from pyshim.base.errors import InvalidVersionName
from pyshim.interpreters.pyinfo import PythonInfo, Source
from pyshim.selection.request import RequestKind, parse_request, validate_name


def info(version: str, *, name: str = "", implementation: str = "cpython", freethreaded: bool = False,
         level: str = "final", serial: int = 0, source: Source = Source.PYENV, executable: str = "",
         is_venv: bool = False) -> PythonInfo:
    major, minor, micro = (int(p) for p in version.split("."))
    return PythonInfo(
        name=name or version, source=source, executable=executable or f"/v/{name or version}/bin/python",
        real_executable=executable or f"/v/{name or version}/bin/python", implementation=implementation,
        version_info=(major, minor, micro, level, serial), freethreaded=freethreaded, debug=False,
        machine="x86_64", pointer_bits=64, platform="linux", prefix="/v", base_prefix="/v",
        base_exec_prefix="/v", is_venv=is_venv, scheme="posix_prefix", scheme_paths={},
    )


@pytest.mark.parametrize(
    "text, kind, implementation, release, prerelease, freethreaded",
    [
        ("3.11.7", RequestKind.VERSION, None, (3, 11, 7), None, False),
        ("3.11", RequestKind.VERSION, None, (3, 11), None, False),
        ("3", RequestKind.VERSION, None, (3,), None, False),
        ("3.13t", RequestKind.VERSION, None, (3, 13), None, True),
        ("3.13.0rc1", RequestKind.VERSION, None, (3, 13, 0), "rc1", False),
        ("pypy3.10", RequestKind.VERSION, "pypy", (3, 10), None, False),
        ("pypy@3.10", RequestKind.VERSION, "pypy", (3, 10), None, False),
        ("cpython3.12", RequestKind.VERSION, "cpython", (3, 12), None, False),
        ("cpython@3.12", RequestKind.VERSION, "cpython", (3, 12), None, False),
        ("python-3.11", RequestKind.VERSION, None, (3, 11), None, False),
        ("python-3.11.7", RequestKind.VERSION, None, (3, 11, 7), None, False),
        ("system", RequestKind.SYSTEM, None, (), None, False),
        ("myproject", RequestKind.NAME, None, (), None, False),
        ("miniconda3-latest", RequestKind.NAME, None, (), None, False),
        ("3.11.7-debug", RequestKind.NAME, None, (), None, False),
        (">=3.10,<3.12", RequestKind.SPECIFIER, None, (), None, False),
        ("  3.12  ", RequestKind.VERSION, None, (3, 12), None, False),
    ],
)
def test_accepted_forms(text, kind, implementation, release, prerelease, freethreaded):
    request = parse_request(text)
    assert (request.kind, request.implementation, request.release, request.prerelease, request.freethreaded) == (
        kind, implementation, release, prerelease, freethreaded)


def test_absolute_path_only_where_allowed():
    assert parse_request("/usr/bin/python3").kind == RequestKind.PATH
    with pytest.raises(InvalidVersionName, match="absolute path"):
        parse_request("/usr/bin/python3", "/p/.python-version", allow_path=False)


def test_a_bare_name_check_refuses_every_slash():
    """Outside requests (e.g. `pyshim uninstall NAME`, which deletes ROOT/versions/NAME) a name
    with `/` is never a name, even one that stays inside a folder."""
    with pytest.raises(InvalidVersionName, match="path separator"):
        validate_name("3.12.1/lib", "the command line")
    validate_name("3.12.1/envs/foo", "the command line", pyenv_subfolders=True)


def test_pyenv_virtualenv_names_inside_the_versions_folder_are_names():
    """pyenv's CVE-2022-35861 fix accepts `/` in a name that stays inside $PYENV_ROOT/versions."""
    for text, name in (("3.12.1/envs/foo", "3.12.1/envs/foo"), ("3.12.1/envs/../envs/foo/", "3.12.1/envs/foo")):
        request = parse_request(text, "/proj/.python-version", allow_path=False)
        assert (request.kind, request.raw) == (RequestKind.NAME, name)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("../../bin/sh", "leads out of pyenv's versions folder"),
        ("3.12.1/envs/../../../x", "leads out of pyenv's versions folder"),
        ("3.12.1/../.", "leads out of pyenv's versions folder"),
        ("..", "'..'"),
        ("3.11..", "'..'"),
        ("a\\b", "path separator"),
        ("x" * 300, "characters long"),
        ("3.11\x1b[31m", "control characters"),
        ("", "is empty"),
    ],
)
def test_rejected_names_say_why_and_where(text, reason):
    with pytest.raises(InvalidVersionName) as caught:
        parse_request(text, "/proj/.python-version", allow_path=False)
    message = str(caught.value)
    assert reason in message and "/proj/.python-version" in message and "\n" not in message


def test_invalid_specifier_is_one_clear_line():
    with pytest.raises(InvalidVersionName, match="PEP 440"):
        parse_request(">=3.10,<<3")


@pytest.mark.parametrize(
    "request_text, candidate, expected",
    [
        ("3.11", info("3.11.7"), True),
        ("3.11", info("3.12.1"), False),
        ("3", info("3.12.1"), True),
        ("3.11.7", info("3.11.7"), True),
        ("3.11.7", info("3.11.8"), False),
        ("3.13.0", info("3.13.0", name="rc", level="candidate", serial=1), False),
        ("3.13.0rc1", info("3.13.0", name="rc", level="candidate", serial=1), True),
        ("3.13", info("3.13.0", name="rc", level="candidate", serial=1), False),  # as pyenv latest: ask for it
        ("3.13t", info("3.13.0", freethreaded=True), True),
        ("3.13t", info("3.13.0"), False),
        ("3.13", info("3.13.0", freethreaded=True), False),
        ("pypy3.10", info("3.10.14", implementation="pypy"), True),
        ("pypy3.10", info("3.10.14"), False),
        ("cpython3.10", info("3.10.14"), True),
        ("python-3.10", info("3.10.14"), True),
        (">=3.10,<3.12", info("3.11.7"), True),
        (">=3.10,<3.12", info("3.12.1"), False),
        (">=3.10,<3.12", info("3.9.18"), False),
        ("myenv", info("3.12.1", name="myenv"), True),
        ("myenv", info("3.12.1", name="myenv", is_venv=True, source=Source.VENV), True),
        ("3.12", info("3.12.1", name="myenv", is_venv=True, source=Source.VENV), False),
        (">=3.12", info("3.12.1", name="myenv", is_venv=True, source=Source.VENV), False),
        ("myenv", info("3.12.1", name="other"), False),
        ("system", info("3.11.2", source=Source.PATH), True),
        ("system", info("3.11.2", source=Source.PYENV), False),
        ("/usr/bin/python3", info("3.11.2", executable="/usr/bin/python3", source=Source.PATH), True),
    ],
)
def test_matches(request_text, candidate, expected):
    assert parse_request(request_text).matches(candidate) is expected
