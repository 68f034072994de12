"""Per-document preparation for the warehouse, done where the record was parsed.

Serialising, hashing and deriving the rows of a document are pure and run in the
parser worker processes, so the process that owns the warehouse only writes.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass

import orjson

from ipnav.model import Patent, Record, Transaction
from ipnav.store.codec import load_document, pack
from ipnav.store.rows import Columns, patent_columns


@dataclass(slots=True)
class Prepared:
    """A document ready to store. It carries no record object: sending the full record back from a
    worker costs more than the parse; `record()` decodes it again when a merge needs it."""

    doc_key: str
    app_key: str
    kind: str  # "patent" | "transaction" | another record kind (ipnav.kinds): "trademark" ...
    digest: str  # content hash: body + description, leaving out where it was read from
    body: bytes  # the record as JSON without description and source location, zstd-compressed
    description: bytes  # zstd-compressed
    size: int  # uncompressed bytes, for batching
    columns: Columns | None  # derived rows of this document standing alone (patents only)
    source_file: str
    source_position: int
    source_format: str
    version: str = ""  # how current the record is (a trademark's status date); the newer of two wins

    def record(self) -> Record:
        """The record this prepared row was made from."""
        return load_document(self.body, self.description, self.source_file, self.source_position)


def prepare(record: Record, *, with_rows: bool = True) -> Prepared:
    """Serialise and hash one record; for a patent also derive its rows as if it stood alone."""
    description = record.description if isinstance(record, Patent) else ""
    stripped = dataclasses.replace(record, source_file="", source_position=0)
    if isinstance(stripped, Patent):
        stripped.description = ""
    body = orjson.dumps(stripped)
    text = description.encode("utf-8")
    digest = hashlib.blake2b(body + text, digest_size=16).hexdigest()
    is_patent = isinstance(record, Patent)
    kind = (
        "patent"
        if is_patent
        else "transaction"
        if isinstance(record, Transaction)
        else str(
            getattr(record, "record_kind")  # noqa: B009  (a kind of its own package: trademark, ...)
        )
    )
    columns: Columns | None = None
    if with_rows and is_patent:
        columns = patent_columns([record], {}, {})  # type: ignore[list-item]
    elif with_rows and kind != "transaction":  # another kind derives its own rows
        columns = record.columns()  # type: ignore[union-attr]
    return Prepared(
        doc_key=record.doc_key,
        app_key=record.app_key if kind != "transaction" else record.doc_key,  # type: ignore[union-attr]
        kind=kind,
        digest=digest,
        body=pack(body),
        description=pack(text),
        size=len(body) + len(text),
        columns=columns,
        source_file=record.source_file,
        source_position=record.source_position,
        source_format=record.source_format,
        version=str(getattr(record, "version", "")),
    )
