"""`python -m poakit.publish VERSION [--push]`: what `make publish` runs."""

import sys

from .mike import main

sys.exit(main())
