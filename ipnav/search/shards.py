"""The search index split into shards, for more applications than one index serves well.

Shards are cut by office (CN, US, EP ...) and, inside an office, by a hash of the application key (cutting by
year would leave each shard with its own vocabulary, and BM25 scores that do not compare). A query runs on
every shard at once and the hits are merged by score (or by the sort field), so paging with a cursor works
as on one index. Hit sets and facet counts equal one index's exactly. tantivy's Python binding cannot pass
term statistics between indexes, so each shard's query boosts every text leaf by the whole index's IDF of its
terms over the shard's own: BM25 then differs from one index's only by each shard's average field length,
and rankings agree closely (`bench/scale.py` measures the overlap).

The layout: `index/ipnav-shards.json` says how many hash shards an office has, and each shard is an
ordinary index in `index/<office>-<n>/`."""

from __future__ import annotations

import functools
import hashlib
import heapq
import json
import math
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import orjson
import tantivy

from ipnav.errors import UsageError
from ipnav.search import documents
from ipnav.search.compile import Compiler, Lookup
from ipnav.search.index import (
    SearchIndex,
    SearchResult,
    analysed,
    decode_cursor,
    encode_cursor,
    iter_patents,
    iter_stored,
    sort_field_of,
)
from ipnav.search.query import Node, parse
from ipnav.store.warehouse import Warehouse

SHARDS_FILE = "ipnav-shards.json"
_SHARD_HEAP = 64 << 20  # per shard writer
_FACET_DEPTH = 65_000  # buckets per shard and facet: tantivy's limit; below it the summed counts are exact


def is_sharded(path: Path) -> bool:
    return (path / SHARDS_FILE).is_file()


def shard_name(key: str, office: str, per_office: int) -> str:
    """The shard of an application: its office, and a stable hash of its key inside the office."""
    bucket = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big") % per_office
    office = office if office.isalnum() else "xx"  # no office on the record
    return f"{office}-{bucket}"


class ShardedIndex:
    """Many tantivy indexes answering as one (the methods of `SearchIndex` that search and service use)."""

    def __init__(self, path: Path, per_office: int | None = None) -> None:
        self.path = path
        layout = path / SHARDS_FILE
        if per_office is None:
            per_office = int(json.loads(layout.read_text())["per_office"]) if layout.is_file() else 1
        if per_office < 1:
            raise UsageError(f"search_shards {per_office}: use 1 or more hash shards per office")
        path.mkdir(parents=True, exist_ok=True)
        layout.write_text(json.dumps({"per_office": per_office}))
        self.per_office = per_office
        self.shards: dict[str, SearchIndex] = {
            p.name: SearchIndex(p) for p in sorted(path.iterdir()) if p.is_dir() and (p / "ipnav-schema").is_file()
        }
        self._pool = ThreadPoolExecutor(max_workers=max(2, min(8, len(self.shards) or 1)))

    # --- writing ------------------------------------------------------------------------------

    def _shard(self, name: str) -> SearchIndex:
        if name not in self.shards:
            self.shards[name] = SearchIndex(self.path / name)
        return self.shards[name]

    def rebuild(self, warehouse: Warehouse, progress: Callable[[int], None] | None = None, *, workers: int = 0) -> int:
        """Every application of the warehouse, each into its shard (analysis in worker processes)."""
        return self.fill(analysed(iter_stored(warehouse), workers=workers), progress)

    def fill(
        self, analysed_fields: Iterable[dict[str, list[object]]], progress: Callable[[int], None] | None = None
    ) -> int:
        """Replace every shard's content with these documents (index fields), each into its shard."""
        for name in list(self.shards):
            shutil.rmtree(self.path / name, ignore_errors=True)
        self.shards = {}
        writers: dict[str, Any] = {}
        count = 0
        for fields in analysed_fields:
            name = shard_name(str(fields["key"][0]), str(fields["cc"][0]), self.per_office)
            if name not in writers:
                writers[name] = self._shard(name).index.writer(_SHARD_HEAP, 1)
            writers[name].add_document(documents.to_document(fields))
            count += 1
            if progress and count % 1000 == 0:
                progress(1000)
        self._commit(writers)
        return count

    def update(self, warehouse: Warehouse, app_keys: Iterable[str]) -> int:
        """Re-index these applications: removed from every shard, added to theirs."""
        keys = sorted(set(app_keys))
        if not keys:
            return 0
        writers = {name: shard.index.writer(_SHARD_HEAP, 1) for name, shard in self.shards.items()}
        for writer in writers.values():
            for key in keys:
                writer.delete_documents_by_term("key", key)
        added = 0
        for patent in iter_patents(warehouse, keys):
            name = shard_name(patent.app_key, patent.country or "-", self.per_office)
            if name not in writers:
                writers[name] = self._shard(name).index.writer(_SHARD_HEAP, 1)
            writers[name].add_document(documents.build_document(patent))
            added += 1
        self._commit(writers)
        return added

    def _commit(self, writers: dict[str, Any]) -> None:
        for name, writer in writers.items():
            writer.commit()
            writer.wait_merging_threads()
            self.shards[name].index.reload()
        self._pool.shutdown(wait=False)  # sized to the shards there are now
        self._pool = ThreadPoolExecutor(max_workers=max(2, min(8, len(self.shards))))

    # --- reading ------------------------------------------------------------------------------

    @property
    def schema(self) -> tantivy.Schema:
        return self._any().schema

    def _any(self) -> SearchIndex:
        """A shard to compile queries with (all share one schema and tokenizers)."""
        return next(iter(self.shards.values())) if self.shards else self._shard("xx-0")

    def reload(self) -> None:
        for shard in self.shards.values():
            shard.reload()

    def num_docs(self) -> int:
        return sum(shard.num_docs() for shard in self.shards.values())

    def doc_freq(self, field: str, term: str) -> int:
        return sum(shard.doc_freq(field, term) for shard in self.shards.values())

    def parse_query(self, text: str, fields: list[str]) -> tantivy.Query:
        return self._any().index.parse_query(text, fields)

    def _each(self, work: Callable[[str, SearchIndex], Any]) -> list[Any]:
        """`work` on every shard at once, results in shard order."""
        return list(self._pool.map(lambda item: work(*item), self.shards.items()))

    def compile(self, ast: Node, lookup: Lookup | None = None) -> dict[str, tantivy.Query]:
        """The query of each shard, its text leaves scaled to the whole index's term statistics."""
        stats = _Statistics({name: shard.index.searcher() for name, shard in self.shards.items()})
        remembered = _RememberedLookup(lookup) if lookup is not None else None
        return {
            name: Compiler(shard.index, shard.schema, remembered, functools.partial(stats.scale, name)).compile(ast)
            for name, shard in self.shards.items()
        }

    def top(
        self,
        compiled: tantivy.Query | dict[str, tantivy.Query],
        want: int,
        sort_field: str | None = None,
        descending: bool = False,
    ) -> tuple[int, list[tuple[Any, str, bytes | None]]]:
        """The total hits and the best `want` of all shards, merged by rank (ties by key); `compiled` is one
        query for all or each shard's own (`compile`)."""
        per_shard = compiled if isinstance(compiled, dict) else dict.fromkeys(self.shards, compiled)
        parts = self._each(lambda name, shard: shard.top(per_shard[name], want, sort_field, descending))
        total = sum(n for n, _ in parts)
        ordered = (sorted(hits, key=lambda h: (h[0], h[1])) for _, hits in parts)
        merged = heapq.merge(*ordered, key=lambda h: (h[0], h[1]))
        return total, [hit for _, hit in zip(range(want), merged, strict=False)]

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        sort: str = "relevance",
        cursor: str | None = None,
        facets: bool = False,
        facet_size: int = 20,
        lookup: Lookup | None = None,
    ) -> SearchResult:
        """A query over every shard, merged: the same page as one index gives (ties in score by key)."""
        ast = parse(query)
        compiled = self.compile(ast, lookup)
        offset = decode_cursor(cursor)
        sort_field = sort_field_of(sort)
        total, hits = self.top(compiled, offset + limit, sort_field, sort.startswith("-"))
        page = hits[offset : offset + limit]
        keys = [key for _, key, _ in page]
        scores = [0.0 if sort_field else -float(rank) for rank, _, _ in page]
        rows = [orjson.loads(row) if row else None for _, _, row in page]
        next_offset = offset + len(keys)
        out = SearchResult(query=query, total=total, keys=keys, scores=scores, ast=ast, rows=rows,
                           cursor=encode_cursor(next_offset) if next_offset < total else None)  # fmt: skip
        if facets:
            out.facets = self.facets(compiled, facet_size)
        return out

    def facets(self, compiled: dict[str, tantivy.Query], size: int) -> dict[str, dict[str, int]]:
        """Counts of hits by each facet, summed over the shards (each asked for all its values)."""
        from ipnav.search.index import FACETS

        parts = self._each(lambda name, shard: shard.facets(compiled[name], _FACET_DEPTH))
        out: dict[str, dict[str, int]] = {}
        for name in FACETS:
            total: Counter[str] = Counter()
            for part in parts:
                total.update(part.get(name, {}))
            out[name] = dict(sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:size])
        return out

    def iter_keys(
        self, query: str, *, page: int = 5000, lookup: Lookup | None = None, within: list[str] | None = None
    ) -> Iterator[str]:
        """Every matching application key, shard after shard: no cap."""
        for shard in list(self.shards.values()):
            yield from shard.iter_keys(query, page=page, lookup=lookup, within=within)


def idf(docs: int, doc_freq: int) -> float:
    """BM25's inverse document frequency as tantivy computes it."""
    return math.log(1.0 + (docs - doc_freq + 0.5) / (doc_freq + 0.5))


class _Statistics:
    """Term statistics of the shards of one query, and of all of them together."""

    def __init__(self, searchers: dict[str, tantivy.Searcher]) -> None:
        self.searchers = searchers
        self.docs = {name: int(searcher.num_docs) for name, searcher in searchers.items()}
        self.total = sum(self.docs.values())
        self._freq: dict[tuple[str, str, str], int] = {}

    def doc_freq(self, shard: str, field: str, term: str) -> int:
        key = (shard, field, term)
        if key not in self._freq:
            self._freq[key] = int(self.searchers[shard].doc_freq(field, term))
        return self._freq[key]

    def scale(self, shard: str, field: str, terms: list[str]) -> float:
        """The whole index's IDF of the terms over this shard's (1 where the shard lacks a term)."""
        local = [self.doc_freq(shard, field, t) for t in terms]
        if not terms or not all(local):
            return 1.0
        whole = sum(idf(self.total, sum(self.doc_freq(name, field, t) for name in self.searchers)) for t in terms)
        return whole / sum(idf(self.docs[shard], f) for f in local)


class _RememberedLookup:
    """A warehouse lookup asked once per query, however many shards compile it."""

    def __init__(self, lookup: Lookup) -> None:
        self.keys_between = functools.cache(lookup.keys_between)
        self.keys_where = functools.cache(lookup.keys_where)
