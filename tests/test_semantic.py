"""Semantic search: vectors of the applications, kept in step incrementally, and search by description
across languages."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest
from fastapi.testclient import TestClient

from ipnav.config import Settings
from ipnav.web.app import create_app
from tests.conftest import SAMPLE, cli_json, run_cli

APPS = 101 + 511 + 110  # the Chinese grant, the US designs, one company's and one university's patents
DEMANDS = Path(__file__).parent / "fixtures" / "matching" / "demands.csv"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One Chinese grant, a hundred US design patents of 2002, 511 Chinese patents of one company that
    cite each other (Patentics export) and 110 of Shenzhen University (CNIPA search export), embedded."""
    root = tmp_path_factory.mktemp("semantic")
    inputs = root / "in"
    inputs.mkdir()
    for name in ("cn/cn_old1.xml", "uspto/pg020507hundred.xml", "cn/cnipa_pss_xls/szu.xls"):
        shutil.copy(SAMPLE / name, inputs / Path(name).name)
    with zipfile.ZipFile(SAMPLE / "cn" / "patentics.zip") as bundle:
        bundle.extract("thundersoft_20221219.xlsx", inputs)
    ws = root / "ws"
    assert run_cli("ingest", str(inputs), "--json", workspace=ws).returncode == 0
    done = cli_json("embed", workspace=ws)
    assert isinstance(done, dict)
    assert done["computed"] == done["applications"] == done["embedded"] == APPS and done["share"] == 1.0
    assert done["index"] == {"added": APPS, "removed": 0, "vectors": APPS, "rebuilt": True, "shards": 1}
    return ws


def test_a_chinese_description_finds_english_patents(workspace: Path) -> None:
    found = cli_json("search", "--semantic", "电动牙刷", "--limit", "3", workspace=workspace)
    assert isinstance(found, dict) and found["mode"] == "semantic"
    titles = [hit["title"] for hit in found["hits"]]
    assert any("toothbrush" in title.lower() for title in titles), titles
    assert all(0 < hit["semantic"] <= 1 for hit in found["hits"])
    assert found["hits"] == sorted(found["hits"], key=lambda h: -h["semantic"])
    # and the reverse: English words find the Chinese grant on tobacco flavour from fermented liquorice
    found = cli_json("search", "--semantic", "tobacco flavouring made by fermenting liquorice with yeast",
                     "--limit", "1", workspace=workspace)  # fmt: skip
    assert isinstance(found, dict) and found["hits"][0]["app_key"] == "CN201410408762"


def test_embedding_again_embeds_only_what_changed(workspace: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(workspace, ws)
    again = cli_json("embed", workspace=ws)
    assert isinstance(again, dict) and again["computed"] == 0 and again["index"]["added"] == 0
    changed = tmp_path / "cn_old1.xml"  # the same grant, its abstract corrected
    text = (SAMPLE / "cn" / "cn_old1.xml").read_text(encoding="utf-8")
    changed.write_text(text.replace("本发明公开了一种甘草发酵", "本发明公开了一种经甘草发酵"), encoding="utf-8")
    assert run_cli("ingest", str(changed), "--json", workspace=ws).returncode == 0
    redone = cli_json("embed", workspace=ws)
    assert isinstance(redone, dict) and redone["computed"] == 1
    assert redone["index"]["added"] == 1 and redone["index"]["vectors"] == APPS and not redone["index"]["rebuilt"]


def test_semantic_search_before_embedding_says_what_to_do(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run_cli("ingest", str(SAMPLE / "cn" / "cn_old1.xml"), "--json", workspace=ws).returncode == 0
    result = run_cli("search", "--semantic", "烟用香料", workspace=ws)
    assert result.returncode == 2 and "ipnav embed" in result.stderr


def test_similar_patents_fuse_terms_meaning_citations_and_ipc_and_say_why(workspace: Path) -> None:
    found = cli_json("similar", "CN201811130989", "--limit", "5", workspace=workspace)
    assert isinstance(found, dict) and found["method"].startswith("hybrid")
    hits = {hit["app_key"]: hit for hit in found["hits"]}
    # the display-tuning patent it cites: shared words, near in meaning, cited, the same subclass G09G
    cited = hits["CN201611234280"]["reasons"]
    assert cited["citation"] == "cites" and "G09G" in cited["shared_ipc"]
    assert cited["lexical_rank"] and "背光" in cited["terms"] and cited["semantic"] > 0.5
    assert "背光" in cited["passage"] and cited["passage"] in hits["CN201611234280"]["abstract"]
    assert found["hits"][0]["app_key"] == "CN201611234280"  # every signal agrees: first
    assert found["hits"] == sorted(found["hits"], key=lambda h: -h["score"])
    assert found["coverage"]["share"] == 1.0
    # the API and the patent page give the same hits, with their reasons
    client = TestClient(create_app(Settings(workspace=workspace, public=True)))
    api = client.get("/api/similar/CN201811130989", params={"limit": 5}).json()
    assert [h["app_key"] for h in api["hits"]] == [h["app_key"] for h in found["hits"]]
    page = client.get("/patents/CN201811130989").text
    assert "语义相似度" in page and "本专利引用" in page and "G09G" in page


def _copy(workspace: Path, tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    shutil.copytree(workspace, ws)
    return ws


def test_demands_are_imported_matched_to_patents_and_exported(workspace: Path, tmp_path: Path) -> None:
    ws = _copy(workspace, tmp_path)
    result = run_cli("demand", "import", str(DEMANDS), "--json", workspace=ws)
    assert result.returncode == 3  # loaded, with a rejected row
    assert '"records": 4' in result.stdout and '"rejected": 1' in result.stdout
    assert "row 5: description" in result.stderr and "demands.csv" in result.stderr
    again = cli_json("demand", "import", str(DEMANDS), workspace=ws)
    assert isinstance(again, dict) and again["unchanged"] == 4 and again["inserted"] == 0
    # each hand-built need finds the patent written for it first, the English one across languages
    answers = {"T-001": "CN201410209785", "T-002": "CN201110210385", "T-003": "CN201611234280",
               "T-004": "CN201310138239"}  # fmt: skip
    for number, patent in answers.items():
        found = cli_json("demand", "match", number, "--status", "all", workspace=ws)
        assert isinstance(found, dict) and found["patents"][0]["app_key"] == patent, (number, found["patents"][:2])
    first = cli_json("demand", "match", "T-001", workspace=ws)
    assert isinstance(first, dict) and first["options"]["status"] == "valid"
    top = first["patents"][0]
    assert top["app_key"] == "CN201410209785" and top["legal_status"] == "valid"
    why = top["reasons"]
    assert why["owner_type"] == "university" and why["region"] == "city"  # 深圳大学, the need is in 深圳
    assert why["lexical_rank"] == 1 and {"角膜", "眼内压"} <= set(why["terms"]) and why["semantic"] > 0.3
    assert first["patents"] == sorted(first["patents"], key=lambda h: -h["score"])
    firms = cli_json("demand", "match", "T-001", "--owner-type", "enterprise", workspace=ws)
    assert isinstance(firms, dict) and firms["patents"]
    assert {h["reasons"]["owner_type"] for h in firms["patents"]} == {"enterprise"}
    # the other way round: which demands Shenzhen University's patents fit
    fits = cli_json("demand", "fits", "--owner", "深圳大学", workspace=ws)
    assert isinstance(fits, dict) and 0 < fits["patents"] < 110  # its valid ones of the 110
    assert {"T-001", "T-002", "T-004"} <= {d["number"] for d in fits["demands"]}
    assert "T-003" not in {d["number"] for d in fits["demands"]}  # display backlight: not theirs
    # the matchmaking workbook, contacts included, for the office that arranges the meetings
    target = tmp_path / "matches.xlsx"
    exported = cli_json("demand", "export", str(target), workspace=ws)
    assert isinstance(exported, dict) and exported["demands"] == 4 and exported["patents"] >= 4
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[0] == "需求总览" and "T-001" in book.sheetnames
    overview = " ".join(str(c) for row in book["需求总览"].iter_rows(values_only=True) for c in row)
    sheet = " ".join(str(c) for row in book["T-001"].iter_rows(values_only=True) for c in row)
    assert "T-001" in overview and "王工" in sheet and "CN201410209785" in sheet
    # the API answers the public without the enterprise's contact
    client = TestClient(create_app(Settings(workspace=ws, public=True)))
    listed = client.get("/api/demands").json()
    t001 = next(d for d in listed if d["number"] == "T-001")
    assert "contact" not in t001["values"] and "phone" not in t001["values"]
    api = client.get(f"/api/demands/{t001['app_key']}/matches", params={"status": "all"}).json()
    assert api["patents"][0]["app_key"] == "CN201410209785"
    page = client.get(f"/demands/{t001['app_key']}").text
    assert "一种测量眼内压和角膜粘弹性的系统和方法" in page and "13800000001" not in page


def test_follows_alert_on_new_demands_and_new_patents(workspace: Path, tmp_path: Path) -> None:
    ws = _copy(workspace, tmp_path)
    # a tech-transfer office follows its university: a new demand its patents fit arrives as an alert
    assert run_cli("demand", "follow", "--owner", "深圳大学", "--user", "tto", workspace=ws).returncode == 0
    added = cli_json("demand", "add", "--title", "乳腺超声图像病灶自动检测", "--description",
                     "医院需要对乳腺超声图像中的肿块病灶进行自动检测与分割的算法，辅助医生诊断。",
                     "--enterprise", "某医院", "--region", "常州市", workspace=ws)  # fmt: skip
    assert isinstance(added, dict) and added["number"].startswith("XQ") and added["city"] == "常州市"
    inbox = cli_json("alerts", "list", "--user", "tto", workspace=ws)
    assert isinstance(inbox, list) and [n["kind"] for n in inbox] == ["supply"]
    assert inbox[0]["item"] == added["number"] and "超声" in inbox[0]["detail"]["terms"]
    # the enterprise follows its demand: a new patent that fits, once embedded, arrives as an alert
    need = cli_json("demand", "add", "--title", "人造草坪填充颗粒回收筛选", "--description",
                    "体育场馆需要将旧人造草坪中的橡胶填充颗粒与沙子分离筛选后重复利用的装置。",
                    workspace=ws)  # fmt: skip
    assert isinstance(need, dict)
    assert run_cli("demand", "follow", need["number"], "--user", "admin", workspace=ws).returncode == 0
    assert run_cli("ingest", str(SAMPLE / "cn" / "cn_old2.xml"), "--json", workspace=ws).returncode == 0
    done = cli_json("embed", workspace=ws)
    assert isinstance(done, dict) and done["computed"] == 1 and done["alerts"] >= 1
    mine = cli_json("alerts", "list", "--user", "admin", workspace=ws)
    assert isinstance(mine, list)
    demand_alerts = [n for n in mine if n["kind"] == "demand"]
    assert demand_alerts and demand_alerts[0]["item"].startswith("CN") and "草坪" in demand_alerts[0]["title"]


def test_a_killed_embedding_resumes_where_it_stopped(workspace: Path, tmp_path: Path) -> None:
    ws = _copy(workspace, tmp_path)
    with duckdb.connect(str(ws / "warehouse.duckdb")) as con:
        con.execute("DELETE FROM embeddings")
    proc = subprocess.Popen(
        [sys.executable, "-m", "ipnav.cli", "embed", "--workers", "1"],
        env={**os.environ, "IPNAV_WORKSPACE": str(ws)}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True, start_new_session=True,
    )  # fmt: skip
    assert proc.stderr is not None
    for line in proc.stderr:  # the first batch is written: kill the run and its encoder
        if line.startswith(f"向量 embed 512/{APPS}"):
            os.killpg(proc.pid, signal.SIGKILL)
            break
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    resumed = cli_json("embed", workspace=ws)
    assert isinstance(resumed, dict) and resumed["computed"] == APPS - 512
    assert resumed["embedded"] == APPS and resumed["share"] == 1.0 and resumed["index"]["vectors"] == APPS
    found = cli_json("search", "--semantic", "测量眼内压和角膜粘弹性", "--limit", "3", workspace=ws)
    assert isinstance(found, dict) and "CN201410209785" in [hit["app_key"] for hit in found["hits"]]


def test_the_web_server_embeds_in_the_background_at_start_and_after_an_upload(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run_cli("ingest", str(SAMPLE / "cn" / "cn_old1.xml"), "--json", workspace=ws).returncode == 0
    assert (
        run_cli("user", "add", "boss", "--role", "admin", workspace=ws, stdin="correct horse battery\n").returncode == 0
    )
    with TestClient(create_app(Settings(workspace=ws, embed_in_background=True))) as admin:
        token = admin.get("/api/me").json()["csrf_token"]
        login = admin.post("/api/login", json={"name": "boss", "password": "correct horse battery"},
                           headers={"X-CSRF-Token": token})  # fmt: skip
        token = login.json()["csrf_token"]
        table = (
            "申请号,申请日,名称,摘要,申请(专利权)人\n"
            "202110991219.2,2021-08-27,一种人造草坪填充颗粒的回收筛选装置,将旧人造草坪中的橡胶颗粒与沙子分离后重复利用。,上传公司\n"
        )
        uploaded = admin.post("/ingest", data={"csrf_token": token}, follow_redirects=False,
                              files={"files": ("upload.csv", table.encode("utf-8"), "text/csv")})  # fmt: skip
        assert uploaded.status_code == 303
        deadline, page = time.time() + 120, ""
        while time.time() < deadline:  # the upload is ingested, then embedded, in the background
            page = admin.get("/ingest").text
            if "导入完成" in page and "2 / 2 (100.0%)" in page:
                break
            time.sleep(0.5)
        assert "已计算语义向量: 2 / 2 (100.0%)" in page, page[:3000]
        found = admin.get("/api/search/semantic", params={"text": "recycling the rubber infill of artificial turf"})
        assert found.json()["hits"][0]["title"] == "一种人造草坪填充颗粒的回收筛选装置"


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists() and os.environ.get("CI") != "true",
                    reason="Debian chromium is installed by scripts/setup.sh")  # fmt: skip
def test_an_analyst_posts_a_demand_and_reads_its_matches_in_the_browser(workspace: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    from tests.conftest import served

    ws = _copy(workspace, tmp_path)
    assert (
        run_cli("user", "add", "ana", "--role", "analyst", workspace=ws, stdin="correct horse battery\n").returncode
        == 0
    )
    errors: list[str] = []
    with served(ws) as base, sync_playwright() as pw:
        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=flags)
        page = browser.new_context(locale="zh-CN").new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(base + "/login")
        page.fill("input[name=name]", "ana")
        page.fill("input[name=password]", "correct horse battery")
        page.click("button[type=submit].primary")
        page.wait_for_url(base + "/")
        page.click("header nav >> text=技术供需")
        assert "100.0%" in page.inner_text("#embedding-coverage")
        page.fill("#demand-title", "无创测量眼内压")
        page.fill("#demand-description", "需要一种不接触眼球即可测量眼内压和角膜粘弹性的装置，用于青光眼筛查。")
        page.fill("#demand-enterprise", "深圳市某眼科器械有限公司")
        page.fill("#demand-region", "深圳市南山区")
        page.fill("input[name=contact]", "王工")
        page.click("#demand-save")
        page.wait_for_url(base + "/demands/*")
        assert "王工" in page.inner_text("#demand-contact")  # an analyst sees the contact
        first = page.locator("#match-list tbody tr").first
        assert "一种测量眼内压和角膜粘弹性的系统和方法" in first.inner_text() and "高校" in first.inner_text()
        assert "语义" in first.locator(".why").inner_text()  # the reasons are shown
        page.check("input[name=owner_type][value=enterprise]")
        page.click("#filter-go")
        kinds = page.locator("#match-list tbody tr td:nth-child(4)").all_inner_texts()
        assert kinds and set(kinds) <= {"企业"}, kinds
        page.goto(base + "/demands/fits?owner=深圳大学")
        assert "无创测量眼内压" in page.inner_text("#fits-list")
        page.goto(base + "/search/semantic")
        page.fill("#semantic-text", "electric toothbrush with a rotating head")
        page.click("#semantic-go")
        assert page.locator("#semantic-hits tbody tr").count() > 0
        browser.close()
    assert errors == []


def test_the_vector_index_is_cut_as_the_text_index_is(workspace: Path, tmp_path: Path) -> None:
    ws = _copy(workspace, tmp_path)
    queries = ("电动牙刷", "display backlight brightness adjusted to the picture", "测量眼内压和角膜粘弹性")
    before = [_semantic_api(ws, q) for q in queries]
    done = cli_json("reindex", "--shards", "2", workspace=ws)
    assert isinstance(done, dict) and done["vectors"]["rebuilt"] and done["vectors"]["vectors"] == APPS
    assert done["vectors"]["shards"] == 4  # CN-0, CN-1, US-0, US-1: as the text shards
    assert sorted(p.name for p in (ws / "vectors").glob("*.usearch")) == [
        "patents-CN-0.usearch", "patents-CN-1.usearch", "patents-US-0.usearch", "patents-US-1.usearch"]  # fmt: skip
    after = [_semantic_api(ws, q) for q in queries]
    for old, new in zip(before, after, strict=True):  # every shard asked, the best kept: the same answers
        assert isinstance(old, dict) and isinstance(new, dict)
        assert [h["app_key"] for h in new["hits"]] == [h["app_key"] for h in old["hits"]]
    changed = tmp_path / "cn_old1.xml"  # one application changes: one shard is rewritten
    text = (SAMPLE / "cn" / "cn_old1.xml").read_text(encoding="utf-8")
    changed.write_text(text.replace("本发明公开了一种甘草发酵", "本发明公开了一种经甘草发酵"), encoding="utf-8")
    stamps = {p.name: p.stat().st_mtime_ns for p in (ws / "vectors").glob("*.usearch")}
    assert run_cli("ingest", str(changed), "--json", workspace=ws).returncode == 0
    again = cli_json("embed", workspace=ws)
    assert isinstance(again, dict) and again["computed"] == 1 and again["index"]["added"] == 1
    assert again["index"]["vectors"] == APPS and not again["index"]["rebuilt"]
    rewritten = [p.name for p in (ws / "vectors").glob("*.usearch") if p.stat().st_mtime_ns != stamps[p.name]]
    assert len(rewritten) == 1 and rewritten[0].startswith("patents-CN-")


def _semantic_api(ws: Path, text: str) -> dict[str, object]:
    """The API's answer (in this process: the encoder is loaded once, not per command)."""
    client = TestClient(create_app(Settings(workspace=ws, public=True)))
    found = client.get("/api/search/semantic", params={"text": text, "limit": 5})
    assert found.status_code == 200, found.text
    return dict(found.json())
