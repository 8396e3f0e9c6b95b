"""greendc: digital twin of data centers powered only by their own on-site renewables."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("greendc")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0+unknown"

__all__ = ["__version__"]
