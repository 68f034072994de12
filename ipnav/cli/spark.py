"""`ipnav spark ...`: the costly steps of a load run as Spark tasks (`spark_remote`: local[N] or a cluster)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ipnav.cli.context import application
from ipnav.cli.data import LakeOption, run_ingest
from ipnav.cli.output import JsonOption, out, respond, table
from ipnav.cli.root import app

spark_app = typer.Typer(help="Spark: parse files and build the search shards in Spark tasks (docs/scale.md).")
app.add_typer(spark_app, name="spark")


@spark_app.command("ingest")
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files, folders or zip archives (readable by every executor).")],
    lake: LakeOption = None,
    as_json: JsonOption = False,
    header_map: Annotated[
        Path | None, typer.Option("--header-map", help="TOML file mapping extra table headers to fields.")
    ] = None,
    batch_size: Annotated[int | None, typer.Option(help="Records per warehouse transaction.")] = None,
    index: Annotated[
        bool, typer.Option("--index/--no-index", help="Update the search index now (default) or leave it.")
    ] = True,
) -> None:
    """Load files as `ipnav ingest` does, each file parsed by a Spark task with ipnav's parsers; with --lake
    the warehouse is then written as the Parquet lake. Idempotent; rejects as in `ipnav rejects`."""
    options: dict[str, Any] = {"header_map": header_map, "batch_size": batch_size, "index": index}
    run_ingest(paths, as_json, options, lake, spark=True)


@spark_app.command("reindex")
def reindex(
    shards: Annotated[int, typer.Option("--shards", min=1, help="Hash shards per office.")] = 2,
    as_json: JsonOption = False,
) -> None:
    """Rebuild the patent search index as shards, each built by a Spark task from the lake."""
    data = application().spark_reindex(shards)

    def show(_: Any) -> None:
        table(["分片 shard", "文献 documents"], sorted(data["shards"].items()))
        out.print(f"indexed {data['indexed']} applications in {len(data['shards'])} shards, {data['seconds']:.1f}s")

    respond(data, as_json, show)
