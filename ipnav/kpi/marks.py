"""Trademark indicators (商标指标) with the options and the result shape of the patent indicators.

Region of a mark = the address of its owner (the first owner with `counting=first`; each of n co-owners
1/n with `fractional`), resolved to a 2023 adcode at ingest. A mark is **valid** on a date when it is
registered by then (registration date on or before it), its term has not ended (expiry date on or after
it) and it was not cancelled, invalidated or expired by then (the date of such a status; a register
export that gives the status without its date counts the mark as ended on every date, so a past as-of
date undercounts such marks). Flows count applications by filing year and registrations by year.
"""

from __future__ import annotations

import uuid
from typing import Any

import duckdb

from ipnav.errors import UsageError
from ipnav.kpi.catalog import Indicator
from ipnav.normalize import region as regions
from ipnav.normalize.region import RegionRef
from ipnav.store.reads import plain
from ipnav.store.warehouse import Warehouse, query_dicts

# the marks a stock indicator counts, among those valid on the date
_STOCK_SQL = {
    "valid_trademarks": "TRUE",
    "madrid_registrations": "(m.office = 'WO' OR coalesce(m.international_registration, '') <> '')",
    "gi_trademarks": "m.kind IN ('collective', 'certification')",
}
_FLOW_SQL = {  # date column, condition
    "trademark_applications": ("m.filing_date", "TRUE"),
    "trademark_registrations": ("m.registration_date", "m.registration_date IS NOT NULL"),
    "madrid_new_registrations": (
        "m.registration_date",
        f"m.registration_date IS NOT NULL AND {_STOCK_SQL['madrid_registrations']}",
    ),
}
_ENDED = "('cancelled', 'invalidated', 'expired')"
_OWN_WAY = {"well_known_marks": "well_known", "well_known_marks_new": "well_known",
            "trademark_enterprises_per_10k": "enterprises_per_10k"}  # fmt: skip


def valid_on() -> str:
    """SQL condition (on trademarks `m`) of a mark valid on a date (`?` bound to the date three times)."""
    return (
        "m.registration_date IS NOT NULL AND m.registration_date <= ? "
        "AND (m.expiry_date IS NULL OR m.expiry_date >= ?) "
        f"AND NOT (m.status IN {_ENDED} AND coalesce(m.status_date, DATE '1900-01-01') <= ?) "
        "AND m.status NOT IN ('refused', 'withdrawn', 'filed', 'published')"
    )


def _shares(con: duckdb.DuckDBPyConnection, counting: str) -> str:
    """Temporary table (app_key, adcode, weight, basis) attributing each mark to its owners' regions."""
    name = f"_tm_shares_{uuid.uuid4().hex[:8]}"
    if counting == "first":
        con.execute(
            f"CREATE TEMP TABLE {name} AS SELECT app_key, owner_adcode AS adcode, CAST(1 AS DOUBLE) AS weight, "
            "'address' AS basis FROM trademarks WHERE coalesce(owner_adcode, '') <> ''"
        )
    elif counting == "fractional":
        con.execute(
            f"""CREATE TEMP TABLE {name} AS SELECT app_key, adcode, weight, 'address' AS basis FROM (
                SELECT app_key, adcode, CAST(1 AS DOUBLE) / count(*) OVER (PARTITION BY app_key) AS weight
                FROM tm_parties WHERE role = 'owner'
            ) WHERE coalesce(adcode, '') <> ''"""
        )
    else:
        raise UsageError(f"counting {counting!r}: use first or fractional")
    return name


def compute(warehouse: Warehouse, indicator: Indicator, request: Any) -> dict[str, Any]:
    """One trademark indicator for a region (and its sub-regions with `by`), with its drill-down."""
    from ipnav.kpi.indicators import _children, _header, _level_below, round_figure

    region = regions.resolve(request.region)
    by = _level_below(region, request.by)
    if indicator.name in _OWN_WAY:
        from ipnav.kpi import marks_owners

        return getattr(marks_owners, _OWN_WAY[indicator.name])(warehouse, indicator, region, by, request)
    con = warehouse.con
    shares = _shares(con, request.counting)
    meta: dict[str, Any] = {
        "as_of": request.as_of.isoformat(),
        "counting": request.counting,
        "counting_zh": "第一商标权人" if request.counting == "first" else "分数计数(共有人均分)",
        "region_source": "商标权人地址 → 2023年统计用区划代码 / owner address → 2023 statistical division code",
        "marks_in_warehouse": con.execute("SELECT count(*) FROM trademarks").fetchone()[0],  # type: ignore[index]
    }
    try:
        if indicator.name in _STOCK_SQL:
            condition = f"{valid_on()} AND {_STOCK_SQL[indicator.name]}"
            params = [request.as_of] * 3
            rows = con.execute(
                f"""SELECT s.adcode, sum(s.weight), count(*) FROM trademarks m JOIN {shares} s USING (app_key)
                WHERE {condition} AND s.adcode LIKE ? GROUP BY 1""",
                [*params, region.prefix + "%"],
            ).fetchall()
            by_adcode = {code: (float(value), int(n)) for code, value, n in rows}

            loaded = bool(meta["marks_in_warehouse"])  # no marks loaded: no figure, rather than a false 0

            def figure(ref: RegionRef, value: float, marks: int) -> dict[str, Any]:
                shown = round_figure(value) if loaded else None
                return {**ref.as_dict(), "count": shown, "value": shown, "patents": marks, "marks": marks,
                        "as_of": meta["as_of"]}  # fmt: skip

            result = _header(indicator, region, by, meta)
            result["total"] = figure(region, sum(v for v, _ in by_adcode.values()),
                                     sum(n for _, n in by_adcode.values()))  # fmt: skip
            if by:
                result["rows"] = _children(by_adcode, by, figure)
            if request.patents:
                result["patents"] = _marks(con, condition, params, shares, region, "")
            return result
        return _flow(con, indicator, region, by, request, shares, meta)
    finally:
        con.execute(f"DROP TABLE IF EXISTS {shares}")


def _flow(
    con: duckdb.DuckDBPyConnection, indicator: Indicator, region: RegionRef, by: str | None, request: Any,
    shares: str, meta: dict[str, Any],
) -> dict[str, Any]:  # fmt: skip
    from ipnav.kpi.indicators import _header, year_series

    date_col, condition = _FLOW_SQL[indicator.name]
    first, last = request.years or (request.as_of.year - 4, request.as_of.year)
    if first > last:
        raise UsageError(f"years {first}-{last}: the first year comes after the last")
    rows = con.execute(
        f"""SELECT s.adcode, year({date_col}) AS year, sum(s.weight) FROM trademarks m JOIN {shares} s USING (app_key)
        WHERE {condition} AND {date_col} <= ? AND year({date_col}) BETWEEN ? AND ? AND s.adcode LIKE ?
        GROUP BY ALL""",
        [request.as_of, first - 1, last, region.prefix + "%"],
    ).fetchall()
    years = list(range(first, last + 1))
    meta["years"] = [first, last]

    def series(values: dict[int, float]) -> list[dict[str, Any]]:
        return year_series(years, values)

    totals: dict[int, float] = {}
    grouped: dict[str, dict[int, float]] = {}
    for adcode, year, value in rows:
        totals[year] = totals.get(year, 0.0) + float(value)
        if by:
            key = regions.group_code(adcode, by)
            grouped.setdefault(key, {})[year] = grouped.get(key, {}).get(year, 0.0) + float(value)
    result = _header(indicator, region, by, meta)
    result["total"] = {**region.as_dict(), "series": series(totals), "as_of": meta["as_of"]}
    if by:
        result["rows"] = [
            {**(regions.region_for(code, by).as_dict() if code else RegionRef("", "未细分", by).as_dict()),
             "series": series(values), "as_of": meta["as_of"]}
            for code, values in sorted(grouped.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
        ]  # fmt: skip
    if request.patents:
        low, high = (request.year, request.year) if request.year else (first, last)
        result["patents"] = _marks(
            con, f"{condition} AND {date_col} <= ? AND year({date_col}) BETWEEN ? AND ?",
            [request.as_of, low, high], shares, region, date_col,
        )  # fmt: skip
    return result


def _marks(
    con: duckdb.DuckDBPyConnection, condition: str, params: list[Any], shares: str, region: RegionRef, year_of: str
) -> list[dict[str, Any]]:
    """The marks behind a figure (drill-down)."""
    year = f", year({year_of}) AS year" if year_of else ""
    rows = query_dicts(
        con,
        f"""SELECT m.number, m.registration_number, m.text, m.first_owner, s.adcode, s.weight, m.filing_date,
               m.registration_date, m.expiry_date, m.status, m.kind{year}
        FROM trademarks m JOIN {shares} s USING (app_key) WHERE {condition} AND s.adcode LIKE ?
        ORDER BY m.number""",
        [*params, region.prefix + "%"],
    )
    return [plain(r) for r in rows]
