"""The CLI frame: entry points, --version, help, and errors as one line with an exit status."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pyshim import __version__


def test_version_and_help(pyshim):
    assert pyshim("--version").stdout.strip() == f"pyshim {__version__}"
    helped = pyshim("--help")
    assert helped.returncode == 0 and "versions" in helped.stdout and "exec" in helped.stdout
    assert pyshim("help", "local").stdout == pyshim("local", "--help").stdout
    assert "--unset" in pyshim("help", "local").stdout


def test_bad_command_lines_are_one_line_with_status_2(pyshim):
    for args in (["nonsense"], ["local", "--bogus"], ["find"], ["versions", "extra"]):
        result = pyshim(*args)
        assert result.returncode == 2, args
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("pyshim: ") and "--help" in result.stderr
        assert result.stdout == ""


def test_global_options_before_or_after_the_command(pyshim):
    assert pyshim("-v", "root").returncode == 0
    assert pyshim("root", "--verbose").returncode == 0


def test_errors_are_one_line_without_traceback(pyshim, work_dir):
    (work_dir / ".python-version").write_text("../../bin/sh\n")
    result = pyshim("version", cwd=work_dir)
    assert result.returncode == 1
    assert result.stderr.startswith("pyshim: invalid version name '../../bin/sh'")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    debug = pyshim("--debug", "version", cwd=work_dir)
    assert "Traceback" in debug.stderr


def test_file_system_errors_are_one_line(pyshim, work_dir):
    blocker = work_dir / "a-file"
    blocker.write_text("not a folder")
    for args in (["global", "3.12"], ["rehash"]):
        result = pyshim(*args, env={"PYSHIM_ROOT": str(blocker / "root")})
        assert result.returncode == 1, args
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert str(blocker / "root") in result.stderr and "Not a directory" in result.stderr


def test_import_cli_stays_lazy():
    code = ("import sys, pyshim.cli; heavy = [m for m in ('packaging', 'filelock', 'subprocess', 'dataclasses',"
            " 'concurrent.futures', 'platformdirs') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_version_bare_imports_nothing_heavy(work_dir):
    code = ("import sys; from pyshim.cli import main; main(['version', '--bare']);"
            " print([m for m in ('packaging', 'filelock', 'subprocess', 'dataclasses') if m in sys.modules])")
    for run in ("first", "again"):  # the first run writes the cached front-end (shims.cached_front_end) once
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=work_dir).stdout
    assert out.splitlines()[-1] == "[]"


def test_a_mistyped_command_gets_the_nearest_names(pyshim):
    result = pyshim("verions")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "did you mean `pyshim versions`" in result.stderr
    assert "doctor" not in result.stderr  # not the whole list of commands
    assert "did you mean" not in pyshim("zzzz").stderr


def test_messages_carry_one_prefix(pyshim, work_dir):
    for argv in (["activate", str(work_dir)], ["activate", "--shell", "bash", str(work_dir)], ["allow", str(work_dir)],
                 ["deactivate"]):
        result = pyshim(*argv)
        assert result.returncode != 0 and result.stderr.startswith("pyshim: ")
        assert not result.stderr.startswith("pyshim: pyshim"), (argv, result.stderr)
    (work_dir / ".venv").mkdir()
    (work_dir / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    no_shell = pyshim("activate", cwd=work_dir)  # the suite runs without SHELL, as CI does
    assert no_shell.returncode != 0 and "`pyshim activate --shell bash`" in no_shell.stderr
    assert "pyshim init" not in no_shell.stderr


@pytest.mark.parametrize("command", [["version"], ["versions"], ["local"], ["which", "python"],
                                     ["exec", "python", "-c", "pass"]])
def test_a_deleted_working_directory_is_named_as_such(command, work_dir: Path) -> None:
    """Not "check that folder's permissions and free space": the folder is gone."""
    import shlex

    gone = work_dir / "gone"
    gone.mkdir()
    line = f"cd {shlex.quote(str(gone))} && rmdir \"$PWD\" && exec {shlex.quote(sys.executable)} -m pyshim " + \
        " ".join(shlex.quote(word) for word in command)
    result = subprocess.run(["sh", "-c", line], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stderr
    assert result.stderr == (f"pyshim: the current folder {gone} no longer exists (it was deleted or moved while "
                             "you were in it); cd to an existing folder and run the command again\n")


def run_into_closed_pipe(argv: "list[str]", cwd: "Path | None" = None, buffered: bool = False) -> subprocess.CompletedProcess:
    """Run `argv` with its stdout a pipe whose reader is gone (`pyshim ... | head -0`); unbuffered,
    so that the first line written meets the closed pipe (buffered: the flush at the end does)."""
    import os

    read_end, write_end = os.pipe()
    os.close(read_end)
    env = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    try:
        return subprocess.run(argv, stdout=write_end, stderr=subprocess.PIPE, text=True, cwd=cwd,
                              env=env if buffered else dict(env, PYTHONUNBUFFERED="1"))
    finally:
        os.close(write_end)


def test_a_reader_gone_before_the_buffered_output_is_flushed(work_dir):
    """A short answer waits in the buffer, so the closed pipe is met as the command ends
    (`pyshim.__main__.finish`): 141 and nothing on stderr, as earlier (Python's own flush at
    exit printed 'Exception ignored ... BrokenPipeError' and exited 120)."""
    console_script = Path(sys.executable).with_name("pyshim")
    for argv in ([str(console_script), "root"], [sys.executable, "-m", "pyshim", "find", "3.12"]):
        result = run_into_closed_pipe(argv, cwd=work_dir, buffered=True)
        assert (result.returncode, result.stderr) == (141, ""), argv


def test_a_reader_that_goes_away_ends_the_command_quietly(work_dir):
    """141 (128 + SIGPIPE, what a shell tool reports) and nothing on stderr: a closed pipe is no
    file-system error to explain (BrokenPipeError is an OSError, and the OSError line used to catch it)."""
    result = run_into_closed_pipe([sys.executable, "-m", "pyshim", "versions"], cwd=work_dir)
    assert (result.returncode, result.stderr) == (141, "")
