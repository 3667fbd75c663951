"""`python -m pyshim`: the Python CLI alone.

Unlike the `pyshim` console script (`pyshim.shims.front_end.hand_over`) it never hands a query to the sh
front-end: it is the reference the front-end and the shims are tested against.
"""

import sys

from pyshim.cli import main

if __name__ == "__main__":
    sys.exit(main())
