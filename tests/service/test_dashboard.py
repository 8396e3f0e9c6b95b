"""The dashboard in a real headless Chromium (Debian's, through Playwright): it loads, its figures render,
the console stays clean, it refreshes itself when new readings arrive, the sign-in form hands the token over,
the gauge titles do not overlap and each gauge's colour follows its target's direction."""

from __future__ import annotations

import pytest

from tests.report.browser import chromium_page, open_page
from tests.service.support import client, hand_frame, hand_readings, make_site


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
    with chromium_page((1280, 720)) as (page, console_errors, page_errors):
        page.goto(dashboard_site, wait_until="load")
        page.wait_for_selector("#fig-flows .main-svg", timeout=30_000)
        # the token left the address bar (kept in this tab's sessionStorage only)
        assert "token" not in page.url
        assert page.evaluate("window.sessionStorage.getItem('greendc_token')") is not None
        assert page.evaluate("window.localStorage.getItem('greendc_token')") is None
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
        page.evaluate("window.sessionStorage.setItem('greendc_token', 'gdc_wrong')")
        page.reload(wait_until="load")
        page.wait_for_selector("#token-form", state="visible", timeout=15_000)
    # the only console error is the refused request of the wrong token (Chromium logs failed loads)
    assert page_errors == [] and [e for e in console_errors if "401" not in e] == []


#: Workload-class meters of the site with a 24/7 CFE score of exactly 1: suffix → (column, value, max value).
#: Training is served 100 MW and misses 10 MW every hour: its served share is 100 / 110 = 0.909 against a target
#: of at least 1.
CLASS_METERS: dict[str, tuple[str, float, float]] = {
    "it-inference": ("it_inference_mw", 200.0, 600.0),
    "it-training": ("it_training_mw", 100.0, 600.0),
    "it-batch": ("it_batch_mw", 100.0, 600.0),
    "unserved-training": ("unserved_training_mw", 10.0, 600.0),
}
RED, GREEN = "rgb(231, 63, 116)", "rgb(17, 165, 121)"


@pytest.fixture(scope="module")
def cfe_site(server, database):  # type: ignore[no-untyped-def]
    """A site whose supply is all on-site PV and wind (no grid import: 24/7 CFE exactly 1.000 against the
    default target of at least 1), with three workload classes: seven gauges in all."""
    with client(server, database.tokens["admin"]) as admin:
        make_site(admin, "cfe")
        for suffix, (column, _, high) in CLASS_METERS.items():
            body = {"name": f"cfe-{suffix}", "site": "cfe", "column": column, "max_value": high}
            assert admin.post("/api/v1/meters", json=body).status_code == 201
    readings = []
    for r in hand_readings("cfe", hours=36):
        if r["meter"] == "cfe-grid":
            r["value"] = 0.0
        if r["meter"] in ("cfe-pv-a", "cfe-pv-b"):
            r["value"] = 200.0  # 400 MW of PV and 40 MW of wind carry the 440 MW facility every hour
        readings.append(r)
    for ts in sorted({r["ts"] for r in readings}):
        readings += [{"meter": f"cfe-{s}", "ts": ts, "value": v} for s, (_, v, _) in CLASS_METERS.items()]
    with client(server, database.tokens["operator"]) as op:
        assert op.post("/api/v1/readings", json={"readings": readings}).status_code == 200
    return f"{server.url}/dashboard?site=cfe"


# Each gauge: its title's text and bounding box, its number and the fill of its value bar.
_GAUGES_JS = """() => [...document.querySelectorAll('#fig-targets .indicatorlayer .trace')].map(t => {
  const title = t.querySelector('text.title');
  const r = title.getBoundingClientRect();
  return {title: title.textContent, box: [r.left, r.top, r.right, r.bottom],
          number: t.querySelector('text.number').textContent,
          fill: getComputedStyle(t.querySelector('.value-arc path')).fill};
})"""


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_sign_in_form_gauge_titles_and_colours(cfe_site, database, tmp_path):
    with chromium_page((1300, 900)) as (page, console_errors, page_errors):
        # no token yet: the sign-in form asks for one, nothing is fetched
        page.goto(cfe_site, wait_until="load")
        page.wait_for_selector("#signin", state="visible", timeout=15_000)
        assert "sign in" in page.locator("#status").inner_text()
        assert "greendc token create --role viewer" in page.locator("#signin").inner_text()
        page.screenshot(path=str(tmp_path / "signin.png"))
        # paste the token: the data come, the token stays in this tab's sessionStorage only
        page.fill("#token-input", database.tokens["viewer"])
        page.click("#token-form button[type=submit]")
        page.wait_for_selector("#fig-targets .indicatorlayer text.title", timeout=30_000)
        assert page.locator("#signin").is_hidden() and page.locator("#account").is_visible()
        assert page.evaluate("window.sessionStorage.getItem('greendc_token')") == database.tokens["viewer"]
        assert page.evaluate("window.localStorage.getItem('greendc_token')") is None
        assert "token" not in page.url
        gauges = {g["title"].split("target")[0]: g for g in page.evaluate(_GAUGES_JS)}
        page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
        # seven gauges, no two titles overlapping
        assert len(gauges) == 7, list(gauges)
        boxes = [g["box"] for g in gauges.values()]
        assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if _overlap(a, b)]
        # 24/7 CFE exactly 1.000 against "at least 1": met, so green, not red
        cfe = gauges["24/7 CFE share"]
        assert cfe["number"] == "1.000" and "≥ 1 (higher is better)" in cfe["title"]
        assert cfe["fill"] == GREEN
        # lower-is-better targets met (PUE 1.1 ≤ 1.2) are green; a higher-is-better one missed is red
        assert gauges["PUE"]["fill"] == GREEN and "≤ 1.2 (lower is better)" in gauges["PUE"]["title"]
        assert gauges["served share, training"]["number"] == "0.909"
        assert gauges["served share, training"]["fill"] == RED
        # sign out: the token is forgotten and the form is back
        page.click("#sign-out")
        page.wait_for_selector("#signin", state="visible", timeout=5_000)
        assert page.evaluate("window.sessionStorage.getItem('greendc_token')") is None
    assert console_errors == [] and page_errors == []


def test_gauge_colour_follows_the_target_direction_and_meets_at_equality():
    """Pure functions behind the gauges: a 24/7 CFE score of 1 − 1e-12 (sums of floats) meets "at least 1" and is
    green; 0.9996 misses it, is red, and shows four decimals so that it does not read 1.000; PUE 1.2 meets "at
    most 1.2"; 1.21 does not."""
    import dataclasses

    from greendc.kpi import kpi_report
    from greendc.service.reports import MET_COLOUR, NOT_MET_COLOUR, meets_target, target_rows, targets_figure
    from greendc.service.settings import Targets

    report = dataclasses.replace(
        kpi_report(hand_frame(hours=2)),
        pue=1.2,
        ref=1.0,
        wue_l_per_kwh=0.11,
        cfe_share=1.0 - 1e-12,
        availability={"firm": {"served_fraction": 0.9996}},
    )
    rows = {r["name"]: r for r in target_rows(report, Targets())}
    assert {k: r["met"] for k, r in rows.items()} == {
        "pue": True,
        "ref": True,
        "wue_l_per_kwh": False,
        "cfe_share": True,
        "served_fraction_firm": False,
    }
    assert meets_target(1.2, 1.2, "<=") and not meets_target(1.21, 1.2, "<=") and meets_target(1.0, 1.0, ">=")
    fig = targets_figure(list(rows.values()))
    gauges = {t.title.text.split("<br>")[0]: t for t in fig.data}
    assert gauges["24/7 CFE share"].gauge.bar.color == MET_COLOUR
    assert gauges["served share, firm"].gauge.bar.color == NOT_MET_COLOUR
    assert gauges["served share, firm"].number.valueformat == ".4f"  # 0.9996, not 1.000
    assert gauges["WUE [L/kWh]"].gauge.bar.color == NOT_MET_COLOUR
    # the band that meets the target: below it when lower is better, above it when higher is better
    assert list(gauges["PUE"].gauge.steps[0].range) == [0.0, 1.2]
    assert list(gauges["REF"].gauge.steps[0].range) == [1.0, 1.0]
    # at most four gauges to a row
    assert {t.domain.row for t in fig.data} == {0, 1} and max(t.domain.column for t in fig.data) == 3
