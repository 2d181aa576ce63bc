"""The `poa` command: a thin driver over the engine."""
