"""The weather of a scenario: the seeded synthetic generator or a file, as one canonical frame."""

from __future__ import annotations

from typing import Any

import pandas as pd

from greendc.errors import ScenarioError
from greendc.scenario.models import Scenario
from greendc.weather.readers import read_weather
from greendc.weather.synthetic import synthetic_weather


def scenario_weather(scenario: Scenario) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Weather for ``scenario`` as ``(data, metadata)``.

    ``metadata`` always has ``source`` (``"synthetic"`` or the file name) and, for synthetic weather,
    ``seed``, ``years``, ``start_year`` and ``climatology``, so that results can carry their provenance.
    """
    w = scenario.weather
    if w.source == "synthetic":
        data = synthetic_weather(scenario.site, w)
        meta: dict[str, Any] = {
            "source": "synthetic",
            "seed": w.seed,
            "years": w.years,
            "start_year": w.start_year,
            "climatology": scenario.site.climatology,
        }
        return data, meta
    if w.path is None:  # the Weather model forbids this; kept for objects built without validation
        raise ScenarioError("weather.path: source 'file' needs a path")
    return read_weather(w.path, latitude=scenario.site.latitude, longitude=scenario.site.longitude)
