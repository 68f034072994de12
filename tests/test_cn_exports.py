"""The Chinese exports of ../shared/data/cn/records load as they are (issue 14): values of real records
per file, read back through `ipnav show --json` from the warehouse of all shared data."""

from __future__ import annotations

from typing import Any

import pytest

from ipnav.config import Workspace
from tests.conftest import cli_json


def _show(ws: Workspace, number: str) -> dict[str, Any]:
    detail = cli_json("show", number, workspace=ws.root)
    assert isinstance(detail, dict)
    return detail


def _names(detail: dict[str, Any], role: str) -> list[str]:
    return [p["name"] for p in detail["parties"] if p["role"] == role]


def _ipc(detail: dict[str, Any]) -> list[str]:
    return [c["symbol"] for c in detail["classifications"] if c["scheme"] == "ipc"]


def test_patentics_csv_with_one_field_more_per_row_keeps_its_columns(full_workspace: Workspace) -> None:
    # vr_20220507.csv, first data row: 25 fields under a 24-field header
    detail = _show(full_workspace, "CN202210016632.1")
    assert detail["titles"]["zh"] == "一种基于虚拟现实的重睑成形手术训练系统、方法及存储介质"
    assert detail["filing_date"] == "2022-01-07"
    assert detail["publications"][0]["number"] == "CN114399933"
    assert _names(detail, "applicant") == ["广州雅妍时光医疗美容门诊部有限公司"]
    assert _names(detail, "inventor") == ["孙恺", "张福生"]
    assert set(_ipc(detail)) >= {"G09B9/00", "G06T19/00"}
    assert detail["claims_count"] == 10
    assert (detail["legal_status"], detail["legal_status_raw"]) == ("pending", "公开")  # not a shifted column
    assert detail["extra"]["applicant_standard"] == "广州雅妍时光医疗美容门诊部有限公司"


def test_patentics_xlsx_events_transfers_address_and_agency(full_workspace: Workspace) -> None:
    # thundersoft_20221219.xlsx, row 511: the 法律描述 list with a grant number in front of the grant event
    detail = _show(full_workspace, "CN201110312529")
    assert detail["titles"]["zh"] == "一种Android系统的重启方法"
    events = [(e["date"], e["description"].split(" (")[0]) for e in detail["legal_events"]]
    assert events == [
        ("2012-01-25", "公开"),
        ("2012-03-14", "实质审查的生效"),
        ("2013-04-17", "著录事项变更"),
        ("2013-12-11", "授权"),
        ("2014-05-21", "专利申请权、专利权的转移"),
        ("2020-02-04", "专利权人的姓名或者名称、地址的变更"),
    ]
    assert detail["extra"]["grant_date"] == "2013-12-11"  # from the grant event: the export gives no grant number
    applicant = next(p for p in detail["parties"] if p["role"] == "applicant")
    assert (applicant["adcode"], applicant["county_name"]) == ("110108", "海淀区")  # 地市: postcode + address
    assert _names(detail, "agency") == ["北京华夏正合知识产权代理事务所(普通合伙)"]
    assert _names(detail, "agent") == ["韩登营", "张焕亮"]
    assert len(detail["citations"]) == 5
    transfer = detail["transactions"][0]
    assert (transfer["kind"], transfer["execution_date"], transfer["recorded_date"]) == (
        "assignment",
        "2014-04-24",
        "2014-05-21",
    )
    assert transfer["assignors"] == "中科创达软件股份有限公司"
    assert "畅索软件科技（上海）有限公司" in transfer["assignees"]


def test_taian_xlsx_main_ipc_and_abstract(full_workspace: Workspace) -> None:
    detail = _show(full_workspace, "CN85102475")
    assert detail["titles"]["zh"] == "新型绕线式异步电动机"
    assert detail["filing_date"] == "1985-04-01"
    assert _ipc(detail)[0] == "H02K17/02"
    assert detail["abstracts"]["zh"].startswith("一种新型绕线式异步电动机")
    assert _names(detail, "applicant") == ["山东省矿业学院"]


def test_old_biff_xls_reads_like_xlsx_with_dated_status(full_workspace: Workspace) -> None:
    design = _show(full_workspace, "CN201430491695.9")  # head_5rows.xls
    assert design["patent_type"] == "design"
    assert (design["legal_status"], design["legal_status_reason"]) == ("lapsed", "terminated")
    assert [(e["date"], e["description"]) for e in design["legal_events"]] == [("2017-01-25", "专利权的终止")]
    assert _names(design, "inventor") == ["周北海", "李楠", "黄远奕"]
    pending = _show(full_workspace, "CN201710106452.1")  # ustb.xls
    assert (pending["legal_status"], pending["legal_status_raw"]) == ("pending", "发明专利申请公布")
    assert _names(pending, "inventor") == ["汪林兵", "王文涛", "郭猛"]
    assert _names(pending, "applicant") == ["北京科技大学"]


def test_epub_csv_x_numbers_versioned_ipc_and_domestic_priority(full_workspace: Workspace) -> None:
    x_number = _show(full_workspace, "201310241677X")  # 13 characters, check character X without its dot
    assert x_number["app_number"] == "CN201310241677.X"
    first = _show(full_workspace, "2016110774629")
    assert _ipc(first) == ["A23L33/135", "A23P10/28", "A23P20/10"]  # "(2016.01)I; 全部 ... 生物保藏" dropped
    applicant = next(p for p in first["parties"] if p["role"] == "applicant")
    assert (applicant["adcode"], applicant["county_name"]) == ("110116", "怀柔区")
    assert first["priorities"] == []
    later = _show(full_workspace, "2017112136487")  # 本国优先权 "2016110692262 2016.11.29 CN"
    assert [(p["country"], p["number"], p["date"]) for p in later["priorities"]] == [
        ("CN", "2016110692262", "2016-11-29")
    ]
    assert _ipc(later) == ["H01M10/613", "H01M10/625", "H01M10/658", "H01M10/6569"]


@pytest.mark.parametrize(
    ("number", "status", "reason"),
    [
        ("CN201410725372", "lapsed", "fee_unpaid"),  # 未缴年费专利权终止 in the event list, 有效 nowhere
        ("CN201430491695", "lapsed", "terminated"),
    ],
)
def test_status_words_map_to_the_model(full_workspace: Workspace, number: str, status: str, reason: str) -> None:
    detail = _show(full_workspace, number)
    assert detail["legal_status"] == status
    assert detail["legal_status_reason"] in (reason, "")


def test_records_without_a_number_join_the_application_they_are(full_workspace: Workspace) -> None:
    """CNKI rows carry no application number: the same title, first applicant and filing date are one
    application, whether they came from the CSV or the SQL dump, or differ only in a content detail."""
    hits = cli_json("search", "ti=新能源汽车玻璃基板镀膜装置", workspace=full_workspace.root)
    assert isinstance(hits, dict) and hits["total"] == 1
    detail = _show(full_workspace, hits["hits"][0]["app_key"])
    sources = detail["sources"]
    assert {s["source_format"] for s in sources} == {"csv", "sql_dump"}
    assert len({s["doc_key"].split("|")[0] for s in sources}) == 2  # two content keys, linked into one


def test_cited_numbers_keep_their_structure(full_workspace: Workspace) -> None:
    """EP application numbers keep the check digit, JP numbers the era year, designs their suffix;
    the number as the citing patent wrote it stays beside the canonical one."""
    cited = {c["number"]: c["number_raw"] for c in _show(full_workspace, "USD0656298")["citations"]}
    assert cited["JPH02-082707"] == "2-82707"  # Heisei 2 (1990), from the citation's date
    assert "JP2007-146337" in cited and "EM000798897-0021" in cited
    assert "EP08290305.5" in {c["number"] for c in _show(full_workspace, "USD0656296")["citations"]}


def test_patent_detail_has_its_family_and_a_dated_timeline(full_workspace: Workspace) -> None:
    """Two applications claiming the same priority are one family; the event list becomes a timeline."""
    detail = _show(full_workspace, "CN201310106199")
    members = {m["app_key"]: m["how"] for m in detail["family"]}
    assert "shared_priority" in members["CN201310106216"]
    events = _show(full_workspace, "CN201410725372")["timeline"]
    dated = [e["date"] for e in events if e["date"]]
    assert dated == sorted(dated) and events[0]["event"] == "filing"
    assert any(e["event"] == "legal_event" and "未缴年费" in e["text"] for e in events)
    assert all(e["source"] for e in events)
