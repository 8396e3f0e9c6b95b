"""PyPSA export: PyPSA itself recomputes the design's cost and finds the design able to serve the load."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greendc.costs import CostRow
from greendc.plan.inputs import BatterySpec, HydrogenSpec, PlanInputs, WorkloadInput
from greendc.plan.solve import solve

pypsa = pytest.importorskip("pypsa")

from greendc.plan.pypsa_export import export_pypsa, to_pypsa_network  # noqa: E402

HOURS = 48


def inputs() -> PlanInputs:
    hour = np.arange(HOURS) % 24
    costs = {
        name: CostRow(name, capex, "USD/unit", 10.0, 0.0, eff, "hand-made for the test")
        for name, capex, eff in [
            ("pv", 1000.0, 1.0),
            ("wind", 3200.0, 1.0),
            ("battery_energy", 10.0, 1.0),
            ("battery_power", 50.0, 0.81),
            ("electrolyser", 300.0, 0.6),
            ("h2_store", 0.5, 1.0),
            ("fuel_cell", 300.0, 0.5),
        ]
    }
    return PlanInputs(
        index=pd.date_range("2030-06-01", periods=HOURS, freq="h", tz="UTC"),
        weights_h=np.ones(HOURS),
        pv_cf=np.where((hour >= 6) & (hour < 18), 0.9, 0.0),
        wind_cf=0.3 + 0.2 * np.sin(np.arange(HOURS) / 7.0),
        workloads=(WorkloadInput("firm", np.full(HOURS, 100.0)),),
        costs=costs,
        discount_rate=0.0,
        horizon_years=HOURS / 8760,
        battery=BatterySpec(0.9, 0.9),
        hydrogen=HydrogenSpec(0.6, 0.5),
    )


def test_pypsa_recomputes_the_objective_from_the_exported_design():
    inp = inputs()
    res = solve(inp)
    n = to_pypsa_network(inp, res)
    # PyPSA's own capex: Σ capital_cost × p_nom over generators, links and stores
    capex = (
        (n.generators.capital_cost * n.generators.p_nom).sum()
        + (n.links.capital_cost * n.links.p_nom).sum()
        + (n.stores.capital_cost * n.stores.e_nom).sum()
    )
    assert capex == pytest.approx(res.objective_usd_per_yr, rel=1e-9)
    assert n.links.at["fuel cell", "p_nom"] * 0.5 == pytest.approx(res.capacities["fuelcell_mw"])


def test_exported_design_serves_the_load_in_pypsa(tmp_path):
    inp = inputs()
    res = solve(inp)
    path = export_pypsa(inp, res, tmp_path / "design.nc")
    n = pypsa.Network(path)
    assert n.generators.at["pv", "p_nom"] == pytest.approx(res.capacities["pv_mw"])
    # fixed capacities, PyPSA dispatches them (a small fuel price so that the objective is not empty):
    # the LP is feasible, i.e. the design serves the load every hour with PyPSA's own storage equations
    n.generators["marginal_cost"] = 1e-3
    status, condition = n.optimize(solver_name="highs", include_objective_constant=False)
    assert (status, condition) == ("ok", "optimal")
    np.testing.assert_allclose(
        n.generators_t.p.sum(axis=1)
        + n.links_t.p1[["battery discharger", "fuel cell"]].sum(axis=1).mul(-1)
        - n.links_t.p0[["battery charger", "electrolyser"]].sum(axis=1),
        n.loads_t.p_set["data center"],
        atol=1e-6,
    )


def test_grid_import_is_exported_as_a_priced_generator():
    from dataclasses import replace

    from greendc.plan.inputs import PlanRules

    inp = replace(inputs(), rules=PlanRules(grid_allowed=True, grid_price_usd_per_mwh=0.02, grid_max_import_mw=30.0))
    res = solve(inp)
    assert res.dispatch.grid_import_mw.max() > 0
    n = to_pypsa_network(inp, res)
    assert n.generators.at["grid", "p_nom"] == 30.0 and n.generators.at["grid", "marginal_cost"] == 0.02
    np.testing.assert_allclose(n.generators_t.p["grid"], res.dispatch.grid_import_mw)
    # PyPSA re-dispatches the fixed design with the grid: feasible, the load served every hour
    status, condition = n.optimize(solver_name="highs", include_objective_constant=False)
    assert (status, condition) == ("ok", "optimal")
