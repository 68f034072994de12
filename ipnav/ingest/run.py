"""`ingest(paths, ...)`: sources -> parsed records (in parallel) -> warehouse batches.

Parsing runs in worker processes (XML documents in chunks, in file order); the main
process owns the warehouse. Batches commit one by one, so a killed run can simply
be run again.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import re
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ipnav.config import Workspace
from ipnav.errors import InputFileError, RecordError
from ipnav.ingest import pipeline, registry, table
from ipnav.ingest.headers import build_map
from ipnav.ingest.sources import InputLimits, Source, iter_sources
from ipnav.model import Record, Reject
from ipnav.store import regions
from ipnav.store.prepare import Prepared, prepare
from ipnav.store.reference import ensure_reference
from ipnav.store.warehouse import Warehouse

Progress = Callable[[int, str], None]  # (bytes done since last call, current file)
_CHUNK_BYTES = 4 << 20
_TABLE_BYTES = 1 << 20  # a smaller table is parsed in the main process
_BATCH_BYTES = 32 << 20  # full-text documents are large: bound a batch by size too (memory)


@dataclass
class IngestSummary:
    """What one ingest run did: files, records, inserted, updated, unchanged, rejected, indexed."""

    files: int = 0
    records: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    seconds: float = 0.0
    run_id: int = 0
    indexed: int = 0
    linked: int = 0  # records without a number joined to the application they are
    regions: dict[str, Any] = field(default_factory=dict)  # applicants per region basis, user-table problems

    def as_dict(self) -> dict[str, Any]:
        """The summary as plain data (seconds rounded)."""
        data = asdict(self)
        data["seconds"] = round(self.seconds, 3)
        return data


Doc = tuple[int, int, bytes, int]  # ordinal, line, bytes, position of its first record in the document


def _parse_chunk(name: str, docs: list[Doc]) -> list[Prepared | Reject]:
    """Worker: parse documents and prepare them for the warehouse (JSON, hash, rows)."""
    items: list[pipeline.Item] = []
    for ordinal, line, data, offset in docs:
        parsed = pipeline.parse_document(name, ordinal, line, data)
        if offset:  # a part of a document of many records: positions count from the document's start
            for item in parsed:
                if isinstance(item, Reject):
                    item.position += offset
                else:
                    item.source_position += offset
        items.extend(parsed)
    return [item if isinstance(item, Reject) else prepare(item) for item in pipeline.with_regions(items)]


@functools.lru_cache(maxsize=4)
def _header_map(path: Path | None) -> dict[str, str]:
    return build_map(path)


def _parse_rows(
    name: str, fmt: str, header_map: Path | None, rows: list[table.Row], first: int, headed: bool = False
) -> list[Prepared | Reject]:
    """Worker: parse a part of a table (led by its header row) and prepare its records."""
    items = table.parse_rows(rows, _header_map(header_map), name, fmt, first=first, headed=headed)
    return [item if isinstance(item, Reject) else prepare(item) for item in pipeline.with_regions(items)]


def _table_parts(
    pool: ProcessPoolExecutor, source: Source, header_map: Path | None
) -> Iterator[tuple[Future[list[Prepared | Reject]], int]]:
    """A table in parts of 2,000 rows, each parsed by a worker process."""
    with source.open() as stream:
        data = stream.read()
    try:
        rows, fmt = table.table_rows(data, source.name, registry.sniff(data[:65536]))
    except RecordError as exc:
        yield _done([Reject(source.name, 0, exc.field, exc.reason, data[:4096])]), len(data)
        return
    lines = max(1, data.count(b"\n"))  # for the progress bar: a part's share of the bytes by its rows
    reported = 0
    for rows_of_part, first, headed in table.table_parts(rows, _header_map(header_map)):  # lazily: memory bounded
        future = pool.submit(_parse_rows, source.name, fmt, header_map, rows_of_part, first, headed)
        share = min(len(data) - reported, len(data) * len(rows_of_part) // lines)
        reported += share
        yield future, share
    if reported < len(data):
        yield _done([]), len(data) - reported


def _xml_parts(pool: ProcessPoolExecutor, source: Source) -> Iterator[tuple[Future[list[Prepared | Reject]], int]]:
    try:
        for chunk, size in _xml_chunks(source):
            yield pool.submit(_parse_chunk, source.name, chunk), size
    except pipeline.READ_ERRORS as exc:
        yield _done([pipeline.damaged(source, exc)]), 0


def _xml_chunks(source: Source) -> Iterator[tuple[list[Doc], int]]:
    with source.open() as stream:
        chunk: list[Doc] = []
        size = 0
        for ordinal, line, data in pipeline.stream_documents(stream):
            for part, offset in split_records(data) if len(data) > _CHUNK_BYTES else [(data, 0)]:
                chunk.append((ordinal, line, part, offset))
                size += len(part)
                if size >= _CHUNK_BYTES:
                    yield chunk, size
                    chunk, size = [], 0
        if chunk:
            yield chunk, size


def split_records(data: bytes, per: int = 5000) -> list[tuple[bytes, int]]:
    """A document of many records (a gazette, a bulk daily file; `XmlFormat.record_tag`) in parts of `per`
    records, each a whole document (the head up to the first record, the records, the closing tail) with
    the position of its first record; any other document whole. Parts go to the parser workers apart."""
    root = registry.sniff_root(data[:65536])
    fmt = registry.xml_format_for_root(root) if root else None
    if fmt is None or not fmt.record_tag:
        return [(data, 0)]
    start = re.search(rb"<%s[\s>]" % re.escape(fmt.record_tag.encode()), data)
    close = b"</%s>" % fmt.record_tag.encode()
    ends, at = [], data.find(close)
    while at >= 0:
        ends.append(at + len(close))
        at = data.find(close, at + len(close))
    if start is None or len(ends) <= per:
        return [(data, 0)]
    head, tail = data[: start.start()], data[ends[-1] :]
    parts = []
    for first in range(0, len(ends), per):
        begin = start.start() if first == 0 else ends[first - 1]
        parts.append((head + data[begin : ends[min(first + per, len(ends)) - 1]] + tail, first))
    return parts


def _few_collections() -> None:
    """Bulk loading builds and unpickles millions of small acyclic objects (records, rows, dates): with
    the default thresholds the cyclic collector walks every live object again and again (it made
    unpickling a worker's results 4x slower). Objects alive now are frozen out of its reach, and it runs
    a hundred times less often; reference counting still frees everything at once."""
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


@contextlib.contextmanager
def _bulk_load() -> Iterator[None]:
    before = gc.get_threshold()
    _few_collections()
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def _done(items: list[Prepared | Reject]) -> Future[list[Prepared | Reject]]:
    future: Future[list[Prepared | Reject]] = Future()
    future.set_result(items)
    return future


def _fan_out(source: Source) -> str:
    """How a source is parsed: "xml" (documents in chunks to the workers), "table" (rows in parts to the
    workers: a table of over 1 MB) or "" (in this process: JSON, small tables, files that are rejects)."""
    if source.problem:
        return ""
    with source.open() as stream:
        head = stream.read(65536)
    kind = registry.sniff(head)
    if kind == "xml":
        root = registry.sniff_root(head)
        return "xml" if root is not None and registry.xml_format_for_root(root) is not None else ""
    return "table" if kind in ("csv", "xls", "zip", "sql") and source.size > _TABLE_BYTES else ""


def iter_items(
    sources: list[Source], progress: Progress | None = None, *, workers: int, header_map: Path | None
) -> Iterator[pipeline.Item | Prepared]:
    """All items of all sources in order; XML documents and large tables fan out to `workers` processes,
    at most two parts per worker in flight."""
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_few_collections) if workers > 1 else None
    try:
        for source in sources:
            how = _fan_out(source) if pool is not None else ""
            if pool is None or not how:
                yield from pipeline.parse_source(source, header_map)
                if progress:
                    progress(source.size, source.name)
                continue
            parts = _xml_parts(pool, source) if how == "xml" else _table_parts(pool, source, header_map)
            pending: deque[tuple[Future[list[Prepared | Reject]], int]] = deque()
            for part in parts:
                pending.append(part)
                while len(pending) > workers * 2:
                    future, done = pending.popleft()
                    yield from future.result()
                    if progress:
                        progress(done, source.name)
            while pending:
                future, done = pending.popleft()
                yield from future.result()
                if progress:
                    progress(done, source.name)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def collect_sources(paths: list[Path], limits: InputLimits | None = None) -> list[Source]:
    """Expand paths; a missing path is an error before anything is written."""
    for path in paths:
        if not path.exists():
            raise InputFileError(str(path), "no such file or folder")
    return list(iter_sources(paths, limits))


def _settle(warehouse: Warehouse, workspace: Workspace, summary: IngestSummary, progress: Progress | None) -> None:
    """Once the records are in: reference tables, one application one record (records without a number
    join the application they are), then every applicant's region with its basis (ipnav.store.regions)."""
    warehouse.tune_for_passes()
    ensure_reference(warehouse.con)
    if progress:
        progress(0, "regions")
    summary.linked = warehouse.link_unnumbered(summary.run_id)
    summary.regions = regions.infer(warehouse.con, summary.run_id, workspace.root / regions.TABLE_NAME).as_dict()


def ingest(
    paths: list[Path],
    workspace: Workspace,
    *,
    batch_size: int = 2000,
    workers: int = 0,
    header_map: Path | None = None,
    progress: Progress | None = None,
    on_reject: Callable[[Reject], None] | None = None,
    limits: InputLimits | None = None,
    after: Sequence[Callable[[Warehouse], object]] = (),
    lock_wait: float = 10.0,
    parse: Callable[[list[Source], Progress | None], Iterator[pipeline.Item | Prepared]] | None = None,
) -> IngestSummary:
    """Load every record under `paths` into the workspace warehouse; idempotent. `after` runs, in order, on the
    open warehouse once the records are in (the search index, value scores: `Ipnav.ingest` supplies them), so
    readers get one snapshot of the whole run. `parse` replaces the parser processes (`ingest.spark`)."""
    started = time.perf_counter()
    sources = collect_sources(paths, limits)
    workspace.create()
    workers = workers or (os.cpu_count() or 1)
    parse = parse or functools.partial(iter_items, workers=workers, header_map=header_map)
    summary = IngestSummary(files=len(sources))
    with _bulk_load(), Warehouse(workspace.warehouse_path, lock_wait=lock_wait) as warehouse:
        warehouse.tune_for_bulk_load()
        run_id = warehouse.start_run([str(p) for p in paths])
        summary.run_id = run_id
        status = "failed"
        try:
            batch: list[Record | Prepared] = []
            rejects: list[Reject] = []
            batch_bytes = 0

            # The warehouse is written by one background thread (DuckDB releases the GIL), so parser
            # workers keep going while a batch commits; at most one batch waits, which bounds memory.
            writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ipnav-writer")
            writing: Future[None] | None = None

            def write(items: list[Record | Prepared], bad: list[Reject]) -> None:
                result = warehouse.upsert(items, run_id)
                summary.inserted += result.inserted
                summary.updated += result.updated
                summary.unchanged += result.unchanged
                warehouse.add_rejects(bad, run_id, workspace.rejects_dir)

            def flush() -> None:
                nonlocal batch, rejects, batch_bytes, writing
                if writing is not None:
                    writing.result()  # re-raises a failed write here, in order
                writing = writer.submit(write, batch, rejects)
                batch, rejects, batch_bytes = [], [], 0

            try:
                for item in parse(sources, progress):
                    if isinstance(item, Reject):
                        summary.rejected += 1
                        rejects.append(item)
                        if on_reject:
                            on_reject(item)
                    else:
                        summary.records += 1
                        batch.append(item)
                        if isinstance(item, Prepared):
                            batch_bytes += item.size
                    if len(batch) >= batch_size or batch_bytes >= _BATCH_BYTES:
                        flush()
                flush()
                if writing is not None:
                    writing.result()
            finally:
                writer.shutdown(wait=True)
            _settle(warehouse, workspace, summary, progress)
            for step in after:
                step(warehouse)
            status = "done"
        finally:
            summary.seconds = time.perf_counter() - started
            warehouse.finish_run(run_id, summary.as_dict(), status)
    return summary
