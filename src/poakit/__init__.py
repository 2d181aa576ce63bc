"""poakit: write, check and publish Amazon seller Plans of Action."""

from __future__ import annotations

from typing import Any

__version__: str  # set by `__getattr__` when first asked for


def __getattr__(name: str) -> Any:
    """`__version__`, read from the installed package's metadata when first asked for:
    importing importlib.metadata is some 35 ms of a `poa` command's start, and most commands
    never show the version."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("poakit")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        found = "0+unknown"
    globals()["__version__"] = found
    return found
