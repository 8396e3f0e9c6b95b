"""The weather of a scenario: the seeded synthetic generator or a file, as one canonical frame."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from greendc.errors import ScenarioError, WeatherDataError
from greendc.provenance import WeatherProvenance
from greendc.scenario.models import Scenario
from greendc.weather.climate import ClimateCase, describe, load_climate_case, morph_weather, stressed_events
from greendc.weather.climatology import load_climatology
from greendc.weather.completion import MAX_SITE_DISTANCE_KM, check_coverage, complete_weather, site_distance_km
from greendc.weather.readers import read_weather_at
from greendc.weather.synthetic import generate_weather

__all__ = [
    "file_weather",
    "scenario_climate",
    "scenario_weather",
    "scenario_weather_provenance",
    "synthetic_scenario_weather",
    "with_climate",
    "with_synthetic_years",
    "with_weather_file",
]

#: A file's site further than this from the scenario's is named in the notes [km].
SITE_NOTE_DISTANCE_KM = 10.0


def with_weather_file(scenario: Scenario, path: Path | None, allow_partial_year: bool = False) -> Scenario:
    """``scenario`` with its weather read from ``path`` (the CLI's ``--weather``); unchanged when ``path`` is None."""
    if path is None:
        if allow_partial_year:
            return scenario.model_copy(
                update={"weather": scenario.weather.model_copy(update={"allow_partial_year": True})}
            )
        return scenario
    update = {"source": "file", "path": Path(path), "allow_partial_year": allow_partial_year}
    return scenario.model_copy(update={"weather": scenario.weather.model_copy(update=update)})


def with_climate(scenario: Scenario, climate: str | None) -> Scenario:
    """``scenario`` under the climate-stress case ``climate`` (the CLI's ``--climate``); unchanged when None."""
    if climate is None:
        return scenario
    load_climate_case(climate)  # fail early, with the list of cases
    return scenario.model_copy(update={"weather": scenario.weather.model_copy(update={"climate": climate})})


def scenario_climate(scenario: Scenario) -> ClimateCase | None:
    """The scenario's climate-stress case (``weather.climate``), or None for the baseline climate."""
    return None if scenario.weather.climate is None else load_climate_case(scenario.weather.climate)


def synthetic_scenario_weather(
    scenario: Scenario, years: int | None = None, start_year: int | None = None, seed: int | None = None
) -> pd.DataFrame:
    """Synthetic weather of the scenario's site and climatology, under its climate-stress case if it has one.

    Parameters
    ----------
    scenario : Scenario
        Site, climatology, stress events and ``weather.climate``.
    years, start_year, seed : int, optional
        Override the weather section's (the availability check and Monte Carlo draw their own).

    Returns
    -------
    pandas.DataFrame
        :func:`~greendc.weather.synthetic.generate_weather`'s frame; under a climate case the stress events
        are stressed first (:func:`~greendc.weather.climate.stressed_events`: more frequent, hotter heat
        waves) and the weather is then morphed (:func:`~greendc.weather.climate.morph_weather`), and
        ``attrs["climate"]`` names the case.
    """
    w, site = scenario.weather, scenario.site
    case = scenario_climate(scenario)
    events = w.stress_events if case is None else stressed_events(w.stress_events, case)
    data = generate_weather(
        site.latitude,
        site.longitude,
        site.elevation_m,
        load_climatology(site.climatology),
        w.years if years is None else years,
        w.start_year if start_year is None else start_year,
        w.seed if seed is None else seed,
        events,
    )
    return data if case is None else morph_weather(data, case)


def with_synthetic_years(scenario: Scenario, years: int | None, seed: int | None) -> Scenario:
    """``scenario`` with ``years`` and ``seed`` of synthetic weather (the CLI's ``--years``, ``--seed``).

    Raises
    ------
    ScenarioError
        Either is given while the weather comes from a file, which has its own years.
    """
    updates = {k: v for k, v in (("years", years), ("seed", seed)) if v is not None}
    if not updates:
        return scenario
    if scenario.weather.source == "file":
        raise ScenarioError(
            f"--{'/--'.join(updates)} apply to synthetic weather; the weather file {scenario.weather.path} gives "
            "its own years"
        )
    return scenario.model_copy(update={"weather": scenario.weather.model_copy(update=updates)})


def file_weather(scenario: Scenario) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read the scenario's weather file, check it against the site and fill what it lacks.

    Parameters
    ----------
    scenario : Scenario
        ``weather.source`` is ``'file'``; ``weather.path``, ``weather.allow_partial_year`` and the site
        (coordinates, elevation, climatology for the fallbacks) are used.

    Returns
    -------
    data : pandas.DataFrame
        Canonical weather table with every column the models use.
    metadata : dict
        The reader's metadata plus ``years`` (covered years), ``fallbacks`` (column -> how it was filled)
        and ``notes`` (one line per fallback or site remark, for the console and the provenance).

    Raises
    ------
    WeatherDataError
        The reader's errors; a file whose site is more than :data:`~greendc.weather.completion.MAX_SITE_DISTANCE_KM`
        from the scenario's; a partial year without ``allow_partial_year``.
    """
    w, site = scenario.weather, scenario.site
    if w.path is None:  # the Weather model forbids this; kept for objects built without validation
        raise ScenarioError("weather.path: source 'file' needs a path")
    data, meta = read_weather_at(w.path, site.latitude, site.longitude, site.elevation_m)
    source = meta["source"]
    notes: list[str] = []
    if meta.get("latitude") is not None and meta.get("longitude") is not None:
        km = site_distance_km(site.latitude, site.longitude, meta["latitude"], meta["longitude"])
        where = f"the file's site ({meta['latitude']:.3f}, {meta['longitude']:.3f})"
        if km > MAX_SITE_DISTANCE_KM:
            raise WeatherDataError(
                f"{source}: {where} is {km:,.0f} km from the scenario's site '{site.name}' "
                f"({site.latitude:.3f}, {site.longitude:.3f}); allowed: up to {MAX_SITE_DISTANCE_KM:g} km. "
                "Use a file for this site, or set site.latitude and site.longitude to the file's"
            )
        if km > SITE_NOTE_DISTANCE_KM:
            notes.append(f"{where} is {km:.0f} km from the scenario's site; the site's coordinates are used")
    years = check_coverage(data.index, source, w.allow_partial_year)
    if years != int(years):
        notes.append(f"partial year accepted: {years:.2f} years; costs are annualised over them")
    data, filled = complete_weather(
        data, load_climatology(site.climatology), site.longitude, site.elevation_m, source=source
    )
    notes += [f"{col}: not in {source}; filled from the {how}" for col, how in filled.items()]
    for col, model in meta.get("models", {}).items():
        notes.append(f"{col}: {model}")
    case = scenario_climate(scenario)
    if case is not None:
        data = morph_weather(data, case)
        notes.append(f"climate stress {case.name}: {describe(case)} (the file's own heat waves and dust are kept)")
    return data, meta | {
        "years": years,
        "fallbacks": filled,
        "notes": notes,
        "climate": None if case is None else case.name,
    }


def scenario_weather(scenario: Scenario) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Weather for ``scenario`` as ``(data, metadata)``.

    ``metadata`` always has ``source`` (``"synthetic"`` or the file name) and ``notes`` (lines worth
    printing: fallbacks used, site remarks); for synthetic weather also ``seed``, ``years``,
    ``start_year`` and ``climatology``; for a file what :func:`file_weather` adds; so that results can
    carry their provenance.
    """
    w = scenario.weather
    if w.source == "synthetic":
        case = scenario_climate(scenario)
        data = synthetic_scenario_weather(scenario)
        meta: dict[str, Any] = {
            "source": "synthetic",
            "seed": w.seed,
            "years": w.years,
            "start_year": w.start_year,
            "climatology": scenario.site.climatology,
            "climate": None if case is None else case.name,
            "notes": [] if case is None else [f"climate stress {case.name}: {describe(case)}"],
        }
        return data, meta
    return file_weather(scenario)


def scenario_weather_provenance(scenario: Scenario) -> WeatherProvenance:
    """The weather provenance a result records when only the scenario is known (not the reader's metadata):
    for synthetic weather its seed, years, start year, climatology and climate case; for a file its path.
    Prefer :meth:`WeatherProvenance.from_metadata` of :func:`scenario_weather`'s metadata when it is at hand."""
    w = scenario.weather
    if w.source == "synthetic":
        return WeatherProvenance(
            "synthetic",
            seed=w.seed,
            years=w.years,
            start_year=w.start_year,
            climatology=scenario.site.climatology,
            climate=w.climate,
        )
    return WeatherProvenance(Path(w.path).name if w.path is not None else "file", climate=w.climate)
