"""KPIs on small series computed by hand, each against the formula of its standard.

Sources: ISO/IEC 30134-2 / EN 50600-4-2 (PUE = E_DC / E_IT, annual energies, interim below 12 months),
EN 50600-4-3 (REF = E_ren / E_DC, max 1.00, surplus not counted), ISO/IEC 30134-6 (ERF = E_reuse / E_DC),
ISO/IEC 30134-8 (CUE = m_CO2e / E_IT), ISO/IEC 30134-9 (WUE = W_in / E_IT), as summed up in datacenter
facts §1.2–1.7 and §5.3 (the 24/7 CFE score has its own tests in test_cfe.py; two tests here compare it
with REF). Every expected value is worked out in the test.
"""

from __future__ import annotations

import dataclasses
import json
import math

import pytest

from greendc.errors import GreendcError, TelemetryError
from greendc.kpi import (
    KpiOptions,
    availability_by_class,
    cfe_share,
    cue_kg_per_kwh,
    energy_mwh,
    erf,
    kpi_report,
    pue,
    pue_kind,
    ref,
    renewable_energy_mwh,
    wue_l_per_kwh,
)

from .support import series

# --- PUE (ISO/IEC 30134-2 / EN 50600-4-2) --------------------------------------------------------------


def test_pue_is_the_ratio_of_energies():
    # 3 hours: IT 10, 10, 10 MW; facility 12, 11, 13 MW -> E_DC = 36 MWh, E_IT = 30 MWh, PUE = 36/30 = 1.2
    assert pue(series(it_mw=[10.0, 10, 10], facility_mw=[12.0, 11, 13])) == pytest.approx(1.2, rel=1e-12)


def test_pue_weights_by_energy_not_by_hour():
    # IT 10, 20, 10 MW; facility 12, 22, 16 MW -> E_DC = 50, E_IT = 40, PUE = 1.25.
    # The mean of hourly ratios (1.2 + 1.1 + 1.6) / 3 = 1.3 is not the KPI (facts §1.2, §6 item 6).
    f = series(it_mw=[10.0, 20, 10], facility_mw=[12.0, 22, 16])
    assert pue(f) == pytest.approx(1.25, rel=1e-12)
    assert pue(f) != pytest.approx((1.2 + 1.1 + 1.6) / 3)


def test_energy_uses_the_step_length():
    # 30-min steps: facility 12 MW for 4 steps = 12 MW x 2 h = 24 MWh; PUE unchanged by the step, 12/10 = 1.2
    f = series(freq="30min", it_mw=10.0, facility_mw=[12.0, 12, 12, 12])
    assert energy_mwh(f, "facility_mw") == pytest.approx(24.0)
    assert energy_mwh(f, "pv_mw") == 0.0  # absent optional column counts as zero
    assert pue(f) == pytest.approx(1.2)


def test_pue_below_one_or_without_it_energy_is_an_error():
    with pytest.raises(TelemetryError, match=r"facility_mw.*less than.*it_mw"):
        pue(series(it_mw=[10.0, 10], facility_mw=[9.0, 9.5]))
    with pytest.raises(TelemetryError, match="it_mw"):
        pue(series(it_mw=[0.0, 0.0], facility_mw=[1.0, 1.0]))


def test_pue_kind_annual_interim_partial_designed():
    # ISO/IEC 30134-2: annual PUE over 12 months; shorter = interim; part of site = partial; design = designed.
    year_2030 = series(it_mw=[10.0] * 8760, facility_mw=11.0)  # 2030-01-01 .. 2031-01-01: 12 months
    assert pue_kind(year_2030) == "annual"
    assert pue_kind(year_2030.iloc[:-1]) == "interim"  # one hour short of 12 months
    leap = series(start="2028-01-01", it_mw=[10.0] * 8760, facility_mw=11.0)  # 2028 has 8784 h
    assert pue_kind(leap) == "interim"
    assert pue_kind(series(start="2028-01-01", it_mw=[10.0] * 8784, facility_mw=11.0)) == "annual"
    quarter = series(freq="15min", it_mw=[10.0] * 96, facility_mw=11.0)
    assert pue_kind(quarter, partial=True) == "partial-interim"
    assert pue_kind(year_2030, partial=True) == "partial-annual"
    assert pue_kind(quarter, designed=True) == "designed"


# --- REF (ISO/IEC 30134-3 / EN 50600-4-3) --------------------------------------------------------------


def test_ref_islanded_site_with_storage_is_one():
    # h0: PV used 22 = facility 10 + battery charge 12 (8 MW more curtailed); h1: battery discharge 10 = facility.
    # On-site renewable used G = 22 MWh >= E_DC = 20 MWh, no grid -> E_ren = 20, REF = 1.
    f = series(
        it_mw=8.0,
        facility_mw=[10.0, 10],
        pv_mw=[22.0, 0],
        curtailed_mw=[8.0, 0],
        battery_charge_mw=[12.0, 0],
        battery_discharge_mw=[0.0, 10],
    )
    assert ref(f) == pytest.approx(1.0)


def test_ref_is_capped_at_one_surplus_does_not_count():
    # PV 50 MW for 2 h (say exported, not in the balance) = 100 MWh for E_DC = 20 MWh.
    # EN 50600-4-3: on-site generation beyond the need of the DC does not count: REF = 20/20 = 1, not 5.
    f = series(it_mw=8.0, facility_mw=[10.0, 10], pv_mw=[50.0, 50])
    assert ref(f) == 1.0
    assert renewable_energy_mwh(f)["generated_mwh"] == pytest.approx(100.0)
    assert renewable_energy_mwh(f)["on_site_mwh"] == pytest.approx(20.0)


def test_ref_with_grid_import():
    # facility 10, 10 MW; PV used 10, 0 (5 more curtailed: never counts) -> G = 10 MWh; grid 0, 10 -> M = 10 MWh.
    # E_RES-OS = min(10, 20 - 10) = 10; grid counts as non-renewable by default: REF = 10/20 = 0.5.
    f = series(it_mw=8.0, facility_mw=[10.0, 10], pv_mw=[10.0, 0], curtailed_mw=[5.0, 0], grid_import_mw=[0.0, 10])
    assert ref(f) == pytest.approx(0.5)
    # 40 % of grid documented renewable (EN 50600-4-3 c): (10 + 0.4 x 10) / 20 = 0.7
    assert ref(f, grid_renewable_share=0.4) == pytest.approx(0.7)
    # 5 MWh of on-site certificates sold leave E_ren: (10 - 5) / 20 = 0.25
    assert ref(f, sold_certificates_mwh=5.0) == pytest.approx(0.25)
    with pytest.raises(GreendcError, match="grid_renewable_share"):
        ref(f, grid_renewable_share=1.5)
    with pytest.raises(GreendcError, match="renewable column"):
        ref(f, renewable_columns=("solar_mw",))


def test_csp_output_is_on_site_renewable_supply():
    # facility 10 MW for 2 h; PV 6 + CSP 4, then CSP 5 + grid 5. REF (EN 50600-4-3): on-site renewable
    # E_ren = 10 + 5 = 15 of E_DC = 20 -> 0.75. CFE, hour by hour: min(10, 10) + min(10, 5) = 15 of 20 -> 0.75.
    f = series(it_mw=8.0, facility_mw=[10.0, 10], pv_mw=[6.0, 0], csp_mw=[4.0, 5], grid_import_mw=[0.0, 5])
    assert ref(f) == pytest.approx(0.75)
    assert cfe_share(f) == pytest.approx(0.75)


def test_curtailment_never_counts():
    # EN 50600-4-3 (surplus not counted) and hourly CFE (curtailed energy never counts): adding curtailed
    # output to a series changes neither REF nor the CFE score. PV used 6, 10 MW for facility 10, 10 MW:
    # REF = 16/20 = 0.8, CFE = (6 + 10)/20 = 0.8, with or without 30 MW curtailed in h0.
    f = series(it_mw=8.0, facility_mw=[10.0, 10], pv_mw=[6.0, 10], grid_import_mw=[4.0, 0])
    g = f.assign(curtailed_mw=[30.0, 0])
    assert ref(f) == ref(g) == pytest.approx(0.8)
    assert cfe_share(f) == cfe_share(g) == pytest.approx(0.8)


# --- WUE, CUE, ERF -------------------------------------------------------------------------------------


def test_wue_litres_per_kwh():
    # ISO/IEC 30134-9: 3 + 5 = 8 m3 over E_IT = 2 x 10 MWh = 20 MWh -> 0.4 m3/MWh = 0.4 L/kWh
    assert wue_l_per_kwh(series(it_mw=10.0, facility_mw=12.0, water_m3=[3.0, 5.0])) == pytest.approx(0.4)
    # 15-min steps: water is a volume per step (not a rate): 4 x 1 m3 = 4 m3 over 10 MW x 1 h = 10 MWh -> 0.4
    f = series(freq="15min", it_mw=10.0, facility_mw=12.0, water_m3=[1.0, 1, 1, 1])
    assert wue_l_per_kwh(f) == pytest.approx(0.4)


def test_cue_with_grid_import_and_stated_factor():
    # ISO/IEC 30134-8: grid 6 MWh = 6000 kWh at 0.5 kg/kWh = 3000 kg CO2e over E_IT = 20 000 kWh -> 0.15 kg/kWh
    f = series(it_mw=10.0, facility_mw=12.0, grid_import_mw=[6.0, 0.0], pv_mw=[6.0, 12.0])
    assert cue_kg_per_kwh(f, grid_emission_factor_kg_per_kwh=0.5) == pytest.approx(0.15)
    with pytest.raises(GreendcError, match="grid_emission_factor_kg_per_kwh"):
        cue_kg_per_kwh(f)  # grid import and no factor: not silently zero
    # On-site PV, battery and fuel cells on on-site hydrogen carry no operational emissions.
    islanded = series(it_mw=10.0, facility_mw=12.0, pv_mw=[20.0, 0], fuel_cell_mw=[0.0, 12], electrolyser_mw=[8.0, 0])
    assert cue_kg_per_kwh(islanded) == 0.0
    # Fuel cells on bought hydrogen at 0.3 kg/kWh: 12 MWh x 0.3 / 20 MWh = 0.18
    assert cue_kg_per_kwh(islanded, fuel_cell_emission_factor_kg_per_kwh=0.3) == pytest.approx(0.18)


def test_erf():
    # ISO/IEC 30134-6: reused 5 MWh over E_DC = 12 + 13 = 25 MWh -> 0.2
    assert erf(series(it_mw=10.0, facility_mw=[12.0, 13.0], reused_heat_mw=[5.0, 0.0])) == pytest.approx(0.2)
    assert erf(series(it_mw=10.0, facility_mw=[12.0, 13.0])) == 0.0


# --- availability by workload class --------------------------------------------------------------------


def test_availability_by_class():
    # inference: served 10 each hour, 2 MW lost in h1 -> requested 10+12+10+10 = 42 MWh, lost 2 MWh,
    #   served fraction 1 - 2/42 = 40/42, one shortfall hour.
    # training: requested 5 MW each hour, served 5, 0, 10, 5 (work shifted, none lost) -> fraction 1, 0 h.
    f = series(
        it_mw=[15.0, 10, 20, 15],
        facility_mw=20.0,
        it_inference_mw=[10.0, 10, 10, 10],
        unserved_inference_mw=[0.0, 2, 0, 0],
        it_training_mw=[5.0, 0, 10, 5],
        unserved_training_mw=0.0,
        requested_training_mw=5.0,
    )
    a = availability_by_class(f)
    assert set(a) == {"inference", "training"}
    assert a["inference"]["requested_mwh"] == pytest.approx(42.0)
    assert a["inference"]["served_fraction"] == pytest.approx(40.0 / 42.0)
    assert a["inference"]["shortfall_hours"] == 1.0
    assert a["training"]["served_fraction"] == pytest.approx(1.0)
    assert a["training"]["shortfall_hours"] == 0.0
    # Only requested given: lost = max(requested - served, 0) = 0, 5, 0, 0 -> 1 - 5/20 = 0.75
    g = f.drop(columns=["unserved_training_mw"])
    assert availability_by_class(g)["training"]["served_fraction"] == pytest.approx(0.75)


def test_shortfall_hours_count_clock_hours_on_a_15_minute_series():
    # Shortfall in the last quarter of hour 0 and the first quarter of hour 1: 2 clock hours, one event of 2 h.
    # Lost 1 MW x 0.25 h x 2 = 0.5 MWh of requested 8 x 10 x 0.25 + 0.5 = 20.5 MWh.
    lost = [0.0, 0, 0, 1, 1, 0, 0, 0]
    f = series(freq="15min", it_mw=10.0, facility_mw=12.0, it_inference_mw=10.0, unserved_inference_mw=lost)
    a = availability_by_class(f)["inference"]
    assert a["shortfall_hours"] == 2.0
    assert a["longest_shortfall_h"] == 2.0
    assert a["served_fraction"] == pytest.approx(1.0 - 0.5 / 20.5)


# --- the report and the EU fields ----------------------------------------------------------------------


#: The keys of :meth:`KpiReport.as_dict` (``kpi.json`` less ``eu_reporting``, the service's KPI answers), in
#: order, written out by hand: a change of that JSON shows here.
REPORT_KEYS = [
    "source",
    "period_start",
    "period_end",
    "hours",
    "step_h",
    "pue",
    "pue_category",
    "pue_category_meaning",
    "pue_kind",
    "ref",
    "wue_l_per_kwh",
    "wue_total_l_per_kwh",
    "cue_kg_per_kwh",
    "erf",
    "cfe_share",
    "served_facility_fraction",
    "cfe_interval_h",
    "facility_mwh",
    "it_mwh",
    "pv_mwh",
    "wind_mwh",
    "csp_mwh",
    "curtailed_mwh",
    "battery_charge_mwh",
    "battery_discharge_mwh",
    "electrolyser_mwh",
    "fuel_cell_mwh",
    "grid_import_mwh",
    "unserved_mwh",
    "unserved_facility_mwh",
    "water_m3",
    "fresh_water_m3",
    "seawater_m3",
    "electrolyser_water_m3",
    "reused_heat_mwh",
    "renewable_on_site_mwh",
    "renewable_grid_mwh",
    "renewable_mwh",
    "cfe_matched_mwh",
    "co2e_kg",
    "availability",
    "columns_absent",
    "assumptions",
    "notes",
]


def test_kpi_report_values():
    f = series(
        it_mw=[10.0, 10, 10],
        facility_mw=[12.0, 11, 13],
        pv_mw=[12.0, 0, 13],
        wind_mw=[0.0, 5, 0],
        curtailed_mw=[8.0, 0, 0],
        grid_import_mw=[0.0, 6, 0],
        water_m3=[3.0, 3, 3],
        reused_heat_mw=[3.6, 0, 0],
    )
    r = kpi_report(f, KpiOptions(grid_emission_factor_kg_per_kwh=0.5))
    assert r.pue == pytest.approx(36.0 / 30.0)
    # G = 12 + 5 + 13 = 30 (curtailed 8 not counted), M = 6, E_DC = 36 -> E_RES-OS = min(30, 30) = 30, REF = 30/36
    assert r.ref == pytest.approx(30.0 / 36.0)
    assert (r.renewable_on_site_mwh, r.renewable_grid_mwh, r.renewable_mwh) == pytest.approx((30.0, 0.0, 30.0))
    assert r.wue_l_per_kwh == pytest.approx(9.0 / 30.0)
    assert r.cue_kg_per_kwh == pytest.approx(6.0 * 0.5 / 30.0)
    # 6 MWh of grid import = 6000 kWh at 0.5 kg/kWh
    assert r.co2e_kg == pytest.approx(3000.0)
    assert r.erf == pytest.approx(3.6 / 36.0)
    # hourly supply 12, 5, 13 against load 12, 11, 13 -> (12 + 5 + 13)/36
    assert r.cfe_share == pytest.approx(30.0 / 36.0)
    assert r.cfe_matched_mwh == pytest.approx(30.0)
    assert (r.energies["facility_mwh"], r.energies["it_mwh"], r.energies["grid_import_mwh"]) == pytest.approx(
        (36.0, 30.0, 6.0)
    )
    assert r.energies["water_m3"] == pytest.approx(9.0)  # a volume, not an energy
    assert (r.period_start, r.period_end, r.hours, r.step_h) == (
        "2030-01-01T00:00:00+00:00",
        "2030-01-01T03:00:00+00:00",
        3.0,
        1.0,
    )
    assert (r.pue_category, r.pue_kind) == (1, "interim")
    assert "battery_charge_mw" in r.columns_absent
    # Without the factor, CUE is null (not invented) and the report says why.
    r2 = kpi_report(f)
    assert r2.cue_kg_per_kwh is None and r2.co2e_kg is None
    assert any("grid emission factor" in n for n in r2.notes)
    with pytest.raises(GreendcError, match="pue_category"):
        KpiOptions(pue_category=4)


def test_report_as_dict_keeps_the_json_keys_in_order_and_the_report_frozen():
    # IT 10 MW for 2 h, facility 12 then 11 MW: E_IT = 20, E_DC = 23 MWh; class inference asks 10 then 12 MW
    # and loses 2 MW in h1: served 20 of 22 MWh.
    f = series(it_mw=[10.0, 10], facility_mw=[12.0, 11], it_inference_mw=10.0, unserved_inference_mw=[0.0, 2])
    r = kpi_report(f)
    d = r.as_dict()
    assert list(d) == REPORT_KEYS
    assert (d["pue"], d["facility_mwh"], d["it_mwh"], d["hours"]) == (pytest.approx(23.0 / 20.0), 23.0, 20.0, 2.0)
    assert d["columns_absent"] == list(r.columns_absent) and "pv_mw" in d["columns_absent"]
    assert d["notes"] == list(r.notes)
    assert d["availability"]["inference"]["served_fraction"] == pytest.approx(20.0 / 22.0)
    assert json.loads(json.dumps(d, allow_nan=False)) == d
    # a new dict each time: changing it leaves the report as it was
    d["availability"]["inference"]["served_fraction"] = 0.0
    d["notes"].append("edited")
    assert r.availability["inference"]["served_fraction"] == pytest.approx(20.0 / 22.0)
    assert "edited" not in r.notes
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.pue = 1.0  # type: ignore[misc]


def test_report_numbers_are_finite_or_none():
    r = kpi_report(series(it_mw=[10.0, 10], facility_mw=[12.0, 11]), KpiOptions(designed=True))
    assert r.pue_kind == "designed"
    odd = dataclasses.replace(r, pue=math.nan, erf=math.inf, energies={**r.energies, "it_mwh": math.nan})
    assert (odd.pue, odd.erf, odd.energies["it_mwh"], odd.energies["facility_mwh"]) == (None, None, None, 23.0)
    assert odd.as_dict()["pue"] is None and odd.as_dict()["it_mwh"] is None
