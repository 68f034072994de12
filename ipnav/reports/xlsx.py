"""Excel rendering of a document's sheets, with native (editable) charts: the one module that writes
spreadsheet charts, for navigation reports, indicator exports and plan reports alike. Every cell goes
through `excel_value`, so no text becomes a live formula."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ipnav.reports.document import Chart, Document, Sheet
from ipnav.store.cells import excel_value, save_workbook


def write(document: Document, out: Path, font: Path | None = None) -> Path:
    """The document's sheets as an .xlsx workbook (fonts are Excel's own: `font` is not used)."""
    assert document.sheets is not None
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for sheet in document.sheets():
        _sheet(book, sheet)
    return save_workbook(book, out)


def _sheet(book: Workbook, spec: Sheet) -> None:
    ws = book.create_sheet(spec.title)
    for line in spec.heading:
        ws.append([excel_value(v) for v in line])
    if spec.heading:
        ws["A1"].font = Font(bold=True, size=13)
    header_row = len(spec.heading) + 1
    count = 0
    if spec.columns:
        ws.append(list(spec.columns))
        for cell in ws[header_row]:
            cell.font = Font(bold=True)
    for row in spec.rows:
        ws.append([excel_value(v) for v in row])
        count += 1
    for column, width in spec.widths.items():
        ws.column_dimensions[get_column_letter(column)].width = width
    if spec.freeze and spec.columns:
        ws.freeze_panes = f"A{header_row + 1}"
    for number, chart in enumerate(spec.charts):
        if count:
            _chart(ws, chart, spec.columns, header_row, count, number)


def _chart(ws: Any, spec: Chart, columns: list[str], header_row: int, count: int, number: int) -> None:
    """One native chart of the sheet's columns, placed right of the table."""
    chart: Any = {"line": LineChart, "bar": BarChart, "column": BarChart, "pie": PieChart}[spec.kind]()
    chart.title = spec.title
    rows = min(count, spec.rows or count)
    last = header_row + rows
    for value in spec.values:
        col = columns.index(value) + 1
        chart.add_data(Reference(ws, min_col=col, min_row=header_row, max_row=last), titles_from_data=True)
        if spec.kind == "pie":
            break
    label = columns.index(spec.label) + 1
    chart.set_categories(Reference(ws, min_col=label, min_row=header_row + 1, max_row=last))
    if spec.kind == "bar":
        chart.type = "bar"
        chart.height = max(7.5, 0.5 * min(rows, 40))
    if spec.y_title and spec.kind != "pie":
        chart.y_axis.title = spec.y_title
    chart.width = 18
    ws.add_chart(chart, f"{get_column_letter(len(columns) + 2)}{header_row + 16 * number}")
