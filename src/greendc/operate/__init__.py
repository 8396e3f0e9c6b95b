"""Operation: a fixed design time-stepped on weather it never saw.

:func:`simulate` runs one design on one profiles table (hourly or sub-hourly steps, seeded forced
outages, a dispatch policy, a forecast, the flexible-workload scheduler) and returns a
:class:`SimulationResult`; :func:`monte_carlo` repeats it over synthetic weather years × fault seeds and
returns a :class:`MonteCarloResult` with return periods.

>>> from greendc.operate import Design, RuleBasedPolicy
>>> RuleBasedPolicy().name
'rule_based'
"""

from greendc.operate.design import CAPACITY_KEYS, Design, design_from_scenario, design_from_summary
from greendc.operate.faults import Reliability, availability_frame, fleet_availability, load_reliability
from greendc.operate.forecasts import NoisyForecast, PerfectForecast, PersistenceForecast
from greendc.operate.policies import DispatchInputs, DispatchOutputs, DispatchState, Policy, RuleBasedPolicy
from greendc.operate.result import MonteCarloResult, SimulationResult, compare_with_plan, return_levels
from greendc.operate.rolling import RollingHorizonPolicy, RollingStats
from greendc.operate.scheduler import SchedulerParameters
from greendc.operate.simulate import monte_carlo, resample_profiles, simulate

__all__ = [
    "CAPACITY_KEYS",
    "Design",
    "DispatchInputs",
    "DispatchOutputs",
    "DispatchState",
    "MonteCarloResult",
    "NoisyForecast",
    "PerfectForecast",
    "PersistenceForecast",
    "Policy",
    "Reliability",
    "RollingHorizonPolicy",
    "RollingStats",
    "RuleBasedPolicy",
    "SchedulerParameters",
    "SimulationResult",
    "availability_frame",
    "compare_with_plan",
    "design_from_scenario",
    "design_from_summary",
    "fleet_availability",
    "load_reliability",
    "monte_carlo",
    "resample_profiles",
    "return_levels",
    "simulate",
]
