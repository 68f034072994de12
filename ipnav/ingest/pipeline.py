"""Turn sources into records: sniff, split, parse, resolve regions.

`parse_source(source)` yields `Patent | Transaction | Reject` and never raises for
bad content: a broken record becomes a Reject with file, position, field and reason
and the rest of the file goes on. A file that is empty, truncated or of an unknown
type yields one file-level Reject (position 0).
"""

from __future__ import annotations

import json
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from ipnav.errors import RecordError
from ipnav.ingest import registry, table
from ipnav.ingest.sources import Source
from ipnav.ingest.xmlutil import local, parse_xml, strip_namespaces
from ipnav.model import Patent, Record, Reject, Transaction
from ipnav.normalize.region import resolve_addresses

Item = Record | Reject
_CHUNK = 8 << 20


def _xml_starts(buffer: bytes) -> list[int]:
    """Offsets of `<?xml` declarations that begin a line (bytes.find is much faster than a regex)."""
    starts: list[int] = []
    pos = buffer.find(b"<?xml")
    while pos >= 0:
        line_start = buffer.rfind(b"\n", 0, pos) + 1
        declaration = buffer[pos + 5 : pos + 6] in (b" ", b"?", b"\t", b"\r", b"\n")  # not <?xml-stylesheet
        if declaration and not buffer[line_start:pos].strip(b" \t\r\xef\xbb\xbf"):
            starts.append(pos)
        pos = buffer.find(b"<?xml", pos + 5)
    return starts


def stream_documents(stream: IO[bytes]) -> Iterator[tuple[int, int, bytes]]:
    """Split a stream of concatenated XML documents into (ordinal, line, bytes), memory bounded."""
    buffer = b""
    ordinal, line = 0, 1
    eof = False
    while not eof:
        chunk = stream.read(_CHUNK)
        eof = not chunk
        buffer += chunk
        starts = _xml_starts(buffer)
        if starts and not buffer[: starts[0]].strip(b"\r\n\t \xef\xbb\xbf"):
            starts = starts[1:]  # the buffer's own first document (after a BOM or blank lines)
        cuts = [s for s in starts if s > 0]
        begin = 0
        for cut in cuts:
            ordinal += 1
            doc = buffer[begin:cut]
            yield ordinal, line, doc
            line += doc.count(b"\n")
            begin = cut
        buffer = buffer[begin:]
    if buffer.strip(b"\r\n\t \xef\xbb\xbf\x00"):
        yield ordinal + 1, line, buffer


def parse_document(name: str, ordinal: int, line: int, data: bytes) -> list[Item]:
    """Parse one XML document into records, or one Reject saying why not."""
    try:
        root = parse_xml(data)
        root_name = local(root.tag)
        fmt = registry.xml_format_for_root(root_name)
        if fmt is None and root_name in registry.IGNORED_ROOTS:
            return []
        if fmt is None:
            raise RecordError("format", f"<{root_name}> is not a document type ipnav reads")
        if fmt.needs_plain_names:
            root = strip_namespaces(root)
        items: list[Item] = []
        for record in fmt.parse_element(root):
            record.source_file = name
            if not isinstance(record, Reject) and not record.source_position:
                record.source_position = ordinal  # one record per document: its ordinal in the file
            elif isinstance(record, Reject):
                record.position = record.position or ordinal
                record.line = record.line or line
            items.append(record)
        return items
    except RecordError as exc:
        reason = exc.reason
        if exc.field == "xml":
            opened = registry.sniff_root(data[:65536])
            if opened and f"</{opened}>".encode() not in data[-4096:] and not data.rstrip().endswith(b"/>"):
                reason = f"truncated document: no closing </{opened}> ({reason})"
        return [Reject(name, ordinal, exc.field, reason, data, line)]


def parse_source(source: Source, header_map: Path | None = None) -> Iterator[Item]:
    """Every record and reject of one source, in file order."""
    if source.problem:
        yield Reject(source.name, 0, "file", source.problem, b"")
        return
    try:
        yield from _parse_stream(source, header_map)
    except READ_ERRORS as exc:
        yield damaged(source, exc)


# a damaged archive member shows itself only while it is read
READ_ERRORS = (zipfile.BadZipFile, EOFError, zlib.error)


def damaged(source: Source, exc: BaseException) -> Reject:
    """The reject of a source that broke while being read."""
    return Reject(source.name, 0, "file", f"damaged archive member: {exc}", b"")


def _parse_stream(source: Source, header_map: Path | None) -> Iterator[Item]:
    with source.open() as stream:
        head = stream.read(65536)
        kind = registry.sniff(head)
        stream.seek(0)
        if kind == "empty":
            yield Reject(source.name, 0, "file", "file is empty", b"")
            return
        if kind.startswith("unknown:"):
            yield Reject(source.name, 0, "file", f"not a patent data file: {kind[8:]}", head[:4096])
            return
        if kind == "json":
            yield from with_regions(parse_json(stream, source.name))
            return
        if kind == "xml":
            root = registry.sniff_root(head)
            if root is not None and registry.xml_format_for_root(root) is None:
                yield Reject(source.name, 0, "file", f"XML root <{root}> is not a format ipnav reads", head[:4096])
                return
            for ordinal, line, doc in stream_documents(stream):
                yield from with_regions(parse_document(source.name, ordinal, line, doc))
            return
        yield from with_regions(table.parse_table(stream, source.name, kind, header_map))


def parse_json(stream: IO[bytes], name: str) -> Iterator[Item]:
    """Records of a JSON Lines file (or one JSON array of objects): the format is recognised from the first
    object; a line that is not JSON, or an object the format cannot read, is a Reject naming the line."""
    data = stream.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield Reject(name, 0, "file", f"JSON file is not UTF-8: {exc}", data[:4096])
        return
    try:  # one JSON document (an object or an array of objects), else JSON Lines
        whole = json.loads(text)
    except json.JSONDecodeError:
        lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    else:
        values = whole if isinstance(whole, list) else [whole]
        lines = [(0, json.dumps(v, ensure_ascii=False)) for v in values]
    fmt: registry.JsonFormat | None = None
    for position, (line, raw) in enumerate(lines, 1):
        try:
            value = json.loads(raw)
            if not isinstance(value, dict):
                raise RecordError("json", f"a JSON {type(value).__name__}, not an object")
        except json.JSONDecodeError as exc:
            yield Reject(name, position, "json", f"broken JSON: {exc.msg} (column {exc.colno})", raw.encode(), line)
            continue
        except RecordError as exc:
            yield Reject(name, position, exc.field, exc.reason, raw.encode(), line)
            continue
        fmt = fmt or registry.json_format_for(value)
        if fmt is None:
            keys = ", ".join(sorted(value)[:8])
            yield Reject(name, 0, "file", f"JSON objects ipnav does not read (keys: {keys})", data[:4096])
            return
        try:
            record = fmt.parse_record(value)
        except RecordError as exc:
            yield Reject(name, position, exc.field, exc.reason, raw.encode(), line)
            continue
        record.source_file, record.source_position = name, position
        yield record


def with_regions(items: Iterable[Item]) -> list[Item]:
    """Fill adcode and province/city/county for parties with a Chinese address (batched)."""
    items = list(items)
    targets = [  # parties of patents, owners of other kinds (trademarks ...)
        party
        for item in items
        if not isinstance(item, Reject | Transaction)
        for party in (item.parties if isinstance(item, Patent) else getattr(item, "owners", []))
        if party.address and (party.country in ("", "CN")) and not party.adcode
    ]
    if targets:
        for party, region in zip(targets, resolve_addresses([p.address for p in targets]), strict=True):
            party.adcode, party.province_name = region.adcode, region.province
            party.city_name, party.county_name = region.city, region.county
            if hasattr(party, "region_flag"):
                party.region_flag = region.flag
            if region.flag == "matched":
                party.country = "CN"
    return items
