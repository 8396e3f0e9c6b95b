"""The design LP on small problems whose optimum is derived by hand in each test.

Costs are chosen so that the arithmetic is short: discount rate 0, lifetime 10 years and no O&M give a
capital recovery factor of 1/10, i.e. the annualised cost is capex / 10 per unit and per year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greendc.costs import CostRow, capital_recovery_factor
from greendc.plan.aggregate import aggregate_time
from greendc.plan.inputs import (
    BatterySpec,
    HydrogenSpec,
    PlanInputs,
    PlanRules,
    WorkloadInput,
)
from greendc.plan.solve import solve
from greendc.plan.workloads import backlog_window_mwh

HOURS = 48


def row(name: str, capex: float, efficiency: float = 1.0, lifetime: float = 10.0, fom: float = 0.0) -> CostRow:
    return CostRow(name, capex, "USD/unit", lifetime, fom, efficiency, "hand-made for the test")


# annualised cost per unit at rate 0: capex / 10
COSTS = {
    "pv": row("pv", 1000.0),  # 100 USD/yr per MW
    "wind": row("wind", 3200.0),  # 320 USD/yr per MW
    "battery_energy": row("battery_energy", 10.0),  # 1 USD/yr per MWh
    "battery_power": row("battery_power", 50.0),  # 5 USD/yr per MW
    "electrolyser": row("electrolyser", 1e6),
    "h2_store": row("h2_store", 1e6),
    "fuel_cell": row("fuel_cell", 1e6),
}
A_PV, A_WIND, A_BE, A_BP = 100.0, 320.0, 1.0, 5.0


def index(hours: int = HOURS) -> pd.DatetimeIndex:
    return pd.date_range("2030-06-01", periods=hours, freq="h", tz="UTC")


def day_night(hours: int = HOURS) -> np.ndarray:
    """PV at 1.0 for 12 hours, then dark for 12 hours."""
    return np.tile(np.r_[np.ones(12), np.zeros(12)], hours // 24)


def make_inputs(
    pv_cf,
    load_mw=100.0,
    wind_cf=0.0,
    battery: BatterySpec | None = None,
    hydrogen: HydrogenSpec | None = None,
    workloads=None,
    rules: PlanRules | None = None,
    costs: dict[str, CostRow] = COSTS,
    **kw,
) -> PlanInputs:
    """Hand-made inputs on one bus; ``pv_cf`` as an array sets the number of hours (else 48)."""
    n = len(np.atleast_1d(pv_cf)) if np.ndim(pv_cf) else HOURS
    idx = index(n)
    if workloads is None:
        workloads = (WorkloadInput("firm", np.full(n, load_mw)),)
    return PlanInputs(
        index=idx,
        weights_h=np.ones(n),
        pv_cf=np.broadcast_to(pv_cf, n).astype(float),
        wind_cf=np.broadcast_to(wind_cf, n).astype(float),
        workloads=tuple(workloads),
        costs=costs,
        discount_rate=0.0,
        horizon_years=n / 8760.0,
        battery=battery,
        hydrogen=hydrogen,
        rules=rules or PlanRules(),
        **kw,
    )


def balance_residual(d: pd.DataFrame) -> np.ndarray:
    """Supply minus facility load of a dispatch table (a plan's or a simulation's), per step [MW]; the CSP block
    counts where there is one."""
    supply = (
        d.pv_mw
        + d.wind_mw
        + d.get("csp_mw", 0.0)
        + d.battery_discharge_mw
        - d.battery_charge_mw
        + d.fuel_cell_mw
        - d.electrolyser_mw
        + d.grid_import_mw
    )
    return (supply - d.facility_mw).to_numpy()


def test_constant_load_constant_capacity_factor():
    # 100 MW at PV cf 0.5 needs 200 MW of PV: 200 x 100 = 20 000 USD/yr. Wind (cf 0.25, 320 USD/yr/MW)
    # would cost 400 x 320 = 128 000 USD/yr, so none is built; no storage is needed.
    res = solve(make_inputs(0.5, wind_cf=0.25, battery=BatterySpec(0.9, 0.9)))
    assert res.capacities["pv_mw"] == pytest.approx(200.0, rel=1e-9)
    assert res.capacities["wind_mw"] == pytest.approx(0.0, abs=1e-9)
    assert res.capacities["battery_mwh"] == pytest.approx(0.0, abs=1e-9)
    assert res.objective_usd_per_yr == pytest.approx(200 * A_PV, rel=1e-9)
    # 100 MW all year = 876 000 MWh/yr; 20 000 / 876 000 = 0.022831 USD/MWh
    assert res.cost_usd_per_mwh_it == pytest.approx(20_000 / 876_000, rel=1e-9)
    assert res.curtailment_mwh_per_yr == pytest.approx(0.0, abs=1e-6)


def test_storage_carries_the_night():
    # 12 h of sun (cf 1) then 12 h dark; 100 MW load; battery 0.9 each way, no hydrogen.
    # Night: 1200 MWh at the bus = 1200/0.9 = 1333.33 MWh stored -> E = 1333.33 MWh.
    # Day: charge 1333.33/0.9 = 1481.48 MWh in 12 h = 123.457 MW, so PV = 100 + 123.457 = 223.457 MW
    # and P_b = max(123.457 charge, 100 discharge) = 123.457 MW.
    res = solve(make_inputs(day_night(), battery=BatterySpec(0.9, 0.9)))
    charge = 1200 / 0.9 / 0.9 / 12
    assert res.capacities["battery_mwh"] == pytest.approx(1200 / 0.9, rel=1e-7)
    assert res.capacities["battery_mw"] == pytest.approx(charge, rel=1e-7)
    assert res.capacities["pv_mw"] == pytest.approx(100 + charge, rel=1e-7)
    expected = (100 + charge) * A_PV + charge * A_BP + 1200 / 0.9 * A_BE
    assert res.objective_usd_per_yr == pytest.approx(expected, rel=1e-9)
    d = res.dispatch
    assert d.battery_discharge_mw[day_night() == 0].to_numpy() == pytest.approx(100.0)
    # one full cycle a day: 1200 MWh out / 1333.3 MWh per day, 365 days -> 328.5 cycles per year
    assert res.battery_cycles_per_yr == pytest.approx(365 * 0.9, rel=1e-6)
    # strong duality: with zero bounds, Σ_t price_t · energy_t equals the objective
    energy_per_yr = d.facility_mw.to_numpy() * res.weights_h / res.horizon_years
    assert float((res.energy_price_usd_per_mwh.to_numpy() * energy_per_yr).sum()) == pytest.approx(
        res.objective_usd_per_yr, rel=1e-6
    )


def test_self_discharge_costs_energy():
    # 1 %/h self-discharge, lossless otherwise. The battery fills at the end of the 12 sunny hours and
    # discharges 100 MW over the night; the stored energy at dusk must cover Σ_{k=1..12} 100 / 0.99^k.
    res = solve(make_inputs(day_night(), battery=BatterySpec(1.0, 1.0, self_discharge_per_hour=0.01)))
    need = sum(100 / 0.99**k for k in range(1, 13))  # 1278.3 MWh
    assert res.capacities["battery_mwh"] == pytest.approx(need, rel=1e-6)


def flexible_inputs(flexible: bool, deadline_hours: float = 24.0) -> PlanInputs:
    n = HOURS
    wl = WorkloadInput(
        "training",
        requested_mw=np.full(n, 100.0),
        flexible=flexible,
        min_mw=np.zeros(n) if flexible else None,
        max_mw=np.full(n, 200.0) if flexible else None,
        deadline_hours=deadline_hours,
    )
    return make_inputs(day_night(), battery=BatterySpec(1.0, 1.0), workloads=(wl,))


def test_flexible_class_moves_into_the_sun_and_lowers_cost():
    # Firm: PV 200 MW (100 load + 100 charging, lossless), battery 100 MW / 1200 MWh:
    # 200 x 100 + 100 x 5 + 1200 x 1 = 21 700 USD/yr.
    firm = solve(flexible_inputs(False))
    assert firm.objective_usd_per_yr == pytest.approx(21_700, rel=1e-9)
    # Flexible (0..200 MW, 24 h deadline): the night's work (12 h x 100 MW) is done in the next 12 sunny
    # hours at 200 MW, within 24 h; PV 200 MW and no battery: 20 000 USD/yr.
    flex = solve(flexible_inputs(True))
    assert flex.objective_usd_per_yr == pytest.approx(20_000, rel=1e-9)
    assert flex.capacities["battery_mwh"] == pytest.approx(0.0, abs=1e-6)
    served = flex.dispatch["it_training_mw"].to_numpy()
    np.testing.assert_allclose(served[day_night() == 1], 200.0, rtol=1e-9)
    np.testing.assert_allclose(served[day_night() == 0], 0.0, atol=1e-9)
    # the work requested (100 MW x 48 h) is all done
    assert served.sum() == pytest.approx(4800.0, rel=1e-9)


def test_deadline_limits_the_shift():
    # Deadline 6 h: work requested in the first 6 dark hours (600 MWh) must be done before dawn, from the
    # battery; the last 6 dark hours' work moves into the sun. Night energy 600 MWh -> E = 600 MWh, spread
    # over 12 h -> P_b = 50 MW. Day: 1200 own + 600 deferred + 600 charging = 2400 MWh in 12 h -> PV 200 MW.
    # 200 x 100 + 50 x 5 + 600 x 1 = 20 850 USD/yr.
    res = solve(flexible_inputs(True, deadline_hours=6))
    assert res.capacities["battery_mwh"] == pytest.approx(600.0, rel=1e-7)
    assert res.capacities["battery_mw"] == pytest.approx(50.0, rel=1e-7)
    assert res.objective_usd_per_yr == pytest.approx(20_850, rel=1e-9)


def test_backlog_window_by_hand():
    # 100 MW requested every hour, 6 h deadline: at most 600 MWh may wait at the end of any hour.
    wl = WorkloadInput("x", np.full(10, 100.0), flexible=True, deadline_hours=6)
    np.testing.assert_allclose(backlog_window_mwh(wl, np.ones(10)), 600.0)
    # 2-hour steps, deadline 3 h: the window covers one full step and half of the previous one: 300 MWh.
    wl3 = WorkloadInput("x", np.full(10, 100.0), flexible=True, deadline_hours=3)
    np.testing.assert_allclose(backlog_window_mwh(wl3, np.full(10, 2.0)), 300.0)


def small_full_inputs(**rule_kw) -> PlanInputs:
    """Three days with varying sun, wind, PUE, desalination, a firm and a flexible class and hydrogen."""
    n = 72
    rng = np.random.default_rng(7)
    hour = np.arange(n) % 24
    pv = np.clip(np.sin((hour - 6) / 12 * np.pi), 0, None) * rng.uniform(0.6, 1.0, n)
    wind = np.clip(0.4 + 0.3 * np.sin(np.arange(n) / 9.0) + rng.normal(0, 0.1, n), 0, 1)
    costs = dict(COSTS) | {
        "electrolyser": row("electrolyser", 800.0, 0.62),
        "h2_store": row("h2_store", 5.0),
        "fuel_cell": row("fuel_cell", 900.0, 0.5),
    }
    workloads = (
        WorkloadInput("inference", np.full(n, 60.0)),
        WorkloadInput("training", np.full(n, 40.0), True, np.full(n, 10.0), np.full(n, 80.0), 12.0),
    )
    return PlanInputs(
        index=index(n),
        weights_h=np.ones(n),
        pv_cf=pv,
        wind_cf=wind,
        workloads=workloads,
        costs=costs,
        discount_rate=0.05,
        horizon_years=n / 8760,
        pue=1.1 + 0.05 * np.sin(np.arange(n) / 5),
        desalination_mwh_per_mwh_it=np.full(n, 0.002),
        water_m3_per_mwh_it=np.full(n, 0.3),
        auxiliary_mw=np.full(n, 2.0),
        battery=BatterySpec(0.95, 0.95, 0.001),
        hydrogen=HydrogenSpec(0.62, 0.5, water_l_per_kg_h2=15.0),
        rules=PlanRules(**rule_kw),
    )


def test_energy_balance_closes_every_hour():
    res = solve(small_full_inputs(reserve_fraction=0.1))
    assert np.abs(balance_residual(res.dispatch)).max() < 1e-6
    d = res.dispatch
    # facility = IT x (PUE + desalination) + auxiliaries, recomputed from the inputs
    inp = small_full_inputs()
    fac = d.it_mw * (inp.pue + inp.desalination_mwh_per_mwh_it) + inp.auxiliary_mw
    np.testing.assert_allclose(d.facility_mw, fac, atol=1e-9)
    assert (d[["pv_mw", "wind_mw", "curtailed_mw"]].to_numpy() >= -1e-9).all()
    # the firm class is served as requested; the flexible one does all its work (40 MW x 72 h)
    np.testing.assert_allclose(d.it_inference_mw, 60.0)
    assert d.it_training_mw.sum() == pytest.approx(40 * 72, rel=1e-9)


def test_objective_equals_costs_rebuilt_from_capacities():
    inp = small_full_inputs()
    res = solve(inp)
    crf = capital_recovery_factor(0.05, 10.0)  # 0.129505
    rebuilt = sum(
        inp.costs[comp].capex_per_unit * crf * res.capacities[cap]
        for comp, cap in [
            ("pv", "pv_mw"),
            ("wind", "wind_mw"),
            ("battery_energy", "battery_mwh"),
            ("battery_power", "battery_mw"),
            ("electrolyser", "electrolyser_mw"),
            ("h2_store", "h2_store_mwh"),
            ("fuel_cell", "fuel_cell_mw"),
        ]
    )
    assert res.objective_usd_per_yr == pytest.approx(rebuilt, rel=1e-9)
    assert sum(res.annualised_cost_usd_per_yr.values()) == pytest.approx(rebuilt, rel=1e-9)


def test_unserved_energy_at_value_of_lost_load():
    # Dark 12 h a day, VOLL 0.025 USD/MWh. Serving the day costs 1 MW of PV (100 USD/yr) per 4380 MWh/yr:
    # 0.0228 USD/MWh < VOLL, so it is served. Serving the night costs 1 MW PV + 1 MW battery + 12 MWh
    # (100 + 5 + 12 = 117 USD/yr) per 4380 MWh/yr: 0.0267 USD/MWh > VOLL, so it is shed.
    # PV 100 MW (10 000) + 1200 MWh/day x 365 x 0.025 (10 950) = 20 950 USD/yr.
    wl = WorkloadInput("batch", np.full(HOURS, 100.0), value_of_lost_load_usd_per_mwh=0.025)
    res = solve(make_inputs(day_night(), battery=BatterySpec(1.0, 1.0), workloads=(wl,)))
    assert res.capacities["pv_mw"] == pytest.approx(100.0, rel=1e-9)
    assert res.unserved_mwh_per_yr == pytest.approx(1200 * 365, rel=1e-9)
    assert res.objective_usd_per_yr == pytest.approx(10_000 + 10_950, rel=1e-9)
    assert res.annualised_cost_usd_per_yr["unserved_energy"] == pytest.approx(10_950, rel=1e-9)


def test_land_and_water_accounting():
    # 200 MW of PV at 0.02 km²/MW = 4 km². Water: 100 MW of IT x 0.3 m³/MWh = 30 m³ per hour, 262 800 m³/yr.
    inp = make_inputs(0.5, water_m3_per_mwh_it=np.full(HOURS, 0.3), rules=PlanRules(land_km2_per_unit={"pv_mw": 0.02}))
    res = solve(inp)
    assert res.land_km2 == pytest.approx(4.0, rel=1e-9)
    assert res.water_m3_per_yr == pytest.approx(30 * 8760, rel=1e-9)


def test_time_aggregation_keeps_storage_right():
    # Day/night blocks of 12 h: the hourly optimum is constant inside each block, so the aggregated LP
    # (2 steps of 12 h per day) must give the same design as the hourly one (see test above).
    hourly = make_inputs(day_night(), battery=BatterySpec(0.9, 0.9))
    agg = aggregate_time(hourly, 12)
    assert agg.n_steps == HOURS // 12
    np.testing.assert_allclose(agg.weights_h, 12.0)
    res = solve(agg)
    charge = 1200 / 0.81 / 12
    assert res.capacities["battery_mwh"] == pytest.approx(1200 / 0.9, rel=1e-7)
    assert res.capacities["pv_mw"] == pytest.approx(100 + charge, rel=1e-7)


def test_capacity_bounds_respected():
    # PV at most 150 MW with cf 0.5 -> 75 MW; the other 25 MW from wind at cf 0.25: 100 MW of wind.
    # 150 x 100 + 100 x 320 = 47 000 USD/yr.
    rules = PlanRules(capacity_bounds={"pv_mw": (0.0, 150.0)})
    res = solve(make_inputs(0.5, wind_cf=0.25, rules=rules))
    assert res.capacities["pv_mw"] == pytest.approx(150.0, rel=1e-9)
    assert res.capacities["wind_mw"] == pytest.approx(100.0, rel=1e-9)
    assert res.objective_usd_per_yr == pytest.approx(47_000, rel=1e-9)


def test_solver_stopped_by_a_limit_raises_with_status():
    # one simplex iteration cannot solve a 72-hour design: HiGHS stops and the status says why
    from greendc.errors import PlanSolveError
    from greendc.plan.result import SolveStatus
    from greendc.plan.solve import SolveOptions

    with pytest.raises(PlanSolveError, match="without an optimal design") as info:
        solve(small_full_inputs(), SolveOptions(highs_options={"simplex_iteration_limit": 1}))
    assert info.value.status is SolveStatus.ITERATION_LIMIT


def test_reliability_target_allows_shedding_a_share_of_firm_energy():
    # 100 MW firm load, sun 12 h a day, lossless battery, 75 % of the requested energy must be served:
    # 600 of the 1200 night MWh per day may be shed. Cheapest: serve 50 MW all night from the battery
    # (P_b 50 MW, E 600 MWh) rather than 100 MW for 6 h (P_b 100 MW). PV: 100 day load + 600/12 = 50 MW of
    # charging = 150 MW. 150 x 100 + 50 x 5 + 600 x 1 = 15 850 USD/yr (shedding is free up to the target).
    res = solve(make_inputs(day_night(), battery=BatterySpec(1.0, 1.0), rules=PlanRules(reliability_target=0.75)))
    assert res.capacities["pv_mw"] == pytest.approx(150.0, rel=1e-9)
    assert res.capacities["battery_mw"] == pytest.approx(50.0, rel=1e-9)
    assert res.capacities["battery_mwh"] == pytest.approx(600.0, rel=1e-9)
    assert res.objective_usd_per_yr == pytest.approx(15_850, rel=1e-9)
    assert res.unserved_mwh_per_yr == pytest.approx(600 * 365, rel=1e-9)


def test_objective_scale_makes_the_design_independent_of_the_cost_unit():
    # The objective is scaled so that the dearest unit of capacity costs 1: the same site priced in
    # thousands of USD (costs x 1e-3, far below HiGHS's 1e-7 tolerances at a fixed MUSD scale) is the
    # same LP, so it must give the same design and an objective 1000 times smaller.
    from dataclasses import replace

    from greendc.plan.model import build_model, capacity_cost_usd_per_yr, objective_scale

    inp = small_full_inputs(reserve_fraction=0.1)
    scaled = replace(
        inp,
        costs={
            k: replace(c, capex_per_unit=c.capex_per_unit * 1e-3, vom_usd_per_mwh=c.vom_usd_per_mwh * 1e-3)
            for k, c in inp.costs.items()
        },
    )
    # wind: 3200 USD/MW × CRF(5 %, 10 yr) 0.129505 = 414.4 USD/yr per MW, the dearest
    assert objective_scale(inp) == pytest.approx(1 / (3200 * capital_recovery_factor(0.05, 10.0)), rel=1e-12)
    assert max(capacity_cost_usd_per_yr(inp).values()) * objective_scale(inp) == pytest.approx(1.0)
    coeffs = build_model(inp).objective.expression.coeffs.values
    assert np.abs(coeffs).max() == pytest.approx(1.0, rel=1e-12)
    base, small = solve(inp), solve(scaled)
    assert small.objective_usd_per_yr == pytest.approx(base.objective_usd_per_yr * 1e-3, rel=1e-9)
    for name, value in base.capacities.items():
        assert small.capacities[name] == pytest.approx(value, rel=1e-9, abs=1e-9)
