"""Reading the registers: the overview, a register's records with facets and a query, one record with
its fields in Chinese and English and what it links to (the patents of a transaction, the trademark of a
GI mark, the patents and marks an agency handled or a listed party holds), and the export.

The query: words all present (in any field; folded for width and case), or `field:value` for number,
name, holder, subtype, year, adcode (a prefix) and any field of the register (`kind:质押`).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import orjson

from ipnav.errors import UsageError
from ipnav.normalize.text import fold
from ipnav.registers import closure
from ipnav.registers.model import REGION_BASES
from ipnav.registers.spec import REGISTERS, Register
from ipnav.store.reads import plain
from ipnav.store.warehouse import Warehouse, query_dicts

_COLUMNS = ("number", "name", "holder", "subtype", "year", "level", "status", "ip_type")
_TERM = re.compile(r'(\w+):("[^"]*"|\S+)|"([^"]*)"|(\S+)')
PER_PAGE = 50


def register_of(name: str) -> Register:
    """The register of this name, or a usage error naming the registers."""
    if name not in REGISTERS:
        raise UsageError(f"unknown register {name!r}; ipnav keeps: {', '.join(REGISTERS)}")
    return REGISTERS[name]


def overview(wh: Warehouse) -> list[dict[str, Any]]:
    """Every register with its record count, sub-type counts and regions resolved."""
    counts = {
        (r, s): (n, placed)
        for r, s, n, placed in wh.con.execute(
            "SELECT register, subtype, count(*), count(*) FILTER (WHERE coalesce(adcode, '') <> '') FROM registers "
            "GROUP BY ALL"
        ).fetchall()
    }
    out = []
    for reg in REGISTERS.values():
        subtypes = [{"code": code, "zh": zh, "en": en, "records": counts.get((reg.name, code), (0, 0))[0]}
                    for code, (zh, en) in reg.subtypes.items()]  # fmt: skip
        total = sum(n for (r, _), (n, _) in counts.items() if r == reg.name)
        placed = sum(p for (r, _), (_, p) in counts.items() if r == reg.name)
        out.append({"name": reg.name, "title_zh": reg.title_zh, "title_en": reg.title_en, "records": total,
                    "with_region": placed, "subtypes": subtypes, "description_zh": reg.description_zh,
                    "description_en": reg.description_en})  # fmt: skip
    return out


def _conditions(reg: Register, query: str, filters: dict[str, str]) -> tuple[list[str], list[Any]]:
    where: list[str] = ["r.register = ?"]
    params: list[Any] = [reg.name]
    for match in _TERM.finditer(query or ""):
        field, value, quoted, word = match.groups()
        if field:
            value = value.strip('"')
            if field == "adcode":
                where.append("r.adcode LIKE ?")
                params.append(value + "%")
            elif field in _COLUMNS:
                where.append(f"CAST(r.{field} AS VARCHAR) ILIKE ?")
                params.append(f"%{value}%")
            elif field in reg.field_names:
                where.append(f"json_extract_string(r.fields, '$.{field}') ILIKE ?")
                params.append(f"%{value}%")
            else:
                known = ", ".join((*_COLUMNS, "adcode", *reg.field_names))
                raise UsageError(f"unknown field {field!r} in the query; use one of {known}")
        else:
            where.append("r.search_text LIKE ?")
            params.append(f"%{fold(quoted if quoted is not None else word)}%")
    for key, value in filters.items():
        if not value:
            continue
        if key == "subtype":
            where.append("r.subtype = ?")
            params.append(value)
        elif key == "region":
            where.append("r.adcode LIKE ?")
            params.append(value.rstrip("0") + "%" if len(value) == 6 else value + "%")
        elif key == "year":
            where.append("coalesce(r.year, year(r.date)) = ?")
            params.append(int(value))
        elif key == "basis":
            where.append("coalesce(r.region_basis, '') = ?")
            params.append("" if value == "none" else value)
        elif key in reg.field_names:
            where.append(f"json_extract_string(r.fields, '$.{key}') = ?")
            params.append(value)
        else:
            raise UsageError(f"unknown filter {key!r}")
    return where, params


def listing(wh: Warehouse, name: str, query: str = "", filters: dict[str, str] | None = None, *, page: int = 1,
            per_page: int = PER_PAGE) -> dict[str, Any]:  # fmt: skip
    """A register's records matching a query and filters, a page of them, with facet counts."""
    reg = register_of(name)
    where, params = _conditions(reg, query, filters or {})
    sql_where = " AND ".join(where)
    con = wh.con
    total = int(con.execute(f"SELECT count(*) FROM registers r WHERE {sql_where}", params).fetchone()[0])  # type: ignore[index]
    rows = query_dicts(
        con,
        f"""SELECT r.app_key, r.subtype, r.number, r.name, r.holder, r.date, r.end_date, r.year, r.amount,
               r.status, r.level, r.adcode, r.province, r.city, r.county, r.region_basis, r.deadline, r.event
            FROM registers r WHERE {sql_where}
            ORDER BY coalesce(r.date, make_date(r.year, 1, 1)) DESC NULLS LAST, r.number, r.app_key
            LIMIT ? OFFSET ?""",
        [*params, per_page, max(page - 1, 0) * per_page],
    )
    facets: dict[str, list[dict[str, Any]]] = {}
    groups = {  # facet -> (value, label)
        "subtype": ("r.subtype", "''"),
        "province": ("CASE WHEN r.province <> '' THEN substr(r.adcode, 1, 2) || '0000' END", "any_value(r.province)"),
        "city": ("CASE WHEN r.city <> '' THEN substr(r.adcode, 1, 4) || '00' END", "any_value(r.city)"),
        "year": ("CAST(coalesce(r.year, year(r.date)) AS VARCHAR)", "''"),
        "basis": ("coalesce(r.region_basis, '')", "''"),
        **{f: (f"json_extract_string(r.fields, '$.{f}')", "''") for f in reg.facets},
    }  # fmt: skip
    for facet, (expression, label) in groups.items():
        found = con.execute(
            f"SELECT {expression} AS v, {label}, count(*) FROM registers r WHERE {sql_where} GROUP BY 1 "
            "ORDER BY 3 DESC, 1 LIMIT 30",
            params,
        ).fetchall()
        facets[facet] = [{"value": v if v is not None else "", "label": name or _label(reg, facet, v), "records": n}
                         for v, name, n in found]  # fmt: skip
    for row in rows:
        row["subtype_zh"] = reg.subtypes.get(row["subtype"], (row["subtype"], ""))[0]
    return {"register": _describe(reg), "query": query, "filters": filters or {}, "total": total, "page": page,
            "per_page": per_page, "records": [plain(r) for r in rows], "facets": facets}  # fmt: skip


def _label(reg: Register, facet: str, value: Any) -> str:
    if facet == "subtype":
        zh, en = reg.subtypes.get(str(value), (str(value), ""))
        return f"{zh} {en}".strip()
    if facet == "basis":
        zh, en = REGION_BASES.get(str(value or ""), (str(value), ""))
        return f"{zh} / {en}"
    return str(value) if value not in (None, "") else "(空 / none)"


def _describe(reg: Register) -> dict[str, Any]:
    return {
        "name": reg.name, "title_zh": reg.title_zh, "title_en": reg.title_en,
        "description_zh": reg.description_zh, "description_en": reg.description_en,
        "subtypes": [{"code": c, "zh": zh, "en": en} for c, (zh, en) in reg.subtypes.items()],
        "fields": [{"name": f.name, "zh": f.zh, "en": f.en, "type": f.type, "required": f.required}
                   for f in reg.fields],
        "facets": list(reg.facets),
    }  # fmt: skip


def record(wh: Warehouse, key: str, today: dt.date | None = None, *, private: bool = True) -> dict[str, Any]:
    """One record: its fields with their names, region and basis, source, notes and links (`private`: with the
    fields shown to analysts only, such as a demand's contact)."""
    rows = query_dicts(wh.con, "SELECT * FROM registers WHERE app_key = ?", [key])
    if not rows:
        raise UsageError(f"no register record {key!r}")
    row = plain(rows[0])
    reg = REGISTERS[row["register"]]
    values = orjson.loads(row.pop("fields") or "{}")
    row.pop("search_text", None)
    if not private:
        values = {k: v for k, v in values.items() if k not in reg.private}
    fields = [{"name": f.name, "zh": f.zh, "en": f.en, "value": values[f.name]} for f in reg.fields
              if values.get(f.name) not in (None, "", [])]  # fmt: skip
    basis = REGION_BASES.get(row.get("region_basis") or "", ("", ""))
    out = {**row, "register_title_zh": reg.title_zh, "register_title_en": reg.title_en,
           "subtype_zh": reg.subtypes.get(row["subtype"], (row["subtype"], ""))[0],
           "subtype_en": reg.subtypes.get(row["subtype"], ("", row["subtype"]))[1],
           "region_basis_zh": basis[0], "region_basis_en": basis[1], "fields": fields,
           "links": _links(wh, row, values)}  # fmt: skip
    if row["register"] == "case" and row.get("deadline"):
        on = today or dt.date.today()
        filed = dt.date.fromisoformat(values["filed"])
        closed = dt.date.fromisoformat(values["date"]) if values.get("date") else None
        out["closure_state"] = closure.state(filed, closed, dt.date.fromisoformat(str(row["deadline"])), on)
    return out


def _links(wh: Warehouse, row: dict[str, Any], values: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """What the record points to in the warehouse."""
    con, links = wh.con, {}
    register, entity = row["register"], row.get("holder_entity") or ""
    if register == "ip_transaction":
        links["patents"] = query_dicts(
            con,
            "SELECT p.app_key, p.app_number, p.title, p.first_applicant FROM transaction_patents t "
            "JOIN patents p USING (app_key) WHERE t.key = ? ORDER BY p.app_key",
            [row["app_key"][2:]],
        )
    mark = str(values.get("mark_number") or (values.get("number") if row["subtype"] == "mark" else "") or "")
    if mark:
        links["trademarks"] = query_dicts(
            con, "SELECT number, text, first_owner FROM trademarks WHERE number = ?", ["CN" + re.sub(r"\D", "", mark)]
        )
    if register == "listing" and row["subtype"] in ("patent_agency", "trademark_agency", "operation_agency",
                                                    "service_agency") and entity:  # fmt: skip
        links["agent_patents"], links["agent_marks"] = _held(con, row.get("holder_norm") or "", entity, "agent")
    if register == "tech_offer" and values.get("numbers"):
        links["patents"] = query_dicts(
            con, "SELECT p.app_key, p.app_number, p.title, p.first_applicant FROM patents p "
            "WHERE p.app_key = ANY(?::VARCHAR[]) ORDER BY p.app_key", [offer_patents(values)],
        )  # fmt: skip
    if register in ("credit", "listing", "copyright", "plant_variety", "tech_contract", "gi_user", "tech_offer",
                    "tech_demand") and entity:  # fmt: skip
        links["holder_patents"], links["holder_marks"] = _held(con, "", entity, "owner")
    if entity:
        links["holder_records"] = query_dicts(
            con, "SELECT app_key, register, subtype, number, name FROM registers WHERE holder_entity = ? "
            "AND app_key <> ? ORDER BY register, date DESC NULLS LAST LIMIT 100", [entity, row["app_key"]],
        )  # fmt: skip
    return {k: [plain(v) for v in found] for k, found in links.items() if found}


def _held(con: Any, norm: str, entity: str, role: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The patents and marks of a party, at most 200 each: as agent (`role` agent: patents' agents and agencies
    by the spelled name `norm`, marks' agents by entity), or as owner (patents' applicants and assignees and
    marks' owners, by entity)."""
    if role == "agent":
        patents = query_dicts(
            con, "SELECT DISTINCT p.app_key, p.app_number, p.title FROM parties a JOIN patents p USING (app_key) "
            "WHERE a.role IN ('agent', 'agency') AND a.name_norm = ? ORDER BY p.app_key LIMIT 200", [norm],
        )  # fmt: skip
    else:
        patents = query_dicts(
            con, "SELECT DISTINCT p.app_key, p.app_number, p.title FROM patent_owners o JOIN patents p USING (app_key) "
            "WHERE o.entity = ? ORDER BY p.app_key LIMIT 200", [entity],
        )  # fmt: skip
    marks = query_dicts(
        con, "SELECT DISTINCT m.number, m.text FROM tm_parties t JOIN trademarks m USING (app_key) "
        "WHERE t.role = ? AND t.entity = ? ORDER BY m.number LIMIT 200", [role, entity],
    )  # fmt: skip
    return patents, marks


def offer_patents(values: dict[str, Any]) -> list[str]:
    """The application keys of the patents an offer names."""
    from ipnav.registers.rows import patent_keys

    return patent_keys([str(n) for n in values.get("numbers") or []])


def export(wh: Warehouse, name: str, query: str, filters: dict[str, str], target: Path, *,
           private: bool = True) -> int:  # fmt: skip
    """Every matching record to an Excel workbook (one column per field, Chinese headers; the private fields
    only when `private`); returns the count."""
    import openpyxl

    from ipnav.store.cells import save_workbook

    reg = register_of(name)
    where, params = _conditions(reg, query, filters)
    rows = wh.con.execute(
        f"""SELECT r.subtype, r.fields, r.adcode, r.province, r.city, r.county, r.region_basis, r.deadline,
               r.source_file, r.source_position FROM registers r WHERE {" AND ".join(where)}
            ORDER BY r.date NULLS LAST, r.number""",
        params,
    ).fetchall()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = reg.title_zh[:31]
    extra = ["类型 subtype", "区划代码 adcode", "省 province", "市 city", "县 county", "地区依据 basis"]
    extra += ["结案期限 deadline"] if name == "case" else []
    shown = [f for f in reg.fields if private or f.name not in reg.private]
    sheet.append([f"{f.zh} {f.en}" for f in shown] + extra + ["来源文件 file", "行 row"])
    for subtype, fields, adcode, province, city, county, basis, deadline, source, position in rows:
        values = orjson.loads(fields or "{}")
        cells = ["; ".join(v) if isinstance(v := values.get(f.name), list) else v for f in shown]
        tail = [reg.subtypes.get(subtype, (subtype, ""))[0], adcode, province, city, county,
                REGION_BASES.get(basis or "", ("", ""))[0]]  # fmt: skip
        tail += [deadline] if name == "case" else []
        sheet.append(cells + tail + [source, position])
    target.parent.mkdir(parents=True, exist_ok=True)
    save_workbook(book, target)
    return len(rows)
