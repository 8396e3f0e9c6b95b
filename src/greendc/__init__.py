"""greendc: digital twin of data centers powered only by their own on-site renewables.

The public API, stage by stage (scenario → weather → profiles → plan → operate → KPIs):

>>> import greendc
>>> scenario = greendc.load_scenario("dakhla")
>>> scenario.datacenter.it_capacity_mw
500.0
"""

from importlib import metadata as _metadata

from greendc.assets.cooling import facility_overhead
from greendc.assets.profiles import build_profiles
from greendc.assets.pv import pv_ac_per_mw_dc
from greendc.assets.wind import wind_ac_per_mw
from greendc.errors import (
    DataFileError,
    GreendcError,
    InfeasibleDesignError,
    ScenarioError,
    WeatherDataError,
)
from greendc.kpi import kpi_report, read_telemetry
from greendc.operate import Design, design_from_summary, monte_carlo, simulate
from greendc.plan.from_csv import inputs_from_profiles_csv
from greendc.plan.from_scenario import inputs_from_scenario
from greendc.plan.result import PlanResult
from greendc.plan.solve import SolveOptions, solve
from greendc.scenario.io import load_scenario, save_scenario
from greendc.scenario.models import Scenario
from greendc.weather.readers import read_weather, write_csv
from greendc.weather.source import scenario_weather
from greendc.weather.synthetic import generate_weather

try:
    __version__ = _metadata.version("greendc")
except _metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0+unknown"

__all__ = [
    "DataFileError",
    "Design",
    "GreendcError",
    "InfeasibleDesignError",
    "PlanResult",
    "Scenario",
    "ScenarioError",
    "SolveOptions",
    "WeatherDataError",
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
