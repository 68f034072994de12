"""Read-side library functions used by both the CLI and the web API."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import orjson

from ipnav.errors import RecordNotFound, UsageError
from ipnav.model import Patent
from ipnav.normalize.numbers import bare_number_sql, split_number_variants
from ipnav.store.cells import excel_row, formula_sql
from ipnav.store.codec import load_document
from ipnav.store.merge import merge_documents
from ipnav.store.warehouse import Warehouse

_GROUPS: dict[str, str] = {
    "source_format": "SELECT source_format AS key, count(*) AS n FROM documents GROUP BY 1 ORDER BY 2 DESC",
    "country": "SELECT country AS key, count(*) AS n FROM patents GROUP BY 1 ORDER BY 2 DESC",
    "patent_type": "SELECT patent_type AS key, count(*) AS n FROM patents GROUP BY 1 ORDER BY 2 DESC",
    "filing_year": "SELECT filing_year AS key, count(*) AS n FROM patents GROUP BY 1 ORDER BY 1",
    "legal_status": "SELECT legal_status AS key, count(*) AS n FROM patents GROUP BY 1 ORDER BY 2 DESC",
    "applicant_province": "SELECT applicant_province AS key, count(*) AS n FROM patents "
    "WHERE applicant_province <> '' GROUP BY 1 ORDER BY 2 DESC",
    "region_basis": "SELECT coalesce(nullif(applicant_region_basis, ''), 'unresolved') AS key, count(*) AS n "
    "FROM patents GROUP BY 1 ORDER BY 2 DESC",
}


def stats(warehouse: Warehouse) -> dict[str, Any]:
    """Counts of what the warehouse holds, by source format, country, type, filing year, legal status."""
    out: dict[str, Any] = {
        "patents": warehouse.count("patents"),
        "documents": warehouse.count("documents"),
        "transactions": warehouse.count("transactions"),
        "rejects": warehouse.count("rejects"),
    }
    for name, sql in _GROUPS.items():
        out[f"by_{name}"] = {str(r["key"]) if r["key"] is not None else "": r["n"] for r in warehouse.query(sql)}
    out["rejects_by_reason"] = {
        r["field"]: r["n"]
        for r in warehouse.query("SELECT field, count(*) AS n FROM rejects GROUP BY 1 ORDER BY 2 DESC")
    }
    last = warehouse.query("SELECT * FROM ingest_runs ORDER BY run_id DESC LIMIT 1")
    out["last_run"] = plain(last[0]) if last else None
    return out


_FIND_SQL = (
    "SELECT app_key FROM patents WHERE app_key = ?",
    "SELECT app_key FROM publications WHERE number = ? LIMIT 1",
    f"SELECT app_key FROM publications WHERE {bare_number_sql()} = ? LIMIT 1",
)


def find_app_key(warehouse: Warehouse, number: str) -> str:
    """Application key for an application or publication number in any common spelling."""
    text = number.strip()
    if not text:
        raise UsageError("give a patent number")
    candidates = [text] if text.startswith(("K:", "P:")) else split_number_variants(text)
    for candidate in candidates:  # point lookups (indexed) first; the scan of every publication last
        for sql in _FIND_SQL:
            found = warehouse.con.execute(sql, [candidate]).fetchone()
            if found:
                return str(found[0])
    raise RecordNotFound("patent", number, suggest_numbers(warehouse, text))


def suggest_numbers(warehouse: Warehouse, text: str, limit: int = 5) -> list[str]:
    """Close numbers for a 'did you mean' hint (same digits prefix)."""
    digits = re.sub(r"\D", "", text)
    if len(digits) < 4:
        return []
    rows = warehouse.query(
        "SELECT number FROM publications WHERE number LIKE ? ORDER BY number LIMIT ?",
        [f"%{digits[: max(4, len(digits) - 3)]}%", limit],
    )
    return [r["number"] for r in rows]


def load_patent(warehouse: Warehouse, app_key: str) -> Patent:
    """The merged Patent of one application, rebuilt from its source documents."""
    rows = warehouse.query(
        "SELECT body, description, source_file, source_position FROM documents WHERE app_key = ? AND kind = 'patent'",
        [app_key],
    )
    if not rows:
        raise RecordNotFound("patent", app_key)
    patents = [load_document(r["body"], r["description"], r["source_file"], r["source_position"]) for r in rows]
    return merge_documents([p for p in patents if isinstance(p, Patent)])


def patent_detail(warehouse: Warehouse, number: str) -> dict[str, Any]:
    """Everything known about one patent, as plain JSON-ready data."""
    app_key = find_app_key(warehouse, number)
    patent = load_patent(warehouse, app_key)
    data = dataclasses.asdict(patent)
    data["sources"] = warehouse.query(
        "SELECT doc_key, source_format, source_file, source_position FROM documents WHERE app_key = ? ORDER BY doc_key",
        [app_key],
    )
    data["transactions"] = _plain_rows(
        warehouse.query(
            "SELECT t.* FROM transactions t JOIN transaction_patents tp USING (key) WHERE tp.app_key = ?", [app_key]
        )
    )
    data["family"] = family(warehouse, app_key)
    data["credit"] = warehouse.query(  # applicants on a credit list (the `credit` register), while listed
        """SELECT r.app_key, r.holder, json_extract_string(r.fields, '$.list') AS list, r.date, r.end_date,
                  json_extract_string(r.fields, '$.authority') AS authority
           FROM registers r WHERE r.register = 'credit' AND r.holder_entity IN (
               SELECT entity FROM patent_owners WHERE app_key = ? AND coalesce(entity, '') <> '')
           ORDER BY r.date""",
        [app_key],
    )
    data = plain(data)
    data["timeline"] = timeline(data)
    return data


_FAMILY_SQL = """
WITH me AS (SELECT app_key, app_number, family_id FROM patents WHERE app_key = $1),
mine AS (SELECT country, number FROM priorities WHERE app_key = $1),
members AS (
    SELECT p.app_key, 'family_id' AS how FROM patents p, me
    WHERE coalesce(me.family_id, '') <> '' AND p.family_id = me.family_id AND p.app_key <> $1
    UNION SELECT r.app_key, 'shared_priority' FROM priorities r JOIN mine m USING (country, number)
    WHERE r.app_key <> $1
    UNION SELECT r.app_key, 'claims_this' FROM priorities r, me
    WHERE r.app_key <> $1 AND regexp_replace(r.number, '\\D', '', 'g')
        = regexp_replace(coalesce(me.app_number, ''), '\\D', '', 'g') AND me.app_number <> ''
    UNION SELECT p.app_key, 'priority_of_this' FROM patents p JOIN mine m
        ON regexp_replace(p.app_number, '\\D', '', 'g') = regexp_replace(m.number, '\\D', '', 'g')
    WHERE p.app_key <> $1 AND coalesce(p.app_number, '') <> ''
)
SELECT p.app_key, p.app_number, p.country, p.first_pub_number, p.title, p.filing_date, list(DISTINCT m.how) AS how
FROM members m JOIN patents p USING (app_key) GROUP BY ALL ORDER BY p.filing_date NULLS LAST, p.app_key
"""


def family(warehouse: Warehouse, app_key: str) -> list[dict[str, Any]]:
    """Family members in the warehouse and how each was found: the same family id, a shared priority, a
    record claiming this application as priority, or this record's priority."""
    return _plain_rows(warehouse.query(_FAMILY_SQL, [app_key]))


def timeline(detail: dict[str, Any]) -> list[dict[str, Any]]:
    """A patent's dated history, oldest first: filing, priorities, publications, legal events and
    transactions, each with the source that states it."""
    source = detail.get("source_format") or ""
    events: list[dict[str, Any]] = []
    if detail.get("filing_date"):
        events.append({"date": detail["filing_date"], "event": "filing", "text": detail.get("app_number") or ""})
    for pr in detail.get("priorities") or []:
        if pr.get("date"):
            events.append({"date": pr["date"], "event": "priority", "text": f"{pr['country']} {pr['number']}"})
    for pub in detail.get("publications") or []:
        if pub.get("date"):
            events.append({"date": pub["date"], "event": "publication", "text": f"{pub['number']}{pub['kind']}"})
    for ev in detail.get("legal_events") or []:
        events.append({"date": ev.get("date"), "event": "legal_event", "text": f"{ev['code']} {ev['description']}"})
    for tr in detail.get("transactions") or []:
        text = f"{tr.get('assignors') or ''} → {tr.get('assignees') or ''} {tr.get('conveyance') or ''}".strip()
        events.append({"date": tr.get("recorded_date") or tr.get("execution_date"), "event": tr["kind"], "text": text})
    for event in events:
        event["source"] = source
    return sorted(events, key=lambda e: (e["date"] is None, str(e["date"] or "")))


def citation_links(warehouse: Warehouse, app_key: str) -> dict[str, Any]:
    """Citations out (each with the cited application when the warehouse has it) and citations in."""
    out = warehouse.query(
        f"""SELECT c.seq, c.kind, c.number, c.kind_code, c.date, c.text, c.category,
               (SELECT min(pu.app_key) FROM publications pu WHERE {bare_number_sql("pu.number")} = c.number)
               AS app_key
        FROM citations c WHERE c.app_key = ? ORDER BY c.seq""",
        [app_key],
    )
    cited_by = warehouse.query(
        f"""SELECT DISTINCT p.app_key, p.app_number, p.title, p.first_applicant, p.filing_date
        FROM citations c JOIN patents p ON p.app_key = c.app_key
        WHERE c.kind = 'patent' AND c.app_key <> ? AND c.number IN (
            SELECT {bare_number_sql()} FROM publications WHERE app_key = ?)
        ORDER BY p.filing_date, p.app_key""",
        [app_key, app_key],
    )
    return {"out": _plain_rows(out), "in": _plain_rows(cited_by)}


def rejects(warehouse: Warehouse, *, limit: int | None = None, run_id: int | None = None) -> list[dict[str, Any]]:
    """Rejected records, optionally of one run, in file order."""
    sql = "SELECT * FROM rejects" + (" WHERE run_id = ?" if run_id else "") + " ORDER BY source_file, position"
    params: list[Any] = [run_id] if run_id else []
    if limit:
        sql += f" LIMIT {int(limit)}"
    return _plain_rows(warehouse.query(sql, params))


_EXPORT_SQL = """
SELECT p.app_number AS "申请号 application_number", p.first_pub_number AS "公开号 publication_number",
       p.first_pub_date AS "公开日 publication_date", p.grant_number AS "授权公告号 grant_number",
       p.filing_date AS "申请日 filing_date", p.country AS "国家 country", p.patent_type AS "专利类型 patent_type",
       p.title AS "名称 title",
       (SELECT string_agg(name, '; ' ORDER BY seq) FROM parties x WHERE x.app_key = p.app_key
            AND x.role IN ('applicant', 'assignee')) AS "申请(专利权)人 applicants",
       (SELECT string_agg(name, '; ' ORDER BY seq) FROM parties x WHERE x.app_key = p.app_key
            AND x.role = 'inventor') AS "发明人 inventors",
       p.applicant_province AS "省 province", p.applicant_city AS "市 city", p.applicant_county AS "区县 county",
       p.applicant_adcode AS "行政区划代码 adcode", p.main_ipc AS "主分类号 main_ipc",
       (SELECT string_agg(symbol, '; ') FROM classifications c WHERE c.app_key = p.app_key
            AND c.scheme = 'ipc') AS "IPC",
       p.legal_status AS "法律状态 legal_status", p.legal_status_raw AS "原始法律状态 legal_status_raw",
       p.claims_count AS "权利要求数 claims_count", p.abstract AS "摘要 abstract", p.app_key AS "key"
FROM patents p ORDER BY p.filing_date NULLS LAST, p.app_key
"""

XLSX_MAX_ROWS = 1_048_575


def _export_sql(con: Any, keys: list[str] | None) -> str:
    """The export query, restricted to `keys` (registered on `con`) when given."""
    if keys is None:
        return _EXPORT_SQL
    import pyarrow as pa

    con.register("export_keys", pa.table({"app_key": pa.array(keys, pa.string())}))
    return _EXPORT_SQL.replace(
        "FROM patents p ORDER BY", "FROM patents p SEMI JOIN export_keys e USING (app_key) ORDER BY"
    )


def export_cursor(warehouse: Warehouse, keys: list[str]) -> Any:
    """A cursor over the export rows of the given applications."""
    con = warehouse.con.cursor()
    return con.execute(_export_sql(con, keys))


def export(warehouse: Warehouse, fmt: str, out: Path, keys: list[str] | None = None) -> int:
    """Write one row per application (all, or those of `keys`) to parquet, csv or xlsx; returns the row count."""
    out.parent.mkdir(parents=True, exist_ok=True)
    con = warehouse.con.cursor()
    sql = _export_sql(con, keys)
    count = warehouse.count("patents") if keys is None else len(set(keys))
    if fmt in ("parquet", "csv"):
        options = "FORMAT parquet" if fmt == "parquet" else "FORMAT csv, HEADER true"
        if fmt == "csv":  # no text a spreadsheet would run as a formula
            text = [f'"{name}"' for name, kind, *_ in con.execute(f"DESCRIBE {sql}").fetchall() if kind == "VARCHAR"]
            sql = f"SELECT * REPLACE ({', '.join(f'{formula_sql(c)} AS {c}' for c in text)}) FROM ({sql})"
        con.execute(f"COPY ({sql}) TO '{_sql_path(out)}' ({options})")
        if fmt == "csv":  # Excel and WPS need a BOM to read UTF-8 Chinese text
            out.write_bytes(b"\xef\xbb\xbf" + out.read_bytes())
        return count
    if fmt == "xlsx":
        if count > XLSX_MAX_ROWS:
            raise UsageError(f"{count} rows do not fit one Excel sheet ({XLSX_MAX_ROWS}); export csv or parquet")
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("专利 patents")
        cursor = con.execute(sql)
        sheet.append([d[0] for d in cursor.description])
        while batch := cursor.fetchmany(5000):
            for row in batch:
                sheet.append(excel_row(sheet, list(row)))
        book.save(out)
        return count
    raise UsageError(f"unknown export format {fmt!r}: use parquet, csv or xlsx")


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _plain_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [plain(r) for r in rows]


def plain(value: Any) -> Any:
    """JSON-ready: dates to ISO strings."""
    return orjson.loads(orjson.dumps(value, default=str))


def topic_members(warehouse: Warehouse, name: str) -> list[str]:
    """Application keys of a thematic database's members (removed ones left out), sorted; RecordNotFound
    for a topic that does not exist."""
    if not warehouse.query("SELECT 1 FROM topics WHERE name = ?", [name]):
        raise RecordNotFound("thematic database", name)
    rows = warehouse.query(
        "SELECT DISTINCT app_key FROM topic_members WHERE topic = ? AND origin <> 'removed' "
        "AND app_key NOT IN (SELECT app_key FROM topic_members WHERE topic = ? AND origin = 'removed') "
        "ORDER BY app_key",
        [name, name],
    )
    return [r["app_key"] for r in rows]
