"""Trademark indicators that count owners or a list rather than marks: 万企有效注册商标企业数
(`trademark_enterprises_per_10k`) and 驰名商标 (`well_known_marks`). Same options and result shape as the
other indicators (`ipnav.kpi.marks`).

万企有效注册商标企业数 = distinct enterprise owners (normalised name, an enterprise by the name rules of
`ipnav.normalize.names`) holding at least one valid mark on the as-of date, each placed once (the region
most of its valid marks give), ÷ enterprise legal-person units of the region × 10,000. The units come from
the user's table `enterprise_units.csv` in the workspace (地区, 年份, 企业法人单位数: any region level) and
else, for provinces and the country, from NBS's provincial series shipped with ipnav; the latest year on or
before the as-of year is used and named in the result.
"""

from __future__ import annotations

import csv
import functools
import io
from pathlib import Path
from typing import Any

from ipnav import reference
from ipnav.errors import InputFileError, UsageError
from ipnav.kpi.catalog import Indicator
from ipnav.normalize import region as regions
from ipnav.normalize.region import RegionRef
from ipnav.normalize.text import fold_header
from ipnav.store.reads import plain
from ipnav.store.warehouse import Warehouse

ENTERPRISE_UNITS_TABLE = "enterprise_units.csv"
_UNIT_HEADERS = {
    "region": ("地区", "行政区划", "区划代码", "adcode", "region"),
    "year": ("年份", "年度", "year"),
    "units": ("企业法人单位数", "企业法人单位", "企业数", "企业法人数", "enterprise_units", "units"),
}
_SOURCE_ZH = "国家统计局 分省年度数据 企业法人单位数 / NBS enterprise legal-person units by province"


def enterprises_per_10k(
    warehouse: Warehouse, indicator: Indicator, region: RegionRef, by: str | None, request: Any
) -> dict[str, Any]:
    """Enterprises holding a valid registered mark per 10,000 enterprise legal-person units."""
    from ipnav.kpi.indicators import _children, _header, round_figure
    from ipnav.kpi.marks import valid_on

    con = warehouse.con
    rows = con.execute(
        f"""WITH owned AS (
                SELECT p.entity, p.name, p.adcode, m.app_key FROM trademarks m JOIN tm_parties p USING (app_key)
                WHERE {valid_on()} AND p.role = 'owner' AND p.etype = 'enterprise' AND coalesce(p.adcode, '') <> ''
            ), places AS (  -- where an enterprise is: the region most of its marks name (ties: the smallest code)
                SELECT entity, adcode, row_number() OVER (PARTITION BY entity ORDER BY count(*) DESC, adcode) AS r
                FROM owned GROUP BY entity, adcode
            ), held AS (
                SELECT o.entity, min(o.name) AS name, pl.adcode, count(DISTINCT o.app_key) AS marks
                FROM owned o JOIN places pl ON pl.entity = o.entity AND pl.r = 1 GROUP BY o.entity, pl.adcode)
            SELECT entity, name, adcode, marks FROM held WHERE adcode LIKE ? ORDER BY adcode, entity""",
        [request.as_of, request.as_of, request.as_of, region.prefix + "%"],
    ).fetchall()
    by_adcode: dict[str, tuple[float, int]] = {}
    for _entity, _name, adcode, marks in rows:
        count, held = by_adcode.get(adcode, (0.0, 0))
        by_adcode[adcode] = (count + 1, held + int(marks))
    year = request.as_of.year
    table = getattr(request, "enterprise_units", None)
    loaded = bool(con.execute("SELECT count(*) FROM trademarks").fetchone()[0])  # type: ignore[index]
    meta: dict[str, Any] = {
        "as_of": request.as_of.isoformat(), "counting": "distinct", "counting_zh": "按企业去重(每家企业计一次)",
        "region_source": "商标权人地址 → 2023年统计用区划代码 / owner address → 2023 statistical division code",
        "denominator_zh": f"企业法人单位数: 工作区表 {ENTERPRISE_UNITS_TABLE}, 否则 {_SOURCE_ZH}",
        "denominator_table": str(table) if table else "",
    }  # fmt: skip

    def figure(ref: RegionRef, enterprises: float, marks: int) -> dict[str, Any]:
        units, note = enterprise_units(ref, year, table)
        value = round_figure(enterprises / units * 10_000) if units and loaded else None
        return {**ref.as_dict(), "count": int(enterprises) if loaded else None, "enterprises": int(enterprises),
                "marks": marks, "patents": marks, "enterprise_units": units, "enterprise_units_year": note,
                "value": value, "as_of": meta["as_of"]}  # fmt: skip

    result = _header(indicator, region, by, meta)
    result["total"] = figure(region, sum(c for c, _ in by_adcode.values()), sum(n for _, n in by_adcode.values()))
    if by:
        result["rows"] = _children(by_adcode, by, figure)
    if request.patents:
        result["patents"] = [
            {"entity": entity, "name": name, "adcode": adcode, "marks": int(marks)}
            for entity, name, adcode, marks in rows
        ]
    return result


def enterprise_units(region: RegionRef, year: int, table: Path | None) -> tuple[int | None, str]:
    """(enterprise legal-person units, which year and source) of a region for a year: the user's table first,
    NBS's provincial series for provinces and the country."""
    user = _user_units(str(table), Path(table).stat().st_mtime_ns) if table and Path(table).is_file() else {}
    code = region.code or ""
    years = sorted(y for (c, y) in user if c == code and y <= year)
    if years:
        return user[(code, years[-1])], f"{years[-1]} ({ENTERPRISE_UNITS_TABLE})"
    series = _province_series()
    if region.level == "country":
        use = max((y for (_, y) in series if y <= year), default=None)
        if use is None:
            return None, f"no figure for {year} or before"
        return sum(v for (_, y), v in series.items() if y == use), f"{use} (NBS, sum of provinces)"
    if region.level == "province" or (region.level == "city" and code[:2] in regions.MUNICIPALITIES):
        use = max((y for (c, y) in series if c == code[:2] and y <= year), default=None)
        if use is not None:
            return series[(code[:2], use)], f"{use} (NBS)"
    return None, f"no enterprise count for {region.name}: add it to {ENTERPRISE_UNITS_TABLE} in the workspace"


@functools.cache
def _province_series() -> dict[tuple[str, int], int]:
    return {(r["code"], int(r["year"])): int(r["enterprise_legal_person_units"])
            for r in reference.rows("enterprise_units_province")}  # fmt: skip


@functools.lru_cache(maxsize=4)
def _user_units(path: str, _mtime: int) -> dict[tuple[str, int], int]:
    """The user's table: region (name or adcode), year, units; a bad row names file, row and field (read
    again when the file changes)."""
    data = Path(path).read_bytes()
    text = next((data.decode(e) for e in ("utf-8-sig", "gb18030") if _decodes(data, e)), None)
    if text is None:
        raise InputFileError(path, "neither UTF-8 nor GB18030 text")
    rows = list(csv.reader(io.StringIO(text)))
    wanted = {fold_header(h): f for f, names in _UNIT_HEADERS.items() for h in names}
    columns = {wanted[fold_header(h)]: i for i, h in enumerate(rows[0] if rows else []) if fold_header(h) in wanted}
    missing = [f for f in _UNIT_HEADERS if f not in columns]
    if missing:
        raise InputFileError(path, f"header row lacks {', '.join(missing)} (地区, 年份, 企业法人单位数)")
    out: dict[tuple[str, int], int] = {}
    for row_no, cells in enumerate(rows[1:], 2):
        if not any(c.strip() for c in cells):
            continue
        value = {f: cells[i].strip() if i < len(cells) else "" for f, i in columns.items()}
        try:
            code = regions.resolve(value["region"]).code
        except UsageError as exc:
            raise InputFileError(path, f"row {row_no}, field 地区: {exc}") from None
        for field in ("year", "units"):
            if not value[field].replace(",", "").isdigit():
                raise InputFileError(path, f"row {row_no}, field {field}: {value[field]!r} is not a whole number")
        out[(code, int(value["year"]))] = int(value["units"].replace(",", ""))
    return out


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def well_known(
    warehouse: Warehouse, indicator: Indicator, region: RegionRef, by: str | None, request: Any
) -> dict[str, Any]:
    """Well-known marks (驰名商标) of the region from the loaded list: all recognised by the as-of year
    (`well_known_marks`), or those recognised in each year (`well_known_marks_new`)."""
    from ipnav.kpi.indicators import _children, _header, year_series
    from ipnav.trademarks.wellknown import ATTRIBUTED_SQL

    con = warehouse.con
    listed = int(con.execute("SELECT count(*) FROM well_known_marks").fetchone()[0])  # type: ignore[index]
    flow = indicator.kind == "flow"
    first, last = request.years or (request.as_of.year - 4, request.as_of.year)
    if flow and first > last:
        raise UsageError(f"years {first}-{last}: the first year comes after the last")
    low, high = ((request.year, request.year) if request.year else (first, last)) if flow else (0, request.as_of.year)
    rows = con.execute(
        f"""SELECT mark, number, owner, year, class_no, authority, region_code, region_basis FROM ({ATTRIBUTED_SQL})
        WHERE year BETWEEN ? AND ? AND year <= ? AND region_code LIKE ? ORDER BY year, owner""",
        [min(low, first) if flow else low, high if not flow else last, request.as_of.year, region.prefix + "%"],
    ).fetchall()
    meta: dict[str, Any] = {
        "as_of": request.as_of.isoformat(), "counting": "list", "counting_zh": "驰名商标清单(按认定年份)",
        "region_source": "清单地区 → 商标权人地址 → 同名权利人地址 → 企业名称中的地名",
        "listed": listed, "unplaced": int(con.execute(
            f"SELECT count(*) FROM ({ATTRIBUTED_SQL}) WHERE region_code IS NULL").fetchone()[0]),  # type: ignore[index]
    }  # fmt: skip
    result = _header(indicator, region, by, meta)
    if flow:
        years = list(range(first, last + 1))
        meta["years"] = [first, last]
        totals: dict[int, float] = {}
        grouped: dict[str, dict[int, float]] = {}
        for row in rows:
            totals[row[3]] = totals.get(row[3], 0.0) + 1
            if by:
                key = regions.group_code(row[6], by)
                grouped.setdefault(key, {})[row[3]] = grouped.get(key, {}).get(row[3], 0.0) + 1
        result["total"] = {**region.as_dict(), "series": year_series(years, totals) if listed else [],
                           "as_of": meta["as_of"]}  # fmt: skip
        if by:
            result["rows"] = [
                {**regions.region_for(code, by).as_dict(), "series": year_series(years, values), "as_of": meta["as_of"]}
                for code, values in sorted(grouped.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])) if code
            ]  # fmt: skip
        rows = [r for r in rows if low <= r[3] <= high]
    else:
        by_adcode: dict[str, tuple[float, int]] = {}
        for row in rows:
            count, _ = by_adcode.get(row[6], (0.0, 0))
            by_adcode[row[6]] = (count + 1, int(count + 1))

        def figure(ref: RegionRef, value: float, marks: int) -> dict[str, Any]:
            shown = int(value) if listed else None  # no list loaded: no figure rather than a false 0
            return {**ref.as_dict(), "count": shown, "value": shown, "marks": marks, "patents": marks,
                    "as_of": meta["as_of"]}  # fmt: skip

        result["total"] = figure(region, float(len(rows)), len(rows))
        if by:
            result["rows"] = _children(by_adcode, by, figure)
    if request.patents:
        names = ("mark", "number", "owner", "year", "class_no", "authority", "adcode", "region_basis")
        result["patents"] = [plain(dict(zip(names, row, strict=True))) for row in rows]
    return result
