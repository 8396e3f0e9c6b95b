"""Cost table and annuity arithmetic, checked against hand calculations written out below."""

from __future__ import annotations

import math

import numpy as np
import pytest

from greendc.costs import (
    annualised_cost_per_unit,
    capital_recovery_factor,
    lcoe,
    load_cost_table,
)
from greendc.errors import DataFileError, GreendcError

REFERENCE_ROWS = {
    "pv_single_axis",
    "wind_onshore",
    "battery_energy",
    "battery_power",
    "electrolyser",
    "h2_store",
    "fuel_cell",
}


def test_crf_textbook_value():
    # Short, Packey & Holt (1995) eq. 4-4 by hand: 1.07^25 = 5.42743; 0.07 / (1 - 1/5.42743) = 0.085811.
    assert capital_recovery_factor(0.07, 25) == pytest.approx(0.085811, abs=1e-6)


def test_crf_zero_rate_is_straight_line():
    # With no discounting the yearly payment is capex / lifetime: 1/20 = 0.05.
    assert capital_recovery_factor(0.0, 20) == pytest.approx(0.05)


def test_crf_vectorised():
    # 1.05^10 = 1.628895; 0.05 / (1 - 1/1.628895) = 0.129505.
    out = capital_recovery_factor(np.array([0.0, 0.05]), np.array([10.0, 10.0]))
    np.testing.assert_allclose(out, [0.1, 0.129505], atol=1e-6)


def test_annualised_cost_of_shipped_pv_row():
    # PV tracker: 628 563 USD/MW, 40 yr, FOM 2.2884 %/yr at 7 %:
    # 1.07^40 = 14.97446, CRF = 0.07 / (1 - 1/14.97446) = 0.075009; (0.075009 + 0.022884) * 628 563 = 61 532.
    row = load_cost_table()["pv_single_axis"]
    assert annualised_cost_per_unit(
        row.capex_per_unit, row.lifetime_years, 0.07, row.fom_fraction_per_year
    ) == (pytest.approx(61_532, abs=1.0))
    assert row.annualised_cost(0.07) == pytest.approx(61_532, abs=1.0)


def test_lcoe_by_hand():
    # 1000 USD/MW over 10 yr at 0 %, no O&M: 100 USD/yr per MW; at CF 0.5 a MW gives 4380 MWh/yr:
    # 100 / 4380 = 0.022831 USD/MWh, plus 2 USD/MWh variable O&M.
    assert lcoe(1000.0, 10, 0.0, 0.0, 0.5, vom_usd_per_mwh=2.0) == pytest.approx(100 / 4380 + 2.0)


@pytest.mark.parametrize("rate", [-0.01, 1.5, math.nan])
def test_bad_rate_is_an_error(rate):
    with pytest.raises(GreendcError, match="discount rate"):
        capital_recovery_factor(rate, 10)


def test_bad_capacity_factor_is_an_error():
    with pytest.raises(GreendcError, match="capacity_factor"):
        lcoe(1000.0, 10, 0.05, 0.0, 0.0)


def test_shipped_table_has_reference_rows_with_sources():
    table = load_cost_table("default")
    assert REFERENCE_ROWS <= set(table.technologies)
    for row in table.rows.values():
        assert row.source.strip(), f"row {row.technology} has no source"
    # values of the reference table (shared reference costs_2030.csv), unchanged
    assert table["battery_power"].efficiency == 0.90
    assert table["electrolyser"].efficiency == 0.6217
    assert table["fuel_cell"].capex_per_unit == 1_616_322


def test_missing_row_names_what_exists():
    with pytest.raises(DataFileError, match="no row for technology 'csp'"):
        load_cost_table()["csp"]


def _write(tmp_path, text):
    path = tmp_path / "costs.csv"
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "technology,capex_per_unit,unit,lifetime_years,fom_fraction_per_year,efficiency,source\n"


def test_bad_number_names_line_and_column(tmp_path):
    path = _write(tmp_path, HEADER + "pv,100,USD/MW,25,0.01,1.0,x\nwind,abc,USD/MW,25,0.01,1.0,y\n")
    with pytest.raises(DataFileError, match=r"line 3, column 'capex_per_unit': 'abc' is not a number"):
        load_cost_table(path)


def test_out_of_range_names_line_and_column(tmp_path):
    path = _write(tmp_path, HEADER + "pv,100,USD/MW,0,0.01,1.0,x\n")
    with pytest.raises(DataFileError, match=r"line 2, column 'lifetime_years': 0 is outside"):
        load_cost_table(path)


def test_missing_column_and_duplicate_row(tmp_path):
    path = _write(tmp_path, "technology,capex_per_unit\npv,1\n")
    with pytest.raises(DataFileError, match="missing column"):
        load_cost_table(path)
    path = _write(tmp_path, HEADER + "pv,100,USD/MW,25,0.01,1.0,x\npv,100,USD/MW,25,0.01,1.0,x\n")
    with pytest.raises(DataFileError, match=r"line 3.*duplicate row 'pv'"):
        load_cost_table(path)


def test_optional_vom_column(tmp_path):
    path = _write(
        tmp_path,
        "technology,capex_per_unit,unit,lifetime_years,fom_fraction_per_year,efficiency,source,vom_usd_per_mwh\n"
        "pv,100,USD/MW,25,0.01,1.0,x,1.5\n",
    )
    assert load_cost_table(path)["pv"].vom_usd_per_mwh == 1.5
