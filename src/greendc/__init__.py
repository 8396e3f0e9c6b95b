"""greendc: digital twin of data centers powered only by their own on-site renewables.

The public API, stage by stage (scenario → weather → profiles → plan → operate → KPIs):

>>> import greendc
>>> scenario = greendc.load_scenario("dakhla")
>>> scenario.datacenter.it_capacity_mw
500.0
"""

from importlib import import_module as _import_module
from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

#: Public name → the module that defines it. Each is imported on first use (PEP 562), so that
#: ``import greendc`` (and ``greendc --help``) does not pay for numba, pvlib, linopy and the rest.
_LAZY: dict[str, str] = {
    "DataFileError": "greendc.errors",
    "AuthError": "greendc.errors",
    "EdgeError": "greendc.errors",
    "IngestError": "greendc.errors",
    "PlanSolveError": "greendc.errors",
    "QueryError": "greendc.errors",
    "ServiceError": "greendc.errors",
    "TelemetryError": "greendc.errors",
    "Design": "greendc.operate",
    "GreendcError": "greendc.errors",
    "InfeasibleDesignError": "greendc.errors",
    "KpiReport": "greendc.kpi",
    "PlanResult": "greendc.plan.result",
    "Provenance": "greendc.provenance",
    "Scenario": "greendc.scenario.models",
    "ScenarioError": "greendc.errors",
    "SolveOptions": "greendc.plan.highs",
    "WeatherDataError": "greendc.errors",
    "WeatherProvenance": "greendc.provenance",
    "build_profiles": "greendc.assets.profiles",
    "design_from_summary": "greendc.operate",
    "facility_overhead": "greendc.assets.cooling",
    "generate_weather": "greendc.weather.synthetic",
    "inputs_from_profiles_csv": "greendc.plan.from_csv",
    "inputs_from_scenario": "greendc.plan.from_scenario",
    "kpi_report": "greendc.kpi",
    "load_scenario": "greendc.scenario.io",
    "monte_carlo": "greendc.operate",
    "pv_ac_per_mw_dc": "greendc.assets.pv",
    "read_telemetry": "greendc.kpi",
    "read_weather": "greendc.weather.readers",
    "save_scenario": "greendc.scenario.io",
    "scenario_weather": "greendc.weather.source",
    "simulate": "greendc.operate",
    "solve": "greendc.plan.solve",
    "wind_ac_per_mw": "greendc.assets.wind",
    "write_csv": "greendc.weather.readers",
}

if _TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from greendc.assets.cooling import facility_overhead
    from greendc.assets.profiles import build_profiles
    from greendc.assets.pv import pv_ac_per_mw_dc
    from greendc.assets.wind import wind_ac_per_mw
    from greendc.errors import (
        AuthError,
        DataFileError,
        EdgeError,
        GreendcError,
        InfeasibleDesignError,
        IngestError,
        PlanSolveError,
        QueryError,
        ScenarioError,
        ServiceError,
        TelemetryError,
        WeatherDataError,
    )
    from greendc.kpi import KpiReport, kpi_report, read_telemetry
    from greendc.operate import Design, design_from_summary, monte_carlo, simulate
    from greendc.plan.from_csv import inputs_from_profiles_csv
    from greendc.plan.from_scenario import inputs_from_scenario
    from greendc.plan.highs import SolveOptions
    from greendc.plan.result import PlanResult
    from greendc.plan.solve import solve
    from greendc.provenance import Provenance, WeatherProvenance
    from greendc.scenario.io import load_scenario, save_scenario
    from greendc.scenario.models import Scenario
    from greendc.weather.readers import read_weather, write_csv
    from greendc.weather.source import scenario_weather
    from greendc.weather.synthetic import generate_weather


def _version() -> str:
    """The installed distribution's version (importlib.metadata), read on first use of ``__version__``."""
    from importlib import metadata

    try:
        return metadata.version("greendc")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree without install
        return "0+unknown"


def __getattr__(name: str) -> _Any:
    """Import a public name from its module on first use and keep it here (PEP 562)."""
    if name == "__version__":
        value: _Any = _version()
    elif name in _LAZY:
        value = getattr(_import_module(_LAZY[name]), name)
    else:
        raise AttributeError(f"module 'greendc' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | {"__version__"})


__all__ = [
    "AuthError",
    "DataFileError",
    "Design",
    "EdgeError",
    "GreendcError",
    "InfeasibleDesignError",
    "IngestError",
    "KpiReport",
    "PlanResult",
    "PlanSolveError",
    "Provenance",
    "QueryError",
    "Scenario",
    "ScenarioError",
    "ServiceError",
    "SolveOptions",
    "TelemetryError",
    "WeatherDataError",
    "WeatherProvenance",
    "__version__",
    "build_profiles",
    "design_from_summary",
    "facility_overhead",
    "generate_weather",
    "inputs_from_profiles_csv",
    "inputs_from_scenario",
    "kpi_report",
    "load_scenario",
    "monte_carlo",
    "pv_ac_per_mw_dc",
    "read_telemetry",
    "read_weather",
    "save_scenario",
    "scenario_weather",
    "simulate",
    "solve",
    "wind_ac_per_mw",
    "write_csv",
]
