"""Open a page in Debian's Chromium through Playwright and collect what a person (and the console) would see."""

from __future__ import annotations

import shutil
from dataclasses import dataclass

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class PageReport:
    console_errors: list[str]
    page_errors: list[str]
    plot_count: int
    svg_count: int
    title: str


def open_page(url: str, wait_selector: str = ".js-plotly-plot .main-svg", screenshot: str | None = None) -> PageReport:
    """Load ``url`` in headless Chromium; return console errors, page errors and rendered plotly figures."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); .ci/run installs it")
    console_errors: list[str] = []
    page_errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: page_errors.append(str(e)))
            page.goto(url, wait_until="load")
            page.wait_for_selector(wait_selector, timeout=30_000)
            plot_count = page.locator(".js-plotly-plot").count()
            svg_count = page.locator(".js-plotly-plot .main-svg").count()
            title = page.title()
            if screenshot:
                page.screenshot(path=screenshot, full_page=True)
        finally:
            browser.close()
    return PageReport(console_errors, page_errors, plot_count, svg_count, title)
