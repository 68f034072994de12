"""The indicators of the other registers (`ipnav.kpi.register_catalog`), with the options and the result
shape of the patent indicators: total, sub-regions with `by`, the year series of flows, and the records
behind a figure (`patents=True` drills down; the rows are register records)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb

from ipnav.errors import UsageError
from ipnav.kpi.catalog import Indicator
from ipnav.kpi.register_catalog import COUNTED, Counted
from ipnav.normalize import region as regions
from ipnav.normalize.region import RegionRef
from ipnav.registers import closure
from ipnav.registers.model import REGION_BASES
from ipnav.store.reads import plain
from ipnav.store.warehouse import Warehouse, query_dicts

_WHEN = "coalesce(r.date, make_date(r.year, 12, 31))"  # a record's date, else the end of its year
_ENDED = "('撤销', '注销', '终止', '无效', '已撤销', '已注销', '失效')"


def _where(counted: Counted) -> str:
    subtypes = ", ".join(f"'{s}'" for s in counted.subtypes)
    return (
        f"r.register = '{counted.register}'"
        + (f" AND r.subtype IN ({subtypes})" if subtypes else "")
        + (f" AND {counted.condition}")
    )


def _existing() -> str:
    """SQL of a record existing on a date (`?` bound to the date twice)."""
    return f"({_WHEN} IS NULL OR {_WHEN} <= ?) AND (r.end_date IS NULL OR r.end_date > ?) AND r.status NOT IN {_ENDED}"


def compute(warehouse: Warehouse, indicator: Indicator, request: Any) -> dict[str, Any]:
    """One register indicator for a region (and its sub-regions with `by`), with its drill-down."""
    from ipnav.kpi.indicators import _header, _level_below

    counted = COUNTED[indicator.name]
    region = regions.resolve(request.region)
    by = _level_below(region, request.by)
    con = warehouse.con
    held = con.execute("SELECT count(*) FROM registers WHERE register = ?", [counted.register]).fetchone()
    meta: dict[str, Any] = {
        "as_of": request.as_of.isoformat(),
        "records_in_register": int(held[0]) if held else 0,
        "counting": "first",
        "counting_zh": "每条记录计入第一权利人(出让人、卖方)所在地区 / each record to its first holder's region",
        "region_source": "权利人/出让人/卖方地址、区划代码或所在地名 → 2023年统计用区划代码 / the holder's address, "
        "division code or place names → 2023 statistical division code",
    }
    meta["region_bases"] = _bases(con, counted, region)
    result = _header(indicator, region, by, meta)
    if counted.measure in ("on_time", "closure"):
        return _rate(con, indicator, counted, region, by, request, result)
    if counted.measure == "coverage":
        return _coverage(con, counted, region, request, result)
    if indicator.kind == "stock":
        return _stock(con, counted, region, by, request, result)
    return _flow(con, counted, region, by, request, result)


def _bases(con: duckdb.DuckDBPyConnection, counted: Counted, region: RegionRef) -> list[dict[str, Any]]:
    """How many of the register's records in the region rest on each region basis (and how many have none)."""
    rows = con.execute(
        f"""SELECT coalesce(r.region_basis, ''), count(*) FROM registers r WHERE {_where(counted)}
            AND (coalesce(r.adcode, '') = '' OR r.adcode LIKE ?) GROUP BY 1 ORDER BY 2 DESC""",
        [region.prefix + "%"],
    ).fetchall()
    return [{"basis": b, "zh": REGION_BASES.get(b, (b, b))[0], "en": REGION_BASES.get(b, (b, b))[1], "records": n}
            for b, n in rows]  # fmt: skip


def _figure(value: float | None, records: int, as_of: str, loaded: bool, ref: RegionRef) -> dict[str, Any]:
    from ipnav.kpi.indicators import round_figure

    shown = round_figure(value) if loaded and value is not None else None
    return {**ref.as_dict(), "count": shown, "value": shown, "patents": records, "records": records, "as_of": as_of}


def _measure(counted: Counted) -> str:
    return "sum(r.amount) / 10000.0" if counted.measure == "amount" else "count(DISTINCT r.app_key)"


def _stock(con: duckdb.DuckDBPyConnection, counted: Counted, region: RegionRef, by: str | None, request: Any,
           result: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    condition = f"{_where(counted)} AND {_existing()}"
    params = [request.as_of, request.as_of]
    rows = con.execute(
        f"""SELECT r.adcode, {_measure(counted)}, count(*) FROM registers r WHERE {condition} AND r.adcode LIKE ?
            GROUP BY 1""",
        [*params, region.prefix + "%"],
    ).fetchall()
    loaded = bool(result["meta"]["records_in_register"])
    as_of = result["meta"]["as_of"]
    undated = con.execute(
        f"SELECT count(*) FROM registers r WHERE {condition} AND {_WHEN} IS NULL AND r.adcode LIKE ?",
        [*params, region.prefix + "%"],
    ).fetchone()
    result["meta"]["undated_records"] = int(undated[0]) if undated else 0
    total = sum(float(v or 0) for _, v, _ in rows)
    result["total"] = _figure(total, sum(n for *_, n in rows), as_of, loaded, region)
    if by:
        from ipnav.kpi.indicators import _children

        by_adcode = {code: (float(v or 0), int(n)) for code, v, n in rows}
        result["rows"] = _children(by_adcode, by, lambda ref, v, n: _figure(v, n, as_of, loaded, ref))
    if request.patents:
        result["patents"] = _records(con, condition, params, region)
    return result


def _flow(con: duckdb.DuckDBPyConnection, counted: Counted, region: RegionRef, by: str | None, request: Any,
          result: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    from ipnav.kpi.indicators import year_series

    first, last = request.years or (request.as_of.year - 4, request.as_of.year)
    if first > last:
        raise UsageError(f"years {first}-{last}: the first year comes after the last")
    when = "coalesce(r.year, year(r.date))" if counted.register == "gi_user" else f"year({_WHEN})"
    condition = f"{_where(counted)} AND ({_WHEN} IS NULL OR {_WHEN} <= ?) AND {when} BETWEEN ? AND ?"
    rows = con.execute(
        f"""SELECT r.adcode, {when} AS y, {_measure(counted)} FROM registers r WHERE {condition}
            AND r.adcode LIKE ? GROUP BY ALL""",
        [request.as_of, first - 1, last, region.prefix + "%"],
    ).fetchall()
    years = list(range(first, last + 1))
    result["meta"]["years"] = [first, last]
    totals: dict[int, float] = {}
    grouped: dict[str, dict[int, float]] = {}
    for adcode, year, value in rows:
        totals[year] = totals.get(year, 0.0) + float(value or 0)
        if by:
            key = regions.group_code(adcode, by)
            grouped.setdefault(key, {})[year] = grouped.get(key, {}).get(year, 0.0) + float(value or 0)
    result["total"] = {**region.as_dict(), "series": year_series(years, totals), "as_of": result["meta"]["as_of"]}
    if by:
        result["rows"] = [
            {**(regions.region_for(code, by).as_dict() if code else RegionRef("", "未细分", by).as_dict()),
             "series": year_series(years, values), "as_of": result["meta"]["as_of"]}
            for code, values in sorted(grouped.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
        ]  # fmt: skip
    if request.patents:
        low, high = (request.year, request.year) if request.year else (first, last)
        result["patents"] = _records(con, condition, [request.as_of, low, high], region)
    return result


def _rate(con: duckdb.DuckDBPyConnection, indicator: Indicator, counted: Counted, region: RegionRef,
          by: str | None, request: Any, result: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    """On-time closure rate (cases due in the as-of year) or closure rate (cases filed in the as-of year)."""
    on: dt.date = request.as_of
    start = dt.date(on.year, 1, 1)
    cases = query_dicts(
        con,
        f"""SELECT r.app_key, r.register, r.number, r.name, r.holder, r.adcode, r.region_basis, r.subtype,
               r.date AS filed,
               r.end_date AS closed, r.deadline, r.rule, json_extract_string(r.fields, '$.kind') AS kind
            FROM registers r WHERE {_where(counted)} AND r.adcode LIKE ? AND r.date <= ?""",
        [region.prefix + "%", on],
    )
    picked, good = [], 0
    for case in cases:
        status = closure.state(case["filed"], case["closed"], case["deadline"], on)
        closed_now = case["closed"] is not None and case["closed"] <= on
        if counted.measure == "on_time":
            due = (closed_now and case["closed"] >= start) or (status == "late" and not closed_now
                                                              and case["deadline"] >= start)  # fmt: skip
            hit = status == "on_time"
        else:
            due, hit = case["filed"] >= start, closed_now
        if due:
            picked.append({**plain(case), "state": status, "met": hit})
            good += hit
    value = round(100.0 * good / len(picked), 1) if picked else None
    result["meta"].update({"period": [start.isoformat(), on.isoformat()], "cases": len(picked), "met": good,
                           "rule": "docs/registers.md; ipnav.registers.closure.RULES"})  # fmt: skip
    result["total"] = {**region.as_dict(), "value": value, "count": len(picked), "patents": len(picked),
                       "records": len(picked), "met": good, "as_of": on.isoformat()}  # fmt: skip
    if by:
        groups: dict[str, list[dict[str, Any]]] = {}
        for case in picked:
            groups.setdefault(regions.group_code(case["adcode"], by), []).append(case)
        result["rows"] = []
        for code, members in sorted(groups.items()):
            met = sum(1 for c in members if c["met"])
            rate = round(100.0 * met / len(members), 1)
            ref = regions.region_for(code, by) if code else RegionRef("", "未细分", by)
            result["rows"].append({**ref.as_dict(), "value": rate, "count": len(members), "records": len(members),
                                   "patents": len(members), "met": met, "as_of": on.isoformat()})  # fmt: skip
    if request.patents:
        result["patents"] = picked
    return result


def _coverage(con: duckdb.DuckDBPyConnection, counted: Counted, region: RegionRef, request: Any,
              result: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    """The share of the province's cities (prefecture level) with at least one listed record."""
    if region.level != "province":
        raise UsageError(f"{result['indicator']['name']} is a share of a province's cities: give a province")
    cities = sorted({c for c in regions.census() if c[:2] == region.code[:2] and regions.group_code(c, "city")
                     and c.endswith("00") and not c.endswith("0000")})  # fmt: skip
    rows = con.execute(
        f"SELECT DISTINCT r.adcode FROM registers r WHERE {_where(counted)} AND {_existing()} AND r.adcode LIKE ?",
        [request.as_of, request.as_of, region.prefix + "%"],
    ).fetchall()
    covered = sorted({regions.group_code(code, "city") for (code,) in rows} & set(cities))
    value = round(100.0 * len(covered) / len(cities), 1) if cities else None
    result["meta"].update({"cities": len(cities), "covered": [regions.region_for(c, "city").name for c in covered]})
    result["total"] = {**region.as_dict(), "value": value, "count": len(covered), "records": len(covered),
                       "patents": len(covered), "as_of": request.as_of.isoformat()}  # fmt: skip
    if request.patents:
        result["patents"] = _records(con, f"{_where(counted)} AND {_existing()}", [request.as_of] * 2, region)
    return result


def _records(con: duckdb.DuckDBPyConnection, condition: str, params: list[Any], region: RegionRef
             ) -> list[dict[str, Any]]:  # fmt: skip
    """The records behind a figure (drill-down)."""
    rows = query_dicts(
        con,
        f"""SELECT r.app_key, r.register, r.subtype, r.number, r.name, r.holder, r.date, r.end_date, r.year,
               r.amount, r.adcode, r.region_basis, r.level, r.source_file, r.source_position
            FROM registers r WHERE {condition} AND r.adcode LIKE ? ORDER BY r.date NULLS LAST, r.number""",
        [*params, region.prefix + "%"],
    )
    return [{**plain(r), "region_basis_zh": REGION_BASES.get(r["region_basis"] or "", ("", ""))[0]} for r in rows]
