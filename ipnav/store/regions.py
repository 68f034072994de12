"""Regions of applicants, each with the basis it rests on; never a silent guess.

An applicant's region comes from, in this order:

1. ``address``            the record's own applicant (patentee) address, resolved at ingest;
2. ``user_table``         the user's table ``WORKSPACE/applicant_regions.csv`` (applicant, address or adcode);
3. ``applicant_history``  the same normalised applicant's address on other records: the most recent
                          filed on or before this one, else the most frequent;
4. ``applicant_name``     a place at the start of an organisation's name (重庆XX有限公司 -> 重庆市).

What none of these place is ``ambiguous`` (an address or name that fits several places, 朝阳…) or
``unresolved``; applicants outside China are ``abroad``. `infer` runs after every ingest and writes the
region and basis into `parties` and the first applicant's into `patents`, recording the applications
whose region changed so the search index follows.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from ipnav.errors import UsageError
from ipnav.normalize.names import applicant_type, normalize_name
from ipnav.normalize.placenames import region_of_name
from ipnav.normalize.region import Region, division_names, resolve_addresses

BASES: tuple[str, ...] = ("address", "user_table", "applicant_history", "applicant_name")
UNPLACED: tuple[str, ...] = ("ambiguous", "unresolved", "abroad")
BASIS_ZH: dict[str, str] = {
    "address": "本记录地址",
    "user_table": "用户对照表",
    "applicant_history": "同一申请人其他记录地址",
    "applicant_name": "申请人名称中的地名",
    "ambiguous": "地名有歧义",
    "unresolved": "无法确定",
    "abroad": "境外申请人",
}
TABLE_NAME = "applicant_regions.csv"
_OWNER_ROLES = "('applicant', 'assignee')"


@dataclass
class RegionSummary:
    """What an inference pass did: parties per basis, applications changed, problems in the user table."""

    parties: dict[str, int] = field(default_factory=dict)
    changed: int = 0
    table: str = ""
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON answers."""
        return {"parties": self.parties, "changed": self.changed, "table": self.table, "problems": self.problems}


def region_bases(value: str | None) -> tuple[str, ...]:
    """The region bases a figure may rest on: `all`, `address` (strict), or a comma list."""
    if not value or value == "all":
        return BASES
    chosen = tuple(v.strip() for v in value.split(",") if v.strip())
    unknown = [v for v in chosen if v not in BASES]
    if unknown or not chosen:
        raise UsageError(f"region basis {value!r}: use all, or some of {', '.join(BASES)} (comma separated)")
    return chosen


def read_table(path: Path) -> tuple[dict[str, Region], list[str]]:
    """The user's applicant -> region table, and a message per row it cannot use (file, row, field)."""
    if not path.exists():
        return {}, []
    problems: list[str] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    if not rows:
        return {}, []
    header = [h.strip().lower() for h in rows[0]]
    name_col = next((i for i, h in enumerate(header) if h in ("applicant", "申请人", "名称", "name")), None)
    place_col = next(
        (i for i, h in enumerate(header) if h in ("address", "地址", "adcode", "行政区划代码", "region", "地区")), None
    )
    if name_col is None or place_col is None:
        return {}, [f"{path}: row 1: header must name an applicant column (applicant/申请人) and an address or "
                    "adcode column (address/地址/adcode)"]  # fmt: skip
    wanted: list[tuple[int, str, str]] = []
    for number, row in enumerate(rows[1:], 2):
        name = row[name_col].strip() if name_col < len(row) else ""
        place = row[place_col].strip() if place_col < len(row) else ""
        if not name and not place:
            continue
        if not name or not place:
            field_name = header[name_col] if not name else header[place_col]
            problems.append(f"{path}: row {number}: {field_name} is empty")
            continue
        wanted.append((number, normalize_name(name), place))
    addresses = [p for _, _, p in wanted if not p.isdigit()]
    resolved = dict(zip(addresses, resolve_addresses(addresses), strict=True))
    table: dict[str, Region] = {}
    for number, name, place in wanted:
        if place.isdigit():
            code = place.ljust(6, "0") if len(place) in (2, 4) else place
            province, city, county = division_names(code) if len(code) == 6 else ("", "", "")
            region = Region(code, province, city, county, "matched") if province else Region()
        else:
            region = resolved[place]
        if region.flag != "matched":
            problems.append(f"{path}: row {number}: {header[place_col]} {place!r} is not a known place "
                            f"({region.flag}); give the 6-digit adcode")  # fmt: skip
            continue
        table[name] = region
    return table, problems


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.exists() else ""


def infer(con: duckdb.DuckDBPyConnection, run_id: int, table_path: Path | None) -> RegionSummary:
    """Recompute every inferred applicant region; record changed applications under `run_id`."""
    summary = RegionSummary(table=str(table_path) if table_path and table_path.exists() else "")
    user, summary.problems = read_table(table_path) if table_path else ({}, [])
    con.execute(
        f"""UPDATE parties SET region_basis = CASE
                WHEN coalesce(adcode, '') <> '' THEN 'address'
                WHEN coalesce(country, '') NOT IN ('', 'CN') THEN 'abroad'
                WHEN region_flag = 'ambiguous' THEN 'ambiguous' ELSE '' END
            WHERE role IN {_OWNER_ROLES} AND (region_basis IS NULL OR region_basis NOT IN {_inferred()})"""
    )
    before = con.execute(
        f"""SELECT app_key, role, seq, adcode, region_basis FROM parties
            WHERE role IN {_OWNER_ROLES} AND region_basis IN {BASES[1:]}"""
    ).fetchall()
    todo = con.execute(
        f"""SELECT a.app_key, a.role, a.seq, a.name, a.name_norm, p.filing_date, a.region_flag = 'ambiguous'
            FROM parties a JOIN patents p USING (app_key)
            WHERE a.role IN {_OWNER_ROLES} AND (a.region_basis IN {_inferred()} OR a.region_basis IN ('', 'ambiguous'))
              AND coalesce(a.country, '') IN ('', 'CN') AND coalesce(a.name_norm, '') <> ''"""
    ).fetchall()
    history = _history(con)
    by_name = {n: region_of_name(n) for n in {r[4] for r in todo if applicant_type(r[3]) != "individual"}}
    assigned: list[tuple[Any, ...]] = []
    for app_key, role, seq, _name, norm, filing, ambiguous_address in todo:
        region, basis = user.get(norm), "user_table"
        if region is None:
            region, basis = _from_history(history.get(norm), filing), "applicant_history"
        if region is None:
            named = by_name.get(norm)
            if named is not None and named.flag == "matched":
                region, basis = named, "applicant_name"
            else:
                ambiguous = ambiguous_address or (named is not None and named.flag == "ambiguous")
                assigned.append((app_key, role, seq, "", "", "", "", "ambiguous" if ambiguous else "unresolved"))
                continue
        assigned.append((app_key, role, seq, region.adcode, region.province, region.city, region.county, basis))
    _write(con, assigned)
    after = {(a[0], a[1], a[2], a[3], a[7]) for a in assigned if a[7] in BASES[1:]}
    changed = {row[0] for row in set(before) ^ after}
    _first_applicants(con)
    if changed:
        con.register("region_changed", pa.table({"app_key": sorted(changed)}))
        con.execute("INSERT INTO touched_apps SELECT ?, app_key FROM region_changed", [run_id])
        con.unregister("region_changed")
    if table_path is not None:
        con.execute("DELETE FROM meta WHERE key = 'region_table'")
        con.execute("INSERT INTO meta VALUES ('region_table', ?)", [_digest(table_path)])
    summary.changed = len(changed)
    summary.parties = counts(con)
    place_registers(con, user)
    return summary


def place_registers(con: duckdb.DuckDBPyConnection, user: dict[str, Region]) -> int:
    """Register records that give no region of their own (a gazette pledge by a firm whose name names no
    place): the holder's region from the user's table, else from the stated addresses of its patents (the
    most frequent), with that basis. Returns how many were placed."""
    todo = con.execute(
        "SELECT app_key, holder_norm FROM registers WHERE coalesce(adcode, '') = '' AND coalesce(holder_norm, '') <> ''"
    ).fetchall()
    if not todo:
        return 0
    known = dict(
        con.execute(
            """SELECT name_norm, mode(adcode) FROM parties WHERE region_basis = 'address' AND coalesce(adcode, '') <> ''
                AND name_norm IN (SELECT holder_norm FROM registers WHERE coalesce(adcode, '') = '') GROUP BY 1"""
        ).fetchall()
    )
    placed = []
    for app_key, norm in todo:
        if norm in user and user[norm].adcode:
            code, basis = user[norm].adcode, "user_table"
        elif norm in known:
            code, basis = known[norm], "applicant_history"
        else:
            continue
        placed.append((app_key, code, *division_names(code), basis))
    if placed:
        names = ("app_key", "adcode", "province", "city", "county", "region_basis")
        con.register("placed", pa.table({n: [row[i] for row in placed] for i, n in enumerate(names)}))
        con.execute(
            """UPDATE registers r SET adcode = p.adcode, province = p.province, city = p.city, county = p.county,
                   region_basis = p.region_basis FROM placed p WHERE r.app_key = p.app_key"""
        )
        con.unregister("placed")
    return len(placed)


def _inferred() -> str:
    return "('user_table', 'applicant_history', 'applicant_name', 'unresolved')"


def _history(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[Any, str, str, str, str]]]:
    """Normalised applicant -> (filing date, adcode, province, city, county) of its addresses on record."""
    out: dict[str, list[tuple[Any, str, str, str, str]]] = {}
    for norm, filing, code, province, city, county in con.execute(
        f"""SELECT a.name_norm, p.filing_date, a.adcode, a.province_name, a.city_name, a.county_name
            FROM parties a JOIN patents p USING (app_key)
            WHERE a.role IN {_OWNER_ROLES} AND a.region_basis = 'address' AND coalesce(a.name_norm, '') <> ''"""
    ).fetchall():
        out.setdefault(norm, []).append((filing, code, province, city, county))
    return out


def _from_history(known: list[tuple[Any, str, str, str, str]] | None, filing: Any) -> Region | None:
    """The most recent address filed on or before `filing`, else the most frequent (ties: most recent)."""
    if not known:
        return None
    earlier = [k for k in known if k[0] is not None and filing is not None and k[0] <= filing]
    if earlier:
        chosen = max(earlier, key=lambda k: k[0])
    else:
        tally: dict[str, int] = {}
        for k in known:
            tally[k[1]] = tally.get(k[1], 0) + 1
        chosen = max(known, key=lambda k: (tally[k[1]], str(k[0])))
    return Region(chosen[1], chosen[2], chosen[3], chosen[4], "matched")


def _write(con: duckdb.DuckDBPyConnection, assigned: list[tuple[Any, ...]]) -> None:
    if not assigned:
        return
    names = ("app_key", "role", "seq", "adcode", "province_name", "city_name", "county_name", "region_basis")
    table = pa.table({n: [row[i] for row in assigned] for i, n in enumerate(names)})
    table = table.set_column(2, "seq", pa.array(table.column("seq").to_pylist(), pa.int32()))
    con.register("inferred_regions", table)
    con.execute(
        """UPDATE parties SET adcode = r.adcode, province_name = r.province_name, city_name = r.city_name,
                county_name = r.county_name, region_basis = r.region_basis
           FROM inferred_regions r
           WHERE parties.app_key = r.app_key AND parties.role = r.role AND parties.seq = r.seq"""
    )
    con.unregister("inferred_regions")


def _first_applicants(con: duckdb.DuckDBPyConnection) -> None:
    """The patents row's region is its first applicant's (first assignee's when it names no applicant)."""
    con.execute(
        f"""UPDATE patents SET applicant_adcode = f.adcode, applicant_province = f.province_name,
                applicant_city = f.city_name, applicant_county = f.county_name, applicant_region_basis = f.basis
            FROM (SELECT app_key, arg_min(coalesce(adcode, ''), (role <> 'applicant', seq)) AS adcode,
                         arg_min(coalesce(province_name, ''), (role <> 'applicant', seq)) AS province_name,
                         arg_min(coalesce(city_name, ''), (role <> 'applicant', seq)) AS city_name,
                         arg_min(coalesce(county_name, ''), (role <> 'applicant', seq)) AS county_name,
                         arg_min(coalesce(region_basis, ''), (role <> 'applicant', seq)) AS basis
                  FROM parties WHERE role IN {_OWNER_ROLES} GROUP BY app_key) f
            WHERE patents.app_key = f.app_key
              AND (patents.applicant_region_basis IS DISTINCT FROM f.basis
                   OR patents.applicant_adcode IS DISTINCT FROM f.adcode)"""
    )
    con.execute(
        "UPDATE patents SET applicant_region_basis = 'unresolved' WHERE applicant_region_basis IS NULL "
        f"AND app_key NOT IN (SELECT app_key FROM parties WHERE role IN {_OWNER_ROLES})"
    )


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Applicant and patentee parties per region basis."""
    rows = con.execute(
        f"SELECT coalesce(nullif(region_basis, ''), 'unresolved'), count(*) FROM parties "
        f"WHERE role IN {_OWNER_ROLES} GROUP BY 1"
    ).fetchall()
    found = dict(rows)
    return {basis: int(found.get(basis, 0)) for basis in (*BASES, *UNPLACED)}


def table_changed(con: duckdb.DuckDBPyConnection, table_path: Path) -> bool:
    """Has the user's table changed since regions were last inferred?"""
    row = con.execute("SELECT value FROM meta WHERE key = 'region_table'").fetchone()
    return (row[0] if row else "") != _digest(table_path)


def report(con: duckdb.DuckDBPyConnection, table_path: Path) -> dict[str, Any]:
    """Where the warehouse's regions come from: applicants and applications per basis, and the user table."""
    patents = dict(
        con.execute(
            "SELECT coalesce(nullif(applicant_region_basis, ''), 'unresolved'), count(*) FROM patents GROUP BY 1"
        ).fetchall()
    )
    _, table_problems = read_table(table_path)
    return {
        "applications": {b: int(patents.get(b, 0)) for b in (*BASES, *UNPLACED)},
        "applicants": counts(con),
        "basis_zh": BASIS_ZH,
        "table": {
            "path": str(table_path),
            "exists": table_path.exists(),
            "changed_since_applied": table_path.exists() and table_changed(con, table_path),
            "problems": table_problems,
        },
    }
