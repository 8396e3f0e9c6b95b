"""Segmented design with a certificate: segments, the hourly check, raising a short design, and the bounds
against the monolithic hourly LP on small multi-year problems."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greendc.costs import CostRow
from greendc.plan.aggregate import aggregate_segments, aggregate_time
from greendc.plan.certify import certify
from greendc.plan.hourly_check import hourly_check, levels_at
from greendc.plan.inputs import BatterySpec, HydrogenSpec, PlanInputs, WorkloadInput
from greendc.plan.segment import check_starts, segment_starts, year_starts
from greendc.plan.solve import solve, solve_with_model


def row(name: str, capex: float) -> CostRow:
    return CostRow(name, capex, "USD/unit", 10.0, 0.0, 1.0, "hand-made for the test")


COSTS = {
    "pv": row("pv", 1000.0), "wind": row("wind", 1200.0), "battery_energy": row("battery_energy", 30.0),
    "battery_power": row("battery_power", 50.0), "electrolyser": row("electrolyser", 800.0),
    "h2_store": row("h2_store", 5.0), "fuel_cell": row("fuel_cell", 800.0),
}  # fmt: skip
LULL = slice(300, 312)  # 12 h without wind, in the second "year"


def two_years(lull: bool = True, seed: int = 0, start: str = "2030-12-22") -> PlanInputs:
    """21 days across a new year (two calendar years of 10 and 11 days): PV by day, a windy spell that
    comes and goes, a firm 100 MW load, battery and hydrogen; optionally a 12 h lull with no wind at all.
    ``start`` moves the 21 days (e.g. across the mid-summer cut of the hourly check)."""
    n = 24 * 21
    idx = pd.date_range(start, periods=n, freq="h", tz="UTC")
    rng = np.random.default_rng(seed)
    hour = idx.hour.to_numpy()
    pv = np.clip(np.sin(np.pi * (hour - 6) / 12), 0, None) * np.repeat(rng.uniform(0.4, 1.0, n // 24), 24)
    wind = np.clip(0.5 + 0.3 * np.sin(np.arange(n) / 15.0) + 0.08 * rng.standard_normal(n), 0.0, 1.0)
    if lull:
        wind[LULL] = 0.0
    return PlanInputs(
        idx,
        np.ones(n),
        pv,
        wind,
        (WorkloadInput("firm", np.full(n, 100.0)),),
        COSTS,
        0.0,
        n / 8760,
        battery=BatterySpec(0.95, 0.95),
        hydrogen=HydrogenSpec(0.7, 0.5),
    )


# --- segments ----------------------------------------------------------------------------------------------


def test_segments_keep_forced_starts_and_full_resolution_steps():
    x = two_years()
    keep = np.zeros(x.n_steps, dtype=bool)
    keep[LULL] = True
    starts = segment_starts(x, 60, forced_starts=year_starts(x), full_resolution=keep)
    assert starts[0] == 0 and np.all(np.diff(starts) > 0)
    assert len(starts) == 60
    assert set(year_starts(x)) <= set(starts)  # the new year starts a segment
    assert set(range(LULL.start, LULL.stop + 1)) <= set(starts)  # every kept hour alone, and the one after


def test_segments_merge_the_flattest_neighbours_first():
    # Ward's criterion: of a flat night and a changing morning, the night merges first.
    x = two_years(lull=False)
    starts = segment_starts(x, x.n_steps - 1)
    merged = np.setdiff1d(np.arange(x.n_steps), starts)  # the step merged into its left neighbour
    features = np.column_stack([x.pv_cf, x.wind_cf])
    step = np.linalg.norm(np.diff(features, axis=0), axis=1)  # distance of each pair of neighbours
    assert step[merged[0] - 1] == pytest.approx(step.min(), abs=1e-12)


def test_aggregate_segments_keeps_energy_and_matches_fixed_blocks():
    x = two_years()
    starts = segment_starts(x, 100)
    agg = aggregate_segments(x, starts)
    assert agg.weights_h.sum() == pytest.approx(x.weights_h.sum())
    for name in ("pv_cf", "wind_cf"):
        assert (getattr(agg, name) * agg.weights_h).sum() == pytest.approx((getattr(x, name) * x.weights_h).sum())
    blocks = aggregate_time(x, 3)
    same = aggregate_segments(x, np.arange(0, x.n_steps, 3))
    np.testing.assert_allclose(same.wind_cf, blocks.wind_cf)
    np.testing.assert_allclose(same.weights_h, blocks.weights_h)


def test_averages_stay_within_each_segment_extremes():
    # A PUE of exactly 1 weighted by a varying IT load must average to exactly 1, not 0.9999999999999999
    # (which the inputs' range check refuses), whatever the segments.
    x = two_years()
    it = 50.0 + 49.9 * np.sin(np.arange(x.n_steps) / 7.0)
    from dataclasses import replace

    x = replace(x, workloads=(WorkloadInput("firm", it),), pue=np.ones(x.n_steps))
    for n in (17, 100, 333):
        agg = aggregate_segments(x, segment_starts(x, n))
        assert np.all(agg.pue == 1.0)
        assert np.all((agg.pv_cf >= 0.0) & (agg.pv_cf <= x.pv_cf.max()))


# --- bounds against the monolithic LP -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def exact():
    return solve(two_years())


def test_segmented_optimum_is_a_lower_bound(exact):
    x = two_years()
    for n in (24, 60, 200):
        coarse = solve(aggregate_segments(x, segment_starts(x, n, forced_starts=year_starts(x))))
        assert coarse.objective_usd_per_yr <= exact.objective_usd_per_yr * (1 + 1e-9)


def test_hourly_check_of_the_exact_design_serves_every_hour(exact):
    # The monolithic optimum, joined at the new year at its own levels, passes the check at its own cost.
    x = two_years()
    firsts = year_starts(x)
    result, model = solve_with_model(x)
    before = np.where(firsts > 0, firsts - 1, x.n_steps - 1)
    check = hourly_check(x, dict(result.capacities), levels_at(model, x, before), firsts)
    assert check.served_every_hour
    assert check.unserved_mwh_per_yr == pytest.approx(0.0, abs=1e-3)


def test_planted_lull_is_caught_and_repaired(exact):
    # 24 segments over 21 days smooth the 12 h lull into its day: the segmented design is short in the lull,
    # the hourly check finds it, and the certificate is a design that serves every hour, with
    # lower <= exact optimum <= upper.
    x = two_years()
    cert = certify(x, gap=0.005, segments_per_year=12)
    first = cert.rounds[0]
    assert first.unserved_mwh_per_yr > 0
    assert first.raised
    assert cert.check.served_every_hour
    assert cert.lower_bound_usd_per_yr <= exact.objective_usd_per_yr * (1 + 1e-9)
    assert exact.objective_usd_per_yr <= cert.upper_bound_usd_per_yr * (1 + 1e-9)
    assert cert.converged and cert.gap <= 0.005
    # the certified design holds enough storage for the lull: at least the exact design's firm energy over it
    stored = cert.capacities["battery_mwh"] + cert.capacities["h2_store_mwh"] * 0.5
    assert stored >= 12 * 100.0 * 0.9
    # the result shown is the certified design at full resolution: every hour, served, at the upper bound
    res = cert.result
    assert len(res.dispatch) == x.n_steps
    assert res.capacities == cert.capacities
    assert res.unserved_mwh_per_yr == pytest.approx(0.0, abs=1e-3)
    assert res.objective_usd_per_yr == pytest.approx(cert.upper_bound_usd_per_yr, rel=1e-6)
    assert res.provenance.details["certificate"]["gap"] == cert.gap


def test_refinement_stops_at_the_requested_gap(exact):
    x = two_years()
    loose = certify(x, gap=0.2, segments_per_year=12)
    tight = certify(x, gap=0.003, segments_per_year=12)
    assert loose.converged and loose.gap <= 0.2
    assert tight.converged and tight.gap <= 0.003
    assert len(loose.rounds) <= len(tight.rounds)
    assert len(loose.rounds) == 1  # a 20 % gap is met by the first raised design
    for cert in (loose, tight):
        assert (
            cert.lower_bound_usd_per_yr
            <= exact.objective_usd_per_yr * (1 + 1e-9)
            <= cert.upper_bound_usd_per_yr * (1 + 2e-9)
        )


def test_the_check_cuts_at_mid_summer_and_joins_the_pieces():
    # 21 days from 21 June: the hourly check is cut at 1 July 12:00 UTC (step 10 x 24 + 12 = 252) and the two
    # pieces are joined at the segmented solution's levels; the certified design still brackets the optimum.
    x = two_years(start="2031-06-21")
    assert check_starts(x).tolist() == [0, 252]
    optimum = solve(x).objective_usd_per_yr
    cert = certify(x, gap=0.005, segments_per_year=12)
    assert cert.converged and cert.check.served_every_hour
    assert len(cert.check.years) == 2
    assert cert.lower_bound_usd_per_yr <= optimum * (1 + 1e-9) <= cert.upper_bound_usd_per_yr * (1 + 2e-9)
