"""`python -m poakit` is the `poa` command."""

import sys

from .cli.main import main

sys.exit(main())
