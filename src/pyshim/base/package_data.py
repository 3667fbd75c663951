"""Package data: the one loader for the template files shipped inside the pyshim package.

Stage 0 (base), beside `paths`: in, a folder and a file name relative to the package
(`shim_templates/shim.sh`, `activation/templates/activate`, `shell/templates/bash.sh`); out,
that file's path or its text. The actions that render templates call it: `shims.rehash` (the
sh and .cmd shims, the front-end; `shim_templates` is a symlink to the top-level `shims/` folder
in the source tree, real files in a wheel), `activation.render` (the activation scripts) and
`shell` (the `pyshim init` code, and the folder of the static tcsh files it sources).

Files are read beside this package with `open`, not through importlib.resources, whose import
(tempfile, shutil, zipfile) costs milliseconds on every command that renders one; pyshim is
never run from a zip.
"""

from __future__ import annotations

import os

PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def data_path(*parts: str) -> str:
    """The path of package data `parts` (folders, then the file name) under the pyshim package."""
    return os.path.join(PACKAGE_DIR, *parts)


def read_text(*parts: str) -> str:
    """The text of package data file `parts`, exactly as shipped (UTF-8, line ends untouched)."""
    with open(data_path(*parts), encoding="utf-8", newline="") as handle:
        return handle.read()
