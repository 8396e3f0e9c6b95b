"""The dashboard in a real headless Chromium (Debian's, through Playwright): it loads, its figures render,
the console stays clean, and it refreshes itself when new readings arrive."""

from __future__ import annotations

import shutil

import pytest

from tests.report.browser import CHROMIUM, CHROMIUM_ARGS, open_page
from tests.service.support import client, hand_readings, make_site


@pytest.fixture(scope="module")
def dashboard_site(server, database):  # type: ignore[no-untyped-def]
    with client(server, database.tokens["admin"]) as admin:
        make_site(admin, "dash", timezone="Africa/Casablanca")
    with client(server, database.tokens["operator"]) as op:
        assert op.post("/api/v1/readings", json={"readings": hand_readings("dash", hours=36)}).status_code == 200
    return f"{server.url}/dashboard?site=dash#token={database.tokens['viewer']}"


def test_dashboard_renders_its_figures_without_console_errors(dashboard_site):
    page = open_page(dashboard_site, wait_selector="#fig-targets .main-svg")
    assert page.page_errors == [] and page.console_errors == []
    # KPIs against targets, power flows, states of charge
    assert page.plot_count == 3 and page.svg_count >= 3
    assert page.title == "greendc monitor"


def test_dashboard_shows_alarms_and_refreshes_itself(dashboard_site, server, database):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); .ci/run installs it")
    errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(dashboard_site, wait_until="load")
            page.wait_for_selector("#fig-flows .main-svg", timeout=30_000)
            # the token left the address bar (kept in localStorage only)
            assert "token" not in page.url
            # reserve 30 MW < 10 % of 440 MW: the reserve alarm is shown
            assert page.locator("#alarms li[data-kind='reserve_low']").count() == 1
            assert "2030-01-02T11:00:00+00:00" in page.locator("#status").inner_text()
            # one more hour of readings: the page shows it by itself within a few refresh periods (1 s)
            more = hand_readings("dash", start="2030-01-02T12:00:00+00:00", hours=1)
            with client(server, database.tokens["operator"]) as op:
                assert op.post("/api/v1/readings", json={"readings": more}).status_code == 200
            page.wait_for_function(
                "document.getElementById('status').textContent.includes('2030-01-02T12:00:00+00:00')", timeout=15_000
            )
            # a viewer token with a wrong value: the page asks for a token instead of failing silently
            page.evaluate("window.localStorage.setItem('greendc_token', 'gdc_wrong')")
            page.reload(wait_until="load")
            page.wait_for_selector("#token-form", state="visible", timeout=15_000)
        finally:
            browser.close()
    # the only console error is the refused request of the wrong token (Chromium logs failed loads)
    assert [e for e in errors if "401" not in e] == []
