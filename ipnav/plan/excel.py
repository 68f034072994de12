"""The Excel round trip with responsible units: a fill-in template, and its import with errors per cell.

The template has a sheet of the manual indicators (统计截止日期, 数值, 数据来源 to fill) and a sheet of
the tasks (进展日期, 状态, 进展说明 to fill), optionally only those of one unit, and a hidden sheet naming
the plan. Import reads every filled row, records the good ones and names each bad cell
(`指标填报!K7 数值: 'abc' is not a number`); rows left empty are skipped. Importing the same file
again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ipnav.errors import InputFileError, IpnavError, RecordError
from ipnav.plan import records
from ipnav.plan.model import KIND_ZH, Plan
from ipnav.store.cells import save_workbook
from ipnav.store.warehouse import Warehouse

IND_SHEET, TASK_SHEET, META_SHEET = "指标填报", "任务进展", "_ipnav"
IND_COLUMNS = (
    "指标编号",
    "指标名称",
    "单位",
    "类型",
    "目标值",
    "目标日期",
    "责任单位",
    "最新值(参考)",
    "最新值日期",
    "统计截止日期*",
    "数值*",
    "数据来源*",
    "备注",
)
TASK_COLUMNS = (
    "任务编号",
    "章节",
    "任务",
    "牵头单位",
    "配合单位",
    "完成时限",
    "当前状态",
    "进展日期*",
    "状态*",
    "进展说明",
)
_FILL = PatternFill("solid", fgColor="FFF4CC")
_HEAD = PatternFill("solid", fgColor="DDE7F3")


def template(plan: Plan, status: dict[str, Any], out: Path, unit: str | None = None) -> Path:
    """Write the fill-in workbook (only the rows of `unit` when given)."""
    indicators = [i for i in status["indicators"] if i["manual"] and (unit is None or unit in i["units"])]
    tasks = [t for t in status["tasks"] if unit is None or unit in t["units"]]
    if unit is not None and not indicators and not tasks:
        raise IpnavError(f"plan {plan.id} gives {unit!r} no task; units: {', '.join(plan.units()) or '(none named)'}")
    book = openpyxl.Workbook()
    guide = book.active
    guide.title = "填报说明"
    lines = [
        f"{plan.name} — 实施情况填报表" + (f"({unit})" if unit else ""),
        f"规划期 {plan.start} 至 {plan.end};生成于 {dt.date.today()};统计日 {status['as_of']}",
        "1. 在“指标填报”表中为每个指标填写 统计截止日期(数值所对应的日期, 如年度数填 2023-12-31)、数值、数据来源; "
        "不填的行会被跳过。",
        "2. 累计类指标填写规划期开始以来的累计数; 年度类指标填写当年数; 年均增长率类指标填写当期数量(不是增长率)。",
        "3. 在“任务进展”表中填写 进展日期、状态(未开始/进行中/已完成/受阻)和进展说明。",
        "4. 黄色单元格为填写项; 请勿修改编号列和隐藏的 _ipnav 表。导入: ipnav plan import " + plan.id + " 文件.xlsx",
        "Fill the yellow cells: the date the value refers to, the value and its source; task date, status and note.",
    ]
    for row, text in enumerate(lines, 1):
        guide.cell(row=row, column=1, value=text).font = Font(bold=row == 1, size=14 if row == 1 else 11)
    guide.column_dimensions["A"].width = 120

    sheet = book.create_sheet(IND_SHEET)
    _header(sheet, IND_COLUMNS)
    for ind in indicators:
        target = ind["target"] or {}
        latest = ind["latest"] or {}
        sheet.append(
            [
                ind["id"],
                ind["name"],
                ind["unit"],
                KIND_ZH[ind["kind"]],
                _target_text(target),
                target.get("date"),
                "、".join(ind["units"]),
                latest.get("value"),
                latest.get("date"),
                None,
                None,
                None,
                None,
            ]
        )
    _inputs(sheet, len(indicators), (10, 11, 12, 13), date_col=10, number_col=11)

    tsheet = book.create_sheet(TASK_SHEET)
    _header(tsheet, TASK_COLUMNS)
    for task in tasks:
        tsheet.append(
            [
                task["id"],
                task["section"],
                task["title"],
                task["lead"] or "",
                "、".join(task["co_units"]),
                task["deadline"],
                task["status_zh"],
                None,
                None,
                None,
            ]
        )
    _inputs(tsheet, len(tasks), (8, 9, 10), date_col=8, number_col=None)
    choice = DataValidation(type="list", formula1='"未开始,进行中,已完成,受阻"', allow_blank=True)
    choice.error = "请选择 未开始 / 进行中 / 已完成 / 受阻"
    tsheet.add_data_validation(choice)
    if tasks:
        choice.add(f"I2:I{len(tasks) + 1}")

    meta = book.create_sheet(META_SHEET)
    meta.append(["plan", plan.id])
    meta.append(["unit", unit or ""])
    meta.append(["generated", dt.date.today().isoformat()])
    meta.sheet_state = "hidden"
    return save_workbook(book, out)


def _target_text(target: dict[str, Any]) -> str:
    if not target:
        return ""
    if target.get("value") is None:
        return f"基期×{target.get('factor')}"
    text = f"{target['value']:g}"
    if target.get("value_max") is not None:
        text += f"-{target['value_max']:g}"
    return ("> " if target.get("strict") else "") + text


def _header(sheet: Any, columns: tuple[str, ...]) -> None:
    sheet.append(list(columns))
    for col, _ in enumerate(columns, 1):
        cell = sheet.cell(row=1, column=col)
        cell.font = Font(bold=True)
        cell.fill = _HEAD
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(col)].width = 14
    sheet.column_dimensions["B"].width = 36
    sheet.column_dimensions["C"].width = 30 if columns is TASK_COLUMNS else 8
    sheet.freeze_panes = "B2"


def _inputs(sheet: Any, rows: int, columns: tuple[int, ...], *, date_col: int, number_col: int | None) -> None:
    if rows == 0:
        return
    for row in range(2, rows + 2):
        for col in columns:
            sheet.cell(row=row, column=col).fill = _FILL
        sheet.cell(row=row, column=date_col).number_format = "yyyy-mm-dd"
    dates = DataValidation(type="date", operator="greaterThan", formula1="29221", allow_blank=True)  # > 1980-01-01
    dates.error = "请填写日期, 如 2023-12-31"
    sheet.add_data_validation(dates)
    letter = get_column_letter(date_col)
    dates.add(f"{letter}2:{letter}{rows + 1}")
    if number_col:
        numbers = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        numbers.error = "请填写数字"
        sheet.add_data_validation(numbers)
        letter = get_column_letter(number_col)
        numbers.add(f"{letter}2:{letter}{rows + 1}")


def _cell(row: tuple[Any, ...], index: int) -> Any:
    value = row[index] if index < len(row) else None
    return value.strip() if isinstance(value, str) else value


def _open_template(path: Path, plan: Plan) -> Any:
    """The workbook of a filled template of this plan; InputFileError naming what is wrong with the file."""
    if not path.is_file():
        raise InputFileError(str(path), "no such file")
    data = path.read_bytes()
    if data[:4] != b"PK\x03\x04":
        raise InputFileError(str(path), "not an Excel workbook (.xlsx); export a template with `ipnav plan template`")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise InputFileError(str(path), f"cannot read the workbook: {exc}") from None
    if IND_SHEET not in book.sheetnames and TASK_SHEET not in book.sheetnames:
        raise InputFileError(str(path), f"no sheet {IND_SHEET!r} or {TASK_SHEET!r}: not an ipnav plan template")
    if META_SHEET in book.sheetnames:
        meta = {r[0]: r[1] for r in book[META_SHEET].iter_rows(values_only=True) if r and r[0]}
        if meta.get("plan") and meta["plan"] != plan.id:
            raise InputFileError(str(path), f"this template belongs to plan {meta['plan']!r}, not {plan.id!r}")
    return book


class _Problems(list[dict[str, Any]]):
    """The bad cells of one imported file."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def add(self, sheet: str, row: int, col: int, field: str, reason: str) -> None:
        """One bad cell: sheet, cell address, field and reason."""
        cell = f"{get_column_letter(col)}{row}"
        self.append({"file": str(self.path), "sheet": sheet, "cell": cell, "row": row, "field": field,
                     "reason": reason})  # fmt: skip


def _checked(
    problems: _Problems, sheet: str, row_no: int, checks: tuple[tuple[int, str, Any, tuple[Any, ...]], ...]
) -> bool:
    """Run each (column, field, check, arguments); every failure becomes a problem. True when all pass."""
    ok = True
    for col, field, check, args in checks:
        try:
            check(*args)
        except RecordError as exc:
            problems.add(sheet, row_no, col, field, exc.reason)
            ok = False
    return ok


def _import_values(
    warehouse: Warehouse, plan: Plan, sheet: Any, problems: _Problems, *, source_name: str, actor: str,
    evidence: tuple[str, str] | None,
) -> tuple[int, int]:  # fmt: skip
    """Record the filled values of manual indicators; (recorded, unchanged)."""
    recorded = unchanged = 0
    known = {i.id for i in plan.indicators}
    for row_no, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), 2):
        date, value, source = _cell(row, 9), _cell(row, 10), _cell(row, 11)
        if date in (None, "") and value in (None, "") and source in (None, ""):
            continue
        ident = str(_cell(row, 0) or "")
        if ident not in known:
            problems.add(IND_SHEET, row_no, 1, "指标编号", f"{ident!r} is not an indicator of plan {plan.id}")
            continue
        indicator = plan.indicator(ident)
        ok = _checked(problems, IND_SHEET, row_no, (
            (10, "统计截止日期", records.check_date, (date,)),
            (11, "数值", records.check_value, (indicator, value)),
        ))  # fmt: skip
        if not indicator.manual:
            problems.add(
                IND_SHEET, row_no, 1, "指标编号", f"{ident} is computed from the warehouse; it takes no values"
            )
            ok = False
        if not source:
            problems.add(IND_SHEET, row_no, 12, "数据来源", "empty: say where the figure comes from")
            ok = False
        if not ok:
            continue
        note = _cell(row, 12)
        text = f"{source}" + (f"; {note}" if note else "") + f" [{source_name}]"
        result = records.record(
            warehouse, plan, ident, value, date, source=text, actor=actor, via="excel", evidence=evidence
        )
        if result.get("replaced") == result["value"]:
            unchanged += 1
        else:
            recorded += 1
    return recorded, unchanged


def _import_tasks(warehouse: Warehouse, plan: Plan, sheet: Any, problems: _Problems, *, actor: str) -> int:
    """Record the filled task progress reports; how many."""
    updated = 0
    known_tasks = {t.id for t in plan.tasks}
    for row_no, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), 2):
        date, state, note = _cell(row, 7), _cell(row, 8), _cell(row, 9)
        if date in (None, "") and state in (None, "") and note in (None, ""):
            continue
        ident = str(_cell(row, 0) or "")
        if ident not in known_tasks:
            problems.add(TASK_SHEET, row_no, 1, "任务编号", f"{ident!r} is not a task of plan {plan.id}")
            continue
        if _checked(problems, TASK_SHEET, row_no, (
            (8, "进展日期", records.check_date, (date,)),
            (9, "状态", records.parse_task_status, (str(state or ""),)),
        )):  # fmt: skip
            records.update_task(
                warehouse, plan, ident, str(state), date, note=str(note or ""), actor=actor, via="excel"
            )
            updated += 1
    return updated


def import_file(
    warehouse: Warehouse, plan: Plan, path: Path, *, actor: str, evidence: tuple[str, str] | None = None
) -> dict[str, Any]:
    """Record the filled rows of a template; returns counts and the problems (file, sheet, cell, field)."""
    book = _open_template(path, plan)
    problems = _Problems(path)
    recorded = unchanged = tasks = 0
    if IND_SHEET in book.sheetnames:
        recorded, unchanged = _import_values(
            warehouse, plan, book[IND_SHEET], problems, source_name=path.name, actor=actor, evidence=evidence
        )
    if TASK_SHEET in book.sheetnames:
        tasks = _import_tasks(warehouse, plan, book[TASK_SHEET], problems, actor=actor)
    return {
        "file": str(path),
        "plan": plan.id,
        "recorded": recorded,
        "unchanged": unchanged,
        "tasks": tasks,
        "problems": list(problems),
    }
