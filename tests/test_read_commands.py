"""`ipnav stats / show / export / rejects` and the JSON API over one warehouse of all the shared data."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from ipnav.config import Settings, Workspace
from ipnav.web.app import create_app
from tests.conftest import SAMPLE, cli_json, run_cli


def test_stats_counts_by_format_country_type_year_status(full_workspace: Workspace) -> None:
    stats = cli_json("stats", workspace=full_workspace.root)
    assert stats["by_source_format"]["uspto_v4"] > 400
    assert stats["by_source_format"]["cnipa_old"] == 3
    # csv documents: cnki 4,800 + patentics 7,805 + 4,483 (172 in both) + epub_beijing 1,770, of which three
    # publications (CN105872940A, CN106888372A, CN108111839A) are also in the Patentics exports: one document each
    assert stats["by_source_format"]["csv"] == 4800 + 7805 + 4483 - 172 + 1770 - 3
    # the CNIPA search system's BIFF files: every row, and the four transfers their status column records
    assert stats["by_source_format"]["xls"] == 751 + 110 + 5 + 4
    assert stats["by_source_format"]["sql_dump"] == 4800
    assert stats["by_country"]["US"] > 450 and stats["by_country"]["CN"] > 4000
    assert stats["by_patent_type"]["design"] > 300
    assert stats["by_filing_year"]["2014"] >= 3
    assert sum(stats["by_legal_status"].values()) == stats["patents"]
    # 10 recorded assignments and pledges, 39 transfers in the ThunderSoft 法律描述 lists, 4 in the .xls statuses
    assert stats["transactions"] == 10 + 39 + 4
    assert stats["rejects"] > 0 and "file" in stats["rejects_by_reason"]


@pytest.mark.parametrize(
    "spelling",
    [
        "201410408762.5",
        "CN201410408762.5",
        "ZL201410408762.5",
        "2014104087625",
        "CN104223352A",
        "CN 104223352",
        "cn104223352a",
    ],
)
def test_show_accepts_any_common_spelling(full_workspace: Workspace, spelling: str) -> None:
    detail = cli_json("show", spelling, workspace=full_workspace.root)
    assert detail["app_key"] == "CN201410408762"
    applicant = next(p for p in detail["parties"] if p["role"] == "applicant")
    assert (applicant["province_name"], applicant["city_name"], applicant["county_name"]) == (
        "云南省",
        "昆明市",
        "五华区",
    )
    assert detail["sources"][0]["source_format"] == "cnipa_old"


def test_show_us_grant_by_patent_number_and_application(full_workspace: Workspace) -> None:
    by_pub = cli_json("show", "US 7,861,515 B2", workspace=full_workspace.root)
    by_app = cli_json("show", "11/777,902", workspace=full_workspace.root)
    assert by_pub["app_key"] == by_app["app_key"] == "US11777902"
    assert by_pub["claims_count"] == 17 and len(by_pub["claims"]) == 17


def test_show_links_assignments(full_workspace: Workspace) -> None:
    result = run_cli("show", "US10628795", "--json", workspace=full_workspace.root)
    # the assigned application is not among the shared grants, so it is an unknown number with a clear message
    assert result.returncode == 1 and "no patent with number" in result.stderr


def test_show_unknown_number_suggests_close_ones(full_workspace: Workspace) -> None:
    result = run_cli("show", "CN104223353A", workspace=full_workspace.root)
    assert result.returncode == 1
    assert "CN104223352A" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "parquet"])
def test_export_one_row_per_application(full_workspace: Workspace, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    summary = cli_json("export", "--format", fmt, "--out", str(target), workspace=full_workspace.root)
    patents = cli_json("stats", workspace=full_workspace.root)["patents"]
    assert summary["rows"] == patents
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(target, read_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][0] == "申请号 application_number"
        assert len(rows) == patents + 1
        assert any(r[0] == "CN201410408762.5" and r[7] == "一种甘草发酵所得烟用香料及其应用" for r in rows)
    elif fmt == "csv":
        assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel/WPS read UTF-8 with a BOM
        with target.open(encoding="utf-8-sig") as handle:
            assert sum(1 for _ in csv.reader(handle)) == patents + 1
    else:
        assert pq.read_table(target).num_rows == patents


def test_rejects_name_file_position_field_reason(full_workspace: Workspace) -> None:
    rejects = cli_json("rejects", workspace=full_workspace.root)
    assert rejects, "the shared data holds files ipnav does not read (JP gazette, APS text)"
    for reject in rejects:
        assert reject["source_file"] and reject["field"] and reject["reason"]
    jp = [r for r in rejects if r["source_file"].endswith("jp_example1.xml")]
    assert jp and "jp-official-gazette" in jp[0]["reason"]


@pytest.fixture(scope="module")
def client(full_workspace: Workspace) -> TestClient:
    return TestClient(create_app(Settings(workspace=full_workspace.root, public=True)))


def test_api_patent_stats_and_errors(client: TestClient) -> None:
    response = client.get("/api/patents/CN104223352A")
    assert response.status_code == 200
    assert response.json()["titles"]["zh"] == "一种甘草发酵所得烟用香料及其应用"
    missing = client.get("/api/patents/CN999999999A")
    assert missing.status_code == 404
    assert missing.json()["error"] == "RecordNotFound"
    stats = client.get("/api/stats").json()
    assert stats["patents"] > 4000
    rejects = client.get("/api/rejects", params={"limit": 5}).json()
    assert len(rejects) == 5
    assert client.get("/api/rejects", params={"limit": 0}).status_code == 422
    assert client.get("/openapi.json").json()["info"]["title"] == "ipnav API"
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "https://" not in docs.text and "http://" not in docs.text  # Swagger UI from npm, no CDN
    assert client.get("/assets/swagger/swagger-ui-bundle.js").status_code == 200


def test_reads_go_on_and_changes_wait_while_another_process_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess
    import sys

    monkeypatch.setenv("IPNAV_LOCK_WAIT", "1")
    ws = tmp_path / "ws"
    assert run_cli("ingest", str(SAMPLE / "cn"), workspace=ws).returncode in (0, 3)
    assert run_cli("user", "add", "ana", "--role", "analyst", workspace=ws, stdin="analyst-pass-1\n").returncode == 0
    client = TestClient(create_app(Settings(workspace=ws, public=True)))
    token = client.get("/api/me").json()["csrf_token"]
    body = {"name": "ana", "password": "analyst-pass-1"}
    token = client.post("/api/login", json=body, headers={"X-CSRF-Token": token}).json()["csrf_token"]
    before = client.get("/api/stats").json()["patents"]
    holder = subprocess.Popen(  # another process (an ingest) holds the warehouse read-write
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(ws / 'warehouse.duckdb')!r}); "
            "print('ready', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        response = client.get("/api/stats")  # reads the published snapshot: no wait, no error
        assert response.status_code == 200 and response.json()["patents"] == before
        assert client.get("/api/search", params={"q": "ti=电池"}).status_code == 200
        change = client.post("/api/topics", json={"name": "电池", "query": "ti=电池"}, headers={"X-CSRF-Token": token})
        assert change.status_code == 503 and change.json()["error"] == "WarehouseBusy"
    finally:
        holder.kill()
        holder.wait()
    created = client.post("/api/topics", json={"name": "电池", "query": "ti=电池"}, headers={"X-CSRF-Token": token})
    assert created.status_code == 200
    assert [t["name"] for t in client.get("/api/topics").json()] == ["电池"]  # published at once
