"""Out-of-sample verification of a design: many unseen synthetic years under the default policy, with
forced outages, common-mode failures and restarts, run on dask.distributed.

The years are cut into chains of ``chain_years`` consecutive calendar years from the scenario's
``weather.start_year`` (one dask task each). Within a
chain the storage levels, backlogs and restarts carry over from one year to the next, as in a plant that
runs for decades; every year has its own weather, outage and common-mode seeds
(:mod:`greendc.availability.seeds`), none of them used in design, and its own forecast-noise seed
(``DispatchInputs.forecast_segments``; the default persistence forecast has no noise). Each year is built
as a first operating year (PV degradation is not carried across the chain). The first chain starts from the
storage levels ``initial_soc_fraction`` and ``initial_h2_fraction``.

Figures per year are those of :func:`greendc.operate.result.summarise`; a *firm hour cut* is an hour with
any firm IT load unserved, restart time included (``lolh_h_per_yr``): the same meaning in the plan summary,
the simulation summary and here.

Statistics (:func:`verification_table`): mean with a normal 95 % interval; the P95 with a distribution-free
95 % interval from order statistics (Hahn & Meeker 1991, section 5.2); the share of years meeting the target
with a Wilson 95 % interval (Wilson 1927).

References
----------
.. [1] Hahn, G. J., Meeker, W. Q. (1991). Statistical Intervals: A Guide for Practitioners. Wiley.
.. [2] Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference. J. Am.
   Stat. Assoc. 22:209-212. doi:10.1080/01621459.1927.10502953
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from greendc.availability.seeds import YearSeeds, check_disjoint, year_seeds
from greendc.errors import ScenarioError
from greendc.operate.design import Design
from greendc.operate.faults import fleet_availability, load_reliability
from greendc.operate.policies import DispatchState, Policy, RuleBasedPolicy
from greendc.provenance import Provenance, WeatherProvenance
from greendc.scenario.io import scenario_hash
from greendc.scenario.models import AvailabilityTarget, Scenario

#: Consecutive years per dask task (storage carries over within a chain) [-].
DEFAULT_CHAIN_YEARS = 10


def _year_profiles(scenario: Scenario, seeds: YearSeeds, calendar_year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Synthetic weather of one calendar year (its own seed, the scenario's stress events and climate case) and its
    profiles."""
    from greendc.assets.profiles import build_profiles
    from greendc.weather.source import synthetic_scenario_weather

    weather = synthetic_scenario_weather(scenario, 1, calendar_year, seeds.weather)
    return weather, build_profiles(scenario, weather)


def run_chain(
    design: Design,
    scenario: Scenario,
    seeds: Sequence[YearSeeds],
    policy: Policy | None = None,
    initial_soc_fraction: float = 0.5,
    initial_h2_fraction: float = 0.5,
    common_mode: bool = True,
) -> dict[str, pd.DataFrame]:
    """Run consecutive unseen years (one per entry of ``seeds``) continuously; one dask task.

    Returns
    -------
    dict
        ``runs`` (one row per year: seeds, calendar year and the scalar figures of
        :func:`~greendc.operate.result.summarise`, per-class figures as ``<figure>.<class>``), ``events``
        (:func:`greendc.availability.events.loss_events` with the year's index) and ``heatmap`` (firm unserved
        energy by month × hour [MWh], summed over the chain).
    """
    from greendc.assets.water import pv_cleaning_water_m3_per_yr
    from greendc.availability.events import loss_events, loss_heatmap
    from greendc.operate.common_mode import common_mode_series, load_common_mode
    from greendc.operate.forecasts import PersistenceForecast
    from greendc.operate.scheduler import SchedulerParameters
    from greendc.operate.simulate import dispatch_frame, dispatch_inputs, run_policy, year_figures

    policy = policy if policy is not None else RuleBasedPolicy()
    table = load_reliability()
    cm_table = load_common_mode() if common_mode else None
    start_year = scenario.weather.start_year
    weathers, profiles, avail, cm = [], [], [], []
    for position, ys in enumerate(seeds):
        w, p = _year_profiles(scenario, ys, start_year + position)
        weathers.append(w)
        profiles.append(p)
        avail.append(fleet_availability(design, len(p), 1.0, ys.outage, table))
        if cm_table is not None:
            cm.append(common_mode_series(len(p), 1.0, ys.common_mode, cm_table))
    prof = pd.concat(profiles)
    weather = pd.concat(weathers)
    fleets = {k: np.concatenate([a[k] for a in avail]) for k in avail[0]}
    modes = {k: np.concatenate([c[k] for c in cm]) for k in cm[0]} if cm else None
    starts = np.cumsum([0] + [len(p) for p in profiles])
    inputs = dispatch_inputs(
        design,
        scenario,
        prof,
        fleets,
        table,
        PersistenceForecast(),
        SchedulerParameters(),
        forecast_seed=seeds[0].forecast,
        common_mode=modes,
    )
    segments = tuple((int(a), ys.forecast) for a, ys in zip(starts[:-1], seeds, strict=True))
    inputs = replace(inputs, forecast_segments=segments)
    state = DispatchState.at_fractions(inputs, initial_soc_fraction, initial_h2_fraction)
    frame = dispatch_frame(inputs, run_policy(policy, inputs, state), prof)
    cleaning_m3_per_yr = pv_cleaning_water_m3_per_yr(design.pv_mw, scenario.technologies.pv)
    availability = pd.DataFrame({f"{k}_available_fraction": v for k, v in fleets.items()}, index=prof.index)
    if modes is not None:
        availability["site_trip_fraction"] = modes["site_trip_fraction"]
    rows, events = [], []
    for ys, a, b in zip(seeds, starts[:-1], starts[1:], strict=True):
        part = frame.iloc[a:b]
        rows.append(
            {
                "year_index": ys.index,
                "calendar_year": int(part.index[0].year),
                "weather_seed": ys.weather,
                "outage_seed": ys.outage,
                "common_mode_seed": ys.common_mode,
                "forecast_seed": ys.forecast,
            }
            | year_figures(part, inputs, scenario, cleaning_m3_per_yr)
        )
        ev = loss_events(
            part, inputs.firm_names, prof.iloc[a:b], weather.iloc[a:b], availability.iloc[a:b], capacities=design
        )
        events.append(ev.assign(year_index=ys.index))
        common = float(ev.loc[ev["cause"] == "common_mode", "duration_h"].sum())
        rows[-1] |= {"firm_hours_common_mode": common, "firm_hours_supply": rows[-1]["lolh_h_per_yr"] - common}
    return {
        "runs": pd.DataFrame(rows),
        "events": pd.concat(events, ignore_index=True),
        "heatmap": loss_heatmap(frame, inputs.firm_names),
    }


def design_seeds(scenario: Scenario) -> list[int]:
    """Weather seeds a scenario's design uses: its synthetic weather seed, none for a weather file."""
    return [scenario.weather.seed] if scenario.weather.source == "synthetic" else []


@contextmanager
def dask_client(scheduler: str | None = None, n_workers: int | None = None):
    """A dask.distributed client: a ``LocalCluster`` of processes (one thread each, the machine's memory shared
    between them) by default, or the scheduler at ``scheduler`` (``tcp://HOST:8786``)."""
    from distributed import Client, LocalCluster

    if scheduler is not None:
        with Client(scheduler) as client:
            yield client
        return
    workers = n_workers or max(1, min(os.cpu_count() or 1, 8))
    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):
        yield client


def wilson_interval(successes: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score interval of a proportion [-].

    Examples
    --------
    >>> [round(x, 4) for x in wilson_interval(190, 200)]
    [0.9104, 0.9726]
    """
    if n == 0:
        return (float("nan"), float("nan"))
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def quantile_interval(values: np.ndarray, q: float, confidence: float = 0.95) -> tuple[float, float, float]:
    """Empirical quantile and its distribution-free interval from order statistics [same unit].

    The ranks ``l, u`` are the binomial ``(n, q)`` quantiles at ``(1 ∓ confidence) / 2``; the interval is
    ``[x_(l), x_(u)]`` (clipped to the sample), the point value ``numpy.quantile(values, q)``. Clipped, it
    covers less than ``confidence`` on small samples (for the P95, fewer than about 60 values: 63 % at 20).

    Examples
    --------
    >>> [round(x, 2) for x in quantile_interval(np.arange(1.0, 201.0), 0.95)]
    [190.05, 184.0, 197.0]
    """
    x = np.sort(np.asarray(values, dtype=float))
    n = x.size
    if n == 0:
        return (float("nan"), float("nan"), float("nan"))
    lo = int(stats.binom.ppf((1 - confidence) / 2, n, q))
    hi = int(stats.binom.ppf(1 - (1 - confidence) / 2, n, q)) + 1
    return (float(np.quantile(x, q)), float(x[max(lo, 1) - 1]), float(x[min(hi, n) - 1]))


def _hours_stats(hours: np.ndarray) -> dict[str, Any]:
    """Mean (normal 95 % interval, clipped at 0: hours are never negative), P95 (order-statistic 95 % interval)
    and worst of yearly hours [h/yr]."""
    n = hours.size
    mean = float(hours.mean()) if n else float("nan")
    half = 1.959964 * float(hours.std(ddof=1)) / math.sqrt(n) if n > 1 else float("nan")
    p95, p95_lo, p95_hi = quantile_interval(hours, 0.95)
    return {
        "mean": mean,
        "mean_ci95": [max(mean - half, 0.0), mean + half],
        "p95": p95,
        "p95_ci95": [p95_lo, p95_hi],
        "worst": float(hours.max()) if n else float("nan"),
    }


def verification_table(
    runs: pd.DataFrame, target: AvailabilityTarget | None, flexible: Sequence[str]
) -> dict[str, Any]:
    """Committee figures over the unseen years (see the module docstring).

    Returns
    -------
    dict
        ``years``; ``firm_hours_per_yr`` (all causes), ``firm_hours_supply_per_yr`` (supply adequacy: all
        causes but common-mode trips) and ``firm_hours_common_mode_per_yr``, each with ``mean`` (and
        ``mean_ci95``), ``p95`` (and ``p95_ci95``) and ``worst`` [h/yr]; ``eens_mwh_per_yr`` (IT energy not
        served, all classes, mean) and ``firm_unserved_mwh_per_yr`` (mean) [MWh/yr]; ``events_per_yr``
        (mean); ``share_of_years_with_loss``; ``flexible_work_done_fraction`` by class; with a target,
        ``share_of_years_meeting`` (with ``ci95``) on the hours the target counts
        (``AvailabilityTarget.count_common_mode``), ``firm_target_met``, ``flexible_target_met``, ``passed``
        and the target itself.
    """
    n = len(runs)
    hours = runs["lolh_h_per_yr"].to_numpy(dtype=float)
    firm_cols = [
        c for c in runs.columns if c.startswith("unserved_it_mwh_per_yr.") and c.split(".", 1)[1] not in flexible
    ]
    out: dict[str, Any] = {
        "years": n,
        "firm_hours_per_yr": _hours_stats(hours),
        "firm_hours_supply_per_yr": _hours_stats(runs["firm_hours_supply"].to_numpy(dtype=float)),
        "firm_hours_common_mode_per_yr": _hours_stats(runs["firm_hours_common_mode"].to_numpy(dtype=float)),
        "eens_mwh_per_yr": float(runs["unserved_mwh_per_yr"].mean()),
        "firm_unserved_mwh_per_yr": float(runs[firm_cols].sum(axis=1).mean()) if firm_cols else 0.0,
        "events_per_yr": float(runs["loss_of_load_events_per_yr"].mean()),
        "share_of_years_with_loss": float((hours > 0).mean()) if n else float("nan"),
        "flexible_work_done_fraction": {
            c: 1.0 - float(runs[f"unserved_it_mwh_per_yr.{c}"].sum()) / requested
            for c in flexible
            if (requested := float(runs[f"requested_it_mwh_per_yr.{c}"].sum())) > 0
        },
    }
    if target is not None:
        counted = hours if target.count_common_mode else runs["firm_hours_supply"].to_numpy(dtype=float)
        meeting = int((counted <= target.firm_hours_per_year + 1e-9).sum())
        share = meeting / n if n else float("nan")
        flex_ok = target.flexible_work_done_fraction is None or all(
            v >= target.flexible_work_done_fraction for v in out["flexible_work_done_fraction"].values()
        )
        out |= {
            "target": target.model_dump(),
            "share_of_years_meeting": share,
            "share_of_years_meeting_ci95": list(wilson_interval(meeting, n)),
            "firm_target_met": bool(share >= target.share_of_years),
            "flexible_target_met": bool(flex_ok),
            "passed": bool(share >= target.share_of_years and flex_ok),
        }
    return out


@dataclass(frozen=True, eq=False)
class Verification:
    """Result of :func:`verify`.

    Attributes
    ----------
    runs : pandas.DataFrame
        One row per unseen year (see :func:`run_chain`).
    events : pandas.DataFrame
        Every loss-of-load event with its cause (:func:`greendc.availability.events.loss_events`).
    heatmap : pandas.DataFrame
        Firm unserved energy by month (rows 1-12) × UTC hour (columns 0-23), summed over all years [MWh].
    table : dict
        :func:`verification_table`.
    provenance : Provenance
        Scenario and hash, the unseen weather (root seed, years); in ``details`` the chain length, policy,
        forecast, common-mode faults, restart time, the design's weather seeds, workers and wall time [s].
    """

    runs: pd.DataFrame
    events: pd.DataFrame
    heatmap: pd.DataFrame
    table: dict[str, Any]
    provenance: Provenance = field(default_factory=lambda: Provenance("verification"))

    @property
    def passed(self) -> bool | None:
        """Whether the target is met (None without a target)."""
        return self.table.get("passed")


def verify(
    design: Design,
    scenario: Scenario,
    target: AvailabilityTarget | None = None,
    years: int | None = None,
    root_seed: int | None = None,
    design_weather_seeds: Sequence[int] | None = None,
    client: Any = None,
    chain_years: int = DEFAULT_CHAIN_YEARS,
    policy: Policy | None = None,
    common_mode: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Verification:
    """Run ``design`` on unseen synthetic years in parallel and summarise its availability.

    Parameters
    ----------
    design : Design
    scenario : Scenario
        Site, stress events, workload classes, restart time.
    target : AvailabilityTarget, optional
        Default ``scenario.rules.availability``; gives the default years and seed.
    years, root_seed : int, optional
        Number of unseen years and their root seed (default: the target's, else 200 and 20 260 001).
    design_weather_seeds : sequence of int, optional
        Weather seeds used in design; a verification seed equal to one of them is refused. Default
        :func:`design_seeds` of ``scenario``.
    client : distributed.Client, optional
        Where to run; default a local cluster for this call (:func:`dask_client`).
    chain_years : int
        Years per task [-].
    policy : Policy, optional
        Default :class:`~greendc.operate.policies.RuleBasedPolicy` (the default operating policy).
    common_mode : bool
        Draw the common-mode failures (:mod:`greendc.operate.common_mode`).
    progress : callable, optional
        Called as ``progress(done, total)`` after each chain.
    """
    t0 = time.perf_counter()
    target = target if target is not None else scenario.rules.availability
    n_years = years if years is not None else (target.verification_years if target is not None else 200)
    seed = root_seed if root_seed is not None else (target.verification_seed if target is not None else 20_260_001)
    if isinstance(chain_years, bool) or int(chain_years) != chain_years or chain_years < 1:
        raise ScenarioError(f"chain_years = {chain_years!r}; allowed: an integer >= 1")
    if design_weather_seeds is None:
        design_weather_seeds = design_seeds(scenario)
    seeds = year_seeds(seed, n_years)
    check_disjoint(seeds, design_weather_seeds)
    chains = [seeds[i : i + chain_years] for i in range(0, len(seeds), chain_years)]
    if client is None:
        with dask_client() as own:
            return verify(
                design,
                scenario,
                target,
                n_years,
                seed,
                design_weather_seeds,
                own,
                chain_years,
                policy,
                common_mode,
                progress,
            )
    from distributed import as_completed

    futures = [
        client.submit(run_chain, design, scenario, chain, policy, common_mode=common_mode, pure=False)
        for chain in chains
    ]
    parts = []
    for done, fut in enumerate(as_completed(futures), start=1):
        parts.append(fut.result())
        if progress is not None:
            progress(done, len(futures))
    runs = pd.concat([p["runs"] for p in parts], ignore_index=True).sort_values("year_index", ignore_index=True)
    events = pd.concat([p["events"] for p in parts], ignore_index=True)
    if len(events):
        events = events.sort_values(["year_index", "start"], ignore_index=True)
    heatmap = sum((p["heatmap"] for p in parts[1:]), parts[0]["heatmap"])
    flexible = [wc.name for wc in scenario.datacenter.workload_classes if wc.flexible]
    table = verification_table(runs, target, flexible)
    provenance = Provenance(
        "verification",
        scenario.name,
        scenario_hash(scenario),
        WeatherProvenance(
            "synthetic",
            years=n_years,
            start_year=scenario.weather.start_year,
            seed=seed,
            climatology=scenario.site.climatology,
            climate=scenario.weather.climate,
        ),
        details={
            "years": n_years,
            "root_seed": seed,
            "chain_years": chain_years,
            "policy": (policy or RuleBasedPolicy()).describe(),
            "forecast": "persistence (24 h)",
            "common_mode": common_mode,
            "restart_hours": scenario.datacenter.restart_hours,
            "design_weather_seeds": [int(s) for s in design_weather_seeds],
            "workers": len(client.scheduler_info().get("workers", {})),
            "wall_time_s": time.perf_counter() - t0,
        },
    )
    return Verification(runs, events, heatmap, table, provenance)


__all__ = [
    "DEFAULT_CHAIN_YEARS",
    "Verification",
    "dask_client",
    "design_seeds",
    "quantile_interval",
    "run_chain",
    "verification_table",
    "verify",
    "wilson_interval",
]
