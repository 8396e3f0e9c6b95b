"""24/7 CFE on small series computed by hand: hourly matching, storage carrying the carbon-free share of what
charged it, served load only, hourly grid shares.

Method (greendc.kpi.cfe, after Google's 24/7 CFE methodology 2021 and Riepin, Brown & Zavala 2025): each step
the sources form one pool, renewables at 1, grid import at the grid's share ``s``, battery discharge and
fuel-cell output at their store's carbon-free fraction ``φ``; the pool's fraction ``q = K / max(S, D)`` flows
into the load, the battery and the electrolyser; a store's ``φ`` is the stock-weighted mix of what it held
and what came in. Load is the served facility energy; ``CFE = Σ_h min(L_h, C_h) / Σ_h L_h``. All energies
below are MWh of one-hour steps unless said otherwise.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from greendc.errors import GreendcError, TelemetryError
from greendc.kpi import KpiOptions, cfe_hourly, cfe_ledger, cfe_share, kpi_report, served_fraction

from .support import series


def hourly_shares(values: list[float], start: str = "2030-01-01") -> pd.Series:
    return pd.Series(values, index=pd.date_range(start, periods=len(values), freq="h", tz="UTC"))


# --- (a) storage charged from the grid is not carbon-free ------------------------------------------------


def test_battery_charged_from_a_fossil_grid_gives_zero():
    # Review case. No renewables, grid CFE share 0. h0: grid 20 = facility 10 + charge 10 -> K = 0, q = 0,
    # the battery holds 10 MWh at φ = 0. h1: discharge 9 + grid 1 = facility 10 -> K = 0·9 + 0·1 = 0.
    # CFE = 0 / 20 = 0. (The former rule, discharge carbon-free whatever charged it, clipped hour 0 at zero
    # and gave h1 min(10, 9) = 9 -> 9/20 = 0.45: wrong, no carbon-free energy ever entered the site.)
    f = series(
        it_mw=8.0,
        facility_mw=10.0,
        grid_import_mw=[20.0, 1.0],
        battery_charge_mw=[10.0, 0.0],
        battery_discharge_mw=[0.0, 9.0],
    )
    assert cfe_share(f) == 0.0
    assert list(cfe_ledger(f)["battery_cfe_fraction"]) == [0.0, 0.0]
    # With the state of charge metered (end of step 10, then 1 MWh): start level max(10 - (10 - 0), 0) = 0,
    # so the battery holds only grid energy: still exactly 0, whatever the initial fraction.
    g = f.assign(battery_soc_mwh=[10.0, 1.0])
    assert cfe_share(g) == 0.0
    assert cfe_share(g, initial_storage_cfe_share=1.0) == 0.0


# --- (b) a battery charged from a mix of PV and a half carbon-free grid --------------------------------


def test_mixed_pv_and_grid_charge_carries_its_share():
    # s = 0.5, facility 10 MW every hour, no SoC column (stock = AC charged - discharged, from empty).
    # h0: PV 10 + grid 10 = facility 10 + charge 10. K = 10 + 0.5·10 = 15, S = D = 20, q = 0.75.
    #     Battery: 0 -> 10 MWh, all new: φ = 0.75. Load gets c = 15 - 0.75·10 = 7.5.
    # h1: discharge 8 + grid 2 = 10. K = 0.75·8 + 0.5·2 = 7, q = 0.7, c = 7. Battery 10 -> 2, φ = 0.75.
    # h2: PV 16 = facility 10 + charge 6. K = 16, q = 1, c = 16 - 6 = 10. Battery 2 -> 8, new 6:
    #     φ = (0.75·2 + 1·6) / 8 = 7.5/8 = 0.9375.
    # h3: discharge 4 + grid 6 = 10. K = 0.9375·4 + 0.5·6 = 3.75 + 3 = 6.75, c = 6.75.
    # CFE = (7.5 + 7 + 10 + 6.75) / 40 = 31.25/40 = 0.78125.
    # (The former rule charged renewables first: 5 + 9 + 10 + 7 = 31 -> 0.775.)
    f = series(
        it_mw=8.0,
        facility_mw=10.0,
        pv_mw=[10.0, 0, 16, 0],
        grid_import_mw=[10.0, 2, 0, 6],
        battery_charge_mw=[10.0, 0, 6, 0],
        battery_discharge_mw=[0.0, 8, 0, 4],
    )
    assert cfe_share(f, grid_cfe_share=0.5) == pytest.approx(0.78125, rel=1e-12)
    ledger = cfe_ledger(f, grid_cfe_share=0.5)
    assert list(ledger["pool_cfe_fraction"]) == pytest.approx([0.75, 0.7, 1.0, 0.675])
    assert list(ledger["battery_cfe_fraction"]) == pytest.approx([0.75, 0.75, 0.9375, 0.9375])
    assert list(cfe_hourly(f, grid_cfe_share=0.5)["matched_mwh"]) == pytest.approx([7.5, 7.0, 10.0, 6.75])


def test_hydrogen_store_carries_its_share():
    # h0: wind 20 = facility 10 + electrolyser 10 (K = 20, q = 1: hydrogen at φ = 1); h1: fuel cell 4 + grid 6.
    # s = 0: h1 K = 4 -> (10 + 4)/20 = 0.7; s = 0.5: K = 4 + 3 = 7 -> (10 + 7)/20 = 0.85.
    f = series(
        it_mw=8.0,
        facility_mw=10.0,
        wind_mw=[20.0, 0],
        electrolyser_mw=[10.0, 0],
        fuel_cell_mw=[0.0, 4],
        grid_import_mw=[0.0, 6],
    )
    assert cfe_share(f) == pytest.approx(0.7)
    assert cfe_share(f, grid_cfe_share=0.5) == pytest.approx(0.85)
    # Electrolyser fed by wind 10 + grid 10 at s = 0.5: h0 K = 15 of S = 20, q = 0.75, hydrogen φ = 0.75,
    # load c = 15 - 0.75·10 = 7.5; h1 K = 0.75·4 + 0.5·6 = 6 -> (7.5 + 6)/20 = 0.675.
    # (The former rule fed the electrolyser from wind first: (5 + 7)/20 = 0.6.)
    g = f.assign(wind_mw=[10.0, 0], grid_import_mw=[10.0, 6])
    assert cfe_share(g, grid_cfe_share=0.5) == pytest.approx(0.675)
    assert list(cfe_ledger(g, grid_cfe_share=0.5)["h2_cfe_fraction"]) == pytest.approx([0.75, 0.75])


def test_metered_stock_and_initial_fraction_weight_the_mix():
    # The battery holds 30 MWh at the start (SoC column, end of step: 35 then 28); grid s = 0.
    # h0: grid 10 = facility 5 + charge 5: q = 0, start level max(35 - 5, 0) = 30, new 5:
    #     φ = (φ0·30 + 0·5) / 35. h1: discharge 7 = facility 7: K = 7φ.
    # φ0 = 1 (default): φ = 30/35 = 6/7, K = 6 -> CFE = 6/12 = 0.5; φ0 = 0.5: φ = 15/35, K = 3 -> 0.25.
    f = series(
        it_mw=4.0,
        facility_mw=[5.0, 7.0],
        grid_import_mw=[10.0, 0],
        battery_charge_mw=[5.0, 0],
        battery_discharge_mw=[0.0, 7],
        battery_soc_mwh=[35.0, 28.0],
    )
    assert cfe_share(f) == pytest.approx(0.5)
    assert cfe_share(f, initial_storage_cfe_share=0.5) == pytest.approx(0.25)
    # Without the SoC column the stock is charged minus discharged from empty: h0 holds 5 MWh at q = 0,
    # so φ = 0 and h1 K = 0 -> 0: the metered stock is what carries the initial 30 MWh.
    assert cfe_share(f.drop(columns="battery_soc_mwh")) == 0.0


def test_discharge_before_any_charge_takes_the_initial_fraction():
    # h0: discharge 10 = facility 10, nothing charged before: K = φ0·10 -> CFE = φ0.
    f = series(it_mw=8.0, facility_mw=[10.0], battery_discharge_mw=[10.0])
    assert cfe_share(f) == 1.0
    assert cfe_share(f, initial_storage_cfe_share=0.4) == pytest.approx(0.4)


# --- (c) islanded: unserved load is the served fraction, not a CFE shortfall ----------------------------


def test_island_with_unserved_hours_scores_one_and_reports_the_served_fraction():
    # h0: PV 22 - charge 12 = facility 10 (3 MW curtailed besides); h1: discharge 6 = facility 6, 4 MW of
    # facility load unserved; h2: PV 10 = facility 10. Every served MWh is carbon-free: CFE = 26/26 = 1.
    # Served fraction = 26 / (26 + 4) = 13/15 = 0.8666…
    # (The former rule put the unserved 4 MWh in the CFE load: 26/30, which read as "13 % not carbon-free".)
    f = series(
        it_mw=[8.0, 5, 8],
        facility_mw=[10.0, 6, 10],
        unserved_facility_mw=[0.0, 4, 0],
        pv_mw=[22.0, 0, 10],
        curtailed_mw=[3.0, 0, 0],
        battery_charge_mw=[12.0, 0, 0],
        battery_discharge_mw=[0.0, 6, 0],
    )
    assert cfe_share(f) == pytest.approx(1.0, rel=1e-12)
    assert served_fraction(f) == pytest.approx(13.0 / 15.0, rel=1e-12)
    r = kpi_report(f)
    assert r.cfe_share == pytest.approx(1.0, rel=1e-12)
    assert r.served_facility_fraction == pytest.approx(13.0 / 15.0, rel=1e-12)
    # Without the unserved column everything demanded was served.
    assert served_fraction(f.drop(columns="unserved_facility_mw")) == 1.0


def test_surplus_is_not_carried_to_the_next_hour():
    # facility 10 MW each hour; PV 25, 0, 10 MW, no storage: h0 min(10, 25) = 10 (15 MWh surplus lost),
    # h1 0, h2 10 -> 20/30 = 2/3, whereas an annual match would give min(35, 30)/30 = 1.
    f = series(it_mw=8.0, facility_mw=10.0, pv_mw=[25.0, 0, 10])
    assert cfe_share(f) == pytest.approx(2.0 / 3.0)
    assert list(cfe_hourly(f)["matched_mwh"]) == pytest.approx([10.0, 0.0, 10.0])


# --- (d) an hourly grid share: timing matters -----------------------------------------------------------


def test_hourly_grid_share_differs_from_its_mean():
    # Grid shares 0.9, 0.5, 0.1 (mean 0.5). h0: grid 20 = facility 10 + charge 10: q = 0.9, battery φ = 0.9,
    # c = 18 - 9 = 9; h1: discharge 10 = facility 10: K = 9; h2: grid 10: K = 0.1·10 = 1 -> 19/30.
    # With the mean 0.5 every hour: 5 + 5 + 5 -> 15/30 = 0.5.
    f = series(
        it_mw=8.0,
        facility_mw=10.0,
        grid_import_mw=[20.0, 0, 10],
        battery_charge_mw=[10.0, 0, 0],
        battery_discharge_mw=[0.0, 10, 0],
    )
    shares = hourly_shares([0.9, 0.5, 0.1])
    assert cfe_share(f, grid_cfe_share=shares) == pytest.approx(19.0 / 30.0)
    assert cfe_share(f, grid_cfe_share=float(shares.mean())) == pytest.approx(0.5)
    # The same hours in another time zone (Paris, UTC+1 in January) and a series longer than the telemetry.
    paris = pd.Series(
        [0.9, 0.5, 0.1, 0.0], index=pd.date_range("2030-01-01 01:00", periods=4, freq="h", tz="Europe/Paris")
    )
    assert cfe_share(f, grid_cfe_share=paris) == pytest.approx(19.0 / 30.0)
    # In the report the series is summed up, JSON-ready.
    r = kpi_report(f, KpiOptions(grid_cfe_share=shares))
    assert r.cfe_share == pytest.approx(19.0 / 30.0)
    assert r.assumptions["grid_cfe_share"] == {
        "hourly_values": 3,
        "first_hour": "2030-01-01T00:00:00+00:00",
        "last_hour": "2030-01-01T02:00:00+00:00",
        "mean": pytest.approx(0.5),
    }
    json.dumps(r.as_dict())


# --- (e) steps finer and coarser than an hour -----------------------------------------------------------


def test_15_minute_series_is_matched_on_hourly_sums():
    # Hour 0 in 15-min steps: facility 10 MW throughout, PV 0, 0, 20, 20 MW. Per quarter: matched 0, 0, 2.5,
    # 2.5 MWh of 10 -> 0.5; hourly sums: load 10 MWh, PV 10 MWh -> 1.0. Hour 1: facility 10, PV 40, 0, 0, 0
    # -> hourly PV 10 MWh = load. Score = 20/20 = 1.
    f = series(freq="15min", it_mw=8.0, facility_mw=10.0, pv_mw=[0.0, 0, 20, 20, 40, 0, 0, 0])
    hourly = cfe_hourly(f)
    assert len(hourly) == 2
    assert list(hourly["load_mwh"]) == pytest.approx([10.0, 10.0])
    assert list(hourly["cfe_supply_mwh"]) == pytest.approx([10.0, 10.0])
    assert cfe_share(f) == pytest.approx(1.0)
    # Hour 1 on the grid instead (10 MW, 2.5 MWh a quarter) with hourly shares 0.8, 0.3: every quarter of
    # hour 1 takes 0.3 -> 0.3 x 10 = 3 MWh; CFE = (10 + 3)/20 = 0.65.
    g = f.assign(pv_mw=[0.0, 0, 20, 20, 0, 0, 0, 0], grid_import_mw=[0.0] * 4 + [10.0] * 4)
    assert cfe_share(g, grid_cfe_share=hourly_shares([0.8, 0.3])) == pytest.approx(0.65)


def test_three_hour_steps_take_the_mean_share_of_their_hours():
    # Two 3-hour steps, facility 10 MW on the grid (30 MWh each); hourly shares 0, 0.3, 0.6 | 1, 1, 1
    # -> step shares 0.3 and 1 -> (9 + 30)/60 = 0.65.
    f = series(freq="3h", it_mw=8.0, facility_mw=10.0, grid_import_mw=[10.0, 10.0])
    assert cfe_share(f, grid_cfe_share=hourly_shares([0.0, 0.3, 0.6, 1, 1, 1])) == pytest.approx(0.65)


# --- (f) bad input ---------------------------------------------------------------------------------------


def test_bad_grid_shares_are_clear_errors():
    f = series(it_mw=8.0, facility_mw=10.0, grid_import_mw=[10.0, 10, 10])
    with pytest.raises(GreendcError, match=r"no value for 1 clock hour.*2030-01-01T02:00:00\+00:00"):
        cfe_share(f, grid_cfe_share=hourly_shares([0.5, 0.5]))
    with pytest.raises(GreendcError, match=r"grid_cfe_share = 1.2 must be a share in \[0, 1\]"):
        cfe_share(f, grid_cfe_share=1.2)
    with pytest.raises(GreendcError, match=r"grid_cfe_share at 2030-01-01T01:00:00\+00:00 = -0.1 must be a share"):
        cfe_share(f, grid_cfe_share=hourly_shares([0.5, -0.1, 0.5]))
    with pytest.raises(GreendcError, match="tz-aware"):
        cfe_share(f, grid_cfe_share=pd.Series([0.5] * 3, index=pd.date_range("2030-01-01", periods=3, freq="h")))
    with pytest.raises(GreendcError, match="not on the clock hour"):
        cfe_share(f, grid_cfe_share=hourly_shares([0.5] * 3, start="2030-01-01 00:30"))
    with pytest.raises(GreendcError, match="grid_cfe_share"):
        KpiOptions(grid_cfe_share=1.5)
    with pytest.raises(GreendcError, match=r"grid_cfe_share at 2030-01-01T00:00:00\+00:00 = nan"):
        KpiOptions(grid_cfe_share=hourly_shares([float("nan")]))
    with pytest.raises(GreendcError, match="initial_storage_cfe_share"):
        cfe_share(f, initial_storage_cfe_share=2.0)
    with pytest.raises(GreendcError, match="initial_storage_cfe_share"):
        KpiOptions(initial_storage_cfe_share=-0.5)


def test_bad_store_level_and_step_are_clear_errors():
    f = series(it_mw=8.0, facility_mw=10.0, battery_discharge_mw=[10.0, 10], battery_soc_mwh=[5.0, float("nan")])
    with pytest.raises(TelemetryError, match=r"battery_soc_mwh.*2030-01-01T01:00:00\+00:00"):
        cfe_share(f)
    g = series(freq="7min", it_mw=8.0, facility_mw=10.0, pv_mw=[10.0] * 20)
    with pytest.raises(TelemetryError, match="does not divide one hour"):
        cfe_share(g)
    with pytest.raises(TelemetryError, match="facility_mw"):
        cfe_share(series(it_mw=0.0, facility_mw=[0.0, 0.0]))
    with pytest.raises(TelemetryError, match="served fraction"):
        served_fraction(series(it_mw=0.0, facility_mw=[0.0, 0.0]))
