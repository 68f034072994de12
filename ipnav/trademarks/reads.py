"""Reading trademarks from the warehouse: one mark by any spelling of its number, and search.

The search reads the warehouse table (no separate index yet): bare words match the mark's text as a
substring after folding (case, width, traditional → simplified) or its sound in pinyin (`xiaomi` finds
小米 and 小米 finds XIAOMI); `word~1` allows one edit (Levenshtein) on the whole mark; fields:
`mark= class= group= goods= owner= agent= status= type= kind= office= ad= rd= region=`, dates as a year,
`ad>=2020`, `ad=[2018 TO 2020]`. Every term must hold (AND).
"""

from __future__ import annotations

import re
from typing import Any

from ipnav.errors import RecordNotFound, UsageError
from ipnav.normalize.text import fold
from ipnav.store.reads import plain
from ipnav.store.warehouse import Warehouse
from ipnav.trademarks.classes import group_names
from ipnav.trademarks.rows import pinyin

_TERM = re.compile(r'(\w+)(>=|<=|=|>|<)("[^"]*"|\[[^\]]*\]|\S+)|("[^"]*"|\S+)', re.UNICODE)
_FACETS = {"class": "unnest(classes)", "status": "status", "office": "office", "year": "year(filing_date)",
           "owner": "first_owner", "province": "owner_province"}  # fmt: skip


def _number_candidates(text: str) -> tuple[str, str]:
    """(office letters, digits) of a number as typed: `US 98/763,166`, `第12345678号`, `EM018222197`,
    `G1534567` (Madrid)."""
    compact = re.sub(r"[\s,./第号-]", "", text.strip().upper())
    match = re.fullmatch(r"(?:TM:)?([A-Z]{1,2})?(\d+)", compact)
    if not match or (match.group(1) not in (None, "G") and len(match.group(1)) == 1):
        raise UsageError(f"{text!r} is not a trademark number (office letters and digits, e.g. US98763166)")
    office = match.group(1) or ""
    return ("WO" if office == "G" else office), match.group(2)  # G1534567: a Madrid registration


def find_key(warehouse: Warehouse, text: str) -> str:
    """The key of a mark by its application or registration number in any spelling (RecordNotFound with
    close numbers when there is none)."""
    office, digits = _number_candidates(text)
    rows = warehouse.query(
        "SELECT app_key FROM trademarks WHERE (? = '' OR office = ?) AND (ltrim(substr(number, 3), '0') = ? "
        "OR ltrim(substr(registration_number, 3), '0') = ?) ORDER BY app_key",
        [office, office, digits.lstrip("0"), digits.lstrip("0")],
    )
    if not rows:
        near = warehouse.query(
            "SELECT number FROM trademarks WHERE number LIKE ? ORDER BY number LIMIT 5", [f"%{digits[:5]}%"]
        )
        raise RecordNotFound("trademark", text, [r["number"] for r in near])
    return str(rows[0]["app_key"])


def show(warehouse: Warehouse, number: str) -> dict[str, Any]:
    """One mark in full: numbers, text, type and kind, classes with goods and groups, dates, status (normalised
    and as the source says), owners and agents with address and region, Vienna codes, events."""
    key = find_key(warehouse, number)
    mark = plain(warehouse.query("SELECT * FROM trademarks WHERE app_key = ?", [key])[0])
    classes = warehouse.query(
        "SELECT class_no, groups, goods_zh, goods_en FROM tm_classes WHERE app_key = ? ORDER BY class_no", [key]
    )
    if mark["office"] in ("CN", "WO"):  # CNIPA's similar groups (类似群) by name; TIPO's groups are its own
        names = group_names()
        for klass in classes:
            klass["group_names"] = {g: names.get(g, "") for g in klass["groups"] or []}
    parties = warehouse.query(
        "SELECT role, name, address, country, adcode, province, city, county FROM tm_parties WHERE app_key = ? "
        "ORDER BY seq", [key],
    )  # fmt: skip
    events = warehouse.query(
        "SELECT date, kind, code, description FROM tm_events WHERE app_key = ? ORDER BY date", [key]
    )
    return {
        "key": key, "office": mark["office"], "number": mark["number"],
        "registration_number": mark["registration_number"], "text": mark["text"], "type": mark["mark_type"],
        "kind": mark["kind"], "image": mark["image"], "classes": mark["classes"] or [], "groups": mark["groups"] or [],
        "goods": plain(classes), "filing_date": mark["filing_date"], "publication_date": mark["publication_date"],
        "registration_date": mark["registration_date"], "expiry_date": mark["expiry_date"],
        "status": mark["status"], "status_raw": mark["status_raw"], "status_date": mark["status_date"],
        "owners": [p for p in plain(parties) if p["role"] == "owner"],
        "agents": [p for p in plain(parties) if p["role"] == "agent"],
        "vienna": mark["vienna"] or [], "events": plain(events), "madrid": mark["madrid"] or [],
        "international_registration": mark["international_registration"], "source_format": mark["source_format"],
    }  # fmt: skip


def _date_clause(column: str, op: str, value: str) -> tuple[str, list[Any]]:
    value = value.strip('"')
    if value.startswith("["):
        low, _, high = value.strip("[]").partition(" TO ")
        return f"year({column}) BETWEEN ? AND ?", [int(low), int(high)]
    if not re.fullmatch(r"\d{4}", value):
        raise UsageError(f"{value!r}: give a year, a range [2018 TO 2020] or a comparison ad>=2020")
    return f"year({column}) {'=' if op == '=' else op} ?", [int(value)]


def _clause(field: str, op: str, value: str) -> tuple[str, list[Any]]:
    """SQL of one fielded term."""
    value = value.strip('"')
    if field in ("ad", "rd"):
        return _date_clause("filing_date" if field == "ad" else "registration_date", op, value)
    if op != "=":
        raise UsageError(f"{field}{op}{value}: only ad and rd take comparisons")
    if field == "class":
        if not value.isdigit():
            raise UsageError(f"class={value!r}: give a Nice class number 1-45")
        return "list_contains(classes, ?)", [int(value)]
    if field == "group":
        return "list_contains(groups, ?)", [value]
    if field in ("owner", "agent"):
        role = "owner" if field == "owner" else "agent"
        return (
            "app_key IN (SELECT app_key FROM tm_parties WHERE role = ? AND lower(name) LIKE ?)",
            [role, f"%{fold(value)}%"],
        )
    if field == "goods":
        return (
            "app_key IN (SELECT app_key FROM tm_classes WHERE lower(goods_zh) LIKE ? OR lower(goods_en) LIKE ?)",
            [f"%{fold(value)}%", f"%{value.lower()}%"],
        )
    columns = {"status": "status", "type": "mark_type", "kind": "kind", "office": "office"}
    if field in columns:
        return f"{columns[field]} = ?", [value.lower() if field != "office" else value.upper()]
    if field == "region":
        return "(owner_province LIKE ? OR owner_city LIKE ? OR owner_county LIKE ?)", [f"%{value}%"] * 3
    if field == "mark":
        return _words(value)
    raise UsageError(f"unknown field {field!r}: use mark, class, group, goods, owner, agent, status, type, kind, "
                     "office, ad, rd, region")  # fmt: skip


def _words(value: str) -> tuple[str, list[Any]]:
    """A word of the mark: a substring of its folded text or of its pinyin; `word~N` within N edits."""
    fuzzy = re.fullmatch(r"(.+)~(\d)", value)
    if fuzzy:
        word, edits = fold(fuzzy.group(1)), int(fuzzy.group(2))
        return "levenshtein(text_fold, ?) <= ?", [word, edits]
    folded, sound = fold(value), pinyin(value)
    if sound and sound != folded:
        return "(text_fold LIKE ? OR text_pinyin LIKE ?)", [f"%{folded}%", f"%{sound}%"]
    return "(text_fold LIKE ? OR text_pinyin LIKE ?)", [f"%{folded}%", f"%{folded}%"]


def search(warehouse: Warehouse, query: str, *, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """One page of marks matching a query, newest filing first, with the total and facets."""
    clauses, params = [], []
    for field, op, value, bare in _TERM.findall(query.strip()):
        sql, args = _clause(field.lower(), op, value) if field else _words(bare.strip('"'))
        clauses.append(sql)
        params += args
    if not clauses:
        raise UsageError("give a search: a word of the mark, or fields such as class=25 status=registered")
    where = " AND ".join(clauses)
    total = warehouse.query(f"SELECT count(*) AS n FROM trademarks WHERE {where}", params)[0]["n"]
    hits = warehouse.query(
        f"SELECT number, registration_number, text, office, classes, status, filing_date, registration_date, "
        f"first_owner, owner_province FROM trademarks WHERE {where} "
        f"ORDER BY filing_date DESC NULLS LAST, number LIMIT ? OFFSET ?",
        [*params, max(1, min(limit, 1000)), max(0, offset)],
    )
    facets = {}
    for name, expr in _FACETS.items():
        rows = warehouse.query(
            f"SELECT {expr} AS key, count(*) AS n FROM trademarks WHERE {where} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10",
            params,
        )
        facets[name] = {str(r["key"]): r["n"] for r in rows if r["key"] not in (None, "")}
    return {"query": query, "total": total, "hits": plain(hits), "facets": facets, "offset": offset}
