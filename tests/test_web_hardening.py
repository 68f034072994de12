"""The web platform as a busy public service meets it: many readers at once, login attacks, copied cookies,
hostile uploads, ingest while people read. Servers run in their own process on loopback; load is bounded."""

from __future__ import annotations

import asyncio
import concurrent.futures
import random
import threading
import time
from pathlib import Path
from urllib.parse import quote

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from bench.web import load
from ipnav.config import Settings
from ipnav.normalize.numbers import cn_check_digit
from ipnav.store import codec
from ipnav.web.app import create_app
from tests.conftest import SAMPLE, cli_json, run_cli, served

PASSWORD = "correct horse 42"


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hardening") / "ws"
    assert run_cli("ingest", str(SAMPLE), workspace=root).returncode in (0, 3)
    for name, role in (("boss", "admin"), ("ana", "analyst")):
        assert run_cli("user", "add", name, "--role", role, workspace=root, stdin=PASSWORD + "\n").returncode == 0
    return root


def _numbers(ws: Path, count: int) -> list[str]:
    data = cli_json("search", "ad>=1990", "--limit", str(count), workspace=ws)
    return [h["app_key"] for h in data["hits"]]  # type: ignore[index]


def test_codec_from_many_threads_at_once() -> None:
    rng = random.Random(12)
    blobs = [bytes(rng.choices(b"abcdefgh <>/\n", k=rng.randint(10, 200_000))) for _ in range(40)]
    packed = [codec.pack(b) for b in blobs]

    def work(seed: int) -> bool:
        order = list(range(len(blobs)))
        random.Random(seed).shuffle(order)
        return all(codec.unpack(packed[i]) == blobs[i] and codec.pack(blobs[i]) for i in order * 5)

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        assert all(pool.map(work, range(64)))


def test_100_concurrent_readers_get_no_error_and_the_server_lives(ws: Path) -> None:
    numbers = _numbers(ws, 30)
    paths = [p for n in numbers for p in (f"/api/similar/{n}", f"/patents/{n}", f"/api/patents/{n}")]
    paths += [f"/api/search?q={quote(q)}" for q in ("电池", "ti=method", "ad>=2010 AND pa=大学")]
    paths += ["/api/analyze/applicants?selection=all"]
    with served(ws, "--public") as base:
        port = int(base.rsplit(":", 1)[1])
        result = asyncio.run(load("127.0.0.1", port, paths, clients=100, seconds=10))
        assert result["requests"] >= 100 and set(result["routes"]) >= {"/api/similar/{n}", "/patents/{n}"}
        assert result["errors"] == 0, result["error_kinds"]
        assert httpx.get(base + "/api/health", timeout=5).json()["status"] == "ok"


def _client(ws: Path, **settings: object) -> TestClient:
    return TestClient(create_app(Settings(workspace=ws, **settings)))


def _login(client: TestClient, name: str, password: str = PASSWORD, client_ip: str | None = None) -> httpx.Response:
    headers = {"X-CSRF-Token": client.get("/api/me").json()["csrf_token"]}
    if client_ip:
        headers["X-Forwarded-For"] = client_ip
    return client.post("/api/login", json={"name": name, "password": password}, headers=headers)


def test_parallel_wrong_passwords_cannot_pass_the_throttle(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run_cli("user", "add", "boss", "--role", "admin", workspace=ws, stdin=PASSWORD + "\n").returncode == 0
    with served(ws) as base:
        clients = [httpx.Client(base_url=base, timeout=60) for _ in range(40)]
        tokens = [c.get("/api/me").json()["csrf_token"] for c in clients]
        start = threading.Barrier(len(clients))

        def attempt(i: int) -> int:
            start.wait()
            body = {"name": "boss", "password": f"guess-{i}"}
            return clients[i].post("/api/login", json=body, headers={"X-CSRF-Token": tokens[i]}).status_code

        with concurrent.futures.ThreadPoolExecutor(len(clients)) as pool:
            codes = list(pool.map(attempt, range(len(clients))))
        assert codes.count(401) == 5 and codes.count(429) == 35, codes  # only 5 passwords were ever checked
        right = clients[0].post("/api/login", json={"name": "boss", "password": PASSWORD},
                                headers={"X-CSRF-Token": tokens[0]})  # fmt: skip
        assert right.status_code == 429 and "minute" in right.json()["message"]
        unlocked = cli_json("user", "unlock", "boss", workspace=ws)
        assert unlocked["failures_forgotten"] == 5  # type: ignore[index]
        again = clients[0].post("/api/login", json={"name": "boss", "password": PASSWORD},
                                headers={"X-CSRF-Token": tokens[0]})  # fmt: skip
        assert again.status_code == 200
        for c in clients:
            c.close()


def test_a_stranger_locks_only_himself_out_and_waits_longer_each_time(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run_cli("user", "add", "boss", "--role", "admin", workspace=ws, stdin=PASSWORD + "\n").returncode == 0
    client = _client(ws, trusted_proxies=["testclient"])  # the test client is the proxy: X-Forwarded-For counts
    codes = [_login(client, "boss", f"x{i}", client_ip="203.0.113.9").status_code for i in range(6)]
    assert codes == [401] * 5 + [429]
    owner = _login(client, "boss", client_ip="198.51.100.7")
    assert owner.status_code == 200  # the owner, from his own address, is not locked out
    log = {(e["action"], e["client"]) for e in _audit(ws)}
    assert ("login.throttled", "203.0.113.9") in log and ("login", "198.51.100.7") in log
    untrusted = _client(ws)  # no trusted proxy: a forged X-Forwarded-For changes nothing
    _login(untrusted, "boss", "nope", client_ip="192.0.2.1")
    assert ("login.failed", "testclient") in {(e["action"], e["client"]) for e in _audit(ws)}


def _audit(ws: Path) -> list[dict[str, str]]:
    from ipnav.accounts import Accounts

    return Accounts(ws / "accounts.sqlite").audit_log(1000)  # type: ignore[return-value]


def _copy(client: TestClient, ws: Path) -> TestClient:
    thief = _client(ws)
    thief.cookies.set("ipnav_session", client.cookies["ipnav_session"])
    return thief


def test_logout_password_role_change_and_disable_end_copied_sessions(ws: Path) -> None:
    owner = _client(ws)
    assert _login(owner, "ana").status_code == 200
    thief = _copy(owner, ws)
    assert thief.get("/api/stats").status_code == 200
    token = owner.get("/api/me").json()["csrf_token"]
    assert owner.post("/api/logout", headers={"X-CSRF-Token": token}).status_code == 200
    assert thief.get("/api/stats").status_code == 401  # the copied cookie died with the logout

    for end in (
        lambda: run_cli("user", "passwd", "ana", workspace=ws, stdin=PASSWORD + "\n"),
        lambda: run_cli("user", "role", "ana", "viewer", workspace=ws),
        lambda: run_cli("user", "disable", "ana", workspace=ws),
    ):
        owner = _client(ws)
        assert _login(owner, "ana").status_code == 200
        thief = _copy(owner, ws)
        assert thief.get("/api/stats").status_code == 200
        assert end().returncode == 0
        assert thief.get("/api/stats").status_code == 401
        assert owner.get("/api/stats").status_code == 401
    disabled = _login(_client(ws), "ana")
    assert disabled.status_code == 401 and "disabled" in disabled.json()["message"]
    admin = _client(ws)
    assert _login(admin, "boss").status_code == 200
    token = admin.get("/api/me").json()["csrf_token"]
    assert admin.post("/admin/users/ana/enable", data={"csrf_token": token}).status_code in (200, 303)
    assert _login(_client(ws), "ana").status_code == 200
    assert run_cli("user", "role", "ana", "analyst", workspace=ws).returncode == 0


@pytest.mark.parametrize("path", ["/", "/login", "/api/health", "/docs", "/static/ipnav.css", "/no-such-page"])
def test_every_response_carries_the_security_headers(ws: Path, path: str) -> None:
    response = _client(ws, public=True).get(path)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self' 'nonce-" in csp and "frame-ancestors 'none'" in csp and "unsafe-eval" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    if path == "/docs":  # its one inline script carries the response's nonce
        nonce = csp.split("'nonce-", 1)[1].split("'", 1)[0]
        assert f'<script nonce="{nonce}">' in response.text and "<script>" not in response.text


def test_uploads_are_bounded_and_removed_after_their_ingest(ws: Path) -> None:
    admin = _client(ws, max_upload_mb=1)
    assert _login(admin, "boss").status_code == 200
    token = admin.get("/api/me").json()["csrf_token"]
    big = admin.post("/ingest", data={"csrf_token": token}, files={"files": ("big.csv", b"x" * (2 << 20))})
    assert big.status_code == 413 and "max_upload_mb" in big.text
    table = "申请号,申请日,名称,申请(专利权)人\n202110991219.2,2021-08-27,一种上传的区块链存证方法,上传公司\n"
    ok = admin.post("/ingest", data={"csrf_token": token}, files={"files": ("small.csv", table.encode())},
                    follow_redirects=False)  # fmt: skip
    assert ok.status_code == 303
    deadline = time.time() + 60
    while admin.app.state.ingest_job.snapshot()["status"] == "running" and time.time() < deadline:  # type: ignore[attr-defined]
        time.sleep(0.1)
    assert admin.app.state.ingest_job.snapshot()["status"] == "finished"  # type: ignore[attr-defined]
    assert list((ws / "uploads").iterdir()) == []  # the copy is gone (keep_uploads_days = 0)
    assert admin.get("/api/search", params={"q": "ti=区块链存证"}).json()["total"] >= 1


def test_ingest_while_20_clients_read(ws: Path, tmp_path: Path) -> None:
    """A CLI ingest succeeds while the server is busy; no read fails; reads see the records once it ends."""
    table = tmp_path / "weekly.csv"
    rows = [f"2023{i:08d}.{cn_check_digit(f'2023{i:08d}')},2023-03-01,一种每周导入的量子测温装置{i},每周公司"
            for i in range(300)]  # fmt: skip
    table.write_text("申请号,申请日,名称,申请(专利权)人\n" + "\n".join(rows) + "\n", encoding="utf-8")
    numbers = _numbers(ws, 10)
    paths = [f"/api/patents/{n}" for n in numbers] + ["/api/search?q=%E7%94%B5%E6%B1%A0", "/api/stats"]
    with served(ws, "--public") as base:
        port = int(base.rsplit(":", 1)[1])
        before = httpx.get(base + "/api/search", params={"q": "ti=量子测温装置"}).json()["total"]
        outcome: dict[str, object] = {}

        def ingest() -> None:
            time.sleep(1.0)  # the readers are at full speed first
            outcome["ingest"] = run_cli("ingest", str(table), "--json", workspace=ws)
            outcome["after"] = httpx.get(base + "/api/search", params={"q": "ti=量子测温装置"}).json()["total"]

        worker = threading.Thread(target=ingest)
        worker.start()
        result = asyncio.run(load("127.0.0.1", port, paths, clients=20, seconds=12))
        worker.join(120)
    done = outcome["ingest"]
    assert done.returncode == 0, done.stderr  # type: ignore[attr-defined]
    assert result["errors"] == 0, result["error_kinds"]
    assert before == 0 and outcome["after"] == 300


def test_analyses_survive_the_death_of_the_analysis_process(ws: Path) -> None:
    import os
    import signal

    from ipnav.web import lanes

    client = _client(ws, public=True)
    assert client.get("/api/analyze/trends", params={"selection": "all"}).status_code == 200
    assert lanes._POOL is not None
    for pid in list(lanes._POOL._processes):  # killed, as the kernel's OOM killer would
        os.kill(pid, signal.SIGKILL)
    time.sleep(0.5)
    again = client.get("/api/analyze/ipc", params={"selection": "all"})
    assert again.status_code == 200 and again.json()["rows"]
    bad = client.get("/api/analyze/ipc", params={"selection": "ti=(电池"})
    assert bad.status_code == 400 and bad.json()["error"] == "QuerySyntaxError" and bad.json()["position"] == 6


def test_a_port_in_use_is_named_before_anything_is_loaded(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        for command in (("serve", "--port", port), ("demo", "--port", port)):
            result = run_cli(*command, workspace=tmp_path / "ws")
            assert result.returncode == 1, result.stderr
            assert f"port {port} is in use" in result.stderr and "IPNAV_PORT" in result.stderr
    assert "records" not in result.stdout  # the demo stopped before loading the sample
