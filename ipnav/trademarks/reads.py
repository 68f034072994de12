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
from pathlib import Path
from typing import Any

from ipnav.config import Workspace
from ipnav.errors import RecordNotFound, UsageError
from ipnav.search.query import And, Node, Or, Term
from ipnav.search.service import IndexBehind
from ipnav.store.reads import plain
from ipnav.store.warehouse import Warehouse
from ipnav.trademarks import index as tm_index
from ipnav.trademarks.classes import class_names, group_names


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
    names, headings = group_names(), class_names()
    for klass in classes:
        klass["class_zh"], klass["class_en"] = headings.get(klass["class_no"], ("", ""))
        if mark["office"] in ("CN", "WO"):  # CNIPA's similar groups (类似群) by name; TIPO's groups are its own
            klass["group_names"] = {g: names.get(g, "") for g in klass["groups"] or []}
    parties = warehouse.query(
        "SELECT role, name, address, country, adcode, province, city, county FROM tm_parties WHERE app_key = ? "
        "ORDER BY seq", [key],
    )  # fmt: skip
    events = warehouse.query(
        "SELECT date, kind, code, description FROM tm_events WHERE app_key = ? ORDER BY date", [key]
    )
    registered = _register_records(warehouse, mark["number"]) if mark["office"] == "CN" else []
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
        "register_records": registered,
    }  # fmt: skip


def _register_records(warehouse: Warehouse, number: str) -> list[dict[str, Any]]:
    """The register records naming a Chinese mark: its transfers, licences and pledges, its GI users, the
    GI list entry of a GI mark (`ipnav.registers`)."""
    digits = re.sub(r"\D", "", number)
    rows = warehouse.query(
        r"""SELECT app_key, register, subtype, number, name, holder, date, amount, event FROM registers
            WHERE (register = 'ip_transaction' AND list_contains(list_transform(
                       coalesce(json_extract_string(fields, '$.numbers[*]'), []),
                       lambda x: regexp_replace(x, '\D', '', 'g')), ?))
               OR (register = 'gi_user'
                   AND regexp_replace(coalesce(json_extract_string(fields, '$.mark_number'), ''), '\D', '', 'g') = ?)
               OR (register = 'gi' AND subtype = 'mark' AND number = ?)
            ORDER BY date NULLS LAST""",
        [digits, digits, digits],
    )
    return plain(rows)


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
    offset = max(0, min(offset, MAX_OFFSET))  # deeper pages: `search_all` (a top-k heap that large is no page)
    result = tm_index.open_index(workspace).search(
        query, limit=max(1, min(limit, 1000)), offset=offset, sort=sort, facets=facets
    )
    return {"query": query, "sort": sort, "offset": offset, **result}


MAX_OFFSET = 1_000_000


def similar(
    workspace: Workspace, warehouse: Warehouse, text: str, *, classes: list[int], groups: list[str],
    limit: int = 20, threshold: int = 60,
) -> dict[str, Any]:  # fmt: skip
    """Marks similar to a mark text, scored 0-100 with reasons (`ipnav.trademarks.similar`); goods narrow by
    classes and similar groups (a group implies its class)."""
    from ipnav.trademarks import similar as likeness

    if not text.strip():
        raise UsageError("give the mark to compare, e.g. 小米 or XIAOMI")
    bad = [c for c in classes if not 1 <= c <= 45]
    if bad:
        raise UsageError(f"classes {bad}: Nice classes are 1-45")
    if tm_index.behind(workspace, warehouse):
        raise IndexBehind("the trademark index is behind the warehouse: run `ipnav reindex`")
    names = group_names()
    unknown = [g for g in groups if g not in names]
    if unknown:
        raise UsageError(f"similar groups {unknown} are not in CNIPA's 区分表 (4 digits, e.g. 3002)")
    from ipnav.trademarks.wellknown import famous_words

    hits = likeness.search(tm_index.open_index(workspace), text, classes=classes, groups=groups, limit=limit,
                           threshold=threshold, famous=famous_words(warehouse))  # fmt: skip
    return {"text": text, "classes": classes, "groups": groups, "threshold": threshold, "hits": hits}


def search_all(workspace: Workspace, warehouse: Warehouse, query: str) -> dict[str, Any]:
    """Every mark a query finds (no cap), newest filing first, with the total."""
    if tm_index.behind(workspace, warehouse):
        raise IndexBehind("the trademark index is behind the warehouse: run `ipnav reindex`")
    hits = tm_index.open_index(workspace).everything(query)
    return {"query": query, "sort": "-ad", "offset": 0, "total": len(hits), "hits": hits}


def _has_words(node: Node) -> bool:
    if isinstance(node, Term):
        return node.field in ("any", "mark")
    if isinstance(node, And | Or):
        return any(_has_words(n) for n in node.items)
    return False


EXPORT_SQL = """  -- one row per mark of the registered table `export_keys` (app_key), as exports and reports list them
WITH owners AS (
    SELECT app_key, string_agg(name, '; ' ORDER BY seq) FILTER (WHERE role = 'owner') AS owners,
           string_agg(address, '; ' ORDER BY seq) FILTER (WHERE role = 'owner' AND coalesce(address, '') <> '')
               AS addresses,
           string_agg(name, '; ' ORDER BY seq) FILTER (WHERE role = 'agent') AS agents
    FROM tm_parties WHERE app_key IN (SELECT app_key FROM export_keys) GROUP BY app_key
)
SELECT t.number AS "号码 number", t.registration_number AS "注册号 registration", t.text AS "商标 mark",
       t.office AS "受理局 office", array_to_string(t.classes, ',') AS "类别 classes",
       array_to_string(t.groups, ',') AS "类似群 groups", t.mark_type AS "类型 type", t.kind AS "种类 kind",
       t.filing_date AS "申请日 filed", t.publication_date AS "初审公告日 published",
       t.registration_date AS "注册日 registered", t.expiry_date AS "专用权期限至 expires",
       t.status AS "状态 status", t.status_raw AS "原始状态 status as written", o.owners AS "权利人 owners",
       o.addresses AS "地址 address", t.owner_province AS "省 province", t.owner_city AS "市 city",
       t.owner_county AS "县 county", t.owner_adcode AS "区划代码 adcode", o.agents AS "代理机构 agents",
       t.source_format AS "来源格式 format"
FROM trademarks t JOIN export_keys k USING (app_key) LEFT JOIN owners o USING (app_key)
ORDER BY t.filing_date DESC NULLS LAST, t.number
"""


def export_cursor(warehouse: Warehouse, keys: list[str]) -> Any:
    """A cursor over the export rows of these marks (the export and the navigation report read it)."""
    import pyarrow as pa

    con = warehouse.con.cursor()
    con.register("export_keys", pa.table({"app_key": keys}))
    return con.execute(EXPORT_SQL)


def export(warehouse: Warehouse, fmt: str, out: Path, keys: list[str]) -> int:
    """Marks (their keys) to an xlsx or csv file, one row each with Chinese and English headers; returns
    the row count. Text a spreadsheet would run as a formula is written as text."""
    from ipnav.store.cells import excel_row
    from ipnav.store.reads import XLSX_MAX_ROWS

    if fmt == "xlsx" and len(keys) > XLSX_MAX_ROWS:
        raise UsageError(f"{len(keys)} rows do not fit one Excel sheet ({XLSX_MAX_ROWS}); export csv")
    out.parent.mkdir(parents=True, exist_ok=True)
    cursor = export_cursor(warehouse, keys)
    header = [d[0] for d in cursor.description]
    if fmt == "csv":
        import csv

        with out.open("w", encoding="utf-8-sig", newline="") as handle:  # a BOM: Excel and WPS read UTF-8
            writer = csv.writer(handle)
            writer.writerow(header)
            while batch := cursor.fetchmany(5000):
                writer.writerows(
                    ["'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v for v in row]
                    for row in batch
                )
        return len(keys)
    if fmt != "xlsx":
        raise UsageError(f"unknown export format {fmt!r}: use xlsx or csv")
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("商标 trademarks")
    sheet.append(header)
    while batch := cursor.fetchmany(5000):
        for row in batch:
            sheet.append(excel_row(sheet, list(row)))
    book.save(out)
    return len(keys)


_MEDIA = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".bmp": "image/bmp"}


def image(warehouse: Warehouse, number: str) -> tuple[bytes, str] | None:
    """The mark's image when it is local (never fetched): embedded in the record (`data:` URI, IPONZ), a
    file the record names next to its source file, or in the source archive (TSDR's zip holds
    `markImage.jpg` beside the status file). None when there is none."""
    import base64
    import zipfile

    key = find_key(warehouse, number)
    row = warehouse.query(
        "SELECT t.image, t.number, d.source_file FROM trademarks t LEFT JOIN documents d USING (app_key) "
        "WHERE t.app_key = ? LIMIT 1", [key],
    )[0]  # fmt: skip
    named = str(row["image"] or "")
    if named.startswith("data:image/") and ";base64," in named:
        head, _, data = named.partition(";base64,")
        return base64.b64decode(data), head.removeprefix("data:")
    if named.startswith(("http:", "https:", "ftp:")):
        named = ""  # a remote image: ipnav runs offline
    source = str(row["source_file"] or "")
    archive, _, member = source.partition("!")
    wanted = [Path(named).name] if named else []
    wanted += [f"{''.join(c for c in row['number'] if c.isdigit())}{s}" for s in _MEDIA]
    if member and zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as zf:
            names = {Path(n).name.lower(): n for n in zf.namelist()}
            for name in [*wanted, "markimage.jpg", "markimage.png"]:
                if name.lower() in names and Path(name).suffix.lower() in _MEDIA:
                    return zf.read(names[name.lower()]), _MEDIA[Path(name).suffix.lower()]
        return None
    folder = Path(archive).parent if archive else None
    for name in wanted:
        candidate = folder / name if folder else None
        if candidate and candidate.suffix.lower() in _MEDIA and candidate.is_file():
            return candidate.read_bytes(), _MEDIA[candidate.suffix.lower()]
    return None
