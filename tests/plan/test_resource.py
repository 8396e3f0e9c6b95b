"""P50/P90 resource years and the plan at the P90 levels, on tables and LPs worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tests.plan.test_plan_model import A_PV, make_inputs

from greendc.errors import ScenarioError
from greendc.plan.resource import annual_yields, resource_levels, resource_sensitivity
from greendc.plan.solve import solve


def test_annual_yields_keep_whole_calendar_years_only():
    # 2030 (8760 h) at pv 0.20, 2031 (8760 h) at 0.25, then 10 days of 2032 at 0.9: 2032 is not whole
    idx = pd.date_range("2030-01-01", periods=2 * 8760 + 240, freq="h", tz="UTC")
    pv = np.r_[np.full(8760, 0.20), np.full(8760, 0.25), np.full(240, 0.9)]
    annual = annual_yields(pd.DataFrame({"pv_cf": pv, "wind_cf": 0.4, "pue": 1.1}, index=idx))
    assert list(annual.index) == [2030, 2031] and list(annual.columns) == ["pv_cf", "wind_cf"]
    assert annual["pv_cf"].tolist() == pytest.approx([0.20, 0.25])
    with pytest.raises(ScenarioError, match="no whole calendar year"):
        annual_yields(pd.DataFrame({"pv_cf": 0.2}, index=idx[:240]))


def test_p50_and_p90_empirical_and_normal_by_hand():
    annual = pd.DataFrame({"wind_cf": [0.40, 0.44, 0.36, 0.42, 0.38]}, index=range(2030, 2035))
    lv = resource_levels(annual).loc["wind_cf"]
    # sorted 0.36 0.38 0.40 0.42 0.44: median 0.40; 10 % quantile at position 0.4 -> 0.36 + 0.4 x 0.02 = 0.368
    assert lv["P50"] == pytest.approx(0.40) and lv["P90"] == pytest.approx(0.368)
    # sd (n-1) = sqrt((0 + 0.0016 + 0.0016 + 0.0004 + 0.0004) / 4) = 0.031623; cv = 0.079057;
    # P90 normal = 0.40 x (1 - 1.281552 x 0.079057) = 0.359473
    assert lv["sd"] == pytest.approx(0.0316228, rel=1e-5)
    assert lv["P90_normal"] == pytest.approx(0.359473, rel=1e-5)
    assert lv["P90_year"] == 2032  # 0.36 is the year nearest 0.368


def test_the_plan_at_p90_scales_the_profiles_and_resolves():
    # PV only (wind too dear), constant cf 0.5 and a 100 MW load: PV = 100 / cf. At a P90 cf of 0.4 the
    # plan needs 250 MW (factor 0.8), 25 % more cost: 250 x 100 USD/yr vs 200 x 100 USD/yr.
    inputs = make_inputs(0.5, wind_cf=0.25)
    plan = solve(inputs)
    levels = pd.DataFrame({"P90": [0.4, 0.25]}, index=["pv_cf", "wind_cf"])
    table = resource_sensitivity(inputs, plan, levels)
    assert list(table.index) == ["design weather", "PV at P90", "wind at P90", "PV and wind at P90"]
    assert table.loc["PV at P90", "pv_factor"] == pytest.approx(0.8)
    assert table.loc["PV at P90", "pv_mw"] == pytest.approx(250.0, rel=1e-7)
    assert table.loc["PV at P90", "cost_change_fraction"] == pytest.approx(0.25, rel=1e-7)
    assert table.loc["design weather", "pv_mw"] == pytest.approx(200.0, rel=1e-7)
    assert table.loc["wind at P90", "cost_usd_per_mwh_it"] == pytest.approx(plan.cost_usd_per_mwh_it, rel=1e-7)
    assert table.loc["PV and wind at P90", "pv_mw"] * A_PV == pytest.approx(25_000.0, rel=1e-7)
    with pytest.raises(ScenarioError, match="rows pv_cf and wind_cf"):
        resource_sensitivity(inputs, plan, levels.loc[["pv_cf"]])
