"""The public API is explicit: `__all__` lists exactly the public names of the top-level package."""

from __future__ import annotations

import types

import pytest

import greendc


def test_all_is_honest():
    # the names are imported lazily (PEP 562): resolve every one, then the module holds exactly __all__
    for name in greendc.__all__:
        getattr(greendc, name)
    public = {
        name
        for name, value in vars(greendc).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public == set(greendc.__all__) - {"__version__"}
    assert sorted(greendc.__all__) == greendc.__all__
    assert {n for n in dir(greendc) if not n.startswith("_")} >= set(greendc.__all__) - {"__version__"}


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        greendc.no_such_name  # noqa: B018


def test_every_exported_error_is_a_greendc_error():
    for name in greendc.__all__:
        obj = getattr(greendc, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, greendc.GreendcError)


def test_every_error_class_lives_in_errors_and_is_exported():
    # import every module of the package, then look for error classes defined anywhere but greendc.errors
    import importlib
    import pkgutil

    import greendc.errors

    for info in pkgutil.walk_packages(greendc.__path__, "greendc."):
        # not the command-line entry point (it runs) nor the Alembic scripts (they need a migration context)
        if not info.name.endswith("__main__") and ".migrations" not in info.name:
            importlib.import_module(info.name)
    errors = {cls for cls in _subclasses(greendc.GreendcError)}
    assert {cls.__module__ for cls in errors} == {"greendc.errors"}
    assert {cls.__name__ for cls in errors} | {"GreendcError"} == set(greendc.errors.__all__)
    assert set(greendc.errors.__all__) <= set(greendc.__all__)


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found
