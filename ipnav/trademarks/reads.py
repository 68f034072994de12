"""Reading trademarks from the warehouse: one mark by any spelling of its number, and search.

The search runs on the trademark index (`ipnav.trademarks.index`) in the patents' query language: bare
words match the mark's text as a substring after folding (case, width, traditional → simplified) or its
sound in pinyin (`xiaomi` finds 小米 and 小米 finds XIAOMI); `word~1` is the whole mark within one edit
(`~0` exactly); fields `mark= class= group= goods= owner= agent= status= type= kind= office= ad= rd=
region=` (Chinese names too: 商标= 类别= 类似群= 申请人= ...), dates as a year, `ad>=2020`,
`ad=[2018 TO 2020]`; AND, OR, NOT and brackets as for patents.
"""

from __future__ import annotations

import re
from typing import Any

from ipnav.config import Workspace
from ipnav.errors import RecordNotFound, UsageError
from ipnav.search.query import And, Node, Or, Term
from ipnav.search.service import IndexBehind
from ipnav.store.reads import plain
from ipnav.store.warehouse import Warehouse
from ipnav.trademarks import index as tm_index
from ipnav.trademarks.classes import group_names


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
        "former_owners": [p for p in plain(parties) if p["role"] == "former_owner"],
        "vienna": mark["vienna"] or [], "events": plain(events), "madrid": mark["madrid"] or [],
        "international_registration": mark["international_registration"], "source_format": mark["source_format"],
    }  # fmt: skip


def search(
    workspace: Workspace,
    warehouse: Warehouse,
    query: str,
    *,
    limit: int = 20,
    offset: int = 0,
    sort: str | None = None,
    facets: bool = True,
) -> dict[str, Any]:
    """One page of marks matching a query, with the total and facets (class, group, status, office, year,
    owner, province). `sort`: relevance (the default when the query has words of the mark; the mark equal
    to the query first), -ad (newest filing first, the default otherwise), ad, rd, -rd."""
    if tm_index.behind(workspace, warehouse):
        raise IndexBehind(
            "商标检索索引未包含最近导入的商标 the trademark index is behind the warehouse: run `ipnav reindex`"
        )
    if not query.strip():
        raise UsageError("give a search: a word of the mark, or fields such as class=25 status=registered")
    if sort is None:
        sort = "relevance" if _has_words(tm_index.parse_query(query)) else "-ad"
    result = tm_index.open_index(workspace).search(
        query, limit=max(1, min(limit, 1000)), offset=max(0, offset), sort=sort, facets=facets
    )
    return {"query": query, "sort": sort, "offset": offset, **result}


def _has_words(node: Node) -> bool:
    if isinstance(node, Term):
        return node.field in ("any", "mark")
    if isinstance(node, And | Or):
        return any(_has_words(n) for n in node.items)
    return False
