"""Least privilege on a real server, on SQLite and on PostgreSQL: every route against every role, gateway
scopes, token expiry and rotation, the audit log, quarantines, limits checked before any work, rate limits.
"""

from __future__ import annotations

import datetime as dt
import socket
import time

import pytest
import sqlalchemy as sa

from greendc.service.models import meters, readings
from greendc.service.tokens import create_token
from tests.service.support import Server, client, hand_readings, make_site

ROLES = ("viewer", "gateway", "operator", "admin")
#: The permission each route needs; a route missing here fails the test (so a new route gets a line).
NEEDS = {
    ("GET", "/api/v1/readings"): "read",
    ("POST", "/api/v1/readings"): "write",
    ("POST", "/api/v1/readings/csv"): "write",
    ("GET", "/api/v1/sites"): "read",
    ("POST", "/api/v1/sites"): "admin",
    ("GET", "/api/v1/meters"): "read",
    ("POST", "/api/v1/meters"): "admin",
    ("PATCH", "/api/v1/meters/{name}"): "admin",
    ("DELETE", "/api/v1/meters/{name}"): "admin",
    ("GET", "/api/v1/quarantines"): "admin",
    ("POST", "/api/v1/quarantines"): "admin",
    ("DELETE", "/api/v1/quarantines/{quarantine_id}"): "admin",
    ("GET", "/api/v1/tokens"): "admin",
    ("POST", "/api/v1/tokens"): "admin",
    ("POST", "/api/v1/tokens/{token_id}/rotate"): "admin",
    ("DELETE", "/api/v1/tokens/{token_id}"): "admin",
    ("GET", "/api/v1/audit"): "admin",
    ("GET", "/api/v1/kpi"): "read",
    ("GET", "/api/v1/reports/monthly"): "read",
    ("GET", "/api/v1/alarms"): "read",
    ("GET", "/api/v1/dashboard"): "read",
}
GRANTS = {"viewer": {"read"}, "gateway": {"write"}, "operator": {"read", "write"}, "admin": {"read", "write", "admin"}}
#: Path parameters that name nothing (the allowed roles then get 404 or 422, never 401 or 403).
PATH_VALUES = {"{name}": "no-such-meter", "{quarantine_id}": "999999", "{token_id}": "999999"}


def test_every_route_against_every_role(clients):
    spec = clients["anonymous"].get("/openapi.json").json()
    routes = {
        (method.upper(), path)
        for path, ops in spec["paths"].items()
        for method in ops
        if path.startswith("/api/v1/") and path != "/api/v1/health"
    }
    assert routes == set(NEEDS), "a route without a line in NEEDS, or a line without its route"
    for (method, template), needed in sorted(NEEDS.items()):
        path = template
        for key, value in PATH_VALUES.items():
            path = path.replace(key, value)
        kwargs = {"json": {}} if method in ("POST", "PATCH") and not path.endswith("/csv") else {}
        if path.endswith("/csv"):
            kwargs = {"content": b"meter,ts,value\n", "headers": {"content-type": "text/csv"}}
        r = clients["anonymous"].request(method, path, **kwargs)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer", (method, path, r.text)
        for role in ROLES:
            r = clients[role].request(method, path, **kwargs)
            if needed in GRANTS[role]:
                assert r.status_code not in (401, 403), (role, method, path, r.text)
            else:
                assert r.status_code == 403 and repr(needed) in r.json()["detail"], (role, method, path, r.text)


def test_a_gateway_writes_only_within_its_scope_and_reads_nothing(clients, server):
    make_site(clients["admin"], "gw-a")
    make_site(clients["admin"], "gw-b")
    made = clients["admin"].post(
        "/api/v1/tokens", json={"role": "gateway", "name": "site A gateway", "sites": ["gw-a"], "meters": ["gw-b-it"]}
    )
    assert made.status_code == 201, made.text
    assert made.json()["sites"] == ["gw-a"] and made.json()["expires_at"] is not None  # 90 days by default
    one = {"meter": "gw-b-wind", "ts": "2030-01-01T00:00:00Z", "value": 40.0}
    with client(server, made.json()["token"]) as gw:
        assert gw.post("/api/v1/readings", json={"readings": hand_readings("gw-a", hours=1)}).status_code == 200
        # a meter of site B named in its scope: allowed; another meter of site B: refused, nothing stored
        ok = {"meter": "gw-b-it", "ts": "2030-01-01T00:00:00Z", "value": 400.0}
        assert gw.post("/api/v1/readings", json={"readings": [ok]}).status_code == 200
        r = gw.post("/api/v1/readings", json={"readings": [ok, one]})
        assert r.status_code == 403 and "'gw-b-wind'" in r.json()["detail"]
        for path in ("/api/v1/meters", "/api/v1/kpi", "/api/v1/sites", "/api/v1/alarms"):
            assert gw.get(path).status_code == 403
    got = clients["viewer"].get("/api/v1/readings", params={"meter": "gw-b-wind"}).json()
    assert got["value"] == []
    # a scope is for gateways only
    r = clients["admin"].post("/api/v1/tokens", json={"role": "operator", "sites": ["gw-a"]})
    assert r.status_code == 422 and "gateway tokens only" in r.json()["detail"]


def test_tokens_expire_and_rotate_with_a_grace_period(clients, server, database):
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)
    _, short = create_token(database.engine, "viewer", "two seconds", expires_at=soon)
    with client(server, short) as c:
        assert c.get("/api/v1/sites").status_code == 200
        time.sleep(max(0.0, (soon - dt.datetime.now(dt.UTC)).total_seconds()) + 0.2)
        r = c.get("/api/v1/sites")
        assert r.status_code == 401 and "expired" in r.json()["detail"]
    made = clients["admin"].post("/api/v1/tokens", json={"role": "viewer", "name": "rotated"}).json()
    # rotation with no grace: the new secret works at once, the old one stops
    new = clients["admin"].post(f"/api/v1/tokens/{made['id']}/rotate", json={"grace_s": 0}).json()
    assert new["role"] == "viewer" and new["name"] == "rotated" and new["replaces"] == made["id"]
    with client(server, new["token"]) as c:
        assert c.get("/api/v1/sites").status_code == 200
    with client(server, made["token"]) as c:
        assert c.get("/api/v1/sites").status_code == 401
    # with the default grace (1 h) both work meanwhile
    newer = clients["admin"].post(f"/api/v1/tokens/{new['id']}/rotate").json()
    for secret in (new["token"], newer["token"]):
        with client(server, secret) as c:
            assert c.get("/api/v1/sites").status_code == 200
    listed = {t["id"]: t for t in clients["admin"].get("/api/v1/tokens").json()}
    grace_end = dt.datetime.fromisoformat(listed[new["id"]]["expires_at"])
    assert dt.timedelta(minutes=59) < grace_end - dt.datetime.now(dt.UTC) <= dt.timedelta(hours=1)
    # a revoked token cannot be rotated
    clients["admin"].delete(f"/api/v1/tokens/{made['id']}")
    assert clients["admin"].post(f"/api/v1/tokens/{made['id']}/rotate").status_code == 409


def test_admin_actions_are_in_the_audit_log(clients):
    before = clients["admin"].get("/api/v1/audit", params={"limit": 1}).json()
    last = before[0]["id"] if before else 0
    make_site(clients["admin"], "audited")
    made = clients["admin"].post("/api/v1/tokens", json={"role": "viewer", "name": "audited"}).json()
    clients["admin"].delete(f"/api/v1/tokens/{made['id']}")
    clients["admin"].patch("/api/v1/meters/audited-it", json={"description": "hall A"})
    entries = [e for e in clients["admin"].get("/api/v1/audit", params={"limit": 50}).json() if e["id"] > last]
    actions = [(e["action"], e["target"]) for e in reversed(entries)]
    assert actions[0] == ("site.create", "site audited")
    assert [a for a, _ in actions[1:10]] == ["meter.create"] * 9  # the nine hand-made meters
    assert actions[10:] == [
        ("token.create", f"token {made['id']}"),
        ("token.revoke", f"token {made['id']}"),
        ("meter.patch", "meter audited-it"),
    ]
    assert all(e["actor"].startswith("token ") for e in entries) and made["token"] not in str(entries)
    assert entries[0]["detail"] == {"description": "hall A"}


def test_a_bad_clock_is_quarantined_and_the_site_recovers(clients, database):
    make_site(clients["admin"], "clock")
    assert clients["operator"].post("/api/v1/readings", json={"readings": hand_readings("clock")}).status_code == 200
    # a reading stored by an older version with a broken clock: year 9999
    with database.engine.begin() as conn:
        meter_id = conn.execute(sa.select(meters.c.id).where(meters.c.name == "clock-it")).scalar_one()
        poison = {"meter_id": meter_id, "ts": dt.datetime(9999, 12, 31, tzinfo=dt.UTC), "value": 1.0}
        conn.execute(sa.insert(readings).values(**poison))
    # the KPIs and the dashboard name the meter and the way out
    for path in ("/api/v1/kpi", "/api/v1/dashboard"):
        r = clients["viewer"].get(path, params={"site": "clock"})
        assert r.status_code == 422 and "meter 'clock-it'" in r.json()["detail"], r.text
        assert "POST /api/v1/quarantines" in r.json()["detail"]
    q = clients["admin"].post(
        "/api/v1/quarantines",
        json={"meter": "clock-it", "from": "9999-01-01T00:00:00Z", "to": "9999-12-31T23:59:59Z", "reason": "clock"},
    )
    assert q.status_code == 201 and q.json()["readings"] == 1, q.text
    r = clients["viewer"].get("/api/v1/kpi", params={"site": "clock"})
    assert r.status_code == 200 and r.json()["it_mwh"] == pytest.approx(9600.0), r.text  # 400 MW × 24 h
    assert clients["viewer"].get("/api/v1/dashboard", params={"site": "clock"}).status_code == 200
    # kept, not deleted: the raw readings still show it
    got = clients["viewer"].get("/api/v1/readings", params={"meter": "clock-it", "from": "9999-01-01T00:00:00Z"})
    assert got.status_code == 422  # a query time beyond 2200 is refused; read it back through the database
    with database.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).where(readings.c.meter_id == meter_id)).scalar_one() == 25
    listed = clients["admin"].get("/api/v1/quarantines", params={"meter": "clock-it", "active": True}).json()
    assert [x["id"] for x in listed] == [q.json()["id"]]
    # released, the reading counts again
    assert clients["admin"].delete(f"/api/v1/quarantines/{q.json()['id']}").json()["released_at"] is not None
    assert clients["viewer"].get("/api/v1/kpi", params={"site": "clock"}).status_code != 200


def _raw(server_url: str, request: bytes, wait_s: float = 5.0) -> tuple[bytes, float]:
    """Send raw bytes, return the first bytes of the answer and how long it took [s]."""
    host, port = server_url.removeprefix("http://").split(":")
    start = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=wait_s) as s:
        s.sendall(request)
        answer = s.recv(4096)
    return answer, time.monotonic() - start


def test_limits_are_checked_before_any_work(clients, database):
    url = str(clients["anonymous"].base_url).rstrip("/")
    token = database.tokens["operator"]
    # a declared 600 MB body, of which nothing is sent: 413 at once, not after reading it
    head = (
        "POST /api/v1/readings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {token}\r\nContent-Length: 600000000\r\n\r\n"
    )
    answer, took = _raw(url, head.encode())
    assert answer.startswith(b"HTTP/1.1 413") and took < 3.0, (answer[:200], took)
    # without a token, the token is checked first: 401, even for a body too large or nested too deep
    answer, _ = _raw(url, head.replace(f"Authorization: Bearer {token}\r\n", "").encode())
    assert answer.startswith(b"HTTP/1.1 401")
    deep = b"[" * 100_000 + b"]" * 100_000
    r = clients["anonymous"].post("/api/v1/tokens", content=deep, headers={"content-type": "application/json"})
    assert r.status_code == 401


def test_rate_limits_answer_429_with_retry_after(database, tmp_path):
    srv = Server(database.url, tmp_path / "uvicorn.log", auth_failures_per_min=6, rate_token_per_s=5).start()
    try:
        with client(srv, database.tokens["viewer"]) as c:
            # per token: 5 per second, bursts of 10
            codes = [c.get("/api/v1/sites").status_code for _ in range(30)]
            assert codes[:10] == [200] * 10 and 429 in codes[10:]
            r = c.get("/api/v1/sites")
            if r.status_code == 429:
                assert int(r.headers["retry-after"]) >= 1
        with client(srv, "gdc_wrong") as bad:
            # failed sign-ins: 6 a minute, bursts of 12, then every request of the address waits
            codes = [bad.get("/api/v1/sites").status_code for _ in range(20)]
        assert codes[:12] == [401] * 12 and set(codes[12:]) == {429}
        with client(srv, database.tokens["admin"]) as good:
            r = good.get("/api/v1/sites")
            assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1  # same address: it waits too
            assert good.get("/api/v1/health").status_code == 200  # health needs no token and is not limited
    finally:
        srv.stop()
