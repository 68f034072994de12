"""What professional searchers expect beside the query box (issue 15): a pasted list of numbers looked up
in any spelling, and search within results (二次检索)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ipnav.config import Settings, Workspace
from ipnav.web.app import create_app
from tests.conftest import cli_json, run_cli

NUMBERS = "公开号\nCN113783949A\n202110991218.8, US 9,358,892 B1；ZL201410408762.5\nCN999999\n"


@pytest.fixture(scope="module")
def client(full_workspace: Workspace) -> TestClient:
    return TestClient(create_app(Settings(workspace=full_workspace.root, public=True)))


def test_lookup_from_a_file_or_stdin_any_spelling(full_workspace: Workspace) -> None:
    answer = run_cli("lookup", "-", "--json", workspace=full_workspace.root, stdin=NUMBERS)
    assert answer.returncode == 0, answer.stderr
    import json

    data = json.loads(answer.stdout)
    assert data["numbers"] == 5  # the header line 公开号 is not a number
    found = {r["input"]: r["app_key"] for r in data["found"]}
    assert found["CN113783949A"] == found["202110991218.8"] == "CN202110991218"  # publication and application
    assert found["ZL201410408762.5"] == "CN201410408762"
    assert "US 9,358,892 B1" in found
    assert [r["input"] for r in data["not_found"]] == ["CN999999"] and data["not_found"][0]["suggest"]
    text = run_cli("lookup", "-", workspace=full_workspace.root, stdin=NUMBERS)
    assert "未找到 not found: CN999999" in text.stdout and "找到 found 4" in text.stdout
    missing = run_cli("lookup", "/no/such/file.txt", workspace=full_workspace.root)
    assert missing.returncode == 2 and "/no/such/file.txt: no such file" in missing.stderr


def test_lookup_api_and_page(client: TestClient) -> None:
    numbers = ["CN113783949A", "202110991218.8", "US 9,358,892 B1", "ZL201410408762.5", "CN999999"]
    data = client.post("/api/lookup", json={"numbers": numbers}).json()
    assert (len(data["found"]), len(data["not_found"]), len(data["ambiguous"])) == (4, 1, 0)
    too_many = client.post("/api/lookup", json={"numbers": ["CN1"] * 10_001})
    assert too_many.status_code == 422
    page = client.post("/lookup", data={"numbers": NUMBERS})
    assert page.status_code == 200 and 'id="not-found"' in page.text and "CN999999" in page.text
    assert "一种基于合约管理的跨链去中心化方法" in page.text


def test_search_within_results_narrows_and_can_be_undone(client: TestClient, full_workspace: Workspace) -> None:
    first = client.get("/api/search", params={"q": "ti=电池", "limit": 1}).json()["total"]
    within = client.get("/api/search", params={"q": "cc=CN", "within": "ti=电池", "limit": 1}).json()
    both = client.get("/api/search", params={"q": "(ti=电池) AND (cc=CN)", "limit": 1}).json()["total"]
    assert 0 < within["total"] == both <= first
    cli = cli_json("search", "cc=CN", "--within", "ti=电池", workspace=full_workspace.root)
    assert isinstance(cli, dict) and cli["total"] == both
    page = client.get("/search", params={"q": "cc=CN", "within": "ti=电池"})
    assert 'id="within-trail"' in page.text and 'id="within-undo"' in page.text
    assert "/search/export?q=" in page.text and "%28ti%3D%E7%94%B5%E6%B1%A0%29%20AND%20%28cc%3DCN%29" in page.text


def test_patent_page_titles_every_ipc_symbol(client: TestClient) -> None:
    """Chinese titles from IPC 2026.01; symbols it no longer has (H01L) with the CPC English title, said so."""
    old = client.get("/api/search", params={"q": "ipc=H01L*", "limit": 1}).json()["hits"][0]["app_key"]
    page = client.get(f"/patents/{old}").text
    assert 'id="ipc-titles"' in page and "SEMICONDUCTOR DEVICES" in page
    assert "IPC 2026.01 已无此分类号, 显示 CPC 2022.08 英文名称" in page
    current = client.get("/api/search", params={"q": "ipc=H01M10/0525", "limit": 1}).json()["hits"][0]["app_key"]
    assert "锂离子电池" in client.get(f"/patents/{current}").text
