"""`python -m pyshim.venv`: see `pyshim.venv.command_line`."""

import sys

from pyshim.venv.command_line import run

if __name__ == "__main__":
    sys.exit(run())
