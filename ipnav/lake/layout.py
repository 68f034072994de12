"""How the lake is cut and described: three partition columns on every table, their types declared (Spark
and DuckDB infer Hive partition types differently: `part_year=0042` is a string to one and an integer to
the other), never null (Spark writes a null as `__HIVE_DEFAULT_PARTITION__`, DuckDB as `NULL`), and a
manifest naming each table's columns, rows and a content hash that does not depend on who wrote it."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ipnav.errors import UsageError

LAKE_VERSION = 1
MANIFEST = "manifest.json"
# name -> (DuckDB type, Spark type); the order is the directory order: kind/office/year
PARTITIONS: tuple[tuple[str, str, str], ...] = (
    ("part_kind", "VARCHAR", "string"),
    ("part_office", "VARCHAR", "string"),
    ("part_year", "INTEGER", "int"),
)
PARTITION_NAMES = tuple(name for name, _, _ in PARTITIONS)
NO_OFFICE = "_"  # an application whose office is not known, and tables that are not per application
NO_YEAR = 0

# The office and filing year of every record, by the table that owns its key (others join it by app_key).
KEYS_SQL = f"""
SELECT app_key, 'patent' AS part_kind, coalesce(nullif(country, ''), '{NO_OFFICE}') AS part_office,
       coalesce(filing_year, {NO_YEAR}) AS part_year FROM patents
UNION ALL
SELECT app_key, 'trademark', coalesce(nullif(office, ''), '{NO_OFFICE}'),
       coalesce(CAST(year(filing_date) AS INTEGER), {NO_YEAR}) FROM trademarks
UNION ALL
SELECT app_key, 'register', 'CN', coalesce(year, CAST(year(date) AS INTEGER), {NO_YEAR}) FROM registers
"""


@dataclass(frozen=True)
class TablePlan:
    """How one table is written: the select that adds its partition columns (DuckDB SQL over the
    warehouse, with the keys table `_lake_keys` at hand)."""

    name: str
    select: str


def table_kind(name: str) -> str:
    """The partition kind of a table that is not per application."""
    if name.startswith("ref_"):
        return "reference"
    if name.startswith("transaction"):
        return "transaction"
    return "workspace"


def plan(name: str, columns: list[str]) -> TablePlan:
    """The select writing `name` with its partition columns: per application tables take the kind, office
    and year of their record; transactions their year; rejects the year they were found; the rest one
    partition of their kind."""
    quoted = ", ".join(f't."{c}"' for c in columns)
    if "app_key" in columns and name != "transaction_patents":
        prefix_kind = (
            "CASE WHEN t.app_key LIKE 'TM:%' THEN 'trademark' WHEN t.app_key LIKE 'R:%' THEN 'register' "
            "ELSE 'patent' END"
        )
        select = (
            f"SELECT {quoted}, coalesce(k.part_kind, {prefix_kind}) AS part_kind, "
            f"coalesce(k.part_office, '{NO_OFFICE}') AS part_office, coalesce(k.part_year, {NO_YEAR}) AS part_year "
            f'FROM "{name}" t LEFT JOIN _lake_keys k ON k.app_key = t.app_key'
        )
    elif name == "rejects":  # what an ingest refused, by the year it was found
        select = (
            f"SELECT {quoted}, 'reject' AS part_kind, '{NO_OFFICE}' AS part_office, "
            f"coalesce(CAST(year(t.created_at) AS INTEGER), {NO_YEAR}) AS part_year "
            f'FROM "{name}" t'
        )
    elif name == "transactions":
        select = (
            f"SELECT {quoted}, 'transaction' AS part_kind, '{NO_OFFICE}' AS part_office, "
            f"coalesce(CAST(year(coalesce(t.execution_date, t.recorded_date)) AS INTEGER), {NO_YEAR}) AS part_year "
            f'FROM "{name}" t'
        )
    else:
        select = (
            f"SELECT {quoted}, '{table_kind(name)}' AS part_kind, '{NO_OFFICE}' AS part_office, "
            f'{NO_YEAR} AS part_year FROM "{name}" t'
        )
    return TablePlan(name, select)


def content_hash_sql(source: str, columns: list[str]) -> str:
    """Rows and an order-free content hash of a table's rows (its own columns, not the partition ones),
    hashed from their text so a date or a list hashes alike whichever engine wrote the file."""
    text = ", ".join(f'coalesce(CAST("{c}" AS VARCHAR), chr(0))' for c in columns) or "''"
    return (
        f"SELECT count(*), coalesce(sum(hash(concat_ws(chr(31), {text}))::HUGEINT) % 18446744073709551616, 0) "
        f"FROM {source}"
    )


def table_dir(lake: Path, name: str) -> Path:
    return lake / name


def write_manifest(
    lake: Path, tables: dict[str, dict[str, Any]], *, written_by: str, source: str, stamp: str = ""
) -> dict[str, Any]:
    """Write the manifest last: a lake without one is being written (or was interrupted)."""
    from ipnav.store.schema import SCHEMA_VERSION

    manifest = {
        "lake_version": LAKE_VERSION,
        "schema_version": SCHEMA_VERSION,
        "written_by": written_by,
        "source": source,
        "stamp": stamp,  # the warehouse content it was written from (`ipnav.lake.export.warehouse_stamp`)
        "written_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "partitioning": {name: duck for name, duck, _ in PARTITIONS},
        "tables": tables,
    }
    tmp = lake / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(lake / MANIFEST)
    return manifest


def read_manifest(lake: Path) -> dict[str, Any]:
    """The manifest of a lake; UsageError naming the folder when there is none or it is not ipnav's."""
    path = lake / MANIFEST
    if not path.is_file():
        raise UsageError(f"{lake} is not an ipnav lake: it has no {MANIFEST} (write one with `ipnav export --lake`)")
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: unreadable manifest: {exc}") from exc
    if manifest.get("lake_version") != LAKE_VERSION or not isinstance(manifest.get("tables"), dict):
        raise UsageError(f"{path}: lake version {manifest.get('lake_version')!r}, this ipnav reads {LAKE_VERSION}")
    return manifest
