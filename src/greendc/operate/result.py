"""Results of simulations: the dispatch table, the reliability summary, Monte Carlo statistics.

Dispatch columns (MW are step means, MWh levels at the end of the step, m³ per step) — the planner's
columns (:mod:`greendc.plan.result`) plus four kinds of extra columns:

=============================  =====  ===============================================================
column                         unit   meaning
=============================  =====  ===============================================================
``pv_mw``, ``wind_mw``         MW     renewable output used (available minus its share of curtailment)
``curtailed_mw``               MW     renewable output not used
``battery_charge_mw``          MW     battery charging power (AC side)
``battery_discharge_mw``       MW     battery discharging power (AC side)
``battery_soc_mwh``            MWh    battery state of charge
``electrolyser_mw``            MW     electrolyser electric input
``fuel_cell_mw``               MW     fuel-cell electric output
``h2_level_mwh``               MWh    hydrogen in store (LHV)
``it_mw``                      MW     IT power served, all classes
``it_<class>_mw``              MW     IT power served to one class
``facility_mw``                MW     facility power served: ``Σ IT × (PUE + desalination) + auxiliaries``
``unserved_mw``                MW     IT power not served: firm requests shed + flexible work dropped at
                                      its deadline (MWh / step length), as the planner counts it
``grid_import_mw``             MW     0 (no grid in the simulator)
``water_m3``                   m³     fresh water of the data centre (cooling) in the step
``electrolyser_water_m3``      m³     electrolyser process water (energy plant, outside the data centre)
``seawater_m3``                m³     seawater withdrawn (and returned) by once-through cooling
``heat_to_sea_mw``             MW     heat carried to the sea by that seawater [MW_th]
``requested_<class>_mw``       MW     requested IT power of a class (extra)
``unserved_<class>_mw``        MW     IT power not served to a class (extra; sums to ``unserved_mw``)
``unserved_facility_mw``       MW     facility power of the unserved IT and of shed auxiliaries (extra)
``backlog_<class>_mwh``        MWh    flexible work waiting at the end of the step (extra)
``overhead_<class>_mw``        MW     IT power of a flexible class that did no requested work: checkpoint
                                      restarts and the power-capping penalty (part of ``it_<class>_mw``;
                                      :mod:`greendc.operate.accounting`) (extra)
``reserve_mw``                 MW     battery + fuel-cell headroom sustainable for 1 h (extra)
``csp_mw``                     MW     CSP power-block electric output (only with CSP)
``csp_storage_mwh_th``         MWh    heat in the CSP thermal storage at the end of the step [MWh_th] (only
                                      with CSP)
``csp_dumped_mw_th``           MW     CSP field heat dumped, mirrors defocused [MW_th] (only with CSP; not
                                      in ``curtailed_mw``, which is electric)
=============================  =====  ===============================================================

Energy balance, every step (``csp`` 0 without CSP):
``pv + wind + csp + battery_discharge − battery_charge + fuel_cell − electrolyser + grid_import = facility``.
``csp_mw`` is on-site renewable output, counted as such by :func:`greendc.kpi.metrics.renewable_energy_mwh`
(its default ``RENEWABLE_COLUMNS``).

Reliability figures follow the data-centre practice (loss-of-load hours and unserved energy over many
weather years, compared with the Uptime Tier downtime hours: Tier III 1.6 h/yr, Tier IV 0.4–0.8 h/yr) and
count only the firm classes for loss of load: flexible work is lost only when it misses its deadline.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from greendc.assets.water import dispatch_water_figures
from greendc.constants import HOURS_PER_YEAR
from greendc.operate.design import Design
from greendc.provenance import Provenance, stamped
from greendc.units import RENAMED_COLUMNS, renaming

#: Unserved IT power below this counts as served [MW] (solver and float round-off).
UNSERVED_TOLERANCE_MW = 1e-6
#: Return periods reported by default [years].
RETURN_PERIODS_YEARS: tuple[int, ...] = (2, 5, 10, 20, 50, 100)


def json_ready(value: Any) -> Any:
    """``value`` with numpy scalars as Python numbers, NaN and infinities as None, mappings and sequences
    walked (what :func:`json.dumps` accepts).

    >>> json_ready({"a": np.float64(1.5), "b": [np.int64(2), float("nan"), np.bool_(True)]})
    {'a': 1.5, 'b': [2, None, True]}
    """
    if isinstance(value, Mapping):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (np.floating, float)):
        return None if not np.isfinite(value) else float(value)
    if isinstance(value, (np.integer, int)) and not isinstance(value, bool):
        return int(value)
    return value


def run_lengths(mask: np.ndarray) -> np.ndarray:
    """Lengths of the runs of consecutive ``True`` in ``mask`` [steps].

    >>> run_lengths(np.array([0, 1, 1, 0, 1], dtype=bool)).tolist()
    [2, 1]
    """
    m = np.concatenate([[False], np.asarray(mask, dtype=bool), [False]])
    edges = np.flatnonzero(np.diff(m.astype(np.int8)))
    return edges[1::2] - edges[::2]


def horizon_years(index: pd.DatetimeIndex, weights_h: np.ndarray) -> float:
    """Length of a run in years: whole calendar years when the index covers them exactly, else hours / 8760."""
    if len(index) > 1:
        end = index[-1] + pd.Timedelta(hours=float(weights_h[-1]))
        if (
            index[0] == index[0].normalize()
            and index[0].month == 1
            and index[0].day == 1
            and end == end.normalize()
            and end.month == 1
            and end.day == 1
        ):
            return float(end.year - index[0].year)
    return float(np.sum(weights_h)) / HOURS_PER_YEAR


def summarise(
    dispatch: pd.DataFrame,
    design: Design,
    firm_classes: Sequence[str],
    flexible_classes: Sequence[str],
    reserve_fraction: float = 0.0,
    years: float | None = None,
    pv_cleaning_m3_per_yr: float = 0.0,
) -> dict[str, Any]:
    """Headline figures of a simulated dispatch.

    Parameters
    ----------
    dispatch : pandas.DataFrame
        Columns as in the module docstring, on a regular UTC index.
    design : Design
        Capacities (for cycles and minimum states of charge).
    firm_classes, flexible_classes : sequence of str
        Workload class names.
    reserve_fraction : float
        The reserve rule: headroom ≥ this share of the facility load [-]; 0 = no rule.
    years : float, optional
        Length of the run [yr]; default from the index (:func:`horizon_years`).
    pv_cleaning_m3_per_yr : float
        PV cleaning water [m³/yr] (:func:`greendc.assets.water.pv_cleaning_water_m3_per_yr`).

    Returns
    -------
    dict
        Per year unless said: ``requested_it_mwh_per_yr``, ``served_it_mwh_per_yr``,
        ``unserved_it_mwh_per_yr`` and ``served_fraction`` by class; ``unserved_mwh_per_yr`` (IT, all
        classes = EENS of IT energy); ``eens_facility_mwh_per_yr`` (the facility energy that IT would have
        drawn); ``lolh_h_per_yr`` (hours with firm IT shed), ``loss_of_load_events_per_yr``,
        ``longest_interruption_h`` (longest run of firm shedding, whole run); ``curtailment_mwh_per_yr``,
        ``curtailment_fraction``; ``battery_cycles_per_yr`` (equivalent full cycles: discharged energy /
        capacity), ``h2_cycles_per_yr``; ``battery_soc_min_fraction``, ``h2_store_min_fraction`` (of
        capacity, whole run); ``reserve_below_rule_h_per_yr``; energies; ``water_m3_per_yr`` (fresh water of the
        data centre) and the water figures of :func:`greendc.assets.water.water_figures`
        (``water_by_kind_m3_per_yr``, ``seawater_withdrawal_m3_per_s``, ``thermal_discharge_mw``,
        ``outfall_delta_t_k``). With CSP
        columns (a design with CSP) also ``csp_energy_mwh_per_yr`` [MWh], ``csp_dumped_heat_mwh_th_per_yr``
        [MWh_th] and ``csp_storage_min_fraction`` (of ``E_s``, whole run; NaN without storage).
    """
    w = (
        np.full(len(dispatch), (dispatch.index[1] - dispatch.index[0]) / pd.Timedelta(hours=1))
        if len(dispatch) > 1
        else np.ones(len(dispatch))
    )
    yrs = years if years is not None else horizon_years(dispatch.index, w)

    def per_year(x: np.ndarray) -> float:
        # elementwise product and pairwise sum: no BLAS call (np.dot can stall on thread start-up)
        return float(np.sum(np.asarray(x, dtype=float) * w)) / yrs

    classes = list(firm_classes) + list(flexible_classes)
    requested = {c: per_year(dispatch[f"requested_{c}_mw"]) for c in classes}
    served = {c: per_year(dispatch[f"it_{c}_mw"]) for c in classes}
    unserved = {c: per_year(dispatch[f"unserved_{c}_mw"]) for c in classes}
    firm_unserved = (
        dispatch[[f"unserved_{c}_mw" for c in firm_classes]].sum(axis=1).to_numpy()
        if firm_classes
        else np.zeros(len(dispatch))
    )
    loss = firm_unserved > UNSERVED_TOLERANCE_MW
    runs = run_lengths(loss)
    it_mw = dispatch["it_mw"].to_numpy()
    facility = dispatch["facility_mw"].to_numpy()
    curtailed = dispatch["curtailed_mw"].to_numpy()
    available = dispatch["pv_mw"].to_numpy() + dispatch["wind_mw"].to_numpy() + curtailed
    avail_mwh = per_year(available)
    reserve_short = np.zeros(len(dispatch), dtype=bool)
    if reserve_fraction > 0:
        reserve_short = dispatch["reserve_mw"].to_numpy() < reserve_fraction * facility - UNSERVED_TOLERANCE_MW
    req_firm = sum(requested[c] for c in firm_classes)
    csp: dict[str, float] = {}
    if "csp_mw" in dispatch.columns:
        csp = {
            "csp_energy_mwh_per_yr": per_year(dispatch["csp_mw"]),
            "csp_dumped_heat_mwh_th_per_yr": per_year(dispatch["csp_dumped_mw_th"]),
            "csp_storage_min_fraction": (
                float(dispatch["csp_storage_mwh_th"].min()) / design.csp_storage_mwh_th
                if design.csp_storage_mwh_th > 0
                else float("nan")
            ),
        }
    return (
        {
            "hours": float(w.sum()),
            "years": yrs,
            "step_h": float(w[0]) if len(w) else float("nan"),
            "requested_it_mwh_per_yr": requested,
            "served_it_mwh_per_yr": served,
            "unserved_it_mwh_per_yr": unserved,
            "served_fraction": {c: (1.0 - unserved[c] / requested[c] if requested[c] > 0 else 1.0) for c in classes},
            "firm_served_fraction": 1.0 - sum(unserved[c] for c in firm_classes) / req_firm if req_firm > 0 else 1.0,
            "unserved_mwh_per_yr": sum(unserved.values()),
            "eens_facility_mwh_per_yr": per_year(dispatch["unserved_facility_mw"]),
            "lolh_h_per_yr": per_year(loss.astype(float)),
            "loss_of_load_events_per_yr": float(runs.size) / yrs,
            "longest_interruption_h": float(runs.max() * w[0]) if runs.size else 0.0,
            "it_energy_mwh_per_yr": per_year(it_mw),
            "facility_energy_mwh_per_yr": per_year(facility),
            "pv_energy_mwh_per_yr": per_year(dispatch["pv_mw"]),
            "wind_energy_mwh_per_yr": per_year(dispatch["wind_mw"]),
            "curtailment_mwh_per_yr": per_year(curtailed),
            "curtailment_fraction": per_year(curtailed) / avail_mwh if avail_mwh > 0 else 0.0,
            "battery_discharge_mwh_per_yr": per_year(dispatch["battery_discharge_mw"]),
            "fuel_cell_mwh_per_yr": per_year(dispatch["fuel_cell_mw"]),
            "battery_cycles_per_yr": (
                per_year(dispatch["battery_discharge_mw"]) / design.battery_mwh if design.battery_mwh > 0 else 0.0
            ),
            "h2_cycles_per_yr": (
                per_year(dispatch["fuel_cell_mw"]) / design.fuel_cell_efficiency / design.h2_store_mwh
                if design.h2_store_mwh > 0
                else 0.0
            ),
            "battery_soc_min_fraction": (
                float(dispatch["battery_soc_mwh"].min()) / design.battery_mwh
                if design.battery_mwh > 0
                else float("nan")
            ),
            "h2_store_min_fraction": (
                float(dispatch["h2_level_mwh"].min()) / design.h2_store_mwh if design.h2_store_mwh > 0 else float("nan")
            ),
            "reserve_below_rule_h_per_yr": per_year(reserve_short.astype(float)),
            "water_m3_per_yr": float(dispatch["water_m3"].sum()) / yrs,
        }
        | dispatch_water_figures(dispatch, w, yrs, pv_cleaning_m3_per_yr)
        | csp
    )


#: Figures compared between a plan and a simulation by :func:`compare_with_plan`.
COMPARED: tuple[str, ...] = (
    "unserved_mwh_per_yr",
    "lolh_h_per_yr",
    "longest_interruption_h",
    "curtailment_fraction",
    "battery_cycles_per_yr",
    "battery_soc_min_fraction",
    "fuel_cell_mwh_per_yr",
    "h2_store_min_fraction",
    "it_energy_mwh_per_yr",
    "facility_energy_mwh_per_yr",
)


def firm_classes_of(dispatch: pd.DataFrame) -> list[str]:
    """Firm classes of a simulated dispatch: classes with a ``requested_<class>_mw`` column and no
    ``backlog_<class>_mwh`` column (flexible classes have a backlog)."""
    names = [c[len("requested_") : -len("_mw")] for c in dispatch.columns if c.startswith("requested_")]
    return [c for c in names if f"backlog_{c}_mwh" not in dispatch.columns]


def canonical_figures(
    dispatch: pd.DataFrame, design: Design, years: float | None = None, firm_classes: Sequence[str] | None = None
) -> dict[str, float]:
    """:data:`COMPARED` figures from the planner's canonical columns. A loss-of-load hour is an hour with firm
    IT load unserved (``unserved_<class>_mw`` of ``firm_classes``), as in :func:`summarise`; without
    ``firm_classes`` any unserved IT counts."""
    w = np.full(len(dispatch), (dispatch.index[1] - dispatch.index[0]) / pd.Timedelta(hours=1))
    yrs = years if years is not None else horizon_years(dispatch.index, w)
    if firm_classes is None:
        firm = dispatch["unserved_mw"].to_numpy()
    else:
        firm = np.zeros(len(dispatch))
        for c in firm_classes:
            firm = firm + dispatch[f"unserved_{c}_mw"].to_numpy()
    loss = firm > UNSERVED_TOLERANCE_MW
    runs = run_lengths(loss)
    curtailed = dispatch["curtailed_mw"].to_numpy()

    def energy(x: np.ndarray) -> float:
        return float(np.sum(np.asarray(x, dtype=float) * w))

    avail = energy((dispatch["pv_mw"] + dispatch["wind_mw"]).to_numpy() + curtailed)
    return {
        "unserved_mwh_per_yr": energy(dispatch["unserved_mw"]) / yrs,
        "lolh_h_per_yr": energy(loss) / yrs,
        "longest_interruption_h": float(runs.max() * w[0]) if runs.size else 0.0,
        "curtailment_fraction": energy(curtailed) / avail if avail > 0 else 0.0,
        "battery_cycles_per_yr": (
            energy(dispatch["battery_discharge_mw"]) / yrs / design.battery_mwh if design.battery_mwh > 0 else 0.0
        ),
        "battery_soc_min_fraction": (
            float(dispatch["battery_soc_mwh"].min()) / design.battery_mwh if design.battery_mwh > 0 else float("nan")
        ),
        "fuel_cell_mwh_per_yr": energy(dispatch["fuel_cell_mw"]) / yrs,
        "h2_store_min_fraction": (
            float(dispatch["h2_level_mwh"].min()) / design.h2_store_mwh if design.h2_store_mwh > 0 else float("nan")
        ),
        "it_energy_mwh_per_yr": energy(dispatch["it_mw"]) / yrs,
        "facility_energy_mwh_per_yr": energy(dispatch["facility_mw"]) / yrs,
    }


class _SummaryJson:
    """``to_dict``/``to_json`` of a result that has ``summary``, ``design`` and ``provenance``."""

    summary: dict[str, Any]  # annotations only: the dataclasses below declare the fields
    design: Design
    provenance: Provenance

    def to_dict(self) -> dict[str, Any]:
        """Summary, design and provenance as JSON-ready values."""
        return json_ready(
            {"summary": self.summary, "design": self.design.to_dict(), "provenance": self.provenance.to_dict()}
        )

    def to_json(self, path: str | os.PathLike[str]) -> Path:
        """Write :meth:`to_dict` as JSON; return the path."""
        path = Path(path)
        path.write_text(json.dumps(self.to_dict(), indent=2), encoding="utf-8")
        return path


@dataclass(frozen=True, eq=False)
class SimulationResult(_SummaryJson):
    """One simulated run of a fixed design.

    Attributes
    ----------
    dispatch : pandas.DataFrame
        Per step, the columns of the module docstring; UTC index.
    summary : dict
        :func:`summarise` of the dispatch.
    design : Design
    availability : pandas.DataFrame
        ``<fleet>_available_fraction`` per step [-] (all ones without faults).
    provenance : Provenance
        Scenario and hash, weather, versions; in ``details`` the fault and forecast seeds, policy, forecast,
        scheduler, step and wall time [s].
    """

    dispatch: pd.DataFrame
    summary: dict[str, Any]
    design: Design
    availability: pd.DataFrame
    provenance: Provenance = field(default_factory=lambda: Provenance("simulation"))

    def to_parquet(self, path: str | os.PathLike[str]) -> Path:
        """Write the dispatch (and the available fractions) to a Parquet file that carries the run's provenance
        (:func:`greendc.provenance.stamped`); return its path."""
        path = Path(path)
        stamped(self.dispatch.join(self.availability), self.provenance).to_parquet(path)
        return path

    def compare_with_plan(self, plan_dispatch: pd.DataFrame) -> dict[str, dict[str, float]]:
        """See :func:`compare_with_plan`."""
        return compare_with_plan(self, plan_dispatch)


def compare_with_plan(result: SimulationResult, plan_dispatch: pd.DataFrame) -> dict[str, dict[str, float]]:
    """What perfect foresight hid: the same figures from the plan's dispatch and from the simulation.

    Parameters
    ----------
    result : SimulationResult
    plan_dispatch : pandas.DataFrame
        The planner's dispatch table (``PlanResult.dispatch`` or ``dispatch.parquet``; an older one's column
        under its old name, :data:`greendc.units.RENAMED_COLUMNS`, is read as its current one).

    Returns
    -------
    dict
        ``{figure: {"plan": x, "simulated": y, "difference": y - x}}`` for :data:`COMPARED`, each per
        year of its own horizon; loss-of-load hours count firm classes only (:func:`firm_classes_of`), the
        meaning of ``lolh_h_per_yr`` in :func:`summarise`.
    """
    firm = firm_classes_of(result.dispatch)
    plan_dispatch = plan_dispatch.rename(columns=renaming(plan_dispatch.columns, RENAMED_COLUMNS))
    plan = canonical_figures(plan_dispatch, result.design, firm_classes=firm)
    sim = canonical_figures(result.dispatch, result.design, firm_classes=firm)
    return {k: {"plan": plan[k], "simulated": sim[k], "difference": sim[k] - plan[k]} for k in COMPARED}


def return_levels(values: Sequence[float], periods_years: Sequence[float] = RETURN_PERIODS_YEARS) -> dict[float, float]:
    """Empirical return levels: the annual value exceeded on average once in ``T`` years.

    With the ``N`` annual values sorted ascending, ``x_(i)`` gets the non-exceedance probability
    ``p_i = i / (N + 1)`` (Weibull plotting position); the level of period ``T`` is ``x`` at
    ``p = 1 − 1/T``, interpolated linearly; NaN when ``T > N + 1`` (not estimable from the sample).

    References: Makkonen, L. (2006). Plotting positions in extreme value analysis. J. Appl. Meteor.
    Climatol. 45:334–340. doi:10.1175/JAM2349.1

    >>> return_levels([0.0, 1.0, 2.0, 3.0], [2, 5, 10])
    {2: 1.5, 5: 3.0, 10: nan}
    """
    x = np.sort(np.asarray(values, dtype=float))
    n = x.size
    p_i = np.arange(1, n + 1) / (n + 1)
    out: dict[float, float] = {}
    for t in periods_years:
        p = 1.0 - 1.0 / t
        out[t] = float(np.interp(p, p_i, x)) if n and t <= n + 1 else float("nan")
    return out


@dataclass(frozen=True, eq=False)
class MonteCarloResult(_SummaryJson):
    """Many year-runs of one design: weather years × fault seeds.

    Attributes
    ----------
    runs : pandas.DataFrame
        One row per year-run: ``weather_seed``, ``year``, ``fault_seed`` and the scalar figures of
        :func:`summarise` for that calendar year (per-class figures flattened as ``<figure>.<class>``).
    summary : dict
        Mean and worst year of the main figures, the share of years with any loss of load, and empirical
        return levels (:func:`return_levels`) of unserved energy, loss-of-load hours and the longest
        interruption.
    design : Design
    provenance : Provenance
        Scenario and hash, the weather seeds, versions; in ``details`` the fault seeds, policy, forecast, step
        and wall time [s].
    """

    runs: pd.DataFrame
    summary: dict[str, Any]
    design: Design
    provenance: Provenance = field(default_factory=lambda: Provenance("monte_carlo"))

    def to_parquet(self, path: str | os.PathLike[str]) -> Path:
        """Write the per-run table to Parquet; return the path."""
        path = Path(path)
        self.runs.to_parquet(path)
        return path


def monte_carlo_summary(runs: pd.DataFrame, periods_years: Sequence[float] = RETURN_PERIODS_YEARS) -> dict[str, Any]:
    """Statistics over year-runs (see :class:`MonteCarloResult`)."""
    main = (
        "unserved_mwh_per_yr",
        "eens_facility_mwh_per_yr",
        "lolh_h_per_yr",
        "longest_interruption_h",
        "curtailment_fraction",
        "battery_cycles_per_yr",
        "firm_served_fraction",
    )
    out: dict[str, Any] = {"year_runs": len(runs)}
    out["mean"] = {k: float(runs[k].mean()) for k in main}
    out["worst"] = {k: float(runs[k].min() if k == "firm_served_fraction" else runs[k].max()) for k in main}
    out["share_of_years_with_loss_of_load"] = float((runs["lolh_h_per_yr"] > 0).mean()) if len(runs) else 0.0
    out["return_levels"] = {
        k: {str(t): v for t, v in return_levels(runs[k].to_numpy(), periods_years).items()}
        for k in ("unserved_mwh_per_yr", "lolh_h_per_yr", "longest_interruption_h")
    }
    return out


__all__ = [
    "COMPARED",
    "RETURN_PERIODS_YEARS",
    "MonteCarloResult",
    "SimulationResult",
    "canonical_figures",
    "compare_with_plan",
    "firm_classes_of",
    "horizon_years",
    "json_ready",
    "monte_carlo_summary",
    "return_levels",
    "run_lengths",
    "summarise",
]
