"""pyshim: choose a Python interpreter per project and build virtual environments for it.

Data flow (each step a module or package below, values only move left to right):

    request.py ─► selection.py ─► discovery/ + pyinfo.py ─► resolve.py ─► commands/
    "3.11"        which file        every interpreter,       request ->    exec, print,
                  asked for what    probed once, cached      interpreter   build, shell code
"""

__version__ = "0.1.0"
