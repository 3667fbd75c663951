"""One module per `pyshim` command: its arguments (`add_arguments`) and its action (`run`).

These modules are the presentation layer: they parse nothing themselves (argparse does), call
into selection / discovery / resolve, and are the only code besides `cli.py` that prints.
Shared helpers for them live in `_common.py`.
"""
