"""The lake on Apache Spark: a session (a Spark Connect address `sc://…` for a cluster, `local[N]` on one
machine), a read-only warehouse whose tables are Spark views over the lake, and a lake written by Spark.

The analyses are ibis expressions and compile to Spark SQL through ibis's PySpark backend. The SQL ipnav
writes by hand (the official flags, the indicators) is DuckDB SQL; here it is translated to Spark SQL by
sqlglot (the translator ibis itself uses), so both engines run the same statements and the tests compare
their answers. `SparkConnection` takes the few calls the analyses make of a DuckDB connection."""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import os
import shutil
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import sqlglot
import sqlglot.expressions as exp
from sqlglot.dialects.duckdb import DuckDB
from sqlglot.tokens import TokenType

from ipnav.errors import UsageError
from ipnav.lake.layout import PARTITION_NAMES, PARTITIONS, read_manifest, write_manifest
from ipnav.store.warehouse import Warehouse

# DuckDB column types of the warehouse -> Spark SQL types
_SPARK_TYPES = {
    "VARCHAR": "string",
    "INTEGER": "int",
    "BIGINT": "bigint",
    "DOUBLE": "double",
    "FLOAT": "float",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "timestamp_ntz",
    "BLOB": "binary",
    "INTEGER[]": "array<int>",
    "VARCHAR[]": "array<string>",
}


def spark_type(duck: str) -> str:
    if duck not in _SPARK_TYPES:
        raise UsageError(f"the lake has a column of type {duck}, which ipnav does not map to Spark")
    return _SPARK_TYPES[duck]


@functools.cache
def session(remote: str = "local[2]") -> Any:
    """One Spark session per process and address. `sc://host:15002` connects to a Spark Connect server (the
    cluster's; the web process embeds no JVM); `local[N]` starts Spark in this process with N cores."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise UsageError(
            "the Spark engine needs PySpark and Java 17: run `bash scripts/setup.sh --spark` once"
        ) from exc
    # PySpark 4.0 and ibis's PySpark backend read results through pandas with options pandas 3 deprecates
    from pandas.errors import Pandas4Warning

    warnings.filterwarnings("ignore", category=Pandas4Warning)
    builder = SparkSession.builder.appName("ipnav")
    if remote.startswith("sc://"):
        builder = builder.remote(remote)
    elif remote.startswith("local") or remote.startswith("spark://") or remote == "yarn":
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # no warning about the host's loopback name
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # Python tasks (parsers) run in ipnav's Python
        logging = Path(__file__).with_name("log4j2.properties")
        builder = builder.master(remote).config("spark.ui.enabled", "false")
        builder = builder.config("spark.ui.showConsoleProgress", "false")
        builder = builder.config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile=file:{logging}")
        cores = remote[6:-1] if remote.startswith("local[") else ""
        shuffle = str(max(2, int(cores) * 2)) if cores.isdigit() else "8"  # few, small partitions on one machine
        builder = builder.config("spark.sql.shuffle.partitions", shuffle).config("spark.driver.memory", "2g")
    else:
        raise UsageError(f"spark_remote {remote!r}: use sc://HOST:PORT (Spark Connect) or local[N]")
    spark = (
        builder.config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
        .config("spark.sql.ansi.enabled", "false")  # DuckDB's casts: a bad value is NULL, not an error
        .getOrCreate()
    )
    if not remote.startswith("sc://"):
        spark.sparkContext.setLogLevel("ERROR")
    return spark


def _literal(value: Any) -> str:
    """A parameter as a SQL literal."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float | decimal.Decimal):
        return repr(float(value)) if isinstance(value, float) else str(value)
    if isinstance(value, dt.datetime):
        return f"TIMESTAMP '{value.isoformat(sep=' ')}'"
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    return "'" + str(value).replace("'", "''") + "'"


class SparkResult:
    """The rows of one statement, read like a DuckDB cursor."""

    def __init__(self, rows: list[tuple[Any, ...]], names: list[str]) -> None:
        self._rows = rows
        self.description = [(n, None, None, None, None, None, None) for n in names]

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._rows

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._rows[0] if self._rows else None


class SparkConnection:
    """What the analyses and indicators ask of a DuckDB connection, answered by Spark: queries (DuckDB SQL
    with `?` parameters, translated), temporary tables (cached views), registered Arrow tables, drops."""

    def __init__(self, spark: Any) -> None:
        self.spark = spark

    def cursor(self) -> SparkConnection:
        return self

    def close(self) -> None:
        """The session outlives its connections (`session` keeps one per process)."""

    def translate(self, sql: str, params: Sequence[Any] = ()) -> exp.Expr:
        """DuckDB SQL with its `?` parameters bound in the order they are written, as a sqlglot tree."""
        if params:
            tokens = [t for t in DuckDB.Tokenizer().tokenize(sql) if t.token_type == TokenType.PLACEHOLDER]
            if len(tokens) != len(params):
                raise UsageError(f"{len(tokens)} parameters in the statement, {len(params)} given")
            for token, value in reversed(list(zip(tokens, params, strict=True))):
                sql = sql[: token.start] + _literal(value) + sql[token.end + 1 :]
        return sqlglot.parse_one(sql, read="duckdb")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> SparkResult:
        tree = self.translate(sql, params)
        if isinstance(tree, exp.Create) and isinstance(tree.expression, exp.Query):
            name = tree.this.find(exp.Table).name  # type: ignore[union-attr]
            frame = self.spark.sql(tree.expression.sql("spark"))
            frame.cache().createOrReplaceTempView(name)
            return SparkResult([], [])
        if isinstance(tree, exp.Drop):
            self.spark.catalog.dropTempView(tree.find(exp.Table).name)  # type: ignore[union-attr]
            return SparkResult([], [])
        if not isinstance(tree, exp.Query):
            raise UsageError(f"the Spark engine reads the lake; it does not run {tree.key.upper()} statements")
        frame = self.spark.sql(tree.sql("spark"))
        rows = [tuple(row) for row in frame.collect()]
        return SparkResult(rows, list(frame.columns))

    def register(self, name: str, table: pa.Table) -> None:
        self.spark.createDataFrame(table).createOrReplaceTempView(name)

    def unregister(self, name: str) -> None:
        self.spark.catalog.dropTempView(name)


def lake_frame(spark: Any, lake: Path, name: str, columns: list[list[str]]) -> Any:
    """One lake table as a Spark DataFrame, its columns and the partition columns typed as declared."""
    typed = [f"`{c}` {spark_type(t)}" for c, t in columns]
    schema = ", ".join([*typed, *(f"`{n}` {s}" for n, _, s in PARTITIONS)])
    return spark.read.schema(schema).parquet(str(lake / name))


_VIEWS: dict[str, tuple[str, str]] = {}  # Spark address -> (lake, manifest time) its table views read


class SparkWarehouse(Warehouse):
    """A lake as a read-only warehouse on Spark: each table a view over its files, partition columns typed
    as the manifest declares and then dropped. The views stay in the session for the next reader of the
    same lake (listing a lake's files costs a second); one lake at a time per process."""

    def __init__(self, lake: Path, remote: str = "local[2]") -> None:
        manifest = read_manifest(lake)
        self.spark = session(remote)
        self.path, self.read_only, self._owner, self.snapshot = str(lake), True, False, ""
        self.con = SparkConnection(self.spark)  # type: ignore[assignment]
        self.lake = manifest
        seen = (str(lake.resolve()), str(manifest.get("written_at")))
        if _VIEWS.get(remote) != seen:
            for name, table in manifest["tables"].items():
                frame = lake_frame(self.spark, lake, name, table["columns"]).drop(*PARTITION_NAMES)
                frame.createOrReplaceTempView(name)
            _VIEWS[remote] = seen
        self._ibis = _ibis_backend(self.spark)

    def ibis(self) -> Any:
        return self._ibis

    def has_table(self, name: str) -> bool:
        return name in self.lake["tables"]

    def materialize(self, name: str, expr: Any) -> Any:
        self.spark.sql(self._ibis.compile(expr)).cache().createOrReplaceTempView(name)
        return self._ibis.table(name)

    def close(self) -> None:
        """Nothing to close: the table views stay for the next reader; temporary tables are dropped by
        whoever made them."""


@functools.cache
def _ibis_backend(spark: Any) -> Any:
    import ibis

    return ibis.pyspark.connect(spark)


def write_lake(spark: Any, tables: dict[str, Any], columns: dict[str, list[list[str]]], lake: Path) -> dict[str, Any]:
    """Write Spark DataFrames (each with its partition columns) as a lake with its manifest; the manifest's
    rows and hashes are read back from the files by DuckDB, as for a lake DuckDB wrote."""
    import duckdb

    from ipnav.lake.export import describe_table

    lake.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        scratch = lake / f".{name}.writing"
        shutil.rmtree(scratch, ignore_errors=True)
        if frame.isEmpty():  # one empty file, as DuckDB writes it, so both engines learn the columns
            empty = scratch / "part_kind=none" / "part_office=_" / "part_year=0"
            frame.drop(*PARTITION_NAMES).coalesce(1).write.parquet(str(empty))
        else:
            frame.write.partitionBy(*PARTITION_NAMES).option("compression", "zstd").parquet(str(scratch))
        for marker in scratch.rglob("*"):
            if marker.name.startswith(("_", ".")) and marker.is_file():
                marker.unlink()  # _SUCCESS and checksums are Hadoop's, not the lake's
        shutil.rmtree(lake / name, ignore_errors=True)
        scratch.rename(lake / name)
    con = duckdb.connect()
    described = {name: describe_table(con, lake, name, [(c, t) for c, t in columns[name]]) for name in sorted(tables)}
    con.close()
    version = spark.version
    return write_manifest(lake, described, written_by=f"spark {version}", source=str(lake))


def copy_lake(source: Path, target: Path, remote: str = "local[2]") -> dict[str, Any]:
    """Read a lake with Spark and write it again with Spark (what a cluster job over the lake writes)."""
    manifest = read_manifest(source)
    spark = session(remote)
    frames = {name: lake_frame(spark, source, name, table["columns"]) for name, table in manifest["tables"].items()}
    columns = {name: table["columns"] for name, table in manifest["tables"].items()}
    return write_lake(spark, frames, columns, target)
