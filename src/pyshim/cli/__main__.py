"""`python -m pyshim.cli`: the Python CLI alone, without the quick paths of `pyshim.__main__`.

The reference the quick paths are tested against (the replayed venv, the sh front-end): the
tests run it where they need the CLI's own answer.
"""

import sys

from pyshim.cli import main

if __name__ == "__main__":
    sys.exit(main())
