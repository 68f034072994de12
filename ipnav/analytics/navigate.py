"""The navigation pack: every analysis of one selection, with its ECharts option."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ipnav.analytics import charts, coverage, drill, marks
from ipnav.analytics.analyses import ANALYSES, Context, region_basis_summary, run
from ipnav.analytics.catalog import of_kind
from ipnav.analytics.selection import Selection, resolve
from ipnav.config import Settings, Workspace
from ipnav.store.merges import MERGE_FILE, load_merge_table
from ipnav.store.warehouse import Warehouse


def context(
    workspace: Workspace, warehouse: Warehouse, settings: Settings, selection: Selection, as_of: dt.date | None = None
) -> Context:
    """The selection resolved to its applications, ready to analyse."""
    keys = resolve(selection, workspace, warehouse, settings)
    return Context(
        warehouse,
        keys,
        settings,
        as_of=as_of or dt.date.today(),
        merges=load_merge_table(workspace.root / MERGE_FILE),
        everything=selection.kind == "all",
    )


def mark_context(
    workspace: Workspace, warehouse: Warehouse, settings: Settings, selection: Selection, as_of: dt.date | None = None
) -> Context:
    """A selection of trademarks (a trademark query, `numbers:...` or all) resolved, ready to analyse."""
    keys = marks.resolve(selection, workspace, warehouse)
    return Context(warehouse, keys, settings, as_of=as_of or dt.date.today(), everything=selection.kind == "all")


def result(ctx: Context, selection: Selection, kind: str, **options: Any) -> dict[str, Any]:
    """One analysis of a context as the CLI, API and pages give it: rows with their drill queries, the
    chart, and what the selection lacks for it."""
    rows = run(ctx, kind, **options).to_pylist()
    meta = ANALYSES[kind]
    if meta.record_kind == "trademark":
        marks.attach(kind, rows, selection)
        option = chart(kind, rows, selection, None)
        return {"kind": kind, "title_zh": meta.title_zh, "title_en": meta.title_en, "rows": rows, "option": option,
                "counted": marks.CLAUSES[kind][1], "missing": None, "record_kind": "trademark"}  # fmt: skip
    drill.attach(kind, rows, selection, options.get("level"))
    lacking = coverage.missing(ctx, kind)
    option = chart(kind, rows, selection, lacking)
    out = {
        "kind": kind,
        "title_zh": meta.title_zh,
        "title_en": meta.title_en,
        "rows": rows,
        "counted": drill.counted(kind),
        "missing": lacking,
        "option": option,
    }
    if kind == "regions":  # how many applications rest on each region basis, and how many have none
        out["region_basis"] = region_basis_summary(ctx)
    return out


def chart(
    kind: str, rows: list[dict[str, Any]], selection: Selection, lacking: dict[str, Any] | None, lang: str = "zh"
) -> dict[str, Any]:
    """The ECharts option of an analysis's rows in a language: network nodes open their applications, and
    a chart with nothing to draw says why instead of showing empty axes."""
    option = charts.option(kind, rows, lang)
    for series in option.get("series", []):
        if series.get("type") == "graph":  # nodes open the applicant's (inventor's) applications
            for node in series["data"]:
                node["drill"] = drill.node_drill(kind, node["name"], selection)
    if not rows:
        option = coverage.empty_option(option, lacking, lang)
    return option


def localized(pack: dict[str, Any], selection: Selection, lang: str) -> dict[str, dict[str, Any]]:
    """The charts of a navigation pack in another language, from the rows it already holds."""
    return {
        kind: chart(kind, result["rows"], selection, result["missing"], lang) if lang != "zh" else result["option"]
        for kind, result in pack["analyses"].items()
    }


def analyze(
    workspace: Workspace,
    warehouse: Warehouse,
    settings: Settings,
    selection: Selection,
    kind: str,
    *,
    as_of: dt.date | None = None,
    **options: Any,
) -> dict[str, Any]:
    """One analysis of a selection: its rows and its chart (a trademark analysis selects marks)."""
    if kind in ANALYSES and ANALYSES[kind].record_kind == "trademark":
        ctx = mark_context(workspace, warehouse, settings, selection, as_of)
    else:
        ctx = context(workspace, warehouse, settings, selection, as_of)
    try:
        out = result(ctx, selection, kind, **options)
    finally:
        ctx.close()
    out.update({"selection": selection.describe(), "applications": len(ctx.keys), "as_of": ctx.as_of.isoformat()})
    return out


def navigate(
    workspace: Workspace,
    warehouse: Warehouse,
    settings: Settings,
    selection: Selection,
    *,
    as_of: dt.date | None = None,
) -> dict[str, Any]:
    """Every analysis of a selection (the full navigation pack)."""
    return _pack(context(workspace, warehouse, settings, selection, as_of), selection, "patent", "applications")


def navigate_marks(
    workspace: Workspace,
    warehouse: Warehouse,
    settings: Settings,
    selection: Selection,
    *,
    as_of: dt.date | None = None,
) -> dict[str, Any]:
    """Every trademark analysis of a selection of marks (商标导航)."""
    return _pack(mark_context(workspace, warehouse, settings, selection, as_of), selection, "trademark", "marks")


def _pack(ctx: Context, selection: Selection, record_kind: str, counted: str) -> dict[str, Any]:
    """Every analysis of a record kind over a context, which it closes."""
    try:
        analyses = {kind: result(ctx, selection, kind) for kind in of_kind(record_kind)}
    finally:
        ctx.close()
    return {
        "selection": selection.describe(),
        counted: len(ctx.keys),
        "as_of": ctx.as_of.isoformat(),
        "keys": ctx.keys,
        "analyses": analyses,
    }
