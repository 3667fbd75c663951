"""Seeding: install pip (setuptools, wheel) into a new venv from the target's ensurepip wheels.

Part of the `venv/` action step, called by `EnvBuilder` after the interpreter is in place. No
pip runs and nothing is downloaded: the wheel bundled with the target (`PythonInfo.
ensurepip_wheels`) is unpacked once into the cache (`wheel_cache.py`) and linked into the venv;
then this module writes what an installer writes: console scripts with the venv's interpreter as
their shebang (pip, pip3, pip3.Y, as pip itself names them), `INSTALLER` ("pyshim") and a
`RECORD` that lists every file, so `pip uninstall pip` and `pip install -U pip` work.

Files land in the venv being built (possibly a temporary folder beside the final one), but the
scripts name the interpreter at its final path, passed separately.
"""

from __future__ import annotations

import os

from pyshim.base.errors import VenvError
from pyshim.interpreters.pyinfo import PythonInfo
from pyshim.venv.wheel_cache import WheelEntry, cached_wheel, link_files, record_hash, unpack_uncached

MAX_SHEBANG = 127  # Linux's historical limit (distlib uses it too); longer lines go through /bin/sh
INSTALLER = "pyshim"
_SCRIPT = """\
{shebang}
# -*- coding: utf-8 -*-
import re
import sys
from {module} import {import_name}
if __name__ == '__main__':
    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])
    sys.exit({call}())
"""


def _version_key(wheel: str) -> Tuple[int, ...]:
    version = os.path.basename(wheel).split("-")[1] if os.path.basename(wheel).count("-") >= 2 else ""
    return tuple(int(part) if part.isdigit() else -1 for part in version.split("."))


def bundled_wheels(info: PythonInfo) -> Dict[str, str]:
    """Project name -> the newest bundled wheel of it (a patched install may hold two pips)."""
    found: Dict[str, str] = {}
    for wheel in info.ensurepip_wheels:
        project = os.path.basename(wheel).split("-")[0].lower()
        if project not in found or _version_key(wheel) > _version_key(found[project]):
            found[project] = wheel
    return found


def ensurepip_set(info: PythonInfo) -> Tuple[str, ...]:
    """What `python -m ensurepip` installs for this target: pip, and setuptools where it is
    bundled and the target is older than 3.12 (3.12 dropped it from ensurepip)."""
    if info.release[:2] < (3, 12) and "setuptools" in bundled_wheels(info):
        return ("pip", "setuptools")
    return ("pip",)


def choose_wheels(info: PythonInfo, packages: Sequence[str]) -> List[str]:
    bundled = bundled_wheels(info)
    missing = [name for name in packages if name not in bundled]
    if missing:
        have = ", ".join(sorted(bundled)) or "nothing"
        raise VenvError(
            f"Python {info.version} ({info.executable}) does not bundle {', '.join(missing)} (its ensurepip has {have}); "
            f"leave {'it' if len(missing) == 1 else 'them'} out of --seed and install with pip, or use --without-pip"
        )
    return [bundled[name] for name in packages]


def shebang(python: str) -> str:
    """`#!python`, or the /bin/sh trick when the path is too long or has spaces (as distlib does)."""
    if len(python.encode("utf-8", "surrogateescape")) + 2 <= MAX_SHEBANG and not any(c.isspace() for c in python):
        return f"#!{python}"
    if "'''" in python or "\n" in python:
        raise VenvError(f"{python!r} cannot be written into a script; choose a simpler venv path")
    # sh double quotes keep it one word; \\ and \" are valid escapes in Python's string too, while
    # $ and ` would not be, so they go in single quotes: "...""'$'""..."
    escaped = python.replace("\\", "\\\\").replace('"', '\\"')
    quoted = '"' + escaped.replace("$", "\"'$'\"").replace("`", "\"'`'\"") + '"'
    return f"#!/bin/sh\n'''exec' {quoted} \"$0\" \"$@\"\n' '''"


def console_scripts(entry: WheelEntry, minor: str) -> Dict[str, str]:
    """Name -> "module:attr", with pip's renaming: pipX.Y/easy_install-X.Y for the target's X.Y."""
    scripts: Dict[str, str] = {}
    section = None
    for line in entry.entry_points().splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line.strip("[]").strip()
        elif section == "console_scripts" and "=" in line:
            name, _, target = line.partition("=")
            scripts[name.strip()] = target.strip()
    for base, separator in (("pip", ""), ("easy_install", "-")):
        if base in scripts:  # pip's own renaming: drop the wheel's pipX.Y, add the target's
            scripts = {name: target for name, target in scripts.items() if not _versioned(name, base + separator)}
            scripts[f"{base}{separator}{minor}"] = scripts[base]
            if base == "pip":
                scripts[f"pip{minor.split('.')[0]}"] = scripts[base]
    return scripts


def _versioned(name: str, stem: str) -> bool:
    """pip3, pip3.11, easy_install-3.6 (stem "pip" or "easy_install-"); without a regex compile."""
    rest = name[len(stem):]
    parts = rest.split(".")
    return name.startswith(stem) and len(parts) <= 2 and all(part.isdigit() for part in parts)


def render_script(python: str, target: str) -> str:
    module, _, attr = target.partition(":")
    attr = attr.split("[")[0].strip() or "main"
    return _SCRIPT.format(shebang=shebang(python), module=module.strip(), import_name=attr.split(".")[0], call=attr)


def install_wheel(entry: WheelEntry, *, site_packages: str, bin_dir: str, final_python: str, minor: str,
                  final_bin_dir: str, final_site_packages: str) -> List[str]:
    """Link `entry` into the venv, write its scripts, INSTALLER and RECORD; returns script names."""
    link_files(entry, site_packages)
    record: List[Tuple[str, str, str]] = [(path, digest, str(size)) for path, size, _, digest in entry.files]
    written = []
    for name, target in sorted(console_scripts(entry, minor).items()):
        data = render_script(final_python, target).encode("utf-8")
        path = os.path.join(bin_dir, name)
        with open(path, "wb") as handle:
            handle.write(data)
        os.chmod(path, 0o755)
        relative = os.path.relpath(os.path.join(final_bin_dir, name), final_site_packages).replace(os.sep, "/")
        record.append((relative, record_hash(data), str(len(data))))
        written.append(name)
    installer = (INSTALLER + "\n").encode("utf-8")
    with open(os.path.join(site_packages, entry.dist_info, "INSTALLER"), "wb") as handle:
        handle.write(installer)
    record.append((f"{entry.dist_info}/INSTALLER", record_hash(installer), str(len(installer))))
    record.append((f"{entry.dist_info}/RECORD", "", ""))
    with open(os.path.join(site_packages, entry.dist_info, "RECORD"), "w", encoding="utf-8", newline="") as handle:
        handle.write("".join(f"{_csv_field(path)},{digest},{size}\n" for path, digest, size in record))
    return written


def _csv_field(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\n') else value


def seed(info: PythonInfo, packages: Sequence[str], *, site_packages: str, bin_dir: str, final_python: str,
         final_bin_dir: str, final_site_packages: str) -> List[str]:
    """Install `packages` from the target's bundled wheels; returns the console scripts written."""
    scripts: List[str] = []
    for wheel in choose_wheels(info, packages):
        scratch = None
        try:
            entry = cached_wheel(wheel)
        except OSError:  # the cache folder cannot be written (read-only, full, not a folder): this venv only
            scratch = site_packages + ".pyshim-unpack"
            entry = unpack_uncached(wheel, scratch)
        try:
            scripts += install_wheel(entry, site_packages=site_packages, bin_dir=bin_dir, final_python=final_python,
                                     minor="%d.%d" % info.release[:2], final_bin_dir=final_bin_dir,
                                     final_site_packages=final_site_packages)
        finally:
            if scratch is not None:
                from pyshim.base.fsutil import remove_tree

                remove_tree(scratch)
    return scripts
