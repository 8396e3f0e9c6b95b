"""Seeded outputs of two git revisions side by side: do ``greendc plan``, ``simulate`` and ``kpi`` on the default
scenario write the same bytes?

A refactoring (moving code, splitting functions, renaming internals) must not change a result. This script
checks out each revision into a temporary git worktree, runs the same seeded chain with that revision's code
(``python -m greendc.cli`` with ``PYTHONPATH`` on its ``src``)::

    greendc plan --out plan --verify-years 10
    greendc simulate --design plan --out sim --seed 7
    greendc kpi --telemetry sim/dispatch.parquet --out kpi.json

and compares every data file byte for byte (Parquet, CSV). The ``summary.json`` and ``kpi.json`` files are compared
as JSON without their timing fields (``build_s``, ``solve_s``, ``wall_s``, ``wall_time_s``) and without their
provenance (every ``provenance`` item, and a summary's top-level ``weather``, its copy of the provenance's weather),
whose differences are printed apart, since a provenance change is a documented change, not a new result; so are
the changes of a Parquet file's metadata (the provenance a ``dispatch.parquet`` carries in its ``attrs``). HTML
reports carry timings and are not compared.

Names renamed on purpose (the tables ``RENAMED_CAPACITIES`` and ``RENAMED_COLUMNS`` of the working tree's
``greendc.units``, old → new) are applied to the old revision's outputs before comparing: a column, a JSON key or a
JSON string under an old name takes its new name where the new output has the new name and not the old one (so
``h2_store_mwh``, still the hydrogen store's capacity, is renamed only where it was the level). A data file whose
bytes differ is then compared as a table, frame-equal exactly (``pandas.testing.assert_frame_equal``,
``check_exact``); the renamed names are printed apart, as the provenance is.

Run: ``python validation/same_outputs.py OLD_REV [NEW_REV]`` (``NEW_REV`` default: the working tree). Exit code 1
when a data file or a summary outside its provenance differs.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from greendc.units import RENAMED_CAPACITIES, RENAMED_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
CHAIN = (
    ("plan", "--out", "plan", "--verify-years", "10"),
    ("simulate", "--design", "plan", "--out", "sim", "--seed", "7"),
    ("kpi", "--telemetry", "sim/dispatch.parquet", "--out", "kpi.json"),
)
DATA_SUFFIXES = (".parquet", ".csv")
TIMINGS = {"build_s", "solve_s", "wall_s", "wall_time_s"}
#: JSON outputs compared outside their provenance.
JSON_OUTPUTS = ("summary.json", "kpi.json")
#: Old name → new name, of capacities and of time-series columns.
RENAMES: dict[str, str] = {**RENAMED_CAPACITIES, **RENAMED_COLUMNS}
#: An old name alone or ending a compound name (``grid_connection@fuelcell_mw``, ``capacity_fuelcell_mw``).
_OLD_NAME = re.compile(r"(?<![A-Za-z0-9])(" + "|".join(map(re.escape, RENAMES)) + r")(?![A-Za-z0-9_])")


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


def _renamed(name: str, new_names: Any, renamed: set[tuple[str, str]]) -> str:
    """``name`` with its old names replaced, where the new output has that and lacks ``name``; each replacement
    is added to ``renamed``."""
    candidate = _OLD_NAME.sub(lambda m: RENAMES[m.group(1)], name)
    if candidate == name or candidate not in new_names or name in new_names:
        return name
    renamed.update((m, RENAMES[m]) for m in _OLD_NAME.findall(name))
    return candidate


def _aligned(old: Any, new: Any, renamed: set[tuple[str, str]]) -> Any:
    """The old revision's JSON value with its keys and strings under their new names (:func:`_renamed`)."""
    if isinstance(old, dict) and isinstance(new, dict):
        keys = {k: _renamed(k, new, renamed) for k in old}
        return {keys[k]: _aligned(v, new.get(keys[k]), renamed) for k, v in old.items()}
    if isinstance(old, list) and isinstance(new, list):
        return [_aligned(o, n, renamed) for o, n in zip(old, new, strict=False)] + old[len(new) :]
    if isinstance(old, str) and isinstance(new, str):
        return _renamed(old, {new}, renamed)
    return old


def _split_provenance(value: Any, path: str = "") -> tuple[Any, dict[str, Any]]:
    """``value`` without its ``provenance`` items (at any depth: a plan's summary holds its out-of-sample check's
    too) and without a summary's top-level ``weather`` (the copy of the provenance's weather), and those items
    by where they stood."""
    if not isinstance(value, dict):
        return value, {}
    data, found = {}, {}
    for key, item in value.items():
        where = f"{path}.{key}" if path else key
        if key == "provenance" or (not path and key == "weather"):
            found[where] = item
            continue
        data[key], inner = _split_provenance(item, where)
        found |= inner
    return data, found


def _read_table(path: Path) -> pd.DataFrame:
    return pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)


def _same_table(old: Path, new: Path, renamed: set[tuple[str, str]]) -> bool:
    """Whether two data files hold the same table once the old one's columns take their new names."""
    a, b = _read_table(old), _read_table(new)
    a = a.rename(columns={c: _renamed(c, set(b.columns), renamed) for c in a.columns if isinstance(c, str)})
    try:
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    except AssertionError:
        return False
    return True


def _print_renamed(renamed: set[tuple[str, str]]) -> None:
    if renamed:
        print(f"{'':<11} renamed: " + ", ".join(f"{a} -> {b}" for a, b in sorted(renamed)))


def compare(old: Path, new: Path) -> bool:
    """Print the comparison of two output folders; True when no data file nor summary (outside provenance)
    differs."""
    same = True
    files = sorted(p.relative_to(old) for p in old.rglob("*") if p.suffix in DATA_SUFFIXES)
    for rel in files:
        renamed: set[tuple[str, str]] = set()
        if not (new / rel).is_file():
            verdict = "DIFFERENT"
        elif (old / rel).read_bytes() == (new / rel).read_bytes():
            verdict = "same bytes"
        elif _same_table(old / rel, new / rel, renamed):
            verdict = "same table"
        else:
            verdict = "DIFFERENT"
        same &= verdict != "DIFFERENT"
        print(f"{verdict:<11} {rel}")
        _print_renamed(renamed)
        if rel.suffix == ".parquet" and (new / rel).is_file():
            attrs_old, attrs_new = pd.read_parquet(old / rel).attrs, pd.read_parquet(new / rel).attrs
            if attrs_old != attrs_new:
                print(f"{'':<11} metadata (the table's attrs, its provenance) changed:")
                for line in _json_changes(attrs_old, attrs_new):
                    print(f"{'':<13}{line}")
    for rel in sorted(p.relative_to(old) for name in JSON_OUTPUTS for p in old.rglob(name)):
        renamed = set()
        b = _without_timings(json.loads((new / rel).read_text()))
        a = _aligned(_without_timings(json.loads((old / rel).read_text())), b, renamed)
        (a, pa), (b, pb) = _split_provenance(a), _split_provenance(b)
        same &= a == b
        print(f"{'same' if a == b else 'DIFFERENT':<11} {rel} outside provenance and timings")
        for line in _json_changes(a, b):
            print(f"{'':<13}{line}")
        _print_renamed(renamed)
        changes = _json_changes(pa, pb)
        print(f"{'':<11} provenance: " + ("no change" if not changes else "changed:"))
        for line in changes:
            print(f"{'':<13}{line}")
    return same


def _json_changes(a: Any, b: Any) -> list[str]:
    """The lines of a unified diff (no context) of two JSON values, old ``-``, new ``+``."""
    lines = difflib.unified_diff(
        json.dumps(a, indent=1, sort_keys=True).splitlines(),
        json.dumps(b, indent=1, sort_keys=True).splitlines(),
        lineterm="",
        n=0,
    )
    return [line for line in lines if not line.startswith(("---", "+++", "@@"))]


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
