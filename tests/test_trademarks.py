"""Trademarks (issue 16, first part): every format read into one model with real values, ingested with
the patents' machinery (rejects per record, regions for Chinese owners), shown and searched from the CLI
and the API with Chinese folding, traditional = simplified, pinyin both ways and fuzzy marks."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ipnav.config import Settings
from ipnav.model import Reject
from ipnav.trademarks.formats import parse_file
from ipnav.trademarks.model import Trademark
from ipnav.web.app import create_app
from tests.conftest import ROOT, cli_json, run_cli, shared

CN_FIXTURE = ROOT / "tests" / "fixtures" / "trademark_cn" / "cn_register_export.csv"


def _marks(path: Path) -> tuple[list[Trademark], list[Reject]]:
    items = (
        [i for f in sorted(path.glob("*.xml")) if f.is_file() for i in parse_file(f)]
        if path.is_dir()
        else list(parse_file(path))
    )
    return [i for i in items if isinstance(i, Trademark)], [i for i in items if isinstance(i, Reject)]


def test_uspto_case_files() -> None:
    marks, rejects = _marks(shared("trademark", "uspto_daily_xml"))
    by_number = {m.number: m for m in marks}
    suveneer = by_number["US98763166"]
    assert (suveneer.text, suveneer.mark_type, suveneer.class_numbers) == ("SUVENEER", "word", [16])
    assert suveneer.filing_date == dt.date(2024, 9, 24) and suveneer.status == "filed"
    assert suveneer.status_raw.startswith("630 NEW APPLICATION")
    assert suveneer.classes[0].goods["en"] == "Stickers; Stick markers; Sticker albums; Sticker books"
    owner = suveneer.owners[0]
    assert (owner.name, owner.city, owner.country) == ("Nguyen Quang Huy", "Hanoi", "VN")
    assert [e.code for e in suveneer.events] == ["NWAP"]
    repeated = by_number["US71060608"]  # the international code repeated in the source counts once
    assert len(repeated.class_numbers) == len(set(repeated.class_numbers))
    assert [r.field for r in rejects] == ["file"] and "prolog" in rejects[0].reason  # the DTD prolog alone


def test_euipo_marks_against_their_files() -> None:
    folder = shared("trademark", "euipo")
    marks, rejects = _marks(folder)
    texts = {f.name: f.read_text(encoding="utf-8") for f in folder.glob("*.xml")}
    registered = sum(1 for t in texts.values() if ">Registered<" in t or ">Registration cancellation pending<" in t)
    assert rejects == [] and len(marks) == len(texts) == 721
    assert sum(1 for m in marks if m.status == "registered") == registered
    terra = next(m for m in marks if m.number == "EM018222197")
    assert (terra.text, terra.mark_type, terra.class_numbers) == ("TERRA S NOVA", "word", [1])
    assert (terra.filing_date, terra.registration_date, terra.expiry_date) == (
        dt.date(2020, 4, 8), dt.date(2020, 8, 5), dt.date(2030, 4, 8)
    )  # fmt: skip
    assert len(terra.classes[0].goods) == 23 and terra.classes[0].goods["en"].startswith("Mineral adsorbents")
    occhio = next(m for m in marks if m.number == "EM018222200")
    assert occhio.mark_type == "figurative" and occhio.vienna[:2] == ["24.07.01", "24.07.23"]
    with_vienna = sum(1 for t in texts.values() if "<CategoryCode>" in t)
    assert sum(1 for m in marks if m.vienna) == with_vienna


def test_tipo_gazette_and_applications() -> None:
    gazette, rejects = _marks(shared("trademark", "tipo", "gazette_index.xml"))
    assert rejects == [] and len(gazette) == 2434  # total-count of the file
    energy = next(m for m in gazette if m.registration_number == "TW02207611")
    assert (energy.text, energy.mark_type, energy.number) == ("量特能ENERGYISLAND", "combined", "TW110045137")
    assert energy.filing_date == dt.date(2021, 6, 26)  # ROC 110.06.26
    assert (energy.registration_date, energy.expiry_date) == (dt.date(2022, 3, 16), dt.date(2032, 3, 15))
    fisher = next(m for m in gazette if m.registration_number == "TW02207609")
    assert fisher.owners[0].names == {"zh": "美商費雪科學公司", "en": "FISHER SCIENTIFIC COMPANY L.L.C."}
    case, rejects = _marks(shared("trademark", "tipo", "case_TmarkAppl_100000001.xml"))
    assert rejects == [] and len(case) == 1  # its ftp:// DTD was not fetched
    mark = case[0]
    assert (mark.number, mark.text, mark.filing_date) == ("TW100000001", "高強", dt.date(2011, 1, 3))
    assert (mark.classes[0].number, mark.classes[0].groups) == (41, ["4103"])
    assert [o.name for o in mark.owners if o.role == "agent"] == ["沈慶慧", "林雪美"]
    api, _ = _marks(shared("trademark", "tipo", "api_TmarkAppl.xml"))
    assert len(api) == 25 and api[0].extra.get("local_classes") is None  # 1951: class 32 of the old scheme
    assert any("local_classes" in m.extra for m in api)  # pre-Nice Taiwanese classes kept apart


@pytest.fixture(scope="module")
def tm_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("trademarks") / "ws"
    loaded = run_cli(
        "ingest", str(shared("trademark", "uspto_daily_xml")), str(shared("trademark", "euipo")),
        str(shared("trademark", "tipo")), str(CN_FIXTURE), workspace=root,
    )  # fmt: skip
    assert loaded.returncode == 3, loaded.stderr  # finished, with rejects (the prolog, notes, the bad CN row)
    return root


def test_chinese_register_export(tm_ws: Path) -> None:
    rejects = cli_json("rejects", workspace=tm_ws)
    assert isinstance(rejects, list)
    bad = [r for r in rejects if r["source_file"].endswith("cn_register_export.csv")]
    assert [(r["position"], r["field"]) for r in bad] == [(12, "classes"), (13, "groups")]
    assert "99" in bad[0]["reason"] and "0901" in bad[1]["reason"]
    client = TestClient(create_app(Settings(workspace=tm_ws, public=True)))
    statuses = {}
    for number in ("61234501", "71234506", "71234507", "51234508", "41234509", "31234510"):
        statuses[number] = client.get(f"/api/trademarks/{number}").json()["status"]
    assert statuses == {"61234501": "registered", "71234506": "filed", "71234507": "published",
                        "51234508": "invalidated", "41234509": "cancelled", "31234510": "expired"}  # fmt: skip
    smart = cli_json("tm", "show", "第61234502号", workspace=tm_ws)
    assert isinstance(smart, dict)
    assert smart["goods"][0]["groups"] == ["0901", "0907", "0913"] and smart["type"] == "combined"
    assert smart["goods"][0]["group_names"]["0901"] == "电子计算机及其外部设备"  # from the 区分表
    assert (smart["owners"][0]["adcode"], smart["owners"][0]["county"]) == ("320412", "武进区")
    assert smart["expiry_date"] == "2031-12-27" and [e["code"] for e in smart["events"]] == ["1760", "1772"]
    madrid = client.get("/api/trademarks/G1534567").json()
    assert madrid["office"] == "WO" and madrid["international_registration"]
    kinds = {n: client.get(f"/api/trademarks/{n}").json()["kind"] for n in ("61234503", "61234504")}
    assert kinds == {"61234503": "collective", "61234504": "certification"}


def test_show_gives_every_field_any_spelling(tm_ws: Path) -> None:
    shown = cli_json("tm", "show", "us 98/763,166", workspace=tm_ws)
    assert isinstance(shown, dict)
    for key in ("office", "number", "text", "type", "kind", "classes", "groups", "filing_date", "registration_date",
                "expiry_date", "status", "status_raw", "owners", "vienna", "events"):  # fmt: skip
        assert key in shown, key
    assert (shown["number"], shown["classes"], shown["owners"][0]["country"]) == ("US98763166", [16], "VN")
    missing = run_cli("tm", "show", "US98763199", workspace=tm_ws)
    assert missing.returncode == 1 and "no trademark with number" in missing.stderr


def test_search_folding_pinyin_fuzzy_and_fields(tm_ws: Path) -> None:
    client = TestClient(create_app(Settings(workspace=tm_ws, public=True)))

    def numbers(query: str) -> set[str]:
        return {
            h["number"] for h in client.get("/api/trademarks/search", params={"q": query, "limit": 1000}).json()["hits"]
        }

    assert numbers("景嶽") == numbers("景岳") == numbers("jingyue") != set()  # traditional = simplified = pinyin
    cli = cli_json("tm", "search", "jingyue", "--all", workspace=tm_ws)
    assert isinstance(cli, dict) and {h["number"] for h in cli["hits"]} == numbers("景岳")
    assert "CN61234511" in numbers("龙腾") and "CN61234511" in numbers("longteng")  # 龍騰萬里
    assert numbers("suvener~1") == {"US98763166"} and numbers("suvener") == set()
    assert numbers("class=30 status=registered office=CN") == {"CN61234501"}
    assert numbers("group=0907") == {"CN61234502"} and numbers("owner=龙城智能") == {"CN61234502"}
    euipo = cli_json("tm", "search", "office=EM ad=2020", workspace=tm_ws)
    assert isinstance(euipo, dict) and euipo["total"] == 721 and euipo["facets"]["status"]["registered"] == 567
    bad = run_cli("tm", "search", "colour=red", workspace=tm_ws)
    assert bad.returncode == 2 and "unknown field 'colour'" in bad.stderr


def test_trademark_api(tm_ws: Path) -> None:
    client = TestClient(create_app(Settings(workspace=tm_ws, public=True)))
    found = client.get("/api/trademarks/search", params={"q": "xiaowei", "limit": 5}).json()
    assert [h["number"] for h in found["hits"]] == ["CN71234507"]  # 小微宝 by its pinyin
    mark = client.get("/api/trademarks/EM018222197").json()
    assert mark["text"] == "TERRA S NOVA" and mark["status"] == "registered"
    assert client.get("/api/trademarks/EM099999999").status_code == 404
    assert re.search("give a search", client.get("/api/trademarks/search", params={"q": " "}).text)


def test_trademark_indicators_and_plan_targets(tm_ws: Path) -> None:
    """The fixture's marks of mainland owners on 2025-12-31 (README of the fixture): valid are 山城红 (重庆),
    龙城智造, CHANGLONG (Madrid) and 龍騰萬里 (江苏), 南江黄羊 (四川, collective) and 宁夏枸杞 (certification);
    渝味坊 (filed), 小微宝 (published), 江津老窖 (invalidated), 丽颜 (cancelled), 巴蜀文汇 (expired) are not."""

    def indicator(*args: str) -> dict[str, object]:
        data = cli_json("indicator", *args, "--as-of", "2025-12-31", workspace=tm_ws)
        assert isinstance(data, dict)
        return data

    valid = indicator("valid_trademarks", "--by", "province")
    assert valid["total"]["count"] == 6  # type: ignore[index]
    assert {r["name"]: r["count"] for r in valid["rows"]} == {  # type: ignore[attr-defined]
        "江苏省": 3, "重庆市": 1, "四川省": 1, "宁夏回族自治区": 1,
    }  # fmt: skip
    assert indicator("madrid_registrations", "--region", "常州市")["total"]["count"] == 1  # type: ignore[index]
    assert indicator("gi_trademarks")["total"]["count"] == 2  # type: ignore[index]
    drilled = indicator("valid_trademarks", "--region", "重庆市", "--patents")
    assert [m["text"] for m in drilled["patents"]] == ["山城红"]  # type: ignore[attr-defined]
    flow = indicator("trademark_applications", "--region", "常州市", "--years", "2021-2023")
    assert [p["value"] for p in flow["total"]["series"]] == [2, 0, 1]  # type: ignore[index]
    client = TestClient(create_app(Settings(workspace=tm_ws, public=True)))
    page = client.get("/indicators", params={"name": "valid_trademarks", "region": "500000", "by": "county",
                                              "patents": "1"})  # fmt: skip
    assert page.status_code == 200 and 'id="marks-behind"' in page.text and "山城红" in page.text
    plan = cli_json("plan", "status", "nanjiang-2021-2025", workspace=tm_ws)
    assert isinstance(plan, dict)
    marks = next(i for i in plan["indicators"] if i["id"] == "trademarks")
    assert not marks["manual"] and marks["latest"]["value"] == 1.0 and marks["latest"]["source"] == "computed"


def test_no_trademarks_loaded_means_no_figure(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert run_cli("ingest", str(ROOT / "ipnav" / "sample" / "cn" / "cn_old1.xml"), workspace=root).returncode == 0
    empty = cli_json("indicator", "valid_trademarks", "--region", "南江县", workspace=root)
    assert isinstance(empty, dict) and empty["total"]["value"] is None  # not a false 0
    plan = cli_json("plan", "status", "nanjiang-2021-2025", workspace=root)
    assert isinstance(plan, dict)
    assert next(i for i in plan["indicators"] if i["id"] == "trademarks")["status"] == "no_data"


def test_tsdr_status_file_is_read_as_wipo_st66() -> None:
    """USPTO TSDR answers in WIPO ST.66, the layout of EUIPO's files: the same reader, a USPTO status code."""
    marks, rejects = _marks(shared("trademark", "tsdr", "sn76044902.xml"))
    assert rejects == [] and len(marks) == 1
    python = marks[0]
    assert (python.number, python.registration_number, python.text) == ("US76044902", "US2824281", "PYTHON")
    assert (python.filing_date, python.registration_date) == (dt.date(2000, 5, 9), dt.date(2004, 3, 23))
    assert python.status == "registered" and python.status_raw.startswith("702 SECTION 8 & 15")
    assert python.class_numbers == [9, 42] and python.source_format == "wipo_st66"
    assert (python.owners[0].name, python.owners[0].city) == ("PYTHON SOFTWARE FOUNDATION", "Wolfeboro Falls")
    assert python.events and all(e.date for e in python.events)


def test_st96_status_files_and_teas_application() -> None:
    """TSDR's ST.96 2.2.1 file and the same case in the 1.D3 draft give one mark; TEAS applications too."""
    current, rejects = _marks(shared("trademark", "tsdr", "rn2178784-ST-962.2.1.xml"))
    draft, draft_rejects = _marks(shared("trademark", "tsdr", "rn2178784-ST-961_D3.xml"))
    assert rejects == draft_rejects == [] and len(current) == len(draft) == 1
    java = current[0]
    assert (java.number, java.registration_number, java.text, java.mark_type) == (
        "US74631225", "US2178784", "JAVA", "word"
    )  # fmt: skip
    assert (java.filing_date, java.registration_date) == (dt.date(1995, 2, 7), dt.date(1998, 8, 4))
    assert java.status == "registered" and java.status_raw == "800 REGISTERED AND RENEWED"
    assert java.expiry_date == dt.date(2018, 8, 4)  # renewed 2008-08-04 for ten years
    assert java.class_numbers == [9] and java.classes[0].goods["en"].startswith("computer programs")
    owners = [(o.name, o.role) for o in java.owners if o.role != "agent"]
    assert owners == [("Oracle America, Inc.", "owner"), ("Sun Microsystems, Inc.", "former_owner")]
    assignment = next(e for e in java.events if e.kind == "assignment")
    assert assignment.date == dt.date(2010, 4, 23) and "ORACLE AMERICA" in assignment.description
    source = shared("trademark", "tsdr", "rn2178784-ST-962.2.1.xml").read_text(encoding="utf-8")
    assert len([e for e in java.events if e.kind == "event"]) == source.count("<ns2:MarkEvent>")
    assert (draft[0].text, draft[0].status, draft[0].class_numbers, draft[0].owners[0].name) == (
        "JAVA", "registered", [9], "Oracle America, Inc."
    )  # fmt: skip
    teas, rejects = _marks(shared("trademark", "st96", "TrademarkApplication_Example.xml"))
    assert rejects == [] and len(teas) == 1
    lanyi = teas[0]
    assert (lanyi.number, lanyi.text, lanyi.mark_type) == ("US87035559", "LANYI", "combined")
    assert lanyi.status == "registered"
    assert lanyi.vienna == ["06.03.03"] and lanyi.image == "87035559.png"
    assert (lanyi.owners[0].name, lanyi.owners[0].country) == ("Shenzhen Fengniao E-Commerce Co.,Ltd", "CN")


def test_iponz_opposition_lines_and_bad_lines(tmp_path: Path) -> None:
    """New Zealand oppositions (JSON Lines) against counts taken from the file; a bad line is a reject
    naming its line and field, and the other lines go on."""
    import json

    source = shared("trademark", "iponz_tm_oppositions.jsonl")
    records = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()]
    bad = tmp_path / "oppositions.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in records[:3]]
    broken = dict(records[3], classifications=[{"classId": 99, "description": "x"}])
    bad.write_text("\n".join([*lines, "{not json", json.dumps(broken)]) + "\n", encoding="utf-8")
    root = tmp_path / "ws"
    assert run_cli("ingest", str(source), workspace=root).returncode == 0
    result = cli_json("tm", "search", "office:NZ", "--all", workspace=root)
    assert isinstance(result, dict) and result["total"] == len({r["binder"]["applicationNo"] for r in records})
    red_cat = cli_json("tm", "show", "NZ 1176937", workspace=root)
    assert isinstance(red_cat, dict) and red_cat["text"] == "Red Cat" and red_cat["status"] == "opposed"
    expected = next(r for r in records if r["binder"]["applicationNo"] == 1176937)
    assert red_cat["classes"] == [c["classId"] for c in expected["classifications"]]
    assert red_cat["owners"][0]["name"] == "RCI Distribution Pty Ltd" and red_cat["owners"][0]["country"] == "AU"
    opposition = next(e for e in red_cat["events"] if e["kind"] == "opposition")
    assert opposition["date"] == "2022-03-23" and "Caterpillar" in opposition["description"]
    images = sum(1 for r in records if r["trademark"]["image"])
    with_image = cli_json("tm", "search", "office:NZ", "--all", workspace=root)
    assert isinstance(with_image, dict) and images == 90
    assert run_cli("ingest", str(bad), workspace=root).returncode == 3
    rejects = cli_json("rejects", workspace=root)
    assert isinstance(rejects, list)
    assert {(r["line"], r["field"]) for r in rejects} == {(4, "json"), (5, "classifications[1].classId")}


def test_newer_copy_of_a_mark_wins_whatever_the_reading_order(tmp_path: Path) -> None:
    """Two daily files of one case: the one with the later status date is kept, read first or last."""
    folder = shared("trademark", "uspto_daily_xml")
    for order in (("revival-after-98186103.xml", "revival-before-98186103.xml"),
                  ("revival-before-98186103.xml", "revival-after-98186103.xml")):  # fmt: skip
        root = tmp_path / order[0]
        for name in order:
            assert run_cli("ingest", str(folder / name), workspace=root).returncode == 0
        mark = cli_json("tm", "show", "98186103", workspace=root)
        assert isinstance(mark, dict) and mark["status_date"] == "2024-09-25" and mark["status_raw"].startswith("616")


def test_well_known_list_enterprises_per_10k_and_the_plans_that_use_them(tmp_path: Path) -> None:
    """The well-known mark list finds each row's region (list column, mark number, same owner, the place
    the name begins with); 万企有效注册商标企业数 divides distinct enterprise owners by the user's table (or
    NBS's provincial series); the plans of 南江, 常州, 重庆 and 宁夏 compute their trademark targets."""
    root = tmp_path / "ws"
    assert run_cli("ingest", str(CN_FIXTURE), workspace=root).returncode == 3  # the two bad rows
    fixture = CN_FIXTURE.parent
    ordinary = cli_json("tm", "similar", "shanchenghong", workspace=root)  # its own pinyin: not similar ...
    assert isinstance(ordinary, dict) and ordinary["hits"] == []
    loaded = run_cli("tm", "well-known", "load", str(fixture / "well_known_marks.csv"), workspace=root)
    famous = cli_json("tm", "similar", "shanchenghong", workspace=root)  # ... unless the mark is well known
    assert isinstance(famous, dict) and famous["hits"][0]["reasons"] == ["驰名商标与其拼音: 山城红/shanchenghong"]
    assert loaded.returncode == 3 and "row 6: year: '二〇二〇' is not a year" in loaded.stderr
    listed = cli_json("tm", "well-known", "list", workspace=root)
    assert isinstance(listed, list)
    assert {r["mark"]: (r["adcode"], r["region_basis"]) for r in listed} == {
        "龙城": ("320400", "list"), "山城红": ("500108", "owner"), "南江黄羊": ("511922", "mark"),
        "金台山": ("511922", "name"), "无主商标": (None, ""),
    }  # fmt: skip

    def indicator(*args: str) -> dict[str, Any]:
        data = cli_json("indicator", *args, "--as-of", "2025-12-31", workspace=root)
        assert isinstance(data, dict)
        return data

    assert indicator("well_known_marks", "--region", "南江县")["total"]["count"] == 2
    assert indicator("well_known_marks")["meta"]["unplaced"] == 1
    new = indicator("well_known_marks_new", "--region", "南江县", "--years", "2022-2024")
    assert [p["value"] for p in new["total"]["series"]] == [0, 1, 1]
    # 常州: 龙城智造, CHANGLONG and 龍騰萬里 are valid, each of another enterprise; the district of 武进 holds one
    (root / "enterprise_units.csv").write_bytes((fixture / "enterprise_units.csv").read_bytes())
    changzhou = indicator("trademark_enterprises_per_10k", "--region", "常州市", "--by", "county")
    assert (changzhou["total"]["enterprises"], changzhou["total"]["enterprise_units"]) == (3, 400)
    assert changzhou["total"]["value"] == 75
    assert {r["name"]: r["value"] for r in changzhou["rows"]}["武进区"] == 200  # 1 / 50 × 10,000
    jiangsu = indicator("trademark_enterprises_per_10k", "--region", "江苏省")["total"]
    assert jiangsu["enterprise_units"] == 2965872 and jiangsu["enterprise_units_year"].startswith("2024")
    madrid = indicator("madrid_new_registrations", "--region", "常州市", "--years", "2019-2021")
    assert [p["value"] for p in madrid["total"]["series"]] == [0, 1, 0]
    expected = {
        "nanjiang-2021-2025": {"trademarks": 1.0, "madrid_marks": 0.0, "well_known_marks": 2.0},
        "changzhou-2022-2025": {"trademark_enterprises_per_10k": 75.0, "madrid_marks": 1.0},
        "chongqing-2015-2020": {"trademarks": 1.0},
        "ningxia-2021-2025": {"trademarks": 1.0, "gi_marks": 1.0},
    }
    for plan_id, targets in expected.items():
        plan = cli_json("plan", "status", plan_id, "--as-of", "2025-12-31", workspace=root)
        assert isinstance(plan, dict)
        got = {i["id"]: i for i in plan["indicators"] if i["id"] in targets}
        assert {k: v["latest"]["value"] for k, v in got.items()} == targets, plan_id
        assert all(not v["manual"] and v["latest"]["source"] == "computed" for v in got.values())


def test_trademark_navigation_items_open_exactly_the_marks_they_count(tm_ws: Path) -> None:
    """Every analysis of 商标导航 (API), for all marks and for a query: each item's drill query finds as many
    marks as the item counts; the CLI gives the same rows."""
    client = TestClient(create_app(Settings(workspace=tm_ws, public=True)))
    for selection in ("all", "class=9 OR class=35"):
        pack = client.get("/api/trademarks/navigate", params={"selection": selection}).json()
        assert set(pack["analyses"]) == {
            "tm_trends", "tm_owners", "tm_classes", "tm_groups", "tm_regions", "tm_status", "tm_types", "tm_kinds",
            "tm_agents", "tm_offices",
        }  # fmt: skip
        checked = 0
        for analysis in pack["analyses"].values():
            assert analysis["option"]["series"], analysis["kind"]
            counted = analysis["counted"]
            for row in [r for r in analysis["rows"] if r["drill"] and r[counted]][:4]:
                found = client.get("/api/trademarks/search", params={"q": row["drill"], "limit": 1}).json()
                assert found["total"] == row[counted], (analysis["kind"], row)
                checked += 1
        assert checked >= 30
    marks = client.get("/api/trademarks/search", params={"q": "class=9 OR class=35", "limit": 1}).json()["total"]
    assert pack["marks"] == marks
    classes = {r["class_no"]: r["marks"] for r in pack["analyses"]["tm_classes"]["rows"]}
    counted_from_files = cli_json("tm", "search", "class=9", "--limit", "1", workspace=tm_ws)
    assert isinstance(counted_from_files, dict) and classes[9] == counted_from_files["total"]
    cli = cli_json("tm", "navigate", "all", workspace=tm_ws)
    assert isinstance(cli, dict) and cli["analyses"]["tm_offices"]["rows"] == client.get(
        "/api/trademarks/navigate", params={"selection": "all"}).json()["analyses"]["tm_offices"]["rows"]  # fmt: skip


def test_trademark_pages_and_export(tm_ws: Path, tmp_path: Path) -> None:
    """The search page (facets, paging, a clear error), a mark's page, and the export of every hit."""
    import openpyxl

    client = TestClient(create_app(Settings(workspace=tm_ws, public=True)))
    page = client.get("/trademarks", params={"q": "status=registered"})
    assert page.status_code == 200 and 'id="tm-next"' in page.text and 'data-facet="class"' in page.text
    bad = client.get("/trademarks", params={"q": "class=99"})
    assert bad.status_code == 200 and "Nice class number 1-45" in bad.text
    mark = client.get("/trademarks/CN61234503")
    assert "南江黄羊" in mark.text and "集体商标" in mark.text and "3104" in mark.text
    export = client.get("/trademarks/export", params={"q": "office=CN", "format": "xlsx"})
    target = tmp_path / "marks.xlsx"
    target.write_bytes(export.content)
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    total = client.get("/api/trademarks/search", params={"q": "office=CN"}).json()["total"]
    assert rows[0][0] == "号码 number" and len(rows) - 1 == total


def test_trademark_navigation_report(tm_ws: Path, tmp_path: Path) -> None:
    """商标导航分析报告: Excel with the marks and a sheet per analysis with its native chart; Word with the
    overview written from the figures and a chart per analysis."""
    import openpyxl
    from docx import Document

    xlsx, docx = tmp_path / "tm.xlsx", tmp_path / "tm.docx"
    for target in (xlsx, docx):
        made = cli_json("tm", "report", "class=9", "--out", str(target), workspace=tm_ws)
        assert isinstance(made, dict) and made["analyses"] == 10
    marks = cli_json("tm", "search", "class=9", "--limit", "1", workspace=tm_ws)
    assert isinstance(marks, dict) and made["marks"] == marks["total"]
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames[:3] == ["概览 overview", "商标清单 marks", "01 商标申请／注册趋势"]
    assert book["商标清单 marks"].max_row - 1 == marks["total"]
    assert all(len(book[name]._charts) == 1 for name in book.sheetnames[2:])
    text = [p.text for p in Document(str(docx)).paragraphs]
    assert text[0] == "商标导航分析报告" and any(f"本次分析共涉及商标 {marks['total']:,} 件" in t for t in text)


def test_similar_marks_with_scores_and_reasons(tm_ws: Path) -> None:
    """`tm similar`: the same mark in traditional characters, a misspelt Latin mark, a reordered and a
    homophone Chinese mark each find the register's mark with the reason in words; goods lower the score
    outside the class."""
    same = cli_json("tm", "similar", "龍城智造", "--groups", "0901", workspace=tm_ws)
    assert isinstance(same, dict)
    top = same["hits"][0]
    assert (top["number"], top["score"]) == ("CN61234502", 100)
    assert top["reasons"] == ["文字相同: 龙城智造", "类似群 0901 相同"]
    misspelt = cli_json("tm", "similar", "magnabeuty", "--limit", "3", workspace=tm_ws)
    assert isinstance(misspelt, dict) and misspelt["hits"][0]["text"] == "MAGNABEAUTY"
    assert misspelt["hits"][0]["reasons"][0].startswith("字母近似")
    other_goods = cli_json("tm", "similar", "龙城智造", "--classes", "43", "--threshold", "0", workspace=tm_ws)
    assert isinstance(other_goods, dict) and other_goods["hits"][0]["score"] == 40  # 1.0 × unrelated goods 0.4
    reordered = cli_json("tm", "similar", "城龙智造", workspace=tm_ws)
    assert isinstance(reordered, dict) and "字序不同: 城龙智造/龙城智造" in reordered["hits"][0]["reasons"]
    bad = run_cli("tm", "similar", "小米", "--groups", "9999", workspace=tm_ws)
    assert bad.returncode != 0 and "9999" in bad.stderr


def test_a_large_gazette_is_parsed_in_parts_and_rejects_keep_their_place(tmp_path: Path) -> None:
    """A gazette of many marks (over one worker's share) is split by its records for the parser processes:
    every mark arrives once, and a bad record is named by its position in the whole file."""
    source = shared("trademark", "tipo", "gazette_index.xml").read_bytes()
    entries = re.findall(rb'<RegContent no="\d+">.*?</RegContent>', source, flags=re.S)
    copies = []
    for n in range(3 * len(entries)):
        entry = entries[n % len(entries)]
        entry = re.sub(rb"<CaseNo>\d+</CaseNo>", b"<CaseNo>%d</CaseNo>" % (400000000 + n), entry)
        entry = re.sub(rb"<RegisterNo>\d+</RegisterNo>", b"<RegisterNo>%08d</RegisterNo>" % (60000000 + n), entry)
        copies.append(entry)
    bad = 6000  # 1-based position of a record without any number
    copies[bad - 1] = re.sub(rb"<(CaseNo|RegisterNo)>\d+</\1>", b"", copies[bad - 1])
    big = tmp_path / "gazette_big.xml"
    big.write_bytes(b'<?xml version="1.0" encoding="utf-8"?>\n<RegContentList>\n' + b"\n".join(copies)
                    + b"\n</RegContentList>\n")  # fmt: skip
    assert big.stat().st_size > 4 << 20  # more than one worker's share
    root = tmp_path / "ws"
    loaded = cli_json("ingest", str(big), "--workers", "2", workspace=root)
    assert isinstance(loaded, dict) and (loaded["inserted"], loaded["rejected"]) == (len(copies) - 1, 1)
    rejects = cli_json("rejects", workspace=root)
    assert isinstance(rejects, list) and [(r["position"], r["field"]) for r in rejects] == [(bad, "RegisterNo")]


def test_a_large_table_is_parsed_in_parts_and_rejects_keep_their_row(tmp_path: Path) -> None:
    """A register export of over 1 MB goes to the parser processes in parts of 2,000 rows, each led by the
    header: every mark arrives once, and a bad row is named by its record position and line in the file."""
    header, *rows = CN_FIXTURE.read_text(encoding="utf-8").splitlines()
    rows = rows[:11]  # the fixture's good rows (its last two are rejects of their own)
    lines = []
    for n in range(7000):
        cells = rows[n % len(rows)].split(",")
        cells[0] = str(70000000 + n)
        lines.append(",".join(cells))
    bad = 4321  # 1-based record position of a row without its number
    lines[bad - 1] = "," + lines[bad - 1].split(",", 1)[1]
    lines.insert(2500, "")  # an empty line: not a record, but a line
    big = tmp_path / "register_big.csv"
    big.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    assert big.stat().st_size > 1 << 20
    root = tmp_path / "ws"
    loaded = cli_json("ingest", str(big), "--workers", "2", "--no-index", workspace=root)
    assert isinstance(loaded, dict) and (loaded["inserted"], loaded["rejected"]) == (6999, 1)
    rejects = cli_json("rejects", workspace=root)
    assert isinstance(rejects, list) and [(r["position"], r["line"]) for r in rejects] == [(bad, bad + 2)]
    last = cli_json("tm", "show", str(70000000 + 6999), workspace=root)
    assert isinstance(last, dict) and last["text"] == rows[6999 % len(rows)].split(",")[4]
