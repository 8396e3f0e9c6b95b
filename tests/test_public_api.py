"""The public API is explicit: `__all__` lists exactly the public names of the top-level package."""

from __future__ import annotations

import types

import greendc


def test_all_is_honest():
    public = {
        name
        for name, value in vars(greendc).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public == set(greendc.__all__) - {"__version__"}
    assert sorted(greendc.__all__) == greendc.__all__


def test_every_exported_error_is_a_greendc_error():
    for name in greendc.__all__:
        obj = getattr(greendc, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, greendc.GreendcError)
