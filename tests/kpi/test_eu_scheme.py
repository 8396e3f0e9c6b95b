"""The EU reporting template (Delegated Regulation (EU) 2024/1364) on hand-made telemetry and declared facts.

Energies are worked out by hand in kWh; Annex I values are the declared facts, null when undeclared; the
applicability sentence follows the country code and the 500 kW threshold of Art. 1.
"""

from __future__ import annotations

import pandas as pd
import pytest

from greendc.errors import ScenarioError, TelemetryError
from greendc.kpi.eu_scheme import EVIDENCE_LABELS, applicability, eu_reporting_fields
from greendc.scenario.io import load_scenario, scenario_from_dict
from greendc.scenario.models import Scenario


def hourly(start: str = "2030-01-01", hours: int = 2, **columns: float) -> pd.DataFrame:
    """A telemetry frame of constant columns [MW, m³ per step], hourly steps from ``start`` (UTC)."""
    idx = pd.date_range(start, periods=hours, freq="h", tz="UTC")
    return pd.DataFrame({k: [v] * hours for k, v in columns.items()}, index=idx)


DECLARED = {
    "datacenter": {"it_capacity_mw": 2.0},
    "reporting": {
        "name": "Frankfurt One",
        "owner": "Example Owner GmbH",
        "operator": "Example Ops GmbH",
        "contact": "ops@example.org",
        "country": "DE",
        "municipality": "Frankfurt am Main",
        "lau_code": "06412000",
        "type": "colocation",
        "operation_start": "2031-06",
        "redundancy": {
            "power_grid": "2N",
            "power_row": "N+1",
            "power_rack": "2N",
            "cooling": "N+1",
            "uptime_tier": "III",
        },
        "floor_areas": {"total_m2": 12000.0, "computer_room_m2": 5000.0},
        "refrigerants": [{"type": "R-1234ze(E)", "gwp_100yr": 1.0, "charge_kg": 800.0}],
        "data_traffic": {
            "incoming_bandwidth_gbit_per_s": 400.0,
            "outgoing_bandwidth_gbit_per_s": 800.0,
            "incoming_tb_per_year": 1.5e5,
            "outgoing_tb_per_year": 3.0e5,
        },
        "data_stored_tb": 2.0e4,
        "data_processed_tb_per_year": 9.0e4,
        "grid_functions": "demand response, 10 MW for 1 h",
    },
}


def test_annex_ii_energies_for_a_calendar_year():
    # 2030, 8760 h: facility 12 MW, IT 10 MW, PV delivers the facility, water 1 m3/h.
    # E_DC = 12 x 8760 = 105 120 MWh = 105 120 000 kWh; E_IT = 87 600 000 kWh; WIN = 8760 m3
    # PUE = 1.2, WUE = 8760 / 87 600 = 0.1 m3/MWh, REF = 1, ERF null (no heat meter).
    f = hourly(hours=8760, it_mw=10.0, facility_mw=12.0, pv_mw=12.0, water_m3=1.0)
    eu = eu_reporting_fields(f)
    assert eu["reporting_period"]["calendar_year"] == 2030
    assert eu["reporting_period"]["complete_calendar_year"] is True
    ii, iii = eu["annex_ii"], eu["annex_iii"]
    assert ii["total_energy_consumption"]["value"] == pytest.approx(105_120_000.0)
    assert (ii["total_energy_consumption"]["symbol"], ii["total_energy_consumption"]["unit"]) == ("E_DC", "kWh")
    assert ii["it_energy_consumption"]["value"] == pytest.approx(87_600_000.0)
    assert ii["total_water_input"]["value"] == pytest.approx(8760.0)
    assert ii["renewable_energy_total"]["value"] == pytest.approx(105_120_000.0)
    assert ii["renewable_energy_on_site"]["value"] == pytest.approx(105_120_000.0)
    for never in (
        "renewable_energy_guarantees_of_origin",
        "renewable_energy_ppa",
        "total_potable_water_input",
        "backup_generation_energy",
        "waste_heat_reused",
    ):
        assert ii[never]["value"] is None
    assert iii["power_usage_effectiveness"]["value"] == pytest.approx(1.2)
    assert iii["water_usage_effectiveness"]["value"] == pytest.approx(0.1)
    assert iii["renewable_energy_factor"]["value"] == pytest.approx(1.0)
    assert iii["energy_reuse_factor"]["value"] is None
    # Annex II and III were not read in the Regulation's text: every one of their fields says so.
    assert {x["evidence"] for x in [*ii.values(), *iii.values()]} == {"[S]"}
    # Back-up generation only when the caller says which column it is: 0.5 MW x 8760 h = 4 380 000 kWh.
    g = f.assign(fuel_cell_mw=0.5)
    ii_bg = eu_reporting_fields(g, backup_columns=("fuel_cell_mw",))["annex_ii"]
    assert ii_bg["backup_generation_energy"]["value"] == pytest.approx(4_380_000.0)
    with pytest.raises(TelemetryError, match="water_m3"):
        eu_reporting_fields(g, backup_columns=("water_m3",))


def test_a_calendar_year_is_picked_and_partial_periods_flagged():
    # 31 Dec 2030 and 1 Jan 2031, 24 h each; 2031: E_DC = 12 MW x 24 h = 288 MWh = 288 000 kWh.
    f = hourly(start="2030-12-31", hours=48, it_mw=10.0, facility_mw=12.0)
    eu = eu_reporting_fields(f, year=2031)
    assert eu["reporting_period"]["start"] == "2031-01-01T00:00:00+00:00"
    assert eu["reporting_period"]["complete_calendar_year"] is False
    assert eu["annex_ii"]["total_energy_consumption"]["value"] == pytest.approx(288_000.0)
    assert any("calendar year" in n for n in eu["notes"])
    with pytest.raises(TelemetryError, match="2029"):
        eu_reporting_fields(f, year=2029)


def test_annex_i_from_declared_facts():
    sc = scenario_from_dict(DECLARED)
    eu = eu_reporting_fields(hourly(it_mw=1.0, facility_mw=1.2), scenario=sc)
    i, ii = eu["annex_i"], eu["annex_ii"]
    assert (i["name"]["value"], i["owner"]["value"], i["operator"]["value"]) == (
        "Frankfurt One",
        "Example Owner GmbH",
        "Example Ops GmbH",
    )
    assert (i["location_lau_code"]["value"], i["location_lau_code"]["reference"]) == ("06412000", "Annex I point 1(c)")
    assert (i["type"]["value"], i["operation_start"]["value"]) == ("colocation", "2031-06")
    assert [i[f"redundancy_{k}"]["value"] for k in ("power_grid", "power_row", "power_rack", "cooling")] == [
        "2N",
        "N+1",
        "2N",
        "N+1",
    ]
    assert (i["redundancy_cooling"]["evidence"], i["redundancy_cooling"]["reference"]) == ("[R]", "Annex I point 2(b)")
    assert (i["uptime_tier"]["value"], i["uptime_tier"]["evidence"]) == ("III", "[-]")
    # Installed IT power: 2 MW x 1000 = 2000 kW (P_DIT); the rest as declared.
    assert (ii["installed_it_power"]["value"], ii["installed_it_power"]["unit"]) == (2000.0, "kW")
    assert (ii["total_floor_area"]["value"], ii["computer_room_floor_area"]["value"]) == (12000.0, 5000.0)
    assert ii["refrigerants"]["value"] == [{"type": "R-1234ze(E)", "gwp_100yr": 1.0, "charge_kg": 800.0}]
    assert ii["incoming_traffic_bandwidth"]["value"] == 400.0 and ii["outgoing_data_traffic"]["value"] == 3.0e5
    assert (ii["data_stored"]["value"], ii["data_processed"]["value"]) == (2.0e4, 9.0e4)
    assert ii["grid_functions"]["value"] == "demand response, 10 MW for 1 h"
    # DE is a Member State and 2000 kW >= 500 kW: the scheme applies.
    assert eu["applicability"].startswith("DE is an EU Member State") and "the scheme applies" in eu["applicability"]
    for annex in ("annex_i", "annex_ii", "annex_iii"):
        for field in eu[annex].values():
            assert set(field) == {"symbol", "value", "unit", "evidence", "reference", "rule"}
            assert field["evidence"] in EVIDENCE_LABELS


def test_undeclared_facts_are_null_not_zero():
    f = hourly(it_mw=1.0, facility_mw=1.2)
    eu = eu_reporting_fields(f, scenario=Scenario())
    i, ii = eu["annex_i"], eu["annex_ii"]
    for name in ("name", "owner", "operator", "location_lau_code", "type", "operation_start", "redundancy_cooling"):
        assert i[name]["value"] is None
    for name in ("total_floor_area", "refrigerants", "incoming_traffic_bandwidth", "data_stored", "grid_functions"):
        assert ii[name]["value"] is None
    # What the scenario itself gives: 500 MW = 500 000 kW, the 25 °C supply-air set point, the site.
    assert ii["installed_it_power"]["value"] == 500_000.0
    assert ii["average_it_intake_air_setpoint"]["value"] == 25.0
    assert i["location_coordinates"]["value"] == {"latitude_deg": 23.71, "longitude_deg": -15.94}
    assert eu["applicability"].startswith("country not declared")
    # Without a scenario, nothing declared at all, and the report says why.
    bare = eu_reporting_fields(f)
    assert bare["annex_ii"]["installed_it_power"]["value"] is None
    assert bare["annex_i"]["location_coordinates"]["value"] is None
    assert any("no scenario" in n for n in bare["notes"])


def test_non_eu_site_gets_the_template_statement():
    eu = eu_reporting_fields(hourly(it_mw=1.0, facility_mw=1.2), scenario=load_scenario("dakhla"))
    assert eu["applicability"].startswith("MA is not an EU Member State")
    assert "EU template applied to a non-EU site" in eu["applicability"]
    assert eu["annex_i"]["location_country"]["value"] == "MA"
    assert eu["annex_i"]["location_municipality"]["value"] == "Dakhla"
    assert eu["annex_i"]["location_lau_code"]["value"] is None
    assert eu["annex_ii"]["grid_functions"]["value"] == "none"


def test_threshold_of_article_1():
    assert "the scheme applies" in applicability("FR", 500.0)  # at least 500 kW: boundary included
    assert "does not apply (below the threshold)" in applicability("FR", 499.0)
    assert "not an EU Member State" in applicability("CH", 500_000.0)
    assert "not an EU Member State" not in applicability("GR", 500_000.0)  # Greece by its ISO code


@pytest.mark.parametrize(
    ("reporting", "where", "what"),
    [
        ({"floor_areas": {"total_m2": -5.0}}, "reporting.floor_areas.total_m2", "greater than 0"),
        ({"floor_areas": {"total_m2": 100.0, "computer_room_m2": 150.0}}, "reporting.floor_areas", "must not exceed"),
        ({"redundancy": {"cooling": "3N"}}, "reporting.redundancy.cooling", "'N+1'"),
        ({"refrigerants": [{"type": "R-32", "gwp_100yr": -1.0}]}, "reporting.refrigerants.0.gwp_100yr", "0"),
        ({"country": "Morocco"}, "reporting.country", "ISO 3166-1 alpha-2"),
        ({"operation_start": "2031-13"}, "reporting.operation_start", "YYYY-MM"),
        ({"type": "hyperscale"}, "reporting.type", "co-hosting"),
    ],
)
def test_bad_reporting_fields_name_the_field(reporting, where, what):
    with pytest.raises(ScenarioError) as err:
        scenario_from_dict({"reporting": reporting})
    assert where in str(err.value) and what in str(err.value)
