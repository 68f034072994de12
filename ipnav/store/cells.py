"""Values as spreadsheet cells: what Excel and WPS accept, and never a live formula.

Text that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a formula by Excel,
WPS and LibreOffice when it arrives as a formula cell or through CSV (OWASP "CSV injection"). Every
export of ipnav carries text written by others (titles, applicant names, values recorded in the web),
so every writer goes through this module:

* xlsx: such text is a string cell (`t="inlineStr"`), never `<f>`: `save_workbook` for workbooks
  built in memory, `excel_row` for write-only sheets (whose rows are written as they are appended).
* csv: such text gets a leading `'` (`csv_value`, or `FORMULA_SQL` inside a DuckDB `COPY`).

Numbers, dates and booleans stay what they are. Text whose formula character follows leading
spaces counts too: spreadsheets trim them on import.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

# leading tab/CR, or (after any spaces) = + - @ ; written so that Python and DuckDB (RE2) read it alike
FORMULA_PATTERN = r"^([\t\r]|[ \x{3000}]*[=+\-@])"
_FORMULA = re.compile(r"^([\t\r]|[ \u3000]*[=+\-@])")
_ILLEGAL = dict.fromkeys(c for c in range(0x20) if c not in (9, 10, 13))
EXCEL_MAX_TEXT = 32767


def formula_like(text: str) -> bool:
    """Would a spreadsheet take this text for a formula?"""
    return bool(_FORMULA.match(text))


def csv_value(value: Any) -> Any:
    """A value for a CSV cell: formula-like text prefixed with `'`, everything else unchanged."""
    return "'" + value if isinstance(value, str) and formula_like(value) else value


def formula_sql(column: str) -> str:
    """DuckDB expression of a text column as `csv_value` writes it (for `COPY ... TO` csv)."""
    return f"CASE WHEN regexp_matches({column}, '{FORMULA_PATTERN}') THEN '''' || {column} ELSE {column} END"


def excel_value(value: Any) -> Any:
    """A value Excel accepts: control characters removed, text capped at a cell's 32,767 characters."""
    if isinstance(value, str):
        return value.translate(_ILLEGAL)[:EXCEL_MAX_TEXT]
    if isinstance(value, list | dict):
        return str(value)
    return value


def excel_row(sheet: Any, values: list[Any]) -> list[Any]:
    """A row for a write-only sheet: Excel-safe values, formula-like text as string cells."""
    from openpyxl.cell import WriteOnlyCell

    row: list[Any] = []
    for value in values:
        value = excel_value(value)
        if isinstance(value, str) and value.startswith("="):  # the one start openpyxl writes as <f>
            cell = WriteOnlyCell(sheet, value)
            cell.data_type = "s"
            value = cell
        row.append(value)
    return row


def save_workbook(book: Any, out: Path) -> Path:
    """Save an openpyxl workbook built in memory, every formula cell turned into the text it holds.

    ipnav writes no formulas of its own (charts refer to cells, not formulas), so any formula cell
    is text from the data that openpyxl took for one.
    """
    for sheet in book.worksheets:
        for cell in sheet._cells.values():
            if cell.data_type == "f":
                cell.data_type = "s"
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out
