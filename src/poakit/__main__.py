"""`python -m poakit` is the `poa` command."""

import sys

from .cli import main

sys.exit(main())
