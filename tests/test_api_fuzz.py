"""Schemathesis over the OpenAPI schema: generated requests (SQL and HTML fragments, odd Unicode,
huge numbers ...) to every operation, logged in as an analyst with a valid CSRF token, never get a
server error. Examples per operation are bounded so the suite stays fast and deterministic."""

from __future__ import annotations

from pathlib import Path

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from ipnav.config import Settings
from ipnav.web.app import create_app
from tests.conftest import SAMPLE, run_cli

PASSWORD = "fuzzing-pass-1"


def test_no_request_makes_the_server_fail(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run_cli("ingest", str(SAMPLE / "cn"), workspace=ws).returncode in (0, 3)
    assert run_cli("user", "add", "fuzz", "--role", "analyst", workspace=ws, stdin=PASSWORD + "\n").returncode == 0
    app = create_app(Settings(workspace=ws))
    client = TestClient(app)
    token = client.get("/api/me").json()["csrf_token"]
    login = client.post("/api/login", json={"name": "fuzz", "password": PASSWORD}, headers={"X-CSRF-Token": token})
    assert login.status_code == 200
    cookies = {"ipnav_session": client.cookies["ipnav_session"]}
    headers = {"X-CSRF-Token": login.json()["csrf_token"]}
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    statuses: dict[int, int] = {}
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path in ("/api/login", "/api/logout"):
            continue
        operations += 1

        @given(operation.as_strategy())
        @settings(max_examples=15, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def check(case: schemathesis.Case) -> None:
            response = case.call(headers=headers, cookies=cookies)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} {case.query}: {response.status_code}")

        check()
    assert operations >= 19
    assert failures == []
    assert statuses.get(200, 0) > 20, statuses  # logged in: generated requests are answered, not refused
