"""One plan result from the yearly results of a design solved year by year at full resolution.

The certified design (:mod:`greendc.plan.certify`) is operated at full resolution one year at a time by
its hourly check; :func:`combine_year_results` lays those years end to end into the
:class:`~greendc.plan.result.PlanResult` that ``summary.json``, ``dispatch.parquet`` and the report show:
the hourly dispatch of the whole horizon, per-year figures averaged over the years by their length, and the
cost of the design (capital plus the operating cost of the checked dispatch; the check's price of lost
load, a ranking device, is left out).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from greendc.assets.water import dispatch_water_figures
from greendc.plan.result import PlanResult, SolveStatus
from greendc.provenance import Provenance

__all__ = ["combine_year_results"]

#: Per-year figures averaged over the years, weighted by their length.
_AVERAGED = (
    "it_energy_mwh_per_yr", "facility_energy_mwh_per_yr", "curtailment_mwh_per_yr", "battery_cycles_per_yr",
    "h2_cycles_per_yr", "water_m3_per_yr", "unserved_mwh_per_yr",
)  # fmt: skip


def combine_year_results(
    years: Sequence[PlanResult], pv_cleaning_m3_per_yr: float, provenance: Provenance
) -> PlanResult:
    """Lay yearly results of one design end to end.

    Parameters
    ----------
    years : sequence of PlanResult
        The design's results for consecutive calendar years, same capacities.
    pv_cleaning_m3_per_yr : float
        PV cleaning water of the design [m³/yr].
    provenance : Provenance
        Provenance of the combined result.

    Returns
    -------
    PlanResult
    """
    length = np.array([r.horizon_years for r in years])
    share = length / length.sum()

    def mean(name: str) -> float:
        return float(sum(s * getattr(r, name) for s, r in zip(share, years, strict=True)))

    annual: dict[str, float] = {}
    for s, r in zip(share, years, strict=True):
        for key, value in r.annualised_cost_usd_per_yr.items():
            annual[key] = annual.get(key, 0.0) + s * float(value)
    annual["unserved_energy"] = 0.0  # the check's price of lost load ranks dispatches; it is not a cost
    objective = float(sum(annual.values()))
    dispatch = pd.concat([r.dispatch for r in years])
    w = np.concatenate([r.weights_h for r in years])
    horizon = float(length.sum())
    figures = {name: mean(name) for name in _AVERAGED}
    available = sum(
        s * (r.curtailment_mwh_per_yr / r.curtailment_fraction if r.curtailment_fraction > 0 else 0.0)
        for s, r in zip(share, years, strict=True)
    )
    first = years[0]
    grid = None if first.grid_import_mwh_per_yr is None else mean("grid_import_mwh_per_yr")
    co2 = None if first.grid_co2_kg_per_yr is None else mean("grid_co2_kg_per_yr")
    reserves = {k: max(float(r.reserves.get(k, 0.0)) for r in years) for k in first.reserves}
    return PlanResult(
        capacities=dict(first.capacities),
        capex_usd=dict(first.capex_usd),
        annualised_cost_usd_per_yr=annual,
        objective_usd_per_yr=objective,
        cost_usd_per_mwh_it=objective / figures["it_energy_mwh_per_yr"],
        cost_usd_per_mwh_facility=objective / figures["facility_energy_mwh_per_yr"],
        curtailment_fraction=figures["curtailment_mwh_per_yr"] / available if available > 0 else 0.0,
        land_km2=first.land_km2,
        land_by_kind_km2=first.land_by_kind_km2,
        dispatch=dispatch,
        energy_price_usd_per_mwh=pd.concat([r.energy_price_usd_per_mwh for r in years]),
        weights_h=w,
        horizon_years=horizon,
        status=SolveStatus.OPTIMAL,
        provenance=provenance,
        grid_import_mwh_per_yr=grid,
        grid_co2_kg_per_yr=co2,
        reserves=reserves,
        water=dispatch_water_figures(dispatch, w, horizon, pv_cleaning_m3_per_yr),
        **figures,
    )
