"""A lake read in place by DuckDB: a read-only warehouse whose tables are views over the Parquet files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from ipnav.lake.export import parquet_source
from ipnav.lake.layout import PARTITION_NAMES, read_manifest
from ipnav.store.warehouse import Warehouse


def open_lake(lake: Path) -> Warehouse:
    """The lake as a read-only warehouse: every table of its manifest a view over its files (the
    partition columns left out, so the analyses see the warehouse's own columns)."""
    manifest = read_manifest(lake)
    con = duckdb.connect()
    for name in manifest["tables"]:
        con.execute(
            f'CREATE VIEW "{name}" AS SELECT * EXCLUDE ({", ".join(PARTITION_NAMES)}) FROM {parquet_source(lake, name)}'
        )
    wh = Warehouse.cursor_of(con, lake, read_only=True)
    wh.lake = manifest  # type: ignore[attr-defined]
    return wh


def lake_summary(lake: Path) -> dict[str, Any]:
    """What a lake holds: its manifest without the column lists."""
    manifest = read_manifest(lake)
    tables = {name: {k: v for k, v in t.items() if k != "columns"} for name, t in manifest["tables"].items()}
    return {**{k: v for k, v in manifest.items() if k != "tables"}, "path": str(lake), "tables": tables}
