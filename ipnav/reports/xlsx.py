"""Excel navigation report: overview, the hit list, and one sheet per analysis with a native Excel chart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ipnav.store.cells import excel_value, save_workbook
from ipnav.store.reads import export_cursor
from ipnav.store.warehouse import Warehouse

# analysis -> (chart kind, label column, value columns)
CHARTS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "trends": ("line", "year", ("filings", "publications", "grants")),
    "applicants": ("bar", "entity", ("applications",)),
    "inventors": ("bar", "inventor", ("applications",)),
    "applicant_types": ("pie", "type_zh", ("applications",)),
    "ipc": ("bar", "code", ("applications",)),
    "wipo_fields": ("bar", "field", ("applications",)),
    "sei": ("bar", "sei_name", ("applications",)),
    "countries": ("pie", "country", ("applications",)),
    "regions": ("bar", "applicant_province", ("applications",)),
    "legal_status": ("pie", "legal_status", ("applications",)),
    "patent_types": ("pie", "patent_type", ("applications",)),
    "lifecycle": ("line", "filing_year", ("applicants", "applications", "new_entrants")),
    "concentration": ("bar", "applicants", ("cr4", "cr8")),
    "most_cited": ("bar", "cited_app", ("citations",)),
    "terms": ("bar", "term", ("applications",)),
    "value": ("bar", "band", ("applications",)),
    "high_value": ("bar", "measure_zh", ("applications",)),
}


def write_xlsx(pack: dict[str, Any], warehouse: Warehouse, out: Path) -> Path:
    """Write the navigation pack as an Excel workbook; returns the path."""
    book = Workbook()
    overview = book.active
    overview.title = "概览 overview"
    overview.append(["专利导航报告 Patent navigation report"])
    overview["A1"].font = Font(bold=True, size=14)
    for label, value in (
        ("检索范围 selection", pack["selection"]),
        ("申请量 applications", pack["applications"]),
        ("统计截止 as of", pack["as_of"]),
        ("生成时间 generated", dt.datetime.now().isoformat(" ", "seconds")),
    ):
        overview.append([label, value])
    overview.append([])
    overview.append(["分析 analysis", "工作表 sheet"])
    hits = book.create_sheet("命中清单 hits")
    cursor = export_cursor(warehouse, pack["keys"])
    hits.append([d[0] for d in cursor.description])
    while batch := cursor.fetchmany(5000):
        for row in batch:
            hits.append([excel_value(v) for v in row])
    for index, (kind, result) in enumerate(pack["analyses"].items(), 1):
        title = f"{index:02d} {result['title_zh']}"[:31].replace("/", "／")
        overview.append([f"{result['title_zh']} {result['title_en']}", title])
        sheet = book.create_sheet(title)
        rows = result["rows"]
        columns = list(rows[0]) if rows else []
        sheet.append([result["title_zh"], result["title_en"]])
        sheet["A1"].font = Font(bold=True)
        sheet.append(columns)
        for row in rows:
            sheet.append([excel_value(row.get(c)) for c in columns])
        for i in range(1, len(columns) + 1):
            sheet.column_dimensions[get_column_letter(i)].width = 14 if i > 1 else 28
        if rows and kind in CHARTS:
            _chart(sheet, CHARTS[kind], columns, len(rows), result["title_zh"])
    return save_workbook(book, out)


def _chart(sheet: Any, spec: tuple[str, str, tuple[str, ...]], columns: list[str], count: int, title: str) -> None:
    kind, label, values = spec
    chart = {"line": LineChart, "bar": BarChart, "pie": PieChart}[kind]()
    chart.title = title
    first, last = 3, 2 + count
    label_col = columns.index(label) + 1
    for value in values:
        col = columns.index(value) + 1
        chart.add_data(Reference(sheet, min_col=col, min_row=2, max_row=last), titles_from_data=True)
        if kind == "pie":
            break
    chart.set_categories(Reference(sheet, min_col=label_col, min_row=first, max_row=last))
    if kind == "bar":
        chart.type = "bar"
        chart.height = max(7.5, 0.5 * min(count, 30))
    chart.width = 18
    sheet.add_chart(chart, f"{get_column_letter(len(columns) + 2)}2")
