"""`greendc --help` and `greendc --version` answer at once: the heavy libraries are imported by the command
that needs them, never by the help (issue 16). No timing here: ``benchmarks/bench_cli_start.py`` times them.

Each check runs in a fresh interpreter (``subprocess``), since this test process has imported everything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version

import pytest

#: Libraries that take seconds to import and that no help or version text needs.
HEAVY = (
    "numba",
    "pvlib",
    "linopy",
    "highspy",
    "distributed",
    "dask",
    "fastapi",
    "sqlalchemy",
    "uvicorn",
    "alembic",
    "httpx",
    "plotly",
    "xarray",
    "scipy",
    "pandas",
    "numpy",
    "pyarrow",
)

#: Every command's help, the version and the short help option, in one interpreter.
INVOCATIONS = (
    ["--help"],
    ["-h"],
    ["--version"],
    *[
        [c, "--help"]
        for c in (
            "weather",
            "profiles",
            "plan",
            "resource",
            "simulate",
            "kpi",
            "serve",
            "replay",
            "study",
            "compare",
            "scenario",
            "token",
        )
    ],
    ["scenario", "show", "-h"],
    ["scenario", "validate", "--help"],
    ["scenario", "init", "-h"],
    ["token", "create", "--help"],
    ["token", "revoke", "-h"],
)

SCRIPT = """
import contextlib, io, json, sys
from greendc.cli import app
runs = {}
for args in json.loads(sys.argv[1]):
    buf = io.StringIO()
    code = None
    with contextlib.redirect_stdout(buf):
        try:
            app(args, prog_name="greendc")
        except SystemExit as exc:
            code = exc.code
    runs[" ".join(args)] = [code, buf.getvalue()]
with open(sys.argv[2], "w", encoding="utf-8") as out:
    json.dump({"runs": runs, "modules": sorted(sys.modules)}, out)
"""


def _run(tmp_path, invocations, columns: str | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "TERMINAL_WIDTH")}
    if columns is not None:
        env["COLUMNS"] = columns
    out = tmp_path / "run.json"
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(invocations), str(out)],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def test_help_and_version_import_no_heavy_library(tmp_path):
    got = _run(tmp_path, [list(args) for args in INVOCATIONS])
    for args, (code, text) in got["runs"].items():
        assert code in (0, None), (args, code, text)
        assert text.strip(), args
    top = {name.split(".")[0] for name in got["modules"]}
    assert sorted(top & set(HEAVY)) == []


def test_version_and_short_help(tmp_path):
    runs = _run(tmp_path, [["--version"], ["-h"], ["--help"], ["plan", "-h"]])["runs"]
    assert runs["--version"][1].strip() == f"greendc {version('greendc')}"
    assert runs["-h"][1] == runs["--help"][1]
    assert "Usage: greendc plan" in runs["plan -h"][1]


@pytest.mark.parametrize("columns", [60, 150])
def test_help_wraps_to_the_terminal_width(tmp_path, columns):
    text = _run(tmp_path, [["plan", "--help"]], columns=str(columns))["runs"]["plan --help"][1]
    widest = max(len(line) for line in text.splitlines())
    assert columns - 10 < widest <= columns  # wrapped at the terminal's width, not at click's 80 columns
    # wrapped, never cut short with "…" (long words are broken across lines in a narrow terminal)
    assert "cmip6_deltas.csv" in ("".join(text.split()) if columns < 80 else text)


def test_help_without_a_terminal(tmp_path):
    # no terminal on any standard stream and no COLUMNS: HELP_WIDTH_NO_TERMINAL (120) columns
    text = _run(tmp_path, [["plan", "--help"]])["runs"]["plan --help"][1]
    assert 110 < max(len(line) for line in text.splitlines()) <= 120


def test_the_option_defaults_kept_in_the_cli_equal_their_source():
    from greendc.cli import plan as cli_plan
    from greendc.plan import certify

    assert cli_plan.CERTIFY_MIN_YEARS == certify.CERTIFY_MIN_YEARS
    assert cli_plan.DEFAULT_GAP == certify.DEFAULT_GAP
