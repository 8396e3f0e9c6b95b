"""greendc: digital twin of data centers powered only by their own on-site renewables.

The public API, stage by stage (scenario → weather → profiles → plan):

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
    "GreendcError",
    "InfeasibleDesignError",
    "Scenario",
    "ScenarioError",
    "WeatherDataError",
    "__version__",
    "build_profiles",
    "facility_overhead",
    "generate_weather",
    "load_scenario",
    "pv_ac_per_mw_dc",
    "read_weather",
    "save_scenario",
    "scenario_weather",
    "wind_ac_per_mw",
    "write_csv",
]
