"""A result's provenance in words: the weather behind it and the small-print line under a report."""

from __future__ import annotations

from greendc.provenance import Provenance, WeatherProvenance
from greendc.report.labels import number

__all__ = ["provenance_footer", "weather_words"]


def weather_words(weather: WeatherProvenance | None) -> str:
    """The weather of a result in words.

    Examples
    --------
    >>> weather_words(WeatherProvenance("synthetic", seed=2030, years=1, start_year=2030, climatology="dakhla"))
    'synthetic, seed 2030, 1 year from 2030, climatology dakhla'
    >>> weather_words(WeatherProvenance("site.epw", years=1.5, climate="ssp585-2050"))
    'site.epw, 1.5 years, climate case ssp585-2050'
    """
    if weather is None:
        return "the scenario's weather"
    parts = [weather.source]
    if weather.seed is not None:
        parts.append(f"seed {weather.seed}")
    if weather.seeds:
        parts.append("seeds " + ", ".join(map(str, weather.seeds)))
    if weather.years is not None:
        span = f"{weather.years:g} year" + ("" if weather.years == 1 else "s")
        parts.append(span + (f" from {weather.start_year}" if weather.start_year is not None else ""))
    if weather.climatology:
        parts.append(f"climatology {weather.climatology}")
    if weather.climate:
        parts.append(f"climate case {weather.climate}")
    return ", ".join(parts)


def provenance_footer(prov: Provenance) -> str:
    """The small-print line of a report: scenario and hash, weather, costs, solver, wall time, greendc version.

    Examples
    --------
    >>> prov = Provenance("simulation", "dakhla", "ab12", details={"wall_time_s": 12.34})
    >>> provenance_footer(prov)
    'scenario dakhla (hash ab12) · run in 12.3 s'
    """
    details = prov.details
    items = []
    if prov.scenario:
        items.append(f"scenario {prov.scenario} (hash {prov.scenario_hash or '–'})")
    if prov.weather is not None:
        items.append(f"{'design weather' if prov.stage == 'plan' else 'weather'} {weather_words(prov.weather)}")
    if details.get("costs"):
        items.append(f"costs {details['costs']}")
    if details.get("solver"):
        items.append(f"solver {details['solver']}, {details.get('status', '')}".rstrip(", "))
    seconds = details.get("wall_s", details.get("wall_time_s"))
    if seconds is not None:
        items.append(f"{'solved' if prov.stage == 'plan' else 'run'} in {number(float(seconds), 1)} s")
    if "greendc" in prov.versions:
        items.append(f"greendc {prov.versions['greendc']}")
    return " · ".join(items)
