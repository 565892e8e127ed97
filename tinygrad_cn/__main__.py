"""``python -m tinygrad_cn``: the same as the ``tinygrad-cn`` command."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
