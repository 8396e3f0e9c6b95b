"""Hostile requests against a real server on loopback, on SQLite and on PostgreSQL: each one gets a specific 4xx,
nothing of it is stored, and the site's KPIs still work afterwards.

The cases are those found when the service was tried as an attacker: NUL and control characters in every
string that reaches the database, timestamps that leave the calendar once in UTC or lie outside the plausible
window, steps and durations that overflow, integers beyond PostgreSQL's ``integer``, a body of the wrong
content type, ``to`` before ``from``. The server here runs with the default skew limit (300 s), so the
readings of this module are dated in the past (2026-01-01).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.service.support import Database, Server, hand_readings, make_site

DAY = "2026-01-01T00:00:00+00:00"
DAY_END = "2026-01-02T00:00:00+00:00"


@pytest.fixture(scope="module")
def server(database: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with the default plausible window (readings at most 300 s ahead of its clock)."""
    srv = Server(database.url, tmp_path_factory.mktemp("log") / "uvicorn.log", max_future_s=300).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def site(clients: dict) -> str:
    """Site ``hostile`` with the hand-made meters and one day of readings (2026-01-01)."""
    make_site(clients["admin"], "hostile")
    r = clients["operator"].post("/api/v1/readings", json={"readings": hand_readings("hostile", start=DAY)})
    assert r.status_code == 200 and r.json()["inserted"] == 216, r.text
    return "hostile"


def _kpi_works(clients: dict) -> None:
    r = clients["viewer"].get("/api/v1/kpi", params={"site": "hostile"})
    assert r.status_code == 200, r.text
    # the hand-made day: IT 400 MW × 24 h = 9600 MWh, facility 440 MW × 24 h → PUE 1.1
    got = r.json()
    assert got["period_start"].startswith("2026-01-01T00:00") and got["it_mwh"] == pytest.approx(9600.0)
    assert got["pue"] == pytest.approx(1.1)
    r = clients["viewer"].get("/api/v1/dashboard", params={"site": "hostile"})
    assert r.status_code == 200, r.text


def _one(meter: str = "hostile-it", ts: str = "2026-01-02T00:00:00Z", value: float = 400.0) -> dict:
    return {"readings": [{"meter": meter, "ts": ts, "value": value}]}


NUL = "pv\x00x"
# (role, method, path, keyword arguments of httpx, words expected in the detail)
STRINGS = [
    ("operator", "POST", "/api/v1/readings", {"json": _one(meter=NUL)}, "meter name"),
    ("operator", "POST", "/api/v1/readings", {"json": _one(meter="hostile-it\x1b[2J")}, "meter name"),
    ("operator", "POST", "/api/v1/readings/csv",
     {"content": f"meter,ts,value\n{NUL},2026-01-02T00:00:00Z,1\n", "headers": {"content-type": "text/csv"}},
     "meter name"),
    ("viewer", "GET", "/api/v1/readings", {"params": {"meter": NUL}}, "meter"),
    ("viewer", "GET", "/api/v1/kpi", {"params": {"site": NUL}}, "site"),
    ("viewer", "GET", "/api/v1/dashboard", {"params": {"site": "x\x00"}}, "site"),
    ("viewer", "GET", "/api/v1/alarms", {"params": {"site": "\x00"}}, "site"),
    ("viewer", "GET", "/api/v1/meters", {"params": {"site": "\x00"}}, "site"),
    ("viewer", "GET", "/api/v1/reports/monthly", {"params": {"site": "\x00", "month": "2026-01"}}, "site"),
    ("admin", "POST", "/api/v1/sites", {"json": {"name": "a\x00"}}, "name"),
    ("admin", "POST", "/api/v1/sites", {"json": {"name": "nul-zone", "timezone": "UTC\x00"}}, "time zone"),
    ("admin", "POST", "/api/v1/meters",
     {"json": {"name": "nul-1", "site": "hostile", "column": "pv_mw", "max_value": 1, "description": "a\x00b"}},
     "control character U+0000"),
    ("admin", "POST", "/api/v1/meters",
     {"json": {"name": "nul-2", "site": "host\x00ile", "column": "pv_mw", "max_value": 1}}, "site"),
    ("admin", "PATCH", "/api/v1/meters/hostile-it", {"json": {"description": "\x00"}}, "control character"),
    ("admin", "POST", "/api/v1/tokens", {"json": {"role": "viewer", "name": "n\x00"}}, "control character"),
    ("admin", "GET", "/api/v1/meters/%00", {}, ""),
    ("admin", "PATCH", "/api/v1/meters/%00", {"json": {"description": "x"}}, "name"),
    ("admin", "DELETE", "/api/v1/meters/%00", {}, "name"),
]  # fmt: skip
TIMES = [
    ("9999-12-31T23:00:00-05:00", "outside the calendar"),
    ("0001-01-01T00:30:00+01:00", "outside the calendar"),
    ("9999-12-31T23:00:00Z", "ahead of the server clock"),
    ("0001-01-01T00:00:00Z", "before the earliest plausible time"),
    ("1969-12-31T23:59:59Z", "before the earliest plausible time"),
    ("2099-01-01T00:00:00Z", "ahead of the server clock"),
]
QUERIES = [
    ("/api/v1/readings", {"meter": "hostile-it", "from": "9999-12-31T23:00:00-05:00"}, "outside the calendar"),
    ("/api/v1/readings", {"meter": "hostile-it", "to": "0001-01-01T00:30:00+01:00"}, "outside the calendar"),
    ("/api/v1/readings", {"meter": "hostile-it", "from": "2300-01-01T00:00:00Z"}, "outside 1970-01-01"),
    ("/api/v1/readings", {"meter": "hostile-it", "from": DAY_END, "to": DAY}, "must come after"),
    ("/api/v1/kpi", {"site": "hostile", "from": DAY_END, "to": DAY}, "must come after"),
    ("/api/v1/kpi", {"site": "hostile", "from": "0001-01-01T00:30:00+01:00", "to": DAY}, "outside the calendar"),
    ("/api/v1/readings", {"meter": "hostile-it", "step": "99999999999999999999D"}, "ASCII digits"),
    ("/api/v1/readings", {"meter": "hostile-it", "step": "9999999999999s"}, "ASCII digits"),
    ("/api/v1/readings", {"meter": "hostile-it", "step": "١h"}, "ASCII digits"),
    ("/api/v1/kpi", {"site": "hostile", "step": "99999999999999999999D"}, "ASCII digits"),
    ("/api/v1/kpi", {"site": "hostile", "step": "١h"}, "ASCII digits"),
    ("/api/v1/kpi", {"site": "hostile", "step": "999999999D"}, "between 1s and 31D"),
    ("/api/v1/dashboard", {"site": "hostile", "step": "9999999999999s"}, "ASCII digits"),
    ("/api/v1/dashboard", {"site": "hostile", "step": "١h"}, "ASCII digits"),
    ("/api/v1/dashboard", {"site": "hostile", "hours": "1e-9"}, "shorter than one step"),
    ("/api/v1/dashboard", {"site": "hostile", "hours": "nan"}, "hours"),
    ("/api/v1/reports/monthly", {"site": "hostile", "month": "9999-12"}, "between 1970-01"),
    ("/api/v1/reports/monthly", {"site": "hostile", "month": "0000-01"}, "YYYY-MM"),
    ("/api/v1/meters", {"after": "3545902494000"}, "after"),
    ("/api/v1/meters", {"limit": "99999999999999999999"}, "limit"),
    ("/api/v1/readings", {"meter": "hostile-it", "limit": "99999999999999999999"}, "limit"),
]


@pytest.mark.parametrize(("role", "method", "path", "kwargs", "words"), STRINGS)
def test_control_characters_never_reach_the_database(clients, site, role, method, path, kwargs, words):
    r = clients[role].request(method, path, **kwargs)
    assert r.status_code in (404, 405, 422), (r.status_code, r.text)
    assert words in r.json()["detail"]


@pytest.mark.parametrize(("ts", "words"), TIMES)
def test_implausible_reading_times_are_refused_in_json_and_csv(clients, site, ts, words):
    r = clients["operator"].post("/api/v1/readings", json=_one(ts=ts))
    assert r.status_code == 422 and words in r.json()["detail"], r.text
    csv = f"meter,ts,value\nhostile-it,{ts},400\n"
    r = clients["operator"].post("/api/v1/readings/csv", content=csv, headers={"content-type": "text/csv"})
    assert r.status_code == 422 and words in r.json()["detail"], r.text
    _kpi_works(clients)


@pytest.mark.parametrize(("path", "params", "words"), QUERIES)
def test_hostile_query_parameters_get_a_422_naming_them(clients, site, path, params, words):
    r = clients["admin"].get(path, params=params)
    assert r.status_code == 422, (r.status_code, r.text)
    assert words in r.json()["detail"]


def test_integers_beyond_the_database_are_refused(clients, site):
    r = clients["admin"].delete("/api/v1/tokens/2147483648")
    assert r.status_code == 422 and "token_id" in r.json()["detail"]
    assert clients["admin"].delete("/api/v1/tokens/2147483647").status_code == 404
    r = clients["admin"].delete("/api/v1/quarantines/99999999999999999999")
    assert r.status_code == 422


def test_a_body_of_another_content_type_gets_415(clients, site):
    body = b'{"readings": [{"meter": "hostile-it", "ts": "2026-01-02T01:00:00Z", "value": 400}]}'
    for kind in ("text/plain", "application/x-www-form-urlencoded", ""):
        r = clients["operator"].post("/api/v1/readings", content=body, headers={"content-type": kind})
        assert r.status_code == 415 and "application/json" in r.json()["detail"], (kind, r.text)
    r = clients["operator"].post("/api/v1/readings/csv", content=b"meter,ts,value\n", headers={"content-type": "a/b"})
    assert r.status_code == 415 and "text/csv" in r.json()["detail"]
    r = clients["admin"].post("/api/v1/sites", content=b'{"name": "plain"}', headers={"content-type": "text/plain"})
    assert r.status_code == 415
    # none of it was stored
    got = clients["viewer"].get("/api/v1/readings", params={"meter": "hostile-it", "from": "2026-01-02T00:00:00Z"})
    assert got.json()["value"] == []
    assert clients["viewer"].get("/api/v1/sites").json()[-1]["name"] != "plain"


def test_nothing_of_a_refused_batch_is_stored_and_kpis_still_work(clients, site):
    good = {"meter": "hostile-it", "ts": "2026-01-02T02:00:00Z", "value": 400.0}
    bad = {"meter": "hostile-it", "ts": "9999-12-31T23:00:00Z", "value": 400.0}
    r = clients["operator"].post("/api/v1/readings", json={"readings": [good, bad]})
    assert r.status_code == 422 and "readings[1]" in r.json()["detail"]
    got = clients["viewer"].get("/api/v1/readings", params={"meter": "hostile-it", "from": "2026-01-02T00:00:00Z"})
    assert got.json()["value"] == []
    _kpi_works(clients)
