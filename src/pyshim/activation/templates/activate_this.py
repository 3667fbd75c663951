"""Activate a Python virtual environment inside a running interpreter.

    exec(open(path_to_this_file).read(), {'__file__': path_to_this_file})

Written by pyshim. Puts the venv's bin folder first on PATH, sets VIRTUAL_ENV and
VIRTUAL_ENV_PROMPT, and adds the venv's site-packages in front of sys.path. It cannot be
undone. The values below are ASCII string literals: data, never code.
"""

import os
import site
import sys

venv_dir = __VIRTUAL_ENV__
bin_dir = __VIRTUAL_ENV_BIN__
site_packages = os.path.join(bin_dir, __SITE_PACKAGES_FROM_BIN__)

old_path = os.environ.get("PATH", "")
os.environ["PATH"] = bin_dir + os.pathsep + old_path if old_path else bin_dir
os.environ["VIRTUAL_ENV"] = venv_dir
__SET_VIRTUAL_ENV_PROMPT__
os.environ.pop("PYTHONHOME", None)

prev_length = len(sys.path)
site.addsitedir(os.path.normpath(site_packages))
sys.path[:] = sys.path[prev_length:] + sys.path[0:prev_length]

sys.real_prefix = sys.prefix
sys.prefix = venv_dir
