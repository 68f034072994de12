"""Analysis matrices of a navigation report: the leading applicants against their technology fields
(IPC subclasses) and against filing years, each cell with the applications behind it."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from ipnav.analytics.context import Context


def _top_entities(ctx: Context, limit: int) -> tuple[ir.Table, ir.Table]:
    names = ctx.names()
    ranking = ctx.ranking()
    top = ranking.order_by([ibis.desc("applications"), "entity"]).limit(limit).select("entity")
    return names.semi_join(top, "entity").select("app_key", "entity"), top


def _matrix(pairs: ir.Table, column: str, limit: int | None) -> pa.Table:
    cells = pairs.group_by(["entity", column]).aggregate(applications=pairs.count())  # pairs are distinct
    if limit is not None:  # the columns most of the leading applicants' applications fall in
        top = cells.group_by(column).aggregate(s=cells.applications.sum()).order_by([ibis.desc("s"), column])
        cells = cells.semi_join(top.limit(limit), column)
    return cells.order_by(["entity", column]).to_pyarrow()


def applicant_ipc(ctx: Context, limit: int = 10) -> pa.Table:
    """Applications of the leading applicants per IPC subclass (the top `limit` of each)."""
    owners, _ = _top_entities(ctx, limit)
    sc = ctx.table("patent_subclasses")
    codes = sc.select("app_key", code=sc.subclass)
    return _matrix(owners.join(codes, "app_key"), "code", limit)


def applicant_years(ctx: Context, limit: int = 10) -> pa.Table:
    """Applications of the leading applicants per filing year."""
    owners, _ = _top_entities(ctx, limit)
    p = ctx.table("patents").filter(lambda t: t.filing_year.notnull()).select("app_key", year=lambda t: t.filing_year)
    return _matrix(owners.join(p, "app_key"), "year", None)
