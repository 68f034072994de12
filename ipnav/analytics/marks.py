"""Navigation analyses of trademarks (商标导航): trends, owners, classes, similar groups, regions, status,
mark types and kinds, agents and offices. Each is `(ctx, **options) -> pyarrow.Table` over the trademark
tables restricted to a selection of marks (a trademark query, `numbers:...` or all), written as ibis
expressions like the patent analyses; each row carries the trademark query (`drill`) that finds exactly the
marks it counts (`CLAUSES`), and `CHARTS` draws it with the patent charts' machinery.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ibis
import pyarrow as pa
from ibis import _

from ipnav.analytics.context import Context, most_common

Row = dict[str, Any]


def tm_trends(ctx: Context) -> pa.Table:
    """Applications by filing year and registrations by registration year (the current year marked
    incomplete)."""
    m = ctx.table("trademarks")
    filed = m.filter(m.filing_date.notnull()).group_by(year=_.filing_date.year()).aggregate(filings=_.count())
    registered = (
        m.filter(m.registration_date.notnull())
        .group_by(year=_.registration_date.year())
        .aggregate(registrations=_.count())
    )
    found: dict[int, Row] = {}
    for row in filed.to_pyarrow().to_pylist():
        found.setdefault(int(row["year"]), {})["filings"] = row["filings"]
    for row in registered.to_pyarrow().to_pylist():
        found.setdefault(int(row["year"]), {})["registrations"] = row["registrations"]
    years = range(min(found), max(found) + 1) if found else range(0)
    rows = [
        {"year": y, "filings": found.get(y, {}).get("filings", 0),
         "registrations": found.get(y, {}).get("registrations", 0), "incomplete": y >= ctx.as_of.year}
        for y in years
    ]  # fmt: skip
    columns = [("year", pa.int64()), ("filings", pa.int64()), ("registrations", pa.int64()), ("incomplete", pa.bool_())]
    return pa.Table.from_pylist(rows, schema=pa.schema(columns))


def _parties(ctx: Context, role: str, limit: int) -> pa.Table:
    p = ctx.table("tm_parties")
    p = p.filter((p.role == role) & (p.entity != ""))
    counts = p.group_by("entity").aggregate(marks=p.app_key.nunique(), name=p.name.min())
    typed = most_common(p, "entity", "etype").rename(type="etype")
    counts = counts.left_join(typed, "entity").drop("entity_right")
    return counts.order_by([ibis.desc("marks"), "entity"]).limit(limit).to_pyarrow()


def tm_owners(ctx: Context, limit: int = 20) -> pa.Table:
    """Owners ranked by marks (names normalised: 全/半角, 有限公司/股份有限公司, Co., Ltd., case)."""
    return _parties(ctx, "owner", limit)


def tm_agents(ctx: Context, limit: int = 20) -> pa.Table:
    """Agents (代理机构) ranked by marks."""
    return _parties(ctx, "agent", limit)


def tm_classes(ctx: Context) -> pa.Table:
    """Marks per Nice class (a mark counts in each of its classes), with the class's name."""
    from ipnav.trademarks.classes import class_names

    c = ctx.table("tm_classes")
    rows = c.group_by("class_no").aggregate(marks=c.app_key.nunique()).order_by([ibis.desc("marks"), "class_no"])
    names = class_names()
    out = []
    for row in rows.to_pyarrow().to_pylist():
        zh, en = names.get(int(row["class_no"]), ("", ""))
        out.append({**row, "name_zh": f"第{row['class_no']}类 {zh}",
                    "name_en": f"Class {row['class_no']} {en.split(';')[0].split(',')[0]}"})  # fmt: skip
    return pa.Table.from_pylist(out, schema=pa.schema([("class_no", pa.int64()), ("marks", pa.int64()),
                                                      ("name_zh", pa.string()), ("name_en", pa.string())]))  # fmt: skip


def tm_groups(ctx: Context, limit: int = 30) -> pa.Table:
    """The similar groups (类似群) with most marks, named from CNIPA's 区分表."""
    from ipnav.trademarks.classes import group_class, group_names

    c = ctx.table("tm_classes")
    g = c.select("app_key", group=c.groups.unnest())
    rows = g.group_by("group").aggregate(marks=g.app_key.nunique()).order_by([ibis.desc("marks"), "group"]).limit(limit)
    names, classes = group_names(), group_class()
    out = [{**r, "class_no": classes.get(r["group"]), "name": names.get(r["group"], "")}
           for r in rows.to_pyarrow().to_pylist()]  # fmt: skip
    return pa.Table.from_pylist(out, schema=pa.schema([("group", pa.string()), ("marks", pa.int64()),
                                                      ("class_no", pa.int64()), ("name", pa.string())]))  # fmt: skip


def tm_regions(ctx: Context) -> pa.Table:
    """Marks of Chinese owners per province (the first owner's address)."""
    m = ctx.table("trademarks")
    m = m.filter(m.owner_adcode.notnull() & (m.owner_adcode != ""))
    m = m.mutate(code=m.owner_adcode.substr(0, 2))
    rows = m.group_by("code").aggregate(marks=m.count())
    named = most_common(m, "code", "owner_province").rename(province="owner_province")
    rows = rows.left_join(named, "code").select("code", "province", "marks")
    return rows.order_by([ibis.desc("marks"), "code"]).to_pyarrow()


def _by(column: str, name: str) -> Callable[[Context], pa.Table]:
    def analysis(ctx: Context) -> pa.Table:
        m = ctx.table("trademarks")
        rows = m.group_by(**{name: m[column]}).aggregate(marks=m.count())
        return rows.order_by([ibis.desc("marks"), name]).to_pyarrow()

    analysis.__doc__ = f"Marks per {name}."
    return analysis


tm_status = _by("status", "status")
tm_types = _by("mark_type", "mark_type")
tm_kinds = _by("kind", "kind")
tm_offices = _by("office", "office")
FUNCTIONS: dict[str, Callable[..., pa.Table]] = {
    "tm_trends": tm_trends, "tm_owners": tm_owners, "tm_classes": tm_classes, "tm_groups": tm_groups,
    "tm_regions": tm_regions, "tm_status": tm_status, "tm_types": tm_types, "tm_kinds": tm_kinds,
    "tm_agents": tm_agents, "tm_offices": tm_offices,
}  # fmt: skip


# ---- drill-down: the trademark query of each item ---------------------------------------------------


def _q(value: Any) -> str:
    return '"' + str(value).replace('"', " ").strip() + '"'


CLAUSES: dict[str, tuple[Callable[[Row], str | None], str]] = {
    "tm_trends": (lambda r: f"ad={r['year']}", "filings"),
    "tm_owners": (lambda r: f"entity={_q(r['entity'])}", "marks"),
    "tm_agents": (lambda r: f"agent_entity={_q(r['entity'])}", "marks"),
    "tm_classes": (lambda r: f"class={r['class_no']}", "marks"),
    "tm_groups": (lambda r: f"group={r['group']}", "marks"),
    "tm_regions": (lambda r: f"region1={r['code']}", "marks"),
    "tm_status": (lambda r: f"status={r['status']}", "marks"),
    "tm_types": (lambda r: f"type={r['mark_type']}", "marks"),
    "tm_kinds": (lambda r: f"kind={r['kind']}", "marks"),
    "tm_offices": (lambda r: f"office={r['office']}" if r["office"] else None, "marks"),
}


def resolve(selection: Any, workspace: Any, warehouse: Any) -> list[str]:
    """The keys of the marks a selection names, sorted: all, `numbers:` (any spelling), or a trademark query
    (topics hold patents)."""
    from ipnav.errors import UsageError
    from ipnav.trademarks import index, reads

    if selection.kind == "all":
        return sorted(r[0] for r in warehouse.con.execute("SELECT app_key FROM trademarks").fetchall())
    if selection.kind == "numbers":
        numbers = [n for n in selection.value.replace(";", ",").split(",") if n.strip()]
        if not numbers:
            raise UsageError("numbers: give at least one trademark number")
        return sorted({reads.find_key(warehouse, n) for n in numbers})
    if selection.kind == "topic":
        raise UsageError("a topic holds patents: select marks by a trademark query, numbers:... or all")
    if index.behind(workspace, warehouse):
        raise UsageError("the trademark index is behind the warehouse: run `ipnav reindex`")
    return sorted(index.open_index(workspace).keys(selection.value))


def selection_query(selection: Any) -> str:
    """A selection of marks as a trademark query ('' for all)."""
    if selection.kind == "query":
        return str(selection.value)
    if selection.kind == "numbers":
        numbers = [n.strip() for n in selection.value.replace(";", ",").split(",") if n.strip()]
        return " OR ".join(f"number={_q(n)}" for n in numbers)
    return ""


def attach(kind: str, rows: list[Row], selection: Any) -> None:
    """Set `drill` on every row: the trademark query of the marks it counts, the selection included."""
    make = CLAUSES[kind][0]
    base = selection_query(selection)
    for row in rows:
        clause = make(row)
        row["drill"] = (f"({base}) AND {clause}" if base else clause) if clause else None
