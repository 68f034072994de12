"""Trademark watches (issue 17): a watched mark or owner, the similar marks others publish since a date,
each with score, reasons and the opposition deadline under its office's rule, reported as new once."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT, cli_json, run_cli

CN_FIXTURE = ROOT / "tests" / "fixtures" / "trademark_cn" / "cn_register_export.csv"
HEADER = CN_FIXTURE.read_text(encoding="utf-8").splitlines()[0]


@pytest.fixture(scope="module")
def watch_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("watch") / "ws"
    assert run_cli("ingest", str(CN_FIXTURE), workspace=root).returncode == 3  # the fixture's two bad rows
    return root


def test_watch_a_mark_finds_a_new_similar_filing_with_its_deadline(watch_ws: Path, tmp_path: Path) -> None:
    added = cli_json("watch", "add", "山城红监测", "--mark", "山城红", "--classes", "30", "--groups", "3002",
                     workspace=watch_ws)  # fmt: skip
    assert isinstance(added, dict) and (added["mark"], added["classes"], added["groups"]) == ("山城红", [30], ["3002"])
    bad = run_cli("watch", "add", "x", workspace=watch_ws)
    assert bad.returncode != 0 and "--mark" in bad.stderr
    weekly = tmp_path / "gazette_week.csv"
    weekly.write_text(
        HEADER + "\n"
        "71000001,2026-07-01,30,3002,山城虹,茶;茶饮料,巴南茶叶有限公司,重庆市巴南区鱼洞街道,1960,2026-10-13,,,,初审公告,,否,普通商标,\n"
        "71000002,2026-07-01,41,4101,山城红,教育,某培训学校,重庆市渝中区,1960,2026-10-13,,,,初审公告,,否,普通商标,\n"
        "71000003,2026-07-01,30,3002,蓝天,茶,另一茶业公司,重庆市江北区,1960,2026-10-13,,,,初审公告,,否,普通商标,\n",
        encoding="utf-8",
    )  # a similar mark in the same group, the same words in unrelated services, an unrelated mark
    assert run_cli("ingest", str(weekly), workspace=watch_ws).returncode == 0  # the ingest reports it as an alert
    alerts = cli_json("alerts", "list", "--user", "admin", workspace=watch_ws)
    assert isinstance(alerts, list) and [(a["kind"], a["item"]) for a in alerts] == [("watch", "CN71000001")]
    first = cli_json("watch", "run", "--since", "2026-10-01", workspace=watch_ws)
    assert isinstance(first, dict) and (first["hits"], first["new"]) == (1, 0)  # reported by the alert already
    hit = first["watches"][0]["hits"][0]
    assert (hit["number"], hit["text"], hit["watched"], hit["new"]) == ("CN71000001", "山城虹", "山城红", False)
    assert hit["score"] >= 60 and "类似群 3002 相同" in hit["reasons"]
    assert hit["publication_date"] == "2026-10-13" and hit["deadline"] == "2027-01-13"
    assert hit["rule"].startswith("商标法第三十三条")
    everything = cli_json("watch", "run", workspace=watch_ws)  # the whole register: the earlier 山城红 of
    assert isinstance(everything, dict) and everything["new"] == everything["hits"] - 1  # another owner is new
    shown = run_cli("watch", "run", "--since", "2026-10-01", workspace=watch_ws)
    assert "监测 山城红监测: 1 件" in shown.stdout and "异议期限规则 rule: 商标法第三十三条" in shown.stdout
    listed = cli_json("watch", "list", workspace=watch_ws)
    assert isinstance(listed, list) and [w["name"] for w in listed] == ["山城红监测"]
    assert run_cli("watch", "remove", "山城红监测", workspace=watch_ws).returncode == 0
    missing = run_cli("watch", "remove", "山城红监测", workspace=watch_ws)
    assert missing.returncode != 0 and "山城红监测" in missing.stderr


def test_watch_an_owner_leaves_out_its_own_marks(watch_ws: Path) -> None:
    cli_json("watch", "add", "茶业", "--owner", "重庆山城茶业有限公司", workspace=watch_ws)
    result = cli_json("watch", "run", workspace=watch_ws)
    assert isinstance(result, dict)
    hits = next(run["hits"] for run in result["watches"] if run["watch"] == "茶业")
    assert hits and all(h["owner"] != "重庆山城茶业有限公司" for h in hits)
    assert {h["watched"] for h in hits} == {"山城红"}
