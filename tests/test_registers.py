"""The other registers as a user meets them: `ipnav ingest` of the real GI, copyright and penalty-decision
samples and of the hand-built fixtures (plant varieties, the CNIPA transaction gazette, pledge lists, cases,
credit and named lists, technology contracts, GI users' sales), every field of chosen records, the rejects,
the indicators counted again from the files, the on-time closure rule, the Excel template round trip and
the plans' targets computed from data."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.conftest import SAMPLE, cli_json, run_cli, shared

FIXTURES = SAMPLE / "registers"


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("registers") / "ws"
    result = run_cli("ingest", str(shared("registries")), str(FIXTURES), workspace=root)
    assert result.returncode == 3, result.stderr  # finished, with rejects
    return root


def _records(ws: Path, name: str, *args: str) -> list[dict[str, Any]]:
    data = cli_json("registers", "records", name, *args, "--per-page", "10000", workspace=ws)
    return data["records"]  # type: ignore[index, no-any-return]


def _show(ws: Path, key: str) -> dict[str, Any]:
    data = cli_json("registers", "show", key, workspace=ws)
    assert isinstance(data, dict)
    return {**data, "values": {f["name"]: f["value"] for f in data["fields"]}}


def _one(ws: Path, name: str, query: str) -> dict[str, Any]:
    found = _records(ws, name, query)
    assert len(found) == 1, (query, found)
    return _show(ws, found[0]["app_key"])


def _value(ws: Path, indicator: str, *args: str) -> Any:
    data = cli_json("indicator", indicator, *args, workspace=ws)
    return data["total"]  # type: ignore[index]


def test_real_gi_copyright_and_decisions_are_read_field_by_field(ws: Path) -> None:
    pig = _one(ws, "gi", "number:AGI00256")
    assert pig["values"] == {
        "name": "宁乡猪", "gi_type": "农产品地理标志", "number": "AGI00256", "holder": "宁乡市畜牧水产事务中心",
        "province": "湖南省", "city": "长沙市", "source": "湖南省农业农村厅-湖南省农产品地理标志信息公告",
        "url": "https://agri.hunan.gov.cn/agri/xxgk/tzgg/202203/t20220307_22496403.html",
    }  # fmt: skip
    assert (pig["subtype"], pig["adcode"], pig["region_basis"]) == ("agri", "430100", "place")
    padded = _one(ws, "gi", "number:AGI03385")  # written AGI3385 in the notice's transcription
    assert "AGI3385 补足为 AGI03385" in padded["notes"]
    twice = _records(ws, "gi", "number:AGI00395")  # one certificate number, two GIs: both kept
    assert sorted(r["name"] for r in twice) == sorted(["天岩寨柑桔", "复兴苹果柚"])
    pear = _one(ws, "gi", "冠县鸭梨")  # the census workbook's first sheet: an Excel serial date
    assert (pear["values"]["date"], pear["values"]["number"], pear["adcode"]) == (
        "2006-05-24",
        "2006年第75号",
        "371525",
    )
    assert pear["values"]["users"] == 2 and pear["values"]["standard"] == "DB371525/T001-2005"
    software = _one(ws, "copyright", "number:2016SR309930")
    assert software["values"] == {
        "number": "2016SR309930", "name": "朗动网络企查查网页版软件", "short_name": "企查查网页版",
        "version": "V3.0.0", "category": "30200-0000", "holder": "苏州朗动网络科技有限公司",
        "date": "2016-10-27", "published": "2016-05-27",
    }  # fmt: skip
    assert (software["subtype"], software["adcode"], software["region_basis"]) == (
        "software",
        "320500",
        "applicant_name",
    )
    work = _one(ws, "copyright", '"国作登字-2016-F-00269796"')
    assert work["values"] == {
        "number": "国作登字-2016-F-00269796", "name": "MIJIA及图形", "category": "美术",
        "holder": "小米科技有限责任公司",
        "date": "2016-05-17", "finished": "2015-05-13", "published": "2015-05-14",
    }  # fmt: skip
    assert work["subtype"] == "work" and work["adcode"] == ""  # no place in the owner's name, no address
    decision = _one(ws, "case", '"粤市监广办罚〔2024〕008号"')
    assert decision["values"]["filed"] == "2023-09-14"  # …本局于2023年9月14日…进行立案调查
    assert decision["values"]["date"] == "2024-09-26" and decision["values"]["penalty"] == 20.025  # the largest fine
    assert decision["values"]["kind"] == "专利代理违法" and decision["region_basis"] == "authority"
    assert decision["adcode"] == "440000" and decision["deadline"] == "2023-12-13"


def test_hand_built_registers_and_their_rejects(ws: Path) -> None:
    variety = _one(ws, "plant_variety", "number:CNA20201234.5")
    assert variety["values"] == {
        "number": "CNA20201234.5", "application": "20201234.5", "name": "常农稻示1号", "crop": "水稻",
        "holder": "常州市示例农业科学研究所", "breeder": "张示例;李示例", "filing_date": "2020-03-16",
        "date": "2022-06-30", "announcement": "2022年第3号", "sector": "农业农村部", "status": "有效",
        "address": "江苏省常州市武进区示例路1号",
    }  # fmt: skip
    assert variety["adcode"] == "320412" and variety["region_basis"] == "address"
    pledge = _one(ws, "ip_transaction", "number:Y2022980012345 kind:生效")
    assert pledge["subtype"] == "pledge" and pledge["values"]["numbers"] == ["ZL201910717156.4"]
    assert pledge["values"]["from_party"] == "常州锦瑟医疗信息科技有限公司" and pledge["event"] == "registration"
    release = _one(ws, "ip_transaction", "number:Y2022980012345 kind:注销")
    assert release["event"] == "release" and release["values"]["end"] == "2023-06-30"
    listed = _one(ws, "ip_transaction", "number:Y2024510000202")  # a regional list: no 事务类型 column
    assert listed["values"]["kind"] == "质押登记" and listed["values"]["ip_type"] == "专利+商标"
    assert listed["values"]["amount"] == 1200.0 and listed["adcode"] == "511922" and listed["region_basis"] == "adcode"
    licence = _one(ws, "ip_transaction", "number:X2024320000789")
    assert licence["subtype"] == "licence" and licence["values"]["licence_type"] == "开放许可"
    assert licence["values"]["amount"] == 5.0
    gi_mark = _one(ws, "gi", "number:7306965")  # a GI registered as a mark: linked to the mark itself
    assert gi_mark["subtype"] == "mark" and gi_mark["links"]["trademarks"][0]["text"] == "汉中仙毫"
    shown = cli_json("tm", "show", "7306965", workspace=ws)  # and the mark names its register records
    assert [r["app_key"] for r in shown["register_records"]] == [gi_mark["app_key"]]  # type: ignore[index]
    window = _one(ws, "listing", "渭南")
    assert (window["subtype"], window["level"], window["year"], window["end_date"]) == (
        "tm_window", "国家级", 2022, "2024-12-31")  # fmt: skip
    contract = _one(ws, "tech_contract", "number:2024320400000202")
    assert contract["values"] == {
        "number": "2024320400000202", "name": "新材料制备专利技术转让", "kind": "技术转让",
        "holder": "常州示例新材料有限公司", "buyer": "无锡示例化工有限公司", "amount": 8200.0, "tech_amount": 8000.0,
        "date": "2024-08-08", "address": "江苏省常州市武进区示例大道5号",
    }  # fmt: skip
    assert contract["subtype"] == "transfer" and contract["amount"] == 8200.0 and contract["adcode"] == "320412"
    listed_firm = _one(ws, "listing", "常州示例专利事务所")
    assert listed_firm["values"] == {
        "list": "专利代理机构", "holder": "常州示例专利事务所(普通合伙)", "year": 2021, "date": "2021-05-06",
        "authority": "国家知识产权局", "number": "执业许可证 32200", "adcode": "320402",
    }  # fmt: skip
    assert listed_firm["subtype"] == "patent_agency" and listed_firm["region_basis"] == "adcode"
    credit = _one(ws, "credit", "恶意商标注册")
    assert credit["values"] == {
        "list": "恶意商标注册", "holder": "南江县示例商贸有限公司", "credit_code": "91511922MA00000002",
        "date": "2023-09-01", "end": "2025-03-01", "authority": "国家知识产权局", "reason": "大量囤积商标",
        "number": "商标异字〔2023〕1号", "adcode": "511922",
    }  # fmt: skip
    case = _one(ws, "case", '"南市监罚〔2025〕11号"')
    assert case["values"] == {
        "number": "南市监罚〔2025〕11号", "name": "假冒专利案", "kind": "假冒专利", "procedure": "行政",
        "holder": "南江县示例五金店", "agency": "南江县市场监督管理局", "filed": "2025-04-01", "date": "2025-06-15",
        "result": "罚款", "penalty": 0.5, "adcode": "511922",
    }  # fmt: skip
    assert (case["deadline"], case["closure_state"]) == ("2025-06-30", "on_time")  # 90 days from filing
    gazette = _one(ws, "ip_transaction", "number:Y2023980034567")
    assert gazette["values"] == {
        "kind": "专利权质押合同登记的生效", "ip_type": "专利", "numbers": ["ZL201810991964.5"],
        "number": "Y2023980034567", "from_party": "常州天眼星图光电科技有限公司",
        "to_party": "常州示例农村商业银行股份有限公司", "date": "2023-03-15",
        "title": "一种基于虚拟现实技术的三维动画装配教学方法和装置",
    }  # fmt: skip
    assert gazette["region_basis"] == "applicant_name" and gazette["adcode"] == "320400"
    assert gazette["event"] == "registration" and "patents" not in gazette["links"]  # not in this warehouse
    rejects = cli_json("rejects", workspace=ws)
    found = {(Path(r["source_file"]).name, r["position"], r["field"]) for r in rejects}  # type: ignore[union-attr]
    assert {
        ("agri_gi_rows.csv", 21, "number"), ("cases_handbuilt.csv", 12, "date"),
        ("cnipa_gazette_transfers_handbuilt.csv", 4, "date"), ("named_lists_handbuilt.csv", 28, "list"),
        ("plant_varieties_handbuilt.csv", 7, "number"), ("pledge_list_handbuilt.csv", 6, "amount"),
    } <= found  # fmt: skip
    assert not any(name.endswith(".jsonl") for name, *_ in found)  # every decision says when its case was filed
    reasons = {r["field"]: r["reason"] for r in rejects if "handbuilt" in r["source_file"]}  # type: ignore[union-attr]
    assert reasons["amount"] == "not an amount: '约三千万' (write a number of 万元, e.g. 500 or 500万元)"
    again = run_cli("ingest", str(FIXTURES), workspace=ws)
    assert "新增 inserted 0" in again.stdout and "更新 updated 0" in again.stdout  # idempotent


def test_indicators_counted_again_from_the_files(ws: Path) -> None:
    with shared("registries", "gi", "agri_gi_rows.csv").open(encoding="utf-8") as f:
        hunan = [r for r in csv.DictReader(f) if r["province"] == "湖南省" and r["cert_or_spec_no"] != "AG102567"]
    assert _value(ws, "agri_gis", "--region", "湖南")["value"] == len(hunan) == 126
    with (FIXTURES / "pledge_list_handbuilt.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["行政区划代码"] == "511922"]
    by_year: dict[int, float] = {}
    for r in rows:
        by_year[int(r["质押登记日"][:4])] = by_year.get(int(r["质押登记日"][:4]), 0.0) + float(r["质押金额(万元)"])
    series = _value(ws, "pledge_amount", "--region", "511922", "--as-of", "2025-12-31", "--years", "2023-2025")
    assert {p["year"]: p["value"] for p in series["series"]} == {y: v / 10000 for y, v in by_year.items()}
    assert _value(ws, "trademark_window_coverage", "--region", "陕西", "--as-of", "2023-06-30")["value"] == 60.0
    assert _value(ws, "trademark_window_coverage", "--region", "陕西", "--as-of", "2025-06-30")["value"] == 50.0
    software = _value(ws, "software_copyrights", "--region", "江苏", "--as-of", "2016-12-31")
    assert {p["year"]: p["value"] for p in software["series"]}[2016] == 6
    assert _value(ws, "plant_variety_grants", "--region", "常州", "--as-of", "2025-12-31", "--years", "2021-2023")[
        "series"] == [{"year": 2021, "value": 1, "growth_pct": None}, {"year": 2022, "value": 1, "growth_pct": 0.0},
                      {"year": 2023, "value": 1, "growth_pct": 0.0}]  # fmt: skip
    assert _value(ws, "service_agencies", "--region", "常州", "--as-of", "2025-06-30")["value"] == 3
    assert _value(ws, "gi_products", "--region", "宁夏")["value"] == 1


def test_on_time_closure_follows_the_stated_limits(ws: Path) -> None:
    """南江县's hand-built cases: on time, extended, late, open past the deadline, open not yet due."""
    rate = cli_json("indicator", "on_time_closure_rate", "--region", "511922", "--as-of", "2025-12-31", "--patents",
                    workspace=ws)  # fmt: skip
    states = {c["number"]: c["state"] for c in rate["patents"]}  # type: ignore[index]
    assert states == {
        "南市监知裁〔2025〕1号": "on_time",
        "南市监知裁〔2025〕2号": "on_time",  # 3 months + 30 days approved
        "南市监知裁〔2025〕3号": "late",
        "南市监罚〔2025〕11号": "on_time",
        "南市监罚〔2025〕12号": "late",  # still open, 90 days passed
        "(2025)川19民初88号": "on_time",
    }  # fmt: skip  (南市监罚〔2025〕13号 is open and not yet due; assistance and mediation are not counted)
    assert rate["total"]["value"] == 66.7  # type: ignore[index]
    assert _value(ws, "on_time_closure_rate", "--region", "511922", "--as-of", "2025-06-01")["value"] == 100.0
    assert _value(ws, "on_time_closure_rate", "--region", "511922", "--as-of", "2025-06-10")["value"] == 66.7
    extended = _one(ws, "case", '"南市监知裁〔2025〕2号"')
    assert extended["deadline"] == "2025-06-09" and "批准延长 30 日" in extended["rule"]
    assert extended["closure_state"] == "on_time"
    mediation = _one(ws, "case", "number:南调")
    assert mediation["deadline"] == "2025-10-01" and "人民调解" in mediation["rule"]
    closure = _value(ws, "case_closure_rate", "--region", "511922", "--as-of", "2025-12-31")
    assert (closure["value"], closure["records"], closure["met"]) == (66.7, 6, 4)  # administrative cases of 2025


def test_template_round_trip_and_plans_computed_from_data(ws: Path, tmp_path: Path) -> None:
    target = tmp_path / "pledges.xlsx"
    assert run_cli("registers", "template", "ip_transaction", "-o", str(target), workspace=ws).returncode == 0
    book = openpyxl.load_workbook(target)
    sheet = book["填报"]
    header = [c.value for c in sheet[3]]
    assert header[:3] == ["事务类型*", "知识产权类型", "专利号/商标号"]
    assert any("事务类型" in str(v.prompt) for v in sheet.data_validations.dataValidation)
    column = {name.rstrip("*"): i + 1 for i, name in enumerate(header)}
    good = {"事务类型": "专利权质押登记", "知识产权类型": "专利", "登记号": "Y2025640000999",
            "出让方": "宁夏示例材料有限公司", "受让方": "宁夏示例银行", "生效日": dt.date(2025, 7, 1),
            "金额(万元)": 900, "行政区划代码": "640106"}  # fmt: skip
    bad = {**good, "登记号": "Y2025640000998", "生效日": "明年"}
    for row, values in ((4, good), (5, bad)):
        for name, value in values.items():
            sheet.cell(row=row, column=column[name], value=value)
    book.save(target)
    loaded = run_cli("ingest", str(target), workspace=ws)
    assert loaded.returncode == 3 and "新增 inserted 1" in loaded.stdout
    added = _one(ws, "ip_transaction", "number:Y2025640000999")
    assert added["values"]["date"] == "2025-07-01" and added["amount"] == 900.0 and added["adcode"] == "640106"
    rejects = [r for r in cli_json("rejects", workspace=ws) if r["source_file"].endswith("pledges.xlsx")]  # type: ignore[union-attr]
    assert [(r["position"], r["field"]) for r in rejects] == [(2, "date")]
    computed, manual = 0, []
    for plan in ("nanjiang-2021-2025", "changzhou-2022-2025", "chongqing-2015-2020", "ningxia-2021-2025",
                 "shaanxi-2022"):  # fmt: skip
        status = cli_json("plan", "status", plan, "--as-of", "2025-12-31", workspace=ws)
        for indicator in status["indicators"]:  # type: ignore[index]
            if indicator["manual"]:
                assert indicator["manual_why"], indicator["id"]
                manual.append(indicator["id"])
            else:
                computed += 1
    assert computed + len(manual) == 61 and computed >= 45
    stay = {"satisfaction", "awareness", "ip_product_output", "industrialisation_projects", "service_staff",
            "service_revenue", "trainees", "filing_subsidies", "fine_copyright", "senior_talent"}  # fmt: skip
    assert set(manual) == stay
    nanjiang = cli_json("plan", "status", "nanjiang-2021-2025", "--as-of", "2025-12-31", workspace=ws)
    closure = next(i for i in nanjiang["indicators"] if i["id"] == "closure_rate")  # type: ignore[index]
    assert (closure["latest"]["value"], closure["status"]) == (66.7, "off_track")  # 超过90% unmet on its date
    ningxia = cli_json("plan", "status", "ningxia-2021-2025", "--as-of", "2025-12-31", workspace=ws)
    pledge = next(i for i in ningxia["indicators"] if i["id"] == "pledge_financing")  # type: ignore[index]
    assert pledge["latest"]["value"] == pytest.approx((2600 + 900) / 10000)


def test_every_sheet_of_a_workbook_and_the_users_header_names(ws: Path, tmp_path: Path) -> None:
    """The provincial GI census workbook's sheets are each read by their headers; a workbook of the user's
    own: its notes sheet passed over, a sheet nobody can read named, a bad row named with its sheet; the
    user's header map names register fields (`gi.number`)."""
    users = {r["holder"] for r in _records(ws, "gi_user")}
    assert {"山东田园果品科技有限公司", "安塞县田丰农贸有限公司"} <= users  # sheet 2-2 and 用标企业.xls
    assert "xxx企业" in users  # sheet 2-4, the template's own example row
    census = {r["name"] for r in _records(ws, "gi", "--region", "13")}
    assert "灵寿金针菇" in census  # sheet 2-5 (河北省石家庄)
    mark = cli_json("tm", "show", "CN2016471", workspace=ws)  # sheet 2-3: a GI certification mark
    assert mark["text"] == "LIEBFRAUENMILCH" and mark["kind"] == "certification"  # type: ignore[index]
    book = openpyxl.Workbook()
    first = book.active
    first.title = "质押登记"
    first.append(["出质人", "质权人", "质押登记号", "质押登记日", "质押金额(元)", "行政区划代码"])
    first.append(["宁夏示例乳业有限公司", "宁夏示例银行", "Y2025640000321", "2025-05-05", "3500000", "640106"])
    notes = book.create_sheet("填表说明")
    notes.append(["列", "说明"])
    notes.append(["质押金额", "元或万元"])
    other = book.create_sheet("其他")
    other.append(["甲", "乙"])
    other.append(["1", "2"])
    cases = book.create_sheet("案件")
    cases.append(["案号", "案件类型", "立案日期", "结案日期", "行政区划代码"])
    cases.append(["宁市监罚〔2025〕9号", "商标侵权", "2025-02-02", "2025-13-01", "640106"])
    target = tmp_path / "宁夏清单.xlsx"
    book.save(target)
    result = run_cli("ingest", str(target), workspace=ws)
    assert result.returncode == 3 and "新增 inserted 1" in result.stdout
    pledge = _one(ws, "ip_transaction", "number:Y2025640000321")
    assert pledge["amount"] == 350.0  # 3,500,000 元 in a 元 column
    rejects = [r for r in cli_json("rejects", workspace=ws) if r["source_file"].endswith("宁夏清单.xlsx")]  # type: ignore[union-attr]
    assert sorted((r["position"], r["field"], r["reason"].split(": ")[0]) for r in rejects) == [
        (0, "header", "工作表 sheet 其他"), (2, "date", "工作表 sheet 案件"),
    ]  # fmt: skip
    assert "not a date: '2025-13-01'" in next(r["reason"] for r in rejects if r["field"] == "date")
    mine = tmp_path / "headers.toml"
    mine.write_text('[headers]\n"证书号" = "gi.number"\n"地标名称" = "gi.name"\n"持有单位" = "gi.holder"\n', "utf-8")
    table = tmp_path / "my-gi.csv"
    table.write_text("地标名称,证书号,持有单位,省份\n测试地标,AGI09999,某县农业中心,湖南省\n", encoding="utf-8")
    assert run_cli("ingest", str(table), "--header-map", str(mine), workspace=ws).returncode == 0
    assert _one(ws, "gi", "number:AGI09999")["holder"] == "某县农业中心"
    wrong = tmp_path / "wrong.toml"
    wrong.write_text('[headers]\n"x" = "gi.nope"\n', "utf-8")
    refused = run_cli("ingest", str(table), "--header-map", str(wrong), workspace=ws)
    assert refused.returncode == 2 and "KIND.FIELD" in refused.stderr


def test_a_listed_applicant_is_named_on_its_patent(ws: Path, tmp_path: Path) -> None:
    from ipnav.normalize.numbers import cn_check_digit

    body = "202310123456"
    table = tmp_path / "patents.csv"
    other = "202310654322"
    table.write_text(f"申请号,发明名称,申请人,申请日,代理机构\nCN{body}.{cn_check_digit(body)},一种示例茶叶包装,"
                     "常州示例专利代理事务所(普通合伙),2023-02-01,常州示例专利事务所(普通合伙)\n"
                     f"CN{other}.{cn_check_digit(other)},一种示例服务系统,宁夏示例知识产权服务有限公司,2023-03-01,\n",
                     encoding="utf-8")  # fmt: skip
    assert run_cli("ingest", str(table), workspace=ws).returncode == 0
    shown = cli_json("show", f"CN{body}", workspace=ws)
    assert [(c["list"], c["date"], c["authority"]) for c in shown["credit"]] == [  # type: ignore[index]
        ("非正常专利申请", "2024-03-15", "江苏省知识产权局")
    ]
    dishonest = cli_json("show", f"CN{other}", workspace=ws)  # a company form (有限公司) in the name too
    assert [c["list"] for c in dishonest["credit"]] == ["严重违法失信"]  # type: ignore[index]
    listed = _one(ws, "credit", "宁夏示例知识产权服务")
    assert [p["app_key"] for p in listed["links"]["holder_patents"]] == [f"CN{other}"]
    agency = _one(ws, "listing", "常州示例专利事务所")  # a listed agency names the patents it acted for
    assert [p["app_key"] for p in agency["links"]["agent_patents"]] == [f"CN{body}"]


def test_a_patent_export_with_pledges_stays_patents_and_the_gazette_adds_its_own(tmp_path: Path) -> None:
    """A patent export with pledge columns is read as patents with their pledges (not as a pledge list); a
    gazette pledge of the same patent loaded in the same run joins them on the patent's timeline."""
    from ipnav.normalize.numbers import cn_check_digit

    body = "202210654321"
    number = f"CN{body}.{cn_check_digit(body)}"
    export = tmp_path / "export.csv"
    export.write_text("申请号,发明名称,申请人,申请人地址,申请日,出质人,质权人,质押登记日,质押金额(万元)\n"
                      f"{number},一种示例装置,示例精工有限公司,江苏省常州市武进区示例路1号,2022-05-05,示例精工有限公司,"
                      "示例银行,2023-01-10,1500\n", encoding="utf-8")  # fmt: skip
    gazette = tmp_path / "gazette.csv"
    gazette.write_text("事务类型,专利号,登记号,出质人,质权人,登记生效日\n"
                       f"专利权质押合同登记的生效,ZL{body}.{cn_check_digit(body)},Y2024320000999,"
                       "示例精工有限公司,另一示例银行,2024-02-02\n", encoding="utf-8")  # fmt: skip
    ws = tmp_path / "ws"
    assert run_cli("ingest", str(export), str(gazette), workspace=ws).returncode == 0
    shown = cli_json("show", number, workspace=ws)
    assert shown["titles"]["zh"] == "一种示例装置"  # type: ignore[index]
    pledges = sorted((t["execution_date"], t["assignees"], t["amount"]) for t in shown["transactions"])  # type: ignore[index]
    assert pledges == [("2023-01-10", "示例银行", 15_000_000.0), ("2024-02-02", "另一示例银行", None)]
    pledge = _one(ws, "ip_transaction", "number:Y2024320000999")  # no place in the pledgor's name: its patents'
    assert (pledge["adcode"], pledge["region_basis"]) == ("320412", "applicant_history")
