"""Open a page in Debian's Chromium through Playwright and collect what a person (and the console) would see:
console and page errors, the plotly figures and whether each has data, the visible text, and the raw field
names (``pv_mw``, ``lolh_h_per_yr`` …) in that text, which a report must never show."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

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
NOMENCLATURE = Path(__file__).parents[2] / "docs" / "nomenclature.md"
#: Name parts that are units: a snake_case name with one of them is a field name with its unit.
UNIT_TOKENS = frozenset(
    {"mw", "mwh", "m3", "usd", "km2", "cf", "h", "yr", "fraction", "th", "kwh", "kg", "k", "s", "l", "m3_per_h"}
)

# For each plotly figure: its traces and how many have data (x, y, z, values or an indicator's value); arrays
# may come as plotly's typed-array objects ({dtype, bdata}).
_FIGURES_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(el => {
  const size = v => v == null ? 0 : (v.length !== undefined ? v.length : (v.bdata ? v.bdata.length : 0));
  const data = el.data || [];
  const filled = data.filter(t => ['x', 'y', 'z', 'values', 'dimensions'].some(k => size(t[k]) > 0)
                                  || (t.type === 'indicator' && t.value !== undefined && t.value !== null));
  return {id: el.id, title: (el.layout && el.layout.title && el.layout.title.text) || '', traces: data.length,
          filled: filled.length};
})"""
# The visible text without the quoted sources of the costs table (``td.source``: a source is quoted as written).
_TEXT_JS = """() => {
  const cells = [...document.querySelectorAll('td.source')];
  cells.forEach(c => { c.dataset.display = c.style.display; c.style.display = 'none'; });
  const text = document.body.innerText;
  cells.forEach(c => { c.style.display = c.dataset.display; });
  return text;
}"""


@dataclass
class PageReport:
    console_errors: list[str]
    page_errors: list[str]
    plot_count: int
    svg_count: int
    title: str
    text: str = ""
    figures: list[dict] = field(default_factory=list)
    text_without_sources: str = ""

    def empty_figures(self) -> list[str]:
        """Titles (or ids) of the plotly figures without any trace that has data."""
        return [f["title"] or f["id"] for f in self.figures if f["traces"] == 0 or f["filled"] == 0]

    def raw_names(self, names: frozenset[str] | None = None) -> list[str]:
        """Field names found in the visible text (outside the quoted cost sources)."""
        return raw_names_in(self.text_without_sources, names)


@cache
def field_names() -> frozenset[str]:
    """Names a reader must never see: the label table's field names, and the first-column names of
    docs/nomenclature.md that look like snake_case with a unit (``pv_mw``, ``firm_hours_per_yr``)."""
    from greendc.report.labels import field_names as label_names

    names = set(label_names())
    for line in NOMENCLATURE.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| `"):
            continue
        first = line.split(" | ")[0]
        for name in re.findall(r"`([^`]+)`", first):
            if re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)+", name) and set(name.split("_")) & UNIT_TOKENS:
                names.add(name)
    return frozenset(names)


def raw_names_in(text: str, names: frozenset[str] | None = None) -> list[str]:
    """Which of ``names`` (default :func:`field_names`) occur in ``text`` as words (not inside a file path)."""
    names = field_names() if names is None else names
    return sorted(n for n in names if re.search(rf"(?<![\w/.\-]){re.escape(n)}(?![\w/])", text))


@contextmanager
def chromium_page(viewport: tuple[int, int] = (1300, 900)) -> Iterator[tuple[Any, list[str], list[str]]]:
    """A page of Debian's headless Chromium (through Playwright) with the console errors and the page errors
    it collects; skips the test when Playwright or Chromium is missing."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); .ci/run installs it")
    console_errors: list[str] = []
    page_errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
            page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: page_errors.append(str(e)))
            yield page, console_errors, page_errors
        finally:
            browser.close()


def open_page(url: str, wait_selector: str = ".js-plotly-plot .main-svg", screenshot: str | None = None) -> PageReport:
    """Load ``url`` in headless Chromium; return console errors, page errors, rendered plotly figures and the
    visible text."""
    with chromium_page() as (page, console_errors, page_errors):
        page.goto(url, wait_until="load")
        page.wait_for_selector(wait_selector, timeout=30_000)
        plot_count = page.locator(".js-plotly-plot").count()
        svg_count = page.locator(".js-plotly-plot .main-svg").count()
        title = page.title()
        text = page.inner_text("body")
        figs = page.evaluate(_FIGURES_JS)
        quiet = page.evaluate(_TEXT_JS)
        if screenshot:
            page.screenshot(path=screenshot, full_page=True)
    return PageReport(console_errors, page_errors, plot_count, svg_count, title, text, figs, quiet)


def check_report(report: PageReport) -> None:
    """What every report must pass in the browser: no console or page error, at least one figure, no figure
    without data, no raw field name in the visible text."""
    assert report.page_errors == [] and report.console_errors == [], (report.page_errors, report.console_errors)
    assert report.plot_count >= 1 and report.svg_count >= report.plot_count
    assert report.empty_figures() == []
    assert report.raw_names() == []
