"""Bad-faith filing signals (issue 17): constructed applicant histories, one per signal, each flagged with
its evidence and the threshold used; a normal applicant is not; thresholds are tunable per run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, cli_json, run_cli

HEADER = ",".join(("注册号/申请号", "申请日期", "国际分类", "商标名称", "申请人名称", "申请人地址", "注册公告日期",
                   "商标状态", "代理机构", "商标类型", "转让公告日期", "转让人"))  # fmt: skip
WORDS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土"


def _row(n: int, filed: str, cls: int, text: str, owner: str, *, address: str = "重庆市渝中区解放碑街道1号",
         registered: str = "", status: str = "注册商标", agent: str = "", moved: str = "",
         seller: str = "") -> str:  # fmt: skip
    return (
        f"{90000000 + n},{filed},{cls},{text},{owner},{address},{registered},{status},{agent},普通商标,{moved},{seller}"
    )


@pytest.fixture(scope="module")
def risk_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("risk")
    rows, n = [HEADER], 0

    def add(*args: Any, **kwargs: Any) -> None:
        nonlocal n
        n += 1
        rows.append(_row(n, *args, **kwargs))

    for text, cls in (("康师傅", 30), ("洽洽", 29), ("大白兔", 30)):  # others' earlier marks
        add("2010-01-05", cls, text, "顶新食品有限公司", registered="2011-01-05")
    for i in range(25):  # 25 marks in 25 classes on one day
        add("2021-03-01", i + 1, f"囤{WORDS[i]}", "囤积商贸有限公司", agent="某商标代理事务所")
    for text, cls in (("康帅傅", 30), ("治治", 29), ("大白免", 30)):
        add("2021-05-01", cls, text, "抄袭食品有限公司", agent="某商标代理事务所")
    for i in range(7):
        add("2021-05-01", 30, f"抄{WORDS[i]}{WORDS[i + 1]}", "抄袭食品有限公司", agent="某商标代理事务所")
    for i in range(10):  # registered, then sold within a year and a half
        add("2018-01-01", 25, f"卖{WORDS[i]}", f"买家{WORDS[i]}服饰有限公司", registered="2019-01-01",
            moved="2020-06-01", seller="转卖商标有限公司")  # fmt: skip
    for i in range(10):
        add("2020-01-01", 35, f"驳{WORDS[i]}", "驳回贸易有限公司", status="驳回商标" if i < 6 else "注册商标",
            agent="某商标代理事务所")  # fmt: skip
    for i in range(12):
        add(f"20{10 + i}-02-01", 20 + i % 5, f"张{WORDS[i]}", "张三", address="四川省巴中市南江县")
    add("2022-02-02", 32, "山城虹", "山寨饮品有限公司")  # the well-known 山城红 of another owner
    for i in range(12):  # a normal brand owner: a dozen marks in two classes over six years
        add(f"20{15 + i // 2}-06-01", 9 + (i % 2), f"正{WORDS[i]}", "正常科技有限公司", registered="2020-01-01")
    add("2022-03-03", 35, "名单宝", "名单商贸有限公司")  # two marks, but on the bad-faith list
    add("2022-03-04", 35, "名单通", "名单商贸有限公司")
    table = root / "register.csv"
    table.write_text("\n".join(rows) + "\n", encoding="utf-8")
    lists = root / "credit.csv"  # the credit register: an earlier decision of bad faith (Article 8 (三))
    lists.write_text("名单类型,主体名称,列入日期,移出日期,列入机关\n"
                     "恶意商标注册,名单商贸有限公司,2022-06-01,,国家知识产权局\n"
                     "恶意商标注册,正常科技有限公司,2019-01-01,2020-01-01,国家知识产权局\n",
                     encoding="utf-8")  # fmt: skip
    ws = root / "ws"
    assert run_cli("ingest", str(table), str(lists), workspace=ws).returncode == 0
    well_known = ROOT / "tests" / "fixtures" / "trademark_cn" / "well_known_marks.csv"
    assert run_cli("tm", "well-known", "load", str(well_known), workspace=ws).returncode in (0, 3)
    return ws


def _signals(result: Any) -> dict[str, set[str]]:
    return {a["entity"]: {s["signal"] for s in a["signals"]} for a in result["applicants"]}


def test_each_signal_flags_its_applicant_with_evidence(risk_ws: Path) -> None:
    result = cli_json("tm", "risk", workspace=risk_ws)
    assert isinstance(result, dict)
    flagged = _signals(result)
    assert flagged["囤积商贸"] == {"burst", "spread"}
    assert flagged["抄袭食品"] == {"copies"}
    assert flagged["转卖商标"] == {"trading"}
    assert flagged["驳回贸易"] == {"ended"}
    assert flagged["张三"] == {"person"}
    assert flagged["山寨饮品"] == {"famous"}
    assert flagged["名单商贸"] == {"listed"}  # 正常科技 left its list in 2020
    listed = next(s for a in result["applicants"] if a["entity"] == "名单商贸" for s in a["signals"])
    assert listed["evidence"] == "列入恶意商标注册名单 2022-06-01 (国家知识产权局)"
    assert "正常科技" not in flagged and "顶新食品" not in flagged
    copies = next(s for a in result["applicants"] if a["entity"] == "抄袭食品" for s in a["signals"])
    assert {(m["text"], m["resembles_text"]) for m in copies["marks"]} == {("康帅傅", "康师傅"), ("治治", "洽洽"),
                                                                          ("大白免", "大白兔")}  # fmt: skip
    assert copies["threshold"] == 3 and copies["evidence"] == "3 件与他人在先商标高度近似"
    burst = next(
        s for a in result["applicants"] if a["entity"] == "囤积商贸" for s in a["signals"] if s["signal"] == "burst"
    )
    assert (burst["value"], burst["threshold"], burst["evidence"]) == (25, 20, "2021-03-01 一天申请 25 件")
    agents = {a["agent"]: a["flagged"] for a in result["agents"]}
    assert agents == {"某商标代理事务所": ["囤积商贸", "抄袭食品", "驳回贸易"]}
    assert result["why"]["marks_per_day"] and result["thresholds"]["classes"] == 15


def test_thresholds_and_region_narrow_the_list(risk_ws: Path) -> None:
    looser = cli_json("tm", "risk", "--set", "marks_per_day=30", "--set", "classes=30", workspace=risk_ws)
    assert isinstance(looser, dict) and "囤积商贸" not in _signals(looser)
    sichuan = cli_json("tm", "risk", "--region", "四川", workspace=risk_ws)
    assert isinstance(sichuan, dict) and set(_signals(sichuan)) == {"张三"}
    bad = run_cli("tm", "risk", "--set", "nonsense=1", workspace=risk_ws)
    assert bad.returncode != 0 and "marks_per_year" in bad.stderr
    shown = run_cli("tm", "risk", workspace=risk_ws)
    assert "恶意注册风险" in shown.stdout and "某商标代理事务所" in shown.stdout
