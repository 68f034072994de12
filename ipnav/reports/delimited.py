"""CSV rendering of a document's table: UTF-8, quoted, every cell made safe for spreadsheets."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from ipnav.reports.document import Document
from ipnav.store.cells import csv_value


def write(document: Document, out: Path, font: Path | None = None) -> Path:
    """The document's table as CSV (no formula can start a cell: see `ipnav.store.cells`)."""
    assert document.table is not None
    table = document.table()
    safe = {name: [csv_value(v) for v in table.column(name).to_pylist()] for name in table.column_names}
    pacsv.write_csv(pa.table(safe, schema=table.schema), out)
    return out
