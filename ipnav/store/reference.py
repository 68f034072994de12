"""Reference tables loaded into the warehouse as `ref_<name>` on first use.

Codes stay text (`110000`, `A01B`) so that leading zeros and letters survive.
"""

from __future__ import annotations

from typing import Any

import duckdb
import orjson

from ipnav import reference

# comma-separated tables with a header row; every column is read as VARCHAR
_CSV_TABLES = (
    "adcode_provinces",
    "adcode_cities",
    "adcode_areas",
    "county_code_changes",
    "adcode_overrides",
    "ipc_titles_zh",
    "wipo35",
    "sei_ipc_2021",
    "population_census2020",
    "population_province_yearend",
)


def ensure_reference(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Create any missing `ref_*` table; returns row counts of all of them."""
    present = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    for name in _CSV_TABLES:
        table = f"ref_{name}"
        if table not in present:
            path = str(reference.path(name)).replace("'", "''")
            con.execute(
                f"CREATE TABLE {table} AS SELECT * FROM read_csv('{path}', delim=',', header=true, "
                "all_varchar=true, quote='\"')"
            )
    if "ref_cpc_titles" not in present:
        path = str(reference.path("cpc_titles")).replace("'", "''")
        con.execute(
            f"CREATE TABLE ref_cpc_titles AS SELECT column0 AS symbol, column1 AS level, "
            f"trim(column2, chr(13)) AS title FROM read_csv('{path}', delim='\\t', header=false, "
            "all_varchar=true, quote='', columns={'column0': 'VARCHAR', 'column1': 'VARCHAR', 'column2': 'VARCHAR'})"
        )
    if "ref_nice_classes" not in present:
        with reference.open_table("nice_classes") as handle:
            classes: list[dict[str, Any]] = orjson.loads(handle.read())
        con.execute("CREATE TABLE ref_nice_classes (class_no VARCHAR, heading VARCHAR, note VARCHAR)")
        con.executemany(
            "INSERT INTO ref_nice_classes VALUES (?, ?, ?)",
            [
                [str(c.get("number", c.get("id", ""))), str(c.get("heading", "")), str(c.get("note", ""))]
                for c in classes
            ],
        )
    return {
        table: int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # type: ignore[index]
        for (table,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'ref_%' ORDER BY 1"
        ).fetchall()
    }
