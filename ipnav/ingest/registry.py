"""The one registry of source formats, and format sniffing from content.

XML formats register the root element names they read; `sniff` looks at the first
bytes of a file, never only at its name. Tables (CSV, XLSX, SQL dumps) are recognised
by their magic bytes or shape, and their layout by the header row: a `TableFormat`
names the headers that identify it (`register_table`); a table no registered layout
claims is read by the generic patent table (`ipnav.ingest.table`), whose header map
users can extend. docs/architecture.md shows how to add a format.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from lxml import etree


@dataclass(frozen=True)
class XmlFormat:
    """An XML format: the root elements it reads and the parser of one document."""

    name: str
    roots: tuple[str, ...]
    parse_element: Callable[[etree._Element], Iterator[Any]]  # records of its kind, and Rejects
    needs_plain_names: bool = False  # strip namespaces before parsing
    kind: str = "patent"  # the record kind it yields (ipnav.kinds)
    record_tag: str = ""  # a document of many records (a gazette): the record element, so ingest can split it


def _xml_formats() -> list[XmlFormat]:
    from ipnav.ingest import (
        cnipa_new,
        cnipa_old,
        ep_pubserver,
        exchange,
        st96,
        uspto_assignment,
        uspto_pap,
        uspto_v4,
        uspto_v25,
    )

    modules: list[tuple[ModuleType, bool]] = [
        (uspto_v4, False),
        (uspto_v25, False),
        (uspto_pap, False),
        (uspto_assignment, False),
        (cnipa_old, False),
        (cnipa_new, True),
        (ep_pubserver, False),
        (exchange, True),
        (st96, True),
    ]
    patent = [
        XmlFormat(m.FORMAT, tuple(m.ROOTS), m.parse_element, plain, getattr(m, "RECORD_KIND", "patent"))
        for m, plain in modules
    ]
    import importlib  # other record kinds' formats: their packages import this one, not the other way

    return patent + [f for name in KIND_FORMAT_MODULES for f in importlib.import_module(name).XML_FORMATS]


KIND_FORMAT_MODULES = (
    "ipnav.trademarks.formats",
    "ipnav.registers.formats",
)  # modules of other kinds listing their XML_FORMATS


@dataclass(frozen=True)
class JsonFormat:
    """A JSON format (JSON Lines, or one array of objects): how one object is recognised and read."""

    name: str
    recognise: Callable[[dict[str, Any]], bool]
    parse_record: Callable[[dict[str, Any]], Any]  # one record of its kind; RecordError when bad
    kind: str = "patent"


def json_formats() -> list[JsonFormat]:
    """Every JSON format (listed by the modules of KIND_FORMAT_MODULES as JSON_FORMATS)."""
    import importlib

    return [f for name in KIND_FORMAT_MODULES for f in getattr(importlib.import_module(name), "JSON_FORMATS", [])]


def json_format_for(record: dict[str, Any]) -> JsonFormat | None:
    """The JSON format that reads objects like this one."""
    return next((f for f in json_formats() if f.recognise(record)), None)


_BY_ROOT: dict[str, XmlFormat] = {}


@dataclass(frozen=True)
class TableFormat:
    """A table layout recognised by its header row.

    `headers` maps each field to the header spellings that name it (compared folded: width, case,
    brackets); the layout is chosen when the headers of every field in `signature` are present.
    `records(values, extra)` turns one row (field -> text, and the unmapped columns) into records and
    raises `RecordError` naming the field of a bad value; the row becomes a reject, the file goes on.
    """

    name: str  # recorded as each record's source_format
    kind: str  # the record kind it yields (ipnav.kinds)
    headers: dict[str, tuple[str, ...]]
    signature: tuple[str, ...]
    records: Callable[[dict[str, str], dict[str, str]], Iterator[Any]]  # records of its kind
    refuse: tuple[str, ...] = ()  # headers of another layout: a row with any of them is not this layout's

    def fields(self, cells: list[str]) -> list[str | None] | None:
        """The field of each header cell when this layout claims the header row, else None."""
        from ipnav.normalize.text import fold_header

        spellings = {fold_header(h): field for field, names in self.headers.items() for h in names}
        folded = [fold_header(c.split("\x1f")[0]) for c in cells]
        if self.refuse and {fold_header(r) for r in self.refuse} & set(folded):
            return None
        fields = [spellings.get(f) for f in folded]
        return fields if set(self.signature) <= set(fields) else None


_TABLES: list[TableFormat] = []
TABLE_MODULES = (
    "ipnav.ingest.google_patents",
    "ipnav.trademarks.cn_table",
    "ipnav.registers.formats",
)  # modules registering layouts


def register_table(layout: TableFormat) -> TableFormat:
    """Add a table layout (a module calls this at import; list the module in TABLE_MODULES)."""
    if any(t.name == layout.name for t in _TABLES):
        raise ValueError(f"table format {layout.name!r} is registered twice")
    _TABLES.append(layout)
    return layout


def table_formats() -> list[TableFormat]:
    """Every registered table layout, in registration order."""
    import importlib

    for module in TABLE_MODULES:
        importlib.import_module(module)
    return list(_TABLES)


def table_format_for(cells: list[str]) -> tuple[TableFormat, list[str | None]] | None:
    """The registered layout that claims a header row, with the field of each cell."""
    for layout in table_formats():
        fields = layout.fields(cells)
        if fields is not None:
            return layout, fields
    return None


GENERIC_TABLES = {
    "csv": "CSV",
    "xlsx": "Excel (.xlsx)",
    "xls": "old Excel (.xls, BIFF)",
    "sql_dump": "MySQL dump (INSERT INTO)",
}


def formats() -> list[dict[str, str]]:
    """Every format ipnav reads: its name, the record kind it yields, and how a file is recognised."""
    out = [
        {"name": f.name, "record_kind": f.kind, "recognised_by": "XML root " + ", ".join(f"<{r}>" for r in f.roots)}
        for f in _xml_formats()
    ]
    out += [
        {"name": t.name, "record_kind": t.kind,
         "recognised_by": "table headers " + ", ".join(t.headers[f][0] for f in t.signature)}
        for t in table_formats()
    ]  # fmt: skip
    out += [
        {"name": f.name, "record_kind": f.kind, "recognised_by": "JSON objects (one per line)"} for f in json_formats()
    ]
    out += [
        {"name": name, "record_kind": "patent", "recognised_by": f"{what} with known patent headers (--header-map)"}
        for name, what in GENERIC_TABLES.items()
    ]
    return out


def xml_format_for_root(root_name: str) -> XmlFormat | None:
    """The XML format that reads documents with this root element."""
    if not _BY_ROOT:
        for fmt in _xml_formats():
            for root in fmt.roots:
                _BY_ROOT[root] = fmt
    return _BY_ROOT.get(root_name)


# Documents that ride along in weekly files but are not patent records (sequence listings).
IGNORED_ROOTS = frozenset({"sequence-cwu"})


def known_roots() -> list[str]:
    """Every XML root element ipnav reads."""
    xml_format_for_root("")
    return sorted(_BY_ROOT)


_ROOT_RE = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)[\s>/]")


def sniff_root(head: bytes) -> str | None:
    """Local name of the first element in an XML prefix, skipping declarations, PIs, comments, DOCTYPE."""
    text = re.sub(rb"<\?.*?\?>|<!--.*?-->", b"", head, flags=re.S)
    text = re.sub(rb"<!DOCTYPE[^\[>]*(\[.*?\])?\s*>", b"", text, flags=re.S)
    match = _ROOT_RE.search(text)
    return match.group(2).decode("ascii", "replace") if match else None


def sniff(head: bytes) -> str:
    """Kind of a file from its first bytes: 'zip', 'xls', 'xml', 'sql', 'json', 'csv', or 'unknown:<what>'."""
    if not head.strip():
        return "empty"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: old Excel (BIFF), or a Word .doc the reader refuses
        return "xls"
    magic = {
        b"%PDF": "PDF document",
        b"\x89PNG": "PNG image",
        b"\xff\xd8\xff": "JPEG image",
        b"GIF8": "GIF image",
        b"\x1f\x8b": "gzip archive",
        b"Rar!": "RAR archive",
        b"7z\xbc\xaf": "7-Zip archive",
    }
    for prefix, what in magic.items():
        if head.startswith(prefix):
            return f"unknown:{what}"
    body = head.lstrip(b"\xef\xbb\xbf \r\n\t")
    if body.startswith(b"<"):
        return "xml"
    if b"INSERT INTO" in head or body.startswith((b"-- MySQL dump", b"/*!", b"-- ", b"CREATE TABLE")):
        return "sql"
    if body.startswith((b"{", b"[")):
        return "json"
    if body.startswith((b"HHHHHT", b"PATN")) or b"\nPATN" in head[:2000]:
        return "unknown:USPTO APS/Green Book text, which ipnav does not read yet"
    if b"*** BRS DOCUMENT BOUNDARY ***" in head:
        return "unknown:USPTO BRS tagged text, which ipnav does not read yet"
    if _binary(head):
        return "unknown:binary data"
    return "csv"


_TEXT_BYTES = bytes([9, 10, 12, 13, 27, *range(32, 256)])


def _binary(head: bytes) -> bool:
    """Binary by proportion: over 10% control bytes in the first 8 KB (a stray NUL in a row is not enough)."""
    sample = head[:8192]
    return len(sample.translate(None, _TEXT_BYTES)) * 10 > len(sample)
