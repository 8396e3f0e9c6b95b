"""PyPSA export: PyPSA itself recomputes the design's cost and finds the design able to serve the load."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tests.plan.test_plan_water import DEAR, day_night, full_inputs, make_inputs, water_costs

from greendc.constants import H2_LHV_MWH_PER_KG
from greendc.costs import CostRow
from greendc.plan.aggregate import aggregate_time
from greendc.plan.inputs import (
    BatterySpec,
    CspSpec,
    HydrogenSpec,
    PlanInputs,
    PlanRules,
    WaterSpec,
    WorkloadInput,
)
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


def reoptimise(n, extendable: bool = False) -> None:
    """Let PyPSA solve the exported network ``n`` with HiGHS (every capacity extendable when asked: the
    design problem; else the dispatch of the fixed design); it must reach an optimum."""
    if extendable:
        for c in (n.generators, n.links):
            c["p_nom_extendable"] = True
        n.stores["e_nom_extendable"] = True
    assert n.optimize(solver_name="highs", include_objective_constant=False) == ("ok", "optimal")


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
    assert n.links.at["fuel cell", "p_nom"] * 0.5 == pytest.approx(res.capacities["fuel_cell_mw"])


def test_exported_design_serves_the_load_in_pypsa(tmp_path):
    inp = inputs()
    res = solve(inp)
    path = export_pypsa(inp, res, tmp_path / "design.nc")
    n = pypsa.Network(path)
    assert n.generators.at["pv", "p_nom"] == pytest.approx(res.capacities["pv_mw"])
    # fixed capacities, PyPSA dispatches them (a small fuel price so that the objective is not empty):
    # the LP is feasible, i.e. the design serves the load every hour with PyPSA's own storage equations
    n.generators["marginal_cost"] = 1e-3
    reoptimise(n)
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
    reoptimise(n)


# --- CSP: heat bus, field generator, thermal store, power-block link ---------------------------------------

CSP_ETA = 0.4


def csp_inputs(loss_per_hour: float = 0.01, vom: float = 0.0, field_cf=None, **kw) -> PlanInputs:
    """Two days: PV and CSP field (cf x 1.1) at 0.9 by day and 0 by night, a cloudy afternoon on day two.

    ``field_cf`` given: that many hours, field cf as given, no PV or wind.
    """
    if field_cf is None:
        hour = np.arange(HOURS) % 24
        sun = np.where((hour >= 6) & (hour < 18), 0.9, 0.0)
        sun[36:40] = 0.2
        pv_cf, wind_cf, field_cf = sun, 0.1 + 0.05 * np.sin(np.arange(HOURS) / 5.0), sun * 1.1
    else:
        pv_cf = wind_cf = np.zeros(len(field_cf))
    n_h = len(field_cf)
    costs = {
        name: CostRow(name, capex, "USD/unit", 10.0, 0.0, 1.0, "hand-made for the test", vom_usd_per_mwh=v)
        for name, capex, v in [
            ("pv", 1000.0, 0.0),
            ("wind", 3200.0, 0.0),
            ("csp_field", 1000.0, 0.0),
            ("csp_storage", 1.0, 0.0),
            ("csp_power_block", 2000.0, vom),
        ]
    }
    return PlanInputs(
        index=pd.date_range("2030-06-01", periods=n_h, freq="h", tz="UTC"),
        weights_h=np.ones(n_h),
        pv_cf=pv_cf,
        wind_cf=wind_cf,
        workloads=(WorkloadInput("firm", np.full(n_h, 100.0)),),
        costs=costs,
        discount_rate=0.0,
        horizon_years=n_h / 8760,
        csp=CspSpec(thermal_cf=field_cf, power_block_efficiency=CSP_ETA, storage_loss_per_hour=loss_per_hour),
        **kw,
    )


def bus_residuals(n) -> tuple[np.ndarray, np.ndarray]:
    """Supply minus demand on ``site`` and on ``csp heat`` every step [MW], from the network's time series."""
    gen, p0 = n.generators_t.p, n.links_t.p0
    site = gen[[g for g in gen.columns if g != "csp field"]].sum(axis=1) + CSP_ETA * p0["csp power block"]
    heat = gen["csp field"] + n.stores_t.p["csp storage"] - p0["csp power block"]
    return (site - n.loads_t.p_set["data center"]).to_numpy(), heat.to_numpy()


def test_csp_exported_with_the_plans_capacities_and_costs():
    inp = csp_inputs()
    res = solve(inp)
    caps = res.capacities
    assert min(caps["csp_field_mw_th"], caps["csp_storage_mwh_th"], caps["csp_power_block_mw"]) > 1.0
    n = to_pypsa_network(inp, res)
    assert n.buses.at["csp heat", "carrier"] == "heat"
    assert n.generators.at["csp field", "bus"] == "csp heat"
    assert n.generators.at["csp field", "p_nom"] == pytest.approx(caps["csp_field_mw_th"], rel=1e-12)
    assert n.generators.at["csp field", "p_min_pu"] == 0.0
    np.testing.assert_allclose(n.generators_t.p_max_pu["csp field"], inp.csp.thermal_cf)
    assert n.stores.at["csp storage", "e_nom"] == pytest.approx(caps["csp_storage_mwh_th"], rel=1e-12)
    assert n.stores.at["csp storage", "standing_loss"] == 0.01 and n.stores.at["csp storage", "e_cyclic"]
    link = n.links.loc["csp power block"]
    assert (link.bus0, link.bus1, link.efficiency) == ("csp heat", "site", CSP_ETA)
    assert link.p_nom * CSP_ETA == pytest.approx(caps["csp_power_block_mw"], rel=1e-12)
    # PyPSA's capex of the exported design is greendc's objective (no variable O&M here)
    capex = (
        (n.generators.capital_cost * n.generators.p_nom).sum()
        + (n.links.capital_cost * n.links.p_nom).sum()
        + (n.stores.capital_cost * n.stores.e_nom).sum()
    )
    assert capex == pytest.approx(res.objective_usd_per_yr, rel=1e-9)
    assert link.capital_cost * link.p_nom == pytest.approx(res.annualised_cost_usd_per_yr["csp_power_block"])


def test_csp_dispatch_closes_the_site_and_heat_balances_every_hour():
    inp = csp_inputs()
    res = solve(inp)
    n = to_pypsa_network(inp, res)
    site, heat = bus_residuals(n)
    np.testing.assert_allclose(site, 0.0, atol=1e-6)
    np.testing.assert_allclose(heat, 0.0, atol=1e-6)
    # the store's level follows PyPSA's store equation from its p, cyclically
    e, p = n.stores_t.e["csp storage"].to_numpy(), n.stores_t.p["csp storage"].to_numpy()
    np.testing.assert_allclose(e, 0.99 * np.roll(e, 1) - p, atol=1e-6)
    # at least the plan's heat is kept (the plan may dump stored heat, the export keeps it), never above e_nom
    assert np.all(e >= res.dispatch.csp_storage_mwh_th.to_numpy() - 1e-6)
    assert np.all(e <= res.capacities["csp_storage_mwh_th"] + 1e-6)
    field = n.generators_t.p["csp field"].to_numpy()
    available = inp.csp.thermal_cf * res.capacities["csp_field_mw_th"]
    assert np.all(field >= -1e-9) and np.all(field <= available + 1e-6)
    np.testing.assert_allclose(CSP_ETA * n.links_t.p0["csp power block"], res.dispatch.csp_mw, atol=1e-9)


@pytest.mark.parametrize("hours_per_step", [1, 3])
def test_pypsa_reoptimises_the_csp_design_to_greendcs_objective(hours_per_step):
    # Every capacity extendable: PyPSA solves the same design problem (its own store, link and generator
    # equations, elapsed hours in the standing loss) and must find the same least cost.
    inp = aggregate_time(csp_inputs(), hours_per_step)
    res = solve(inp)
    n = to_pypsa_network(inp, res)
    reoptimise(n, extendable=True)
    cost = (
        (n.generators.capital_cost * n.generators.p_nom_opt).sum()
        + (n.links.capital_cost * n.links.p_nom_opt).sum()
        + (n.stores.capital_cost * n.stores.e_nom_opt).sum()
    )
    assert cost == pytest.approx(res.objective_usd_per_yr, rel=1e-4)
    assert n.objective + n.objective_constant == pytest.approx(res.objective_usd_per_yr, rel=1e-4)
    assert n.generators.at["csp field", "p_nom_opt"] > 1.0 and n.stores.at["csp storage", "e_nom_opt"] > 1.0


def test_csp_dispatch_window_and_variable_om():
    # A dispatch window: the storage starts at a given level and its end is free; the block's variable O&M
    # is its marginal cost per MWh of heat in.
    inp = csp_inputs(vom=3.0)
    inp = type(inp)(**{**inp.__dict__, "csp": CspSpec(inp.csp.thermal_cf, CSP_ETA, 0.01, 500.0)})
    res = solve(inp)
    n = to_pypsa_network(inp, res)
    store = n.stores.loc["csp storage"]
    assert not store.e_cyclic and store.e_initial == 500.0
    assert n.links.at["csp power block", "marginal_cost"] == pytest.approx(3.0 * CSP_ETA)
    e, p = n.stores_t.e["csp storage"].to_numpy(), n.stores_t.p["csp storage"].to_numpy()
    np.testing.assert_allclose(e, 0.99 * np.r_[500.0, e[:-1]] - p, atol=1e-6)
    site, heat = bus_residuals(n)
    np.testing.assert_allclose(site, 0.0, atol=1e-6)
    np.testing.assert_allclose(heat, 0.0, atol=1e-6)


def test_heat_dumped_from_storage_stays_stored_in_the_export():
    # greendc's dumped heat x_t >= 0 is bounded by nothing else, so a plan may dump heat out of storage (a
    # tie: keeping it costs nothing) or run the block above need; PyPSA's only heat sink is the field's
    # defocusing. Four hours, field cf [1, 0, 1, 0], 100 MW load, η 0.4 -> 250 MW_th into the block every
    # hour; field 1000 MW_th and storage 500 MWh_th forced by bounds. Plan written by hand: levels
    # [500, 0, 250, 0], dumped [250, 250, 750, 0] (hour 1 dumps 250 MWh_th from storage). Export: the field
    # delivers 250 + 500 = 750 in hour 0; hour 1 keeps the 250 in storage (field 0, level 250); hour 2 the
    # field covers the block only (250, level 250); hour 3 empties the storage (field 0, level 0, cyclic).
    from dataclasses import replace

    bounds = {"csp_field_mw_th": (1000.0, None), "csp_storage_mwh_th": (500.0, None)}
    inp = csp_inputs(0.0, field_cf=np.array([1.0, 0.0, 1.0, 0.0]), rules=PlanRules(capacity_bounds=bounds))
    res = solve(inp)
    assert res.capacities["csp_field_mw_th"] == pytest.approx(1000.0)
    assert res.capacities["csp_storage_mwh_th"] == pytest.approx(500.0)
    np.testing.assert_allclose(res.dispatch.csp_mw, 100.0, rtol=1e-9)
    plan = res.dispatch.copy()
    plan["csp_storage_mwh_th"] = [500.0, 0.0, 250.0, 0.0]
    plan["csp_dumped_mw_th"] = [250.0, 250.0, 750.0, 0.0]
    n = to_pypsa_network(inp, replace(res, dispatch=plan))
    np.testing.assert_allclose(n.generators_t.p["csp field"], [750.0, 0.0, 250.0, 0.0], atol=1e-9)
    np.testing.assert_allclose(n.stores_t.e["csp storage"], [500.0, 250.0, 250.0, 0.0], atol=1e-9)
    np.testing.assert_allclose(n.stores_t.p["csp storage"], [-500.0, 250.0, 0.0, 250.0], atol=1e-9)
    site, heat = bus_residuals(n)
    np.testing.assert_allclose(site, 0.0, atol=1e-6)
    np.testing.assert_allclose(heat, 0.0, atol=1e-6)


def test_pypsa_recomputes_the_whole_objective_with_operating_costs_per_year_of_horizon():
    # Variable O&M on the battery, electrolyser and fuel cell and a priced grid, over a 48-hour horizon:
    # PyPSA's objective (capital costs + Σ_t objective weighting × marginal cost × flow) must equal
    # greendc's, which counts operating costs per year of horizon (weighting = step length / horizon years)
    from dataclasses import replace

    base = inputs()
    vom = {"battery_power": 2.0, "electrolyser": 1.5, "fuel_cell": 3.0}
    costs = {k: replace(v, vom_usd_per_mwh=vom.get(k, 0.0)) for k, v in base.costs.items()}
    inp = replace(
        base,
        costs=costs,
        rules=PlanRules(grid_allowed=True, grid_price_usd_per_mwh=0.2, grid_max_import_mw=20.0),
    )
    res = solve(inp)
    d = res.dispatch
    assert d.grid_import_mw.sum() > 0 and d.battery_discharge_mw.sum() > 0
    n = to_pypsa_network(inp, res)
    w = n.snapshot_weightings.objective
    np.testing.assert_allclose(w, inp.weights_h * 8760 / HOURS)
    capex = (
        (n.generators.capital_cost * n.generators.p_nom).sum()
        + (n.links.capital_cost * n.links.p_nom).sum()
        + (n.stores.capital_cost * n.stores.e_nom).sum()
    )
    opex = (n.generators_t.p * n.generators.marginal_cost).sum(axis=1) + (n.links_t.p0 * n.links.marginal_cost).sum(
        axis=1
    )
    assert (opex * w).sum() > 0.01 * res.objective_usd_per_yr
    assert capex + (opex * w).sum() == pytest.approx(res.objective_usd_per_yr, rel=1e-9)


def test_stores_of_a_dispatch_window_start_from_their_initial_levels():
    from dataclasses import replace

    inp = replace(
        inputs(),
        battery=BatterySpec(0.9, 0.9, initial_soc_mwh=50.0),
        hydrogen=HydrogenSpec(0.6, 0.5, initial_h2_mwh=200.0),
    )
    n = to_pypsa_network(inp, solve(inp))
    for store, level in (("battery", 50.0), ("H2 store", 200.0)):
        assert not n.stores.at[store, "e_cyclic"]
        assert n.stores.at[store, "e_initial"] == level
    cyclic = to_pypsa_network(inputs(), solve(inputs()))
    assert cyclic.stores.loc[["battery", "H2 store"], "e_cyclic"].all()


# --- water balance: water bus, desalination link, tank store, cooling-water load, electrolyser bus2 -------


def water_residuals(n) -> tuple[np.ndarray, np.ndarray]:
    """Supply minus demand on ``site`` and on ``water`` every step [MW, m³/h], from the network's time series,
    for a site with hydrogen and water but no battery or grid.

    A link gives ``-p1`` to its ``bus1`` and ``-p2`` to its ``bus2`` (the electrolyser's ``p2 ≥ 0`` is the water
    it takes); a store's ``p`` is what it gives to its bus.
    """
    p0, p1, gen = n.links_t.p0, n.links_t.p1, n.generators_t.p
    site = (
        gen.sum(axis=1)
        + n.links.at["fuel cell", "efficiency"] * p0["fuel cell"]
        - p0[["electrolyser", "desalination"]].sum(axis=1)
        - n.loads_t.p_set["data center"]
    )
    water = -p1["desalination"] - n.links_t.p2["electrolyser"] + n.stores_t.p["water tank"]
    return site.to_numpy(), (water - n.loads_t.p_set["cooling water"]).to_numpy()


def test_water_export_units_worked_by_hand():
    # The day/night case of test_plan_water.py: 100 MW IT, 1 m³/MWh of cooling water, 10 kWh/m³; the plan
    # is a plant of 200 m³/h run in the sun and a 1200 m³ tank (annualised 10 USD/yr per m³/h, 1 per m³).
    # The plant as a link: p_nom = 200 m³/h x 10 kWh/m³ / 1000 = 2 MW of electricity in, efficiency =
    # 1000 / 10 = 100 m³/MWh, capital cost 10 USD/yr per m³/h x 100 m³/MWh = 1000 USD/yr per MW (x 2 MW =
    # 2000 USD/yr = 200 x 10). The data center load is the IT alone, 100 MW: the link draws the plant's 2 MW.
    inp = make_inputs(day_night(), 1.0, 10.0, water_costs(100.0, 10.0, DEAR), battery=BatterySpec(1.0, 1.0))
    res = solve(inp)
    assert res.capacities["desalination_m3_per_h"] == pytest.approx(200.0, rel=1e-9)
    assert res.capacities["water_tank_m3"] == pytest.approx(1200.0, rel=1e-9)
    n = to_pypsa_network(inp, res)
    assert (n.buses.at["water", "carrier"], n.buses.at["water", "unit"]) == ("water", "m3/h")
    link = n.links.loc["desalination"]
    assert (link.bus0, link.bus1) == ("site", "water")
    assert link.efficiency == pytest.approx(100.0, rel=1e-12)
    assert link.p_nom == pytest.approx(2.0, rel=1e-9)
    assert link.capital_cost == pytest.approx(1000.0, rel=1e-12)
    assert link.capital_cost * link.p_nom == pytest.approx(res.annualised_cost_usd_per_yr["desalination"], rel=1e-9)
    tank = n.stores.loc["water tank"]
    assert (tank.bus, tank.e_cyclic) == ("water", True)
    assert tank.e_nom == pytest.approx(1200.0, rel=1e-9) and tank.capital_cost == pytest.approx(1.0, rel=1e-12)
    np.testing.assert_allclose(n.loads_t.p_set["cooling water"], 100.0, rtol=1e-12)
    np.testing.assert_allclose(n.loads_t.p_set["data center"], 100.0, rtol=1e-9)
    # the plant's 2 MW in the sun, 0 at night; 200 m³/h out
    sun = day_night() == 1
    np.testing.assert_allclose(n.links_t.p0["desalination"], np.where(sun, 2.0, 0.0), atol=1e-9)
    np.testing.assert_allclose(n.links_t.p1["desalination"], np.where(sun, -200.0, 0.0), atol=1e-7)
    capex = (
        (n.generators.capital_cost * n.generators.p_nom).sum()
        + (n.links.capital_cost * n.links.p_nom).sum()
        + (n.stores.capital_cost * n.stores.e_nom).sum()
    )
    assert capex == pytest.approx(res.objective_usd_per_yr, rel=1e-9)
    assert "water" not in to_pypsa_network(inputs(), solve(inputs())).buses.index  # no cooling water: no bus


def test_a_plant_without_electricity_is_a_generator_on_the_water_bus():
    # k_ds = 0: 1000 / k_ds has no value, so the plant makes water from nothing at its capital cost alone
    inp = make_inputs(0.5, 0.3, 0.0, water_costs(50.0, 10.0))
    res = solve(inp)
    n = to_pypsa_network(inp, res)
    assert "desalination" not in n.links.index
    plant = n.generators.loc["desalination"]
    assert plant.bus == "water" and plant.p_nom == pytest.approx(30.0, rel=1e-9)
    assert plant.capital_cost == pytest.approx(5.0, rel=1e-12)
    np.testing.assert_allclose(n.loads_t.p_set["data center"], res.dispatch.facility_mw, rtol=1e-12)
    reoptimise(n, extendable=True)
    assert n.objective + n.objective_constant == pytest.approx(res.objective_usd_per_yr, rel=1e-6)
    assert n.generators.at["desalination", "p_nom_opt"] == pytest.approx(30.0, rel=1e-6)


@pytest.mark.parametrize("initial_tank_m3", [None, 300.0])
def test_water_bus_balances_every_step_of_the_exported_dispatch(initial_tank_m3):
    # Three days with a firm and a flexible class and no battery: the fuel cell carries the night, so the
    # electrolyser runs and its process water (bus2) is part of the balance.
    inp = full_inputs(WaterSpec(3.5, initial_tank_m3=initial_tank_m3), battery=False)
    res = solve(inp)
    n = to_pypsa_network(inp, res)
    chi = 0.62 * 15.0 / (1000.0 * H2_LHV_MWH_PER_KG)
    link = n.links.loc["electrolyser"]
    assert (link.bus2, link.efficiency2) == ("water", pytest.approx(-chi, rel=1e-12))
    assert n.links.drop("electrolyser").efficiency2.eq(1.0).all()
    assert n.links_t.p2["electrolyser"].sum() > 1.0
    site, water = water_residuals(n)
    np.testing.assert_allclose(site, 0.0, atol=1e-6)
    np.testing.assert_allclose(water, 0.0, atol=1e-6)
    # the tank's level follows PyPSA's store equation from its p: cyclic, or from the initial level
    e, p = n.stores_t.e["water tank"].to_numpy(), n.stores_t.p["water tank"].to_numpy()
    before = np.roll(e, 1) if initial_tank_m3 is None else np.r_[initial_tank_m3, e[:-1]]
    np.testing.assert_allclose(e, before - p, atol=1e-6)
    tank = n.stores.loc["water tank"]
    assert tank.e_cyclic == (initial_tank_m3 is None) and tank.e_initial == (initial_tank_m3 or 0.0)


@pytest.mark.parametrize("hours_per_step", [1, 3])
def test_pypsa_reoptimises_the_water_design_to_greendcs_objective(hours_per_step):
    # Every capacity extendable, the served IT as placed by the plan: PyPSA solves the same design problem
    # with its own link, store and bus equations and must find greendc's least cost, plant and tank.
    inp = aggregate_time(full_inputs(WaterSpec(3.5), battery=False), hours_per_step)
    res = solve(inp)
    caps = res.capacities
    assert min(caps["desalination_m3_per_h"], caps["water_tank_m3"], caps["electrolyser_mw"]) > 1.0
    n = to_pypsa_network(inp, res)
    reoptimise(n, extendable=True)
    assert n.objective + n.objective_constant == pytest.approx(res.objective_usd_per_yr, rel=1e-6)
    plant_m3_per_h = n.links.at["desalination", "p_nom_opt"] * n.links.at["desalination", "efficiency"]
    assert plant_m3_per_h == pytest.approx(caps["desalination_m3_per_h"], rel=1e-4)
    assert n.stores.at["water tank", "e_nom_opt"] == pytest.approx(caps["water_tank_m3"], rel=1e-4)
    assert n.links.at["electrolyser", "p_nom_opt"] == pytest.approx(caps["electrolyser_mw"], rel=1e-4)
    # PyPSA's own dispatch balances the water bus too, the electrolyser drawing its process water
    site, water = water_residuals(n)
    np.testing.assert_allclose(site, 0.0, atol=1e-6)
    np.testing.assert_allclose(water, 0.0, atol=1e-6)
    assert n.links_t.p2["electrolyser"].sum() > 1.0
