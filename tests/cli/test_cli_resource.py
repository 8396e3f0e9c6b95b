"""`greendc resource`: P50/P90 resource years and the plan at P90, end to end, report opened in a real browser."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from tests.report.browser import open_page
from typer.testing import CliRunner

from greendc.cli import app

runner = CliRunner()


def test_resource_years_and_the_plan_at_p90(tmp_path):
    out = tmp_path / "res"
    result = runner.invoke(app, ["resource", "--years", "3", "--verify-years", "10", "--out", str(out)])
    assert result.exit_code == 0, result.output
    annual = pd.read_csv(out / "resource_years.csv", index_col="year")
    assert len(annual) == 3 and {"pv_cf", "wind_cf"} <= set(annual.columns)
    levels = pd.read_csv(out / "resource_levels.csv", index_col="resource")
    # the P90 level is the 10 % quantile of the three years: between the lowest and the median
    for col in ("pv_cf", "wind_cf"):
        assert (
            annual[col].min() <= levels.loc[col, "P90"] <= levels.loc[col, "P50"] == pytest.approx(annual[col].median())
        )
    table = pd.read_csv(out / "resource_sensitivity.csv", index_col="case")
    design_cost = table.loc["design weather", "cost_usd_per_mwh_it"]
    for case, row in table.iterrows():
        # less resource never makes the least-cost plan cheaper, more never dearer (to the solver's tolerance)
        if row["pv_factor"] <= 1 and row["wind_factor"] <= 1:
            assert row["cost_usd_per_mwh_it"] >= design_cost * (1 - 1e-6), case
        if row["pv_factor"] >= 1 and row["wind_factor"] >= 1:
            assert row["cost_usd_per_mwh_it"] <= design_cost * (1 + 1e-6), case
    summary = json.loads((out / "resource.json").read_text())
    assert summary["out_of_sample"]["years"] == 10  # the out-of-sample figure sits beside the planned ones
    assert "unseen years" in " ".join(result.output.split())
    page = open_page((out / "resource.html").as_uri())
    assert page.page_errors == [] and page.console_errors == [] and page.plot_count == 1


def test_resource_years_are_independent_first_years():
    # Each resource year is drawn alone, so module degradation (here 4.9 %/yr, the most allowed) does not pass
    # for a weaker sun: in one multi-year run the third year would lose 9.8 % of its PV output.
    from greendc.cli.resource import resource_profiles
    from greendc.plan.resource import annual_yields
    from greendc.scenario.io import load_scenario

    sc = load_scenario("dakhla")
    pv = sc.technologies.pv.model_copy(update={"degradation_per_year": 0.049})
    sc = sc.model_copy(update={"technologies": sc.technologies.model_copy(update={"pv": pv})})
    annual = annual_yields(resource_profiles(sc, 3, 11))
    assert list(annual.index) == [2030, 2031, 2032]
    # year-to-year spread of the resource alone: a few per cent (GHI CV 2 %), far below 9.8 %
    assert annual["pv_cf"].max() / annual["pv_cf"].min() < 1.05
