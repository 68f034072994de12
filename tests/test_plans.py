"""Plan monitoring: the shipped seed plans against their documents, the status rule on constructed
histories, computed indicators against `ipnav indicator`, the Excel round trip, reports and the web page.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from fastapi.testclient import TestClient

from ipnav.config import Settings
from ipnav.plan import records, service
from ipnav.plan.model import load_file
from ipnav.store.warehouse import Warehouse
from ipnav.web.app import create_app
from tests.conftest import ROOT, cli_json, run_cli

PLANS = ROOT / "ipnav" / "plan" / "plans"
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"
PASSWORD = "correct horse 42"


def _seed(name: str) -> str:
    path = next(SEEDS.glob(f"{name}_*.txt"), None)
    if path is None:
        pytest.skip(f"seed documents not present in {SEEDS}")
    return path.read_text(encoding="utf-8")


def _between(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


# figures with a unit, as plans write their targets (件, 万件, 亿元, %, 家 ... also traditional 萬件, 億元)
FIGURE = re.compile(r"\d+(?:\.\d+)?(?:萬件|万件|件|家|亿元|億元|个|%|分|人次|人|项)")


def _covered(section: str, plan_id: str) -> None:
    """Every figure of the section is the target of some indicator, and every quote is verbatim."""
    plan = load_file(PLANS / f"{plan_id}.yaml")
    quotes = [i.quote for i in plan.indicators]
    figures = FIGURE.findall(section)
    assert figures
    missing = [f for f in figures if not any(f in q for q in quotes)]
    assert not missing, f"figures of {plan_id} without an indicator: {missing}"


def test_shipped_plans_load_with_their_counts() -> None:
    counts = {}
    for path in sorted(PLANS.glob("*.yaml")):
        plan = load_file(path)
        counts[plan.id] = (len(plan.indicators), len(plan.tasks))
        assert path.stem == plan.id
    assert counts == {
        "changzhou-2022-2025": (16, 43),
        "chongqing-2015-2020": (10, 17),
        "nanjiang-2021-2025": (18, 12),
        "ningxia-2021-2025": (15, 22),
        "shaanxi-2022": (2, 22),
    }


def test_changzhou_targets_tasks_and_phases_match_the_document() -> None:
    text = _seed("001")
    plan = load_file(PLANS / "changzhou-2022-2025.yaml")
    _covered(_between(text, "三、主要目标", "四、重点任务"), plan.id)
    for ind in plan.indicators:
        assert ind.quote in text, ind.id
    hv = plan.indicator("hv_per_10k")
    assert (hv.name, hv.target.value, hv.unit, str(hv.target.date)) == (
        "万人高价值发明专利拥有量",
        18,
        "件",
        "2025-06-30",
    )
    assert hv.metric == {"name": "high_value_invention_per_10k"}
    madrid = plan.indicator("madrid_marks")
    assert (madrid.name, madrid.target.value, madrid.unit, madrid.manual) == ("马德里商标有效注册量", 435, "件", False)
    assert madrid.metric == {"name": "madrid_registrations"}  # computed from the trademarks loaded (issue 16)
    # every paragraph of 四、重点任务 ending with 责任单位 is one task, with its units as written
    tasks_text = _between(text, "四、重点任务", "五、时序进度")
    written = re.findall(r"[（(]责任单位[:：](.+?)[）)]", tasks_text)
    assert len(plan.tasks) == len(written) == 43
    assert [t.units_text for t in plan.tasks] == written
    first = plan.task("T01")
    assert first.title == "深入实施高价值专利培育工程" and first.lead == "市知识产权局"
    assert first.co_units == ("市科技局", "市人才办", "各辖市、区人民政府", "常州经开区管委会")
    assert [(p.name, str(p.start), str(p.end)) for p in plan.phases][2] == ("督查评估阶段", "2024-01-01", "2024-06-30")
    subsidy = plan.indicator("filing_subsidies")
    assert subsidy.direction == "decrease" and subsidy.target.value == 0


def test_nanjiang_ningxia_chongqing_shaanxi_against_their_documents() -> None:
    nanjiang = load_file(PLANS / "nanjiang-2021-2025.yaml")
    text = _seed("000")
    _covered(_between(text, "二、发展目标", "三、重点工作"), nanjiang.id)
    pledge = nanjiang.indicator("pledge_financing")
    assert (pledge.name, pledge.target.value, pledge.unit, pledge.kind) == (
        "知识产权质押融资累计金额",
        2,
        "亿元",
        "cumulative",
    )
    assert len(nanjiang.tasks) == len(re.findall(r"^责任单位[:：]", text, flags=re.M)) == 12
    assert nanjiang.task("T06").units_text == "县人民法院、县司法局"
    assert nanjiang.indicator("satisfaction").target.strict  # 超过97%

    ningxia = load_file(PLANS / "ningxia-2021-2025.yaml")
    text = _seed("003")
    _covered(_between(text, "(三)发展目标", "注:①"), ningxia.id)
    assert len(ningxia.tasks) == text.count("按职责分工负责") == 22
    assert ningxia.indicator("trademarks").baseline.value == 67201  # 13th-period baseline
    assert ningxia.indicator("hv_per_10k").metric == {"name": "high_value_invention_per_10k"}
    assert {f["name"]: f["value"] for f in ningxia.reference_figures}["每万人口发明专利拥有量"] == 5.31
    assert ningxia.task("T20").lead == "自治区市场监管厅〔知识产权局〕"  # 牵头 as written

    chongqing = load_file(PLANS / "chongqing-2015-2020.yaml")
    text = _seed("002")
    _covered(_between(text, "到2020年", "二、工作重點"), chongqing.id)
    assert (
        len(chongqing.tasks) == len(re.findall(r"^\d+\.", _between(text, "二、工作重點", "三、保障措施"), re.M)) == 17
    )
    shaanxi = load_file(PLANS / "shaanxi-2022.yaml")
    assert shaanxi.indicator("hv_per_10k").target is None  # named as the lead indicator, no figure
    for plan, seed in ((chongqing, "002"), (shaanxi, "004"), (ningxia, "003"), (nanjiang, "000")):
        for ind in plan.indicators:
            assert ind.quote in _seed(seed), (plan.id, ind.id)


def test_validate_names_line_and_reason(tmp_path: Path) -> None:
    bad = run_cli("plan", "validate", str(FIXTURES / "plans" / "broken.yaml"))
    assert bad.returncode == 3
    assert "broken.yaml:14: indicators[0].target.date: '2025-13-01' is not a 'date'" in bad.stderr
    assert "broken.yaml:19: indicators[1].kind: 'yearly' is not one of" in bad.stderr
    fixed = (FIXTURES / "plans" / "broken.yaml").read_text(encoding="utf-8").replace("2025-13-01", "2025-12-01")
    fixed = fixed.replace("yearly", "annual")
    path = tmp_path / "fixed.yaml"
    path.write_text(fixed, encoding="utf-8")
    data = cli_json("plan", "validate", str(path), workspace=tmp_path / "ws")
    problems = {(p["line"], p["path"]): p["reason"] for p in data["problems"]}
    assert problems[(21, "indicators[1].metric.name")].startswith("unknown metric 'no_such_metric'")
    assert problems[(23, "tasks[0].indicators[0]")] == "no indicator 'zz' in this plan"
    path.write_text("id: x\n  plan: [", encoding="utf-8")
    broken_yaml = run_cli("plan", "validate", str(path))
    assert broken_yaml.returncode == 3 and "fixed.yaml:2: (top): YAML:" in broken_yaml.stderr
    good = run_cli("plan", "validate", str(PLANS / "changzhou-2022-2025.yaml"))
    assert good.returncode == 0 and "valid plan changzhou-2022-2025 (16 indicators, 43 tasks)" in good.stdout


HISTORY = (
    ("ahead", 250, "2022-12-31"), ("ahead", 350, "2023-12-31"),
    ("behind", 120, "2022-12-31"), ("behind", 150, "2023-12-31"),
    ("slightly", 200, "2022-12-31"), ("slightly", 260, "2023-12-31"),
    ("met", 91.5, "2023-12-31"),
    ("lower", 40, "2023-12-31"), ("lower_behind", 90, "2023-12-31"),
    ("growth", 1100, "2022-12-31"), ("growth", 1150, "2023-12-31"),
    ("total", 3.9, "2023-12-31"), ("double", 5, "2023-12-31"),
    ("missed", 6, "2023-12-31"),
)  # fmt: skip


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-built warehouse of the value tests (patentees in 常州, 南江县, 重庆) plus the rules plan."""
    root = tmp_path_factory.mktemp("plans") / "ws"
    assert run_cli("ingest", str(FIXTURES / "value"), workspace=root).returncode == 3  # one bad pledge row
    assert run_cli("plan", "add", str(FIXTURES / "plans" / "rules.yaml"), workspace=root).returncode == 0
    for name, role in (("ana", "analyst"), ("view", "viewer")):
        assert run_cli("user", "add", name, "--role", role, workspace=root, stdin=PASSWORD + "\n").returncode == 0
    for indicator, value, date in HISTORY:  # the constructed histories of the rules plan
        _record(root, indicator, value, date)
    return root


def _record(root: Path, indicator: str, value: float, date: str) -> None:
    settings = Settings.load(root)
    plan = service.get(settings, "rules-2022-2025")
    with Warehouse(root / "warehouse.duckdb") as wh:
        records.record(wh, plan, indicator, value, date, source="test", actor="tests", via="test")


def test_status_rules_on_constructed_histories(ws: Path) -> None:
    # as of 2023-12-31 two of the four years are gone: expected 100 + 400 × 0.5 = 300 for the level indicators
    data = cli_json("plan", "status", "rules-2022-2025", "--as-of", "2023-12-31", workspace=ws)
    by_id = {i["id"]: i for i in data["indicators"]}
    status = {k: v["status"] for k, v in by_id.items()}
    assert status == {
        "ahead": "on_track",  # 350 ≥ 300
        "behind": "off_track",  # ratio (150-100)/(300-100) = 0.25, trend misses 500
        "slightly": "at_risk",  # ratio 160/200 = 0.8
        "empty": "no_data",
        "met": "achieved",  # 91.5 > 90
        "lower": "on_track",  # expected 50, 40 is better
        "lower_behind": "off_track",  # 90 vs expected 50 (ratio 0.2)
        "growth": "off_track",  # 1150 < 1000 × 1.1² = 1210, 7.2 %/yr < 10 %
        "total": "on_track",  # cumulative from 0 at the start: expected 4 × 0.4995 ≈ 2.0
        "double": "no_data",  # 翻一番 of a baseline the plan does not give
        "missed": "off_track",  # due today: 6 vs expected 10, ratio 0.6
    }
    assert by_id["ahead"]["expected"] == pytest.approx(300, abs=0.5)
    assert by_id["slightly"]["ratio"] == pytest.approx(0.8, abs=0.01)
    assert by_id["growth"]["actual_rate_pct"] == pytest.approx(7.24, abs=0.05)
    assert by_id["behind"]["forecast"]["meets"] is False and by_id["ahead"]["forecast"]["meets"] is True
    assert by_id["met"]["progress_pct"] == 100.0
    later = cli_json("plan", "status", "rules-2022-2025", "--as-of", "2024-03-31", workspace=ws)
    later_status = {i["id"]: i["status"] for i in later["indicators"]}
    assert later_status["missed"] == "off_track" and "passed" in later["indicators"][-1]["status_reason"]
    # a target already met stays achieved; a value recorded again for the same date replaces the old one
    _record(ws, "behind", 520, "2024-03-31")
    again = cli_json("plan", "status", "rules-2022-2025", "--as-of", "2024-03-31", workspace=ws)
    assert {i["id"]: i["status"] for i in again["indicators"]}["behind"] == "achieved"
    # units roll up their tasks and linked indicators; phases say what is due
    units = {u["unit"]: u for u in again["units"]}
    assert units["甲局"]["lead_tasks"] == ["T01"] and units["乙局"]["co_tasks"] == ["T01"]
    assert set(units["乙局"]["indicators"]) == {"ahead", "behind", "met"}
    assert "未明确责任单位 / no unit named" in units
    phases = {p["id"]: p for p in again["phases"]}
    assert phases["P1"]["state"] == "done" and phases["P1"]["tasks"] == ["T01"]
    tasks = {t["id"]: t for t in again["tasks"]}
    assert tasks["T01"]["overdue"] and not tasks["T02"]["overdue"]


def test_cli_record_and_task_are_checked_and_audited(ws: Path) -> None:
    bad = run_cli("plan", "record", "rules-2022-2025", "empty", "abc", "--date", "2023-01-01", "--source", "x",
                  workspace=ws)  # fmt: skip
    assert bad.returncode != 0 and "value: 'abc' is not a number" in bad.stderr
    future = run_cli("plan", "record", "rules-2022-2025", "empty", "3", "--date", "2999-01-01", "--source", "x",
                     workspace=ws)  # fmt: skip
    assert future.returncode != 0 and "in the future" in future.stderr
    evidence = ws / "report-2023.txt"
    evidence.write_text("年报", encoding="utf-8")
    done = cli_json("plan", "record", "rules-2022-2025", "empty", "4", "--date", "2023-06-30", "--source", "甲局年报",
                    "--evidence", str(evidence), workspace=ws)  # fmt: skip
    assert done["value"] == 4 and done["evidence"].startswith("evidence/rules-2022-2025/")
    assert (ws / done["evidence"]).read_text(encoding="utf-8") == "年报"
    task = cli_json("plan", "task", "rules-2022-2025", "T02", "进行中", "--date", "2023-06-30", "--note", "推进",
                    workspace=ws)  # fmt: skip
    assert task["status"] == "in_progress"
    computed = run_cli("plan", "record", "changzhou-2022-2025", "hv_per_10k", "3", "--date", "2023-01-01",
                       "--source", "x", workspace=ws)  # fmt: skip
    assert computed.returncode != 0 and "computed from the warehouse" in computed.stderr
    from ipnav.accounts import Accounts

    actions = [(e["action"], e["target"]) for e in Accounts(ws / "accounts.sqlite").audit_log()]
    assert ("plan.record", "rules-2022-2025/empty") in actions and ("plan.task", "rules-2022-2025/T02") in actions


@pytest.mark.parametrize(
    ("plan", "indicator", "metric", "region"),
    [
        ("changzhou-2022-2025", "hv_per_10k", "high_value_invention_per_10k", "320400"),
        ("nanjiang-2021-2025", "high_value", "high_value_invention", "511922"),
        ("chongqing-2015-2020", "invention_per_10k", "valid_invention_per_10k", "500000"),
    ],
)
def test_computed_indicator_equals_the_indicator_command(
    ws: Path, plan: str, indicator: str, metric: str, region: str
) -> None:
    as_of = "2024-06-30" if not plan.startswith("chongqing") else "2020-12-31"
    status = cli_json("plan", "status", plan, "--as-of", as_of, workspace=ws)
    ind = next(i for i in status["indicators"] if i["id"] == indicator)
    expected = cli_json("indicator", metric, "--region", region, "--as-of", as_of, workspace=ws)
    assert ind["latest"]["date"] == as_of and ind["latest"]["source"] == "computed"
    assert ind["latest"]["value"] == pytest.approx(expected["total"]["value"], rel=1e-6)
    assert expected["total"]["value"] > 0


def test_excel_template_round_trip_with_errors_per_cell(ws: Path, tmp_path: Path) -> None:
    template = tmp_path / "changzhou-知识产权局.xlsx"
    made = run_cli("plan", "template", "changzhou-2022-2025", "--unit", "市知识产权局", "-o", str(template),
                   workspace=ws)  # fmt: skip
    assert made.returncode == 0, made.stderr
    book = openpyxl.load_workbook(template)
    sheet = book["指标填报"]
    ids = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "service_revenue" in ids and "hv_per_10k" not in ids  # computed indicators are not filled in
    assert "enforcement_closure" not in ids  # the case register computes it now
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    rows["service_revenue"][9].value = dt.date(2023, 12, 31)
    rows["service_revenue"][10].value = 9200
    rows["service_revenue"][11].value = "市知识产权局统计"
    rows["trainees"][9].value = "2023/12/31"
    rows["trainees"][10].value = "三个"  # not a number
    rows["trainees"][11].value = "市知识产权局"
    tasks = book["任务进展"]
    first = next(tasks.iter_rows(min_row=2))
    first[7].value, first[8].value, first[9].value = "2024-01-15", "已完成", "完成版权示范园区申报"
    book.save(template)
    result = run_cli("plan", "import", "changzhou-2022-2025", str(template), workspace=ws)
    assert result.returncode == 3
    assert "1 values recorded, 0 unchanged, 1 task reports, 1 problems" in result.stdout
    row_no = ids.index("trainees") + 2
    assert f"指标填报!K{row_no} 数值: '三个' is not a number" in result.stderr
    again = cli_json("plan", "import", "changzhou-2022-2025", str(template), workspace=ws)
    assert again[0]["recorded"] == 0 and again[0]["unchanged"] == 1  # idempotent
    status = cli_json("plan", "status", "changzhou-2022-2025", "--as-of", "2024-06-30", workspace=ws)
    copy = next(i for i in status["indicators"] if i["id"] == "service_revenue")
    assert copy["latest"] == {"date": "2023-12-31", "value": 9200, "source": "recorded",
                              "note": f"市知识产权局统计 [{template.name}]"}  # fmt: skip
    task = next(t for t in status["tasks"] if t["id"] == first[0].value)
    assert task["status"] == "done" and task["note"] == "完成版权示范园区申报"
    wrong = tmp_path / "wrong.xlsx"
    shutil.copy(template, wrong)
    other = run_cli("plan", "import", "nanjiang-2021-2025", str(wrong), workspace=ws)
    assert other.returncode != 0 and "belongs to plan 'changzhou-2022-2025'" in other.stderr


def test_evaluation_reports(ws: Path, tmp_path: Path) -> None:
    docx_path = tmp_path / "report.docx"
    made = run_cli("plan", "report", "rules-2022-2025", "--format", "docx", "--as-of", "2024-03-31", "-o",
                   str(docx_path), workspace=ws)  # fmt: skip
    assert made.returncode == 0, made.stderr
    document = Document(str(docx_path))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for heading in ("一、总体情况", "二、指标完成情况", "三、责任单位评估", "四、存在的问题", "五、下一步工作"):
        assert heading in headings
    text = "\n".join(p.text for p in document.paragraphs)
    assert "下降缓慢指标进度滞后" in text and "（待填写）" in text
    cells = {c.text for table in document.tables for row in table.rows for c in row.cells}
    assert "领先指标" in cells and "甲局" in cells
    assert any(shape for shape in document.inline_shapes)  # the progress chart
    xlsx_path = tmp_path / "report.xlsx"
    assert run_cli("plan", "report", "rules-2022-2025", "--format", "xlsx", "--as-of", "2024-03-31", "-o",
                   str(xlsx_path), workspace=ws).returncode == 0  # fmt: skip
    book = openpyxl.load_workbook(xlsx_path)
    assert {"总体情况", "指标完成情况", "责任单位评估", "重点任务", "阶段安排", "填报记录"} <= set(book.sheetnames)
    assert book["指标完成情况"]._charts


def test_plan_pages_and_api(ws: Path) -> None:
    client = TestClient(create_app(Settings(workspace=ws)))
    assert client.get("/api/plans").status_code == 401  # private by default
    token = client.get("/api/me").json()["csrf_token"]
    token = client.post("/api/login", json={"name": "ana", "password": PASSWORD},
                        headers={"X-CSRF-Token": token}).json()["csrf_token"]  # fmt: skip
    plans = {p["id"] for p in client.get("/api/plans").json()}
    assert {"changzhou-2022-2025", "ningxia-2021-2025", "rules-2022-2025"} <= plans
    page = client.get("/plans/rules-2022-2025", params={"as_of": "2024-03-31"})
    assert page.status_code == 200
    assert 'id="ind-lower_behind"' in page.text and "进度滞后" in page.text and 'data-kind="spark-ahead"' in page.text
    assert "第一阶段" in page.text and 'id="task-table"' in page.text
    filtered = client.get("/plans/rules-2022-2025", params={"as_of": "2024-03-31", "unit": "乙局"})
    assert "任务一" in filtered.text and "任务三" not in filtered.text
    posted = client.post(
        "/plans/rules-2022-2025/record",
        data={"indicator": "empty", "date": "2023-09-30", "value": "7", "source": "网页填报", "csrf_token": token},
        files={"evidence": ("证明.txt", "材料".encode(), "text/plain")},
        follow_redirects=False,
    )
    assert posted.status_code == 303
    data = client.get("/api/plans/rules-2022-2025", params={"as_of": "2024-03-31"}).json()
    assert next(i for i in data["indicators"] if i["id"] == "empty")["latest"]["value"] == 7
    no_csrf = client.post("/api/plans/rules-2022-2025/records",
                          json={"indicator": "empty", "value": 8, "date": "2023-10-31", "source": "x"})  # fmt: skip
    assert no_csrf.status_code == 403
    api = client.post("/api/plans/rules-2022-2025/tasks/T03", json={"status": "done", "date": "2024-01-01"},
                      headers={"X-CSRF-Token": token})  # fmt: skip
    assert api.status_code == 200 and api.json()["status"] == "done"
    report = client.get("/api/plans/rules-2022-2025/report", params={"format": "xlsx", "as_of": "2024-03-31"})
    assert report.status_code == 200 and report.content[:2] == b"PK"
    assert client.get("/api/plans/none-such").status_code == 404
    viewer = TestClient(create_app(Settings(workspace=ws)))
    token = viewer.get("/api/me").json()["csrf_token"]
    token = viewer.post("/api/login", json={"name": "view", "password": PASSWORD},
                        headers={"X-CSRF-Token": token}).json()["csrf_token"]  # fmt: skip
    denied = viewer.post("/api/plans/rules-2022-2025/records", headers={"X-CSRF-Token": token},
                         json={"indicator": "empty", "value": 8, "date": "2023-10-31", "source": "x"})  # fmt: skip
    assert denied.status_code == 403
    from ipnav.accounts import Accounts

    log = Accounts(ws / "accounts.sqlite").audit_log()
    assert any(e["action"] == "plan.record" and e["actor"] == "ana" and "证明.txt" in e["detail"] for e in log)
