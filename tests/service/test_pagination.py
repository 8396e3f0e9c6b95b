"""Pages of readings and of meters: walking all pages gives exactly what one unpaginated query gives.

A few thousand readings at irregular times (sub-second stamps included, so that a cursor one microsecond
after the last reading is exercised), on a real server, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

START = pd.Timestamp("2032-03-01T00:00:00Z")
N = 3000


def _times(n: int, offset_s: float = 0.0) -> list[pd.Timestamp]:
    """Irregular times: mostly a minute apart, some 250 ms apart, a few with microseconds, some gaps."""
    out, t = [], START + pd.Timedelta(seconds=offset_s)
    for i in range(n):
        t += pd.Timedelta(milliseconds=250) if i % 7 == 3 else pd.Timedelta(minutes=1 + 30 * (i % 401 == 0))
        out.append(t + pd.Timedelta(microseconds=(i * 37) % 1000 if i % 11 == 0 else 0))
    return out


@pytest.fixture(scope="module")
def paged(clients):  # type: ignore[no-untyped-def]
    admin = clients["admin"]
    assert admin.post("/api/v1/sites", json={"name": "page"}).status_code == 201
    for name in ("page-a", "page-b"):
        body = {"name": name, "site": "page", "column": "it_mw", "max_value": 1000.0}
        assert admin.post("/api/v1/meters", json=body).status_code == 201
    readings = [
        {"meter": meter, "ts": t.isoformat(), "value": float((i * 13 + k) % 997)}
        for k, meter in enumerate(("page-a", "page-b"))
        for i, t in enumerate(_times(N, offset_s=k))
    ]
    for i in range(0, len(readings), 2500):
        r = clients["operator"].post("/api/v1/readings", json={"readings": readings[i : i + 2500]})
        assert r.status_code == 200 and r.json()["inserted"] == len(readings[i : i + 2500]), r.text
    return clients["viewer"]


def _walk(viewer, params: dict, limit: int) -> tuple[list[str], list[float], int]:  # type: ignore[no-untyped-def]
    ts: list[str] = []
    values: list[float] = []
    pages, cursor = 0, None
    while True:
        q = {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        r = viewer.get("/api/v1/readings", params=q)
        assert r.status_code == 200, r.text
        got = r.json()
        assert len(got["ts"]) <= limit
        ts += got["ts"]
        values += got["value"]
        pages += 1
        cursor = got["next_cursor"]
        if cursor is None:
            return ts, values, pages
        assert pages < 10_000


@pytest.mark.parametrize("limit", [1, 256, 2999, 3000, 5000])
def test_walking_raw_pages_equals_one_query(paged, limit):
    if limit == 1:
        params = {"meter": "page-a", "from": "2032-03-01T10:00:00Z", "to": "2032-03-01T11:00:00Z"}
    else:
        params = {"meter": "page-a"}
    whole = paged.get("/api/v1/readings", params=params).json()
    assert whole["next_cursor"] is None
    ts, values, pages = _walk(paged, params, limit)
    assert ts == whole["ts"] and values == whole["value"]
    assert len(set(ts)) == len(ts) and ts == sorted(ts, key=pd.Timestamp)
    # a full last page says so (no empty page after it)
    assert pages == max(1, math.ceil(len(whole["ts"]) / limit))
    if params == {"meter": "page-a"}:
        assert len(ts) == N


@pytest.mark.parametrize(("step", "agg", "limit"), [("15min", "mean", 7), ("1h", "sum", 5), ("1D", "max", 1)])
def test_walking_resampled_pages_equals_one_query(paged, step, agg, limit):
    params = {"meter": "page-b", "step": step, "agg": agg, "from": "2032-03-01T00:00:00Z"}
    whole = paged.get("/api/v1/readings", params=params).json()
    ts, values, _ = _walk(paged, params, limit)
    assert ts == whole["ts"] and values == pytest.approx(whole["value"], rel=1e-12)
    assert len(ts) > limit


def test_a_walk_neither_skips_nor_repeats_while_readings_arrive(paged, clients):
    params = {"meter": "page-a", "to": "2032-03-10T00:00:00Z"}
    before = paged.get("/api/v1/readings", params=params).json()
    first = paged.get("/api/v1/readings", params={**params, "limit": 1000}).json()
    # while the walk goes on, readings arrive after the cursor (new) and before it (back-filled)
    late = [{"meter": "page-a", "ts": "2032-03-09T00:00:00+00:00", "value": 1.0}]
    early = [{"meter": "page-a", "ts": "2032-02-28T00:00:00+00:00", "value": 2.0}]
    assert clients["operator"].post("/api/v1/readings", json={"readings": late + early}).json()["inserted"] == 2
    ts, values = list(first["ts"]), list(first["value"])
    cursor = first["next_cursor"]
    while cursor:
        got = paged.get("/api/v1/readings", params={**params, "limit": 1000, "cursor": cursor}).json()
        ts += got["ts"]
        values += got["value"]
        cursor = got["next_cursor"]
    # every reading stored before the walk, once; the one that arrived ahead of the cursor too
    assert len(set(ts)) == len(ts)
    assert ts[:-1] == before["ts"] and ts[-1] == "2032-03-09T00:00:00+00:00"


def test_page_limits_and_cursors_are_checked(paged):
    r = paged.get("/api/v1/readings", params={"meter": "page-a", "limit": 50_001})
    assert r.status_code == 422 and "limit=50001" in r.json()["detail"] and "at most 50000" in r.json()["detail"]
    r = paged.get("/api/v1/readings", params={"meter": "page-a", "limit": 0})
    assert r.status_code == 422 and "limit" in r.json()["detail"]
    r = paged.get("/api/v1/readings", params={"meter": "page-a", "limit": 10, "cursor": "not-a-cursor"})
    assert r.status_code == 422 and "cursor" in r.json()["detail"]
    r = paged.get("/api/v1/readings", params={"meter": "page-a", "cursor": "abc"})
    assert r.status_code == 422 and "cursor needs limit" in r.json()["detail"]
    # a cursor of one query does not serve another (other meter, other step)
    cursor = paged.get("/api/v1/readings", params={"meter": "page-a", "limit": 10}).json()["next_cursor"]
    for other in (
        {"meter": "page-b"},
        {"meter": "page-a", "step": "1h"},
        {"meter": "page-a", "from": "2032-03-02T00:00Z"},
    ):
        r = paged.get("/api/v1/readings", params={**other, "limit": 10, "cursor": cursor})
        assert r.status_code == 422 and "another query" in r.json()["detail"], other


def test_meter_list_in_pages(clients):
    admin = clients["admin"]
    assert admin.post("/api/v1/sites", json={"name": "many"}).status_code == 201
    for i in range(23):
        body = {"name": f"many-{i:02d}", "site": "many", "column": "pv_mw", "max_value": 10.0}
        assert admin.post("/api/v1/meters", json=body).status_code == 201
    whole = clients["viewer"].get("/api/v1/meters", params={"site": "many"})
    assert "link" not in whole.headers
    names: list[str] = []
    url: str | None = "/api/v1/meters?site=many&limit=10"
    pages = 0
    while url:
        r = clients["viewer"].get(url)
        assert r.status_code == 200, r.text
        names += [m["name"] for m in r.json()]
        pages += 1
        link = r.headers.get("link")
        url = link[1 : link.index(">")] if link else None
    assert names == [m["name"] for m in whole.json()] and len(names) == 23 and pages == 3
    r = clients["viewer"].get("/api/v1/meters", params={"limit": 5000})
    assert r.status_code == 422 and "limit" in r.json()["detail"] and "1000" in r.json()["detail"]
