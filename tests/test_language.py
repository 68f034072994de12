"""Chinese first, complete (issue 15, item 1 and 9): every page a user opens in Chinese shows no code value
of the model and no English header; the charts and the reports follow the user's language."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from ipnav.config import Settings
from ipnav.web.app import create_app
from tests.conftest import cli_json, run_cli

PASSWORD = "correct horse 42"
# the model's code values and the English column names of the analyses: none may reach a Chinese page
CODE_WORDS = (
    "valid", "lapsed", "pending", "unknown", "invention", "utility_model", "utility model", "applicant", "inventor",
    "agent", "agency", "enterprise", "university", "entity", "applications", "spellings", "share", "type", "code",
    "population", "year", "filings", "publications", "grants", "incomplete", "not_granted", "running", "finished",
    "failed", "status", "rejected", "updated", "unchanged", "None", "True", "False", "published",
    "withdrawn", "invalidated", "measure", "band",
)  # fmt: skip


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workspace (sample data, home region, plans) with an admin who reads Chinese."""
    root = tmp_path_factory.mktemp("language") / "ws"
    assert run_cli("demo", "--no-serve", workspace=root).returncode == 0
    assert run_cli("user", "add", "boss", "--role", "admin", workspace=root, stdin=PASSWORD + "\n").returncode == 0
    return root


@pytest.fixture(scope="module")
def admin(demo: Path) -> TestClient:
    client = TestClient(create_app(Settings(workspace=demo)))
    token = client.get("/api/me").json()["csrf_token"]
    answer = client.post("/api/login", json={"name": "boss", "password": PASSWORD}, headers={"X-CSRF-Token": token})
    assert answer.status_code == 200, answer.text
    headers = {"X-CSRF-Token": answer.json()["csrf_token"]}
    client.post("/api/topics", json={"name": "电池", "query": "ti=电池"}, headers=headers)
    return client


def _visible(html: str) -> str:
    """The text a reader sees: no scripts or styles, no code (queries, settings), no tags."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<pre\b.*?</pre>|<code\b.*?</code>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def _code_words(text: str) -> list[str]:
    return [w for w in CODE_WORDS if re.search(rf"(?<![\w/=.-]){re.escape(w)}(?![\w=])", text)]


def test_every_page_in_chinese_shows_words_not_codes(admin: TestClient, demo: Path) -> None:
    plan = cli_json("plan", "list", workspace=demo)
    assert isinstance(plan, list) and plan
    pages = [
        "/", "/search", "/search?q=ti%3D%E7%94%B5%E6%B1%A0", "/search?q=ti%3D(", "/patents/CN212649604U",
        "/patents/CN2021109912", "/lookup", "/navigate", "/navigate?selection=ti%3D%E7%94%B5%E6%B1%A0",
        "/navigate?selection=all", "/topics", "/topics/%E7%94%B5%E6%B1%A0", "/searches", "/indicators",
        "/indicators?name=applications&by=province", "/plans", f"/plans/{plan[0]['id']}", "/ingest", "/admin",
        "/search/semantic", "/search/semantic?text=%E9%94%82%E7%94%B5%E6%B1%A0", "/demands",
        "/demands/fits?owner=%E5%8C%97%E4%BA%AC%E7%A7%91%E6%8A%80%E5%A4%A7%E5%AD%A6",
    ]  # fmt: skip
    for path in pages:
        page = admin.get(path)
        assert page.status_code in (200, 404), path
        assert _code_words(_visible(page.text)) == [], path


def test_charts_follow_the_users_language(admin: TestClient) -> None:
    page = admin.get("/navigate", params={"selection": "ti=电池"})
    charts = re.search(r'<script[^>]*id="chart-options"[^>]*>(.*?)</script>', page.text, flags=re.S)
    assert charts is not None
    assert "发明" in charts.group(1) and '"name": "invention"' not in charts.group(1)  # slices named in words
    token = admin.get("/api/me").json()["csrf_token"]
    admin.post("/lang", data={"to": "en", "csrf_token": token}, follow_redirects=False)
    english = admin.get("/navigate", params={"selection": "ti=电池"})
    admin.post("/lang", data={"to": "zh", "csrf_token": token}, follow_redirects=False)
    charts_en = re.search(r'<script[^>]*id="chart-options"[^>]*>(.*?)</script>', english.text, flags=re.S)
    assert charts_en is not None and '"text": "Patent types"' in charts_en.group(1)
    assert '"name": "invention"' in charts_en.group(1) and "发明" not in charts_en.group(1)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reports_name_columns_and_values_in_their_language(demo: Path, tmp_path: Path, lang: str) -> None:
    out = tmp_path / f"report-{lang}.xlsx"
    made = run_cli("report", "-s", "ti=电池", "-f", "xlsx", "-o", str(out), "--lang", lang, workspace=demo)
    assert made.returncode == 0, made.stderr
    book = openpyxl.load_workbook(out)
    trends = next(book[n] for n in book.sheetnames if n.startswith("01 "))
    header = next(r for r in trends.iter_rows(values_only=True) if r and r[0] in ("年份", "year"))
    assert header[:4] == (
        ("年份", "申请", "公开", "授权") if lang == "zh" else ("year", "filings", "publications", "grants")
    )
    types = next(book[n] for n in book.sheetnames if "专利类型" in n)
    cells = {c for row in types.iter_rows(values_only=True) for c in row if isinstance(c, str)}
    assert ("发明" in cells) if lang == "zh" else ("invention" in cells)
    pdf = tmp_path / f"report-{lang}.pdf"
    assert (
        run_cli("report", "-s", "ti=虚拟现实", "-f", "pdf", "-o", str(pdf), "--lang", lang, workspace=demo).returncode
        == 0
    )
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    if lang == "zh":  # the Chinese report: no code value, no English header
        assert _code_words(text.split("七、结论与建议")[0].replace("CN", "")) == []
        assert "年均增长率" not in text or "数据不完整" in text or "完整年度" in text
