"""greendc's design LP side by side with PyPSA on identical inputs, and the HiGHS options measured.

Inputs: the default Dakhla scenario's profiles on the seeded synthetic weather (``greendc.weather`` and
``greendc.assets.profiles``), reduced to the bring-your-own-data model: PV, wind, battery (energy and power
sized independently), electrolyser, hydrogen store, fuel cell, one bus, demand = Σ IT × (PUE +
desalination) + auxiliaries met every hour, costs of ``greendc/data/costs.csv`` at 7 %.

The PyPSA network is the textbook equivalent: generators with ``p_max_pu``, a Store with charger and
discharger Links whose ratings are tied (PyPSA-Eur's battery constraint), electrolyser and fuel-cell Links
(fuel-cell capital cost per MW of hydrogen input = per MW_el × efficiency), cyclic stores.

Every case runs in its own process, so that peak memory (max RSS) is that case's alone. Build time is
inputs → model → solver ready (PyPSA: network + ``optimize.create_model``; greendc: ``build_model``); solve
time is HiGHS plus reading the solution back.

Usage::

    python benchmarks/bench_plan_pypsa.py                 # 1 and 3 years: greendc vs PyPSA
    python benchmarks/bench_plan_pypsa.py --tune          # HiGHS option table for greendc (1 year)
    python benchmarks/bench_plan_pypsa.py --years 10 --no-pypsa --aggregate 3
    python benchmarks/bench_plan_pypsa.py --years 1 --no-pypsa --scenario   # full scenario model too
    python benchmarks/bench_plan_pypsa.py --years 1 3 --warm-start  # cold vs warm-started simplex

PyPSA is needed only here (``pip install pypsa``); it is no dependency of greendc.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from greendc.plan.inputs import CAPACITY_NAMES as CAPACITIES

GREENDC_DEFAULT: dict = {}
#: HiGHS settings tried for greendc with --tune (SolveOptions fields / extra HiGHS options).
TUNE_CASES: list[tuple[str, dict]] = [
    ("default: dual simplex, devex, no presolve, scale 4", {}),
    ("  same, costs in MUSD (cost_scale 1e-6)", {"cost_scale": 1e-6}),
    ("  same, scaling strategy 2 (HiGHS default)", {"scale_strategy": 2}),
    ("  same, presolve on", {"presolve": "on"}),
    ("  same, steepest edge (HiGHS default)", {"dual_edge_weight_strategy": -1}),
    ("  same, costs in USD (cost_scale 1)", {"cost_scale": 1.0}),
    (
        "HiGHS defaults (choose, presolve, USD)",
        {
            "solver": "choose",
            "presolve": "choose",
            "dual_edge_weight_strategy": -1,
            "cost_scale": 1.0,
            "scale_strategy": 2,
        },
    ),
    ("primal simplex", {"highs_options": {"simplex_strategy": 4}}),
    ("IPX interior point, no crossover", {"solver": "ipx", "presolve": "on"}),
    ("HiPO IPM (with highspy-extras installed)", {"solver": "hipo", "presolve": "on"}),
]
PYPSA_BEST = {"presolve": "off", "simplex_dual_edge_weight_strategy": 1, "simplex_scale_strategy": 4}


def dakhla_profiles(years: int, seed: int = 2030) -> pd.DataFrame:
    """``pv_cf``, ``wind_cf``, ``it_load_mw`` (facility load, PUE applied) of the default Dakhla scenario."""
    from greendc.assets.profiles import build_profiles
    from greendc.scenario.models import Scenario, Weather
    from greendc.weather.synthetic import synthetic_weather

    sc = Scenario()
    weather = synthetic_weather(sc.site, Weather(years=years, seed=seed))
    prof = build_profiles(sc, weather)
    it = sum(prof[f"it_{w.name}_mw"] for w in sc.datacenter.workload_classes)
    load = it * (prof["pue"] + prof["desalination_mwh_per_mwh_it"]) + sc.datacenter.electrical.auxiliary_mw
    out = pd.DataFrame({"pv_cf": prof["pv_cf"], "wind_cf": prof["wind_cf"], "it_load_mw": load})
    out.index = out.index.tz_convert("UTC")
    out.index.name = "timestamp"
    return out


def peak_mb() -> float:
    """Peak resident memory of this process [MB] (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_greendc(profiles_csv: str, years: int, options: dict) -> dict:
    from greendc.plan.aggregate import aggregate_time
    from greendc.plan.from_csv import inputs_from_profiles_csv
    from greendc.plan.solve import SolveOptions, solve

    t0 = time.perf_counter()
    block = options.pop("steps_per_block", 1)
    inputs = aggregate_time(inputs_from_profiles_csv(profiles_csv, "default", 0.07, years), block)
    t_in = time.perf_counter() - t0
    res = solve(inputs, SolveOptions(time_limit_s=options.pop("time_limit_s", 3600.0), **options))
    wall = time.perf_counter() - t0
    prov = res.provenance.details
    return {
        "build_s": t_in + prov["build_s"],
        "solve_s": wall - t_in - prov["build_s"],
        "objective": res.objective_usd_per_yr,
        "capacities": {k: res.capacities[k] for k in CAPACITIES},
        "iterations": prov["simplex_iterations"] + prov["ipm_iterations"],
        "rows": prov["n_constraints"],
        "cols": prov["n_variables"],
    }


def run_scenario(years: int, seed: int, options: dict) -> dict:
    """The full scenario model: flexible training class (backlog, 24 h deadline), PUE(t), duration bounds."""
    from greendc.assets.profiles import build_profiles
    from greendc.plan.from_scenario import inputs_from_scenario
    from greendc.plan.solve import SolveOptions, solve
    from greendc.scenario.models import Scenario, Weather
    from greendc.weather.synthetic import synthetic_weather

    sc = Scenario()
    prof = build_profiles(sc, synthetic_weather(sc.site, Weather(years=years, seed=seed)))
    t0 = time.perf_counter()
    res = solve(inputs_from_scenario(sc, prof), SolveOptions(**options))
    wall = time.perf_counter() - t0
    prov = res.provenance.details
    return {
        "build_s": prov["build_s"],
        "solve_s": wall - prov["build_s"],
        "objective": res.objective_usd_per_yr,
        "capacities": {k: res.capacities[k] for k in CAPACITIES},
        "iterations": prov["simplex_iterations"] + prov["ipm_iterations"],
        "rows": prov["n_constraints"],
        "cols": prov["n_variables"],
    }


def run_pypsa(profiles_csv: str, years: int, highs: dict) -> dict:
    import pypsa

    from greendc.costs import load_cost_table
    from greendc.plan.from_csv import inputs_from_profiles_csv, read_profiles_csv, select_years
    from greendc.plan.model import capacity_cost_usd_per_yr

    t0 = time.perf_counter()
    df, _ = select_years(read_profiles_csv(profiles_csv), years)
    table = load_cost_table()
    # priced as greendc's objective prices each capacity: its own row plus the balance-of-plant rows paid per
    # unit of it (grid connection per MW of PV, battery and fuel cell; grid forming per MW of battery)
    unit = capacity_cost_usd_per_yr(inputs_from_profiles_csv(profiles_csv, "default", 0.07, years))
    eta = float(np.sqrt(table["battery_power"].efficiency))
    fc_eff = table["fuel_cell"].efficiency
    n = pypsa.Network()
    n.set_snapshots(df.index.tz_localize(None))
    for bus in ("elec", "battery", "H2"):
        n.add("Bus", bus)
    n.add("Load", "load", bus="elec", p_set=df["it_load_mw"].to_numpy())
    n.add(
        "Generator",
        "pv",
        bus="elec",
        p_nom_extendable=True,
        p_max_pu=df["pv_cf"].to_numpy(),
        capital_cost=unit["pv_mw"],
    )
    n.add(
        "Generator",
        "wind",
        bus="elec",
        p_nom_extendable=True,
        p_max_pu=df["wind_cf"].to_numpy(),
        capital_cost=unit["wind_mw"],
    )
    n.add(
        "Store",
        "battery",
        bus="battery",
        e_nom_extendable=True,
        e_cyclic=True,
        capital_cost=unit["battery_mwh"],
    )
    n.add(
        "Link",
        "battery charger",
        bus0="elec",
        bus1="battery",
        efficiency=eta,
        p_nom_extendable=True,
        capital_cost=unit["battery_mw"],
    )
    n.add("Link", "battery discharger", bus0="battery", bus1="elec", efficiency=eta, p_nom_extendable=True)
    n.add("Store", "H2 store", bus="H2", e_nom_extendable=True, e_cyclic=True, capital_cost=unit["h2_store_mwh"])
    n.add(
        "Link",
        "electrolyser",
        bus0="elec",
        bus1="H2",
        efficiency=table["electrolyser"].efficiency,
        p_nom_extendable=True,
        capital_cost=unit["electrolyser_mw"],
    )
    n.add(
        "Link",
        "fuel cell",
        bus0="H2",
        bus1="elec",
        efficiency=fc_eff,
        p_nom_extendable=True,
        capital_cost=unit["fuel_cell_mw"] * fc_eff,
    )
    m = n.optimize.create_model()
    p_nom = m["Link-p_nom"]
    m.add_constraints(
        p_nom.loc["battery charger"] - eta * p_nom.loc["battery discharger"] == 0, name="battery_power_shared"
    )
    t1 = time.perf_counter()
    status, condition = n.optimize.solve_model(solver_name="highs", **highs)
    t2 = time.perf_counter()
    if condition != "optimal":
        raise RuntimeError(f"PyPSA: {status} {condition}")
    links, stores, gens = n.links.p_nom_opt, n.stores.e_nom_opt, n.generators.p_nom_opt
    caps = {
        "pv_mw": gens["pv"],
        "wind_mw": gens["wind"],
        "battery_mw": links["battery charger"],
        "battery_mwh": stores["battery"],
        "electrolyser_mw": links["electrolyser"],
        "h2_store_mwh": stores["H2 store"],
        "fuel_cell_mw": links["fuel cell"] * fc_eff,
    }
    return {
        "build_s": t1 - t0,
        "solve_s": t2 - t1,
        "objective": float(n.objective + (n.objective_constant or 0.0)),
        "capacities": {k: float(v) for k, v in caps.items()},
        "iterations": int(
            m.solver_model.getInfo().simplex_iteration_count + m.solver_model.getInfo().ipm_iteration_count
        ),
        "rows": int(m.ncons),
        "cols": int(m.nvars),
    }


def child(args: argparse.Namespace) -> None:
    options = json.loads(args.options)
    if args.child == "greendc":
        out = run_greendc(args.profiles, args.years_one, options)
    elif args.child == "scenario":
        out = run_scenario(args.years_one, options.pop("seed"), options)
    else:
        out = run_pypsa(args.profiles, args.years_one, options)
    out["peak_mb"] = peak_mb()
    print("RESULT " + json.dumps(out))


def run_case(case: str, profiles: Path, years: int, options: dict, timeout_s: float) -> dict:
    cmd = [
        sys.executable,
        __file__,
        "--child",
        case,
        "--profiles",
        str(profiles),
        "--years-one",
        str(years),
        "--options",
        json.dumps(options),
    ]
    return child_result(cmd, timeout_s)


def child_result(cmd: list[str], timeout_s: float) -> dict:
    """Run ``cmd`` and return the JSON of its ``RESULT`` line, or ``{"error": ...}`` (timeout, crash)."""
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return {"error": f"over {timeout_s:.0f} s"}
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
    return {"error": tail[0][:120]}


def fmt_row(label: str, years: int, r: dict, ref: float | None) -> str:
    if "error" in r:
        return f"{label:<44} {years:>2}  {r['error']}"
    rel = abs(r["objective"] - ref) / abs(ref) if ref else float("nan")
    caps = " ".join(f"{r['capacities'][k]:9.1f}" for k in CAPACITIES)
    return (
        f"{label:<44} {years:>2} {r['build_s']:7.2f} {r['solve_s']:8.2f} {r['build_s'] + r['solve_s']:8.2f} "
        f"{r['peak_mb']:7.0f} {r['objective'] / 1e6:12.4f} {rel:9.1e} {r['iterations']:8d}  {caps}"
    )


HEADER = (
    f"{'case':<44} {'yr':>2} {'build_s':>7} {'solve_s':>8} {'total_s':>8} {'peak_MB':>7} {'obj_MUSD/yr':>12} "
    f"{'rel_diff':>9} {'iters':>8}  " + " ".join(f"{c[:9]:>9}" for c in CAPACITIES)
)


def compare_warm_start(profiles: Path, years_list: list[int], seed: int, timeout_s: float) -> None:
    """Cold start against the default warm start, on the bring-your-own-data and the scenario model."""
    cold = {"warm_start_block": None}
    for years in years_list:
        for case, label, extra in (
            ("greendc", "own-data model", {}),
            ("scenario", "scenario model", {"seed": seed}),
        ):
            c = run_case(case, profiles, years, dict(extra, **cold), timeout_s)
            print(fmt_row(f"{label}, cold start", years, c, c.get("objective")), flush=True)
            w = run_case(case, profiles, years, dict(extra), timeout_s)
            print(fmt_row(f"{label}, warm start from 2 h", years, w, c.get("objective")), flush=True)
            if "error" not in c and "error" not in w:
                speed = (c["build_s"] + c["solve_s"]) / (w["build_s"] + w["solve_s"])
                print(
                    f"    warm vs cold: {speed:.1f}x faster, {w['iterations'] / c['iterations']:.2f}x the "
                    f"hourly simplex iterations, peak memory {w['peak_mb'] / c['peak_mb']:.2f}x",
                    flush=True,
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, nargs="+", default=[1, 3])
    parser.add_argument("--seed", type=int, default=2030)
    parser.add_argument("--tune", action="store_true", help="HiGHS option table for greendc")
    parser.add_argument("--no-pypsa", action="store_true")
    parser.add_argument("--aggregate", type=int, default=1, help="also time greendc on blocks of N hours")
    parser.add_argument(
        "--scenario",
        action="store_true",
        help="also time the full Dakhla scenario model (flexible class, PUE)",
    )
    parser.add_argument(
        "--warm-start",
        action="store_true",
        help="cold vs warm-started simplex (SolveOptions.warm_start_block), both models",
    )
    parser.add_argument("--timeout", type=float, default=1800.0, help="per case [s]")
    parser.add_argument("--child", choices=["greendc", "scenario", "pypsa"], help=argparse.SUPPRESS)
    parser.add_argument("--profiles", help=argparse.SUPPRESS)
    parser.add_argument("--years-one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--options", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    import highspy

    print(f"HiGHS {highspy.Highs().version()}, Dakhla default scenario, synthetic weather seed {args.seed}")
    with tempfile.TemporaryDirectory() as tmp:
        years_max = max(args.years)
        prof = dakhla_profiles(years_max, args.seed)
        path = Path(tmp) / "profiles.csv"
        prof.to_csv(path, date_format="%Y-%m-%dT%H:%M:%SZ")
        print(
            f"profiles: {len(prof)} hours, mean pv_cf {prof.pv_cf.mean():.3f}, "
            f"wind_cf {prof.wind_cf.mean():.3f}, "
            f"load {prof.it_load_mw.mean():.1f} MW"
        )
        print(HEADER)
        if args.warm_start:
            compare_warm_start(path, args.years, args.seed, args.timeout)
            return
        if args.tune:
            for years in args.years:
                ref = None
                for label, opts in TUNE_CASES:
                    r = run_case("greendc", path, years, dict(opts, time_limit_s=args.timeout), args.timeout + 60)
                    ref = ref or r.get("objective")
                    print(fmt_row(label, years, r, ref), flush=True)
            return
        for years in args.years:
            g = run_case("greendc", path, years, dict(GREENDC_DEFAULT), args.timeout)
            ref = g.get("objective")
            print(fmt_row("greendc (default options)", years, g, ref), flush=True)
            if args.aggregate > 1:
                a = run_case("greendc", path, years, {"steps_per_block": args.aggregate}, args.timeout)
                print(fmt_row(f"greendc, {args.aggregate}-hour blocks", years, a, ref), flush=True)
            if args.scenario:
                s = run_case("scenario", path, years, {"seed": args.seed}, args.timeout)
                print(
                    fmt_row("greendc, Dakhla scenario model (own LP)", years, s, s.get("objective")),
                    flush=True,
                )
            if args.no_pypsa:
                continue
            best = run_case("pypsa", path, years, dict(PYPSA_BEST), args.timeout)
            print(fmt_row("PyPSA, greendc's HiGHS options", years, best, ref), flush=True)
            default = run_case("pypsa", path, years, {}, args.timeout)
            print(fmt_row("PyPSA, HiGHS defaults", years, default, ref), flush=True)
            for label, r in (("best", best), ("default", default)):
                if "error" not in r and "error" not in g:
                    speed = (r["build_s"] + r["solve_s"]) / (g["build_s"] + g["solve_s"])
                    mem = g["peak_mb"] / r["peak_mb"]
                    cap_diff = max(
                        abs(r["capacities"][k] - g["capacities"][k]) / max(abs(g["capacities"][k]), 1.0)
                        for k in CAPACITIES
                    )
                    print(
                        f"    greendc vs PyPSA {label}: {speed:.1f}x faster, peak memory {mem:.2f}x PyPSA's, "
                        f"largest capacity difference {cap_diff:.1e} (relative)",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
