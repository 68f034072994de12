"""Drill-down (issue 15): every item of every analysis carries the query that finds the applications it
counts; the search API finds exactly that many, over the whole sample and within a selection."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ipnav.analytics.catalog import of_kind
from ipnav.config import Settings, Workspace
from ipnav.web.app import create_app
from tests.conftest import SAMPLE, load

NO_ITEMS = {"concentration", "citation_flows"}  # one summary row; flows count citations between applicants


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    ws = Workspace(tmp_path_factory.mktemp("drill") / "ws")
    load([SAMPLE], ws)
    return TestClient(create_app(Settings(workspace=ws.root, public=True)))


def _hits(client: TestClient, query: str) -> int:
    response = client.get("/api/search", params={"q": query, "limit": 1})
    assert response.status_code == 200, (query, response.text)
    return int(response.json()["total"])


@pytest.mark.parametrize("kind", sorted(set(of_kind("patent")) - NO_ITEMS))
def test_each_items_drill_finds_exactly_its_count(client: TestClient, kind: str) -> None:
    answer = client.get(f"/api/analyze/{kind}").json()
    counted = answer["counted"]
    items = [r for r in answer["rows"] if r["drill"] and r[counted]][:3]
    assert items, f"{kind}: no item to drill into"
    for row in items:
        assert _hits(client, row["drill"]) == row[counted], (kind, row)


def test_drill_stays_within_the_selection_and_charts_carry_it(client: TestClient) -> None:
    answer = client.get("/api/analyze/applicants", params={"selection": "ti=虚拟现实", "limit": 5}).json()
    row = answer["rows"][0]
    assert row["drill"].startswith("(ti=虚拟现实) AND pae=")
    assert _hits(client, row["drill"]) == row["applications"] < _hits(client, row["drill"].split(" AND ", 1)[1])
    bars = answer["option"]["series"][0]["data"]
    assert {"value": row["applications"], "drill": row["drill"]} in bars  # a click on the bar opens these hits
    network = client.get("/api/analyze/network").json()["option"]["series"][0]["data"]
    assert all(node["drill"].startswith("pae=") for node in network)


def test_warehouse_fields_explain_bad_values(client: TestClient) -> None:
    for query, words in (("atype=alien", "atype"), ("flag=shiny", "flag"), ("wipo=x", "wipo")):
        response = client.get("/api/search", params={"q": query})
        assert response.status_code == 400 and words in response.text


def test_drill_queries_are_documented() -> None:
    text = (Path(__file__).parents[1] / "docs" / "query-language.md").read_text(encoding="utf-8")
    for field in ("pae", "ine", "atype", "wipo", "term", "reason", "flag", "cites", "region1", "topic"):
        assert f"`{field}`" in text


def test_an_option_the_analysis_does_not_take_is_a_usage_error(client: TestClient) -> None:
    response = client.get("/api/analyze/wipo_fields", params={"limit": 3})
    assert response.status_code == 400 and "wipo_fields takes no options, not --limit" in response.text


def test_an_empty_analysis_says_why_and_counts_what_is_missing(client: TestClient) -> None:
    """US grants carry no legal status, CNKI rows no IPC: the answer says how many lack the field."""
    answer = client.get("/api/analyze/ipc", params={"selection": "cc=US AND ipc=ZZZZ"}).json()
    assert answer["rows"] == [] and answer["option"]["empty"]["zh"] == "所选记录中没有可分析的数据"
    cnki = client.get("/api/analyze/ipc", params={"selection": "cc=CN AND NOT ipc=*"}).json()
    lacking = cnki["missing"]
    assert cnki["rows"] == [] and lacking["lacking"] == lacking["of"] > 0
    assert cnki["option"]["empty"]["zh"] == f"这些记录没有IPC 分类号（{lacking['of']:,} 件中 {lacking['of']:,} 件）"
    assert "series" not in cnki["option"]  # no empty axes
    status = client.get("/api/analyze/legal_status", params={"selection": "cc=US"}).json()
    assert status["missing"]["lacking"] == status["missing"]["of"] > 0  # rows exist: all 'unknown'
    page = client.get("/navigate", params={"selection": "cc=CN AND NOT ipc=*"})
    assert "这些记录没有IPC 分类号" in page.text


def test_growth_compares_complete_years_before_the_datas_horizon(client: TestClient, tmp_path: Path) -> None:
    """The Patentics VR export ends in 2022: the last 18 months before its latest publication are
    incomplete whatever today is, and the written findings say so instead of computing growth into them."""
    rows = client.get("/api/analyze/trends", params={"selection": "ti=虚拟现实"}).json()["rows"]
    horizon = rows[-1]["horizon"]
    assert "2022-01-01" <= horizon <= "2022-12-31"
    assert next(r["year"] for r in rows if r["incomplete"]) <= 2021 and rows[-1]["incomplete"]
    years = [r["year"] for r in rows]
    assert years == list(range(years[0], years[-1] + 1))  # no year left out of the axis
    from tests.conftest import run_cli

    out = tmp_path / "vr.html"
    workspace = client.app.state.settings.workspace  # type: ignore[attr-defined]
    made = run_cli("report", "-s", "ti=虚拟现实", "--format", "html", "--out", str(out), workspace=workspace)
    assert made.returncode == 0, made.stderr
    text = out.read_text(encoding="utf-8")
    assert f"数据截至{horizon}" in text and "增长率只比较完整年份" in text
    assert "—2022年申请量由" not in text and "—2021年申请量由" not in text
