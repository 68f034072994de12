"""Reading table files into rows: CSV (UTF-8, UTF-8-BOM, GB18030/GBK, the delimiter seen in the header),
Excel workbooks (.xlsx and old BIFF .xls, every visible sheet) and MySQL dumps (`INSERT ... VALUES`).
`ipnav.ingest.table` turns the rows into records."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from ipnav.errors import RecordError

Row = tuple[int, list[str]]  # (line or row number, cells)
SHEET = "\x00sheet"  # first cell of the row that starts another sheet of a workbook: (0, [SHEET, name])
UNDECODABLE = re.compile(r"[\udc80-\udcff]")  # bytes neither UTF-8 nor GB18030 decode, kept as surrogates


def table_rows(data: bytes, name: str, kind: str) -> tuple[Iterator[Row], str]:
    """The rows of a table file and its format (csv, xlsx, xls, sql_dump); RecordError for a file that
    cannot be read as a table at all."""
    if kind == "zip":  # an .xlsx handed over as a stream
        kind = "xlsx"
    if kind in ("xlsx", "xls") or data[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"):
        return _xlsx_rows(data, name), "xls" if data[:4] == b"\xd0\xcf\x11\xe0" else "xlsx"
    if kind == "sql":
        return _sql_rows(data), "sql_dump"
    return _csv_rows(data), "csv"


def _decode(data: bytes) -> str:
    """Text of a table file: UTF-8 (with or without BOM) or GB18030, decided for the whole file.

    A UTF-8 file with a few damaged bytes stays UTF-8 (only the rows holding them are rejected)
    rather than being read as GB18030, which decodes almost any bytes into the wrong characters.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8-sig", errors="surrogateescape")
    bad = len(UNDECODABLE.findall(text))
    if bad * 20 <= len(text) - len(text.encode("ascii", "ignore")) - bad:  # against the well-formed non-ASCII
        return text  # overwhelmingly UTF-8
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        return text  # mixed or damaged bytes, kept visible as surrogates: rows holding them are rejected


def _csv_rows(data: bytes) -> Iterator[Row]:
    text = _decode(data)
    first_line = text[:4096].split("\n", 1)[0]
    delimiter = max(",\t;|", key=first_line.count)  # exports use one delimiter, seen in the header
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as exc:
        raise RecordError("csv", f"malformed CSV at line {reader.line_num}: {exc}") from None


def _xlsx_rows(data: bytes, name: str) -> Iterator[Row]:
    """Every visible sheet of a workbook; each sheet after the first is announced by a `SHEET` row
    (`(0, [SHEET, sheet name])`), its rows numbered from 1 again."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [m.name for m in book.sheets_metadata if str(m.visible).endswith("Visible")] or book.sheet_names[:1]
        first = book.get_sheet_by_name(sheets[0]).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for damaged workbooks
        raise RecordError("file", f"not a readable Excel workbook ({exc}); an old Word .doc is not a table") from None
    for number, cells in enumerate(first, 1):
        yield number, [_cell(c) for c in cells]
    for sheet in sheets[1:]:
        try:
            values = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except Exception:
            continue
        yield 0, [SHEET, sheet]
        for number, cells in enumerate(values, 1):
            yield number, [_cell(c) for c in cells]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value)


_CREATE_RE = re.compile(r"CREATE TABLE\s+`?(\w+)`?\s*\((.*?)\)\s*(?:ENGINE|;)", re.S | re.I)
_COLUMN_RE = re.compile(r"^\s*`([^`]+)`\s+[^,]*?(?:COMMENT\s+'((?:[^'\\]|\\.)*)')?\s*,?\s*$", re.I)
_INSERT_RE = re.compile(r"INSERT INTO\s+`?(\w+)`?\s*(\([^)]*\))?\s*VALUES\s*", re.I)


def _sql_rows(data: bytes) -> Iterator[Row]:
    """Rows of a MySQL dump: header from CREATE TABLE (column COMMENT used when it maps better)."""
    text = _decode(data)
    columns: dict[str, list[str]] = {}
    for table, body in _CREATE_RE.findall(text):
        cols = []
        for line in body.splitlines():
            match = _COLUMN_RE.match(line)
            if match:
                cols.append(f"{match.group(1)}\x1f{match.group(2) or ''}")
        columns[table] = cols
    header_done = False
    for match in _INSERT_RE.finditer(text):
        table, explicit = match.group(1), match.group(2)
        header = [c.strip(" `") for c in explicit.strip("()").split(",")] if explicit else columns.get(table, [])
        if not header_done:
            header_done = True
            yield 0, header
        line = text.count("\n", 0, match.start()) + 1
        for ordinal, values in enumerate(_sql_tuples(text, match.end()), 1):
            yield line * 100000 + ordinal, values


def _sql_tuples(text: str, pos: int) -> Iterator[list[str]]:
    """Parse `(v, 'x', NULL),(...);` starting at pos."""
    n = len(text)
    while pos < n:
        while pos < n and text[pos] in " \r\n\t,":
            pos += 1
        if pos >= n or text[pos] != "(":
            return
        pos += 1
        values: list[str] = []
        while True:
            while text[pos] in " \r\n\t":
                pos += 1
            if text[pos] == "'":
                pos += 1
                chunk = []
                while True:
                    char = text[pos]
                    if char == "\\":
                        chunk.append({"n": "\n", "t": "\t", "r": "\r", "0": "\0"}.get(text[pos + 1], text[pos + 1]))
                        pos += 2
                    elif char == "'" and text[pos + 1] == "'":
                        chunk.append("'")
                        pos += 2
                    elif char == "'":
                        pos += 1
                        break
                    else:
                        chunk.append(char)
                        pos += 1
                values.append("".join(chunk))
            else:
                end = pos
                while text[end] not in ",)":
                    end += 1
                token = text[pos:end].strip()
                values.append("" if token.upper() == "NULL" else token)
                pos = end
            while text[pos] in " \r\n\t":
                pos += 1
            if text[pos] == ",":
                pos += 1
                continue
            if text[pos] == ")":
                pos += 1
                break
        yield values
