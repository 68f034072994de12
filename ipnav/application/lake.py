"""Lake, engine and catalogue operations of `Ipnav`: write the warehouse as a Parquet lake, the warehouse
the analyses and indicators read (DuckDB's own or Spark's over the lake: `engine`, `spark_remote`), and
what ipnav reads and knows (formats, record kinds)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ipnav.application.access import WarehouseAccess

if TYPE_CHECKING:
    from ipnav.store.warehouse import Warehouse


class LakeOperations(WarehouseAccess):
    """The lake (`ipnav.lake`), the engine the analyses run on, and the catalogue of formats and kinds."""

    def spark_reindex(self, shards: int) -> dict[str, Any]:
        """The patent search index rebuilt as `shards` hash shards per office, each by a Spark task from the
        lake (the workspace's, written again first when the warehouse changed; or the `lake` setting's)."""
        import time

        from ipnav.lake.spark import session
        from ipnav.search.service import spark_rebuild

        started = time.perf_counter()
        lake = self.settings.lake
        if lake is None:
            lake = self.workspace.lake_dir
            if not self._lake_current(lake):
                self.lake_export(lake)
        spark = session(self.settings.spark_remote)
        with self.writing("reindex") as wh:  # no ingest meanwhile: the lake stays the warehouse's
            built = spark_rebuild(self.workspace, wh, spark, lake, shards)
        return {"indexed": sum(built.values()), "shards": built, "seconds": round(time.perf_counter() - started, 3)}

    def lake_export(self, target: Path | None = None, progress: Any = None) -> dict[str, Any]:
        """Every warehouse table as Hive-partitioned Parquet under `target` (default: the workspace lake),
        with its manifest; the summary names the tables, their rows and partitions."""
        from ipnav.lake.export import export_lake, warehouse_stamp

        lake = target or self.settings.lake or self.workspace.lake_dir
        with self.reading() as reader:
            manifest = export_lake(
                reader.con, lake, source=str(self.workspace.root.resolve()), stamp=warehouse_stamp(reader.con),
                progress=progress,
            )  # fmt: skip
        tables = manifest["tables"]
        return {
            "path": str(lake),
            "tables": len(tables),
            "rows": sum(t["rows"] for t in tables.values()),
            "files": sum(1 for _ in lake.rglob("*.parquet")),
            "bytes": sum(p.stat().st_size for p in lake.rglob("*.parquet")),
            "seconds": manifest["seconds"],
            "by_table": {name: {"rows": t["rows"], "partitions": t["partitions"], "hash": t["hash"]}
                         for name, t in tables.items()},
        }  # fmt: skip

    def spark_parser(self, header_map: Path | None = None) -> Any:
        """The parse step of an ingest run by Spark tasks (`spark_remote`: local[N] or a cluster)."""
        from ipnav.ingest.spark import spark_parser
        from ipnav.lake.spark import session

        return spark_parser(session(self.settings.spark_remote), header_map or self.settings.header_map)

    def lake_show(self, lake: Path | None = None) -> dict[str, Any]:
        """What a lake holds, from its manifest (the workspace's lake by default)."""
        from ipnav.lake.reader import lake_summary

        return lake_summary(lake or self.settings.lake or self.workspace.lake_dir)

    @staticmethod
    def formats() -> list[dict[str, str]]:
        """Every source format ipnav reads, the record kind it yields and how it is recognised."""
        from ipnav.ingest.registry import formats

        return formats()

    @staticmethod
    def kinds() -> list[dict[str, Any]]:
        """The record kinds with their tables, formats, analyses and indicators (from the registries)."""
        from dataclasses import asdict

        from ipnav.analytics.catalog import CATALOG as ANALYSES
        from ipnav.ingest.registry import formats
        from ipnav.kinds import KINDS
        from ipnav.kpi.catalog import INDICATORS

        readable = formats()
        return [
            asdict(k)
            | {
                "formats": [f["name"] for f in readable if f["record_kind"] == k.name],
                "analyses": [a.kind for a in ANALYSES.values() if a.record_kind == k.name],
                "indicators": [i.name for i in INDICATORS.values() if i.record_kind == k.name],
            }
            for k in KINDS.values()
        ]

    @contextmanager
    def engine_reading(self, wh: Warehouse | None = None) -> Iterator[Warehouse]:
        """The warehouse the analyses and indicators read: DuckDB's (`wh` or the workspace's), a lake named
        by the `lake` setting read in place by DuckDB, or with the Spark engine the lake on Spark. The
        workspace's own lake is written again first when the warehouse changed since; a lake named by the
        setting (a cluster's) is read as it is."""
        lake = self.settings.lake
        if wh is not None or (self.settings.engine == "duckdb" and lake is None):
            with self.reading(wh) as reader:
                yield reader
            return
        if self.settings.engine == "duckdb":  # a lake named in the settings, read in place
            from ipnav.lake.reader import open_lake

            with open_lake(lake) as reader:  # type: ignore[arg-type]
                yield reader
            return
        from ipnav.lake.spark import SparkWarehouse

        if lake is None:
            lake = self.workspace.lake_dir
            if not self._lake_current(lake):
                self.lake_export(lake)
        spark = SparkWarehouse(lake, self.settings.spark_remote)
        try:
            yield spark
        finally:
            spark.close()

    def _lake_current(self, lake: Path) -> bool:
        from ipnav.errors import UsageError
        from ipnav.lake.export import warehouse_stamp
        from ipnav.lake.layout import read_manifest

        try:
            stamp = read_manifest(lake).get("stamp")
        except UsageError:
            return False
        with self.reading() as reader:
            return bool(stamp) and stamp == warehouse_stamp(reader.con)
