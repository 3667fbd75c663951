"""`python -m pyshim`: the same entry point as the `pyshim` console script."""

import sys

from pyshim.cli import main

if __name__ == "__main__":
    sys.exit(main())
