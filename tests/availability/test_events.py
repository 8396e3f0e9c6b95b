"""Loss-of-load events and their causes on hand-built dispatches with planted events whose answers are
worked out by hand in each test; the heat maps; a wiring check against the simulator's own summary; and
smoke tests of the figures.

The planted plant (:func:`planted`): 10 days hourly from 2030-01-01 UTC, a firm ``inference`` load of
100 MW, PV 100 MW at ``pv_cf`` 0.6 from 08:00 to 15:00 UTC (8 h, daily mean 0.2) and 0 otherwise, wind
500 MW at ``wind_cf`` 0.5, battery 50 MW / 200 MWh, hydrogen 1000 MWh with a 50 MW fuel cell, PUE 1.2,
22 °C, no dust, every fleet available. Outside the planted sheds the battery holds 100 MWh; during a
planted shed both stores are empty unless the test says otherwise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tests.operate.support import toy_profiles, toy_scenario

from greendc.availability.events import (
    CAUSES,
    DUST_THRESHOLD,
    EVENT_COLUMNS,
    HEAT_TEMP_AIR_C,
    LULL_RATIO,
    OUTAGE_SHARE_THRESHOLD,
    loss_events,
    loss_heatmap,
    loss_hours_heatmap,
)
from greendc.availability.figures import (
    TIER_HOURS_PER_YR,
    availability_curve_figure,
    loss_heatmap_figure,
    symlog_hours,
    verification_table_html,
)
from greendc.errors import DataFileError, GreendcError

CAPACITIES = {
    "pv_mw": 100.0,
    "wind_mw": 500.0,
    "battery_mw": 50.0,
    "battery_mwh": 200.0,
    "h2_store_mwh": 1000.0,
    "fuel_cell_mw": 50.0,
}
FIRM = ["inference"]


class Plant:
    """Hand-built dispatch, profiles, weather and availability of :func:`planted` (module docstring)."""

    def __init__(self, days: int = 10, start: str = "2030-01-01") -> None:
        n = 24 * days
        self.index = pd.date_range(start, periods=n, freq="h", tz="UTC", name="timestamp")
        hour = self.index.hour
        pv_cf = np.where((hour >= 8) & (hour < 16), 0.6, 0.0)
        self.profiles = pd.DataFrame({"pv_cf": pv_cf, "wind_cf": 0.5, "pue": 1.2}, index=self.index)
        self.weather = pd.DataFrame({"temp_air": 22.0, "dust": 0.0}, index=self.index)
        self.availability = pd.DataFrame(
            {f"{f}_available_fraction": 1.0 for f in ("pv", "wind", "battery", "electrolyser", "fuel_cell")},
            index=self.index,
        )
        self.dispatch = pd.DataFrame(
            {
                "pv_mw": 100.0 * pv_cf,
                "wind_mw": 250.0,
                "curtailed_mw": 0.0,
                "battery_charge_mw": 0.0,
                "battery_discharge_mw": 0.0,
                "battery_soc_mwh": 100.0,
                "electrolyser_mw": 0.0,
                "fuel_cell_mw": 0.0,
                "h2_level_mwh": 0.0,
                "requested_inference_mw": 100.0,
                "it_inference_mw": 100.0,
                "unserved_inference_mw": 0.0,
            },
            index=self.index,
        )

    def shed(self, first_hour: int, mw: list[float], soc_mwh: float = 0.0) -> None:
        """Shed ``mw`` of firm IT from step ``first_hour`` on, with the battery at ``soc_mwh``."""
        rows = self.index[first_hour : first_hour + len(mw)]
        self.dispatch.loc[rows, "unserved_inference_mw"] = mw
        self.dispatch.loc[rows, "it_inference_mw"] = 100.0 - np.asarray(mw)
        self.dispatch.loc[rows, "battery_soc_mwh"] = soc_mwh

    def events(self, **kwargs) -> pd.DataFrame:
        args = {"weather": self.weather, "availability": self.availability, "capacities": CAPACITIES} | kwargs
        return loss_events(self.dispatch, FIRM, self.profiles, **args)


def flags(event: pd.Series) -> set[str]:
    return {c for c in CAUSES[:-1] if event[f"{c}_flag"]}


def test_lull_planted_after_three_days_of_calm():
    """Wind at 0.01 for hours 48–119 (three days), then 30 + 50 + 20 MW shed at hours 120–122.

    By hand: one event, 3 h, 100 MWh, peak 50/100. Lookback = hours 48–119 exactly (the calm): mean
    wind_cf 0.01, mean pv_cf 0.2. Renewable potential R = 100 pv_cf + 500 wind_cf, whose 72-h means are
    20 + 250 − 245 L/72 for a window overlapping the calm by L hours (the PV term is the same in every
    72-h window). Of the 169 windows, L ≤ 29 for 84 and L ≤ 30 for 86, so the median has L = 30:
    ratio = (20 + 5) / (270 − 245·30/72) = 0.148877.
    """
    plant = Plant()
    plant.profiles.iloc[48:120, plant.profiles.columns.get_loc("wind_cf")] = 0.01
    plant.dispatch.iloc[48:120, plant.dispatch.columns.get_loc("wind_mw")] = 5.0
    plant.shed(120, [30.0, 50.0, 20.0])
    ev = plant.events()
    assert list(ev.columns) == list(EVENT_COLUMNS)
    assert len(ev) == 1
    e = ev.iloc[0]
    assert e["start"] == pd.Timestamp("2030-01-06 00:00", tz="UTC")
    assert e["end"] == pd.Timestamp("2030-01-06 03:00", tz="UTC")
    assert e["duration_h"] == 3.0
    assert e["firm_unserved_mwh"] == pytest.approx(100.0)
    assert e["peak_shed_fraction"] == pytest.approx(0.5)
    assert e["battery_soc_fraction_at_start"] == 0.0
    assert e["h2_fraction_at_start"] == 0.0
    assert e["wind_cf_lookback_mean"] == pytest.approx(0.01)
    assert e["pv_cf_lookback_mean"] == pytest.approx(0.2)
    assert e["renewable_lookback_ratio"] == pytest.approx(25.0 / (270.0 - 245.0 * 30.0 / 72.0))
    assert e["renewable_lookback_ratio"] < LULL_RATIO
    assert e["outage_share"] == 0.0
    assert e["dust_max"] == 0.0 and e["temp_air_max"] == 22.0 and e["pue_ratio_max"] == 1.0
    assert flags(e) == {"lull"}
    assert e["cause"] == "lull"


def test_dispatch_when_the_battery_held_half_its_energy():
    """Hours 100–101 shed 40 MW while the battery holds 100 of 200 MWh (50 %) and discharges nothing:
    the policy failed, not the supply."""
    plant = Plant()
    plant.shed(100, [40.0, 40.0], soc_mwh=100.0)
    e = plant.events().iloc[0]
    assert e["battery_soc_fraction_at_start"] == pytest.approx(0.5)
    assert e["firm_unserved_mwh"] == pytest.approx(80.0)
    assert flags(e) == {"dispatch"}
    assert e["cause"] == "dispatch"


def test_not_dispatch_when_the_battery_was_at_full_power():
    """Same shed, but the battery discharges its full 50 MW: power-limited, not a policy failure, and no
    other stress is planted, so the cause is 'other'."""
    plant = Plant()
    plant.shed(100, [40.0, 40.0], soc_mwh=100.0)
    plant.dispatch.iloc[100:102, plant.dispatch.columns.get_loc("battery_discharge_mw")] = 50.0
    e = plant.events().iloc[0]
    assert not e["dispatch_flag"]
    assert e["cause"] == "other"


def test_dispatch_from_hydrogen_left_in_store():
    """Battery empty, hydrogen store 300 of 1000 MWh (30 %) with the fuel cell idle → 'dispatch'."""
    plant = Plant()
    plant.shed(100, [10.0])
    plant.dispatch.iloc[100, plant.dispatch.columns.get_loc("h2_level_mwh")] = 300.0
    e = plant.events().iloc[0]
    assert e["h2_fraction_at_start"] == pytest.approx(0.3)
    assert e["cause"] == "dispatch"


def test_dust_planted_inside_a_dust_episode():
    """Dust 0.8 over hours 150–197, 25 MW shed at hours 160–163 with the stores empty → 'dust'."""
    plant = Plant()
    plant.weather.iloc[150:198, plant.weather.columns.get_loc("dust")] = 0.8
    plant.shed(160, [25.0] * 4)
    e = plant.events().iloc[0]
    assert e["dust_max"] == pytest.approx(0.8) and e["dust_max"] > DUST_THRESHOLD
    assert e["firm_unserved_mwh"] == pytest.approx(100.0)
    assert flags(e) == {"dust"}
    assert e["cause"] == "dust"


def test_dust_long_before_the_lookback_does_not_count():
    """Dust over hours 0–23 is outside the 72-h window before a shed at hour 160."""
    plant = Plant()
    plant.weather.iloc[0:24, plant.weather.columns.get_loc("dust")] = 0.9
    plant.shed(160, [25.0])
    e = plant.events().iloc[0]
    assert e["dust_max"] == 0.0
    assert e["cause"] == "other"


def test_outage_planted_during_a_wind_fleet_outage():
    """Wind fleet at 30 % available over hours 130–140, 60 MW shed at hours 132–134 (12:00–14:00 UTC).

    By hand, each shed hour: potentials PV 100 × 0.6 = 60, wind 500 × 0.5 = 250, battery 50, fuel cell
    50 MW (total 410); wind out 250 × 0.7 = 175 MW → share 175/410 = 0.426829.
    """
    plant = Plant()
    plant.availability.iloc[130:141, plant.availability.columns.get_loc("wind_available_fraction")] = 0.3
    plant.shed(132, [60.0] * 3)
    e = plant.events().iloc[0]
    assert e["outage_share"] == pytest.approx(175.0 / 410.0)
    assert e["outage_share"] >= OUTAGE_SHARE_THRESHOLD
    assert flags(e) == {"outage"}
    assert e["cause"] == "outage"


def test_common_mode_from_a_site_trip_and_outage_from_common_mode_columns():
    """A site trip in one event step (common_mode); the collector feeders at half; the cooling plant at 8/9."""
    plant = Plant()
    plant.shed(60, [100.0, 100.0])  # 12:00–13:00 UTC of day 3
    plant.shed(130, [20.0])  # 10:00 UTC
    plant.shed(200, [10.0])  # 08:00 UTC
    plant.availability["site_trip_fraction"] = 0.0
    plant.availability.iloc[61, plant.availability.columns.get_loc("site_trip_fraction")] = 0.25
    plant.availability["generation_available_fraction"] = 1.0
    plant.availability.iloc[130, plant.availability.columns.get_loc("generation_available_fraction")] = 0.5
    plant.availability["cooling_available_fraction"] = 1.0
    plant.availability.iloc[200, plant.availability.columns.get_loc("cooling_available_fraction")] = 8.0 / 9.0
    ev = plant.events()
    assert ev["cause"].tolist() == ["common_mode", "outage", "outage"]
    assert ev["outage_share"].iloc[0] == 0.0  # the site trip alone decides
    assert ev["outage_share"].iloc[1] == pytest.approx((60.0 + 250.0) * 0.5 / 410.0)
    assert ev["outage_share"].iloc[2] == pytest.approx(1.0 / 9.0)


def test_heat_wave_from_temperature_and_from_pue():
    """42 °C during one shed; PUE 1.2 → 1.35 (ratio 1.125) during another; the stores empty."""
    plant = Plant()
    plant.shed(90, [10.0])
    plant.weather.iloc[90, plant.weather.columns.get_loc("temp_air")] = 42.0
    plant.shed(180, [10.0])
    plant.profiles.iloc[180, plant.profiles.columns.get_loc("pue")] = 1.35
    ev = plant.events()
    assert ev["temp_air_max"].iloc[0] == 42.0 and ev["temp_air_max"].iloc[0] >= HEAT_TEMP_AIR_C
    assert ev["pue_ratio_max"].iloc[1] == pytest.approx(1.35 / 1.2)
    assert ev["cause"].tolist() == ["heat_wave", "heat_wave"]


def test_precedence_outage_before_dispatch_before_dust_before_lull():
    """Calm hours 48–119 and dust over hours 100–130: a shed at 120 carries both flags and is 'dust'; with
    energy left in the battery it is 'dispatch'; with the wind fleet out as well it is 'outage'."""
    plant = Plant()
    plant.profiles.iloc[48:120, plant.profiles.columns.get_loc("wind_cf")] = 0.01
    plant.weather.iloc[100:131, plant.weather.columns.get_loc("dust")] = 0.7
    plant.shed(120, [10.0])
    e = plant.events().iloc[0]
    assert flags(e) == {"dust", "lull"} and e["cause"] == "dust"
    plant.shed(120, [10.0], soc_mwh=150.0)
    e = plant.events().iloc[0]
    assert flags(e) == {"dispatch", "dust", "lull"} and e["cause"] == "dispatch"
    plant.availability.iloc[120, plant.availability.columns.get_loc("wind_available_fraction")] = 0.0
    e = plant.events().iloc[0]
    assert e["cause"] == "outage"


def test_separate_runs_are_separate_events_and_no_loss_gives_an_empty_table():
    plant = Plant()
    empty = plant.events()
    assert empty.empty and list(empty.columns) == list(EVENT_COLUMNS)
    plant.shed(30, [5.0, 5.0])
    plant.shed(33, [7.0])  # one served hour (32) in between
    ev = plant.events()
    assert ev["duration_h"].tolist() == [2.0, 1.0]
    assert ev["firm_unserved_mwh"].tolist() == pytest.approx([10.0, 7.0])
    assert ev["start"].tolist() == [plant.index[30], plant.index[33]]


def test_without_weather_availability_or_capacities():
    """No weather → no dust, temperature NaN; no availability → outage share NaN; no capacities → the
    column maxima (battery 100 MWh here, so 100/100 = 1.0; no hydrogen ever → NaN)."""
    plant = Plant()
    plant.shed(100, [40.0], soc_mwh=100.0)
    e = loss_events(plant.dispatch, FIRM, plant.profiles).iloc[0]
    assert np.isnan(e["dust_max"]) and np.isnan(e["temp_air_max"]) and np.isnan(e["outage_share"])
    assert e["battery_soc_fraction_at_start"] == 1.0
    assert np.isnan(e["h2_fraction_at_start"])
    assert not e["dispatch_flag"]  # the fallback battery power is the largest discharge seen: 0 MW
    assert e["cause"] == "other"


def test_a_design_object_gives_the_capacities():
    from greendc.operate import Design

    plant = Plant()
    plant.shed(100, [40.0], soc_mwh=100.0)
    design = Design(pv_mw=100.0, wind_mw=500.0, battery_mw=50.0, battery_mwh=400.0)
    e = loss_events(plant.dispatch, FIRM, plant.profiles, capacities=design).iloc[0]
    assert e["battery_soc_fraction_at_start"] == pytest.approx(0.25)
    assert e["cause"] == "dispatch"


def test_bad_inputs_raise():
    plant = Plant()
    naive = plant.dispatch.tz_localize(None)
    with pytest.raises(DataFileError, match="tz-aware"):
        loss_events(naive, FIRM, plant.profiles)
    with pytest.raises(DataFileError, match="not in its index"):
        loss_events(plant.dispatch, FIRM, plant.profiles.iloc[:-5])
    with pytest.raises(DataFileError, match="missing column"):
        loss_events(plant.dispatch.drop(columns="battery_soc_mwh"), FIRM, plant.profiles)
    with pytest.raises(GreendcError, match="firm_classes"):
        loss_events(plant.dispatch, [], plant.profiles)
    with pytest.raises(GreendcError, match="lookback_h"):
        loss_events(plant.dispatch, FIRM, plant.profiles, lookback_h=0.0)
    with pytest.raises(GreendcError, match="timezone"):
        loss_heatmap(plant.dispatch, FIRM, timezone="Mars/Olympus")


def test_heatmap_puts_the_planted_energy_in_its_month_and_hour():
    """10 MW at 2030-01-31 23:00 UTC and 4 MW at 2030-02-01 05:00 UTC; in Africa/Lagos (UTC+1, no summer
    time) the first falls on 1 February 00:00 local."""
    plant = Plant(days=10, start="2030-01-27")
    plant.dispatch.loc[pd.Timestamp("2030-01-31 23:00", tz="UTC"), "unserved_inference_mw"] = 10.0
    plant.dispatch.loc[pd.Timestamp("2030-02-01 05:00", tz="UTC"), "unserved_inference_mw"] = 4.0
    utc = loss_heatmap(plant.dispatch, FIRM)
    assert utc.shape == (12, 24) and utc.index.tolist() == list(range(1, 13))
    assert utc.loc[1, 23] == 10.0 and utc.loc[2, 5] == 4.0
    assert utc.to_numpy().sum() == pytest.approx(14.0)
    assert utc.attrs["unit"] == "MWh"
    local = loss_heatmap(plant.dispatch, FIRM, timezone="Africa/Lagos")
    assert local.loc[2, 0] == 10.0 and local.loc[2, 6] == 4.0 and local.loc[1].sum() == 0.0
    hours = loss_hours_heatmap(plant.dispatch, FIRM)
    assert hours.loc[1, 23] == 1.0 and hours.loc[2, 5] == 1.0 and hours.to_numpy().sum() == 2.0
    assert hours.attrs["unit"] == "h"


def test_heatmap_with_half_hour_steps():
    """Two half-hour steps of 10 MW at 14:00 and 14:30 UTC: 10 MWh and 1 h in the 14:00 cell."""
    idx = pd.date_range("2030-05-10", periods=96, freq="30min", tz="UTC")
    d = pd.DataFrame({"unserved_inference_mw": 0.0}, index=idx)
    d.iloc[28:30, 0] = 10.0
    assert loss_heatmap(d, FIRM).loc[5, 14] == pytest.approx(10.0)
    assert loss_hours_heatmap(d, FIRM).loc[5, 14] == pytest.approx(1.0)


def test_events_agree_with_the_simulator_summary():
    """Wiring: on a simulated toy day (PV only, a battery, shedding at night) the events add up to the
    summary's loss-of-load hours, event count, longest interruption and firm unserved energy
    (:func:`greendc.operate.result.summarise`), whatever the policy's exact trace."""
    from greendc.operate import Design, simulate
    from greendc.scenario.models import WorkloadClass

    sc = toy_scenario([WorkloadClass(name="web", share=1.0, utilisation=0.8)], 20.0, restart_hours=4.0)
    hour = np.arange(48) % 24
    prof = toy_profiles(48, np.where((hour >= 8) & (hour < 16), 0.5, 0.0), 1.25, {"web": 16.0})
    design = Design(pv_mw=100.0, battery_mw=20.0, battery_mwh=80.0)
    result = simulate(design, sc, prof, faults=False, initial_soc_fraction=0.5)
    ev = loss_events(result.dispatch, ["web"], prof, availability=result.availability, capacities=design)
    s = result.summary
    assert len(ev) >= 1
    assert len(ev) == pytest.approx(s["loss_of_load_events_per_yr"] * s["years"])
    assert ev["duration_h"].sum() == pytest.approx(s["lolh_h_per_yr"] * s["years"])
    assert ev["duration_h"].max() == pytest.approx(s["longest_interruption_h"])
    assert ev["firm_unserved_mwh"].sum() == pytest.approx(s["unserved_it_mwh_per_yr"]["web"] * s["years"])
    assert loss_heatmap(result.dispatch, ["web"]).to_numpy().sum() == pytest.approx(ev["firm_unserved_mwh"].sum())
    assert (ev["outage_share"] == 0.0).all() and not ev["outage_flag"].any()


# --- figures -------------------------------------------------------------------------------------------


def test_loss_heatmap_figure_builds():
    plant = Plant()
    plant.shed(120, [30.0, 50.0, 20.0])
    table = loss_heatmap(plant.dispatch, FIRM, timezone="Africa/Casablanca")
    fig = loss_heatmap_figure(table, "Firm load shed")
    assert [t.type for t in fig.data] == ["heatmap"]
    assert fig.layout.xaxis.title.text == "hour of day (Africa/Casablanca)"
    assert fig.layout.yaxis.title.text == "month"
    assert list(fig.data[0].y) == ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    assert fig.data[0].colorbar.title.text == "MWh"
    assert np.asarray(fig.data[0].z).sum() == pytest.approx(100.0)
    assert fig.layout.title.text == "Firm load shed"


def test_availability_curve_figure_builds():
    curve = pd.DataFrame(
        {
            "label": ["least cost", "Tier III", "Tier IV", "least cost", "Tier III", "Tier IV"],
            "cost_usd_per_mwh": [80.0, 95.0, 120.0, 70.0, 78.0, 90.0],
            "firm_hours_p95": [40.0, 1.6, 0.0, 30.0, 1.2, 0.3],
            "firm_hours_mean": [20.0, 0.8, 0.0, 15.0, 0.5, 0.1],
            "series": ["all work firm"] * 3 + ["with flexible work"] * 3,
        }
    )
    fig = availability_curve_figure(curve)
    assert [t.name for t in fig.data] == ["all work firm", "with flexible work"]
    assert all(t.type == "scatter" for t in fig.data)
    assert list(fig.data[0].text) == ["least cost", "Tier III", "Tier IV"]
    assert fig.data[0].x[2] == 0.0  # 0 h/yr sits on the axis
    assert "[h/yr]" in fig.layout.xaxis.title.text and "P95" in fig.layout.xaxis.title.text
    assert "[USD/MWh]" in fig.layout.yaxis.title.text
    lines = sorted(s.x0 for s in fig.layout.shapes)
    assert lines == pytest.approx(sorted(float(symlog_hours(h)) for h in TIER_HOURS_PER_YR.values()))
    texts = " ".join(a.text for a in fig.layout.annotations)
    assert "Tier III (1.6 h/yr)" in texts and "Tier IV (0.4 h/yr)" in texts
    one = availability_curve_figure(curve.drop(columns="series").iloc[:3])
    assert len(one.data) == 1
    with pytest.raises(GreendcError, match="missing column"):
        availability_curve_figure(curve.drop(columns="firm_hours_mean"))


def test_verification_table_html_escapes_text():
    table = pd.DataFrame(
        {"check": ["<script>alert(1)</script>"], "value [MWh]": [12345.6], "ok": [True], "share [-]": [float("nan")]}
    )
    out = verification_table_html(table, caption="A & B")
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "<caption>A &amp; B</caption>" in out
    assert '<td class="num">12,346</td>' in out and "<td>yes</td>" in out and '<td class="num">–</td>' in out
    assert out.count("<tr>") == 2
