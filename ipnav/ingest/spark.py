"""Parsing on Spark: each source file (or zip member) is parsed by a Spark task with ipnav's own parsers.

`ipnav spark ingest PATHS --lake DIR` runs the parse, the pure and costly part of an ingest, in Spark tasks
(on `local[N]` or a cluster through `spark_remote`): every task reads its file, parses it with the same
readers and parsers as `ipnav ingest`, and prepares each record for the warehouse (JSON, content hash,
derived rows). The prepared records come back in file order and are written by the one warehouse writer,
which merges applications, places applicants and computes the flags exactly as a local ingest does; the
warehouse is then written out as the lake. On a cluster the paths must be readable by every executor
(a shared file system) and the executors need ipnav installed.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ipnav.ingest import pipeline
from ipnav.ingest.sources import Source
from ipnav.model import Reject
from ipnav.store.prepare import Prepared, prepare

Progress = Callable[[int, str], None]
_SCHEMA = "source INT, seq INT, item BINARY"
_MAX_TASKS = 512  # sources per task grow past this many files


def parse_source_prepared(source: Source, header_map: Path | None) -> Iterator[Prepared | Reject]:
    """One source's rejects and prepared records, in file order (what a Spark task does)."""
    for item in pipeline.parse_source(source, header_map):
        yield item if isinstance(item, Reject) else prepare(item)


def _task(sources: list[Source], header_map: Path | None) -> Callable[[Iterator[Any]], Iterator[Any]]:
    """The function Spark runs on the batches of (source number) rows it is given."""

    def parse(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        for batch in batches:
            for number in batch.column("source").to_pylist():
                rows: dict[str, list[Any]] = {"source": [], "seq": [], "item": []}
                for seq, item in enumerate(parse_source_prepared(sources[number], header_map)):
                    rows["source"].append(number)
                    rows["seq"].append(seq)
                    rows["item"].append(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))
                yield pa.RecordBatch.from_pydict(
                    rows, schema=pa.schema([("source", pa.int32()), ("seq", pa.int32()), ("item", pa.binary())])
                )

    return parse


def spark_parser(
    spark: Any, header_map: Path | None = None
) -> Callable[[list[Source], Progress | None], Iterator[Prepared | Reject]]:
    """A parse step for `ingest(parse=...)`: the sources parsed by Spark tasks, one source per task."""

    def parse(sources: list[Source], progress: Progress | None) -> Iterator[Prepared | Reject]:
        if not sources:
            return
        numbers = spark.createDataFrame([(n,) for n in range(len(sources))], "source INT")
        tasks = min(len(sources), _MAX_TASKS)
        parsed = numbers.repartition(tasks, "source").mapInArrow(_task(sources, header_map), _SCHEMA)
        done = 0  # sources before this one are finished
        for row in parsed.orderBy("source", "seq").toLocalIterator():
            done = _report(sources, done, row["source"], progress)
            yield pickle.loads(row["item"])
        _report(sources, done, len(sources), progress)

    return parse


def _report(sources: list[Source], done: int, reached: int, progress: Progress | None) -> int:
    """Progress for the sources before `reached` not yet reported; returns the new count done."""
    if progress:
        for source in sources[done:reached]:
            progress(source.size, source.name)
    return max(done, reached)
