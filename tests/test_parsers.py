"""Every patent file family in ../shared/data parses to the values the documents hold.

Expected values were read off the XML/CSV by hand (numbers, dates, titles, IPC,
claims, citations, parties, adcodes), several documents per format.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ipnav.ingest.pipeline import parse_source
from ipnav.ingest.sources import iter_sources
from ipnav.model import Patent, Reject, Transaction
from tests.conftest import shared


def parse(*parts: str) -> list[Any]:
    return [item for source in iter_sources([shared(*parts)]) for item in parse_source(source)]


def patent(items: list[Any], app_key: str) -> Patent:
    found = [i for i in items if isinstance(i, Patent) and i.app_key == app_key]
    assert found, f"{app_key} not parsed; got {[i.app_key for i in items if isinstance(i, Patent)][:10]}"
    return found[0]


def roles(p: Patent, role: str) -> list[str]:
    return [x.name for x in p.parties if x.role == role]


def ipc(p: Patent, scheme: str = "ipc") -> list[str]:
    return [c.symbol for c in p.classifications if c.scheme == scheme]


CASES: list[tuple[tuple[str, ...], str, dict[str, Any]]] = [
    # USPTO grant red book v4.x weekly files
    (
        ("uspto", "grants_red_book", "ipg050104.small.xml"),
        "US10435630",
        {
            "pub": "US6836979B2",
            "filing_date": dt.date(2003, 5, 10),
            "title": "Shoe structure",
            "ipc": ["A43B13/14", "A43B23/00"],
            "claims": 24,
            "citations": 17,
            "first_citation": "US3404468",
            "inventors": ["Bacchiega Flavio", "Calvani Romano"],
            "priority": ("IT", "BG2002A000039"),
        },
    ),
    (
        ("uspto", "grants_red_book", "ipg110104.small.xml"),
        "US11777902",
        {
            "pub": "US7861515B2",
            "filing_date": dt.date(2007, 7, 13),
            "ipc": ["F01N3/00"],
            "claims": 17,
            "independent": 3,
            "assignees": ["Ford Global Technologies, LLC"],
            "type": "invention",
        },
    ),
    (
        ("uspto", "grants_red_book", "ipg120327.196.xml"),
        "US29381217",
        {
            "pub": "USD656296S1",
            "filing_date": dt.date(2010, 12, 16),
            "title": "Ready to eat snack piece",
            "type": "design",
            "claims": 1,
            "citations": 42,
            "first_citation": "USD38206",
        },
    ),
    # v2.5 PATDOC (named HTML entities from the external DTD)
    (
        ("uspto", "grants_legacy", "pg020507hundred.xml"),
        "US29128902",
        {
            "pub": "USD456588S1",
            "filing_date": dt.date(2000, 9, 1),
            "title": "Garment",
            "type": "design",
            "inventors": ["Fiona Fairhurst", "Jane Cappaert", "Masanobu Okada"],
            "assignees": ["Speedo International Limited"],
            "citations": 15,
            "priority": ("GB", "2090948"),
        },
    ),
    (
        ("uspto", "single_docs", "go-uspto_grant_v2-5-B1.xml"),
        "US09529968",
        {
            "pub": "US6334226B1",
            "title": "Faucet support member",
            "ipc": ["E03C1/04"],
            "claims": 31,
            "assignees": ["Toto Ltd."],
            "priority": ("JP", "9-290033"),
        },
    ),
    # pre-grant publications v4.x and v1.5
    (
        ("uspto", "applications", "ipa130117.one.xml"),
        "US13353293",
        {
            "pub": "US20130014306A1",
            "title": "TACTICAL MIXED MARTIAL ARTS GLOVE",
            "ipc": ["A41D13/08", "A41D19/02"],
            "claims": 14,
            "independent": 3,
        },
    ),
    (
        ("uspto", "single_docs", "go-uspto_application_v1-5-A1_2.xml"),
        "US09726341",
        {
            "pub": "US20010000002A1",
            "ipc": ["D21C11/12"],
            "claims": 33,
            "priority": ("DE", "19733454"),
        },
    ),
    # grant bibliographic zip
    (
        ("uspto", "grants_biblio", "ipgb20221025_wk43.zip"),
        "US16533534",
        {
            "pub": "US11617522B2",
            "title": "Sensor inserter with disposal lockout state",
            "ipc_first": "A61B5/145",
            "cpc_first": "A61B5/14532",
            "citations": 88,
            "applicants": ["MEDTRONIC MINIMED, INC."],
        },
    ),
    # CNIPA old and new XML
    (
        ("cn", "cnipa_xml", "cn_old1.xml"),
        "CN201410408762",
        {
            "app_number": "CN201410408762.5",
            "pub": "CN104223352A",
            "filing_date": dt.date(2014, 8, 19),
            "title": "一种甘草发酵所得烟用香料及其应用",
            "ipc": ["A24B15/18", "C11B9/00", "C12P1/02", "C12R1/645"],
            "claims": 3,
            "independent": 1,
            "applicants": ["云南中烟工业有限责任公司"],
            "adcode": "530102",
            "inventors_count": 8,
            "type": "invention",
        },
    ),
    (
        ("cn", "cnipa_xml", "cn_old4.xml"),
        "CN201410513187",
        {
            "pub": "CN104223590A",
            "title": "脚型量具",
            "ipc": ["A43D1/02"],
            "applicants": ["叶建鑫"],
            "adcode": "330304",
        },
    ),
    (
        ("cn", "cnipa_xml", "cn_new2.xml"),
        "CN202110991218",
        {
            "app_number": "CN202110991218.8",
            "pub": "CN113783949A",
            "filing_date": dt.date(2021, 8, 26),
            "title": "一种基于合约管理的跨链去中心化方法",
            "ipc": ["H04L29/08", "H04L29/06", "H04L9/32", "G06Q40/04", "G06F16/27"],
            "applicants": ["浙商银行股份有限公司"],
            "adcode": "330109",
            "claims": 10,
        },
    ),
    (
        ("cn", "cnipa_xml", "cn_new1.xml"),
        "CN202111286633",
        {
            "app_number": "CN202111286633.X",
            "pub": "CN113781974A",
            "title": "显示设备",
            "applicants": ["三星显示有限公司"],
            "priority": ("KR", "10-2016-0063019"),
            "priorities": 1,
        },
    ),
    # EPO publication server, ST.36, DOCDB, OPS, ST.96
    (
        ("epo_wipo", "ep_publication_server", "grant_v1-5-B1.xml"),
        "EP17171508",
        {
            "pub": "EP3404678B1",
            "filing_date": dt.date(2017, 5, 17),
            "ipc": ["H01F27/14", "H01F27/40"],
            "titles_en": "HIGH VOLTAGE ASSEMBLY AND METHOD TO OPERATE THE HIGH VOLTAGE ASSEMBLY",
            "claims": 12,
            "assignees": ["General Electric Technology GmbH"],
            "first_citation": "EP3109871",
        },
    ),
    (
        ("epo_wipo", "ep_publication_server", "application_v1-0-A1.xml"),
        "EP01963450",
        {
            "pub": "EP1325900A1",
            "ipc": ["C07C29/44", "C07C31/38"],
            "applicants": ["ASAHI GLASS COMPANY LTD."],
            "priority": ("JP", "2000273711"),
        },
    ),
    (
        ("epo_wipo", "st36", "ep_st36_example_A1_EP1667425.xml"),
        "EP05255002",
        {
            "pub": "EP1667425A1",
            "ipc": ["H04N1/40"],
            "titles_en": "Image forming method and image forming apparatus",
            "priority": ("JP", "2004351438"),
        },
    ),
    (
        ("epo_wipo", "docdb", "WO-2022259205-A1_544370561.xml"),
        "PCT/IB2022/055385",
        {
            "pub": "WO2022259205A1",
            "family_id": "82558028",
            "applicants": ["UNIV DA BEIRA INTERIOR"],
            "priority": ("PT", "11728321"),
            "cpc_first": "A61K9/1075",
        },
    ),
    (
        ("epo_wipo", "docdb", "DE-backfile.xml"),
        "DEB0077613",
        {
            "pub": "DE1258188B",
            "family_id": "6979546",
            "applicants": ["BOSCH GMBH ROBERT"],
            "ipc_first": "F02M41/12",
        },
    ),
    (
        ("epo_wipo", "ops", "published_biblio_example.xml"),
        "US11023667",
        {
            "pub": "US20060142694A1",
            "family_id": "35840242",
            "ipc": ["A61M31/00"],
            "citations": 99,
        },
    ),
    (
        ("epo_wipo", "st96", "PatentPublication_Example.xml"),
        "US13797521",
        {
            "pub": "US8936998B2",
            "filing_date": dt.date(2013, 3, 12),
            "ipc_first": "H01L21/30",
            "claims": 10,
            "priority": ("JP", "2007-290922"),
            "first_citation": "US6054363",
        },
    ),
]


@pytest.mark.parametrize(("parts", "app_key", "expected"), CASES, ids=[c[0][-1] + ":" + c[1] for c in CASES])
def test_real_documents_parse_to_their_values(parts: tuple[str, ...], app_key: str, expected: dict[str, Any]) -> None:
    p = patent(parse(*parts), app_key)
    checks = {
        "pub": lambda: p.publications[0].full,
        "app_number": lambda: p.app_number,
        "filing_date": lambda: p.filing_date,
        "title": lambda: next(iter(p.titles.values())),
        "titles_en": lambda: p.titles["en"],
        "ipc": lambda: ipc(p),
        "ipc_first": lambda: ipc(p)[0],
        "cpc_first": lambda: ipc(p, "cpc")[0],
        "claims": lambda: p.claims_count,
        "independent": lambda: p.independent_claims,
        "citations": lambda: len(p.citations),
        "first_citation": lambda: p.citations[0].number,
        "inventors": lambda: roles(p, "inventor"),
        "inventors_count": lambda: len(roles(p, "inventor")),
        "assignees": lambda: roles(p, "assignee"),
        "applicants": lambda: roles(p, "applicant"),
        "adcode": lambda: next(x.adcode for x in p.parties if x.role == "applicant"),
        "priority": lambda: (p.priorities[0].country, p.priorities[0].number),
        "priorities": lambda: len(p.priorities),
        "family_id": lambda: p.family_id,
        "type": lambda: p.patent_type,
    }
    for name, value in expected.items():
        assert checks[name]() == value, name


def test_weekly_file_yields_every_document_and_skips_sequence_listings() -> None:
    items = parse("uspto", "grants_red_book", "ipg060103.small.xml")
    assert not [i for i in items if isinstance(i, Reject)]
    assert len([i for i in items if isinstance(i, Patent)]) == 25


def test_document_counts_per_file() -> None:
    assert len(parse("uspto", "grants_red_book", "ipg120327.196.xml")) == 196
    assert len(parse("uspto", "grants_legacy", "pg020507hundred.xml")) == 100
    assert len(parse("uspto", "grants_legacy", "pg_XML1-sample-14.xml")) == 14
    assert len([i for i in parse("epo_wipo", "docdb", "DE-backfile.xml") if isinstance(i, Patent)]) == 10
    assert len(parse("uspto", "grants_biblio", "ipgb20221025_wk43.zip")) == 11


def test_assignments_become_transactions_linked_to_applications() -> None:
    items = parse("uspto", "assignments", "assignment_1.xml")
    (t,) = items
    assert isinstance(t, Transaction)
    assert t.key == "US-RF:18247-405"
    assert t.kind == "assignment"
    assert t.assignors == ["REALTIME DATA COMPRESSION SYSTEMS, INC."]
    assert t.assignees == ["REALTIME DATA LLC"]
    assert t.recorded_date == dt.date(2006, 9, 14)
    assert "US10628795" in t.patent_numbers and len(t.patent_numbers) == 5
    security = [i for i in parse("uspto", "assignments", "assignment_3.xml") if i.kind == "pledge"]
    assert security, "security agreements are pledges"


def test_cnki_csv_and_sql_dump_load_with_stable_content_keys() -> None:
    csv_items = parse("cn", "records", "cnki_patents.csv")
    sql_items = parse("cn", "records", "cnki_spider_patent.sql")
    assert len(csv_items) == len(sql_items) == 4800
    assert not [i for i in csv_items + sql_items if isinstance(i, Reject)]
    first = csv_items[0]
    assert first.titles["zh"] == "声波影响粒子碰并的数值模拟计算方法及系统"
    assert roles(first, "inventor") == ["孙跃", "肖辉", "张云", "冯强", "冯亮"]
    assert roles(first, "applicant") == ["中国科学院大气物理研究所"]
    assert first.filing_date == dt.date(2022, 4, 2)
    assert first.app_key.startswith("K:")
    # the same record read from the MySQL dump gets the same key, and keys are stable across runs
    assert sql_items[0].app_key == first.app_key
    assert parse("cn", "records", "cnki_patents.csv")[0].app_key == first.app_key
    two = csv_items[1]
    assert roles(two, "applicant") == ["深圳云天励飞技术股份有限公司", "成都云天励飞技术有限公司"]
    assert first.extra["检索关键词"] == "计算机"
    # names that asked not to be published are not made into inventors
    assert all("请求不公布姓名" not in roles(i, "inventor") for i in csv_items)


def test_files_ipnav_does_not_read_are_rejected_with_the_reason() -> None:
    (reject,) = parse("uspto", "single_docs", "ppd_cpcMaster_cpcMaster.xml")
    assert isinstance(reject, Reject)
    assert reject.position == 0
    assert "CPCMasterClassificationFile" in reject.reason
    (aps,) = parse("uspto", "grants_legacy", "aps_TXT-sample-2.txt")
    assert "APS" in aps.reason


def test_ops_family_and_legal_responses_give_members_and_inpadoc_events() -> None:
    family = [i for i in parse("epo_wipo", "ops", "family_family_input.xml") if isinstance(i, Patent)]
    assert [p.publications[0].full for p in family] == [
        "EP1000000A1",
        "EP1000000B1",
        "AT232441T",
        "DE69905327D1",
        "NL1010536C2",
        "US6093011A",
    ]
    assert {p.family_id for p in family} == {"19768124"}
    assert family[0].app_key == "EP99203729"
    (legal,) = parse("epo_wipo", "ops", "legal_example_1.xml")[:1]
    assert len(legal.legal_events) == 50
    first = legal.legal_events[0]
    assert (first.code, first.description, first.date) == (
        "17Q",
        "FIRST EXAMINATION REPORT DESPATCHED",
        dt.date(2002, 6, 5),
    )
