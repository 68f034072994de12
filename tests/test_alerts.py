"""Alerts (issue 17): an ingest that brings a mark similar to a watched one and a patent matching a saved
search gives one notification each, in the inbox, the Atom feed, a local SMTP server and a local webhook
server; re-ingesting gives none; a failed webhook post is shown and retried."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient

from ipnav.application import Ipnav
from ipnav.config import Settings
from ipnav.web.app import create_app
from tests.conftest import ROOT, cli_json, run_cli

CN_MARKS = ROOT / "tests" / "fixtures" / "trademark_cn" / "cn_register_export.csv"
GOOGLE = ROOT / "tests" / "fixtures" / "google_patents" / "gp-search-battery.csv"


class Mailbox:
    """An aiosmtpd handler keeping every message."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def servers() -> Iterator[dict[str, Any]]:
    """A local SMTP server and a webhook server whose first POST fails with HTTP 500."""
    box = Mailbox()
    smtp = Controller(box, hostname="127.0.0.1", port=_free_port())
    smtp.start()
    posts: list[dict[str, Any]] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            posts.append({"body": body, "failed": not posts})
            self.send_response(500 if posts[-1]["failed"] else 204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    hook = HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    yield {"smtp_port": smtp.port, "webhook": f"http://127.0.0.1:{hook.server_port}/hook", "mail": box, "posts": posts}
    smtp.stop()
    hook.shutdown()


def _split_google(tmp_path: Path) -> tuple[Path, Path]:
    lines = GOOGLE.read_text(encoding="utf-8").splitlines()
    head, rows = lines[:2], lines[2:]
    old, new = tmp_path / "gp_old.csv", tmp_path / "gp_new.csv"
    old.write_text("\n".join(head + [r for r in rows if r.startswith("US-68")]) + "\n", encoding="utf-8")
    new.write_text("\n".join(head + [r for r in rows if r.startswith("CN-")]) + "\n", encoding="utf-8")
    return old, new


def test_new_matches_alert_once_in_every_channel(tmp_path: Path, servers: dict[str, Any]) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "settings.toml").write_text(
        f'smtp_host = "127.0.0.1"\nsmtp_port = {servers["smtp_port"]}\nsmtp_from = "ipnav@example.org"\n'
        f'webhook_url = "{servers["webhook"]}"\npublic_url = "http://ipnav.example.org"\n',
        encoding="utf-8",
    )
    old, new = _split_google(tmp_path)
    assert run_cli("ingest", str(CN_MARKS), str(old), workspace=ws).returncode == 3  # the fixture's bad rows
    app = Ipnav(Settings.load(ws))
    app.searches.save("admin", "显示器件", "显示")
    app.searches.save("admin", "茶类商标", "class=30 AND 山城", kind="trademark")
    cli_json("alerts", "email", "admin", "admin@example.org", workspace=ws)
    cli_json("watch", "add", "山城红监测", "--mark", "山城红", "--classes", "30", "--groups", "3002", workspace=ws)
    weekly = tmp_path / "gazette_week.csv"
    header = CN_MARKS.read_text(encoding="utf-8").splitlines()[0]
    weekly.write_text(header + "\n"
                      "71000001,2026-07-01,30,3002,山城虹,茶,巴南茶叶有限公司,重庆市巴南区,1960,2026-10-13,,,,初审公告,,否,普通商标,\n"
                      "71000003,2026-07-01,30,3002,蓝天,茶,另一茶业公司,重庆市江北区,1960,2026-10-13,,,,初审公告,,否,普通商标,\n",
                      encoding="utf-8")  # fmt: skip
    assert run_cli("ingest", str(weekly), str(new), workspace=ws).returncode == 0

    inbox = cli_json("alerts", "list", "--user", "admin", workspace=ws)
    assert isinstance(inbox, list) and sorted((n["kind"], n["source"], n["item"]) for n in inbox) == [
        ("search", "显示器件", "CN113781974A"), ("search", "茶类商标", "CN71000001"),
        ("watch", "山城红监测", "CN71000001")]  # fmt: skip
    watch = next(n for n in inbox if n["kind"] == "watch")
    assert watch["detail"]["deadline"] == "2027-01-13" and "山城虹" in watch["title"]
    mails = servers["mail"].messages
    assert len(mails) == 3 and {m["To"] for m in mails} == {"admin@example.org"}
    subjects = sorted(str(make_header(decode_header(m["Subject"]))) for m in mails)
    assert subjects[0].startswith("[ipnav] 商标监测 山城红监测: 山城虹") and "检索式 显示器件" in subjects[1]
    assert subjects[2] == "[ipnav] 检索式 茶类商标: 山城虹"
    bodies = "".join(m.get_payload(decode=True).decode("utf-8") for m in mails)
    assert "http://ipnav.example.org/trademarks/CN71000001" in bodies and "异议" in bodies
    posts = servers["posts"]
    assert len(posts) == 3 and posts[0]["failed"] and not any(p["failed"] for p in posts[1:])
    failed = cli_json("alerts", "deliveries", workspace=ws)
    assert isinstance(failed, list) and len(failed) == 1 and failed[0]["status"] == "failed"
    assert failed[0]["attempts"] == 1 and "500" in failed[0]["last_error"]
    retried = cli_json("alerts", "deliver", workspace=ws)
    assert retried == {"sent": 1, "failed": 0}
    assert sorted(p["body"]["item"] for p in posts if not p["failed"]) == ["CN113781974A", "CN71000001", "CN71000001"]

    client = TestClient(create_app(Settings.load(ws)))
    token = app.alerts.profile("admin")["feed_token"]
    feed = client.get(f"/feeds/{token}.atom")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
    entries = ET.fromstring(feed.content).findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 3
    assert client.get("/feeds/not-a-token.atom").status_code == 404

    assert run_cli("ingest", str(weekly), str(new), workspace=ws).returncode == 0  # the same files again
    assert len(cli_json("alerts", "list", "--user", "admin", workspace=ws)) == 3  # type: ignore[arg-type]
    assert len(mails) == 3 and len([p for p in posts if not p["failed"]]) == 3
