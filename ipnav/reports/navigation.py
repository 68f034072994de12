"""The navigation report (专利导航分析报告) of a navigation pack, structured after GB/T 39551: overview,
landscape, technology, applicants, geography, impact, conclusions; in Excel a hit list and one sheet
per analysis with its native chart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ipnav.reports import narrative
from ipnav.reports.document import Block, Chart, Document, Sheet, fmt_cell
from ipnav.reports.images import render
from ipnav.store.reads import export_cursor
from ipnav.store.warehouse import Warehouse
from ipnav.vocabulary import CODED_COLUMNS, cell, label

TABLE_ROWS = 15

# analysis -> (chart kind, label column, value columns) of its spreadsheet chart
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
    # trademarks (ipnav.reports.marks)
    "tm_trends": ("line", "year", ("filings", "registrations")),
    "tm_owners": ("bar", "name", ("marks",)),
    "tm_agents": ("bar", "name", ("marks",)),
    "tm_classes": ("bar", "name_zh", ("marks",)),
    "tm_groups": ("bar", "group", ("marks",)),
    "tm_regions": ("bar", "province", ("marks",)),
    "tm_status": ("pie", "status", ("marks",)),
    "tm_types": ("pie", "mark_type", ("marks",)),
    "tm_kinds": ("pie", "kind", ("marks",)),
    "tm_offices": ("pie", "office", ("marks",)),
}


def document(pack: dict[str, Any], warehouse: Warehouse, lang: str = "zh") -> Document:
    """The report of a navigation pack in every format (the hit list is read from `warehouse`); tables name
    their columns and code values in `lang`."""
    return Document(
        title="专利导航分析报告",
        blocks=lambda workdir, font: blocks(pack, workdir, font, lang),
        sheets=lambda: sheets(pack, warehouse, lang),
    )


def table_cell(column: str, value: Any, lang: str) -> str:
    """A cell of a report table: code values as words, shares as percentages, numbers as `fmt_cell` does."""
    if isinstance(value, bool | str) or column in ("share", "cr4", "cr8"):
        return cell(column, value, lang)
    return fmt_cell(value)


def blocks(pack: dict[str, Any], workdir: Path, font: Path | None = None, lang: str = "zh") -> list[Block]:
    """Blocks of the report; chart images are rendered into `workdir`."""
    analyses = pack["analyses"]
    charts = {kind: (kind, result["option"], result["rows"]) for kind, result in analyses.items() if result["rows"]}
    images = render(charts, workdir, font) if charts else {}
    out = [
        Block("title", "专利导航分析报告"),
        Block(
            "p",
            f"检索范围：{pack['selection']}    统计截止：{pack['as_of']}    "
            f"生成时间：{dt.datetime.now():%Y-%m-%d %H:%M}",
        ),
        Block("h1", "一、项目概况"),
        *[Block("p", s) for s in narrative.overview(pack)],
    ]
    for title, _english, writers, kinds in narrative.SECTIONS:
        out.append(Block("h1", title))
        for writer in writers:
            out += [Block("p", s) for s in writer(pack)]
        for kind in kinds:
            out += analysis_blocks(kind, analyses.get(kind), images, lang)
    out.append(Block("h1", "七、结论与建议"))
    out.append(Block("h2", "主要结论"))
    out += [Block("p", f"{i}. {s}") for i, s in enumerate(narrative.conclusions(pack), 1)]
    out.append(Block("h2", "发展建议（由分析人员填写）"))
    out += [Block("p", f"{i}. ______________________________") for i in range(1, 4)]
    return out


def analysis_blocks(kind: str, result: dict[str, Any] | None, images: dict[str, Any], lang: str) -> list[Block]:
    """An analysis in the written report: its title, chart image and first rows (nothing when it is empty)."""
    if not result or not result["rows"]:
        return []
    out = [Block("h2", result["title_en"] if lang == "en" else result["title_zh"])]
    if kind in images:
        out.append(Block("chart", result["title_zh"], image=Path(images[kind]["png"]), svg=Path(images[kind]["svg"])))
    columns = shown_columns(result["rows"][0])
    rows = [[table_cell(c, row.get(c), lang) for c in columns] for row in result["rows"][:TABLE_ROWS]]
    out.append(Block("table", columns=[label("column", c, lang) for c in columns], rows=rows))
    return out


def overview_sheet(title: str, facts: list[list[Any]], analyses: dict[str, Any], sheets: list[Sheet]) -> Sheet:
    """The first sheet of a navigation workbook: the report's facts and which sheet holds each analysis."""
    return Sheet(
        title="概览 overview",
        columns=["分析 analysis", "工作表 sheet"],
        rows=[[f"{r['title_zh']} {r['title_en']}", s.title] for r, s in zip(analyses.values(), sheets, strict=True)],
        heading=[[title], *facts, ["生成时间 generated", dt.datetime.now().isoformat(" ", "seconds")], []],
    )


def shown_columns(row: dict[str, Any]) -> list[str]:
    """The columns a report table shows: the drill query stays in Excel and JSON, a column with the Chinese
    name of a code shows instead of the code (`type_zh` for `type`, `measure_zh` for `measure`)."""
    return [c for c in row if c != "drill" and f"{c}_zh" not in row]


def analysis_sheet(index: int, kind: str, result: dict[str, Any], lang: str) -> Sheet:
    rows = result["rows"]
    columns = shown_columns(rows[0]) if rows else []
    charts = []
    if rows and kind in CHARTS:
        chart_kind, label_column, values = CHARTS[kind]
        charts.append(Chart(chart_kind, result["title_zh"], label("column", label_column, lang),
                            tuple(label("column", v, lang) for v in values)))  # fmt: skip

    def shown(row: dict[str, Any]) -> list[Any]:
        return [cell(c, row.get(c), lang) if c in CODED_COLUMNS else row.get(c) for c in columns]

    return Sheet(
        title=f"{index:02d} {result['title_zh']}"[:31].replace("/", "／"),
        columns=[label("column", c, lang) for c in columns],
        rows=(shown(row) for row in rows),
        heading=[[result["title_zh"], result["title_en"]]],
        charts=charts,
        widths={i: 14.0 if i > 1 else 28.0 for i in range(1, len(columns) + 1)},
    )


def sheets(pack: dict[str, Any], warehouse: Warehouse, lang: str = "zh") -> Iterator[Sheet]:
    """The overview, the hit list (streamed from the warehouse) and one sheet per analysis."""
    analysis_sheets = [analysis_sheet(i, kind, r, lang) for i, (kind, r) in enumerate(pack["analyses"].items(), 1)]
    facts = [["检索范围 selection", pack["selection"]], ["申请量 applications", pack["applications"]],
             ["统计截止 as of", pack["as_of"]]]  # fmt: skip
    yield overview_sheet("专利导航报告 Patent navigation report", facts, pack["analyses"], analysis_sheets)
    yield cursor_sheet("命中清单 hits", export_cursor(warehouse, pack["keys"]))
    yield from analysis_sheets


def cursor_sheet(title: str, cursor: Any) -> Sheet:
    """A sheet of every row of a query's cursor, streamed in batches (the hit list of a report)."""

    def rows() -> Iterator[Any]:
        while batch := cursor.fetchmany(5000):
            yield from batch

    return Sheet(title=title, columns=[d[0] for d in cursor.description], rows=rows(), freeze=True)


def write_report(
    pack: dict[str, Any], warehouse: Warehouse, fmt: str, out: Path, font: Path | None = None, lang: str = "zh"
) -> Path:
    """Write the navigation report of a pack in xlsx, docx, pdf or html; returns the path."""
    from ipnav.reports import write

    return write(document(pack, warehouse, lang), fmt, out, font=font)
