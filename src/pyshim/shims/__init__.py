"""Shims: one small sh program per command, plus the index they read and the front-end.

Last step of the data flow, prepared ahead of time: `rehash()` takes the discovered interpreters
(`discovery`) and the resolver's answers (`resolve.find_interpreter`) and writes them into
`ROOT/shims` so that a shim can pick the command for the current directory without starting
Python (the fast path, see `shims/shim.sh`). What the index cannot answer for certain, the shim
hands to `pyshim exec` (the slow path), which is always right.

Files in the shims folder:

* one shim per command found in the bin folder of any non-system interpreter or pyshim venv,
  rendered from the top-level `shims/shim.sh` template (`shims/shim.cmd` on Windows);
* `.pyshim-index`: sh code the shims source: a `case` table from every version name to a bin
  folder, the environment the table was computed for, and the folders whose change makes it
  stale; `.pyshim-index-aliases`, read only when a name is not in the first file: every alias
  the resolver maps to an interpreter (`3.12`, `python-3.12`, `cpython@3.12` ...) and `system`;
* `pyshim`: the front-end (`shims/pyshim.sh`), which answers `pyshim version [--bare]`,
  `pyshim versions`, `pyshim prefix` and `pyshim local` from the index with shell built-ins and runs the Python
  CLI for anything else; never counted as a command shim. `.pyshim-index-versions`, read only
  by it: the `pyshim versions` listing, both variants of every row
  (`interpreters.listing.listing_line`), and each interpreter's prefix;
* `.pyshim-shims`: the marker that tells discovery and `system` lookups to skip this folder.

The selection code (which names are active, and what set them) is `shims/lib.sh`, pasted into
every shim and into the front-end, so both answer from the same code. What the index holds and
how it is rendered is `index.py`; `rehash.py` decides which shims to write and writes them;
`front_end.py` is the first quick path of every command (`pyshim.__main__`); while ROOT/shims
does not exist yet, `cached_front_end.py` keeps a front-end and its index in the cache. This
file imports nothing: every command imports `front_end` through it at its start.

Rules that keep the fast path exact: an alias whose answer could change with PATH is used only
while PATH is the one rehash saw and no folder on it changed; any variable the resolver reads
(PYSHIM_ROOT, PYENV_ROOT, HOME, UV_PYTHON_INSTALL_DIR, XDG_DATA_HOME, CONDA_PREFIX, CONDA_EXE)
must hold the value it had at rehash time; otherwise the shim takes the slow path.
"""
