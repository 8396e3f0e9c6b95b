"""Resolve what a scenario names (turbine power curve, climatology, climate case, cost table, weather file).

:func:`greendc.scenario.io.load_scenario` checks the scenario's own fields; the data it points to is read
later, by the stage that needs it. :func:`check_scenario_data` reads each of them now, with the same
readers the planner uses, so that ``greendc scenario validate`` finds a bad turbine name or weather file
before an hour of planning does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from greendc.errors import GreendcError, ScenarioError

if TYPE_CHECKING:
    from greendc.scenario.models import Scenario

__all__ = ["check_scenario_data", "scenario_data_problems"]

#: What a reader may raise on a file that is not what it should be, besides a :class:`GreendcError`
#: (an unreadable or binary file: ``OSError``, ``UnicodeDecodeError``, a parser's ``ValueError``).
_READ_ERRORS = (GreendcError, OSError, ValueError)


def _problem(field: str, value: Any, err: BaseException) -> str:
    kind = type(err).__name__
    return f"{field} = {value!s}: {kind}: {err}"


def scenario_data_problems(scenario: Scenario) -> list[str]:
    """Read every file and table ``scenario`` names; one line per problem (field, value, what is wrong).

    Resolved with the planner's own readers:

    - ``technologies.wind.turbine``: :func:`greendc.assets.power_curves.load_power_curve`;
    - ``site.climatology``: :func:`greendc.weather.climatology.load_climatology`;
    - ``weather.climate``: :func:`greendc.weather.climate.load_climate_case`;
    - ``costs.table``, ``costs.set``, ``costs.money_year``, ``costs.capex_factors``:
      :func:`greendc.costs.load_cost_table`;
    - ``weather.path`` (``weather.source: file``): :func:`greendc.weather.source.file_weather`, which reads
      the file, checks its site, coverage (``weather.allow_partial_year``) and values, and fills the
      columns it lacks from the climatology, as ``greendc plan`` does (with a broken climatology or climate
      case, the reader and the coverage check alone).

    Returns
    -------
    list of str
        Empty when everything resolves.
    """
    from greendc.assets.power_curves import load_power_curve
    from greendc.costs import load_cost_table
    from greendc.weather.climatology import load_climatology
    from greendc.weather.completion import check_coverage
    from greendc.weather.readers import read_weather_at
    from greendc.weather.source import file_weather, scenario_climate

    problems: list[str] = []

    def attempt(field: str, value: Any, read: Callable[[], object]) -> bool:
        try:
            read()
        except _READ_ERRORS as err:
            problems.append(_problem(field, value, err))
            return False
        return True

    c = scenario.costs
    attempt(
        "technologies.wind.turbine",
        scenario.technologies.wind.turbine,
        lambda: load_power_curve(scenario.technologies.wind.turbine),
    )
    climatology_ok = attempt(
        "site.climatology", scenario.site.climatology, lambda: load_climatology(scenario.site.climatology)
    )
    climate_ok = attempt("weather.climate", scenario.weather.climate, lambda: scenario_climate(scenario))
    attempt(
        "costs.table",
        c.table,
        lambda: load_cost_table(c.table, c.set if c.table == "default" else None, c.money_year).scaled(c.capex_factors),
    )
    w, site = scenario.weather, scenario.site
    if w.source == "file" and w.path is not None:
        if climatology_ok and climate_ok:
            attempt("weather.path", w.path, lambda: file_weather(scenario))
        else:  # the reader and the coverage check alone: completing the file needs the climatology

            def read() -> None:
                data, meta = read_weather_at(w.path, site.latitude, site.longitude, site.elevation_m)
                check_coverage(data.index, meta["source"], w.allow_partial_year)

            attempt("weather.path", w.path, read)
    return problems


def check_scenario_data(scenario: Scenario) -> None:
    """Raise :class:`ScenarioError` listing every problem of :func:`scenario_data_problems`, one per line."""
    problems = scenario_data_problems(scenario)
    if problems:
        raise ScenarioError(f"scenario '{scenario.name}': " + "\n".join(problems))
