"""`python -m poakit` is the `poa` command."""

from .cli.main import run

run()
