"""Seeded outputs of two git revisions side by side: do ``greendc plan``, ``simulate`` and ``kpi`` on the default
scenario write the same bytes?

A refactoring (moving code, splitting functions, renaming internals) must not change a result. This script
checks out each revision into a temporary git worktree, runs the same seeded chain with that revision's code
(``python -m greendc.cli`` with ``PYTHONPATH`` on its ``src``)::

    greendc plan --out plan --verify-years 10
    greendc simulate --design plan --out sim --seed 7
    greendc kpi --telemetry sim/dispatch.parquet --out kpi.json

and compares every data file byte for byte (Parquet, CSV, ``kpi.json``). The ``summary.json`` files are compared
as JSON without their timing fields (``build_s``, ``solve_s``, ``wall_s``, ``wall_time_s``), and the differences
inside ``provenance`` are printed apart, since a provenance change is a documented change, not a new result.
HTML reports carry timings and are not compared.

Run: ``python validation/same_outputs.py OLD_REV [NEW_REV]`` (``NEW_REV`` default: the working tree). Exit code 1
when a data file or a summary outside its provenance differs.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHAIN = (
    ("plan", "--out", "plan", "--verify-years", "10"),
    ("simulate", "--design", "plan", "--out", "sim", "--seed", "7"),
    ("kpi", "--telemetry", "sim/dispatch.parquet", "--out", "kpi.json"),
)
DATA_SUFFIXES = (".parquet", ".csv")
TIMINGS = {"build_s", "solve_s", "wall_s", "wall_time_s"}


def run_chain(src: Path, out: Path) -> None:
    """The seeded chain with the code under ``src``, writing into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(src)}
    for args in CHAIN:
        done = subprocess.run([sys.executable, "-m", "greendc.cli", *args], cwd=out, env=env, capture_output=True)
        if done.returncode != 0:
            raise SystemExit(f"greendc {args[0]} failed with {src}:\n{done.stderr.decode()[-2000:]}")


def _without_timings(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_timings(v) for k, v in value.items() if k not in TIMINGS}
    if isinstance(value, list):
        return [_without_timings(v) for v in value]
    return value


def compare(old: Path, new: Path) -> bool:
    """Print the comparison of two output folders; True when no data file nor summary (outside provenance)
    differs."""
    same = True
    files = sorted(p.relative_to(old) for p in old.rglob("*") if p.suffix in DATA_SUFFIXES or p.name == "kpi.json")
    for rel in files:
        equal = (new / rel).is_file() and (old / rel).read_bytes() == (new / rel).read_bytes()
        same &= equal
        print(f"{'same bytes' if equal else 'DIFFERENT':<11} {rel}")
    for rel in sorted(p.relative_to(old) for p in old.rglob("summary.json")):
        a = _without_timings(json.loads((old / rel).read_text()))
        b = _without_timings(json.loads((new / rel).read_text()))
        pa, pb = a.pop("provenance", {}), b.pop("provenance", {})
        same &= a == b
        print(f"{'same' if a == b else 'DIFFERENT':<11} {rel} outside provenance and timings")
        lines = difflib.unified_diff(
            json.dumps(pa, indent=1, sort_keys=True).splitlines(),
            json.dumps(pb, indent=1, sort_keys=True).splitlines(),
            lineterm="",
            n=0,
        )
        changes = [line for line in lines if not line.startswith(("---", "+++", "@@"))]
        print(f"{'':<11} provenance: " + ("no change" if not changes else "changed:"))
        for line in changes:
            print(f"{'':<13}{line}")
    return same


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", help="git revision before the change")
    parser.add_argument("new", nargs="?", default=None, help="git revision after it (default: the working tree)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        sources = {}
        for label, rev in (("old", args.old), ("new", args.new)):
            if rev is None:
                sources[label] = ROOT / "src"
                continue
            tree = tmp_path / f"tree-{label}"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), rev], check=True)
            sources[label] = tree / "src"
        try:
            for label, src in sources.items():
                print(f"running the chain with {label}: {src}")
                run_chain(src, tmp_path / label)
            same = compare(tmp_path / "old", tmp_path / "new")
        finally:
            for label in ("old", "new"):
                tree = tmp_path / f"tree-{label}"
                if tree.exists():
                    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)
    print("the same results" if same else "results DIFFER")
    raise SystemExit(0 if same else 1)


if __name__ == "__main__":
    main()
