"""Property-based requests generated from the service's own OpenAPI description (schemathesis), against a real
server on loopback, on SQLite and on PostgreSQL: no request, valid or not, may get a server error (5xx).

The budget is fixed (``MAX_EXAMPLES`` per operation, derandomised) so that a run is bounded and repeatable. The
requests carry an admin token, so that they reach every route's code rather than stop at the token check, on
a site with meters and a day of readings, so that the KPI, report and dashboard code runs too.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis import GenerationMode

from tests.service.support import Database, Server, client, hand_readings, make_site

#: Examples per API operation and generation mode.
MAX_EXAMPLES = 30


@pytest.fixture(scope="module")
def server(database: Database, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A server whose rate limits do not cut the generated requests short."""
    log = tmp_path_factory.mktemp("log") / "uvicorn.log"
    srv = Server(database.url, log, rate_token_per_s=100_000, rate_address_per_s=100_000).start()
    with client(srv, database.tokens["admin"]) as admin:
        make_site(admin, "fuzz")
        assert admin.post("/api/v1/readings", json={"readings": hand_readings("fuzz")}).status_code == 200
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def api_schema(server: Server):  # type: ignore[no-untyped-def]
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json")
    schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_request_gets_a_server_error(case, server, database):  # type: ignore[no-untyped-def]
    response = case.call(base_url=server.url, headers={"Authorization": f"Bearer {database.tokens['admin']}"})
    assert response.status_code < 500, f"{response.status_code} {response.text[:300]}\n{case.as_curl_command()}"
