"""An indicator result as a document: Excel (the figures with a native chart, the patents behind them,
the sources and definitions) or CSV (the figures), rendered by `ipnav.reports`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ipnav.errors import UsageError
from ipnav.kpi.indicators import flat_rows
from ipnav.reports import write as write_document
from ipnav.reports.document import Chart, Document, Sheet


def write(result: dict[str, Any], out: Path) -> Path:
    """Write an indicator result as .xlsx (figures with a chart, patents, sources) or .csv."""
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "csv"):
        raise UsageError(f"{out}: export as .xlsx or .csv")
    return write_document(document(result), fmt, out)


def document(result: dict[str, Any]) -> Document:
    """The indicator result as a document (xlsx sheets, csv table)."""
    return Document(
        title=result["indicator"]["title_zh"], sheets=lambda: _sheets(result), table=lambda: flat_rows(result)
    )


def _figures(result: dict[str, Any]) -> Sheet:
    ind, region = result["indicator"], result["region"]
    table = flat_rows(result)
    columns = table.column_names
    rows = table.to_pylist()
    if "year" in columns:  # flows: the region's own series as a line
        own = sum(1 for r in rows if r["code"] == region["code"] and r["level"] == region["level"])
        chart = Chart("line", ind["title_zh"], "year", ("value",), rows=own, y_title=ind["unit_zh"])
    else:
        chart = Chart("column", ind["title_zh"], "name", ("value",), y_title=ind["unit_zh"])
    return Sheet(
        title="指标 Figures",
        columns=columns,
        rows=([r[c] for c in columns] for r in rows),
        heading=[[f"{ind['title_zh']} {ind['title_en']} · {region['name']} · as of {result['meta']['as_of']}"]],
        charts=[chart],
    )


def _patents(patents: list[dict[str, Any]]) -> Sheet:
    keys = list(patents[0]) if patents else ["app_key"]

    def cell(p: dict[str, Any], key: str) -> Any:
        if key == "criteria":
            return "; ".join(f"{c['criterion_zh']}: {c['evidence']}" for c in p[key])
        return p[key]

    return Sheet(title="专利清单 Patents", columns=keys, rows=([cell(p, k) for k in keys] for p in patents))


def _sources(result: dict[str, Any]) -> Sheet:
    ind = result["indicator"]
    rows: list[list[Any]] = [
        ["indicator", ind["name"]],
        ["definition_zh", ind["definition_zh"]],
        ["definition_en", ind["definition_en"]],
    ]
    for key, value in result["meta"].items():
        rows.append([key, json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value])
    return Sheet(title="口径 Sources", columns=["item", "value"], rows=rows)


def _sheets(result: dict[str, Any]) -> Iterator[Sheet]:
    yield _figures(result)
    if result.get("patents") is not None:
        yield _patents(result["patents"])
    yield _sources(result)
