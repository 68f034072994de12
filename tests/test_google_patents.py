"""A Google Patents CSV export, as a user downloads it from patents.google.com, loads like any other
source: its rows become patents, its bad rows are named rejects, and loading it again changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import cli_json, run_cli

EXPORT = Path(__file__).parent / "fixtures" / "google_patents" / "gp-search-battery.csv"


def test_google_patents_export_loads_with_named_rejects_and_is_idempotent(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    first = run_cli("ingest", str(EXPORT), "--json", workspace=ws)
    assert first.returncode == 3, first.stderr  # finished, with rejected rows
    summary = json.loads(first.stdout)
    assert (summary["records"], summary["inserted"], summary["rejected"]) == (10, 10, 2)

    rejects = cli_json("rejects", workspace=ws)
    assert {(r["position"], r["field"]) for r in rejects} == {(11, "filing_date"), (12, "id")}
    assert all(r["source_file"].endswith("gp-search-battery.csv") for r in rejects)

    stats = cli_json("stats", workspace=ws)
    assert stats["by_source_format"] == {"google_patents_csv": 10}

    patent = cli_json("show", "CN113783949A", workspace=ws)
    assert patent["titles"]["zh"] == "一种基于合约管理的跨链去中心化方法"
    assert [p["name"] for p in patent["parties"] if p["role"] == "applicant"] == ["浙商银行股份有限公司"]
    assert [p["name"] for p in patent["parties"] if p["role"] == "inventor"] == ["陈嘉俊", "臧铖", "郭东升"]
    assert str(patent["filing_date"]) == "2021-08-26"

    steel = cli_json("show", "US6837086B2", workspace=ws)
    assert [p["name"] for p in steel["parties"] if p["role"] == "applicant"] == ["Kobe Steel, Ltd."]
    assert steel["patent_type"] == "invention"

    hits = cli_json("search", "ti=跨链", workspace=ws)
    assert [h["first_pub_number"] for h in hits["hits"]] == ["CN113783949A"]

    again = json.loads(run_cli("ingest", str(EXPORT), "--json", workspace=ws).stdout)
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 10)
