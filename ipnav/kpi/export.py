"""Indicator results to Excel (figures with a native chart, the patents behind them, the sources) or CSV."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font

from ipnav.errors import UsageError
from ipnav.kpi.indicators import flat_rows
from ipnav.store.cells import csv_value, excel_value, save_workbook


def write(result: dict[str, Any], out: Path) -> Path:
    """Write an indicator result as .xlsx (figures with a chart, patents, sources) or .csv."""
    suffix = out.suffix.lower()
    if suffix == ".csv":
        table = flat_rows(result)
        safe = {name: [csv_value(v) for v in table.column(name).to_pylist()] for name in table.column_names}
        pacsv.write_csv(pa.table(safe, schema=table.schema), out)
        return out
    if suffix != ".xlsx":
        raise UsageError(f"{out}: export as .xlsx or .csv")
    _xlsx(result, out)
    return out


def _xlsx(result: dict[str, Any], out: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "指标 Figures"
    ind = result["indicator"]
    sheet.append(
        [f"{ind['title_zh']} {ind['title_en']} · {result['region']['name']} · as of {result['meta']['as_of']}"]
    )
    sheet["A1"].font = Font(bold=True, size=13)
    table = flat_rows(result)
    columns = table.column_names
    sheet.append(columns)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    rows = table.to_pylist()
    for row in rows:
        sheet.append([excel_value(row[c]) for c in columns])
    if rows:
        value_col = columns.index("value") + 1
        if "year" in columns:  # flows: the region's series as a line
            chart: Any = LineChart()
            years = [
                r for r in rows if r["code"] == result["region"]["code"] and r["level"] == result["region"]["level"]
            ]
            count = len(years)
            chart.add_data(Reference(sheet, min_col=value_col, min_row=2, max_row=2 + count), titles_from_data=True)
            chart.set_categories(Reference(sheet, min_col=columns.index("year") + 1, min_row=3, max_row=2 + count))
        else:
            chart = BarChart()
            chart.add_data(Reference(sheet, min_col=value_col, min_row=2, max_row=2 + len(rows)), titles_from_data=True)
            chart.set_categories(Reference(sheet, min_col=columns.index("name") + 1, min_row=3, max_row=2 + len(rows)))
        chart.title = ind["title_zh"]
        chart.y_axis.title = ind["unit_zh"]
        sheet.add_chart(chart, f"{chr(ord('A') + min(len(columns), 20) + 1)}3")
    if result.get("patents") is not None:
        pats = book.create_sheet("专利清单 Patents")
        patents = result["patents"]
        keys = list(patents[0]) if patents else ["app_key"]
        pats.append(keys)
        for cell in pats[1]:
            cell.font = Font(bold=True)
        for p in patents:
            pats.append(
                [
                    excel_value(
                        "; ".join(f"{c['criterion_zh']}: {c['evidence']}" for c in p[k]) if k == "criteria" else p[k]
                    )
                    for k in keys
                ]
            )
    sources = book.create_sheet("口径 Sources")
    sources.append(["item", "value"])
    sources.append(["indicator", ind["name"]])
    sources.append(["definition_zh", ind["definition_zh"]])
    sources.append(["definition_en", ind["definition_en"]])
    for key, value in result["meta"].items():
        sources.append(
            [key, excel_value(json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value)]
        )
    save_workbook(book, out)
