"""The dashboard page and its scripts (plotly.js from the installed plotly package: no CDN, works offline)."""

from __future__ import annotations

from pathlib import Path

import plotly
from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

router = APIRouter(tags=["dashboard"], include_in_schema=False)

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard"
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
_CACHE = {"Cache-Control": "public, max-age=3600"}


@router.get("/")
def root() -> RedirectResponse:
    return RedirectResponse("/dashboard")


@router.get("/dashboard")
def page() -> HTMLResponse:
    """The page itself needs no token; its data (GET /api/v1/dashboard) does."""
    return HTMLResponse((DASHBOARD / "index.html").read_text(encoding="utf-8"))


@router.get("/dashboard/dashboard.js")
def script() -> FileResponse:
    return FileResponse(DASHBOARD / "dashboard.js", media_type="text/javascript")


@router.get("/dashboard/plotly.min.js")
def plotly_js() -> FileResponse:
    return FileResponse(PLOTLY_JS, media_type="text/javascript", headers=_CACHE)
