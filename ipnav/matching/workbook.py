"""The matchmaking list of a 对接会 (technology matchmaking event) as an Excel workbook: an overview of the
demands with their best match, then one sheet per demand: the demand in full (contact included: the list
is for the organisers), its matched patents with owner, status, value, region, licence and the reasons,
and the offers of tech-transfer offices."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ipnav.store.cells import excel_value, save_workbook

_HEAD = PatternFill("solid", fgColor="DDE7F3")
_STATUS = {"valid": "有效", "pending": "审中", "lapsed": "失效", "unknown": "未知"}
OVERVIEW = "需求总览"
PATENT_COLUMNS = [
    "序号 #", "申请号 application", "名称 title", "权利人 owner", "权利人类型 owner type", "法律状态 status",
    "价值分 value", "地区 region", "开放许可 open licence", "得分 score", "共同关键词 shared terms",
    "语义相似度 cosine", "共同IPC shared IPC", "词排名 lexical rank",
]  # fmt: skip
OFFER_COLUMNS = [
    "序号 #", "成果编号 number", "成果名称 offer", "持有单位 holder", "转化方式 terms", "意向价格(万元) price",
    "联系人 contact", "联系电话 phone", "得分 score", "共同关键词 shared terms",
]  # fmt: skip


def _sheet_name(number: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", number or "需求")[:28]
    name, n = base, 2
    while name in taken or name == OVERVIEW:
        name, n = f"{base[:26]}~{n}", n + 1
    taken.add(name)
    return name


def _append(sheet: Any, values: list[Any]) -> None:
    sheet.append([excel_value(v) for v in values])


def _header(sheet: Any, columns: list[str]) -> None:
    _append(sheet, columns)
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = Font(bold=True), _HEAD
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def write_workbook(results: list[dict[str, Any]], target: Path) -> Path:
    """Write the matchmaking list of these match results (`ipnav.matching.match.demand_matches`)."""
    book = openpyxl.Workbook()
    overview = book.active
    overview.title = OVERVIEW
    _append(overview, ["技术供需对接清单 Technology matchmaking list (ipnav)"])
    overview["A1"].font = Font(bold=True, size=13)
    _header(overview, ["需求编号 number", "需求名称 demand", "需求单位 enterprise", "地区 region", "预算(万元) budget",
                       "截止日期 deadline", "匹配专利 patents", "匹配成果 offers", "首选专利 best patent",
                       "首选权利人 its owner", "工作表 sheet"])  # fmt: skip
    taken: set[str] = set()
    for result in results:
        demand = result["demand"]
        name = _sheet_name(demand["number"], taken)
        best = result["patents"][0] if result["patents"] else {}
        region = " ".join(x for x in (demand.get("province"), demand.get("city"), demand.get("county")) if x)
        _append(overview, [demand["number"], demand["name"], demand["holder"], region, demand.get("amount"),
                           demand.get("end_date"), len(result["patents"]), len(result["offers"]),
                           best.get("title"), "; ".join(best.get("applicants") or []), name])  # fmt: skip
        _demand_sheet(book.create_sheet(name), result)
    for column, width in enumerate((18, 36, 26, 16, 12, 12, 10, 10, 40, 30, 16), 1):
        overview.column_dimensions[get_column_letter(column)].width = width
    overview.freeze_panes = "A3"
    return save_workbook(book, target)


def _demand_sheet(sheet: Any, result: dict[str, Any]) -> None:
    demand, values = result["demand"], result["demand"]["values"]
    _append(sheet, [f"{demand['number']} {demand['name']}"])
    sheet["A1"].font = Font(bold=True, size=13)
    for label, value in (("需求单位 enterprise", demand["holder"]),
                         ("需求描述 description", values.get("description")),
                         ("技术领域 field", values.get("field")), ("IPC", "; ".join(values.get("ipc") or [])),
                         ("预算(万元) budget", demand.get("amount")), ("截止日期 deadline", demand.get("end_date")),
                         ("合作方式 cooperation", "; ".join(values.get("cooperation") or [])),
                         ("联系人 contact", values.get("contact")),
                         ("联系电话 phone", values.get("phone"))):  # fmt: skip
        if value not in (None, ""):
            _append(sheet, [label, value])
    _append(sheet, [])
    _append(sheet, ["匹配专利 Matched patents", result["method"]])
    _header(sheet, PATENT_COLUMNS)
    for i, hit in enumerate(result["patents"], 1):
        why = hit["reasons"]
        _append(sheet, [i, hit["app_number"] or hit["app_key"], hit["title"], "; ".join(hit.get("applicants") or []),
                        why["owner_type_zh"], _STATUS.get(hit.get("legal_status") or "", hit.get("legal_status")),
                        why["value"], why["region_zh"], "是 yes" if why["open_licence"] else "", hit["score"],
                        "、".join(why["terms"]), why["semantic"], ", ".join(why["shared_ipc"]),
                        why["lexical_rank"]])  # fmt: skip
    _append(sheet, [])
    _append(sheet, ["可转化成果 Offers"])
    _header(sheet, OFFER_COLUMNS)
    for i, offer in enumerate(result["offers"], 1):
        v = offer["values"]
        _append(sheet, [i, offer["number"], offer["name"], offer["holder"], "; ".join(v.get("cooperation") or []),
                        offer.get("amount"), v.get("contact"), v.get("phone"), offer["score"],
                        "、".join(offer["reasons"]["terms"])])  # fmt: skip
    for column, width in enumerate((8, 20, 40, 30, 12, 10, 10, 12, 10, 10, 30, 10, 16, 10), 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
