"""pyshim: choose a Python interpreter per project and build virtual environments for it.

The folders are the data flow; each stage imports only from the stages before it
(tests/test_import_graph.py checks that):

    base/ ─► selection/ ─► interpreters/ ─► actions ─────────────────────► cli/
    errors   request.py     discovery/        venv/  activation/  shims/    parser, arguments,
    record   version_file   pyinfo, cache     shell/ install/  doctor.py    commands/: one
    paths    select.py      resolve.py        build, activate, write shims, module per command
    fsutil   "3.11", which  every interpreter,  shell code, install, check
             file asked     probed once;
             for what       request -> interpreter
"""

__version__ = "0.1.0"
