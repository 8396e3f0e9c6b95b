"""Start-up time of the command line (a benchmark, not a test).

Times, as whole processes (interpreter start included), 5 runs each, and prints the medians:

* ``greendc --help`` and ``greendc --version`` (the installed ``greendc`` script, else
  ``python -m greendc.cli``);
* as peers in the same run: the bare interpreter (``python -c pass``, the floor), ``import typer`` (the
  floor of any typer command line), ``import greendc.plan.solve`` (the planner: numba, pvlib, linopy, HiGHS),
  and the eager import the command line did before issue 16 (every module its commands imported at the top);
  with the ratio of each to ``greendc --help``.

With ``--before SRC`` (the ``src`` folder of an earlier greendc, e.g. ``git archive 88777cf src | tar -x -C
/tmp/old``), also ``greendc --help`` and ``--version`` of that tree (``PYTHONPATH=SRC python -m greendc.cli``),
in the same run.

Target: ``greendc --help`` and ``greendc --version`` under 0.5 s. Times depend on the machine's load; the
ratios much less. ``tests/cli/test_cli_start.py`` checks (without timing) that no heavy library is imported.

Run: ``python benchmarks/bench_cli_start.py [--runs 5] [--before /tmp/old/src]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

#: What ``import greendc.cli`` imported before its commands deferred their imports (issue 16).
EAGER_IMPORT = ", ".join(
    (
        "greendc.assets.profiles",
        "greendc.availability.outputs",
        "greendc.availability.sizing",
        "greendc.availability.verify",
        "greendc.kpi.reporting",
        "greendc.kpi.eu_scheme",
        "greendc.operate",
        "greendc.plan.certify",
        "greendc.plan.resource",
        "greendc.report.plan_report",
        "greendc.report.simulation_report",
        "greendc.report.study_report",
        "greendc.study.run",
        "greendc.study.compare",
        "greendc.weather.calibrate",
        "greendc.weather.source",
        "greendc.cli",
    )
)


def _greendc() -> list[str]:
    script = shutil.which("greendc")
    return [script] if script else [sys.executable, "-m", "greendc.cli"]


def median_s(cmd: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    """Median wall time [s] of ``runs`` runs of ``cmd`` (output discarded; exit codes not checked: the former
    command line had no ``--version``)."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(
            cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=env
        )
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(runs: int = 5, before: Path | None = None) -> None:
    exe = sys.executable
    envs: dict[str, dict[str, str] | None] = {}
    cases = {
        "greendc --help": [*_greendc(), "--help"],
        "greendc --version": [*_greendc(), "--version"],
        "python -c pass": [exe, "-c", "pass"],
        "python -c 'import typer'": [exe, "-c", "import typer"],
        "python -c 'import greendc.plan.solve'": [exe, "-c", "import greendc.plan.solve"],
        "eager import of the former CLI": [exe, "-c", f"import {EAGER_IMPORT}"],
    }
    if before is not None:
        old = dict(os.environ, PYTHONPATH=str(before.resolve()))
        for flag in ("--help", "--version"):
            name = f"before: greendc {flag} ({before})"
            cases[name], envs[name] = [exe, "-m", "greendc.cli", flag], old
    median_s([exe, "-c", "import greendc.plan.solve"], 1)  # warm the file cache and numba's
    results = {name: median_s(cmd, runs, envs.get(name)) for name, cmd in cases.items()}
    help_s = results["greendc --help"]
    width = max(len(name) for name in results)
    print(f"{'command':<{width}} {'median s':>9} {'/ --help':>9}   ({runs} runs each)")
    for name, seconds in results.items():
        print(f"{name:<{width}} {seconds:>9.3f} {seconds / help_s:>9.2f}")
    verdict = "met" if max(help_s, results["greendc --version"]) < 0.5 else "NOT met"
    print(f"target --help and --version under 0.5 s: {verdict}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each command")
    parser.add_argument("--before", type=Path, help="src folder of an earlier greendc to time beside")
    args = parser.parse_args()
    main(args.runs, args.before)
