"""What an analyst keeps while working (issue 15): the search history and saved searches of each user,
the export of chosen hits, and a thematic database curated by hand (members page by page, notes, the
change log), through the API, the pages and the CLI."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from ipnav.accounts.searches import HISTORY_SIZE
from ipnav.config import Settings, Workspace
from ipnav.web.app import create_app
from tests.conftest import SAMPLE, cli_json, load, run_cli

PASSWORD = "correct horse 42"
NOTE = "竞争对手核心专利"


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workspace = Workspace(tmp_path_factory.mktemp("workbench") / "ws")
    files = ("cn_new1.xml", "cn_old1.xml", "cn_old2.xml", "cnki_patents.csv")
    load([SAMPLE / "cn" / name for name in files], workspace)
    for name, role in (("ana", "analyst"), ("bob", "analyst"), ("view", "viewer")):
        result = run_cli("user", "add", name, "--role", role, workspace=workspace.root, stdin=PASSWORD + "\n")
        assert result.returncode == 0, result.stderr
    return workspace.root


def _client(ws: Path, name: str) -> tuple[TestClient, dict[str, str]]:
    client = TestClient(create_app(Settings(workspace=ws, public=True)))
    token = client.get("/api/me").json()["csrf_token"]
    answer = client.post("/api/login", json={"name": name, "password": PASSWORD}, headers={"X-CSRF-Token": token})
    assert answer.status_code == 200, answer.text
    return client, {"X-CSRF-Token": answer.json()["csrf_token"]}


def test_search_history_keeps_the_last_50_per_user(ws: Path) -> None:
    ana, headers = _client(ws, "ana")
    bob, _ = _client(ws, "bob")
    for year in range(2000, 2000 + HISTORY_SIZE + 5):
        assert ana.get("/search", params={"q": f"ad>={year}"}).status_code == 200
    ana.get("/search", params={"q": "ti=电池"})
    ana.get("/search", params={"q": "ad>=2003"})  # a repeat moves to the top, not in twice
    history = ana.get("/api/searches/history").json()
    assert len(history) == HISTORY_SIZE
    assert [h["query"] for h in history[:2]] == ["ad>=2003", "ti=电池"]
    assert [h["query"] for h in history].count("ad>=2003") == 1
    assert history[1]["total"] == ana.get("/api/search", params={"q": "ti=电池"}).json()["total"] > 0
    assert "ad>=2000" not in {h["query"] for h in history}  # the oldest went out
    assert bob.get("/api/searches/history").json() == []  # one's history is one's own
    page = ana.get("/search")
    assert 'id="my-searches"' in page.text and "/search?q=ad%3E%3D2003" in page.text  # one click re-runs it
    assert "ti=电池" in ana.get("/searches").text
    guest = TestClient(create_app(Settings(workspace=ws, public=True)))
    assert guest.get("/api/searches/history").status_code == 401
    assert ana.delete("/api/searches/history", headers=headers).json() == {"forgotten": HISTORY_SIZE}
    assert ana.get("/api/searches/history").json() == []


def test_saved_searches_private_or_shared(ws: Path) -> None:
    ana, ana_headers = _client(ws, "ana")
    bob, bob_headers = _client(ws, "bob")
    mine = ana.post("/api/searches/saved", json={"name": "电池", "query": "ti=电池"}, headers=ana_headers).json()
    shared = ana.post(
        "/api/searches/saved", json={"name": "锂电", "query": "ti=锂 AND ti=电池", "shared": True}, headers=ana_headers
    ).json()
    assert shared["shared"] and not mine["shared"]
    assert [s["name"] for s in ana.get("/api/searches/saved").json()] == ["电池", "锂电"]
    assert [(s["name"], s["owner"]) for s in bob.get("/api/searches/saved").json()] == [("锂电", "ana")]
    assert bob.delete(f"/api/searches/saved/{shared['id']}", headers=bob_headers).status_code == 404  # not his
    assert ana.post("/api/searches/saved", json={"name": "x", "query": "ti=x"}).status_code == 403  # no CSRF token
    renamed = ana.post("/api/searches/saved", json={"name": "电池", "query": "ti=电池 AND cc=CN"}, headers=ana_headers)
    assert renamed.json()["id"] == mine["id"] and renamed.json()["query"] == "ti=电池 AND cc=CN"  # same name: replaced
    form = {"name": "页面保存", "query": "ti=电池", "csrf_token": ana_headers["X-CSRF-Token"]}
    page = ana.post("/searches/saved", data=form)
    assert page.status_code == 200 and 'id="search-notice"' in page.text and "页面保存" in page.text
    assert ana.delete(f"/api/searches/saved/{shared['id']}", headers=ana_headers).status_code == 200
    assert bob.get("/api/searches/saved").json() == []


def test_export_selected_hits(ws: Path) -> None:
    client = TestClient(create_app(Settings(workspace=ws, public=True)))
    hits = client.get("/api/search", params={"q": "ti=电池", "limit": 3}).json()["hits"]
    keys = [h["app_key"] for h in hits]
    answer = client.post("/search/export-selected", data={"numbers": keys[:2], "format": "xlsx"})
    assert answer.status_code == 200 and "selected-" in answer.headers["content-disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    title = rows[0].index("名称 title")
    assert len(rows) == 3 and {rows[1][title], rows[2][title]} == {hits[0]["title"], hits[1]["title"]}
    by_number = client.post("/api/search/export", json={"numbers": ["ZL201410408762.5", "CN999999"], "format": "csv"})
    table = list(csv.reader(io.StringIO(by_number.content.decode("utf-8-sig"))))
    assert len(table) == 2 and table[1][:2] == ["CN201410408762.5", "CN104223352A"]  # any spelling
    nothing = client.post("/api/search/export", json={"numbers": ["CN999999"], "format": "csv"})
    assert nothing.status_code == 400 and "所选号码均未找到" in nothing.json()["message"]


def test_topic_curated_by_hand_with_notes_and_change_log(ws: Path) -> None:
    created = cli_json("topic", "create", "电池", "--query", "ti=电池", workspace=ws)
    assert isinstance(created, dict) and created["size"] > 2
    first, second = created["keys"][:2]
    ana, headers = _client(ws, "ana")
    added = ana.post("/api/topics/电池/add", json={"numbers": ["CN104223352A", "CN999999"]}, headers=headers).json()
    assert added["size"] == created["size"] + 1 and [r["input"] for r in added["not_found"]] == ["CN999999"]
    removed = ana.post("/topics/电池/remove", data={"numbers": [first, second], "csrf_token": headers["X-CSRF-Token"]})
    assert removed.status_code == 200 and 'id="topic-change"' in removed.text  # back on the topic's page
    note = ana.put("/api/topics/电池/notes", json={"number": "CN104223352A", "note": NOTE}, headers=headers)
    assert note.json()["note"] == NOTE
    gone = ana.put("/api/topics/电池/notes", json={"number": first, "note": "x"}, headers=headers)
    assert gone.status_code == 400 and "不在专题库中" in gone.json()["message"]
    members = ana.get("/api/topics/电池/members", params={"limit": 2}).json()
    assert members["total"] == created["size"] - 1 and len(members["rows"]) == 2
    newest = members["rows"][0]  # newest first: the one added by hand, with its note
    assert (newest["first_pub_number"], newest["origin"], newest["note"]) == ("CN104223352A", "manual", NOTE)
    everyone = cli_json("topic", "members", "电池", "--page", "1", workspace=ws)
    assert isinstance(everyone, dict) and first not in {r["app_key"] for r in everyone["rows"]}
    log = ana.get("/api/topics/电池/log").json()
    assert [(e["action"], len(e["came_in"]), len(e["went_out"])) for e in log] == [
        ("remove", 0, 2),
        ("add", 1, 0),
        ("create", created["size"], 0),
    ]
    assert log[0]["actor"] == "ana" and log[0]["size"] == members["total"]
    page = ana.get("/topics/电池")
    for part in ('id="member-list"', 'id="topic-add"', 'id="remove-selected"', "竞争对手核心专利", 'id="topic-log"'):
        assert part in page.text, part
    viewer, viewer_headers = _client(ws, "view")
    read_only = viewer.get("/topics/电池")
    assert read_only.status_code == 200 and "竞争对手核心专利" in read_only.text
    assert 'id="topic-add"' not in read_only.text and 'id="remove-selected"' not in read_only.text
    refused = viewer.put("/api/topics/电池/notes", json={"number": "CN104223352A", "note": "x"}, headers=viewer_headers)
    assert refused.status_code == 403
    start = ana.get("/navigate").text  # the navigation start page: examples from the data, the topics, history
    assert 'id="navigate-start"' in start and "/navigate?selection=topic%3A%E7%94%B5%E6%B1%A0" in start
    assert "/navigate?selection=ipc%3D" in start and "/navigate?selection=pae%3D" in start
    text = run_cli("topic", "log", "电池", workspace=ws)
    assert text.returncode == 0 and "remove" in text.stdout and "ana" in text.stdout
    cli_json("topic", "delete", "电池", workspace=ws)
