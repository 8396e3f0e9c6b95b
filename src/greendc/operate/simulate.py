"""Run a fixed design on weather it never saw: one run (:func:`simulate`) or many (:func:`monte_carlo`).

Sub-hourly steps: the profiles (hourly, or any step) are brought to the simulation step by
:func:`resample_profiles` — per-unit outputs, PUE, water and desalination linearly through the period
mid-points, corrected so that every profile period keeps its mean (energy is conserved) without leaving
the range of the neighbouring values (:func:`mean_preserving_interpolation`); the IT requests are held
constant over the period (a request is a schedule, not a smooth physical quantity).

Forced outages (:mod:`greendc.operate.faults`) derate each fleet step by step. The PV and wind profiles
already contain a mean availability (PVWatts' 3 % in ``system_losses_fraction``; ``Wind.availability``), so
their outage factor is the simulated available share divided by its long-run mean ``1 − U``: the mean
yield stays that of the profiles and the outages add when it is lost. Battery, electrolyser and fuel
cell have no availability in their ratings: their factor is the available share itself.

Concentrating solar power: a design with a CSP plant (``Design.has_csp``) needs the ``csp_th_cf`` profile
(heat per MW_th of field, built when ``technologies.csp.enabled``); both policies operate it (the rule-based
one with :mod:`greendc.operate.kernel`, the rolling-horizon one with the CSP plant in its window LP).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from greendc.assets.water import pv_cleaning_water_m3_per_yr
from greendc.assets.workload import class_column, installed_it_capacity_mw
from greendc.constants import H2_LHV_MWH_PER_KG
from greendc.errors import DataFileError, ScenarioError
from greendc.operate.accounting import energy_accounting, flexible_overhead_mw
from greendc.operate.common_mode import common_mode_series
from greendc.operate.design import Design
from greendc.operate.faults import FLEETS, Reliability, fleet_availability, load_reliability, stream_seed
from greendc.operate.forecasts import Forecast, PersistenceForecast
from greendc.operate.kernel import OUT_ROWS
from greendc.operate.policies import DispatchInputs, DispatchOutputs, DispatchState, Policy, RuleBasedPolicy
from greendc.operate.result import (
    MonteCarloResult,
    SimulationResult,
    monte_carlo_summary,
    summarise,
)
from greendc.operate.scheduler import SchedulerParameters
from greendc.provenance import Provenance, WeatherProvenance, package_versions
from greendc.scenario.models import Scenario
from greendc.timeindex import check_time_index
from greendc.weather.source import scenario_weather_provenance

#: Lower heating value of hydrogen, 33.33 kWh/kg (DOE Hydrogen Program Record 9017, 2009) [MWh/kg].
#: Packages whose versions a simulation records.
SIMULATION_PACKAGES: tuple[str, ...] = ("greendc", "numpy", "numba", "pandas")
#: Profile columns interpolated (and mean-preserved) when refining the step.
SMOOTH_COLUMNS: tuple[str, ...] = ("pv_cf", "wind_cf", "pue", "water_m3_per_mwh_it", "desalination_mwh_per_mwh_it")
#: Optional profile columns of once-through seawater cooling (:func:`greendc.assets.cooling.facility_overhead`),
#: interpolated as :data:`SMOOTH_COLUMNS` when present; absent, the dispatch reports no seawater.
SEA_COLUMNS: tuple[str, ...] = ("heat_to_sea_mw_per_mw_it", "seawater_m3_per_mwh_it")
#: Profile column of the CSP field's heat per MW_th (design point), needed by a design with a CSP field;
#: interpolated as the columns of :data:`SMOOTH_COLUMNS` when present.
CSP_COLUMN = "csp_th_cf"
#: Stream number of the forecast noise under a fault seed (:func:`~greendc.operate.faults.stream_seed`).
FORECAST_STREAM = 1


def _step(step: str | pd.Timedelta) -> pd.Timedelta:
    try:
        td = pd.Timedelta(step)
    except (ValueError, TypeError) as err:
        raise ScenarioError(f"step = {step!r}; allowed: a duration such as '1h', '15min', '5min'") from err
    if not pd.Timedelta("1min") <= td <= pd.Timedelta("1h"):
        raise ScenarioError(f"step = {step!r}; allowed: from '1min' to '1h'")
    return td


def check_profiles(profiles: pd.DataFrame, scenario: Scenario) -> pd.Timedelta:
    """Check a profiles table against ``scenario``; return its step.

    Raises
    ------
    DataFileError
        Missing column (naming it), NaN or negative value, or an index that is not a regular tz-aware
        UTC index of at least two steps.
    """
    needed = list(SMOOTH_COLUMNS) + [class_column(wc) for wc in scenario.datacenter.workload_classes]
    missing = [c for c in needed if c not in profiles.columns]
    if missing:
        raise DataFileError(f"profiles: column '{missing[0]}' is missing; needed: {', '.join(needed)}")
    idx = profiles.index
    check_time_index(idx, "profiles", DataFileError, utc_only=True, regular=True)
    values = profiles[needed].to_numpy(dtype=float)
    if not np.isfinite(values).all():
        bad = needed[int(np.flatnonzero(~np.isfinite(values).all(axis=0))[0])]
        raise DataFileError(f"profiles: column '{bad}' has NaN or infinite values")
    if (values < 0).any():
        bad = needed[int(np.flatnonzero((values < 0).any(axis=0))[0])]
        raise DataFileError(f"profiles: column '{bad}' has negative values; allowed: >= 0")
    return idx[1] - idx[0]


def mean_preserving_interpolation(values: np.ndarray, m: int, iterations: int = 20) -> np.ndarray:
    """Split each period of ``values`` into ``m`` sub-steps: smooth, mean-preserving and bounded.

    Linear interpolation through the period mid-points (ends held), then, per period, an additive
    correction spread over the sub-steps that are not at a bound, repeated until every period's mean is
    its value; the bounds are the smallest and largest of the period and its two neighbours, so no
    sub-step leaves the range of the values around it (a capacity factor stays in [0, max]).

    Parameters
    ----------
    values : numpy.ndarray
        Period means [any unit].
    m : int
        Sub-steps per period [-].
    iterations : int
        Correction passes (a few suffice).

    Returns
    -------
    numpy.ndarray
        ``len(values) × m`` sub-step values [same unit].

    Examples
    --------
    >>> mean_preserving_interpolation(np.array([0.0, 0.6, 0.0]), 2).round(3).tolist()
    [0.0, 0.0, 0.6, 0.6, 0.0, 0.0]
    """
    v = np.asarray(values, dtype=float)
    n = v.size
    fine = np.interp((np.arange(n * m) + 0.5) / m, np.arange(n) + 0.5, v)
    padded = np.concatenate([v[:1], v, v[-1:]])
    lo = np.repeat(np.minimum(np.minimum(padded[:-2], padded[1:-1]), padded[2:]), m)
    hi = np.repeat(np.maximum(np.maximum(padded[:-2], padded[1:-1]), padded[2:]), m)
    tol = 1e-12 * max(1.0, float(np.abs(v).max(initial=0.0)))
    for _ in range(iterations):
        fine = np.clip(fine, lo, hi)
        residual = v - fine.reshape(n, m).mean(axis=1)
        if np.abs(residual).max(initial=0.0) <= tol:
            break
        r = np.repeat(residual, m)
        free = np.where(r > 0, fine < hi - tol, fine > lo + tol)
        n_free = free.reshape(n, m).sum(axis=1)
        step = np.divide(residual * m, n_free, out=np.zeros(n), where=n_free > 0)
        fine = fine + np.where(free, np.repeat(step, m), 0.0)
    return np.clip(fine, lo, hi)


def resample_profiles(profiles: pd.DataFrame, step: str | pd.Timedelta | None) -> pd.DataFrame:
    """Profiles on a finer step (see the module docstring); unchanged when ``step`` is the profile step.

    Parameters
    ----------
    profiles : pandas.DataFrame
        Regular UTC index; columns of :data:`SMOOTH_COLUMNS` (and ``csp_th_cf``) are interpolated, all others
        held.
    step : str or pandas.Timedelta or None
        Target step; must divide the profile step (None: keep the profile step).

    Examples
    --------
    >>> idx = pd.date_range("2030-01-01", periods=3, freq="h", tz="UTC")
    >>> p = pd.DataFrame({"pv_cf": [0.0, 0.6, 0.0], "it_x_mw": [1.0, 2.0, 3.0]}, index=idx)
    >>> q = resample_profiles(p, "30min")
    >>> q["it_x_mw"].tolist(), round(float(q["pv_cf"].iloc[2:4].mean()), 6)
    ([1.0, 1.0, 2.0, 2.0, 3.0, 3.0], 0.6)
    """
    src = profiles.index[1] - profiles.index[0]
    target = _step(step) if step is not None else src
    if target == src:
        return profiles
    if target > src or src % target:
        raise ScenarioError(f"step = {step!r} must divide the profile step ({src}); allowed: e.g. '15min', '5min'")
    m = int(src // target)
    n = len(profiles)
    index = pd.date_range(profiles.index[0], periods=n * m, freq=target, name=profiles.index.name)
    out = {}
    for col in profiles.columns:
        v = profiles[col].to_numpy(dtype=float)
        smooth = col in SMOOTH_COLUMNS or col in SEA_COLUMNS or col == CSP_COLUMN
        out[col] = mean_preserving_interpolation(v, m) if smooth else np.repeat(v, m)
    return pd.DataFrame(out, index=index)


def dispatch_inputs(
    design: Design,
    scenario: Scenario,
    profiles: pd.DataFrame,
    availability: dict[str, np.ndarray],
    reliability: dict[str, Reliability],
    forecast: Forecast,
    scheduler: SchedulerParameters,
    forecast_seed: int = 0,
    faults: bool = True,
    common_mode: Mapping[str, np.ndarray] | None = None,
) -> DispatchInputs:
    """Arrays of a run: profiles (already at the simulation step) × design × available shares.

    With ``faults``, the PV and wind outage factors are the available shares over their long-run means
    (see the module docstring); without, every factor is 1. ``common_mode`` (the series of
    :func:`greendc.operate.common_mode.common_mode_series`) adds the site's common-mode failures: PV and
    wind times ``generation_available_fraction``, the site tripped for ``site_trip_fraction`` of a step, and
    the IT power limited to ``cooling_available_fraction`` of the installed IT capacity.
    A CSP plant (``design.has_csp``) has no outage
    model: its field heat is ``csp_th_cf × P_f`` [MW_th] and its block rating ``P_pb`` [MW] every step.

    Raises
    ------
    DataFileError
        A design with a CSP field and profiles without a valid ``csp_th_cf`` column.
    """
    idx = profiles.index
    n = len(idx)
    w = np.full(n, (idx[1] - idx[0]) / pd.Timedelta(hours=1))
    dc = scenario.datacenter
    capacity = installed_it_capacity_mw(idx, dc).to_numpy(dtype=float)

    connected = np.ones(n) if common_mode is None else np.asarray(common_mode["generation_available_fraction"])

    def renewable(cf_col: str, fleet: str, mw: float) -> np.ndarray:
        mean_up = 1.0 - reliability[FLEETS[fleet][0]].unavailability if faults else 1.0
        factor = availability[fleet] / mean_up
        return np.minimum(profiles[cf_col].to_numpy(dtype=float) * factor, 1.0) * mw * connected

    firm = [wc for wc in dc.workload_classes if not wc.flexible]
    flex = [wc for wc in dc.workload_classes if wc.flexible]

    def stack(rows: list[np.ndarray]) -> np.ndarray:
        return np.ascontiguousarray(np.vstack(rows), dtype=float) if rows else np.zeros((0, n))

    csp_cf = np.zeros(n)
    if design.csp_field_mw_th > 0.0:
        if CSP_COLUMN not in profiles.columns:
            raise DataFileError(
                f"profiles: the design has a CSP field (csp_field_mw_th = {design.csp_field_mw_th:g}) and needs the "
                f"column '{CSP_COLUMN}'; build the profiles with technologies.csp.enabled: true"
            )
        csp_cf = profiles[CSP_COLUMN].to_numpy(dtype=float)
        if not np.isfinite(csp_cf).all() or (csp_cf < 0.0).any():
            raise DataFileError(
                f"profiles: column '{CSP_COLUMN}' has NaN, infinite or negative values; "
                "allowed: finite numbers >= 0 [MW_th per MW_th of field]"
            )

    return DispatchInputs(
        weights_h=w,
        pv_available_mw=renewable("pv_cf", "pv", design.pv_mw),
        wind_available_mw=renewable("wind_cf", "wind", design.wind_mw),
        overhead=(profiles["pue"] + profiles["desalination_mwh_per_mwh_it"]).to_numpy(dtype=float),
        auxiliary_mw=np.full(n, dc.electrical.auxiliary_mw),
        firm_names=tuple(wc.name for wc in firm),
        firm_requested_mw=stack([profiles[class_column(wc)].to_numpy(dtype=float) for wc in firm]),
        flexible_names=tuple(wc.name for wc in flex),
        flexible_requested_mw=stack([profiles[class_column(wc)].to_numpy(dtype=float) for wc in flex]),
        flexible_min_mw=stack([wc.min_power_fraction * wc.share * capacity for wc in flex]),
        flexible_max_mw=stack([wc.max_power_fraction * wc.share * capacity for wc in flex]),
        flexible_deadline_h=np.array([float(wc.deadline_hours) for wc in flex]),
        battery_power_mw=design.battery_mw * availability["battery"],
        electrolyser_power_mw=design.electrolyser_mw * availability["electrolyser"],
        fuel_cell_power_mw=design.fuel_cell_mw * availability["fuel_cell"],
        design=design,
        scheduler=scheduler,
        forecast=forecast,
        forecast_seed=int(forecast_seed),
        csp_heat_mw_th=csp_cf * design.csp_field_mw_th,
        csp_power_block_mw=np.full(n, design.csp_power_block_mw),
        firm_restart_h=dc.restart_hours,
        **_common_mode_inputs(common_mode, capacity),
    )


def _common_mode_inputs(common_mode: Mapping[str, np.ndarray] | None, capacity_mw: np.ndarray) -> dict[str, Any]:
    if common_mode is None:
        return {}
    return {
        "site_trip_fraction": np.asarray(common_mode["site_trip_fraction"], dtype=float),
        "it_limit_mw": np.asarray(common_mode["cooling_available_fraction"], dtype=float) * capacity_mw,
    }


def run_policy(policy: Policy, inputs: DispatchInputs, state: DispatchState) -> DispatchOutputs:
    """Call ``policy`` block after block over the whole horizon; return the outputs."""
    outputs = DispatchOutputs.empty(inputs)
    n = inputs.n_steps
    block = policy.block_steps or n
    if block < 1:
        raise ScenarioError(f"policy '{policy.name}': block_steps = {policy.block_steps}; allowed: >= 1 or None")
    for start in range(0, n, block):
        policy.run(inputs, state, outputs, start, min(start + block, n))
    return outputs


def dispatch_frame(inputs: DispatchInputs, outputs: DispatchOutputs, profiles: pd.DataFrame) -> pd.DataFrame:
    """The dispatch table (columns of :mod:`greendc.operate.result`) from a policy's outputs.

    ``profiles`` are those the inputs were built on: their index, the data centre's cooling fresh water
    ``water_m3_per_mwh_it`` and, when present, the once-through seawater columns :data:`SEA_COLUMNS` (absent:
    no seawater), all per unit of served IT.
    """
    index = profiles.index
    d = inputs.design
    w = inputs.weights_h
    row = dict(zip(OUT_ROWS, outputs.steps, strict=True))
    served = dict(zip(inputs.firm_names, outputs.firm_served_mw, strict=True))
    served |= dict(zip(inputs.flexible_names, outputs.flexible_served_mw, strict=True))
    requested = dict(zip(inputs.firm_names, inputs.firm_requested_mw, strict=True))
    requested |= dict(zip(inputs.flexible_names, inputs.flexible_requested_mw, strict=True))
    unserved = {c: requested[c] - served[c] for c in inputs.firm_names}
    unserved |= dict(zip(inputs.flexible_names, outputs.flexible_missed_mw, strict=True))
    n = len(index)
    it = np.zeros(n)
    for s in served.values():
        it = it + s
    unserved_it = np.zeros(n)
    for u in unserved.values():
        unserved_it = unserved_it + u
    aux_served = row["auxiliary_served_mw"]
    facility = it * inputs.overhead + aux_served
    h2_kg = row["electrolyser_mw"] * d.electrolyser_efficiency * w / H2_LHV_MWH_PER_KG
    per_it = {
        c: profiles[c].to_numpy(dtype=float) if c in profiles.columns else np.zeros(n)
        for c in ("water_m3_per_mwh_it", *SEA_COLUMNS)
    }
    cols: dict[str, np.ndarray] = {
        "pv_mw": row["pv_mw"],
        "wind_mw": row["wind_mw"],
        "battery_charge_mw": row["battery_charge_mw"],
        "battery_discharge_mw": row["battery_discharge_mw"],
        "battery_soc_mwh": row["battery_soc_mwh"],
        "electrolyser_mw": row["electrolyser_mw"],
        "h2_level_mwh": row["h2_level_mwh"],
        "fuel_cell_mw": row["fuel_cell_mw"],
        "curtailed_mw": row["curtailed_mw"],
        "it_mw": it,
        "facility_mw": facility,
        "unserved_mw": unserved_it,
        "grid_import_mw": np.zeros(n),
        "water_m3": it * per_it["water_m3_per_mwh_it"] * w,
        "electrolyser_water_m3": h2_kg * d.water_l_per_kg_h2 / 1000.0,
        "seawater_m3": it * per_it["seawater_m3_per_mwh_it"] * w,
        "heat_to_sea_mw": it * per_it["heat_to_sea_mw_per_mw_it"],
    }
    cols |= {class_column(c): s for c, s in served.items()}
    cols |= {f"requested_{c}_mw": r for c, r in requested.items()}
    cols |= {f"unserved_{c}_mw": u for c, u in unserved.items()}
    cols["unserved_facility_mw"] = unserved_it * inputs.overhead + (inputs.auxiliary_mw - aux_served)
    cols |= {f"backlog_{c}_mwh": b for c, b in zip(inputs.flexible_names, outputs.flexible_backlog_mwh, strict=True)}
    cols |= {
        f"overhead_{c}_mw": flexible_overhead_mw(s, r, b, inputs.weights_h, inputs.scheduler)
        for c, s, r, b in zip(
            inputs.flexible_names,
            outputs.flexible_served_mw,
            inputs.flexible_requested_mw,
            outputs.flexible_backlog_mwh,
            strict=True,
        )
    }
    cols["reserve_mw"] = row["reserve_mw"]
    if d.has_csp:
        cols |= {k: row[k] for k in ("csp_mw", "csp_storage_mwh_th", "csp_dumped_mw_th")}
    # one (columns × steps) block: pandas keeps it as is, without a consolidation copy
    block = np.empty((len(cols), n))
    for i, values in enumerate(cols.values()):
        block[i] = values
    frame = pd.DataFrame(block.T, index=index, columns=list(cols), copy=False)
    frame.index.name = "timestamp"
    return frame


def _check_run_args(
    design: Design,
    initial_soc_fraction: float,
    initial_h2_fraction: float,
    fault_seed: int,
    initial_csp_fraction: float = 0.0,
) -> None:
    if not isinstance(design, Design):
        raise ScenarioError(f"design must be a greendc.operate.Design, got {type(design).__name__}")
    for name, value in (
        ("initial_soc_fraction", initial_soc_fraction),
        ("initial_h2_fraction", initial_h2_fraction),
        ("initial_csp_fraction", initial_csp_fraction),
    ):
        if not 0.0 <= value <= 1.0:
            raise ScenarioError(f"{name} = {value!r}; allowed: 0 to 1")
    if isinstance(fault_seed, bool) or int(fault_seed) != fault_seed or fault_seed < 0:
        raise ScenarioError(f"fault_seed = {fault_seed!r}; allowed: an integer >= 0")


def simulate(
    design: Design,
    scenario: Scenario,
    profiles: pd.DataFrame,
    step: str | None = None,
    fault_seed: int = 0,
    policy: Policy | None = None,
    forecast: Forecast | None = None,
    scheduler: SchedulerParameters | None = None,
    faults: bool = True,
    initial_soc_fraction: float = 0.5,
    initial_h2_fraction: float = 0.5,
    reliability: dict[str, Reliability] | None = None,
    weather: WeatherProvenance | None = None,
    initial_csp_fraction: float = 0.5,
    forecast_seed: int | None = None,
    common_mode: bool = True,
) -> SimulationResult:
    """Time-step a fixed design on a profiles table.

    Parameters
    ----------
    design : Design
        Capacities and technical parameters (:func:`~greendc.operate.design.design_from_summary`).
    scenario : greendc.scenario.models.Scenario
        Workload classes, build-out, auxiliaries, reserve rule.
    profiles : pandas.DataFrame
        Output of :func:`greendc.assets.profiles.build_profiles` on weather the design did not see.
    step : str, optional
        Simulation step, dividing the profile step (e.g. ``'1h'``, ``'15min'``, ``'5min'``); default the
        profile step.
    fault_seed : int
        Seed of the forced outages and (in streams of their own) of the common-mode failures; same seed,
        same run.
    policy : Policy, optional
        Dispatch policy; default :class:`~greendc.operate.policies.RuleBasedPolicy`.
    forecast : Forecast, optional
        What the policy and the scheduler know of the future; default 24 h persistence.
    scheduler : SchedulerParameters, optional
        Capping and restart behaviour of the flexible classes.
    faults : bool
        Draw forced outages (True) or keep every unit up.
    initial_soc_fraction, initial_h2_fraction : float
        Battery and hydrogen store levels at the start, as shares of capacity [-].
    reliability : mapping, optional
        MTBF/MTTR table (:func:`~greendc.operate.faults.load_reliability`; default the shipped one).
    weather : WeatherProvenance, optional
        The weather behind ``profiles`` (:meth:`~greendc.provenance.WeatherProvenance.from_metadata` of the
        reader's metadata), copied into the result's provenance; default what the scenario says of its weather
        (:func:`greendc.weather.source.scenario_weather_provenance`).
    initial_csp_fraction : float
        Heat in the CSP thermal storage at the start, as a share of ``E_s`` [-].
    forecast_seed : int, optional
        Seed of a noisy forecast; default an independent stream derived from ``fault_seed``
        (:func:`~greendc.operate.faults.stream_seed` of ``(fault_seed, FORECAST_STREAM)``).
    common_mode : bool
        With ``faults``, also draw the site's common-mode failures (:mod:`greendc.operate.common_mode`).

    Returns
    -------
    SimulationResult
    """
    t0 = time.perf_counter()
    _check_run_args(design, initial_soc_fraction, initial_h2_fraction, fault_seed, initial_csp_fraction)
    policy = policy if policy is not None else RuleBasedPolicy()
    forecast = forecast if forecast is not None else PersistenceForecast()
    scheduler = scheduler if scheduler is not None else SchedulerParameters()
    table = reliability if reliability is not None else load_reliability()
    profile_step = check_profiles(profiles, scenario)
    step = step if step is not None else profile_step
    prof = resample_profiles(profiles, step)
    n = len(prof)
    step_h = (prof.index[1] - prof.index[0]) / pd.Timedelta(hours=1)
    avail = fleet_availability(design, n, step_h, fault_seed, table) if faults else {k: np.ones(n) for k in FLEETS}
    modes = common_mode_series(n, step_h, fault_seed) if faults and common_mode else None
    f_seed = forecast_seed if forecast_seed is not None else stream_seed(fault_seed, FORECAST_STREAM)
    inputs = dispatch_inputs(
        design,
        scenario,
        prof,
        avail,
        table,
        forecast,
        scheduler,
        forecast_seed=f_seed,
        faults=faults,
        common_mode=modes,
    )
    state = DispatchState.at_fractions(inputs, initial_soc_fraction, initial_h2_fraction, initial_csp_fraction)
    outputs = run_policy(policy, inputs, state)
    frame = dispatch_frame(inputs, outputs, prof)
    summary = summarise(
        frame,
        design,
        inputs.firm_names,
        inputs.flexible_names,
        scenario.rules.reserve_fraction,
        pv_cleaning_m3_per_yr=pv_cleaning_water_m3_per_yr(design.pv_mw, scenario.technologies.pv),
    )
    summary["energy_accounting_mwh"] = energy_accounting(frame, inputs.firm_names, inputs.flexible_names)["total"]
    from greendc.scenario.io import scenario_hash

    provenance = Provenance(
        "simulation",
        scenario.name,
        scenario_hash(scenario),
        weather if weather is not None else scenario_weather_provenance(scenario),
        package_versions(SIMULATION_PACKAGES),
        details={
            "fault_seed": int(fault_seed),
            "forecast_seed": int(f_seed),
            "faults": bool(faults),
            "common_mode": bool(modes is not None),
            "policy": policy.describe(),
            "forecast": forecast.describe(),
            "scheduler": {k: getattr(scheduler, k) for k in scheduler.__dataclass_fields__},
            "step": str(pd.Timedelta(step)),
            "wall_time_s": time.perf_counter() - t0,
        },
    )
    availability = pd.DataFrame({f"{k}_available_fraction": v for k, v in avail.items()}, index=prof.index)
    if modes is not None:
        availability = availability.assign(**modes)
    return SimulationResult(frame, summary, design, availability, provenance)


def flatten_summary(summary: dict[str, Any]) -> dict[str, float]:
    """One row of a per-year table from a :func:`~greendc.operate.result.summarise` dict: per-class figures
    as ``<figure>.<class>``."""
    out: dict[str, float] = {}
    for k, v in summary.items():
        if isinstance(v, dict):
            out |= {f"{k}.{c}": float(x) for c, x in v.items()}
        else:
            out[k] = float(v)
    return out


def year_figures(
    year: pd.DataFrame, inputs: DispatchInputs, scenario: Scenario, pv_cleaning_m3_per_yr: float
) -> dict[str, float]:
    """One row of a per-year table: :func:`~greendc.operate.result.summarise` of one calendar year of a
    dispatch table (``years=1``), flattened (:func:`flatten_summary`)."""
    return flatten_summary(
        summarise(
            year,
            inputs.design,
            inputs.firm_names,
            inputs.flexible_names,
            scenario.rules.reserve_fraction,
            years=1.0,
            pv_cleaning_m3_per_yr=pv_cleaning_m3_per_yr,
        )
    )


def monte_carlo(
    design: Design,
    scenario: Scenario,
    weather_seeds: Sequence[int],
    fault_seeds: Sequence[int],
    years: int = 1,
    step: str = "1h",
    progress: bool = True,
    policy: Policy | None = None,
    forecast: Forecast | None = None,
    scheduler: SchedulerParameters | None = None,
    initial_soc_fraction: float = 0.5,
    initial_h2_fraction: float = 0.5,
    initial_csp_fraction: float = 0.5,
) -> MonteCarloResult:
    """Many year-runs: synthetic weather years (new seeds, the scenario's stress events) × fault seeds.

    For each weather seed, ``years`` calendar years of weather are generated from
    ``scenario.weather.start_year`` with :func:`greendc.weather.synthetic.generate_weather` (dust episodes,
    heat waves and lulls of ``scenario.weather.stress_events`` included) and turned into profiles once;
    each fault seed then runs the whole span continuously (storage carries over from year to year) and
    every calendar year is one year-run. Runs in this process (numba kernel), with a rich progress bar.

    Parameters
    ----------
    design, scenario, step, policy, forecast, scheduler, initial_soc_fraction, initial_h2_fraction, initial_csp_fraction
        As in :func:`simulate`; a design with CSP needs ``technologies.csp.enabled`` (the ``csp_th_cf`` profile).
    weather_seeds, fault_seeds : sequence of int
        Seeds; ``len(weather_seeds) × years × len(fault_seeds)`` year-runs. Each (weather seed, fault seed)
        pair draws its outages, common-mode failures and forecast noise from streams of its own
        (:func:`~greendc.operate.faults.stream_seed`), so no two weather seeds share them.
    years : int
        Calendar years per weather seed [-].
    progress : bool
        Show a progress bar.

    Returns
    -------
    MonteCarloResult
    """
    from greendc.assets.profiles import build_profiles
    from greendc.scenario.io import scenario_hash
    from greendc.weather.source import synthetic_scenario_weather

    t0 = time.perf_counter()
    weather_seeds, fault_seeds = list(weather_seeds), list(fault_seeds)
    if not weather_seeds or not fault_seeds:
        raise ScenarioError("monte_carlo needs at least one weather seed and one fault seed")
    if isinstance(years, bool) or int(years) != years or not 1 <= years <= 100:
        raise ScenarioError(f"years = {years!r}; allowed: an integer from 1 to 100")
    policy = policy if policy is not None else RuleBasedPolicy()
    forecast = forecast if forecast is not None else PersistenceForecast()
    scheduler = scheduler if scheduler is not None else SchedulerParameters()
    table = load_reliability()
    pv_cleaning = pv_cleaning_water_m3_per_yr(design.pv_mw, scenario.technologies.pv)
    rows: list[dict[str, float]] = []
    total = len(weather_seeds) * len(fault_seeds)

    def body(advance) -> None:
        for ws in weather_seeds:
            weather = synthetic_scenario_weather(scenario, int(years), seed=int(ws))
            prof = resample_profiles(build_profiles(scenario, weather), step)
            n = len(prof)
            step_h = (prof.index[1] - prof.index[0]) / pd.Timedelta(hours=1)
            year_of = prof.index.year.to_numpy()
            for fs in fault_seeds:
                _check_run_args(design, initial_soc_fraction, initial_h2_fraction, fs, initial_csp_fraction)
                outage_seed = stream_seed(fs, ws)
                forecast_seed = stream_seed(fs, ws, FORECAST_STREAM)
                avail = fleet_availability(design, n, step_h, outage_seed, table)
                inputs = dispatch_inputs(
                    design,
                    scenario,
                    prof,
                    avail,
                    table,
                    forecast,
                    scheduler,
                    forecast_seed=forecast_seed,
                    common_mode=common_mode_series(n, step_h, outage_seed),
                )
                state = DispatchState.at_fractions(
                    inputs, initial_soc_fraction, initial_h2_fraction, initial_csp_fraction
                )
                frame = dispatch_frame(inputs, run_policy(policy, inputs, state), prof)
                for yr in np.unique(year_of):
                    part = frame.iloc[np.flatnonzero(year_of == yr)]
                    rows.append(
                        {
                            "weather_seed": ws,
                            "year": int(yr),
                            "fault_seed": fs,
                            "outage_seed": outage_seed,
                            "forecast_seed": forecast_seed,
                        }
                        | year_figures(part, inputs, scenario, pv_cleaning)
                    )
                advance()

    if progress:
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("Monte Carlo", total=total)
            body(lambda: bar.advance(task))
    else:
        body(lambda: None)
    runs = pd.DataFrame(rows)
    weather = WeatherProvenance(
        "synthetic",
        years=int(years),
        start_year=scenario.weather.start_year,
        seeds=tuple(weather_seeds),
        climatology=scenario.site.climatology,
        climate=scenario.weather.climate,
    )
    provenance = Provenance(
        "monte_carlo",
        scenario.name,
        scenario_hash(scenario),
        weather,
        package_versions(SIMULATION_PACKAGES),
        details={
            "fault_seeds": fault_seeds,
            "policy": policy.describe(),
            "forecast": forecast.describe(),
            "step": str(pd.Timedelta(step)),
            "wall_time_s": time.perf_counter() - t0,
        },
    )
    return MonteCarloResult(runs, monte_carlo_summary(runs), design, provenance)


__all__ = [
    "check_profiles",
    "dispatch_frame",
    "dispatch_inputs",
    "flatten_summary",
    "mean_preserving_interpolation",
    "monte_carlo",
    "resample_profiles",
    "run_policy",
    "simulate",
    "year_figures",
]
