"""The gallery (`examples/*.py`, shown in the docs) runs: each script in its own process, exit code 0 and
something printed. So the examples run in CI and cannot rot. About 2 min for all six on a 2-core machine."""

from __future__ import annotations

import ast
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SCRIPTS = sorted(EXAMPLES.glob("*.py"))
#: Scripts that start the monitoring service: they need its optional stack (installed with greendc today).
SERVICE_MODULES = ("fastapi", "uvicorn", "sqlalchemy", "alembic", "httpx")
NEEDS_SERVICE = {"service_replay"}


def test_the_gallery_is_there():
    """Every example the docs' gallery shows (``GALLERY`` of the MkDocs hook, read without importing the hook
    and its Markdown dependency) is a script here: the six of today."""
    hook = ast.parse((ROOT / "docs" / "_hooks" / "generated_pages.py").read_text(encoding="utf-8"))
    (value,) = (n.value for n in hook.body if isinstance(n, ast.AnnAssign) and ast.unparse(n.target) == "GALLERY")
    gallery = ast.literal_eval(value)
    assert len(gallery) == 6
    assert {p.stem for p in SCRIPTS} >= set(gallery)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_example_runs(script: Path, tmp_path: Path):
    if script.stem in NEEDS_SERVICE:
        missing = [m for m in SERVICE_MODULES if importlib.util.find_spec(m) is None]
        if missing:
            pytest.skip(f"the monitoring service needs {missing}")
    doc = ast.get_docstring(ast.parse(script.read_text(encoding="utf-8")))
    assert doc and "\n\n" in doc, f"{script.name}: needs a docstring header (title line, blank line, text)"
    env = os.environ | {"PYTHONUNBUFFERED": "1", "MPLBACKEND": "Agg"}
    run = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, f"{script.name} failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    assert "finished in" in run.stdout, run.stdout[-2000:]
    assert not list(tmp_path.iterdir()), f"{script.name} left files in its working folder"
