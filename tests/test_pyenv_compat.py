"""Side by side with pyenv: the same set-ups, both tools, the same answers (issue 10).

Each test builds a set-up (version files, PYENV_VERSION, PYENV_DIR, pyenv's global file) and
runs the installed pyenv and pyshim on it, in a sealed PYENV_ROOT of the module's own: its
`versions/` links to the machine's interpreters, plus what pyenv users have there (a link
`2.7 -> 2.7.18`, a dot folder, a rolling build `3.13-dev`, and a real version folder holding a pyenv-virtualenv venv
`3.12.x/envs/foo` with its short link `foo`). The real pyenv settings are never read or
changed. pyshim runs through its CLI and through its real shims.

Where the output formats differ on purpose (pyshim's `versions` has columns, `version --bare`
prints one name per line where `pyenv version-name` joins them with `:`), the tests compare
what is selected: the names, the interpreter that runs, the PATH it gets, and the exit status.
The differences kept on purpose (docs/reference.md, "pyenv vs pyshim, on purpose") are asserted as such, so
a change on either side shows up.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional

import pytest

from conftest import CLEAN_PATH, REAL_PYENV_VERSIONS, filled_probe_cache, machine_versions, missing_tool
from helpers import pyshim_bin

PYENV = Path(os.environ.get("PYSHIM_TEST_PYENV", REAL_PYENV_VERSIONS.parent / "bin" / "pyenv"))
PROBE = "import os, sys; print(sys.executable); print(os.environ.get('PATH', ''))"


class Result(NamedTuple):
    status: int
    stdout: str
    stderr: str


class Ran(NamedTuple):
    """What a command run through `exec` (or a shim) did: its status, interpreter and PATH."""

    status: int
    executable: str
    path: List[str]


def full_name(prefix: str) -> str:
    """The machine's newest version for `prefix` ('3.12' -> '3.12.1')."""
    names = [name for name in machine_versions() if name == prefix or name.startswith(prefix + ".")]
    if not names:
        pytest.skip(f"no Python {prefix} under {REAL_PYENV_VERSIONS}")
    return max(names, key=lambda name: [int(part) for part in name.split(".")])


@pytest.fixture(scope="module")
def sealed_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The module's pyenv root (see the module docstring); 3.12.x is a real folder so that its
    `envs/` is ours, not the machine's."""
    if not os.access(PYENV, os.X_OK):
        missing_tool(f"pyenv is not installed at {PYENV} (PYSHIM_TEST_PYENV names another)")
    root = tmp_path_factory.mktemp("sealed-pyenv")
    versions = root / "versions"
    versions.mkdir()
    v312 = full_name("3.12")
    for name, folder in machine_versions().items():
        if name == v312:
            (versions / name).mkdir()
            for part in folder.iterdir():
                (versions / name / part.name).symlink_to(part)
        else:
            (versions / name).symlink_to(folder)
    python = REAL_PYENV_VERSIONS / v312 / "bin" / "python"
    subprocess.run([str(python), "-m", "venv", "--without-pip", str(versions / v312 / "envs" / "foo")], check=True)
    (versions / "foo").symlink_to(versions / v312 / "envs" / "foo")  # what pyenv-virtualenv makes
    (versions / "2.7").symlink_to(full_name("2.7"))
    (versions / ".dot").symlink_to(REAL_PYENV_VERSIONS / full_name("3.11"))
    (versions / "3.13-dev").symlink_to(REAL_PYENV_VERSIONS / full_name("3.13"))  # a rolling build's name
    return root


@pytest.fixture(scope="module")
def sealed_cache(tmp_path_factory: pytest.TempPathFactory, sealed_root: Path) -> Path:
    """pyshim's probe cache for the sealed root, filled once for the module."""
    return filled_probe_cache(tmp_path_factory, sealed_root, "sealed")


class Tools:
    """Runs pyenv and pyshim in the test's sealed set-up, from `cwd`, with extra variables."""

    def __init__(self, root: Path, work: Path) -> None:
        self.root, self.work = root, work
        self.shims: Optional[Path] = None

    def env(self, cwd: Path, extra: Optional[Dict[str, str]]) -> Dict[str, str]:
        return dict(os.environ, PYENV_ROOT=str(self.root), PWD=str(cwd), PATH=CLEAN_PATH, **(extra or {}))

    def pyenv(self, *args: str, cwd: Optional[Path] = None, env: Optional[Dict[str, str]] = None) -> Result:
        cwd = cwd or self.work
        done = subprocess.run([str(PYENV), *args], cwd=cwd, env=self.env(cwd, env), capture_output=True, text=True)
        return Result(done.returncode, done.stdout, done.stderr)

    def pyshim(self, *args: str, cwd: Optional[Path] = None, env: Optional[Dict[str, str]] = None) -> Result:
        cwd = cwd or self.work
        done = subprocess.run([sys.executable, "-m", "pyshim", *args], cwd=cwd, env=self.env(cwd, env),
                              capture_output=True, text=True)
        return Result(done.returncode, done.stdout, done.stderr)

    def shim(self, command: str, *args: str, cwd: Optional[Path] = None,
             env: Optional[Dict[str, str]] = None) -> Result:
        if self.shims is None:
            rehashed = self.pyshim("rehash", "--quiet")
            assert rehashed.status == 0, rehashed.stderr
            self.shims = Path(os.environ["PYSHIM_ROOT"]) / "shims"
        cwd = cwd or self.work
        full_env = dict(self.env(cwd, env), PATH=f"{self.shims}:{CLEAN_PATH}")
        done = subprocess.run([str(self.shims / command), *args], cwd=cwd, env=full_env, capture_output=True,
                              text=True)
        return Result(done.returncode, done.stdout, done.stderr)

    def ran(self, result: Result) -> Ran:
        """The interpreter and PATH a PROBE run printed; pyenv's own folders and the shims left out of PATH."""
        lines = result.stdout.splitlines()
        own = (str(PYENV.resolve().parent.parent) + os.sep, str(self.shims) if self.shims else "\0")
        path = [entry for entry in (lines[1] if len(lines) > 1 else "").split(os.pathsep)
                if not entry.startswith(own) and entry != own[1]]
        return Ran(result.status, lines[0] if lines else "", path)

    def run_everywhere(self, command: str, cwd: Optional[Path] = None,
                       env: Optional[Dict[str, str]] = None) -> Dict[str, Ran]:
        """`command -c PROBE` through `pyenv exec`, `pyshim exec` and pyshim's shim."""
        return {
            "pyenv exec": self.ran(self.pyenv("exec", command, "-c", PROBE, cwd=cwd, env=env)),
            "pyshim exec": self.ran(self.pyshim("exec", command, "-c", PROBE, cwd=cwd, env=env)),
            "pyshim shim": self.ran(self.shim(command, "-c", PROBE, cwd=cwd, env=env)),
        }

    def names(self, cwd: Optional[Path] = None, env: Optional[Dict[str, str]] = None) -> Dict[str, tuple]:
        """(status, selected names) from `pyenv version-name` and `pyshim version --bare`."""
        pyenv = self.pyenv("version-name", cwd=cwd, env=env)
        pyshim = self.pyshim("version", "--bare", cwd=cwd, env=env)
        return {"pyenv": (pyenv.status, [n for n in pyenv.stdout.strip().split(":") if n]),
                "pyshim": (pyshim.status, pyshim.stdout.split())}


@pytest.fixture
def tools(sealed_root: Path, sealed_cache: Path, work_dir: Path) -> Tools:
    shutil.copytree(sealed_cache, os.environ["PYSHIM_CACHE_DIR"], dirs_exist_ok=True)
    return Tools(sealed_root, work_dir)


def versions_bin(tools: Tools, name: str) -> str:
    return str(tools.root / "versions" / name / "bin")


def assert_same_everywhere(runs: Dict[str, Ran]) -> Ran:
    first = runs["pyenv exec"]
    assert all(ran == first for ran in runs.values()), runs
    return first


# 1. Version file words: the first word of each line is the name.

@pytest.mark.parametrize("text", ["{v312}  my note\n{v27} one\n", "  {v312}\tpinned by CI # and a comment\n{v27}\n",
                                  "{v312} 3.99 ../../bin/sh\n"])
def test_only_the_first_word_of_a_line_is_a_name(tools: Tools, text: str) -> None:
    v312, v27 = full_name("3.12"), full_name("2.7")
    (tools.work / ".python-version").write_text(text.format(v312=v312, v27=v27))
    names = tools.names()
    assert names["pyenv"] == names["pyshim"] and names["pyenv"][0] == 0, names
    ran = assert_same_everywhere(tools.run_everywhere("python"))
    assert (ran.status, ran.executable) == (0, f"{versions_bin(tools, v312)}/python")
    assert ran.path == [versions_bin(tools, v312), *CLEAN_PATH.split(":")]


def test_a_one_line_file_with_a_note_takes_the_shims_quick_stage(tools: Tools) -> None:
    v312 = full_name("3.12")
    (tools.work / ".python-version").write_text(f"{v312}  # pinned\n")
    ran = tools.shim("python", "-c", PROBE, env={"PYSHIM_DEBUG_SHIM": "1"})
    assert "(quick)" in ran.stderr and tools.ran(ran).executable == f"{versions_bin(tools, v312)}/python"


@pytest.mark.parametrize("request_text", ["3", "3.13", "{v313}", "3.13-dev"])
def test_prefixes_never_choose_a_rolling_build(tools: Tools, request_text: str) -> None:
    """As `pyenv latest`: `3.13-dev` answers only to its own name."""
    env = {"PYENV_VERSION": request_text.format(v313=full_name("3.13"))}
    names = tools.names(env=env)
    expected = "3.13-dev" if request_text == "3.13-dev" else full_name("3.13")
    assert names["pyenv"] == names["pyshim"] == (0, [expected])


def test_kept_different_a_comment_inside_a_word(tools: Tools) -> None:
    (tools.work / ".python-version").write_text(f"{full_name('3.12')}#note\n")
    assert tools.names() == {"pyenv": (1, []), "pyshim": (0, [full_name("3.12")])}


def test_kept_different_an_empty_file_falls_through_to_the_global_file(tools: Tools) -> None:
    (tools.work / ".python-version").write_text("# nothing pinned here\n")
    global_file = tools.root / "version"
    try:
        global_file.write_text("3.11\n")
        assert tools.names() == {"pyenv": (0, ["system"]), "pyshim": (0, [full_name("3.11")])}
    finally:
        global_file.unlink()


# 2. Names that are not installed: a warning each, the installed ones go on.

@pytest.mark.parametrize("where", ["file", "PYENV_VERSION"])
def test_missing_names_are_skipped_with_a_warning_for_each(tools: Tools, where: str) -> None:
    v312, v311 = full_name("3.12"), full_name("3.11")
    env: Dict[str, str] = {}
    if where == "file":
        (tools.work / ".python-version").write_text(f"3.98\n{v312}\n3.99\n{v311}\n")
    else:
        env["PYENV_VERSION"] = f"3.98:{v312}:3.99:{v311}"
    names = tools.names(env=env)
    assert names["pyenv"] == names["pyshim"] == (1, [v312, v311])
    for tool in ("pyenv", "pyshim"):
        stderr = (tools.pyenv("version-name", env=env) if tool == "pyenv" else tools.pyshim("version", env=env)).stderr
        assert "3.98" in stderr and "3.99" in stderr, (tool, stderr)
    ran = assert_same_everywhere(tools.run_everywhere("python", env=env))
    assert (ran.status, ran.executable) == (0, f"{versions_bin(tools, v312)}/python")
    which = tools.pyenv("which", "python", env=env), tools.pyshim("which", "python", env=env)
    assert which[0].status == which[1].status == 0 and which[0].stdout == which[1].stdout
    assert tools.pyenv("prefix", env=env).status == tools.pyshim("prefix", env=env).status == 1


def test_command_not_found_names_every_missing_version(tools: Tools) -> None:
    (tools.work / ".python-version").write_text(f"3.98\n{full_name('3.12')}\n3.99\n")
    pyenv, pyshim = tools.pyenv("which", "no-such-tool"), tools.pyshim("which", "no-such-tool")
    assert pyenv.status == pyshim.status == 127
    assert all(name in pyshim.stderr for name in ("'3.98'", "'3.99'", "no-such-tool")), pyshim.stderr
    assert tools.pyenv("exec", "no-such-tool").status == tools.pyshim("exec", "no-such-tool").status == 127


def test_kept_different_nothing_selected_is_installed(tools: Tools) -> None:
    """pyenv's shims then run the system's python3 without a word; pyshim names what is missing."""
    (tools.work / ".python-version").write_text("3.98\n3.99\n")
    assert tools.names() == {"pyenv": (1, []), "pyshim": (1, [])}
    assert tools.pyenv("exec", "python3", "-c", "pass").status == 0
    for result in (tools.pyshim("exec", "python3", "-c", "pass"), tools.shim("python3", "-c", "pass")):
        assert result.status == 1 and "'3.98', '3.99' are not installed" in result.stderr


# 3. A command no selected version has runs from system.

def test_commands_missing_from_the_selection_run_from_system(tools: Tools) -> None:
    (tools.work / ".python-version").write_text(f"{full_name('3.12')}\n")
    pyenv, pyshim = tools.pyenv("which", "bash"), tools.pyshim("which", "bash")
    assert pyenv.status == pyshim.status == 0 and pyenv.stdout == pyshim.stdout == f"{shutil.which('bash', path=CLEAN_PATH)}\n"
    code = 'echo "$PATH"'
    runs = [tools.pyenv("exec", "bash", "-c", code), tools.pyshim("exec", "bash", "-c", code)]
    assert [tools.ran(Result(r.status, "x\n" + r.stdout, "")).path for r in runs] == [CLEAN_PATH.split(":")] * 2
    assert runs[0].status == runs[1].status == 0


def test_kept_different_a_versioned_name_outside_the_selection(tools: Tools) -> None:
    """`python3.11` under a 3.12 pin: pyenv runs the system's python3.11 (or nothing); pyshim the
    best installed 3.11, managed first (its bin folder first on PATH)."""
    (tools.work / ".python-version").write_text(f"{full_name('3.12')}\n")
    runs = tools.run_everywhere("python3.11")
    system = shutil.which("python3.11", path=CLEAN_PATH)
    if system:
        assert runs["pyenv exec"] == Ran(0, system, CLEAN_PATH.split(":"))
    else:
        assert runs["pyenv exec"].status == 127
    managed = versions_bin(tools, full_name("3.11"))
    assert runs["pyshim exec"] == runs["pyshim shim"] == Ran(0, f"{managed}/python3.11", [managed, *CLEAN_PATH.split(":")])


# 4. `system` in a list keeps PATH as it is for the child.

@pytest.mark.parametrize("value, command, expect", [
    ("system:{v312}", "python3", "system"),
    ("{v312}:system", "python3", "3.12"),
    ("system:{v312}", "python3.12", "3.12"),
    ("{v311}:{v312}", "python3.12", "3.12"),
])
def test_system_in_a_list_keeps_path(tools: Tools, value: str, command: str, expect: str) -> None:
    v312, v311 = full_name("3.12"), full_name("3.11")
    env = {"PYENV_VERSION": value.format(v312=v312, v311=v311)}
    ran = assert_same_everywhere(tools.run_everywhere(command, env=env))
    assert ran.status == 0
    if expect == "system":
        assert ran.executable == shutil.which(command, path=CLEAN_PATH) and ran.path == CLEAN_PATH.split(":")
    else:
        assert ran.path == [versions_bin(tools, v312), *CLEAN_PATH.split(":")]


# 5. pyenv-virtualenv venvs: `VERSION/envs/NAME` and the short link.

@pytest.mark.parametrize("where", ["file", "PYENV_VERSION"])
@pytest.mark.parametrize("name", ["{v312}/envs/foo", "foo"])
def test_pyenv_virtualenv_venvs_are_selected_by_name(tools: Tools, where: str, name: str) -> None:
    name = name.format(v312=full_name("3.12"))
    env: Dict[str, str] = {}
    if where == "file":
        (tools.work / ".python-version").write_text(f"{name}\n")
    else:
        env["PYENV_VERSION"] = name
    assert tools.names(env=env) == {"pyenv": (0, [name]), "pyshim": (0, [name])}
    ran = assert_same_everywhere(tools.run_everywhere("python", env=env))
    assert ran.status == 0 and ran.executable == f"{versions_bin(tools, name)}/python"


def test_kept_different_a_name_leading_out_of_the_versions_folder(tools: Tools) -> None:
    """pyenv ignores it with a warning (and, the file then empty, says system); pyshim refuses."""
    (tools.work / ".python-version").write_text(f"{full_name('3.12')}/envs/../../../../bin\n")
    pyenv, pyshim = tools.pyenv("version-name"), tools.pyshim("version", "--bare")
    assert (pyenv.status, pyenv.stdout) == (0, "system\n") and "invalid version" in pyenv.stderr
    assert pyshim.status == 1 and "leads out of pyenv's versions folder" in pyshim.stderr


# 6. `versions`: links as their own entries, dot folders, --bare, --skip-aliases.

@pytest.mark.parametrize("options", [["--bare"], ["--bare", "--skip-aliases"], ["--bare", "--skip-envs"]])
def test_versions_bare_lists_the_same_names(tools: Tools, options: List[str]) -> None:
    pyenv, pyshim = tools.pyenv("versions", *options), tools.pyshim("versions", *options)
    assert pyenv.status == pyshim.status == 0
    assert pyenv.stdout.splitlines() == pyshim.stdout.splitlines()
    assert (".dot" in pyshim.stdout, "2.7\n" in pyshim.stdout) == (True, True)
    assert ("\nfoo\n" in pyshim.stdout) == ("--skip-aliases" not in options)
    assert ("/envs/foo" in pyshim.stdout) == ("--skip-envs" not in options)


@pytest.mark.parametrize("args", [["python"], ["--path", "pip"], ["no-such-tool"]])
def test_whence_lists_the_same_versions_in_the_same_order(tools: Tools, args: List[str]) -> None:
    pyenv, pyshim = tools.pyenv("whence", *args), tools.pyshim("whence", *args)
    assert (pyenv.status, pyenv.stdout) == (pyshim.status, pyshim.stdout)
    assert ("foo\n" in pyshim.stdout) == (args == ["python"])


def test_versions_long_form_shows_links(tools: Tools) -> None:
    (tools.work / ".python-version").write_text("2.7\n")

    def entries(text: str, pyshim: bool) -> List[str]:
        rows = [line[2:].split("  ")[0] if pyshim else line[2:].split(" (set by")[0] for line in text.splitlines()]
        return sorted(row for row in rows if row.strip() and row != "system")

    pyenv, pyshim = tools.pyenv("versions"), tools.pyshim("versions")
    assert entries(pyenv.stdout, False) == entries(pyshim.stdout, True)
    assert "2.7 --> " + full_name("2.7") in pyshim.stdout
    assert [line[:6] for line in pyenv.stdout.splitlines() if line.startswith("*")] == ["* 2.7 "]
    assert [line[:6] for line in pyshim.stdout.splitlines() if line.startswith("*")] == ["* 2.7 "]


def test_no_python_anywhere(tools: Tools, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """pyenv says so and exits 1; so does pyshim (in-process: this machine's /usr/bin has a python3,
    which pyshim finds off PATH too, so its system folders are emptied for the check)."""
    empty_root, tools_bin = tmp_path / "empty-pyenv", tmp_path / "bin"
    (empty_root / "versions").mkdir(parents=True)
    tools_bin.mkdir()
    for folder in ("/usr/bin", "/bin"):  # pyenv needs bash and coreutils, but no python
        for entry in Path(folder).iterdir():
            if not entry.name.startswith("python") and not (tools_bin / entry.name).exists():
                (tools_bin / entry.name).symlink_to(entry)
    pyenv = subprocess.run([str(PYENV), "versions"], env=dict(os.environ, PYENV_ROOT=str(empty_root), PATH=str(tools_bin)),
                           capture_output=True, text=True)
    assert pyenv.returncode == 1 and "no Python" in pyenv.stderr
    from pyshim import cli
    from pyshim.interpreters.discovery import sources

    monkeypatch.setattr(sources, "SYSTEM_DIRS", ())
    monkeypatch.setenv("PYENV_ROOT", str(empty_root))
    monkeypatch.setenv("PATH", str(tools_bin))
    assert cli.main(["versions"]) == 1
    assert "no Python found" in capsys.readouterr().err


# 7. local and global without names.

def test_local_shows_the_nearest_file_and_takes_dash_f(tools: Tools) -> None:
    deep = tools.work / "a" / "b"
    deep.mkdir(parents=True)
    none = tools.pyenv("local", cwd=deep), tools.pyshim("local", cwd=deep)
    assert none[0].status == none[1].status == 1
    (tools.work / ".python-version").write_text(f"{full_name('3.12')}  note\n3.11\n")
    shown = tools.pyenv("local", cwd=deep), tools.pyshim("local", cwd=deep)
    assert shown[0] == shown[1] and shown[0].status == 0
    for tool in (tools.pyenv, tools.pyshim):
        assert tool("local", "-f", "3.99", cwd=deep).status == 0
        assert (deep / ".python-version").read_text() == "3.99\n"
        (deep / ".python-version").unlink()


def test_global_shows_pyenvs_global_file(tools: Tools) -> None:
    assert tools.pyenv("global").stdout == tools.pyshim("global").stdout == "system\n"
    global_file = tools.root / "version"
    try:
        global_file.write_text("3.11\n")
        pyenv, pyshim = tools.pyenv("global"), tools.pyshim("global")
        assert pyenv == pyshim and pyenv.stdout == "3.11\n"
        assert tools.names()["pyenv"] == tools.names()["pyshim"] == (0, [full_name("3.11")])
    finally:
        global_file.unlink()


# 8. shell: through each tool's shell function, in bash.

def test_shell_function_story(tools: Tools, tmp_path: Path) -> None:
    v312 = full_name("3.12")
    wrapper = pyshim_bin(tmp_path / "bin") / "pyshim"
    story = ('{tool} shell {v}; echo "A=${V-unset}"; {tool} shell --unset; echo "B=${V-unset}"; '
             '{tool} shell -; echo "C=${V-unset}"; {tool} shell -; echo "D=${V-unset}"; '
             'export PYENV_VERSION=3.11; {tool} shell; {tool} shell --unset; echo "E=${PYENV_VERSION-unset}"')
    outputs = {}
    for tool, variable, init, path in (("pyenv", "PYENV_VERSION", f'"$({PYENV} init -)"', PYENV.parent),
                                       ("pyshim", "PYSHIM_VERSION", '"$(pyshim init bash)"', wrapper.parent)):
        script = f"eval {init}; " + story.replace("{tool}", tool).replace("{v}", v312).replace("${V-", "${" + variable + "-")
        done = subprocess.run(["bash", "--norc", "-c", script], env=dict(tools.env(tools.work, None),
                              PATH=f"{path}:{CLEAN_PATH}"), capture_output=True, text=True, cwd=tools.work)
        outputs[tool] = done.stdout
    assert outputs["pyenv"] == outputs["pyshim"] == f"A={v312}\nB=unset\nC={v312}\nD=unset\n3.11\nE=unset\n"


def test_shell_without_integration_says_so(tools: Tools) -> None:
    pyenv, pyshim = tools.pyenv("shell", "3.12"), tools.pyshim("shell", "3.12")
    assert pyenv.status == pyshim.status == 1 and pyshim.stdout == ""
    assert "shell integration not enabled" in pyenv.stderr and "shell integration is not enabled" in pyshim.stderr


# 9. PYENV_DIR: where the search for .python-version starts.

def test_pyenv_dir_moves_where_the_search_starts(tools: Tools, tmp_path: Path) -> None:
    v312, v311 = full_name("3.12"), full_name("3.11")
    (tools.work / ".python-version").write_text(f"{v312}\n")
    other = tmp_path / "other" / "deep"
    other.mkdir(parents=True)
    env = {"PYENV_DIR": str(other)}
    assert tools.names(env=env) == {"pyenv": (0, [v312]), "pyshim": (0, [v312])}  # nothing there: from PWD
    (other.parent / ".python-version").write_text(f"{v311}\n")
    assert tools.names(env=env) == {"pyenv": (0, [v311]), "pyshim": (0, [v311])}
    ran = assert_same_everywhere(tools.run_everywhere("python", env=env))
    assert ran.executable == f"{versions_bin(tools, v311)}/python"
    missing = {"PYENV_DIR": str(tmp_path / "missing")}
    assert tools.pyenv("version-name", env=missing).status == tools.pyshim("version", env=missing).status == 1
