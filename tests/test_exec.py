"""`pyshim exec`: runs the selected command, arguments and exit status untouched."""

from __future__ import annotations

def test_runs_selected_interpreter_with_args_and_status(pyshim, work_dir):
    (work_dir / ".python-version").write_text("3.10\n")
    code = "import sys; print(sys.version_info[:2], sys.argv[1:]); sys.exit(7)"
    args = ["", "a b", "-x", "'\"$HOME`", "ünï😀"]
    result = pyshim("exec", "python", "-c", code, *args, cwd=work_dir)
    assert result.returncode == 7
    assert result.stdout.strip() == f"(3, 10) {args!r}"


def test_stdin_passes_through(pyshim, work_dir):
    (work_dir / ".python-version").write_text("3.12\n")
    result = pyshim("exec", "python", "-c", "import sys; print(sys.stdin.read()[::-1])", cwd=work_dir, input="abc")
    assert result.stdout.strip() == "cba"


def test_selected_bin_goes_first_on_path_for_children(pyshim, work_dir):
    (work_dir / ".python-version").write_text("3.9\n")
    code = "import subprocess; print(subprocess.check_output(['python', '-c', 'import sys; print(sys.version_info[1])']).decode().strip())"
    assert pyshim("exec", "python", "-c", code, cwd=work_dir).stdout.strip() == "9"


def test_search_order_falls_through_to_the_next_version(pyshim, work_dir):
    (work_dir / ".python-version").write_text(f"3.12\n3.9\n")
    result = pyshim("exec", "pip3.9", "--version", cwd=work_dir)
    assert result.returncode == 0 and "(python 3.9)" in result.stdout


def test_missing_command_is_127(pyshim, work_dir):
    (work_dir / ".python-version").write_text("3.12\n")
    result = pyshim("exec", "definitely-not-here", cwd=work_dir)
    assert result.returncode == 127 and "command not found" in result.stderr
