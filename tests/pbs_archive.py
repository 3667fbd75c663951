"""One of this machine's interpreters packed as python-build-standalone packs its install_only
builds: a `python/` folder with `bin/`, `include/` and `lib/pythonX.Y/` (no test suite, no
site-packages content), as a .tar.gz. Stdlib only: `tests/test_install.py`'s `archive` fixture
and `scripts/bench/install` both pack with it.

A copy of a pyenv build runs from another folder: CPython finds its prefix from its own
location, and its libpython through the original, which stays in place (read only).
"""

from __future__ import annotations

import shutil
import tarfile
from pathlib import Path

SKIP = ("test", "idlelib", "tkinter", "turtledemo", "lib2to3", "site-packages")


def pack_install_only(source: Path, target: Path, keep_pycache: bool = True, compresslevel: int = 6) -> Path:
    """`source` (an interpreter's prefix) packed at `target`; `keep_pycache` keeps the stdlib's
    `__pycache__` folders, as real builds ship them."""
    skip = SKIP if keep_pycache else SKIP + ("__pycache__",)
    stage = target.parent / (target.name + ".stage") / "python"
    for folder in ("bin", "include"):
        shutil.copytree(source / folder, stage / folder, symlinks=True)
    stdlib = next((source / "lib").glob("python3.*"))
    shutil.copytree(stdlib, stage / "lib" / stdlib.name, symlinks=True,
                    ignore=lambda folder, names: [n for n in names if n in skip or n.startswith("config-")])
    (stage / "lib" / stdlib.name / "site-packages").mkdir()
    with tarfile.open(target, "w:gz", compresslevel=compresslevel) as tar:
        tar.add(stage, arcname="python")
    shutil.rmtree(stage.parent)
    return target
