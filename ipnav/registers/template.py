"""The Excel template of a register: a fill-in sheet (a title row, a note row, the header with `*` on the
required columns, data validation: lists of the usual values, dates, amounts, division codes), a sheet
describing every field in Chinese and English, and a hidden sheet of the lists. A filled template is
read back by `ipnav ingest` (or the register's upload page) like any export of that register."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ipnav.registers.reads import register_of
from ipnav.store.cells import save_workbook

FILL_SHEET, FIELDS_SHEET, LISTS_SHEET = "填报", "字段说明", "_lists"
ROWS = 2000  # rows the validation covers
_TYPE_ZH = {"text": "文本", "date": "日期", "year": "年份", "money": "金额(万元)", "int": "整数", "adcode": "区划代码",
            "list": "多值(以;分隔)"}  # fmt: skip
_NOTE = (
    "带 * 的列必填; 日期写 2025-06-30; 金额单位万元; 一行一条记录; "
    "填好后在该名录页面上传或 `ipnav ingest 文件`。 Columns with * are required; dates as 2025-06-30; "
    "amounts in 10k yuan; one record per row."
)
_HEAD = PatternFill("solid", fgColor="DDE7F3")
_NEED = PatternFill("solid", fgColor="FFF4CC")


def template(name: str, out: Path) -> Path:
    """Write the template of register `name` to `out` (.xlsx)."""
    reg = register_of(name)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = FILL_SHEET
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    sheet.append([f"{reg.title_zh} 导入模板 / {reg.title_en} import template (ipnav)"])
    sheet.append([_NOTE])
    sheet.append([f.zh + ("*" if f.required else "") for f in reg.fields])
    sheet["A1"].font = Font(bold=True, size=13)
    for column, f in enumerate(reg.fields, 1):
        letter = get_column_letter(column)
        cell = sheet.cell(row=3, column=column)
        cell.font, cell.fill = Font(bold=True), _NEED if f.required else _HEAD
        cell.alignment = Alignment(wrap_text=True)
        sheet.column_dimensions[letter].width = max(12, min(40, len(f.zh) * 2 + 6))
        rule = _validation(f.type, f.choices, column, lists, f"{f.zh}: {f.hint or _TYPE_ZH[f.type]}")
        if rule is not None:
            sheet.add_data_validation(rule)
            rule.add(f"{letter}4:{letter}{ROWS + 3}")
    sheet.freeze_panes = "A4"
    about = book.create_sheet(FIELDS_SHEET)
    about.append(
        ["列 column", "中文名", "English", "类型 type", "必填 required", "说明 hint", "也可写作 other headers"]
    )
    for f in reg.fields:
        about.append([f.name, f.zh, f.en, _TYPE_ZH[f.type], "是 yes" if f.required else "", f.hint,
                      "、".join(f.headers)])  # fmt: skip
    for letter, width in zip("ABCDEFG", (16, 18, 28, 14, 10, 50, 60), strict=True):
        about.column_dimensions[letter].width = width
    out.parent.mkdir(parents=True, exist_ok=True)
    return save_workbook(book, out)


def _validation(kind: str, choices: tuple[str, ...], column: int, lists: object, prompt: str) -> DataValidation | None:
    """The data validation of a column by its type (choices: a list that still accepts other values)."""
    if choices:
        for row, choice in enumerate(choices, 1):
            lists.cell(row=row, column=column, value=choice)  # type: ignore[attr-defined]
        letter = get_column_letter(column)
        rule = DataValidation(type="list", formula1=f"{LISTS_SHEET}!${letter}$1:${letter}${len(choices)}",
                              allow_blank=True, showErrorMessage=False)  # fmt: skip
    elif kind == "date":
        rule = DataValidation(type="date", operator="between", formula1="DATE(1980,1,1)", formula2="DATE(2100,12,31)",
                              allow_blank=True, showErrorMessage=True, error="请填写日期, 如 2025-06-30")  # fmt: skip
    elif kind in ("money", "int"):
        rule = DataValidation(type="decimal" if kind == "money" else "whole", operator="greaterThanOrEqual",
                              formula1="0", allow_blank=True, showErrorMessage=True,
                              error="请填写不小于0的数")  # fmt: skip
    elif kind == "year":
        rule = DataValidation(type="whole", operator="between", formula1="1980", formula2="2100", allow_blank=True,
                              showErrorMessage=True, error="请填写年份, 如 2025")  # fmt: skip
    elif kind == "adcode":
        rule = DataValidation(type="textLength", operator="equal", formula1="6", allow_blank=True,
                              showErrorMessage=True, error="6位统计用区划代码, 如 511922")  # fmt: skip
    else:
        return None
    rule.promptTitle, rule.prompt, rule.showInputMessage = "ipnav", prompt[:250], True
    return rule
