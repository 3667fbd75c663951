"""`EnvBuilder`: the stdlib's venv builder, for any interpreter pyshim finds.

The `venv/` action step. Same public API as CPython's `venv.EnvBuilder` (constructor arguments,
`create()`, and the overridable steps `ensure_directories`, `create_configuration`,
`setup_python`, `setup_scripts`, `post_setup`, `upgrade_dependencies`, `clear_directory`,
`create_git_ignore_file`), plus `python=` naming the target (a request string or a
`PythonInfo`; default: the running interpreter, as the stdlib). The layout comes from the
target's `PythonInfo` (`layout.py`); nothing runs inside the target unless a step needs pip
(`upgrade_deps`, or a subclass's own `post_setup`).

Two sets of rules for what is at the path: the stdlib's (default: write over an existing
folder in place, `clear` replaces whatever is there) and, with `strict=True`, the `pyshim venv`
command's (refuse an existing venv without clear/upgrade, refuse a non-venv folder, `clear`
only what looks like a venv unless `force`). Either way one process at a time builds a path
(`staging.path_lock`), and leftovers of killed runs are swept first.

All or nothing for a new or cleared path (the mechanics are in `staging.py`): `create()` builds the interpreter,
pyvenv.cfg and the seeded packages in a temporary folder beside PATH, then renames it into
place; only the short steps that embed the final path or that user code may run
(`setup_scripts`, `post_setup`) run after the rename, with the context pointing at the final
folder, and a failure there removes the venv again (and puts back the one `--clear` replaced).
Files that embed the venv's path (script shebangs, pyvenv.cfg) are rendered with the final path
while building.
"""

from __future__ import annotations

import os
import sys

from pyshim.base.errors import VenvError
from pyshim.interpreters.pyinfo import PythonInfo
from pyshim.venv.config import render_config
from pyshim.venv.layout import VenvLayout, base_executable, check_supported, plan_layout
from pyshim.venv.options import check_modes
from pyshim.venv.existing import Existing, check_venv_path, inspect_path, listdir, name_list
from pyshim.venv.staging import Staged, as_venv_error, final_path, path_lock, retarget, shutil_module, sweep_leftovers

SimpleNamespace = type(sys.implementation)  # what `types` defines it as, without importing `types`

CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by pyshim (a virtual environment).\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
GITIGNORE = "# Created by pyshim; a virtual environment is never committed\n*\n"


class EnvBuilder:
    """Build a venv for `python` (see module docstring); a drop-in for `venv.EnvBuilder`."""

    def __init__(self, system_site_packages: bool = False, clear: bool = False, symlinks: bool = False,
                 upgrade: bool = False, with_pip: bool = False, prompt: Optional[str] = None,
                 upgrade_deps: bool = False, *, scm_ignore_files: Iterable[str] = frozenset(),
                 python: Union[str, PythonInfo, None] = None, seed: Optional[Sequence[str]] = None,
                 force: bool = False, command: Optional[str] = None, strict: bool = False) -> None:
        check_modes(clear=clear, upgrade=upgrade)
        self.system_site_packages = system_site_packages
        self.clear = clear
        self.symlinks = symlinks
        self.upgrade = upgrade
        self.with_pip = with_pip
        self.orig_prompt = prompt
        self.prompt = os.path.basename(os.getcwd()) if prompt == "." else prompt
        self.upgrade_deps = upgrade_deps
        self.scm_ignore_files = frozenset(name.lower() for name in scm_ignore_files)
        self.python = python
        self._seed = None if seed is None else tuple(seed)
        self.force = force
        self.command = command
        self.strict = strict
        self.seeded_scripts: Tuple[str, ...] = ()
        self._info: Optional[PythonInfo] = None
        self.completed = False

    @property
    def seed(self) -> Tuple[str, ...]:
        """What `with_pip` installs: as given, else what the target's ensurepip installs (pip,
        plus setuptools before 3.12 when its ensurepip bundles it)."""
        if self._seed is not None:
            return self._seed
        from pyshim.venv.seed import ensurepip_set

        return ensurepip_set(self.target)

    @seed.setter
    def seed(self, value: Optional[Sequence[str]]) -> None:
        self._seed = None if value is None else tuple(value)

    # -- the target ------------------------------------------------------------------------
    @property
    def target(self) -> PythonInfo:
        """The interpreter this builder targets, resolved once on first use."""
        if self._info is None:
            from pyshim.venv.target import resolve_target

            self._info = resolve_target(self.python)
            check_supported(self._info)
        return self._info

    # -- create: the fixed sequence of steps -----------------------------------------------
    def create(self, env_dir: Union[str, "os.PathLike[str]"]) -> None:
        """Build the venv at `env_dir`. `self.completed` turns true the moment the venv is whole at
        its path, so a caller that catches a late KeyboardInterrupt can tell whether it stopped
        anything."""
        self.completed = False
        final = os.path.abspath(os.fspath(env_dir))
        check_venv_path(final, None if self.prompt is None else str(self.prompt))
        info = self.target
        base = base_executable(info)
        if not os.access(base, os.X_OK):
            raise VenvError(f"the interpreter {base} (for {info.name}) is gone or not executable; "
                            "see `pyshim versions` for what is installed")
        parent = os.path.dirname(final)
        try:
            os.makedirs(parent, exist_ok=True)
        except OSError as error:
            raise VenvError(f"cannot create a venv in {parent}: {error.strerror}; pick a folder you can write to") from None
        with path_lock(final):
            sweep_leftovers(final)
            existing = inspect_path(final)
            if existing.kind == "file":
                raise NotAFolderError(f"Unable to create directory {final!r}: it is a file, not a folder; "
                                      "pick another path for the venv")
            if self.upgrade:
                if self.strict and existing.kind != "venv":
                    raise VenvError(f"--upgrade: {final} is not a venv ({existing.reason or 'it is empty'}); "
                                    "create it without --upgrade")
                if self.strict:
                    from pathlib import Path

                    from pyshim.venv.rebase import check_fits

                    check_fits(Path(final), info)
                context = self._create_in_place(final, full=False)
            elif self.strict:
                self._check_replace(final, existing)
                context = self._replace(final, existing, info)
            elif self.clear or existing.kind in ("missing", "empty"):
                context = self._replace(final, existing, info)
            else:  # the stdlib writes over what is there: so does its drop-in
                context = self._create_in_place(final, full=True)
        if self.upgrade_deps:
            self.upgrade_dependencies(context)

    def _replace(self, final: str, existing: Existing, info: PythonInfo) -> SimpleNamespace:
        """Build beside `final`, rename into place, finish there; all or nothing (`staging.Staged`)."""
        with Staged(final, existing.kind) as staged:
            context = self._build(staged.path, info)
            staged.commit()
            retarget(context, staged.path, final)
            self._finish(context)
            self.completed = True
        return context

    def _build(self, env_dir: str, info: PythonInfo) -> SimpleNamespace:
        context = self.ensure_directories(env_dir)
        for scm in sorted(self.scm_ignore_files):
            getattr(self, f"create_{scm}_ignore_file")(context)
        self._configure(context, seed=self.with_pip)
        return context

    def _configure(self, context: SimpleNamespace, seed: bool) -> None:
        """pyvenv.cfg, the interpreter and (with `seed`) pip; as the stdlib does (bpo-24875),
        system site-packages stay hidden until that is done."""
        true_system_site_packages = self.system_site_packages
        self.system_site_packages = False
        try:
            self.create_configuration(context)
            self.setup_python(context)
            if seed:
                self._setup_pip(context)
        finally:
            self.system_site_packages = true_system_site_packages

    def _finish(self, context: SimpleNamespace) -> None:
        """The steps after the rename (`_replace` only; --upgrade refreshes in place)."""
        self.setup_scripts(context)
        self.post_setup(context)
        if self.system_site_packages:
            self.create_configuration(context)

    def _create_in_place(self, final: str, full: bool) -> SimpleNamespace:
        """--upgrade (`full` false): point an existing venv at its (upgraded) interpreter, packages
        stay, scripts are not rewritten (as the stdlib's; with `strict`, the `pyshim venv` command,
        activation scripts pyshim wrote are, so they follow the new base). `full`: every step, in
        place, over what is there (the stdlib's create() on an existing folder); not all or nothing."""
        try:
            context = self.ensure_directories(final)
            if full:
                for scm in sorted(self.scm_ignore_files):
                    getattr(self, f"create_{scm}_ignore_file")(context)
            self._configure(context, seed=self.with_pip and not any(
                name.startswith("pip-") for name in listdir(context.lib_path)))
            if full:
                self.setup_scripts(context)
                self.post_setup(context)
            elif self.strict and _scripts_are_pyshims(context.bin_path):
                self.setup_scripts(context)
            if self.system_site_packages:
                self.create_configuration(context)
            self.completed = True
        except OSError as error:
            raise as_venv_error(error, final, f"{final} may be partly refreshed; run the same command again") from error
        return context

    def _check_replace(self, final: str, existing: Existing) -> None:
        if existing.kind in ("missing", "empty"):
            return
        if existing.kind == "file":
            raise VenvError(f"{final} is a file, not a folder; pick another path for the venv")
        if not self.clear:
            if existing.kind == "venv":
                raise VenvError(f"{final} is already a venv; add --clear to replace it, or --upgrade to refresh it")
            raise VenvError(f"{final} is a non-empty folder that is not a venv ({existing.reason}); "
                            "nothing was changed; pick an empty or new folder")
        if not existing.replaceable and not self.force:
            raise VenvError(f"{final} does not look like a venv ({existing.reason}), so --clear would delete "
                            f"{name_list(existing.strays)}; nothing was changed; add --force to delete them anyway")

    # -- the overridable steps, as in the stdlib ---------------------------------------------
    @classmethod
    def _same_path(cls, path1: str, path2: str) -> bool:
        """The stdlib's (3.13) check whether two paths read the same: on POSIX, equal strings."""
        return path1 == path2

    def clear_directory(self, path: str) -> None:
        for name in os.listdir(path):
            full = os.path.join(path, name)
            if os.path.islink(full) or not os.path.isdir(full):
                os.remove(full)
            else:
                shutil_module().rmtree(full)

    def ensure_directories(self, env_dir: str) -> SimpleNamespace:
        """Create the venv's folders; return the stdlib's context (same attribute names)."""
        env_dir = os.path.abspath(os.fspath(env_dir))
        final = final_path(env_dir)  # the build folder's final path, while `Staged` builds beside it
        check_venv_path(final, None if self.prompt is None else str(self.prompt))
        layout = plan_layout(self.target, env_dir)
        context = SimpleNamespace()
        context.env_dir = env_dir
        context.env_name = os.path.basename(final)
        context.prompt = stdlib_prompt(self.prompt if self.prompt is not None else context.env_name,
                                       self.target.release)
        context.executable = layout.base_executable
        context.python_dir = layout.python_dir
        context.python_exe = layout.python_exe
        context.inc_path = layout.include_dir
        context.lib_path = layout.purelib
        context.bin_path = layout.bin_dir
        context.bin_name = os.path.relpath(layout.bin_dir, env_dir)
        context.env_exe = layout.env_exe
        context.env_exec_cmd = layout.env_exe
        context.cfg_path = os.path.join(env_dir, "pyvenv.cfg")
        context.pyshim_final_dir = final
        context.pyshim_info = self.target
        context.pyshim_layout = layout
        context.pyshim_final_layout = plan_layout(self.target, final) if final != env_dir else layout
        for folder in sorted({env_dir, layout.include_dir, layout.purelib, layout.platlib, layout.bin_dir}):
            if os.path.islink(folder) or os.path.isfile(folder):  # the stdlib's check and error
                raise NotAFolderError(f"Unable to create directory {folder!r}: a file is in the way; "
                                      "remove it or pick another path")
            os.makedirs(folder, exist_ok=True)
        lib64 = os.path.join(env_dir, "lib64")
        if layout.lib64_link and not os.path.lexists(lib64):
            os.symlink("lib", lib64)
        return context

    def create_configuration(self, context: SimpleNamespace) -> None:
        context.cfg_path = path = os.path.join(context.env_dir, "pyvenv.cfg")
        text = render_config(self.target, context.pyshim_layout, system_site_packages=self.system_site_packages,
                             prompt=self.prompt, command=self.command or self._command_line(context))
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)

    def setup_python(self, context: SimpleNamespace) -> None:
        """The interpreter as links (or copies) under its own name and python, python3, python3.Y."""
        layout: VenvLayout = context.pyshim_layout
        source = layout.base_executable if self.symlinks else os.path.realpath(layout.base_executable)
        if os.path.lexists(context.env_exe):  # --upgrade: the interpreter may have moved
            os.unlink(context.env_exe)
        self.symlink_or_copy(source, context.env_exe)
        paths = [context.env_exe]
        for name in layout.executable_names:
            path = os.path.join(context.bin_path, name)
            if self.upgrade and os.path.lexists(path):  # a copy or link of the old base's: refresh it
                os.unlink(path)
            if not os.path.lexists(path):
                self.symlink_or_copy(context.env_exe, path, relative_symlinks_ok=True)
                paths.append(path)
        for path in paths:
            if not os.path.islink(path):
                os.chmod(path, 0o755)

    def _setup_pip(self, context: SimpleNamespace) -> None:
        """Seed pip (and what `seed` names) from the target's bundled wheels; no pip runs."""
        from pyshim.venv.seed import seed

        final: VenvLayout = context.pyshim_final_layout
        self.seeded_scripts = tuple(seed(
            self.target, self.seed, site_packages=context.lib_path, bin_dir=context.bin_path,
            final_python=final.env_exe, final_bin_dir=final.bin_dir, final_site_packages=final.purelib,
        ))

    def setup_scripts(self, context: SimpleNamespace) -> None:
        """Activation scripts for every shell (pyshim.activation), written with the final path."""
        from pyshim.activation import write_activation_scripts
        from pyshim.activation.render import prompt_variable_rule

        prompt = str(self.prompt) if self.prompt is not None else context.env_name  # context.prompt may be "(x) "
        written = write_activation_scripts(context.env_dir, prompt, bin_dir=context.bin_path,
                                           site_packages=context.lib_path,
                                           prompt_variable=prompt_variable_rule(self.target.release))
        if written:
            context.script_path = written[-1]  # newer stdlibs leave the last script here, as install_scripts does

    def post_setup(self, context: SimpleNamespace) -> None:
        """Hook for subclasses; runs once the venv is at its final path."""

    def symlink_or_copy(self, src: str, dst: str, relative_symlinks_ok: bool = False) -> None:
        """As the stdlib's: a symlink when `symlinks` is set (and works), else a copy."""
        if self.symlinks:
            try:
                os.symlink(os.path.basename(src) if relative_symlinks_ok else src, dst)
                return
            except OSError:
                pass
        shutil_module().copyfile(src, dst)

    def replace_variables(self, text: str, context: SimpleNamespace) -> str:
        """The stdlib's placeholders: __VENV_DIR__, __VENV_NAME__, __VENV_PROMPT__, __VENV_BIN_NAME__,
        __VENV_PYTHON__."""
        for name, value in (("__VENV_DIR__", context.env_dir), ("__VENV_NAME__", context.env_name),
                            ("__VENV_PROMPT__", context.prompt), ("__VENV_BIN_NAME__", context.bin_name),
                            ("__VENV_PYTHON__", context.env_exe)):
            text = text.replace(name, value)
        return text

    def install_scripts(self, context: SimpleNamespace, path: str) -> None:
        """As the stdlib's: copy `path`/common and `path`/posix into the bin folder, text files with
        their placeholders replaced (see `replace_variables`)."""
        for top in ("common", os.name):
            source_root = os.path.join(path, top)
            for folder, _, files in os.walk(source_root):
                target_dir = os.path.join(context.bin_path, os.path.relpath(folder, source_root))
                os.makedirs(target_dir, exist_ok=True)
                for name in files:
                    context.script_path = os.path.join(folder, name)  # newer stdlibs quote by its suffix
                    with open(context.script_path, "rb") as handle:
                        data = handle.read()
                    try:
                        data = self.replace_variables(data.decode("utf-8"), context).encode("utf-8")
                    except UnicodeDecodeError:
                        pass  # a binary file is copied as it is
                    target = os.path.join(target_dir, name)
                    with open(target, "wb") as handle:
                        handle.write(data)
                    shutil_module().copymode(os.path.join(folder, name), target)

    def create_git_ignore_file(self, context: SimpleNamespace) -> None:
        """`.gitignore` ignoring everything, and a CACHEDIR.TAG so backup tools skip the venv."""
        with open(os.path.join(context.env_dir, ".gitignore"), "w", encoding="utf-8") as handle:
            handle.write(GITIGNORE)
        with open(os.path.join(context.env_dir, "CACHEDIR.TAG"), "w", encoding="utf-8") as handle:
            handle.write(CACHEDIR_TAG)

    def upgrade_dependencies(self, context: SimpleNamespace) -> None:
        """`python -m pip install --upgrade pip` (and setuptools before 3.12) in the venv, called
        as the target's stdlib calls it; see `pyshim.venv.upgrade`. Needs the network."""
        from pyshim.venv.upgrade import upgrade_dependencies

        upgrade_dependencies(self, context)

    def _call_new_python(self, context: SimpleNamespace, *py_args: str, extra_env: Optional[dict] = None,
                         **kwargs: Any) -> Any:
        """Run the venv's python as the stdlib does (gh-98251): VIRTUAL_ENV set, PYTHONHOME and
        PYTHONPATH dropped, in the venv folder; returns what `check_output` returns."""
        import subprocess

        env = dict(os.environ, VIRTUAL_ENV=context.env_dir, **(extra_env or {}))
        env.pop("PYTHONHOME", None)
        env.pop("PYTHONPATH", None)
        kwargs.update(env=env, cwd=context.env_dir, executable=context.env_exec_cmd)
        return subprocess.check_output([context.env_exec_cmd, *py_args], **kwargs)

    def _command_line(self, context: SimpleNamespace) -> str:
        from pyshim.venv.config import command_key

        return command_key(self, context.pyshim_final_dir)


def _scripts_are_pyshims(bin_dir: str) -> bool:
    """bin/activate is missing or pyshim wrote it (a hand-made venv keeps its own scripts)."""
    try:
        with open(os.path.join(bin_dir, "activate"), encoding="utf-8", errors="replace") as handle:
            return "# Written by pyshim." in handle.read(4096)
    except FileNotFoundError:
        return True
    except OSError:
        return False


def stdlib_prompt(prompt: str, release: Tuple[int, ...]) -> str:
    """`context.prompt` as the target's stdlib sets it: `(x) ` before 3.13, `x` from 3.13 on."""
    return prompt if tuple(release[:2]) >= (3, 13) else f"({prompt}) "


class NotAFolderError(VenvError, ValueError):
    """A file where a venv folder must go: the stdlib raises ValueError, so this is one too."""
