"""A navigation report as a list of blocks (heading, paragraph, chart, table), rendered to Word, PDF
or HTML by the modules beside this one. Structure after GB/T 39551: overview, landscape,
technology, applicants, geography, impact, conclusions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ipnav.reports import narrative
from ipnav.reports.images import render

TABLE_ROWS = 15


@dataclass
class Block:
    """One block of a report: title, heading, paragraph, chart image or table."""

    kind: str  # "title" | "h1" | "h2" | "p" | "chart" | "table"
    text: str = ""
    image: Path | None = None
    svg: Path | None = None
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)


def build(pack: dict[str, Any], workdir: Path, font: Path | None = None) -> list[Block]:
    """Blocks of the report; chart images are rendered into `workdir`."""
    analyses = pack["analyses"]
    charts = {kind: (kind, result["option"], result["rows"]) for kind, result in analyses.items() if result["rows"]}
    images = render(charts, workdir, font) if charts else {}
    blocks = [
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
        blocks.append(Block("h1", title))
        for writer in writers:
            blocks += [Block("p", s) for s in writer(pack)]
        for kind in kinds:
            result = analyses.get(kind)
            if not result or not result["rows"]:
                continue
            blocks.append(Block("h2", f"{result['title_zh']}（{result['title_en']}）"))
            if kind in images:
                blocks.append(
                    Block("chart", result["title_zh"], image=Path(images[kind]["png"]), svg=Path(images[kind]["svg"]))
                )
            columns = list(result["rows"][0])
            rows = [[_fmt(row.get(c)) for c in columns] for row in result["rows"][:TABLE_ROWS]]
            blocks.append(Block("table", columns=columns, rows=rows))
    blocks.append(Block("h1", "七、结论与建议"))
    blocks.append(Block("h2", "主要结论"))
    blocks += [Block("p", f"{i}. {s}") for i, s in enumerate(narrative.conclusions(pack), 1)]
    blocks.append(Block("h2", "发展建议（由分析人员填写）"))
    blocks += [Block("p", f"{i}. ______________________________") for i in range(1, 4)]
    return blocks


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, bool):
        return "是" if value else "否"
    return "" if value is None else str(value)
