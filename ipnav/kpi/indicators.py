"""Regional IP indicators (规划指标) computed from the warehouse as of a date.

Region of a patent = the address of its patentee (the applicants of record; assignees when a source
names no applicant), resolved to a 2023 adcode at ingest. Counting is either by the first patentee
(CNIPA's statistical practice, default) or fractional: each of n co-patentees carries 1/n, and the
share of a co-patentee with no resolvable Chinese address is not attributed to any region.

Stock indicators (拥有量) count valid patents on the as-of date; flow indicators (申请量, 授权量)
count per year up to the as-of date, with year-on-year growth. Per-10k indicators divide by the
resident population of the chosen source (census 2020 by default, or the provincial year-end
series). Every result carries the as-of date, counting, population source and year, concordance
version and flag policy, and every figure can be drilled down to the patents behind it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from ipnav.config import Settings
from ipnav.errors import UsageError
from ipnav.kpi.catalog import INDICATORS, Indicator
from ipnav.normalize import region as regions
from ipnav.normalize.region import RegionRef
from ipnav.store.reads import plain
from ipnav.store.regions import BASES, BASIS_ZH, UNPLACED, region_bases
from ipnav.store.warehouse import Warehouse, query_dicts
from ipnav.value import flags
from ipnav.value.flags import FlagPolicy
from ipnav.value.service import flag_policy

_FLOW_SQL = {
    "applications": ("p.filing_date", "p.country = 'CN'"),
    "invention_applications": ("p.filing_date", "p.country = 'CN' AND p.patent_type = 'invention'"),
    "grants": ("p.grant_date", "p.country = 'CN'"),
    "invention_grants": ("p.grant_date", "p.country = 'CN' AND p.patent_type = 'invention'"),
    "pct_applications": ("p.filing_date", "(p.app_key LIKE 'PCT/%' OR p.country = 'WO')"),
    "overseas_invention_grants": ("p.grant_date", "p.country NOT IN ('CN', 'WO') AND p.patent_type = 'invention'"),
    "foreign_applications": ("p.filing_date", "p.country <> 'CN'"),
}


@dataclass
class IndicatorRequest:
    """One indicator question, every option resolved (`make_request` fills it from the settings)."""

    name: str
    as_of: dt.date
    counting: str  # first | fractional
    policy: FlagPolicy
    region: str | None = None
    by: str | None = None  # province | city | county
    population: str | None = None  # census2020 | yearend (per-10k indicators)
    years: tuple[int, int] | None = None  # flows: first and last year (default: five years to the as-of year)
    patents: bool = False  # drill down: list the patents behind the total
    year: int | None = None  # flows: drill down into one year
    region_basis: str = "all"  # all | address | a comma list of bases (ipnav.store.regions.BASES)
    enterprise_units: Path | None = None  # the user's table of enterprise counts (trademark_enterprises_per_10k)


def parse_years(text: str | None) -> tuple[int, int] | None:
    """`2019-2023` or `2023` -> (first, last)."""
    if not text:
        return None
    first, _, last = text.partition("-")
    try:
        return int(first), int(last or first)
    except ValueError:
        raise UsageError(f"years {text!r}: write a year or a range, e.g. 2019-2023") from None


def make_request(
    settings: Settings,
    name: str,
    *,
    as_of: dt.date | None = None,
    years: str | None = None,
    counting: str | None = None,
    pledge_min: float | None = None,
    sei_scope: str | None = None,
    sei_keywords: bool | None = None,
    unknown_status: str | None = None,
    **options: Any,
) -> IndicatorRequest:
    """A request with the workspace settings as defaults (CLI and API build it the same way)."""
    date = as_of or dt.date.today()
    policy = flag_policy(
        settings,
        date,
        pledge_min_amount=pledge_min,
        sei_scope=sei_scope,
        sei_keywords=sei_keywords,
        unknown_status=unknown_status,
    )
    if options.get("year") is not None:
        options["patents"] = True
    return IndicatorRequest(
        name=name,
        as_of=date,
        counting=counting or settings.counting,
        years=parse_years(years),
        policy=policy,
        enterprise_units=settings.workspace / "enterprise_units.csv",
        **options,
    )


def _shares(con: duckdb.DuckDBPyConnection, counting: str, bases: tuple[str, ...] = BASES) -> str:
    """Temporary table (app_key, adcode, weight, basis) attributing each patent to its patentees' regions,
    only through regions that rest on one of `bases`."""
    name = f"_shares_{uuid.uuid4().hex[:8]}"
    allowed = "(" + ", ".join(f"'{b}'" for b in bases) + ")"
    if counting == "first":
        con.execute(
            f"CREATE TEMP TABLE {name} AS SELECT app_key, applicant_adcode AS adcode, CAST(1 AS DOUBLE) AS weight, "
            "coalesce(applicant_region_basis, 'address') AS basis "
            f"FROM patents WHERE coalesce(applicant_adcode, '') <> '' "
            f"AND coalesce(applicant_region_basis, 'address') IN {allowed}"
        )
    elif counting == "fractional":
        con.execute(
            f"""CREATE TEMP TABLE {name} AS
            WITH owners AS (
                SELECT app_key, role, adcode, coalesce(region_basis, 'address') AS basis FROM parties
                WHERE role IN ('applicant', 'assignee')
            ), chosen AS (  -- the applicants of record; assignees when a source names no applicant
                SELECT o.* FROM owners o
                JOIN (SELECT app_key, bool_or(role = 'applicant') AS has_applicant FROM owners GROUP BY 1) h
                  USING (app_key)
                WHERE (o.role = 'applicant') = h.has_applicant
            )
            SELECT app_key, adcode, weight, basis FROM (
                SELECT app_key, adcode, basis, CAST(1 AS DOUBLE) / count(*) OVER (PARTITION BY app_key) AS weight
                FROM chosen
            ) WHERE coalesce(adcode, '') <> '' AND basis IN {allowed}"""
        )
    else:
        raise UsageError(f"counting {counting!r}: use first or fractional")
    return name


def _level_below(region: RegionRef, by: str | None) -> str | None:
    if by is None:
        return None
    if by not in ("province", "city", "county"):
        raise UsageError(f"--by {by!r}: use province, city or county")
    if regions.LEVELS.index(by) <= regions.LEVELS.index(region.level):
        raise UsageError(f"--by {by} is not below {region.name} ({region.level}); choose a finer level")
    return by


def compute(warehouse: Warehouse, request: IndicatorRequest) -> dict[str, Any]:
    """One indicator for a region (and its sub-regions with `by`), with its sources and drill-down."""
    indicator = INDICATORS.get(request.name)
    if indicator is None:
        raise UsageError(
            f"unknown indicator {request.name!r}; `ipnav indicator --list` shows them: {', '.join(INDICATORS)}"
        )
    if indicator.record_kind == "trademark":
        from ipnav.kpi import marks

        return marks.compute(warehouse, indicator, request)
    if indicator.record_kind != "patent":
        from ipnav.kpi import registers

        return registers.compute(warehouse, indicator, request)
    region = regions.resolve(request.region)
    by = _level_below(region, request.by)
    policy = request.policy
    con = warehouse.con
    shares = _shares(con, request.counting, region_bases(request.region_basis))
    created = [shares]
    try:
        meta: dict[str, Any] = {
            "as_of": request.as_of.isoformat(),
            "counting": request.counting,
            "counting_zh": "第一专利权人" if request.counting == "first" else "分数计数(共同专利权人均分)",
            "region_source": "专利权人地址 → 2023年统计用区划代码 / patentee address → 2023 statistical division code",
            "region_basis": list(region_bases(request.region_basis)),
            "region_basis_zh": {b: BASIS_ZH[b] for b in (*BASES, *UNPLACED)} | {"basis_left_out": "依据未计入"},
        }
        if indicator.kind == "stock":
            scope = None
            if region.prefix:  # flags only for the region's patents (a county holds a tiny share of them)
                scope = f"_scope_{uuid.uuid4().hex[:8]}"
                con.execute(
                    f"CREATE TEMP TABLE {scope} AS SELECT DISTINCT app_key FROM {shares} WHERE adcode LIKE ?",
                    [region.prefix + "%"],
                )
                created.append(scope)
            flag_table = flags.compute(con, policy, keys_table=scope)
            created.append(flag_table)
            meta["flag_policy"] = policy.describe()
            result = _stock(con, indicator, region, by, request, flag_table, shares, meta)
        else:
            result = _flow(con, indicator, region, by, request, shares, meta)
    finally:
        for table in created:
            con.execute(f"DROP TABLE IF EXISTS {table}")
    return result


def _header(indicator: Indicator, region: RegionRef, by: str | None, meta: dict[str, Any]) -> dict[str, Any]:
    return {"indicator": indicator.describe(), "region": region.as_dict(), "by": by, "meta": meta}


def _population_source(indicator: Indicator, request: IndicatorRequest) -> str:
    source = request.population or indicator.population or "census2020"
    if source not in regions.POPULATION_SOURCES:
        raise UsageError(f"--population {source!r}: use {', '.join(regions.POPULATION_SOURCES)}")
    return source


def _stock(
    con: duckdb.DuckDBPyConnection,
    indicator: Indicator,
    region: RegionRef,
    by: str | None,
    request: IndicatorRequest,
    flag_table: str,
    shares: str,
    meta: dict[str, Any],
) -> dict[str, Any]:
    column = "high_value" if indicator.name.startswith("high_value") else "valid_invention"
    rows = con.execute(
        f"""SELECT s.adcode, s.basis, sum(s.weight) AS value, count(*) AS patents
        FROM {flag_table} f JOIN {shares} s USING (app_key)
        WHERE f.cnipa AND f.{column} AND s.adcode LIKE ? GROUP BY ALL""",
        [region.prefix + "%"],
    ).fetchall()
    by_adcode: dict[str, tuple[float, int]] = {}
    for code, _basis, value, n in rows:
        old = by_adcode.get(code, (0.0, 0))
        by_adcode[code] = (old[0] + float(value), old[1] + int(n))
    if not region.prefix:
        meta["unplaced"] = _unplaced(con, f"SELECT app_key FROM {flag_table} f WHERE f.cnipa AND f.{column}", shares)
    source = _population_source(indicator, request) if indicator.per_10k else ""
    pop_year = request.as_of.year if request.as_of.month == 12 and request.as_of.day == 31 else request.as_of.year - 1
    if source:
        meta["population_source"] = source
        meta["population_source_zh"] = regions.POPULATION_SOURCES[source]

    def figure(ref: RegionRef, value: float, patents: int) -> dict[str, Any]:
        out: dict[str, Any] = {**ref.as_dict(), "count": round_figure(value), "patents": patents}
        if source:
            pop, note = regions.population(ref, source, pop_year)
            out["population"] = pop
            out["population_year"] = note
            out["value"] = round_figure(value / pop * 10_000) if pop else None
        else:
            out["value"] = round_figure(value)
        out["as_of"] = meta["as_of"]
        return out

    total_value = sum(v for v, _ in by_adcode.values())
    total_patents = sum(n for _, n in by_adcode.values())
    result = _header(indicator, region, by, meta)
    result["total"] = figure(region, total_value, total_patents)
    result["total"]["basis"] = _basis_counts([(c, b, n) for c, b, _, n in rows], "")
    if by:
        result["rows"] = _children(by_adcode, by, figure)
        for row in result["rows"]:
            row["basis"] = _basis_counts([(c, b, n) for c, b, _, n in rows], row["code"], by)
    if request.patents:
        result["patents"] = _stock_patents(con, flag_table, shares, column, region)
    return result


def _basis_counts(rows: list[tuple[str, str, int]], code: str, by: str | None = None) -> dict[str, int]:
    """Patents per region basis among rows (adcode, basis, patents) that fall in the row `code`
    (all rows for the total): they add up to the figure's patent count."""
    out = dict.fromkeys(BASES, 0)
    for adcode, basis, n in rows:
        if by is None or regions.group_code(adcode, by) == code:
            out[basis] = out.get(basis, 0) + int(n)
    return out


def _unplaced(con: duckdb.DuckDBPyConnection, counted_sql: str, shares: str) -> dict[str, int]:
    """Patents a country-wide figure counts that no region holds, by why (ambiguous, unresolved, abroad,
    or a region on a basis left out)."""
    rows = con.execute(
        f"""SELECT CASE WHEN coalesce(p.applicant_adcode, '') <> '' THEN 'basis_left_out'
                        ELSE coalesce(nullif(p.applicant_region_basis, ''), 'unresolved') END, count(*)
        FROM ({counted_sql}) c JOIN patents p USING (app_key)
        WHERE c.app_key NOT IN (SELECT app_key FROM {shares}) GROUP BY 1"""
    ).fetchall()
    return {str(k): int(v) for k, v in rows}


def _children(by_adcode: dict[str, tuple[float, int]], by: str, figure: Any) -> list[dict[str, Any]]:
    groups: dict[str, list[float]] = {}
    for adcode, (value, n) in by_adcode.items():
        key = regions.group_code(adcode, by)
        acc: list[float] = groups.setdefault(key, [0.0, 0])
        acc[0] += value
        acc[1] += n
    rows = []
    for code, (value, count) in sorted(groups.items(), key=lambda kv: (-kv[1][0], kv[0])):
        if code:
            rows.append(figure(regions.region_for(code, by), value, int(count)))
        else:  # addresses resolved only to a coarser level: keep them so the rows add up to the total
            ref = RegionRef("", f"未细分到{regions.LEVEL_ZH[by]} / not resolved to {by}", by)
            row = figure(ref, value, int(count))
            row.pop("population", None)
            row["value"] = None if "population_year" in row else row["value"]
            row.pop("population_year", None)
            rows.append(row)
    return rows


def _stock_patents(
    con: duckdb.DuckDBPyConnection, flag_table: str, shares: str, column: str, region: RegionRef
) -> list[dict[str, Any]]:
    table = query_dicts(
        con,
        f"""SELECT f.app_key, f.app_number, p.title, p.first_applicant, s.adcode, s.weight, f.filing_date,
               f.grant_date, f.legal_status, f.valid_basis, f.sei_evidence, f.family_evidence, f.years_maintained,
               f.pledge_evidence, f.award_evidence
        FROM {flag_table} f JOIN {shares} s USING (app_key) JOIN patents p USING (app_key)
        WHERE f.cnipa AND f.{column} AND s.adcode LIKE ? ORDER BY f.app_key, s.adcode""",
        [region.prefix + "%"],
    )
    out = []
    for row in table:
        row["criteria"] = flags.criteria_of(row)
        for key in ("sei_evidence", "family_evidence", "years_maintained", "pledge_evidence", "award_evidence"):
            row.pop(key)
        out.append(plain(row))
    return out


def _flow_counted(indicator: Indicator, as_of: dt.date, first: int, last: int) -> str:
    """SQL of the patents a country-wide flow figure counts in its years."""
    date_col, condition = _FLOW_SQL[indicator.name]
    return (
        f"SELECT p.app_key FROM patents p WHERE {condition} AND {date_col} <= DATE '{as_of.isoformat()}' "
        f"AND year({date_col}) BETWEEN {int(first)} AND {int(last)}"
    )


def _flow(
    con: duckdb.DuckDBPyConnection,
    indicator: Indicator,
    region: RegionRef,
    by: str | None,
    request: IndicatorRequest,
    shares: str,
    meta: dict[str, Any],
) -> dict[str, Any]:
    date_col, condition = _FLOW_SQL[indicator.name]
    first, last = request.years or (request.as_of.year - 4, request.as_of.year)
    if first > last:
        raise UsageError(f"years {first}-{last}: the first year comes after the last")
    rows = con.execute(
        f"""SELECT s.adcode, year({date_col}) AS year, sum(s.weight) AS value, count(*) AS patents, s.basis
        FROM patents p JOIN {shares} s USING (app_key)
        WHERE {condition} AND {date_col} <= ? AND year({date_col}) BETWEEN ? AND ? AND s.adcode LIKE ?
        GROUP BY ALL""",
        [request.as_of, first - 1, last, region.prefix + "%"],
    ).fetchall()
    in_years = [(code, basis, n) for code, year, _, n, basis in rows if year >= first]
    if not region.prefix:
        meta["unplaced"] = _unplaced(con, _flow_counted(indicator, request.as_of, first, last), shares)
    years = list(range(first, last + 1))
    meta["years"] = [first, last]
    meta["note_zh"] = "当年数据截至统计日" if last == request.as_of.year else ""

    def series(values: dict[int, float]) -> list[dict[str, Any]]:
        return year_series(years, values)

    totals: dict[int, float] = {}
    grouped: dict[str, dict[int, float]] = {}
    for adcode, year, value, _, _ in rows:
        totals[year] = totals.get(year, 0.0) + float(value)
        if by:
            key = regions.group_code(adcode, by)
            grouped.setdefault(key, {})
            grouped[key][year] = grouped[key].get(year, 0.0) + float(value)
    result = _header(indicator, region, by, meta)
    result["total"] = {
        **region.as_dict(),
        "series": series(totals),
        "as_of": meta["as_of"],
        "basis": _basis_counts(in_years, ""),
    }
    if by:
        result["rows"] = [
            {
                **(
                    regions.region_for(code, by).as_dict()
                    if code
                    else RegionRef("", f"未细分到{regions.LEVEL_ZH[by]} / not resolved to {by}", by).as_dict()
                ),
                "series": series(values),
                "as_of": meta["as_of"],
                "basis": _basis_counts(in_years, code, by),
            }
            for code, values in sorted(grouped.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
        ]
    if request.patents:
        drill_years = (request.year, request.year) if request.year else (first, last)
        table = query_dicts(
            con,
            f"""SELECT p.app_key, p.app_number, p.title, p.first_applicant, s.adcode, s.weight,
                   year({date_col}) AS year, p.filing_date, p.grant_date, p.patent_type
            FROM patents p JOIN {shares} s USING (app_key)
            WHERE {condition} AND {date_col} <= ? AND year({date_col}) BETWEEN ? AND ? AND s.adcode LIKE ?
            ORDER BY year, p.app_key""",
            [request.as_of, drill_years[0], drill_years[1], region.prefix + "%"],
        )
        result["patents"] = [plain(r) for r in table]
    return result


def year_series(years: list[int], values: dict[int, float]) -> list[dict[str, Any]]:
    """A flow's value per year with its growth over the year before (None where that year had none)."""
    out = []
    for y in years:
        value, prev = values.get(y, 0.0), values.get(y - 1, 0.0)
        growth = round((value - prev) / prev * 100, 2) if prev else None
        out.append({"year": y, "value": round_figure(value), "growth_pct": growth})
    return out


def round_figure(value: float) -> float | int:
    """A figure rounded for people: integers stay integers, others to two decimals."""
    if float(value).is_integer():
        return int(value)
    return round(value, 6) if abs(value) >= 0.001 else float(f"{value:.4g}")


def flat_rows(result: dict[str, Any]) -> pa.Table:
    """The figures of a result as one flat table (for Excel/CSV), each row with its sources."""
    meta = result["meta"]
    policy = meta.get("flag_policy", {})
    common = {
        "indicator": result["indicator"]["name"],
        "indicator_zh": result["indicator"]["title_zh"],
        "as_of": meta["as_of"],
        "counting": meta["counting"],
        "population_source": meta.get("population_source", ""),
        "concordance": policy.get("concordance", ""),
        "pledge_min_amount": policy.get("pledge_min_amount"),
    }
    entries = [result["total"], *result.get("rows", [])]
    records: list[dict[str, Any]] = []
    for entry in entries:
        base = {"code": entry["code"], "name": entry["name"], "level": entry["level"]}
        base |= {f"basis_{b}": n for b, n in (entry.get("basis") or {}).items()}
        if "series" in entry:
            for point in entry["series"]:
                records.append({**base, "year": point["year"], "value": point["value"],
                                "growth_pct": point["growth_pct"], **common})  # fmt: skip
        else:
            records.append(
                {
                    **base,
                    "count": entry["count"],
                    "population": entry.get("population"),
                    "population_year": entry.get("population_year"),
                    "value": entry["value"],
                    **common,
                }
            )
    return pa.Table.from_pylist(records)
