"""greendc's chronological segmentation side by side with tsam's (through PyPSA), on identical inputs.

Compared, for each horizon (years) and number of segments per year:

* **greendc**: :func:`greendc.plan.segment.segment_starts` + :func:`greendc.plan.aggregate.aggregate_segments`,
  then :func:`greendc.plan.solve.solve` (default options);
* **tsam via PyPSA**: ``Network.cluster.temporal.segment(num_segments)`` (PyPSA >= 1.0; it calls
  ``tsam.aggregate(..., n_clusters=1, period_duration=<whole horizon>, segments=SegmentConfig(...))``, i.e. one
  "typical period" spanning the whole horizon), then PyPSA's model build and HiGHS with greendc's HiGHS options
  (``PYPSA_BEST`` of ``bench_plan_pypsa.py``; ``--pypsa-highs-defaults`` for HiGHS's own);
* **greendc LP on tsam's segments**: a cross-check that separates the segmentation from the LP: greendc's LP
  solved on the segment starts tsam chose (its objective should equal PyPSA's);
* the **hourly** optimum of the same inputs (greendc, unaggregated), which every segmented objective should be at
  or below: averaging a feasible hourly dispatch over the segments is feasible for the segmented LP at the same
  cost, so the segmented LPs are relaxations. A segmented objective above the hourly one is flagged.

Inputs and models are those of ``bench_plan_pypsa.py`` (the bring-your-own-data model of the default Dakhla
scenario on seeded synthetic weather; a 1-year case uses the first year of the longest horizon's profiles),
reused through its ``dakhla_profiles``, ``run_greendc`` and ``run_pypsa`` unchanged: segmentation is inserted
where each builds its model from the hourly data, greendc's by standing in for ``aggregate_time`` (which those
inputs pass through), PyPSA's by segmenting the network in place just before ``optimize.create_model``.
``run_pypsa`` prices every component as greendc's objective does (balance of plant included).
``--pypsa-hourly`` solves the hourly PyPSA network too, to show that the two hourly optima agree.
Segmentation time is reported apart; build time is profiles CSV -> model ready, solve time HiGHS plus reading
the solution back, as in ``bench_plan_pypsa.py``. Every case runs in its own process, so that peak memory is that
case's alone (tsam builds a dense n x n adjacency matrix of the horizon's n steps: about 1.6 GB for one year
hourly, 5 GB for two).

The two segmentations are the same method on the same data: Ward's criterion over adjacent steps only, each
profile scaled to [0, 1] (min-max), segment values the step means, over the whole horizon (tsam segments within
typical periods; PyPSA asks for a single period spanning the horizon, so there is no typical-period clustering).
greendc merges with a heap over the adjacent pairs; tsam calls scikit-learn's ``AgglomerativeClustering`` with a
connectivity matrix. Ties may be broken differently; the table reports how many segment starts they share.

tsam needs its own environment: tsam 4.1.1 pins ``highspy<=1.15.1`` (and ``pandas<=3.0.5``), older than the
highspy greendc's environment has, so it is installed into a virtual environment that sees the main one's
packages (greendc, PyPSA, linopy) but keeps its own highspy and pandas. To reproduce::

    python -m venv --system-site-packages /tmp/venv_tsam
    /tmp/venv_tsam/bin/pip install tsam
    /tmp/venv_tsam/bin/python benchmarks/bench_segment_pypsa.py
    /tmp/venv_tsam/bin/python benchmarks/bench_segment_pypsa.py --years 1 --segments 730   # one case

HiGHS in that environment is the venv's (printed in the header), so hourly times may differ from
``bench_plan_pypsa.py`` run in the main environment. Neither tsam nor PyPSA is a dependency of greendc.
"""

from __future__ import annotations

import argparse
import json
import sys
import sysconfig
import tempfile
import time
from contextlib import AbstractContextManager, ExitStack
from importlib import metadata
from pathlib import Path
from unittest import mock

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_plan_pypsa import PYPSA_BEST, child_result, dakhla_profiles, peak_mb, run_greendc, run_pypsa

#: relative tolerance above the hourly optimum before a segmented objective is flagged (LP tolerances)
REL_TOL = 1e-6


def greendc_segmentation(n_segments: int, record: dict, starts: np.ndarray | None = None) -> ExitStack:
    """Make ``run_greendc``'s ``aggregate_time`` segment its inputs into ``n_segments`` (or at ``starts``).

    The time spent finding and averaging the segments goes to ``record["segment_s"]``, the starts to
    ``record["starts"]``.
    """
    import greendc.plan.aggregate as aggregate
    from greendc.plan.segment import segment_starts

    def segmented(inputs, steps_per_block):  # the signature of aggregate_time; the block is not used
        t0 = time.perf_counter()
        found = segment_starts(inputs, n_segments) if starts is None else np.asarray(starts, dtype=int)
        out = aggregate.aggregate_segments(inputs, found)
        record["segment_s"] = time.perf_counter() - t0
        record["starts"] = found.tolist()
        return out

    stack = ExitStack()
    stack.enter_context(mock.patch.object(aggregate, "aggregate_time", segmented))
    return stack


def adopt_time_series(n, segmented) -> None:
    """Give network ``n`` the snapshots, weightings and time series of its segmented copy ``segmented``."""
    n.set_snapshots(segmented.snapshots)
    n.snapshot_weightings = segmented.snapshot_weightings
    for c in segmented.components:
        for attr, df in c.dynamic.items():
            if not df.empty:
                target = n.c[c.name].dynamic[attr]
                for col in df.columns:
                    target[col] = df[col]


def pypsa_segmentation(n_segments: int | None, record: dict) -> AbstractContextManager:
    """Make ``n.optimize.create_model`` segment the network with tsam (``n.cluster.temporal.segment``) first,
    unless ``n_segments`` is None.

    ``record`` receives ``segment_s`` (PyPSA + tsam), ``adopt_s`` (copying the result into the network that
    ``run_pypsa`` goes on with; not counted anywhere) and the segment ``starts``.
    """
    from pypsa.optimization.optimize import OptimizationAccessor

    create_model = OptimizationAccessor.create_model

    def segment_then_create(self, *args, **kwargs):
        n = self._n
        if n_segments is not None:
            hourly = n.snapshots
            t0 = time.perf_counter()
            segmented = n.cluster.temporal.segment(n_segments)
            t1 = time.perf_counter()
            adopt_time_series(n, segmented)
            record["segment_s"] = t1 - t0
            record["adopt_s"] = time.perf_counter() - t1
            record["starts"] = hourly.get_indexer(n.snapshots).tolist()
        record["weight_h"] = float(n.snapshot_weightings["stores"].sum())
        return create_model(self, *args, **kwargs)

    return mock.patch.object(OptimizationAccessor, "create_model", segment_then_create)


def child(args: argparse.Namespace) -> None:
    """One case in this process; prints ``RESULT <json>``."""
    record: dict = {}
    if args.child == "hourly":
        out = run_greendc(args.profiles, args.years_one, {})
    elif args.child == "greendc":
        with greendc_segmentation(args.segments, record):
            out = run_greendc(args.profiles, args.years_one, {})
    elif args.child == "greendc-starts":
        starts = np.asarray(json.loads(Path(args.starts_file).read_text()), dtype=int)
        with greendc_segmentation(len(starts), record, starts):
            out = run_greendc(args.profiles, args.years_one, {})
    else:
        n_segments = None if args.child == "pypsa-hourly" else args.segments
        with pypsa_segmentation(n_segments, record):
            out = run_pypsa(args.profiles, args.years_one, json.loads(args.highs))
        out["build_s"] -= record.pop("adopt_s", 0.0)
    out["build_s"] -= record.get("segment_s", 0.0)
    out.update(record, peak_mb=peak_mb())
    print("RESULT " + json.dumps(out))


def run_child(case: str, profiles: Path, years: int, timeout_s: float, **extra: str) -> dict:
    """Run ``case`` in a fresh process of this interpreter and return its result (or ``{"error": ...}``)."""
    cmd = [sys.executable, __file__, "--child", case, "--profiles", str(profiles), "--years-one", str(years)]
    for key, value in extra.items():
        cmd += [f"--{key.replace('_', '-')}", str(value)]
    return child_result(cmd, timeout_s)


def versions() -> str:
    """Versions of the libraries compared, and the main environment's highspy when run from a venv."""
    names = ("highspy", "pypsa", "tsam", "linopy", "pandas", "scikit-learn")
    found = []
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} (not installed)")
    line = ", ".join(found)
    if sys.prefix != sys.base_prefix:
        base = sysconfig.get_paths(vars={"base": sys.base_prefix, "platbase": sys.base_prefix})["purelib"]
        main = [d.version for d in metadata.distributions(name="highspy", path=[base])]
        line += f" (virtual environment {sys.prefix}; the main environment has highspy {main[0] if main else '-'})"
    return line


HEADER = (
    f"{'yr':>2} {'seg':>5}  {'method':<34} {'seg_s':>6} {'build_s':>7} {'solve_s':>7} {'b+s_s':>7} "
    f"{'peak_MB':>7} {'obj_MUSD/yr':>11} {'gap_vs_hourly':>13} {'iters':>7}"
)


def fmt_row(years: int, label: str, r: dict, hourly: float | None) -> str:
    """One table row; ``gap_vs_hourly`` = (objective - hourly) / hourly, flagged when above the hourly optimum."""
    n = len(r["starts"]) if "starts" in r else "-"
    if "error" in r:
        return f"{years:>2} {n:>5}  {label:<34} {r['error']}"
    seg = f"{r['segment_s']:6.2f}" if "segment_s" in r else f"{'-':>6}"
    if hourly:
        gap = (r["objective"] - hourly) / abs(hourly)
        flag = "  ABOVE HOURLY" if gap > REL_TOL else ""
        gap_s = f"{gap:+13.3e}{flag}"
    else:
        gap_s = f"{'-':>13}"
    return (
        f"{years:>2} {n:>5}  {label:<34} {seg} {r['build_s']:7.2f} {r['solve_s']:7.2f} "
        f"{r['build_s'] + r['solve_s']:7.2f} {r['peak_mb']:7.0f} {r['objective'] / 1e6:11.4f} {gap_s} "
        f"{r['iterations']:7d}"
    )


def main() -> None:
    """Parse arguments; as parent, write the profiles and print the table case by case."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--segments", type=int, nargs="+", default=[730, 1460], help="segments per year")
    parser.add_argument("--seed", type=int, default=2030)
    parser.add_argument("--pypsa-highs-defaults", action="store_true", help="PyPSA with HiGHS's default options")
    parser.add_argument("--pypsa-hourly", action="store_true", help="also solve the hourly PyPSA network")
    parser.add_argument("--timeout", type=float, default=1800.0, help="per case [s]")
    parser.add_argument(
        "--child", choices=["hourly", "greendc", "greendc-starts", "pypsa", "pypsa-hourly"], help=argparse.SUPPRESS
    )
    parser.add_argument("--profiles", help=argparse.SUPPRESS)
    parser.add_argument("--years-one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--starts-file", help=argparse.SUPPRESS)
    parser.add_argument("--highs", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        args.segments = args.segments[0]
        child(args)
        return

    highs = {} if args.pypsa_highs_defaults else dict(PYPSA_BEST)
    print(versions())
    print(f"Dakhla default scenario, bring-your-own-data model, synthetic weather seed {args.seed}")
    print(f"PyPSA HiGHS options: {highs or 'HiGHS defaults'}; greendc: SolveOptions() defaults")
    with tempfile.TemporaryDirectory() as tmp:
        prof = dakhla_profiles(max(args.years), args.seed)
        path = Path(tmp) / "profiles.csv"
        prof.to_csv(path, date_format="%Y-%m-%dT%H:%M:%SZ")
        print(f"profiles: {len(prof)} hours")
        print(HEADER, flush=True)
        for years in args.years:
            h = run_child("hourly", path, years, args.timeout)
            hourly = h.get("objective")
            print(fmt_row(years, "hourly, greendc (reference)", h, None), flush=True)
            if args.pypsa_hourly:
                ph = run_child("pypsa-hourly", path, years, args.timeout, highs=json.dumps(highs))
                print(fmt_row(years, "hourly, PyPSA (same costs)", ph, hourly), flush=True)
            for per_year in args.segments:
                total = per_year * years
                g = run_child("greendc", path, years, args.timeout, segments=total)
                print(fmt_row(years, "greendc segment_starts + LP", g, hourly), flush=True)
                p = run_child("pypsa", path, years, args.timeout, segments=total, highs=json.dumps(highs))
                print(fmt_row(years, "tsam via PyPSA segment() + PyPSA", p, hourly), flush=True)
                if "error" in p:
                    continue
                starts_file = Path(tmp) / "tsam_starts.json"
                starts_file.write_text(json.dumps(p["starts"]))
                x = run_child("greendc-starts", path, years, args.timeout, starts_file=starts_file)
                print(fmt_row(years, "greendc LP on tsam's segments", x, hourly), flush=True)
                notes = [f"PyPSA store weightings sum {p['weight_h']:.0f} h"]
                if "error" not in g:
                    shared = len(set(g["starts"]) & set(p["starts"]))
                    notes.append(f"segment starts shared by greendc and tsam: {shared}/{total}")
                if "error" not in x:
                    diff = abs(x["objective"] - p["objective"]) / abs(p["objective"])
                    notes.append(f"greendc vs PyPSA on tsam's segments: relative objective difference {diff:.1e}")
                print("         " + "; ".join(notes), flush=True)


if __name__ == "__main__":
    main()
