"""Write a warehouse as a lake: each table through DuckDB's partitioned COPY into a fresh folder that replaces
the old one only when complete, then the manifest (rows and content hashes read back from the files)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from ipnav.lake.layout import KEYS_SQL, PARTITION_NAMES, PARTITIONS, content_hash_sql, plan, write_manifest


def warehouse_tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    """Every table of the warehouse (not temporary ones) with its columns and their DuckDB types."""
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal "
        "AND table_name IN (SELECT table_name FROM duckdb_tables() WHERE NOT temporary "
        "AND database_name = current_database()) ORDER BY table_name, column_index"
    ).fetchall()
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in rows:
        tables.setdefault(table, []).append((column, kind))
    return tables


def warehouse_stamp(con: duckdb.DuckDBPyConnection) -> str:
    """What the warehouse's content is at: its ingest runs, documents and stored flags and scores (a lake
    written at another stamp is behind it)."""
    runs, docs = con.execute(
        "SELECT (SELECT max(run_id) FROM ingest_runs), (SELECT count(*) FROM documents)"
    ).fetchone()  # type: ignore[misc]
    meta = con.execute("SELECT string_agg(key || '=' || value, ';' ORDER BY key) FROM meta").fetchone()[0]  # type: ignore[index]
    edits = con.execute(
        "SELECT (SELECT count(*) FROM topic_members), (SELECT count(*) FROM plan_records), "
        "(SELECT count(*) FROM awards), (SELECT max(logged_at) FROM topic_log)"
    ).fetchone()
    return f"runs={runs};documents={docs};{meta};edits={edits}"


def export_lake(
    con: duckdb.DuckDBPyConnection,
    lake: Path,
    *,
    source: str,
    stamp: str = "",
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, Any]:
    """Write every table of the warehouse on `con` under `lake`; returns the manifest. Re-running replaces
    each table whole, so an interrupted export leaves the previous tables and no new manifest."""
    started = time.perf_counter()
    lake.mkdir(parents=True, exist_ok=True)
    tables = warehouse_tables(con)
    con.execute(f"CREATE OR REPLACE TEMP TABLE _lake_keys AS {KEYS_SQL}")  # the warehouse DDL makes all three
    described: dict[str, dict[str, Any]] = {}
    try:
        for done, (name, columns) in enumerate(sorted(tables.items())):
            if progress:
                progress(name, done, len(tables))
            select = plan(name, [c for c, _ in columns]).select
            described[name] = _write_table(con, lake, name, columns, select)
    finally:
        con.execute("DROP TABLE IF EXISTS _lake_keys")
    if progress:
        progress("manifest", len(tables), len(tables))
    manifest = write_manifest(lake, described, written_by=f"duckdb {duckdb.__version__}", source=source, stamp=stamp)
    manifest["seconds"] = round(time.perf_counter() - started, 2)
    return manifest


def _write_table(
    con: duckdb.DuckDBPyConnection, lake: Path, name: str, columns: list[tuple[str, str]], select: str
) -> dict[str, Any]:
    """One table into `lake/name`, by way of a temporary folder; its manifest entry."""
    target = lake / name
    scratch = lake / f".{name}.writing"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    rows = con.execute(f"SELECT count(*) FROM ({select})").fetchone()[0]  # type: ignore[index]
    if rows:
        con.execute(
            f"COPY ({select}) TO '{_sql_path(scratch)}' "
            f"(FORMAT PARQUET, PARTITION_BY ({', '.join(PARTITION_NAMES)}), COMPRESSION zstd, "
            "FILENAME_PATTERN 'part_{i}')"
        )
    else:  # an empty table is one empty file, so both engines still learn its columns
        empty = scratch / "part_kind=none" / "part_office=_" / "part_year=0"
        empty.mkdir(parents=True)
        con.execute(
            f"COPY (SELECT * EXCLUDE ({', '.join(PARTITION_NAMES)}) FROM ({select}) LIMIT 0) "
            f"TO '{_sql_path(empty / 'part_0.parquet')}' (FORMAT PARQUET)"
        )
    shutil.rmtree(target, ignore_errors=True)
    scratch.rename(target)
    return describe_table(con, lake, name, columns)


def describe_table(
    con: duckdb.DuckDBPyConnection, lake: Path, name: str, columns: list[tuple[str, str]]
) -> dict[str, Any]:
    """A table's manifest entry from its files as written: columns, rows, partitions, content hash."""
    source = parquet_source(lake, name)
    count, digest = con.execute(content_hash_sql(source, [c for c, _ in columns])).fetchone()  # type: ignore[misc]
    partitions = sum(1 for p in (lake / name).rglob("part_year=*") if p.is_dir())
    return {
        "columns": [[c, t] for c, t in columns],
        "rows": int(count),
        "partitions": partitions,
        "hash": f"{int(digest):016x}",
    }


def parquet_source(lake: Path, name: str) -> str:
    """DuckDB's reading of one lake table in place, partition types declared."""
    types = ", ".join(f"'{n}': '{t}'" for n, t, _ in PARTITIONS)
    return (
        f"read_parquet('{_sql_path(lake / name)}/**/*.parquet', hive_partitioning = true, "
        f"hive_types = {{{types}}}, union_by_name = true)"
    )


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
