"""The user's award list (中国专利奖, 国家科学技术奖): CSV or XLSX of number, award, year.

Headers may be Chinese or English (专利号/申请号/公开号/number, 奖项/奖励/award, 年份/年度/year).
Loading replaces the rows earlier loaded from a file of the same name, so re-loading is idempotent.
Rows with a bad number or year are returned as problems naming the file, row and field; the good
rows are loaded all the same.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ipnav.errors import InputFileError, RecordError
from ipnav.normalize.numbers import bare_number_sql, split_number_variants
from ipnav.normalize.text import fold_header
from ipnav.store.warehouse import Warehouse

_HEADERS = {
    "number": ("专利号", "申请号", "公开号", "公告号", "授权公告号", "number", "patent number", "application number"),
    "award": ("奖项", "奖励", "奖项名称", "获奖等级", "award", "prize"),
    "year": ("年份", "年度", "获奖年度", "届次年份", "year"),
}


@dataclass(frozen=True)
class AwardProblem:
    """A bad row of an award list: file, row, field and reason."""

    file: str
    row: int
    field: str
    reason: str


def table_rows(path: Path) -> list[list[str]]:
    """The cells of a small CSV (UTF-8 or GB18030) or XLSX list, row by row, as text."""
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04":
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        return [["" if v is None else str(v) for v in row] for row in book.active.iter_rows(values_only=True)]
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputFileError(str(path), "neither UTF-8 nor GB18030 text")
    return list(csv.reader(io.StringIO(text)))


def load(warehouse: Warehouse, path: Path) -> dict[str, Any]:
    """Load an award list; returns counts and the problems found."""
    if not path.is_file():
        raise InputFileError(str(path), "no such file")
    rows = table_rows(path)
    wanted = {fold_header(h): field for field, names in _HEADERS.items() for h in names}
    if not rows:
        raise InputFileError(str(path), "empty file")
    columns = {wanted.get(fold_header(h)): i for i, h in enumerate(rows[0]) if wanted.get(fold_header(h))}
    missing = [f for f in _HEADERS if f not in columns]
    if missing:
        raise InputFileError(
            str(path),
            f"header row lacks {', '.join(missing)} (expected columns like 专利号, 奖项, 年份 / number, award, year)",
        )
    good: list[tuple[Any, ...]] = []
    problems: list[AwardProblem] = []
    for row_no, cells in enumerate(rows[1:], 2):
        if not any(c.strip() for c in cells):
            continue
        values = {f: (cells[i].strip() if i < len(cells) else "") for f, i in columns.items() if f}
        try:
            variants = split_number_variants(values["number"]) if values["number"] else []
            if not variants:
                raise RecordError("number", f"{values['number']!r} is not a patent number")
            if not values["award"]:
                raise RecordError("award", "missing")
            year = re.match(r"^(\d{4})", values["year"])
            if not year:
                raise RecordError("year", f"{values['year']!r} is not a year")
            good.append((values["number"], " ".join(variants), values["award"], int(year.group(1)), path.name, row_no))
        except RecordError as exc:
            problems.append(AwardProblem(str(path), row_no, exc.field, exc.reason))
    con = warehouse.con
    con.execute("BEGIN")
    con.execute("DELETE FROM awards WHERE source_file = ?", [path.name])
    if good:
        con.executemany("INSERT INTO awards VALUES (?, ?, ?, ?, ?, ?)", good)
    con.execute("COMMIT")
    matched = con.execute(
        "SELECT count(DISTINCT row_no) FROM (SELECT row_no, unnest(string_split(key, ' ')) AS k FROM awards "
        "WHERE source_file = ?) WHERE k IN (SELECT app_key FROM patents) "
        f"OR k IN (SELECT {bare_number_sql()} FROM publications)",
        [path.name],
    ).fetchall()
    return {
        "file": str(path),
        "loaded": len(good),
        "in_warehouse": int(matched[0][0]) if matched else 0,
        "problems": [p.__dict__ for p in problems],
    }


def listing(warehouse: Warehouse) -> list[dict[str, Any]]:
    """The loaded awards, by number."""
    return warehouse.query("SELECT number, key, award, year, source_file, row_no FROM awards ORDER BY year, number")
