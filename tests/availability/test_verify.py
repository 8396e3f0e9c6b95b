"""Out-of-sample verification (:mod:`greendc.availability.verify`), its seeds (:mod:`~greendc.availability.seeds`)
and the sizing loop's arithmetic (:mod:`~greendc.availability.sizing`).

* Seeds: one independent stream per year and process, reproducible, disjoint from the design's weather seeds.
* :func:`verification_table` on a hand-made table of 20 years with planted firm hours; every figure is
  worked out in the test (mean and its normal interval, the P95 and its order-statistic interval, the share
  of years meeting the target with the Wilson interval, checked against scipy's ``binomtest``).
* One real :func:`verify` on a ``LocalCluster`` of two worker processes (4 years, chains of 2): a PV-only
  plant without storage and with ``restart_hours = 0``, so that each hour's firm shedding follows from the
  profiles alone (``shed = (L − G) / L`` when the available PV ``G`` is below the firm facility load ``L``);
  its result must equal :func:`run_chain` run in this process on the same seeds (determinism across the
  cluster), and the events' durations must add up to the firm hours of each year.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from greendc.availability.seeds import PROCESSES, YearSeeds, check_disjoint, year_seeds
from greendc.availability.sizing import FIRST_RESERVE_H, AvailabilityDesign, Round, next_reserve_hours
from greendc.availability.verify import (
    Verification,
    dask_client,
    quantile_interval,
    run_chain,
    verification_table,
    verify,
    wilson_interval,
)
from greendc.errors import ScenarioError
from greendc.operate import design_from_scenario
from greendc.scenario.models import AvailabilityTarget, Scenario

# ------------------------------------------------------------------------------------------------------ seeds


def all_seeds(seeds: list[YearSeeds]) -> list[int]:
    return [getattr(ys, p) for ys in seeds for p in PROCESSES]


def test_every_year_and_process_has_its_own_seed():
    """200 years × 4 processes: 800 different seeds, each a non-negative 63-bit integer."""
    seeds = year_seeds(20_260_001, 200)
    values = all_seeds(seeds)
    assert len(values) == 800
    assert len(set(values)) == 800
    assert all(0 <= v < 2**63 for v in values)
    assert [ys.index for ys in seeds] == list(range(200))


def test_same_root_same_seeds_and_more_years_keep_the_first_ones():
    """Reproducible; a longer verification keeps the seeds of its first years (spawned children are keyed by
    their position); another root shares no seed."""
    assert year_seeds(7, 5) == year_seeds(7, 5)
    assert year_seeds(7, 10)[:5] == year_seeds(7, 5)
    assert not set(all_seeds(year_seeds(7, 50))) & set(all_seeds(year_seeds(8, 50)))


@pytest.mark.parametrize(("root", "years"), [(-1, 3), (True, 3), (1.5, 3), (3, 0), (3, True)])
def test_bad_root_or_years_raise(root, years):
    with pytest.raises(ScenarioError, match="verification"):
        year_seeds(root, years)


@pytest.mark.parametrize("process", PROCESSES)
def test_check_disjoint_refuses_a_design_weather_seed(process):
    """A design weather seed equal to any seed of a verification year (taken from year_seeds itself) is
    refused, naming the year, the process and the seed; unrelated design seeds pass."""
    seeds = year_seeds(12_345, 3)
    reused = getattr(seeds[1], process)
    check_disjoint(seeds, [1, 2, 12_345])
    with pytest.raises(ScenarioError, match=rf"verification year 1: {process} seed {reused} .*design weather"):
        check_disjoint(seeds, [42, reused])


def test_check_disjoint_refuses_two_years_sharing_a_seed():
    seeds = [YearSeeds(0, 11, 12, 13, 14), YearSeeds(1, 21, 22, 13, 24)]
    with pytest.raises(ScenarioError, match=r"verification year 1: common_mode seed 13 .*verification year 0"):
        check_disjoint(seeds, [])


def test_verify_refuses_a_design_seed_before_starting_a_cluster():
    """The seed check comes before any dask client is made (client=None would start one)."""
    sc = Scenario()
    seed = year_seeds(99, 4)[2].weather
    with pytest.raises(ScenarioError, match=str(seed)):
        verify(design_from_scenario(sc, pv_mw=1.0), sc, years=4, root_seed=99, design_weather_seeds=[seed])


# --------------------------------------------------------------------------------------------------- table

#: 20 planted years: firm hours (all causes) and the part of them from common-mode trips.
LOLH = np.array([0.0] * 15 + [1.0, 2.0, 3.0, 5.0, 10.0])
COMMON = np.array([0.0] * 15 + [0.0, 0.0, 2.5, 0.0, 0.0])


def planted_runs() -> pd.DataFrame:
    """Per year: firm class ``inference`` with 2 MWh unserved per firm hour; flexible ``training`` asking
    100 MWh of which 3 MWh are missed (done 97 %); one event per year with loss."""
    n = LOLH.size
    return pd.DataFrame(
        {
            "year_index": np.arange(n),
            "lolh_h_per_yr": LOLH,
            "firm_hours_common_mode": COMMON,
            "firm_hours_supply": LOLH - COMMON,
            "unserved_it_mwh_per_yr.inference": 2.0 * LOLH,
            "unserved_it_mwh_per_yr.training": np.full(n, 3.0),
            "requested_it_mwh_per_yr.inference": np.full(n, 1000.0),
            "requested_it_mwh_per_yr.training": np.full(n, 100.0),
            "unserved_mwh_per_yr": 2.0 * LOLH + 3.0,
            "loss_of_load_events_per_yr": (LOLH > 0).astype(float),
        }
    )


def test_verification_table_counts_planted_hours_by_hand():
    """Firm hours 0 (15 years), 1, 2, 3, 5, 10; the 3 h year has 2.5 h of common-mode trip (0.5 h supply).

    mean 21 / 20 = 1.05; sample variance (1 + 4 + 9 + 25 + 100 − 20 × 1.05²) / 19 = 6.155263, so the normal
    95 % half-width is 1.959964 × 2.480980 / √20 = 1.087318 (the lower end, −0.037, clipped at 0 h).
    P95 (linear, position 19 × 0.95 = 18.05):
    5 + 0.05 × (10 − 5) = 5.25; its order-statistic interval has ranks from Bin(20, 0.95): the 2.5 % quantile
    is 17 (cdf(16) = 0.0159 < 0.025 ≤ cdf(17) = 0.0755), the 97.5 % quantile 20, so [x(17), x(20 + 1 → 20)]
    = [2, 10]. Supply hours (the target's count): 0 × 15, 1, 2, 0.5, 5, 10 → 17 of 20 years within 1.6 h,
    share 0.85 < 0.95: fails. Wilson (17 of 20): [0.6396, 0.9476]. Flexible work done 1 − 60 / 2000 = 0.97.
    EENS mean (2 × 21 + 60) / 20 = 5.1 MWh; firm unserved mean 42 / 20 = 2.1 MWh; 5 of 20 years with loss."""
    table = verification_table(planted_runs(), AvailabilityTarget(firm_hours_per_year=1.6), ["training"])
    firm = table["firm_hours_per_yr"]
    assert table["years"] == 20
    assert firm["mean"] == pytest.approx(1.05)
    assert firm["mean_ci95"] == pytest.approx([0.0, 1.05 + 1.087318], abs=1e-6)
    assert firm["p95"] == pytest.approx(5.25)
    assert firm["p95_ci95"] == [2.0, 10.0]
    assert firm["worst"] == 10.0
    assert table["firm_hours_supply_per_yr"]["worst"] == 10.0
    assert table["firm_hours_supply_per_yr"]["mean"] == pytest.approx(18.5 / 20)
    assert table["firm_hours_common_mode_per_yr"]["mean"] == pytest.approx(2.5 / 20)
    assert table["eens_mwh_per_yr"] == pytest.approx(5.1)
    assert table["firm_unserved_mwh_per_yr"] == pytest.approx(2.1)
    assert table["events_per_yr"] == pytest.approx(0.25)
    assert table["share_of_years_with_loss"] == pytest.approx(0.25)
    assert table["flexible_work_done_fraction"] == {"training": pytest.approx(0.97)}
    assert table["share_of_years_meeting"] == pytest.approx(0.85)
    assert table["share_of_years_meeting_ci95"] == pytest.approx([0.6396, 0.9476], abs=5e-5)
    assert table["firm_target_met"] is False
    assert table["flexible_target_met"] is True
    assert table["passed"] is False
    # the binomial ranks of the P95 interval, as stated above
    assert stats.binom.cdf(16, 20, 0.95) == pytest.approx(0.0159, abs=1e-4)
    assert stats.binom.cdf(17, 20, 0.95) == pytest.approx(0.0755, abs=1e-4)


def test_verification_table_pass_fail_rules():
    """Counting common-mode hours: 16 of 20 years within 1.6 h (the 3 h year now fails), share 0.8. A target of
    85 % of years passes on supply hours; one asking 98 % flexible work fails on the flexible class alone;
    without a target no pass/fail entries."""
    runs = planted_runs()
    counted = verification_table(runs, AvailabilityTarget(firm_hours_per_year=1.6, count_common_mode=True), [])
    assert counted["share_of_years_meeting"] == pytest.approx(0.8)
    lenient = verification_table(runs, AvailabilityTarget(firm_hours_per_year=1.6, share_of_years=0.85), ["training"])
    assert lenient["firm_target_met"] is True
    assert lenient["passed"] is True
    strict_flex = verification_table(
        runs,
        AvailabilityTarget(firm_hours_per_year=1.6, share_of_years=0.85, flexible_work_done_fraction=0.98),
        ["training"],
    )
    assert strict_flex["firm_target_met"] is True
    assert strict_flex["flexible_target_met"] is False
    assert strict_flex["passed"] is False
    no_target = verification_table(runs, None, ["training"])
    assert "passed" not in no_target and "share_of_years_meeting" not in no_target


@pytest.mark.parametrize(("k", "n"), [(17, 20), (0, 4), (4, 4), (190, 200), (1, 1000)])
def test_wilson_interval_against_scipy(k, n):
    """Wilson (1927) score interval, as scipy.stats.binomtest(...).proportion_ci(method='wilson')."""
    ref = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert wilson_interval(k, n) == pytest.approx((ref.low, ref.high), abs=1e-7)


def test_wilson_by_hand_and_empty():
    """17 of 20: p 0.85, z² = 3.841459; centre (0.85 + z²/40) / (1 + z²/20) = 0.946036 / 1.192073 = 0.793606,
    half-width z √(0.85 × 0.15 / 20 + z²/1600) / (1 + z²/20) = 1.959964 × 0.093680 / 1.192073 = 0.154025:
    [0.639581, 0.947631]."""
    z2 = 1.959964**2
    centre = (0.85 + z2 / 40) / (1 + z2 / 20)
    half = math.sqrt(z2) * math.sqrt(0.85 * 0.15 / 20 + z2 / 1600) / (1 + z2 / 20)
    assert centre == pytest.approx(0.793606, abs=1e-6)
    assert half == pytest.approx(0.154025, abs=1e-6)
    assert wilson_interval(17, 20) == pytest.approx((0.639581, 0.947631), abs=1e-6)
    assert all(math.isnan(x) for x in wilson_interval(0, 0))


def test_quantile_interval_small_samples():
    """n = 20 planted: as in the table test. n = 1: the value itself, interval clipped to the sample."""
    assert quantile_interval(LOLH, 0.95) == pytest.approx((5.25, 2.0, 10.0))
    assert quantile_interval(np.array([3.0]), 0.95) == (3.0, 3.0, 3.0)
    assert all(math.isnan(x) for x in quantile_interval(np.array([]), 0.95))


# -------------------------------------------------------------------------------------------- verify on dask

ROOT = 11
YEARS = 4
CHAIN = 2


def tiny_case():
    """The default scenario (firm ``inference`` 250 MW × 0.8 with a daily cycle, flexible ``training``, 2 MW of
    auxiliaries) with restart_hours 0; PV 2000 MW only: every night sheds the firm load."""
    sc = Scenario()
    sc = sc.model_copy(update={"datacenter": sc.datacenter.model_copy(update={"restart_hours": 0.0})})
    return design_from_scenario(sc, pv_mw=2000.0), sc


@pytest.fixture(scope="module")
def verified():
    design, sc = tiny_case()
    target = AvailabilityTarget(firm_hours_per_year=1.6)
    with dask_client(n_workers=2) as client:
        workers = len(client.scheduler_info()["workers"])
        done = []
        v = verify(
            design,
            sc,
            target,
            years=YEARS,
            root_seed=ROOT,
            chain_years=CHAIN,
            client=client,
            progress=lambda d, n: done.append((d, n)),
        )
    return v, workers, done


def hand_firm_year(design, sc: Scenario, ys: YearSeeds, calendar_year: int) -> tuple[int, float]:
    """Firm hours and firm unserved IT energy of one year from its profiles, outages and common-mode series,
    without the dispatch kernel: G = min(pv_cf a / (1 − U), 1) P_pv g_conn (simulate's module docstring);
    held share 1 while tripped, 1 − cap / r when the cooling limit cap is below the firm IT r; L = (A + ω r)(1 −
    held); shed = (L − G) / L when positive (no storage; flexible work is cut first); unserved r (held + (1 −
    held) shed); a firm hour when that exceeds 1e-6 MW."""
    from greendc.assets.profiles import build_profiles
    from greendc.operate.common_mode import common_mode_series, load_common_mode
    from greendc.operate.faults import FLEETS, fleet_availability, load_reliability
    from greendc.weather.climatology import load_climatology
    from greendc.weather.synthetic import generate_weather

    site = sc.site
    weather = generate_weather(
        site.latitude,
        site.longitude,
        site.elevation_m,
        load_climatology(site.climatology),
        1,
        calendar_year,
        ys.weather,
        sc.weather.stress_events,
    )
    prof = build_profiles(sc, weather)
    n = len(prof)
    table = load_reliability()
    a = fleet_availability(design, n, 1.0, ys.outage, table)["pv"]
    u = table[FLEETS["pv"][0]].unavailability
    cm = common_mode_series(n, 1.0, ys.common_mode, load_common_mode())
    g = np.minimum(prof["pv_cf"].to_numpy() * a / (1.0 - u), 1.0) * design.pv_mw * cm["generation_available_fraction"]
    r = prof["it_inference_mw"].to_numpy()
    omega = (prof["pue"] + prof["desalination_mwh_per_mwh_it"]).to_numpy()
    cap = sc.datacenter.it_capacity_mw * cm["cooling_available_fraction"]
    held = np.where(cm["site_trip_fraction"] > 0, 1.0, np.where(r > cap, 1.0 - cap / r, 0.0))
    load = (sc.datacenter.electrical.auxiliary_mw + omega * r) * (1.0 - held)
    gap = load - g
    shed = np.where(gap > 1e-9, np.minimum(gap / np.where(load > 0, load, 1.0), 1.0), 0.0)
    unserved = r * (held + (1.0 - held) * shed)
    return int((unserved > 1e-6).sum()), float(unserved.sum())


def test_verify_on_a_local_cluster_counts_firm_hours_by_hand(verified):
    """Each year's firm hours and firm unserved energy equal the hand count of :func:`hand_firm_year` (chains
    of 2 years: calendar years 2030, 2031, 2030, 2031, each with its own seeds)."""
    v, _, _ = verified
    design, sc = tiny_case()
    seeds = year_seeds(ROOT, YEARS)
    assert v.runs["year_index"].tolist() == [0, 1, 2, 3]
    assert v.runs["calendar_year"].tolist() == [2030, 2031, 2030, 2031]
    for ys, (_, row) in zip(seeds, v.runs.iterrows(), strict=True):
        hours, energy = hand_firm_year(design, sc, ys, int(row["calendar_year"]))
        assert row["lolh_h_per_yr"] == hours
        assert row["unserved_it_mwh_per_yr.inference"] == pytest.approx(energy, rel=1e-9)
        assert hours > 8760 / 3  # every night, at least
    table = v.table
    assert table["years"] == YEARS
    assert table["firm_hours_per_yr"]["mean"] == pytest.approx(v.runs["lolh_h_per_yr"].mean())
    assert table["share_of_years_meeting"] == 0.0
    assert table["passed"] is False


def test_verify_records_seeds_provenance_and_progress(verified):
    """Every year carries its four seeds (none shared); years 0 and 2 are both calendar 2030 but with their own
    weather, so their PV energy differs. Two chains on two workers, progress reported per chain."""
    v, workers, done = verified
    seeds = year_seeds(ROOT, YEARS)
    for p in PROCESSES:
        assert v.runs[f"{p}_seed"].tolist() == [getattr(ys, p) for ys in seeds]
    assert v.runs.loc[0, "pv_energy_mwh_per_yr"] != v.runs.loc[2, "pv_energy_mwh_per_yr"]
    assert workers == 2
    assert done == [(1, 2), (2, 2)]
    assert v.provenance.weather.seed == ROOT and v.provenance.stage == "verification"
    prov = v.provenance.details
    assert (prov["years"], prov["root_seed"], prov["chain_years"], prov["restart_hours"]) == (YEARS, ROOT, CHAIN, 0.0)
    assert prov["workers"] == 2
    assert prov["common_mode"] is True


def test_verify_equals_run_chain_in_process(verified):
    """Determinism across the cluster: the same chains run here give the same runs, events and heat map."""
    v, _, _ = verified
    design, sc = tiny_case()
    seeds = year_seeds(ROOT, YEARS)
    parts = [run_chain(design, sc, seeds[i : i + CHAIN]) for i in range(0, YEARS, CHAIN)]
    runs = pd.concat([p["runs"] for p in parts], ignore_index=True).sort_values("year_index", ignore_index=True)
    events = pd.concat([p["events"] for p in parts], ignore_index=True).sort_values(
        ["year_index", "start"], ignore_index=True
    )
    pd.testing.assert_frame_equal(v.runs, runs)
    pd.testing.assert_frame_equal(v.events, events)
    pd.testing.assert_frame_equal(v.heatmap, parts[0]["heatmap"] + parts[1]["heatmap"])


def test_event_durations_add_up_to_the_firm_hours(verified):
    """Events are cut at year ends: per year, Σ duration = firm hours and Σ firm unserved = the year's firm
    unserved energy; the event count is the year's loss_of_load_events_per_yr."""
    v, _, _ = verified
    by_year = v.events.groupby("year_index")
    np.testing.assert_allclose(by_year["duration_h"].sum().to_numpy(), v.runs["lolh_h_per_yr"].to_numpy())
    np.testing.assert_allclose(
        by_year["firm_unserved_mwh"].sum().to_numpy(), v.runs["unserved_it_mwh_per_yr.inference"].to_numpy(), rtol=1e-9
    )
    np.testing.assert_array_equal(by_year.size().to_numpy(), v.runs["loss_of_load_events_per_yr"].to_numpy())
    assert v.heatmap.to_numpy().sum() == pytest.approx(v.runs["unserved_it_mwh_per_yr.inference"].sum(), rel=1e-9)


def test_bad_chain_years_raise():
    design, sc = tiny_case()
    with pytest.raises(ScenarioError, match="chain_years"):
        verify(design, sc, years=2, chain_years=0)


# ------------------------------------------------------------------------------------------------- sizing


def sizing_sequence(needed_h: float, first_h: float = 0.0) -> list[float]:
    """The reserves the sizing loop tries when a design passes exactly from ``needed_h`` hours on."""
    history: list[tuple[float, bool]] = []
    hours: float | None = first_h
    while hours is not None:
        history.append((hours, hours >= needed_h))
        hours = next_reserve_hours(history)
    return [h for h, _ in history]


@pytest.mark.parametrize(
    ("needed", "first", "expected"),
    [
        # 0 fails → 12, doubled while failing (24 fails, 48 passes), bisected: 36 ✓, 30 ✓, 27 ✗; 30 − 27 < 4: stop
        (30.0, 0.0, [0.0, 12.0, 24.0, 48.0, 36.0, 30.0, 27.0]),
        # 24 passes at once after 12 fails: 18 ✓, 15 ✓; 15 − 12 < 4: stop
        (13.0, 0.0, [0.0, 12.0, 24.0, 18.0, 15.0]),
        (0.0, 0.0, [0.0]),  # round 0 passes: nothing to raise
        (10.0, 5.0, [5.0, 12.0, 8.5]),  # a failing start below 12 h goes to 12, then bisects 5-12: 8.5 ✗, 12 − 8.5 < 4
        # a failing start above 12 h doubles: 40 ✓; bisect 20-40: 30 ✓, 25 ✗ (30 − 25 ≥ 4), 27.5 ✗ (30 − 27.5 < 4)
        (30.0, 20.0, [20.0, 40.0, 30.0, 25.0, 27.5]),
    ],
)
def test_next_reserve_hours_sequences(needed, first, expected):
    """Raise (12 h, then doubled) until a round passes, then bisect between the last failure below the cheapest
    pass and that pass until they are closer than BRACKET_H = 4 h."""
    assert sizing_sequence(needed, first) == expected


def test_next_reserve_hours_never_passing_stops_at_a_year():
    """12 × 2^k up to 6144 h, then 8760 h (a year), then stop."""
    seq = sizing_sequence(math.inf)
    assert seq == [0.0, *(FIRST_RESERVE_H * 2**k for k in range(10)), 8760.0]


def hand_round(index: int, hours: float, cost_usd_per_yr: float, usd_per_mwh: float, passed: bool) -> Round:
    """A round with a stand-in plan (the figures premium and table read) and a real verification table."""
    plan = SimpleNamespace(
        capacities={"pv_mw": 100.0 + hours},
        reserves={"reserve_hours": hours, "battery_reserve_mwh": 10.0 * hours},
        objective_usd_per_yr=cost_usd_per_yr,
        cost_usd_per_mwh_it=usd_per_mwh,
        land_km2=1.0,
    )
    target = AvailabilityTarget(firm_hours_per_year=1.6, share_of_years=0.75 if passed else 1.0)
    table = verification_table(planted_runs(), target, ["training"])
    assert table["passed"] is passed
    return Round(index, hours, None, plan, Verification(planted_runs(), pd.DataFrame(), pd.DataFrame(), table), 1.0)


def test_availability_design_premium_and_table():
    """Round 0 costs 1000 USD/yr (40 USD/MWh), the chosen round 1250 USD/yr (50 USD/MWh): premium 250 USD/yr,
    10 USD/MWh, 25 %."""
    rounds = [
        hand_round(0, 0.0, 1000.0, 40.0, False),
        hand_round(1, 12.0, 1400.0, 56.0, True),
        hand_round(2, 6.0, 1250.0, 50.0, True),
    ]
    result = AvailabilityDesign(AvailabilityTarget(), rounds, rounds[2], True)
    assert result.premium() == pytest.approx({"usd_per_yr": 250.0, "usd_per_mwh": 10.0, "fraction": 0.25})
    table = result.table()
    assert table["round"].tolist() == [0, 1, 2]
    assert table["reserve_hours"].tolist() == [0.0, 12.0, 6.0]
    assert table["battery_reserve_mwh"].tolist() == [0.0, 120.0, 60.0]
    assert table["passed"].tolist() == [False, True, True]
    assert table["firm_hours_mean"].tolist() == pytest.approx([1.05] * 3)
    assert table["cost_usd_per_yr"].tolist() == [1000.0, 1400.0, 1250.0]
