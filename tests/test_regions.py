"""Regions of applicants with the basis each rests on (issue 14): the record's address, the user's table,
the applicant's other records, a place at the start of its name; unplaced ones counted, never guessed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ipnav.config import Workspace
from ipnav.normalize.placenames import region_of_name
from tests.conftest import cli_json, load, run_cli, shared


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    records = shared("cn", "records")
    workspace = Workspace(tmp_path_factory.mktemp("regions") / "ws")
    load(
        [
            records / "cnipa_pss_xls" / "ustb.xls",  # 北京科技大学, no address
            records / "epub_beijing",  # addresses, 北京科技大学's among them
            records / "taian",  # no address: 山东省矿业学院 ...
        ],
        workspace,
    )
    return workspace


def _applicant(ws: Workspace, number: str) -> dict[str, Any]:
    detail = cli_json("show", number, workspace=ws.root)
    assert isinstance(detail, dict)
    return next(p for p in detail["parties"] if p["role"] == "applicant")


def test_each_basis_and_the_counts_add_up(ws: Workspace) -> None:
    report = cli_json("regions", workspace=ws.root)
    assert isinstance(report, dict)
    stats = cli_json("stats", workspace=ws.root)
    assert isinstance(stats, dict)
    assert sum(report["applications"].values()) == stats["patents"]
    assert stats["by_region_basis"] == {k: v for k, v in report["applications"].items() if v}
    # (a) its own address: an epub_beijing publication of 北京科技大学
    assert _applicant(ws, "CN201810867572")["adcode"] == "110108"
    # (b) the same applicant's address on another record: the ustb.xls rows have none of their own
    answer = cli_json("analyze", "regions", "-s", "numbers:CN201710106452", "--level", "county", workspace=ws.root)
    assert isinstance(answer, dict)
    row = answer["rows"][0]
    assert (row["applicant_adcode"], row["applicant_history"], row["address"]) == ("110108", 1, 0)
    # (c) a place at the start of the name: 山东省矿业学院 (taian), a province
    answer = cli_json("analyze", "regions", "-s", "numbers:CN85102475", workspace=ws.root)
    assert isinstance(answer, dict)
    assert (answer["rows"][0]["applicant_province"], answer["rows"][0]["applicant_name"]) == ("山东省", 1)
    assert report["applications"]["address"] > 1000 and report["applications"]["applicant_history"] > 500


def test_names_of_places_that_say_nothing_for_sure_stay_unplaced() -> None:
    assert region_of_name("朝阳新材料有限公司").flag == "ambiguous"  # 朝阳市 (Liaoning) or 朝阳区 (Beijing)
    assert region_of_name("中山大学").adcode == ""  # named after a person, in Guangzhou
    assert region_of_name("泰安市泰山区某某机械厂").adcode == "370902"  # a county after its city
    assert region_of_name("中科创达软件科技（深圳）有限公司").adcode == "440300"  # the place in brackets


def test_indicator_basis_counts_add_up_and_strict_basis(ws: Workspace) -> None:
    args = ("indicator", "applications", "--region", "北京", "--years", "2010-2019", "--as-of", "2020-01-01")
    everything = cli_json(*args, workspace=ws.root)
    strict = cli_json(*args, "--region-basis", "address", workspace=ws.root)
    assert isinstance(everything, dict) and isinstance(strict, dict)
    total = sum(y["value"] for y in everything["total"]["series"])
    assert sum(everything["total"]["basis"].values()) == total
    assert everything["total"]["basis"]["applicant_history"] > 0  # the ustb.xls rows
    assert sum(y["value"] for y in strict["total"]["series"]) == everything["total"]["basis"]["address"]
    assert strict["meta"]["region_basis"] == ["address"]
    bad = run_cli(*args, "--region-basis", "guess", workspace=ws.root)
    assert bad.returncode != 0 and "region basis" in bad.stderr


def test_user_table_wins_and_reaches_search(ws: Workspace) -> None:
    table = ws.root / "applicant_regions.csv"
    table.write_text(
        "申请人,地址\n山东省矿业学院,山东省泰安市泰山区\n北京科技大学,110105\n某某公司,火星\n", encoding="utf-8"
    )
    before = cli_json("regions", workspace=ws.root)
    assert isinstance(before, dict) and before["table"]["changed_since_applied"]
    applied = cli_json("regions", "--apply", workspace=ws.root)
    assert isinstance(applied, dict)
    assert applied["changed"] > 500  # every ustb.xls row of 北京科技大学, and the 山东省矿业学院 rows
    assert any("row 4" in p and "火星" in p for p in applied["table"]["problems"])  # file, row and field named
    answer = cli_json("analyze", "regions", "-s", "numbers:CN85102475", "--level", "county", workspace=ws.root)
    assert isinstance(answer, dict)
    row = answer["rows"][0]
    assert (row["applicant_adcode"], row["user_table"]) == ("370902", 1)
    hits = cli_json("search", "region=泰山区", "--limit", "1000", workspace=ws.root)
    assert isinstance(hits, dict)
    assert "CN85102475" in [h["app_key"] for h in hits["hits"]]
    after = cli_json("regions", workspace=ws.root)
    assert isinstance(after, dict) and not after["table"]["changed_since_applied"]
    assert after["applications"]["user_table"] == applied["applications"]["user_table"] > 500


def test_indicator_page_and_export_show_the_basis(ws: Workspace, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from ipnav.config import Settings
    from ipnav.web.app import create_app

    client = TestClient(create_app(Settings(workspace=ws.root, public=True)))
    params = {"name": "applications", "region": "北京", "by": "county", "as_of": "2020-01-01"}
    page = client.get("/indicators", params=params)
    assert page.status_code == 200
    assert "同一申请人其他记录" in page.text  # the ustb.xls rows, placed by 北京科技大学's other records
    strict = client.get("/indicators", params={**params, "region_basis": "address"})
    assert '<option value="address" selected>仅本记录地址(严格)' in strict.text
    assert "同一申请人其他记录 " not in strict.text  # no row rests on it any more
    assert client.get("/indicators", params={**params, "region_basis": "guess"}).status_code in (400, 422)
    out = tmp_path / "applications.xlsx"
    args = ("indicator", "applications", "--region", "北京", "--by", "county", "--as-of", "2020-01-01")
    assert run_cli(*args, "--output", str(out), workspace=ws.root).returncode == 0
    from openpyxl import load_workbook

    sheet = load_workbook(out, read_only=True).worksheets[0]
    cells = {c.value for row in sheet.iter_rows(max_row=3) for c in row}  # a heading line, then the columns
    assert {"basis_address", "basis_applicant_history", "basis_applicant_name"} <= cells
