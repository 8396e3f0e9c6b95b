"""The OpenAPI description and its pages work without the internet (a site such as Dakhla may be offline).

``/openapi.json`` is served; ``/docs`` (Swagger UI) loads in a real headless Chromium (Debian's, through
Playwright) with every request answered by the service itself: a request to any other host is blocked and
fails the test, as would any failed request or console error. ``/redoc`` is switched off (its page loads
Redocly's logo from a CDN).
"""

from __future__ import annotations

import shutil
from urllib.parse import urlsplit

import httpx
import pytest

from tests.report.browser import CHROMIUM, CHROMIUM_ARGS


def test_openapi_json_describes_the_meter_and_paging_endpoints(server):
    r = httpx.get(f"{server.url}/openapi.json", timeout=30)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    spec = r.json()
    assert spec["openapi"].startswith("3.")
    meter = spec["paths"]["/api/v1/meters/{name}"]
    assert {"patch", "delete"} <= meter.keys()
    assert {"401", "403", "409"} <= meter["patch"]["responses"].keys()
    params = {p["name"] for p in spec["paths"]["/api/v1/readings"]["get"]["parameters"]}
    assert {"meter", "from", "to", "step", "agg", "limit", "cursor"} <= params
    params = {p["name"] for p in spec["paths"]["/api/v1/meters"]["get"]["parameters"]}
    assert {"limit", "after"} <= params


def test_redoc_is_switched_off(server):
    assert httpx.get(f"{server.url}/redoc", timeout=30).status_code == 404


@pytest.mark.parametrize(
    ("page", "ready"),
    # Swagger UI has drawn one block per operation
    [("/docs", "document.querySelectorAll('.swagger-ui .opblock').length >= 15")],
)
def test_docs_page_loads_offline(server, database, page, ready):
    if database.backend != "sqlite":
        pytest.skip("the documentation pages do not depend on the database")
    sync_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); .ci/run installs it")
    own = urlsplit(server.url).netloc
    outside: list[str] = []
    failed: list[str] = []
    bad_status: list[str] = []
    errors: list[str] = []

    def route(r):  # type: ignore[no-untyped-def]
        if urlsplit(r.request.url).netloc == own or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page()
            tab.route("**/*", route)
            tab.on("requestfailed", lambda req: failed.append(f"{req.url}: {req.failure}"))
            tab.on("response", lambda res: bad_status.append(f"{res.url}: {res.status}") if res.status >= 400 else None)
            tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            tab.on("pageerror", lambda e: errors.append(str(e)))
            tab.goto(server.url + page, wait_until="load")
            tab.wait_for_function(ready, timeout=30_000)
            tab.wait_for_load_state("networkidle", timeout=30_000)
            title = tab.title()
        finally:
            browser.close()
    assert outside == [], f"requests to other hosts: {outside}"
    assert failed == [] and bad_status == [] and errors == []
    assert title.startswith("greendc monitor")
