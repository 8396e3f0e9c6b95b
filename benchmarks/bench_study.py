"""A Dakhla sweep on dask.distributed against the same points one after another, in one run.

Inputs: the default Dakhla scenario (one synthetic year, hourly, full model), a ``--points``-point Latin
hypercube over the discount rate and the investment of batteries, wind and PV (seed 1), plans only (no
out-of-sample check, so that both sides do the same work). Side A solves the points one after another in
this process (:func:`greendc.study.task.run_point`, HiGHS on one thread, as every study point); side B runs
them as a study on a ``LocalCluster`` of ``--workers`` processes (:func:`greendc.study.run.run_study`, a
fresh store). Printed: both wall times, the speed-up A/B and its share of the ideal (the worker count), and
the peak resident memory of each side (B: the client, scheduler and workers together, sampled every 0.2 s).
Both sides must give the same costs.

Usage::

    python benchmarks/bench_study.py                      # 20 points, 2 workers
    python benchmarks/bench_study.py --points 6 --workers 2
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time

import numpy as np
import psutil


class PeakMemory:
    """Peak resident memory of this process and its children [MB], sampled in a thread."""

    def __init__(self, interval_s: float = 0.2) -> None:
        self.interval_s = interval_s
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for p in [me, *me.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            self.peak_mb = max(self.peak_mb, total / 1e6)
            time.sleep(self.interval_s)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def spec(points: int):
    from greendc.study.spec import study_from_dict

    return study_from_dict(
        {
            "name": "bench",
            "scenario": "dakhla",
            "design": "lhs",
            "samples": points,
            "seed": 1,
            "parameters": [
                {"path": "finance.discount_rate", "low": 0.04, "high": 0.10},
                {"path": "costs.capex_factors.battery_energy", "low": 0.6, "high": 1.4},
                {"path": "costs.capex_factors.wind_onshore", "low": 0.8, "high": 1.2},
                {"path": "costs.capex_factors.pv_single_axis", "low": 0.8, "high": 1.2},
            ],
        }
    )


def main() -> None:
    from greendc.study.run import plan_tasks, run_study, study_client
    from greendc.study.task import run_point

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--points", type=int, default=20)
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    s = spec(args.points)

    t0 = time.perf_counter()
    with PeakMemory() as mem_b, tempfile.TemporaryDirectory() as out, study_client(s, n_workers=args.workers) as c:
        t1 = time.perf_counter()
        run = run_study(s, out, c)
        parallel_s = time.perf_counter() - t1
    startup_s = t1 - t0
    rows_b = run.rows.set_index("key")
    print(
        f"B: study on {args.workers} workers: {parallel_s:,.1f} s for {len(rows_b)} points (cluster start "
        f"{startup_s:.1f} s not counted), peak {mem_b.peak_mb:,.0f} MB (client + scheduler + workers)"
    )

    with PeakMemory() as mem_a:
        t1 = time.perf_counter()
        rows_a = {t.key: run_point(t) for t in plan_tasks(s)}
        serial_s = time.perf_counter() - t1
    print(f"A: one after another: {serial_s:,.1f} s, peak {mem_a.peak_mb:,.0f} MB")

    costs_a = np.array([rows_a[k]["objective_usd_per_yr"] for k in rows_b.index])
    np.testing.assert_allclose(rows_b["objective_usd_per_yr"].to_numpy(), costs_a, rtol=1e-9)
    speedup = serial_s / parallel_s
    print(
        f"speed-up A/B {speedup:.2f}x on {args.workers} workers ({speedup / args.workers:.0%} of the ideal); "
        f"mean point {serial_s / len(rows_a):.1f} s; same costs on both sides (rtol 1e-9)"
    )


if __name__ == "__main__":
    main()
