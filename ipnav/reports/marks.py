"""The trademark navigation report (商标导航分析报告) of a pack of `ipnav.analytics.navigate.navigate_marks`:
an overview, then each analysis with its chart and table (Word, PDF, HTML); in Excel the overview, every
mark of the selection and one sheet per analysis with its native chart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ipnav.reports.document import Block, Document, Sheet
from ipnav.reports.images import render
from ipnav.reports.navigation import analysis_blocks, analysis_sheet, cursor_sheet, overview_sheet
from ipnav.store.warehouse import Warehouse

TITLE = "商标导航分析报告"


def document(pack: dict[str, Any], warehouse: Warehouse, lang: str = "zh") -> Document:
    """The report of a trademark navigation pack in every format."""
    return Document(
        title=TITLE,
        blocks=lambda workdir, font: blocks(pack, workdir, font, lang),
        sheets=lambda: sheets(pack, warehouse, lang),
    )


def _overview(pack: dict[str, Any]) -> list[str]:
    """Sentences on what the selection holds, from the analyses' rows."""
    analyses = pack["analyses"]
    out = [f"本次分析共涉及商标 {pack['marks']:,} 件（{pack['selection']}）。"]
    classes = analyses["tm_classes"]["rows"][:3]
    if classes:
        out.append("商标最集中的类别为" + "、".join(f"{r['name_zh']}（{r['marks']:,} 件）" for r in classes) + "。")
    owners = analyses["tm_owners"]["rows"][:3]
    if owners:
        out.append("持有商标最多的权利人为" + "、".join(f"{r['name']}（{r['marks']:,} 件）" for r in owners) + "。")
    status = {r["status"]: r["marks"] for r in analyses["tm_status"]["rows"]}
    if status:
        share = status.get("registered", 0) / max(1, sum(status.values())) * 100
        out.append(f"已注册商标 {status.get('registered', 0):,} 件，占 {share:.1f}%。")
    return out


def blocks(pack: dict[str, Any], workdir: Path, font: Path | None = None, lang: str = "zh") -> list[Block]:
    """Blocks of the report; chart images are rendered into `workdir`."""
    analyses = pack["analyses"]
    charts = {kind: (kind, result["option"], result["rows"]) for kind, result in analyses.items() if result["rows"]}
    images = render(charts, workdir, font) if charts else {}
    out = [
        Block("title", TITLE),
        Block(
            "p",
            f"分析对象：{pack['selection']}    统计截止：{pack['as_of']}    "
            f"生成时间：{dt.datetime.now():%Y-%m-%d %H:%M}",
        ),
        Block("h1", "一、概况"),
        *[Block("p", s) for s in _overview(pack)],
        Block("h1", "二、分析"),
    ]
    for kind, result in analyses.items():
        out += analysis_blocks(kind, result, images, lang)
    return out


def sheets(pack: dict[str, Any], warehouse: Warehouse, lang: str = "zh") -> Iterator[Sheet]:
    """The overview, every mark of the selection and one sheet per analysis."""
    from ipnav.trademarks.reads import export_cursor

    analysis_sheets = [analysis_sheet(i, kind, r, lang) for i, (kind, r) in enumerate(pack["analyses"].items(), 1)]
    facts = [
        ["分析对象 selection", pack["selection"]],
        ["商标数 marks", pack["marks"]],
        ["统计截止 as of", pack["as_of"]],
    ]
    yield overview_sheet("商标导航报告 Trademark navigation report", facts, pack["analyses"], analysis_sheets)
    yield cursor_sheet("商标清单 marks", export_cursor(warehouse, pack["keys"]))
    yield from analysis_sheets


def write_report(
    pack: dict[str, Any], warehouse: Warehouse, fmt: str, out: Path, font: Path | None = None, lang: str = "zh"
) -> Path:
    """Write the trademark navigation report in xlsx, docx, pdf or html; returns the path."""
    from ipnav.reports import write

    return write(document(pack, warehouse, lang), fmt, out, font=font)
