"""What a result records of how it was made: the versions of Python and of the packages it depends on."""

from __future__ import annotations

import functools
import platform
from importlib.metadata import PackageNotFoundError, version

__all__ = ["package_versions"]


@functools.lru_cache(maxsize=8)
def _versions(packages: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    out = [("python", platform.python_version())]
    for pkg in packages:
        try:
            out.append((pkg, version(pkg)))
        except PackageNotFoundError:  # pragma: no cover - only without installed metadata
            out.append((pkg, "unknown"))
    return tuple(out)


def package_versions(packages: tuple[str, ...]) -> dict[str, str]:
    """``{"python": …, <package>: <version>, …}`` of the installed distributions (``"unknown"`` without
    metadata); read once per process for each tuple of packages."""
    return dict(_versions(packages))
