"""The navigation pack: every analysis of one selection, with its ECharts option."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from ipnav.analytics import charts
from ipnav.analytics.analyses import ANALYSES, Context, region_basis_summary, run
from ipnav.analytics.selection import Selection, resolve
from ipnav.config import Settings, Workspace
from ipnav.normalize.names import canonical_name
from ipnav.store.warehouse import Warehouse

MERGE_FILE = "applicant_merge.csv"


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


def _result(ctx: Context, kind: str, **options: Any) -> dict[str, Any]:
    table = run(ctx, kind, **options)
    meta = ANALYSES[kind]
    out = {
        "kind": kind,
        "title_zh": meta.title_zh,
        "title_en": meta.title_en,
        "rows": table.to_pylist(),
        "option": charts.option(kind, table),
    }
    if kind == "regions":  # how many applications rest on each region basis, and how many have none
        out["region_basis"] = region_basis_summary(ctx)
    return out


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
    """One analysis of a selection: its rows and its chart."""
    ctx = context(workspace, warehouse, settings, selection, as_of)
    try:
        out = _result(ctx, kind, **options)
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
    ctx = context(workspace, warehouse, settings, selection, as_of)
    try:
        analyses = {kind: _result(ctx, kind) for kind in ANALYSES}
    finally:
        ctx.close()
    return {
        "selection": selection.describe(),
        "applications": len(ctx.keys),
        "as_of": ctx.as_of.isoformat(),
        "keys": ctx.keys,
        "analyses": analyses,
    }


def load_merge_table(path: Path | None) -> dict[str, str]:
    """The user's merge table: CSV `alias,canonical` (e.g. 华为终端 -> 华为技术). Missing file = no merges."""
    if path is None or not path.is_file():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {canonical_name(r[0]): r[1].strip() for r in csv.reader(handle) if len(r) >= 2 and r[0].strip()}
