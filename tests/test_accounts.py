"""Accounts and roles as users meet them: `ipnav user ...`, logging in to the API, CSRF, roles,
public read-only access, login throttling and the audit log."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ipnav.config import Settings
from ipnav.web.app import create_app
from tests.conftest import SAMPLE, cli_json, run_cli

PASSWORD = "correct horse 42"


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("accounts") / "ws"
    assert run_cli("ingest", str(SAMPLE / "cn"), workspace=root).returncode in (0, 3)
    for name, role in (("admin1", "admin"), ("ana", "analyst"), ("view", "viewer")):
        result = run_cli("user", "add", name, "--role", role, workspace=root, stdin=PASSWORD + "\n")
        assert result.returncode == 0, result.stderr
    return root


def _login(client: TestClient, name: str, password: str = PASSWORD) -> str:
    token = client.get("/api/me").json()["csrf_token"]
    response = client.post("/api/login", json={"name": name, "password": password}, headers={"X-CSRF-Token": token})
    assert response.status_code == 200, response.text
    return str(response.json()["csrf_token"])


def test_user_commands(ws: Path) -> None:
    users = cli_json("user", "list", workspace=ws)
    assert [(u["name"], u["role"]) for u in users] == [("admin1", "admin"), ("ana", "analyst"), ("view", "viewer")]
    short = run_cli("user", "add", "x", workspace=ws, stdin="short\n")
    assert short.returncode == 2 and "at least 8" in short.stderr
    bad_role = run_cli("user", "add", "y", "--role", "root", workspace=ws, stdin=PASSWORD + "\n")
    assert bad_role.returncode == 2 and "role" in bad_role.stderr
    assert run_cli("user", "passwd", "nobody", workspace=ws, stdin=PASSWORD + "\n").returncode == 2
    assert (ws / "accounts.sqlite").is_file()
    assert "correct horse" not in (ws / "accounts.sqlite").read_bytes().decode("latin-1")  # hashed, not stored


def test_private_by_default_and_login_opens_reads(ws: Path) -> None:
    client = TestClient(create_app(Settings(workspace=ws)))
    assert client.get("/api/stats").status_code == 401
    assert client.get("/api/health").status_code == 200
    _login(client, "view")
    assert client.get("/api/stats").status_code == 200
    me = client.get("/api/me").json()
    assert me["user"] == {"name": "view", "role": "viewer", "language": "zh"}
    cookie = next(c for c in client.cookies.jar if c.name == "ipnav_session")
    assert {k.lower() for k in cookie._rest} >= {"httponly", "samesite"}  # type: ignore[attr-defined]
    assert cookie._rest["samesite"] == "lax"  # type: ignore[attr-defined]


def test_roles_and_csrf_guard_every_change(ws: Path) -> None:
    client = TestClient(create_app(Settings(workspace=ws, public=True)))
    topic = {"name": "电池", "query": "ti=电池"}
    anonymous = client.post(
        "/api/topics", json=topic, headers={"X-CSRF-Token": client.get("/api/me").json()["csrf_token"]}
    )
    assert anonymous.status_code == 401  # public read-only: no changes without logging in
    assert client.get("/api/stats").status_code == 200
    token = _login(client, "view")
    assert client.post("/api/topics", json=topic, headers={"X-CSRF-Token": token}).status_code == 403
    analyst = TestClient(create_app(Settings(workspace=ws, public=True)))
    token = _login(analyst, "ana")
    assert analyst.post("/api/topics", json=topic).status_code == 403  # no CSRF token
    assert analyst.post("/api/topics", json=topic, headers={"X-CSRF-Token": "forged"}).status_code == 403
    created = analyst.post("/api/topics", json=topic, headers={"X-CSRF-Token": token})
    assert created.status_code == 200, created.text
    assert created.json()["size"] > 0
    assert analyst.get("/api/topics").json()[0]["name"] == "电池"
    refreshed = analyst.post("/api/topics/电池/refresh", headers={"X-CSRF-Token": token})
    assert refreshed.status_code == 200
    assert analyst.delete("/api/topics/电池", headers={"X-CSRF-Token": token}).status_code == 200
    assert analyst.get("/api/audit").status_code == 403
    admin = TestClient(create_app(Settings(workspace=ws, public=True)))
    _login(admin, "admin1")
    log = admin.get("/api/audit").json()
    actions = [(e["actor"], e["action"], e["target"]) for e in log]
    assert ("ana", "topic.create", "电池") in actions and ("ana", "topic.delete", "电池") in actions
    assert ("cli", "user.add", "view") in actions


def test_login_is_throttled_after_repeated_failures(tmp_path: Path) -> None:
    ws = tmp_path / "ws"  # its own accounts: the lock-out would shut the other tests' client out too
    assert run_cli("user", "add", "admin1", "--role", "admin", workspace=ws, stdin=PASSWORD + "\n").returncode == 0
    client = TestClient(create_app(Settings(workspace=ws)))
    token = client.get("/api/me").json()["csrf_token"]
    codes = [
        client.post(
            "/api/login", json={"name": "admin1", "password": f"wrong{i}"}, headers={"X-CSRF-Token": token}
        ).status_code
        for i in range(6)
    ]
    assert codes == [401] * 5 + [429]
    right = client.post("/api/login", json={"name": "admin1", "password": PASSWORD}, headers={"X-CSRF-Token": token})
    assert right.status_code == 429  # still locked for the window, even with the right password
    unknown = client.post(
        "/api/login", json={"name": "nobody<script>", "password": "x"}, headers={"X-CSRF-Token": "no"}
    )
    assert unknown.status_code == 403


def test_admin_pages_manage_users_and_ingest_uploads(ws: Path) -> None:
    admin = TestClient(create_app(Settings(workspace=ws)))
    token = _login(admin, "admin1")
    page = admin.get("/admin")
    assert page.status_code == 200 and "ana" in page.text and "新增用户" in page.text  # users, audit log in words
    added = admin.post(
        "/admin/users", data={"name": "newbie", "role": "viewer", "password": PASSWORD, "csrf_token": token}
    )
    assert added.status_code == 200 and "newbie" in added.text  # followed the redirect back to /admin
    assert admin.post("/admin/users", data={"name": "x2", "role": "viewer", "password": PASSWORD}).status_code == 403
    promoted = admin.post("/admin/users/newbie/role", data={"role": "analyst", "csrf_token": token})
    assert promoted.status_code == 200
    assert [u["role"] for u in cli_json("user", "list", workspace=ws) if u["name"] == "newbie"] == ["analyst"]
    viewer = TestClient(create_app(Settings(workspace=ws)))
    _login(viewer, "view")
    assert viewer.get("/admin").status_code == 403

    table = "申请号,申请日,名称,申请(专利权)人\n202110991219.2,2021-08-27,一种上传的区块链存证方法,上传公司\n"
    uploaded = admin.post(
        "/ingest",
        data={"csrf_token": token},
        files={"files": ("上传 table.csv", table.encode("utf-8"), "text/csv")},
        follow_redirects=False,
    )
    assert uploaded.status_code == 303
    deadline = time.time() + 60
    while time.time() < deadline:
        page = admin.get("/ingest")
        if "导入完成" in page.text or "导入失败" in page.text:
            break
        time.sleep(0.3)
    assert "导入完成" in page.text, page.text[:2000]
    hits = admin.get("/api/search", params={"q": "ti=上传的区块链"}).json()
    assert hits["total"] == 1
    assert any(e["action"] == "ingest" for e in admin.get("/api/audit").json())
