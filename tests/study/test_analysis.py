"""Study analysis against answers worked by hand on small frames (STYLE.md point 4): the tornado's order and
swings, a five-point Pareto front, near-optimal ranges, Morris effects of a linear function (SALib's
convention worked out below) and the errors a user gets."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from greendc.errors import GreendcError
from greendc.study.analysis import (
    base_row,
    morris_effects,
    near_optimal_designs,
    near_optimal_ranges,
    pareto_front,
    target_curve,
    tornado,
)
from greendc.study.designs import study_points
from greendc.study.spec import StudySpec

COST = "cost_usd_per_mwh_it"


def _row(point: int, values: dict, cost: float, status: str = "optimal", varied: str | None = None, **more) -> dict:
    """One study row as :func:`greendc.study.task.run_point` writes it (only the columns used here)."""
    return {
        "key": f"k{point}",
        "point": point,
        "varied": varied,
        "values_json": json.dumps(values, sort_keys=True),
        "status": status,
        "diagnosis": "" if status == "optimal" else f"{status}: reason {point}",
        COST: cost if status == "optimal" else np.nan,
        **{f"p:{k}": v for k, v in values.items()},
        **more,
    }


def _frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows)


# --- tornado -------------------------------------------------------------------------------------------------


@pytest.fixture
def oat() -> tuple[pd.DataFrame, StudySpec]:
    """Base cost 100 USD/MWh and four parameters moved one at a time.

    By hand (swing = cost at the highest value − cost at the lowest):
    a: 1 → 90, 3 → 130: swing +40;  b: listed 30, 10, 20 → sorted 10 → 104, 30 → 98: swing −6;
    d: 0.2 → 150, 0.8 → 100: swing −50;  c: 0.5 → 80, 2.0 infeasible: swing unknown.
    Order by |swing|: d (50), a (40), b (6), then c (unknown, last).
    """
    spec = StudySpec(
        design="oat",
        parameters=[
            {"path": "s.a", "values": [1, 3]},
            {"path": "s.b", "values": [30, 10, 20], "label": "B"},
            {"path": "s.c", "values": [0.5, 2.0]},
            {"path": "s.d", "values": [0.2, 0.8]},
        ],
    )
    rows = [
        _row(0, {}, 100.0),
        _row(1, {"s.a": 1}, 90.0, varied="s.a"),
        _row(2, {"s.a": 3}, 130.0, varied="s.a"),
        _row(3, {"s.b": 30}, 98.0, varied="s.b"),
        _row(4, {"s.b": 10}, 104.0, varied="s.b"),
        _row(5, {"s.b": 20}, 101.0, varied="s.b"),
        _row(6, {"s.c": 0.5}, 80.0, varied="s.c"),
        _row(7, {"s.c": 2.0}, 0.0, "infeasible", varied="s.c"),
        _row(8, {"s.d": 0.2}, 150.0, varied="s.d"),
        _row(9, {"s.d": 0.8}, 100.0, varied="s.d"),
    ]
    return _frame(rows), spec


def test_tornado_orders_by_absolute_swing_and_keeps_infeasible_ends(oat):
    rows, spec = oat
    t = tornado(rows, spec)
    assert t["parameter"].tolist() == ["s.d", "s.a", "s.b", "s.c"]
    assert t["swing"].iloc[:3].tolist() == [-50.0, 40.0, -6.0]
    b = t.set_index("parameter").loc["s.b"]
    assert (b["label"], b["low_value"], b["high_value"], b["metric_at_low"], b["metric_at_high"]) == (
        "B",
        10,
        30,
        104.0,
        98.0,
    )
    assert (t["base_metric"] == 100.0).all()
    c = t.set_index("parameter").loc["s.c"]  # the infeasible end is NaN and flagged, not dropped
    assert c["metric_at_low"] == 80.0 and np.isnan(c["metric_at_high"]) and np.isnan(c["swing"])
    assert (c["low_status"], c["high_status"], bool(c["complete"])) == ("optimal", "infeasible", False)
    assert t.set_index("parameter")["complete"].drop("s.c").all()


def test_tornado_takes_the_base_value_from_the_base_scenario():
    # one value moved (0.05); the base scenario's 0.07 is the other end: swing = 70 - 61 = 9 USD/MWh
    spec = StudySpec(design="oat", parameters=[{"path": "finance.discount_rate", "values": [0.05]}])
    scenario = json.dumps({"finance": {"discount_rate": 0.07}})
    rows = _frame(
        [
            _row(0, {}, 70.0, scenario_json=scenario),
            _row(1, {"finance.discount_rate": 0.05}, 61.0, varied="finance.discount_rate", scenario_json=scenario),
        ]
    )
    r = tornado(rows, spec).iloc[0]
    assert (r["base_value"], r["low_value"], r["high_value"], r["swing"]) == (0.07, 0.05, 0.07, 9.0)


def test_tornado_needs_an_oat_study(oat):
    rows, _ = oat
    with pytest.raises(GreendcError, match="design 'oat'"):
        tornado(rows, StudySpec(design="grid", parameters=[{"path": "s.a", "values": [1, 3]}]))
    with pytest.raises(GreendcError, match="land_km2"):
        tornado(rows, oat[1], metric="land_km2")


# --- target curve --------------------------------------------------------------------------------------------


def test_target_curve_sorts_by_value_and_flags_points_without_a_plan():
    path = "rules.reliability_target"
    rows = _frame([_row(0, {path: 0.9}, 60.0), _row(1, {path: 1.0}, 0.0, "infeasible"), _row(2, {path: 0.95}, 66.0)])
    c = target_curve(rows, path)
    assert c["value"].tolist() == [0.9, 0.95, 1.0]
    assert c["point"].tolist() == [0, 2, 1]
    assert c[COST].iloc[:2].tolist() == [60.0, 66.0] and np.isnan(c[COST].iloc[2])
    assert c["optimal"].tolist() == [True, True, False]
    assert c["diagnosis"].iloc[2] == "infeasible: reason 1"


# --- Pareto front --------------------------------------------------------------------------------------------


@pytest.fixture
def five() -> pd.DataFrame:
    """Five designs (cost [USD/MWh], out-of-sample availability [-], land [km²]) and one infeasible point.

    By hand, cost minimised and availability maximised:
    P0 (50, 0.90) and P1 (60, 0.95): neither dominates the other (P0 cheaper, P1 more available);
    P2 (55, 0.85) is dominated by P0 (cheaper and more available);
    P3 (70, 0.95) is dominated by P1 (same availability, cheaper);
    P4 (80, 0.99) is the most available: nobody dominates it.  Front: P0, P1, P4.
    With land minimised too, P2 has the least land (5 km² against 10 km²): it joins the front; P3 stays dominated
    by P1 (equal availability and land, cheaper).
    """
    cost = [50.0, 60.0, 55.0, 70.0, 80.0]
    avail = [0.90, 0.95, 0.85, 0.95, 0.99]
    land = [10.0, 10.0, 5.0, 10.0, 10.0]
    rows = [_row(i, {"x": i}, cost[i], oos_availability=avail[i], land_km2=land[i]) for i in range(5)]
    rows.append(_row(5, {"x": 5}, 0.0, "infeasible", oos_availability=np.nan, land_km2=np.nan))
    return _frame(rows)


def test_pareto_front_of_five_points(five):
    p = pareto_front(five, {COST: "min", "oos_availability": "max"})
    assert p["point"].tolist() == [0, 2, 1, 3, 4]  # optimal rows only, cheapest first
    assert p.set_index("point")["on_front"].to_dict() == {0: True, 1: True, 2: False, 3: False, 4: True}


def test_pareto_front_with_three_objectives(five):
    p = pareto_front(five, {COST: "min", "oos_availability": "max", "land_km2": "min"})
    assert sorted(p.loc[p["on_front"], "point"]) == [0, 1, 2, 4]


def test_pareto_front_rejects_a_bad_sense(five):
    with pytest.raises(GreendcError, match="'min', 'max'"):
        pareto_front(five, {COST: "lowest"})


# --- near-optimal alternatives -------------------------------------------------------------------------------


def test_near_optimal_ranges_and_designs():
    """Least cost 50 USD/MWh with PV 100 MW, wind 200 MW; within ε = 5 % PV goes from 40 to 180 MW and wind down
    to 120 MW; maximising wind found no plan (infeasible), so its maximum is unknown."""

    def near(point, cap, sense, pv, wind, cost, status="optimal"):
        return _row(
            point,
            {},
            cost,
            status,
            near_optimal_capacity=cap,
            near_optimal_sense=sense,
            epsilon=0.05,
            pv_mw=pv,
            wind_mw=wind,
            objective_usd_per_yr=cost * 1e6,
        )

    base = _row(
        0,
        {},
        50.0,
        pv_mw=100.0,
        wind_mw=200.0,
        objective_usd_per_yr=50e6,
        near_optimal_capacity=None,
        near_optimal_sense=None,
        epsilon=np.nan,
    )
    rows = _frame(
        [
            base,
            near(1, "pv_mw", "min", 40.0, 260.0, 52.5),
            near(2, "pv_mw", "max", 180.0, 150.0, 52.4),
            near(3, "wind_mw", "min", 170.0, 120.0, 52.5),
            near(4, "wind_mw", "max", np.nan, np.nan, np.nan, "infeasible"),
        ]
    )
    assert base_row(rows)["point"] == 0
    r = near_optimal_ranges(rows)
    assert r.index.tolist() == ["pv_mw", "wind_mw"]
    assert r.loc["pv_mw", ["optimum", "min", "max"]].tolist() == [100.0, 40.0, 180.0]
    assert r.loc["pv_mw", ["min_cost_usd_per_mwh_it", "max_cost_usd_per_mwh_it"]].tolist() == [52.5, 52.4]
    assert r.loc["pv_mw", "max_objective_usd_per_yr"] == 52.4e6
    assert r.loc["wind_mw", ["optimum", "min"]].tolist() == [200.0, 120.0] and np.isnan(r.loc["wind_mw", "max"])
    assert (r.loc["wind_mw", "max_status"], r.loc["wind_mw", "unit"], r.loc["wind_mw", "epsilon"]) == (
        "infeasible",
        "MW",
        0.05,
    )
    assert (r["optimum_cost_usd_per_mwh_it"] == 50.0).all()
    d = near_optimal_designs(rows)
    assert d.index.tolist() == ["least cost", "pv_mw min", "pv_mw max", "wind_mw min", "wind_mw max"]
    assert d.loc["wind_mw min", ["pv_mw", "wind_mw", COST]].tolist() == [170.0, 120.0, 52.5]
    assert d.loc["wind_mw max", "status"] == "infeasible" and np.isnan(d.loc["wind_mw max", "pv_mw"])


def test_near_optimal_ranges_need_near_optimal_rows():
    with pytest.raises(GreendcError, match="no near-optimal rows"):
        near_optimal_ranges(_frame([_row(0, {}, 50.0)]))


# --- Morris --------------------------------------------------------------------------------------------------


def _morris_rows(spec: StudySpec, f) -> pd.DataFrame:
    """The rows a study of ``spec`` would store for the model ``f(x1, x2)``, in design order."""
    rows = []
    for p in study_points(spec):
        x1, x2 = p.values["m.x1"], p.values["m.x2"]
        rows.append(_row(p.index, p.values, f(x1, x2)))
    return _frame(rows)


def _morris_spec(low1: float, high1: float) -> StudySpec:
    return StudySpec(
        design="morris",
        samples=8,
        levels=4,
        seed=3,
        parameters=[{"path": "m.x1", "low": low1, "high": high1}, {"path": "m.x2", "low": 0.0, "high": 10.0}],
    )


@pytest.mark.parametrize(("low1", "high1", "mu_star"), [(0.0, 1.0, 2.0), (1.0, 4.0, 6.0)])
def test_morris_of_a_linear_function(low1, high1, mu_star):
    """y = 2·x1 + 0·x2. SALib (morris.analyze, unscaled) divides the output change by the step in the unit
    cube, Δ = p / (2 (p − 1)) = 2/3 for p = 4 levels, while x1 moves Δ·(high − low) in its own unit; so every
    elementary effect of x1 is 2·Δ·(high − low)/Δ = 2·(high − low): μ = μ* = 2 on [0, 1], 6 on [1, 4]; σ = 0.
    Those of x2 are 0."""
    spec = _morris_spec(low1, high1)
    m = morris_effects(_morris_rows(spec, lambda x1, x2: 2.0 * x1 + 0.0 * x2), spec)
    assert m.index.tolist() == ["m.x1", "m.x2"]
    assert m.loc["m.x1", "mu_star"] == pytest.approx(mu_star, rel=1e-12)
    assert m.loc["m.x1", "mu"] == pytest.approx(mu_star, rel=1e-12)
    assert m.loc["m.x1", "sigma"] == pytest.approx(0.0, abs=1e-9)
    assert m.loc["m.x2", ["mu", "mu_star", "sigma"]].tolist() == pytest.approx([0.0, 0.0, 0.0], abs=1e-12)


def test_morris_reads_points_that_share_a_stored_row():
    """Trajectories often revisit a point; the store keeps one row per scenario (one key), so a repeated point is
    found by its values and the answer is unchanged: μ*(x1) = 2 on [0, 1]."""
    spec = _morris_spec(0.0, 1.0)
    rows = _morris_rows(spec, lambda x1, x2: 2.0 * x1)
    stored = rows.drop_duplicates("values_json", keep="last")
    assert len(stored) < len(rows)  # this sample does repeat points
    assert morris_effects(stored, spec).loc["m.x1", "mu_star"] == pytest.approx(2.0, rel=1e-12)


def test_morris_sign_shows_in_mu_not_mu_star():
    # y = -2·x1 on [1, 4]: every elementary effect is -6, so μ = -6 and μ* = |−6| = 6
    spec = _morris_spec(1.0, 4.0)
    m = morris_effects(_morris_rows(spec, lambda x1, x2: -2.0 * x1), spec)
    assert (m.loc["m.x1", "mu"], m.loc["m.x1", "mu_star"]) == pytest.approx((-6.0, 6.0), rel=1e-12)


def test_morris_names_the_points_without_a_plan():
    spec = _morris_spec(0.0, 1.0)
    rows = _morris_rows(spec, lambda x1, x2: 2.0 * x1)
    rows.loc[rows["point"] == 3, ["status", COST, "diagnosis"]] = ["infeasible", np.nan, "land limit 100 km² hit"]
    rows.loc[rows["point"] == 7, ["status", COST]] = ["error", np.nan]
    with pytest.raises(
        GreendcError,
        match=r"2 of 24 points are not optimal \(point 3 infeasible: land limit "
        r"100 km² hit; point 7 error",
    ):
        morris_effects(rows, spec)
    unique = rows.drop_duplicates("values_json", keep=False)["point"].iloc[0]  # a scenario no other point has
    with pytest.raises(GreendcError, match=rf"1 of the design's points have no row \(points {unique}\)"):
        morris_effects(rows[rows["point"] != unique], spec)
    with pytest.raises(GreendcError, match="design 'morris'"):
        morris_effects(rows, StudySpec(design="lhs", parameters=spec.parameters))
