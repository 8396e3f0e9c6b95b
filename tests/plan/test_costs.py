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
    # PV tracker: DEA 571 421.3 EUR2020/MW x 1.1422 USD/EUR (2020) x 313.689/258.811 (CPI-U 2024/2020)
    # = 791 070.4 USD2024/MW, 40 yr, FOM 2.2884 %/yr at 7 %:
    # 1.07^40 = 14.97446, CRF = 0.07 / (1 - 1/14.97446) = 0.075009; (0.075009 + 0.022884) * 791 070.4 = 77 440.
    row = load_cost_table()["pv_single_axis"]
    assert row.capex_per_unit == pytest.approx(571_421.3 * 1.1422 * 313.689 / 258.811)
    assert annualised_cost_per_unit(row.capex_per_unit, row.lifetime_years, 0.07, row.fom_fraction_per_year) == (
        pytest.approx(77_440, abs=2.0)
    )
    assert row.annualised_cost(0.07) == pytest.approx(77_440, abs=2.0)


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
    # values of the reference table (shared reference costs_2030.csv), in the source's own money
    assert table["battery_power"].efficiency == 0.90
    assert table["electrolyser"].efficiency == 0.6217
    fc = table["fuel_cell"]
    assert (fc.source_capex_per_unit, fc.source_currency, fc.source_money_year) == (1_469_383.4, "EUR", 2015)
    # EUR2015 -> USD2024: 1.1095 USD/EUR (2015) x 313.689 / 237.017 (CPI-U) = 1.46842
    assert fc.money_factor == pytest.approx(1.1095 * 313.689 / 237.017)
    assert fc.capex_per_unit == pytest.approx(1_469_383.4 * 1.46842, rel=1e-5)
    assert table.currency_label == "USD2024"


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
        "technology,capex_per_unit,unit,lifetime_years,fom_fraction_per_year,efficiency,source,vom_per_mwh\n"
        "pv,100,USD/MW,25,0.01,1.0,x,1.5\n",
    )
    assert load_cost_table(path)["pv"].vom_usd_per_mwh == 1.5
    # the same in EUR of 2020: 1.5 x 1.1422 x 313.689 / 258.811 = 2.0766 USD2024/MWh
    path = _write(
        tmp_path,
        "technology,capex_per_unit,unit,lifetime_years,fom_fraction_per_year,efficiency,source,vom_per_mwh,currency,"
        "money_year\npv,100,EUR/MW,25,0.01,1.0,x,1.5,EUR,2020\n",
    )
    row = load_cost_table(path)["pv"]
    assert row.vom_usd_per_mwh == pytest.approx(2.0766, abs=1e-4) and row.unit == "USD/MW"


def test_applies_to_reads_an_old_capacity_name_as_the_current_one(tmp_path):
    """``fuelcell_mw`` (greendc.units.RENAMED_CAPACITIES) in an older table's ``applies_to`` is ``fuel_cell_mw``."""
    path = _write(
        tmp_path,
        "technology,capex_per_unit,unit,lifetime_years,fom_fraction_per_year,efficiency,source,applies_to\n"
        "grid_connection,100,USD/MW,40,0.02,1.0,x,pv_mw fuelcell_mw\n",
    )
    assert load_cost_table(path)["grid_connection"].applies_to == ("pv_mw", "fuel_cell_mw")


def test_unknown_column_is_an_error_not_a_silent_zero(tmp_path):
    path = _write(tmp_path, HEADER.strip() + ",vom_usd_per_mwh\npv,100,USD/MW,25,0.01,1.0,x,1.5\n")
    with pytest.raises(DataFileError, match=r"unknown column\(s\) \['vom_usd_per_mwh'\]"):
        load_cost_table(path)


def test_inflation_conversion_against_the_index_table():
    # BLS CPI-U annual averages 2013 = 232.957, 2022 = 292.655, 2024 = 313.689; ECB USD/EUR 2013 = 1.3281.
    from greendc.money import load_price_indices, to_usd

    idx = load_price_indices()
    assert idx.us_cpi_u[2022] == 292.655 and idx.usd_per_eur[2013] == 1.3281
    # 1000 USD2022 -> USD2024: 1000 x 313.689 / 292.655 = 1071.87
    assert to_usd(1000.0, "USD", 2022, 2024) == pytest.approx(1071.87, abs=0.01)
    # 69.13 EUR2013/m3 (Caldera water tank) -> 69.13 x 1.3281 x 313.689 / 232.957 = 123.63 USD2024/m3
    assert to_usd(69.13, "EUR", 2013, 2024) == pytest.approx(123.63, abs=0.01)
    assert load_cost_table()["water_tank"].capex_per_unit == pytest.approx(123.63, abs=0.01)
    # same year, same currency: no change
    assert to_usd(5.0, "USD", 2020, 2020) == 5.0


def test_money_year_outside_the_index_is_an_error():
    from greendc.money import to_usd

    with pytest.raises(GreendcError, match="no US CPI-U for year 1999"):
        to_usd(1.0, "USD", 1999, 2024)
    with pytest.raises(GreendcError, match="currency 'GBP' is not supported"):
        to_usd(1.0, "GBP", 2020, 2024)


def test_cost_sets_pick_their_variants():
    market, projections = load_cost_table(cost_set="market-2024"), load_cost_table(cost_set="projections-2030")
    assert market["wind_onshore"].variant == "irena-2023"
    # IRENA 2023 onshore wind 1160 USD2023/kW -> x 313.689 / 304.702 = 1194.2 USD2024/kW
    assert market["wind_onshore"].capex_per_unit == pytest.approx(1_194_213, abs=1.0)
    assert projections["wind_onshore"].variant == "nrel-atb-2024"
    assert market["battery_energy"].capex_per_unit == 128_740.0  # BNEF 2024, already USD2024
    assert set(market.balance_of_plant) == {"grid_connection", "grid_forming"}
    assert projections.balance_of_plant == {}
    assert market["grid_connection"].applies_to == ("pv_mw", "battery_mw", "fuel_cell_mw", "csp_power_block_mw")


def test_unknown_cost_set_names_the_shipped_ones(tmp_path):
    with pytest.raises(DataFileError, match="cost set 'cheap' is not shipped; allowed: market-2024, projections-2030"):
        load_cost_table(cost_set="cheap")
    path = _write(tmp_path, HEADER + "pv,100,USD/MW,25,0.01,1.0,x\n")
    with pytest.raises(DataFileError, match="applies to the shipped table only"):
        load_cost_table(path, cost_set="market-2024")


def test_euro_row_needs_its_money_year(tmp_path):
    path = _write(
        tmp_path,
        "technology,capex_per_unit,unit,lifetime_years,fom_fraction_per_year,efficiency,source,"
        "currency\npv,100,EUR/MW,25,0.01,1.0,x,EUR\n",
    )
    with pytest.raises(DataFileError, match="line 2: a EUR row needs its money_year"):
        load_cost_table(path)


def test_listing_gives_every_number_with_its_source():
    listing = load_cost_table()["fuel_cell"].listing()
    assert listing["source_capex_per_unit"] == 1_469_383.4 and listing["source_money_year"] == 2015
    assert listing["capex_per_unit"] == pytest.approx(listing["source_capex_per_unit"] * listing["money_factor"])
    assert "DEA" in listing["source"]


def test_to_csv_round_trips_in_the_source_money(tmp_path):
    table = load_cost_table()
    back = load_cost_table(table.to_csv(tmp_path / "costs.csv", drop=("csp_field",)))
    assert "csp_field" not in back and back.money_year == 2024
    for tech, row in back.rows.items():
        assert row.capex_per_unit == pytest.approx(table[tech].capex_per_unit, rel=1e-12)
        assert row.applies_to == table[tech].applies_to
