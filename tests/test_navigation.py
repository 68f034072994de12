"""Patent navigation: every analysis against values counted independently from the parsed records."""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections import Counter
from pathlib import Path

import duckdb
import openpyxl
import pytest
from fastapi.testclient import TestClient

from ipnav.config import Settings, Workspace
from ipnav.ingest.pipeline import parse_source
from ipnav.ingest.sources import iter_sources
from ipnav.model import Patent
from ipnav.normalize.names import canonical_name
from ipnav.store.merge import merge_documents
from ipnav.web.app import create_app
from tests.conftest import cli_json, load, run_cli, shared

AS_OF = "2026-11-23"


@pytest.fixture(scope="module")
def nav(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, dict[str, Patent]]:
    paths = [shared("uspto", "grants_red_book"), shared("cn", "cnipa_xml"), shared("cn", "records", "cnki_patents.csv")]
    ws = Workspace(tmp_path_factory.mktemp("nav") / "ws")
    load(paths, ws)
    # the application each parsed record belongs to, as ingest linked it (a CNKI row without a number lists
    # an application's A and B publications apart: one application, counted once)
    con = duckdb.connect(str(ws.warehouse_path), read_only=True)
    owner = dict(con.execute("SELECT doc_key, app_key FROM documents").fetchall())
    con.close()
    docs: dict[str, list[Patent]] = {}
    for source in iter_sources(paths):
        for item in parse_source(source):
            if isinstance(item, Patent):
                docs.setdefault(owner[item.doc_key], []).append(item)
    return ws, {key: merge_documents(group) for key, group in docs.items()}


def analysis(ws: Workspace, kind: str, *args: str) -> list[dict]:  # type: ignore[type-arg]
    return cli_json("analyze", kind, "--as-of", AS_OF, *args, workspace=ws.root)["rows"]  # type: ignore[index]


def owners(p: Patent) -> list[str]:
    names = [x.name for x in p.parties if x.role in ("applicant", "assignee")]
    return sorted({canonical_name(n) for n in names})


def test_filing_trend_matches_records_and_marks_recent_years(nav: tuple[Workspace, dict[str, Patent]]) -> None:
    ws, patents = nav
    expected = Counter(p.filing_date.year for p in patents.values() if p.filing_date)
    rows = analysis(ws, "trends")
    assert {r["year"]: r["filings"] for r in rows if r["filings"]} == dict(expected)
    # incomplete: the 18 months before the data's horizon (its latest publication, at most the as-of date)
    horizon = dt.date.fromisoformat(rows[-1]["horizon"])
    latest = max(p.publications[0].date for p in patents.values() if p.publications and p.publications[0].date)
    assert horizon <= dt.date.fromisoformat(AS_OF) and horizon >= min(latest, dt.date.fromisoformat(AS_OF))
    cutoff = horizon - dt.timedelta(days=548)
    assert all(r["incomplete"] == (dt.date(r["year"], 12, 31) > cutoff) for r in rows)


def test_applicant_ranking_merges_spellings(nav: tuple[Workspace, dict[str, Patent]]) -> None:
    ws, patents = nav
    counts: Counter[str] = Counter()
    for p in patents.values():
        counts.update(owners(p))
    rows = analysis(ws, "applicants", "--limit", "10")
    assert [(r["entity"], r["applications"]) for r in rows] == sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[
        :10
    ]
    huawei = next(r for r in rows if r["entity"] == "华为技术")
    assert huawei["type"] == "enterprise" and huawei["share"] == round(huawei["applications"] / len(patents), 4)


def test_ipc_subclass_country_and_type_counts(nav: tuple[Workspace, dict[str, Patent]]) -> None:
    ws, patents = nav
    sub: Counter[str] = Counter()
    for p in patents.values():
        sub.update({c.symbol[:4] for c in p.classifications if c.scheme == "ipc"})
    rows = analysis(ws, "ipc", "--limit", "5")
    assert [(r["code"], r["applications"]) for r in rows] == sorted(sub.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    assert all(r["title_zh"] or r["title_en"] for r in rows)
    assert next(r for r in rows if r["code"] == "G06F")["title_zh"] == "电数字数据处理"
    countries = {r["country"]: r["applications"] for r in analysis(ws, "countries")}
    assert countries == dict(Counter(p.country for p in patents.values()))
    types = {r["patent_type"]: r["applications"] for r in analysis(ws, "patent_types")}
    assert types == dict(Counter(p.patent_type for p in patents.values()))


def test_concentration_and_network(nav: tuple[Workspace, dict[str, Patent]]) -> None:
    ws, patents = nav
    counts: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for p in patents.values():
        names = owners(p)
        counts.update(names)
        pairs.update(itertools.combinations(names, 2))
    total = sum(counts.values())
    shares = sorted((n / total for n in counts.values()), reverse=True)
    (row,) = analysis(ws, "concentration")
    assert row["cr4"] == round(sum(shares[:4]), 4)
    assert row["hhi"] == round(sum((s * 100) ** 2 for s in shares), 1)
    network = analysis(ws, "network", "--limit", "100000")
    assert {(r["source"], r["target"]): r["weight"] for r in network} == dict(pairs)


def test_regions_and_sei(nav: tuple[Workspace, dict[str, Patent]]) -> None:
    ws, _ = nav
    strict = analysis(ws, "regions", "--region-basis", "address")  # the records' own addresses only
    assert {r["applicant_province"]: r["applications"] for r in strict} == {"云南省": 1, "浙江省": 2}
    # cn_old1 (昆明), cn_old4 (温州), cn_new2 (杭州); the CNKI rows have no address
    option = cli_json("analyze", "regions", "--region-basis", "address", workspace=ws.root)["option"]  # type: ignore[index]
    assert option["series"][0]["map"] == "china"
    assert {d["name"]: d["value"] for d in option["series"][0]["data"]} == {"云南": 1, "浙江": 2}  # map names
    answer = cli_json("analyze", "regions", "--as-of", AS_OF, workspace=ws.root)
    assert isinstance(answer, dict)
    for row in answer["rows"]:  # every row says what its figure rests on, and the parts add up
        assert row["applications"] == sum(
            row[b] for b in ("address", "user_table", "applicant_history", "applicant_name")
        )
    yunnan = next(r for r in answer["rows"] if r["applicant_province"] == "云南省")
    assert yunnan["address"] == 1 and yunnan["applicant_name"] > 20  # 云南XX大学 ... at the start of the name
    assert sum(answer["region_basis"].values()) == answer["applications"]
    assert answer["region_basis"]["unresolved"] > 0 and answer["region_basis"]["abroad"] > 0
    sei = analysis(ws, "sei")
    assert any(r["sei_code"].startswith("1.") for r in sei)


def test_every_analysis_has_a_chart_option(nav: tuple[Workspace, dict[str, Patent]]) -> None:
    ws, _ = nav
    pack = cli_json("navigate", "-s", "ti=电池 OR ti=battery", "--as-of", AS_OF, workspace=ws.root)
    assert pack["applications"] == len(pack["keys"]) > 0
    assert len(pack["analyses"]) == 22
    for kind, result in pack["analyses"].items():
        assert result["option"]["title"]["text"] == result["title_zh"], kind
        if result["rows"]:
            assert "series" in result["option"], kind
        else:  # nothing to draw: the chart says why instead of empty axes (issue 15)
            assert "series" not in result["option"] and result["option"]["empty"]["zh"], kind


def test_topic_lifecycle_and_refresh_reports_what_came_in(
    nav: tuple[Workspace, dict[str, Patent]], tmp_path: Path
) -> None:
    ws, _ = nav
    created = cli_json("topic", "create", "区块链", "--query", "ti=区块链", "--description", "测试", workspace=ws.root)
    first = created["size"]
    assert first > 0
    added = cli_json("topic", "add", "区块链", "CN104223352A", workspace=ws.root)
    assert added["size"] == first + 1 and added["manual"] == 1
    removed = cli_json("topic", "remove", "区块链", created["keys"][0], workspace=ws.root)
    assert removed["size"] == first
    extra = tmp_path / "new.csv"
    extra.write_text(
        "申请号,申请日,名称,申请(专利权)人\n202110991219.2,2021-08-27,一种区块链存证方法,乙公司\n", encoding="utf-8"
    )
    assert run_cli("ingest", str(extra), workspace=ws.root).returncode == 0
    refreshed = cli_json("topic", "refresh", "区块链", workspace=ws.root)
    assert refreshed["came_in"] == ["CN202110991219"] and refreshed["went_out"] == []
    assert created["keys"][0] not in cli_json("topic", "show", "区块链", workspace=ws.root)["keys"]  # stays removed
    analysis_rows = analysis(ws, "applicants", "-s", "topic:区块链", "--limit", "100")
    assert sum(r["applications"] for r in analysis_rows) >= refreshed["size"] - 1
    assert [t["name"] for t in cli_json("topic", "list", workspace=ws.root)] == ["区块链"]
    client = TestClient(create_app(Settings(workspace=ws.root, public=True)))
    assert client.get("/api/topics/区块链").json()["size"] == refreshed["size"]
    api = client.get("/api/analyze/countries", params={"selection": "topic:区块链"}).json()
    assert api["applications"] == refreshed["size"]
    cli_json("topic", "delete", "区块链", workspace=ws.root)
    assert client.get("/api/topics/区块链").status_code == 404


def test_excel_report_has_hit_list_and_native_charts(nav: tuple[Workspace, dict[str, Patent]], tmp_path: Path) -> None:
    ws, _ = nav
    out = tmp_path / "report.xlsx"
    cli_json("report", "-s", "ti=电池", "--format", "xlsx", "--out", str(out), workspace=ws.root)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:2] == ["概览 overview", "命中清单 hits"]
    hits = book["命中清单 hits"]
    expected = cli_json("search", "ti=电池", workspace=ws.root)["total"]
    assert hits.max_row == expected + 1
    # networks and matrices are tables in Excel, graphs and heat maps on the web
    graphs = ("合作申请网络", "发明人团队", "申请人引证关系", "申请人 × 技术领域（IPC小类）", "申请人 × 申请年")
    analyses = book.worksheets[2:]
    assert len(analyses) == 22
    for sheet in analyses:
        has_data = sheet.max_row > 2
        if has_data and not sheet.title.endswith(graphs):
            assert sheet._charts, f"{sheet.title} has data but no chart"
    assert sum(1 for sheet in analyses if sheet._charts) >= 8
    assert run_cli("report", "--format", "odt", workspace=ws.root).returncode == 2


def test_unknown_analysis_is_a_clear_error(nav: tuple[Workspace, dict[str, Patent]]) -> None:
    ws, _ = nav
    result = run_cli("analyze", "nonsense", workspace=ws.root)
    assert result.returncode == 2 and "unknown analysis 'nonsense'" in result.stderr
    assert dt.date.fromisoformat(AS_OF)


def test_top_terms_count_applications(nav: tuple[Workspace, dict[str, Patent]]) -> None:
    from ipnav.normalize import text

    ws, patents = nav
    rows = analysis(ws, "terms", "--limit", "5")
    assert len(rows) == 5
    for row in rows:
        containing = sum(
            1
            for p in patents.values()
            if row["term"] in text.fold(" ".join([*p.titles.values(), *p.abstracts.values()]))
        )
        assert 0 < row["applications"] <= containing, row


SNAPSHOT = Path(__file__).parent / "snapshots" / "report_structure.txt"


def test_word_report_follows_the_navigation_structure(nav: tuple[Workspace, dict[str, Patent]], tmp_path: Path) -> None:
    import docx

    ws, _ = nav
    out = tmp_path / "report.docx"
    cli_json("report", "-s", "all", "--format", "docx", "--out", str(out), "--as-of", AS_OF, workspace=ws.root)
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    structure = "\n".join(headings) + "\n"
    if os.environ.get("IPNAV_SNAPSHOT_UPDATE"):  # regenerate: IPNAV_SNAPSHOT_UPDATE=1 pytest ...; review the diff
        SNAPSHOT.write_text(structure, encoding="utf-8")
    assert structure == SNAPSHOT.read_text(encoding="utf-8")
    assert len(document.inline_shapes) >= 12  # chart images
    assert len(document.tables) >= 12
    text = "\n".join(p.text for p in document.paragraphs)
    assert "排名第一的申请人为" in text and "赫芬达尔指数HHI" in text and "申请年份跨度" in text


def test_pdf_report_embeds_a_chinese_font_and_renders(nav: tuple[Workspace, dict[str, Patent]], tmp_path: Path) -> None:
    import subprocess

    ws, _ = nav
    out = tmp_path / "report.pdf"
    cli_json("report", "-s", "ti=电池", "--format", "pdf", "--out", str(out), "--as-of", AS_OF, workspace=ws.root)
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert "WenQuanYi" in fonts and " yes " in fonts  # embedded: every viewer has the glyphs
    text = subprocess.run(["pdftotext", "-l", "2", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "专利导航分析报告" in text and "二、专利态势分析" in text
    subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", str(out), str(tmp_path / "page")], check=True)
    page = next(tmp_path.glob("page*.png"))
    artifacts = Path(__file__).resolve().parents[1] / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "report-page-1.png").write_bytes(page.read_bytes())
    assert page.stat().st_size > 20_000  # a rendered page with text and a chart, not a blank one


def test_html_report_is_self_contained(nav: tuple[Workspace, dict[str, Patent]], tmp_path: Path) -> None:
    ws, _ = nav
    out = tmp_path / "report.html"
    cli_json("report", "-s", "ti=电池", "--format", "html", "--out", str(out), "--as-of", AS_OF, workspace=ws.root)
    page = out.read_text(encoding="utf-8")
    assert page.count("<svg") >= 8 and "<h2>七、结论与建议</h2>" in page
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page


def test_inventor_teams_match_pairs_counted_from_records(nav: tuple[Workspace, dict[str, Patent]]) -> None:
    ws, patents = nav
    pairs: Counter[tuple[str, str]] = Counter()
    for p in patents.values():
        names = sorted({x.name for x in p.parties if x.role == "inventor"})
        pairs.update(itertools.combinations(names, 2))
    expected = sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    rows = analysis(ws, "inventor_teams", "--limit", "10")
    assert [((r["source"], r["target"]), r["weight"]) for r in rows] == expected


def test_user_merge_table_joins_applicants(nav: tuple[Workspace, dict[str, Patent]]) -> None:
    ws, _ = nav
    before = {r["entity"]: r for r in analysis(ws, "applicants", "--limit", "100000")}
    a, b = "华为技术", "华为终端"
    assert a in before and b in before
    merge = ws.root / "applicant_merge.csv"
    merge.write_text(f"{b},{a}\n", encoding="utf-8")  # alias (canonical spelling), merged name
    try:
        after = {r["entity"]: r for r in analysis(ws, "applicants", "--limit", "100000")}
    finally:
        merge.unlink()
    assert b not in after
    assert after[a]["spellings"] == before[a]["spellings"] + before[b]["spellings"]
    assert (
        before[a]["applications"] <= after[a]["applications"] <= before[a]["applications"] + before[b]["applications"]
    )


def test_inventor_ranking_matches_records(nav: tuple[Workspace, dict[str, Patent]]) -> None:
    ws, patents = nav
    counts: Counter[str] = Counter()
    for p in patents.values():
        counts.update({x.name for x in p.parties if x.role == "inventor"})
    rows = analysis(ws, "inventors", "--limit", "10")
    assert [(r["inventor"], r["applications"]) for r in rows] == sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[
        :10
    ]
