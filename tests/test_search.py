"""Search over the real shared data: Chinese substring recall, fields, ranges, hierarchy, regions, paging."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import duckdb
import opencc
import pytest
from fastapi.testclient import TestClient

from ipnav.config import Settings, Workspace
from ipnav.normalize import text as analysis
from ipnav.search.service import open_index
from ipnav.store.reads import load_patent
from ipnav.store.warehouse import Warehouse
from ipnav.web.app import create_app
from tests.conftest import cli_json, run_cli


@pytest.fixture(scope="module")
def texts(full_workspace: Workspace) -> dict[str, str]:
    """Folded title+abstract+claims of every application, computed without the index."""
    with Warehouse(full_workspace.warehouse_path, read_only=True) as wh:
        keys = [r[0] for r in wh.con.execute("SELECT app_key FROM patents").fetchall()]
        out = {}
        for key in keys:
            p = load_patent(wh, key)
            parts = [*p.titles.values(), *p.abstracts.values(), *p.claims]
            out[key] = "\n".join(analysis.fold(t) for t in parts)
    return out


def _all_keys(workspace: Workspace, query: str) -> set[str]:
    return set(open_index(workspace).iter_keys(query))


def _query_strings(texts: dict[str, str], count: int = 200) -> list[str]:
    rng = random.Random(20261123)
    runs = sorted({run for text in texts.values() for run in analysis.cjk_runs(text) if len(run) >= 1})
    out: list[str] = []
    while len(out) < count:
        run = rng.choice(runs)
        length = rng.randint(1, min(6, len(run)))
        start = rng.randint(0, len(run) - length)
        candidate = run[start : start + length]
        if candidate not in out:
            out.append(candidate)
    return out


def test_chinese_substring_recall_is_complete_and_precise(full_workspace: Workspace, texts: dict[str, str]) -> None:
    queries = _query_strings(texts)
    assert {len(q) for q in queries} == {1, 2, 3, 4, 5, 6}
    true_positives = false_positives = expected_total = 0
    for query in queries:
        truth = {key for key, text in texts.items() if query in text}
        found = _all_keys(full_workspace, f'"{query}"')
        missing = truth - found
        assert not missing, f"{query!r}: {len(missing)} texts containing it were not found, e.g. {sorted(missing)[:3]}"
        true_positives += len(found & truth)
        false_positives += len(found - truth)
        expected_total += len(truth)
    precision = true_positives / (true_positives + false_positives)
    assert expected_total > 1000
    assert precision >= 0.99, precision


def test_traditional_queries_find_simplified_texts(full_workspace: Workspace, texts: dict[str, str]) -> None:
    to_traditional = opencc.OpenCC("s2t")
    for query in ("电池", "计算机", "数据处理", "专利", "图像识别"):
        traditional = to_traditional.convert(query)
        assert traditional != query
        truth = {key for key, text in texts.items() if query in text}
        assert truth and _all_keys(full_workspace, traditional) == truth


def test_full_width_and_case_fold(full_workspace: Workspace) -> None:
    assert _all_keys(full_workspace, "ＳＮＡＣＫ") == _all_keys(full_workspace, "snack") != set()


def _sql(workspace: Workspace, sql: str) -> set[str]:
    con = duckdb.connect(str(workspace.warehouse_path), read_only=True)
    try:
        return {r[0] for r in con.execute(sql).fetchall()}
    finally:
        con.close()


def test_fielded_range_hierarchy_and_region_queries_match_sql(full_workspace: Workspace) -> None:
    ws = full_workspace
    cases = {
        "ipc=A61K": "SELECT app_key FROM classifications WHERE scheme='ipc' AND symbol LIKE 'A61K%'",
        "ipc=H01L21/*": "SELECT app_key FROM classifications WHERE scheme='ipc' AND symbol LIKE 'H01L21/%'",
        "ad=[2015-01-01 TO 2019-12-31]": "SELECT app_key FROM patents "
        "WHERE filing_date BETWEEN '2015-01-01' AND '2019-12-31'",
        "ad>=2020": "SELECT app_key FROM patents WHERE filing_date >= '2020-01-01'",
        "pd=2014": "SELECT app_key FROM patents WHERE year(first_pub_date) = 2014",
        "region=昆明": "SELECT app_key FROM parties WHERE role IN ('applicant','assignee') AND adcode LIKE '5301%'",
        "region=浙江": "SELECT app_key FROM parties WHERE role IN ('applicant','assignee') AND adcode LIKE '33%'",
        "cc=US AND type=design": "SELECT app_key FROM patents WHERE country='US' AND patent_type='design'",
        "pa=华为": "SELECT app_key FROM parties WHERE role IN ('applicant','assignee') AND name LIKE '%华为%'",
        "in=张 AND ad>=2024": "SELECT app_key FROM parties p JOIN patents USING (app_key) "
        "WHERE role='inventor' AND name LIKE '%张%' AND filing_date >= '2024-01-01'",
    }
    for query, sql in cases.items():
        expected = _sql(ws, sql)
        assert expected, query
        assert _all_keys(ws, query) == expected, query
    search = cli_json("search", "pa=华为", "--limit", "5", workspace=ws.root)
    assert search["total"] == len(_sql(ws, cases["pa=华为"]))


def test_numbers_in_any_spelling(full_workspace: Workspace) -> None:
    for query in (
        "pn=CN104223352A",
        "pn=104223352",
        "an=201410408762.5",
        "an=CN201410408762",
        "申请号=ZL201410408762.5",
    ):
        assert _all_keys(full_workspace, query) == {"CN201410408762"}, query
    assert _all_keys(full_workspace, "pn=US7861515") == {"US11777902"}


def test_boolean_operators_in_english_and_chinese(full_workspace: Workspace) -> None:
    ws = full_workspace
    a, b = _all_keys(ws, "电池"), _all_keys(ws, "充电")
    assert _all_keys(ws, "电池 AND 充电") == _all_keys(ws, "电池 与 充电") == a & b
    assert _all_keys(ws, "电池 OR 充电") == _all_keys(ws, "电池 或 充电") == a | b
    assert _all_keys(ws, "电池 NOT 充电") == _all_keys(ws, "电池 非 充电") == a - b
    assert _all_keys(ws, "名称=(电池 或 充电)") == _all_keys(ws, "ti=电池 OR ti:充电")


def test_english_stemming_phrases_and_wildcards(full_workspace: Workspace) -> None:
    ws = full_workspace
    assert _all_keys(ws, "batteries") == _all_keys(ws, "battery") != set()
    assert "US11777902" in _all_keys(ws, '"exhaust gas oxygen sensor"')
    assert _all_keys(ws, '"oxygen exhaust"') == set()
    assert _all_keys(ws, "batter*") >= _all_keys(ws, "battery")


def test_paging_with_cursor_reaches_every_hit_and_all_streams_them(full_workspace: Workspace) -> None:
    ws = full_workspace
    client = TestClient(create_app(Settings(workspace=ws.root, public=True)))  # pages in process: fast
    seen: list[str] = []
    cursors: list[str] = []
    cursor = None
    while True:
        params = {"q": "电", "limit": 97, "facets": False} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/search", params=params).json()
        seen += [h["app_key"] for h in page["hits"]]
        cursor = page["cursor"]
        if not cursor:
            break
        cursors.append(cursor)
    assert len(seen) == len(set(seen)) == page["total"] == len(_all_keys(ws, "电"))
    # the command line pages the same way: its second page is the API's second page
    second = cli_json("search", "电", "--limit", "97", "--cursor", cursors[0], workspace=ws.root)
    assert [h["app_key"] for h in second["hits"]] == seen[97:194] and second["cursor"] == cursors[1]
    streamed = run_cli("search", "电", "--all", "--json", workspace=ws.root)
    lines = [json.loads(line) for line in streamed.stdout.splitlines()]
    assert {row["app_key"] for row in lines} == set(seen)


def test_results_collapse_by_application_and_sort_by_date(full_workspace: Workspace) -> None:
    page = cli_json("search", "pn=EP1000000", workspace=full_workspace.root)
    assert page["total"] == 1
    assert page["hits"][0]["publications"] == ["EP1000000A1 (2000-05-17)", "EP1000000B1 (2003-02-12)"]
    newest = cli_json("search", "ti=电池", "--sort", "-ad", "--limit", "50", workspace=full_workspace.root)
    dates = [h["filing_date"] for h in newest["hits"]]
    assert dates == sorted(dates, reverse=True)
    assert "<em>电池</em>" in newest["hits"][0]["title_html"]


def test_facet_counts_are_exact(full_workspace: Workspace) -> None:
    page = cli_json("search", "ad>=2020", "--facets", workspace=full_workspace.root)
    years = page["facets"]["filing_year"]
    expected = {}
    con = duckdb.connect(str(full_workspace.warehouse_path), read_only=True)
    sql = "SELECT filing_year, count(*) FROM patents WHERE filing_date >= '2020-01-01' GROUP BY 1"
    for year, n in con.execute(sql).fetchall():
        expected[str(year)] = n
    con.close()
    assert years == expected
    assert sum(page["facets"]["country"].values()) == page["total"]


def test_malformed_queries_name_the_position(full_workspace: Workspace) -> None:
    result = run_cli("search", "ti=(电池 OR", workspace=full_workspace.root)
    assert result.returncode == 2 and "position 9" in result.stderr and "Traceback" not in result.stderr
    client = TestClient(create_app(Settings(workspace=full_workspace.root, public=True)))
    response = client.get("/api/search", params={"q": "foo=bar"})
    assert response.status_code == 400
    assert response.json()["position"] == 0 and "unknown field" in response.json()["detail"]
    ok = client.get("/api/search", params={"q": "ti=电池", "limit": 3}).json()
    assert len(ok["hits"]) == 3 and ok["cursor"] and ok["facets"]["country"]


def test_dates_out_of_range_are_query_errors_with_position(full_workspace: Workspace) -> None:
    cases = [("ad>=2263", 4), ("ad<1600", 3), ("pd=3000", 3), ("ad=[2020 TO 9999]", 12), ("gd=2020-13", 3),
             ("ti=电池 AND ad=(2020 OR 3000)", 22)]  # fmt: skip
    for query, position in cases[:2]:  # the command line: the error line, exit 2
        result = run_cli("search", query, workspace=full_workspace.root)
        assert result.returncode == 2, result.stderr
        assert f"position {position}" in result.stderr and "unexpected" not in result.stderr
    client = TestClient(create_app(Settings(workspace=full_workspace.root, public=True)))
    for query, position in cases:
        response = client.get("/api/search", params={"q": query})
        assert response.status_code == 400 and response.json()["position"] == position, query
        assert "date" in response.json()["detail"]
    assert client.get("/api/search", params={"q": "ad=[1790 TO 2199-12-31]", "limit": 1}).status_code == 200


def test_reingesting_changed_records_leaves_no_stale_hit(tmp_path: Path) -> None:
    header = "申请号,申请日,名称,申请(专利权)人\n"
    table = tmp_path / "rows.csv"
    table.write_text(header + "201410408762.5,2014-08-19,一种石墨烯散热膜,甲公司\n", encoding="utf-8")
    ws = tmp_path / "ws"
    cli_json("ingest", str(table), workspace=ws)
    assert cli_json("search", "石墨烯", workspace=ws)["total"] == 1
    table.write_text(header + "201410408762.5,2014-08-19,一种碳纳米管导热膜,甲公司\n", encoding="utf-8")
    second = cli_json("ingest", str(table), workspace=ws)
    assert second["updated"] == 1
    assert cli_json("search", "石墨烯", workspace=ws)["total"] == 0
    assert cli_json("search", "碳纳米管", workspace=ws)["total"] == 1
    rebuilt = cli_json("reindex", workspace=ws)
    assert rebuilt["indexed"] == 1
    assert cli_json("search", "碳纳米管", workspace=ws)["total"] == 1


def test_query_language_doc_examples_all_parse() -> None:
    from ipnav.search.query import parse
    from ipnav.trademarks.query import parse_query

    doc = (Path(__file__).resolve().parents[1] / "docs" / "query-language.md").read_text(encoding="utf-8")
    patents, _, marks = doc.partition("## Trademarks")
    examples = re.findall(r"^    (\S.*)$", patents, flags=re.M)
    assert len(examples) >= 15
    for example in examples:
        parse(example)
    mark_examples = re.findall(r"^    (\S.*)$", marks, flags=re.M)  # the trademark fields: 商标, 类别, 类似群 ...
    assert len(mark_examples) >= 4
    for example in mark_examples:
        parse_query(example)


def test_similar_patents_share_the_distinctive_subject(full_workspace: Workspace) -> None:
    data = cli_json("similar", "CN202110991218.8", "--limit", "5", workspace=full_workspace.root)
    assert data["app_key"] == "CN202110991218"
    assert "跨链" in data["terms"]
    keys = [h["app_key"] for h in data["hits"]]
    assert data["app_key"] not in keys and len(keys) == 5
    assert sum("区块链" in (h["title"] or "") for h in data["hits"]) >= 2
    client = TestClient(create_app(Settings(workspace=full_workspace.root, public=True)))
    api = client.get("/api/similar/CN113783949A", params={"limit": 5}).json()
    assert [h["app_key"] for h in api["hits"]] == keys


def test_bulk_load_without_index_is_searched_after_reindex_and_reads_never_write(tmp_path: Path) -> None:
    table = tmp_path / "rows.csv"
    table.write_text(
        "申请号,申请日,名称,申请(专利权)人\n201410408762.5,2014-08-19,一种石墨烯散热膜,甲公司\n", encoding="utf-8"
    )
    ws = tmp_path / "ws"
    summary = run_cli("ingest", str(table), "--no-index", "--json", workspace=ws)
    assert json.loads(summary.stdout)["inserted"] == 1
    assert not (ws / "index" / "indexed-run").exists()
    behind = run_cli("search", "石墨烯", workspace=ws)  # a read does not rebuild the index: it says what to run
    assert behind.returncode == 2 and "ipnav reindex" in behind.stderr, behind.stderr
    assert not (ws / "index" / "indexed-run").exists()
    nav = run_cli("analyze", "trends", "-s", "ti=石墨烯", workspace=ws)
    assert nav.returncode == 2 and "ipnav reindex" in nav.stderr
    assert cli_json("reindex", workspace=ws)["indexed"] == 1
    assert cli_json("search", "石墨烯", workspace=ws)["total"] == 1
