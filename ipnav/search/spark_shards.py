"""Shards of the patent index built by Spark tasks from the lake, one task per shard.

Each task opens the lake in place (DuckDB over its Parquet), takes the applications of its office whose key
hashes to its shard, and writes that shard's tantivy index with the same analysis as `ipnav reindex`; the
index folder must be one every executor writes to (a shared file system on a cluster). The result is the
layout `ipnav reindex --shards N` makes, document for document.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ipnav.lake.layout import read_manifest
from ipnav.search.index import SearchIndex
from ipnav.search.shards import SHARDS_FILE, shard_name

# the office part of a shard's name, as `shard_name` makes it from a patent's country
_OFFICE_SQL = "CASE WHEN regexp_full_match(coalesce(country, ''), '[A-Za-z0-9]+') THEN country ELSE 'xx' END"


def build_shard(lake: Path, index: Path, office: str, bucket: int, per_office: int) -> int:
    """One shard: the lake's applications of `office` hashing to `bucket`, indexed into `index/<name>`."""
    from ipnav.lake.reader import open_lake

    name = f"{office}-{bucket}"
    reader = open_lake(lake)
    try:
        rows = reader.con.execute(f"SELECT app_key FROM patents WHERE {_OFFICE_SQL} = ?", [office]).fetchall()
        keys = [key for (key,) in rows if shard_name(key, office, per_office) == name]
        if not keys:
            return 0
        return SearchIndex(index / name).rebuild(reader, workers=1, app_keys=keys)
    finally:
        reader.close()


def build_on_spark(spark: Any, lake: Path, index: Path) -> dict[str, int]:
    """Every shard of the layout in `index` (its per-office count) built by a Spark task; documents per shard."""
    import json

    read_manifest(lake)  # a folder that is not a lake is named before any task starts
    per_office = int(json.loads((index / SHARDS_FILE).read_text())["per_office"])
    from ipnav.lake.reader import open_lake

    reader = open_lake(lake)
    try:
        found = reader.con.execute(f"SELECT DISTINCT {_OFFICE_SQL} FROM patents ORDER BY 1").fetchall()
        offices = [office for (office,) in found]
    finally:
        reader.close()
    tasks = [(office, bucket) for office in offices for bucket in range(per_office)]
    if not tasks:
        return {}
    lake_text, index_text = str(lake.resolve()), str(index.resolve())

    def build(batches: Any) -> Any:
        import pyarrow as pa

        for batch in batches:
            shards = zip(batch.column("office").to_pylist(), batch.column("bucket").to_pylist(), strict=True)
            for office, bucket in shards:
                count = build_shard(Path(lake_text), Path(index_text), office, bucket, per_office)
                yield pa.RecordBatch.from_pydict(
                    {"shard": [f"{office}-{bucket}"], "documents": [count]},
                    schema=pa.schema([("shard", pa.string()), ("documents", pa.int64())]),
                )

    frame = spark.createDataFrame(tasks, "office STRING, bucket INT").repartition(len(tasks))
    done = frame.mapInArrow(build, "shard STRING, documents BIGINT").collect()
    return {row["shard"]: int(row["documents"]) for row in done if row["documents"]}
