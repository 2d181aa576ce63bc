"""poakit: write, check and publish Amazon seller Plans of Action."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("poakit")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"
