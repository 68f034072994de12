"""The user's list of well-known marks (驰名商标), loaded like the award list: CSV or XLSX, one mark a row.

No register says which marks are well known: CNIPA and the courts recognise them case by case and the
regional offices keep the list. Columns (Chinese or English headers): 商标/商标名称 (mark), 注册号
(registration number, optional), 权利人/企业名称 (owner), 认定年份/认定时间 (year of recognition), and
optionally 类别 (class), 认定机关 (authority: 国家知识产权局, a court ...), 地区/所在地 (region).

A row's region is, in this order: its 地区 column; the owner's address on the mark with that registration
number in the warehouse; the address of the same owner (normalised name) on any mark in the warehouse; the
place its name begins with (南江县某某有限公司). Loading replaces the rows earlier loaded from a file of the
same name (idempotent); bad rows are reported with file, row and field and the good rows load all the same.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ipnav.errors import InputFileError, RecordError, UsageError
from ipnav.normalize import region as regions
from ipnav.normalize.names import canonical_name
from ipnav.normalize.region import resolve_addresses
from ipnav.normalize.text import fold_header
from ipnav.store.warehouse import Warehouse
from ipnav.value.awards import table_rows

HEADERS = {
    "mark": ("商标", "商标名称", "驰名商标", "mark", "trademark"),
    "number": ("注册号", "商标注册号", "registration number", "number"),
    "owner": ("权利人", "商标权人", "注册人", "企业名称", "商标所有人", "申请人", "owner", "company"),
    "year": ("认定年份", "认定时间", "认定日期", "年份", "年度", "year"),
    "class_no": ("类别", "国际分类", "核定类别", "class"),
    "authority": ("认定机关", "认定方式", "认定部门", "authority"),
    "region": ("地区", "所在地", "所属地区", "行政区划", "region"),
}
REQUIRED = ("owner", "year")

# the region of each row, by the first of these that gives one (see the module's docstring)
ATTRIBUTED_SQL = """
SELECT w.*, coalesce(nullif(w.adcode, ''), m.owner_adcode, o.adcode, nullif(w.name_adcode, '')) AS region_code,
       CASE WHEN coalesce(w.adcode, '') <> '' THEN 'list' WHEN m.owner_adcode IS NOT NULL THEN 'mark'
            WHEN o.adcode IS NOT NULL THEN 'owner' WHEN coalesce(w.name_adcode, '') <> '' THEN 'name'
            ELSE '' END AS region_basis
FROM well_known_marks w
LEFT JOIN (SELECT ltrim(substr(registration_number, 3), '0') AS reg, any_value(owner_adcode) AS owner_adcode
           FROM trademarks WHERE office = 'CN' AND coalesce(owner_adcode, '') <> '' GROUP BY 1) m
       ON w.number <> '' AND m.reg = ltrim(w.number, '0')
LEFT JOIN (SELECT entity, mode(adcode) AS adcode FROM tm_parties
           WHERE role = 'owner' AND coalesce(adcode, '') <> '' GROUP BY 1) o ON o.entity = w.entity
"""


def load(warehouse: Warehouse, path: Path) -> dict[str, Any]:
    """Load a well-known mark list; returns counts and the problems found (file, row, field, reason)."""
    if not path.is_file():
        raise InputFileError(str(path), "no such file")
    rows = table_rows(path)
    if not rows:
        raise InputFileError(str(path), "empty file")
    wanted = {fold_header(h): field for field, names in HEADERS.items() for h in names}
    columns = {wanted[fold_header(h)]: i for i, h in enumerate(rows[0]) if fold_header(h) in wanted}
    missing = [f for f in REQUIRED if f not in columns] + ([] if {"mark", "number"} & set(columns) else ["mark"])
    if missing:
        raise InputFileError(
            str(path), f"header row lacks {', '.join(missing)} (expected columns like 商标, 注册号, 权利人, 认定年份)"
        )
    good: list[dict[str, Any]] = []
    problems: list[dict[str, Any]] = []
    for row_no, cells in enumerate(rows[1:], 2):
        if not any(c.strip() for c in cells):
            continue
        values = {f: (cells[i].strip() if i < len(cells) else "") for f, i in columns.items()}
        try:
            good.append(_row(values, path.name, row_no))
        except RecordError as exc:
            problems.append({"file": str(path), "row": row_no, "field": exc.field, "reason": exc.reason})
    named = resolve_addresses([r["owner"] for r in good])  # the place an owner's name begins with
    for row, place in zip(good, named, strict=True):
        row["name_adcode"] = place.adcode if place.flag == "matched" else ""
    con = warehouse.con
    con.execute("BEGIN")
    con.execute("DELETE FROM well_known_marks WHERE source_file = ?", [path.name])
    if good:
        names = list(good[0])
        con.executemany(
            f"INSERT INTO well_known_marks ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
            [[r[n] for n in names] for r in good],
        )
    con.execute("COMMIT")
    placed = warehouse.query(
        f"SELECT count(*) AS n FROM ({ATTRIBUTED_SQL}) WHERE source_file = ? AND region_code IS NOT NULL",
        [path.name],
    )[0]["n"]
    return {"file": str(path), "loaded": len(good), "placed": int(placed), "problems": problems}


def _row(values: dict[str, str], source: str, row_no: int) -> dict[str, Any]:
    owner = " ".join(values.get("owner", "").split())
    if not owner:
        raise RecordError("owner", "missing")
    mark, number = values.get("mark", "").strip(), re.sub(r"\D", "", values.get("number", ""))
    if not mark and not number:
        raise RecordError("mark", "neither the mark nor its registration number")
    year = re.match(r"^\s*(\d{4})", values.get("year", ""))
    if not year or not 1980 <= int(year.group(1)) <= 2100:
        raise RecordError("year", f"{values.get('year', '')!r} is not a year")
    class_text = values.get("class_no", "").removeprefix("第").removesuffix("类").strip()
    if class_text and (not class_text.isdigit() or not 1 <= int(class_text) <= 45):
        raise RecordError("class_no", f"{values['class_no']!r} is not a Nice class")
    adcode = ""
    if values.get("region", "").strip():
        try:
            adcode = regions.resolve(values["region"].strip()).code
        except UsageError:
            raise RecordError("region", f"{values['region']!r} is not a Chinese region") from None
    return {
        "mark": mark, "number": number, "owner": owner, "entity": canonical_name(owner), "year": int(year.group(1)),
        "class_no": int(class_text) if class_text else None, "authority": values.get("authority", ""),
        "adcode": adcode, "source_file": source, "row_no": row_no,
    }  # fmt: skip


def listing(warehouse: Warehouse) -> list[dict[str, Any]]:
    """The loaded well-known marks with the region each is counted in and why."""
    from ipnav.store.reads import plain

    rows = warehouse.query(
        f"SELECT mark, number, owner, year, class_no, authority, region_code AS adcode, region_basis, source_file, "
        f"row_no FROM ({ATTRIBUTED_SQL}) ORDER BY year, owner, mark"
    )
    return [plain(r) for r in rows]


def famous_words(warehouse: Warehouse) -> frozenset[str]:
    """The folded words of the loaded well-known marks (similarity treats a well-known Chinese mark as
    alike to its pinyin)."""
    from ipnav.normalize.text import fold

    rows = warehouse.con.execute("SELECT DISTINCT mark FROM well_known_marks WHERE coalesce(mark, '') <> ''")
    return frozenset(fold(m).replace(" ", "") for (m,) in rows.fetchall())
