"""Availability of the Dakhla design out of sample: operating policies, the cost-of-availability curve and
the whole ``greendc plan --availability`` command (a benchmark run by hand, not a test).

What it measures
----------------
``--policies``
    Plans the default scenario with a 42 h energy reserve for the firm load (``rules.reserve_hours = 42``)
    and verifies that one design on the same unseen years (default 200, the default root seed, forced
    outages, common-mode failures, 4 h restarts) under (a) the default rule-based policy (fuel cell before
    the battery, the hydrogen store for the firm load only), (a') the same with hydrogen above its reserve
    open to flexible work (the default before ``hydrogen_for_flexible``), (b) the battery before the fuel
    cell, (c) the same design with its reserves set to 0 under the old plain priority policy (battery first,
    hydrogen for all load: nothing held back from flexible work), (c') reserves 0 under the default policy,
    and (d) the rolling LP policy (:class:`~greendc.operate.rolling.RollingHorizonPolicy`, defaults: 48 h
    window re-solved every hour, the simulator's 24 h persistence forecast) on the first ``--rolling-years``
    years (about 10 s per year); ``--rolling-noisy`` adds (d') with
    :class:`~greendc.operate.forecasts.NoisyForecast` (seeded by each chain's forecast seed). The rolling
    policy applies trips, the cooling limit and restarts as the rule-based kernel but does not hold the
    plan's firm reserves. The least-cost design (no reserve) under (a) is the reference (ref). The
    rule-based rows are also shown on the rolling policy's first years (the same years, the same chains).
``--curve``
    :func:`~greendc.availability.sizing.design_for_availability` to Tier IV (it passes through the Tier III
    region) on the default scenario and on a variant where the training class is firm: every round, the
    cheapest round meeting Tier III (≤ 1.6 h in 95 % of the years) and Tier IV (≤ 0.4 h) in each series and
    its premium over round 0 of the default series. The hours are those the target counts (supply
    adequacy: common-mode trips reported apart). The rounds of both series are saved as CSV under ``--out``.
    Reading note: a supply blackout of ``k`` hourly steps counts ``k + restart_hours`` hours (5 h at least
    with the default 4 h restart), so a year either has no supply loss or misses both 1.6 h and 0.4 h; with
    hourly steps the Tier III and Tier IV shares coincide.
``--command``
    Wall time of ``greendc plan --availability tier-iii --out <temporary folder>`` in a subprocess.

Every verification runs on one dask ``LocalCluster`` (``--workers``, default one per core up to 8) started
once; a short warm-up verification runs first so that no timed row pays for starting the workers. One
chain (10 years) is one dask task, so the 10 rolling years run on one worker. Timings
are wall-clock and noisy on a shared machine: compare the rows of one run, not runs.

How to run
----------
``python benchmarks/bench_availability.py --policies --curve --command``
(``--years 200 --rolling-years 10 --verify-years 200 --max-rounds 8 --out availability_curve/``; any of
the three part flags; none given runs ``--policies`` and ``--curve``).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from greendc.assets.profiles import build_profiles
from greendc.availability.sizing import AvailabilityDesign, Round, design_for_availability
from greendc.availability.verify import Verification, dask_client, verification_table, verify
from greendc.operate.design import Design, design_from_scenario, design_from_summary
from greendc.operate.forecasts import NoisyForecast
from greendc.operate.policies import Policy, RuleBasedPolicy
from greendc.operate.rolling import RollingHorizonPolicy
from greendc.plan.from_scenario import inputs_from_scenario
from greendc.plan.result import PlanResult
from greendc.plan.solve import solve
from greendc.scenario.io import load_scenario
from greendc.scenario.models import AVAILABILITY_PRESETS, AvailabilityTarget, Scenario
from greendc.weather.source import scenario_weather

TIER_III = AVAILABILITY_PRESETS["tier-iii"]
TIER_IV = AVAILABILITY_PRESETS["tier-iv"]
from greendc.units import CAPACITY_KEYS  # noqa: E402

#: Capacities of the warm-up verification (no plan needed) [MW, MWh].
WARM_UP_DESIGN = {
    "pv_mw": 2000.0,
    "wind_mw": 500.0,
    "battery_mw": 600.0,
    "battery_mwh": 4000.0,
    "electrolyser_mw": 200.0,
    "h2_store_mwh": 30000.0,
    "fuel_cell_mw": 250.0,
}
#: Capacities and reserves printed per round of the curve.
ROUND_COLUMNS = (*CAPACITY_KEYS, "battery_reserve_mwh", "h2_reserve_mwh")
SHORT = {
    "pv_mw": "PV MW",
    "wind_mw": "wind MW",
    "battery_mw": "bat MW",
    "battery_mwh": "bat MWh",
    "electrolyser_mw": "ely MW",
    "h2_store_mwh": "H2 MWh",
    "fuel_cell_mw": "FC MW",
    "battery_reserve_mwh": "bat res",
    "h2_reserve_mwh": "H2 res",
}


def with_reserve(scenario: Scenario, hours: float) -> Scenario:
    """``scenario`` with ``rules.reserve_hours = hours``."""
    return scenario.model_copy(update={"rules": scenario.rules.model_copy(update={"reserve_hours": float(hours)})})


def firm_training(scenario: Scenario) -> Scenario:
    """``scenario`` with every flexible class made firm (flexible false, power fraction 1.0)."""
    dc = scenario.datacenter
    classes = [
        wc.model_copy(update={"flexible": False, "min_power_fraction": 1.0, "max_power_fraction": 1.0})
        if wc.flexible
        else wc
        for wc in dc.workload_classes
    ]
    return scenario.model_copy(update={"datacenter": dc.model_copy(update={"workload_classes": classes})})


def plan_design(scenario: Scenario, profiles: pd.DataFrame, hours: float) -> tuple[PlanResult, Design, float]:
    """Least-cost plan with a reserve of ``hours``, its design and the solve's wall time [s]."""
    sc = with_reserve(scenario, hours)
    t0 = time.perf_counter()
    plan = solve(inputs_from_scenario(sc, profiles))
    return plan, design_from_summary(plan.summary(), sc), time.perf_counter() - t0


def year_figures(runs: pd.DataFrame, flexible: list[str]) -> dict[str, Any]:
    """Hours cut per year (as the target counts them: supply adequacy; all causes beside), share of years
    meeting Tier III and Tier IV, flexible work done (least over the classes) of the rows of ``runs``."""
    supply = runs["firm_hours_supply"].to_numpy(dtype=float)
    table = verification_table(runs, TIER_III, flexible)
    flex = table["flexible_work_done_fraction"]
    return {
        "years": len(runs),
        "mean": float(supply.mean()),
        "p95": float(np.quantile(supply, 0.95)),
        "worst": float(supply.max()),
        "all_mean": float(runs["lolh_h_per_yr"].mean()),
        "all_p95": float(np.quantile(runs["lolh_h_per_yr"].to_numpy(dtype=float), 0.95)),
        "meet_iii": float((supply <= TIER_III.firm_hours_per_year + 1e-9).mean()),
        "meet_iv": float((supply <= TIER_IV.firm_hours_per_year + 1e-9).mean()),
        "flex": min(flex.values()) if flex else float("nan"),
    }


def timed_verify(
    design: Design,
    scenario: Scenario,
    years: int,
    seed: int | None,
    client: Any,
    policy: Policy | None,
    design_seeds: list[int],
) -> tuple[Verification, float]:
    """:func:`verify` of ``design`` on the first ``years`` unseen years and its wall time [s]."""
    t0 = time.perf_counter()
    check = verify(
        design,
        scenario,
        TIER_III,
        years=years,
        root_seed=seed,
        design_weather_seeds=design_seeds,
        client=client,
        policy=policy,
    )
    return check, time.perf_counter() - t0


def _pct(value: float, width: int, digits: int) -> str:
    """A share as a percentage right-aligned in ``width``; '-' when not a number (no flexible class)."""
    return f"{value:>{width}.{digits}%}" if np.isfinite(value) else f"{'-':>{width}}"


def print_policy_table(rows: list[dict[str, Any]]) -> None:
    """One line per (policy, design, years) row."""
    width = max(len(r["label"]) for r in rows)
    head = (
        f"{'row':<4} {'policy / design':<{width}} {'years':>5} {'mean':>6} {'P95':>6} {'worst':>6} {'all mean':>8} "
        f"{'all P95':>7} {'meet 1.6h':>9} {'flex done':>9} {'wall s':>7} {'s/yr':>6} {'s/yr ratio':>10}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        ratio = r["s_per_yr"] / r["ref_s_per_yr"] if r.get("ref_s_per_yr") else float("nan")
        wall = f"{r['wall_s']:>7.1f}" if np.isfinite(r["wall_s"]) else f"{'(sub)':>7}"
        spy = f"{r['s_per_yr']:>6.2f}" if np.isfinite(r["s_per_yr"]) else f"{'-':>6}"
        rat = f"{ratio:>9.1f}x" if np.isfinite(ratio) else f"{'-':>10}"
        print(
            f"{r['key']:<4} {r['label']:<{width}} {r['years']:>5} {r['mean']:>6.2f} {r['p95']:>6.2f} "
            f"{r['worst']:>6.1f} {r['all_mean']:>8.2f} {r['all_p95']:>7.2f} {r['meet_iii']:>9.1%} "
            f"{_pct(r['flex'], 9, 2)} {wall} {spy} {rat}"
        )


def part_policies(
    args: argparse.Namespace, scenario: Scenario, profiles: pd.DataFrame, client: Any, design_seeds: list[int]
) -> None:
    """Part 1: one reserve design under several policies (rows a-d), the least-cost design as reference."""
    print(
        f"\n=== 1. policies: reserve {args.reserve_hours:g} h design (all rows but ref), {args.years} unseen years "
        f"(root seed {args.seed if args.seed is not None else TIER_III.verification_seed}), rolling LP on the "
        f"first {args.rolling_years} ==="
    )
    plan_r, design_r, solve_r = plan_design(scenario, profiles, args.reserve_hours)
    plan_0, design_0, solve_0 = plan_design(scenario, profiles, 0.0)
    for name, plan, s in (
        (f"reserve {args.reserve_hours:g} h", plan_r, solve_r),
        ("least cost (0 h)", plan_0, solve_0),
    ):
        caps = ", ".join(f"{SHORT[k]} {plan.capacities[k]:,.0f}" for k in CAPACITY_KEYS)
        res = ", ".join(f"{SHORT[k]} {v:,.0f}" for k, v in plan.reserves.items() if k in SHORT)
        print(
            f"plan {name:<18}: {plan.cost_usd_per_mwh_it:,.2f} USD/MWh; {caps}; {res or 'no reserve'} (solve {s:.0f} s)"
        )
    sc_r = with_reserve(scenario, args.reserve_hours)
    flexible = [wc.name for wc in scenario.datacenter.workload_classes if wc.flexible]
    no_reserve = dataclasses.replace(design_r, battery_reserve_mwh=0.0, h2_reserve_mwh=0.0)
    n_roll = min(args.rolling_years, args.years)
    h2_flex = RuleBasedPolicy(hydrogen_for_flexible=True)
    cases: list[tuple[str, str, Design, Scenario, Policy, int]] = [
        ("a", "default rule-based: fuel cell first, H2 for firm only", design_r, sc_r, RuleBasedPolicy(), args.years),
        ("a'", "fuel cell first, H2 above its reserve for flexible too", design_r, sc_r, h2_flex, args.years),
        ("b", "battery first, H2 for firm only", design_r, sc_r, RuleBasedPolicy(fuel_cell_first=False), args.years),
        (
            "c",
            "reserves 0: old plain priority (battery first, H2 for all)",
            no_reserve,
            sc_r,
            RuleBasedPolicy(fuel_cell_first=False, hydrogen_for_flexible=True),
            args.years,
        ),
        ("c'", "reserves 0, default policy (H2 for firm only)", no_reserve, sc_r, RuleBasedPolicy(), args.years),
        ("ref", "least-cost design (0 h), default policy", design_0, scenario, RuleBasedPolicy(), args.years),
        ("d", "rolling LP 48 h / 1 h, persistence forecast", design_r, sc_r, RollingHorizonPolicy(), n_roll),
    ]
    if args.rolling_noisy:
        cases.append(
            (
                "d'",
                "rolling LP 48 h / 1 h, noisy forecast",
                design_r,
                sc_r,
                RollingHorizonPolicy(forecast=NoisyForecast()),
                n_roll,
            )
        )
    rows: list[dict[str, Any]] = []
    checks: dict[str, Verification] = {}
    for key, label, design, sc, policy, years in cases:
        check, wall = timed_verify(design, sc, years, args.seed, client, policy, design_seeds)
        checks[key] = check
        rows.append(
            {"key": key, "label": label, **year_figures(check.runs, flexible), "wall_s": wall, "s_per_yr": wall / years}
        )
        chain = check.provenance.details["chain_years"]
        print(
            f"  {key}: {years} years in {wall:.1f} s ({check.provenance.details['workers']} workers, "
            f"{-(-years // chain)} chain(s) of up to {min(chain, years)} years)",
            flush=True,
        )
    ref_spy = rows[0]["s_per_yr"]
    for r in rows:
        r["ref_s_per_yr"] = ref_spy
    # the first n_roll years of the long runs are the same years, storage carried the same way (same chains)
    subset = []
    for key in ("a", "a'", "b", "c", "c'", "ref"):
        runs = checks[key].runs
        label = next(r["label"] for r in rows if r["key"] == key)
        subset.append(
            {
                "key": key,
                "label": f"{label}, first {n_roll}",
                **year_figures(runs[runs["year_index"] < n_roll], flexible),
                "wall_s": float("nan"),
                "s_per_yr": float("nan"),
            }
        )
    print(
        "\nfirm hours cut per year [h/yr] as the target counts them (supply adequacy; 'all' adds common-mode "
        "trips);\nmeet 1.6h = share of years <= 1.6 h; flex done = training work done by its deadline; s/yr = "
        "wall / years (dask, ratio to row a)\n"
    )
    print_policy_table([r for r in rows if r["years"] == args.years])
    print(f"\nsame first {n_roll} years (subset rows are taken from the long runs above):\n")
    print_policy_table([r for r in rows if r["years"] == n_roll and args.years != n_roll] + subset)
    for key, check in checks.items():
        ev = check.events
        if len(ev):
            by = ev.groupby("cause")["duration_h"].sum() / len(check.runs)
            print(f"  {key:<3} hours cut by cause [h/yr]: " + ", ".join(f"{c} {v:.2f}" for c, v in by.items()))


def round_figures(r: Round, flexible: list[str]) -> dict[str, Any]:
    """One curve row: the round's :meth:`Round.row` plus the Tier III / IV shares on supply-adequacy hours."""
    row = r.row()
    row |= {k: row.get(k, 0.0) for k in ("battery_reserve_mwh", "h2_reserve_mwh")}
    f = year_figures(r.verification.runs, flexible)
    flex_ok = np.isnan(f["flex"]) or f["flex"] >= (TIER_III.flexible_work_done_fraction or 0.0)
    return row | {
        "supply_hours_mean": f["mean"],
        "supply_hours_p95": f["p95"],
        "supply_hours_worst": f["worst"],
        "share_meeting_tier_iii": f["meet_iii"],
        "share_meeting_tier_iv": f["meet_iv"],
        "flexible_done_min": f["flex"],
        "meets_tier_iii": bool(f["meet_iii"] >= TIER_III.share_of_years and flex_ok),
        "meets_tier_iv": bool(f["meet_iv"] >= TIER_IV.share_of_years and flex_ok),
    }


def print_rounds(name: str, table: pd.DataFrame) -> None:
    """Every round of one series."""
    head = (
        f"{'rnd':>3} {'res h':>6} {'USD/MWh':>8} {'P95':>6} {'mean':>6} {'all P95':>7} {'≤1.6h':>6} {'≤0.4h':>6} "
        f"{'flex':>6} " + " ".join(f"{SHORT[k]:>9}" for k in ROUND_COLUMNS) + f" {'wall s':>6}"
    )
    print(f"\n{name}\n{head}\n{'-' * len(head)}")
    for _, r in table.iterrows():
        caps = " ".join(f"{r.get(k, 0.0):>9,.0f}" for k in ROUND_COLUMNS)
        print(
            f"{int(r['round']):>3} {r['reserve_hours']:>6g} {r['cost_usd_per_mwh']:>8.2f} "
            f"{r['supply_hours_p95']:>6.2f} {r['supply_hours_mean']:>6.2f} {r['firm_hours_p95']:>7.2f} "
            f"{r['share_meeting_tier_iii']:>6.1%} {r['share_meeting_tier_iv']:>6.1%} "
            f"{_pct(r['flexible_done_min'], 6, 1)} {caps} {r['wall_time_s']:>6.0f}"
        )


def part_curve(
    args: argparse.Namespace, scenario: Scenario, profiles: pd.DataFrame, client: Any, design_seeds: list[int]
) -> None:
    """Part 2: the cost-of-availability curve with flexible and with firm training."""
    target: AvailabilityTarget = TIER_IV.model_copy(
        update={"verification_years": args.verify_years, "max_iterations": args.max_rounds}
    )
    if args.seed is not None:
        target = target.model_copy(update={"verification_seed": args.seed})
    print(
        f"\n=== 2. cost-of-availability curve: design_for_availability to {target.name} "
        f"({target.verification_years} unseen years, at most {target.max_iterations} rounds) ==="
    )
    series = {"default": scenario, "firm_training": firm_training(scenario)}
    tables: dict[str, pd.DataFrame] = {}
    walls: dict[str, float] = {}
    for name, sc in series.items():
        flexible = [wc.name for wc in sc.datacenter.workload_classes if wc.flexible]
        t0 = time.perf_counter()
        sized: AvailabilityDesign = design_for_availability(
            sc,
            profiles,
            target,
            client=client,
            design_weather_seeds=design_seeds,
            on_round=lambda r, n=name: print(
                f"  {n} round {r.index}: reserve {r.reserve_hours:g} h, "
                f"{r.plan.cost_usd_per_mwh_it:.2f} USD/MWh, "
                f"{'pass' if r.verification.passed else 'fail'}, {r.wall_time_s:.0f} s",
                flush=True,
            ),
        )
        walls[name] = time.perf_counter() - t0
        tables[name] = pd.DataFrame([round_figures(r, flexible) for r in sized.rounds]).assign(series=name)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    print(
        "\nP95 / mean = firm hours cut per year, supply adequacy (what the target counts); all P95 adds "
        "common-mode trips;\n≤1.6h / ≤0.4h = share of years meeting Tier III / Tier IV hours; flex = training work "
        "done by its deadline"
    )
    for name, table in tables.items():
        print_rounds(f"series {name} ({walls[name]:.0f} s, {len(table)} rounds)", table)
        table.to_csv(out / f"{name}_rounds.csv", index=False)
    pd.concat(tables.values(), ignore_index=True).to_csv(out / "curve.csv", index=False)
    base = tables["default"].iloc[0]
    print(
        f"\ncheapest round meeting each tier (premium over round 0 of the default series, "
        f"{base['cost_usd_per_mwh']:.2f} USD/MWh, {base['cost_usd_per_yr'] / 1e6:,.1f} MUSD/yr):"
    )
    for name, table in tables.items():
        for tier in ("tier_iii", "tier_iv"):
            ok = table[table[f"meets_{tier}"]]
            if not len(ok):
                print(f"  {name:<14} {tier:<8}: no round meets it")
                continue
            r = ok.loc[ok["cost_usd_per_yr"].idxmin()]
            extra = r["cost_usd_per_mwh"] - base["cost_usd_per_mwh"]
            share = r["cost_usd_per_yr"] / base["cost_usd_per_yr"] - 1.0
            print(
                f"  {name:<14} {tier:<8}: round {int(r['round'])}, reserve {r['reserve_hours']:g} h, "
                f"{r['cost_usd_per_mwh']:.2f} USD/MWh, premium {extra:+.2f} USD/MWh ({share:+.1%}); P95 "
                f"{r['supply_hours_p95']:.2f} h, meeting {r[f'share_meeting_{tier}']:.1%}"
            )
    print(
        f"wall: default {walls['default']:.0f} s, firm training {walls['firm_training']:.0f} s "
        f"(ratio {walls['firm_training'] / walls['default']:.2f}); CSV in {out}/"
    )


def part_command(args: argparse.Namespace) -> None:
    """Part 3: the whole CLI, timed in a subprocess."""
    exe = shutil.which("greendc")
    base = [exe] if exe else [sys.executable, "-m", "greendc.cli"]
    with tempfile.TemporaryDirectory(prefix="bench_availability_") as tmp:
        cmd = [*base, "plan", "--availability", "tier-iii", "--out", tmp]
        print(f"\n=== 3. command: {' '.join(cmd)} ===", flush=True)
        t0 = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, check=False, env=os.environ | {"COLUMNS": "160"})
        wall = time.perf_counter() - t0
        lines = [ln for ln in done.stdout.splitlines() if ln.startswith(("round ", "target "))]
        print("\n".join(lines))
        if done.returncode:
            print(done.stderr[-3000:])
        print(f"exit {done.returncode}; wall {wall:.1f} s ({wall / 60:.1f} min)")


def code_version() -> str:
    """The git commit of the checkout this file is in (``+ changes in src`` when ``src/`` differs), if any."""
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no", "--", "src"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown (no git)"
    return f"{head}{' + changes in src' if dirty else ''}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=" ".join(__doc__.split("\n\n")[0].split()), formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--policies", action="store_true", help="part 1: policies on one reserve design")
    parser.add_argument("--curve", action="store_true", help="part 2: cost-of-availability curve")
    parser.add_argument("--command", action="store_true", help="part 3: time greendc plan --availability tier-iii")
    parser.add_argument("--scenario", default="dakhla", help="scenario YAML or shipped name (default dakhla)")
    parser.add_argument("--years", type=int, default=200, help="unseen years of part 1 (default 200)")
    parser.add_argument("--rolling-years", type=int, default=10, help="years of the rolling LP in part 1 (10)")
    parser.add_argument("--rolling-noisy", action="store_true", help="part 1: also the rolling LP, noisy forecast")
    parser.add_argument("--reserve-hours", type=float, default=42.0, help="reserve of the part-1 design (42 h)")
    parser.add_argument("--seed", type=int, default=None, help="root seed of the unseen years (default the target's)")
    parser.add_argument("--verify-years", type=int, default=200, help="unseen years per round in part 2 (200)")
    parser.add_argument("--max-rounds", type=int, default=8, help="rounds per series in part 2 (8)")
    parser.add_argument("--workers", type=int, default=None, help="dask workers (default one per core, up to 8)")
    parser.add_argument("--out", default="availability_curve/", help="folder of the part-2 CSV files")
    args = parser.parse_args()
    if not (args.policies or args.curve or args.command):
        args.policies = args.curve = True
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}; code {code_version()}"
    )
    t_all = time.perf_counter()
    if args.policies or args.curve:
        scenario = load_scenario(args.scenario)
        weather, _ = scenario_weather(scenario)
        profiles = build_profiles(scenario, weather)
        design_seeds = [scenario.weather.seed] if scenario.weather.source == "synthetic" else []
        with dask_client(n_workers=args.workers) as client:
            workers = len(client.scheduler_info().get("workers", {}))
            t0 = time.perf_counter()
            design = design_from_scenario(scenario, **WARM_UP_DESIGN)
            verify(
                design,
                scenario,
                TIER_III,
                years=workers,
                design_weather_seeds=design_seeds,
                client=client,
                chain_years=1,
            )
            print(f"warm-up ({workers} one-year chains): {time.perf_counter() - t0:.1f} s", flush=True)
            if args.policies:
                part_policies(args, scenario, profiles, client, design_seeds)
            if args.curve:
                part_curve(args, scenario, profiles, client, design_seeds)
    if args.command:
        part_command(args)
    print(f"\ntotal wall {time.perf_counter() - t_all:.0f} s")


if __name__ == "__main__":
    main()
