"""The search index in the workspace (`index/`), kept in step with the warehouse.

`update(app_keys)` re-indexes applications an ingest changed (delete by key, then add),
`rebuild()` re-creates the index from the warehouse, `search()` runs a query string.
"""

from __future__ import annotations

import base64
import json
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import tantivy

from ipnav.errors import UsageError
from ipnav.model import Patent
from ipnav.search import documents
from ipnav.search.compile import Compiler, Lookup
from ipnav.search.query import Node, parse
from ipnav.search.schema import SCHEMA_VERSION, among_keys, build_schema, key_set
from ipnav.store.codec import load_document
from ipnav.store.merge import merge_documents
from ipnav.store.warehouse import Warehouse

FACETS: dict[str, str] = {
    "filing_year": "ad_year",
    "applicant": "pa_facet",
    "ipc_subclass": "ipc_sub",
    "country": "cc",
    "type": "type",
    "legal_status": "status",
    "province": "province",
    "city": "city",
}
SORTS = {"relevance": None, "ad": "ad", "pd": "pd", "gd": "gd", "value": None}
_WRITER_HEAP = 128 << 20  # per writer; segments merge in the background


# each document with the regions inferred for its applicants (ipnav.store.regions), which no document holds
_DOCS_SQL = """SELECT d.app_key, d.body, d.description, d.source_file, d.source_position, r.regions
FROM documents d LEFT JOIN (
    SELECT app_key, string_agg(concat_ws('|', role, seq, adcode, province_name, city_name, county_name), ';') AS regions
    FROM parties WHERE region_basis IN ('user_table', 'applicant_history', 'applicant_name') GROUP BY app_key
) r USING (app_key)
WHERE d.kind = 'patent'"""
StoredDoc = tuple[bytes, bytes, str, int, str | None]  # body, description, source file, position, regions


def iter_stored(
    warehouse: Warehouse, app_keys: Iterable[str] | None = None, *, batch: int = 2000
) -> Iterator[tuple[str, list[StoredDoc]]]:
    """Stored documents grouped by application (compressed, as in the warehouse)."""
    import pyarrow as pa

    con = warehouse.con.cursor()
    sql = _DOCS_SQL
    if app_keys is not None:
        keys = sorted(set(app_keys))
        if not keys:
            return
        con.register("wanted", pa.table({"app_key": keys}))
        sql += " AND d.app_key IN (SELECT app_key FROM wanted)"
    cursor = con.execute(sql + " ORDER BY d.app_key")
    current: str | None = None
    group: list[StoredDoc] = []
    while rows := cursor.fetchmany(batch):
        for app_key, body, description, source_file, position, regions in rows:
            if app_key != current and group:
                yield current, group  # type: ignore[misc]
                group = []
            current = app_key
            group.append((body, description, source_file, position, regions))
    if group and current is not None:
        yield current, group


def merged_patent(docs: list[StoredDoc]) -> Patent:
    """The merged patent of one application's stored documents, with its applicants' inferred regions."""
    patents = [r for r in (load_document(*d[:4]) for d in docs) if isinstance(r, Patent)]
    merged = merge_documents(patents)
    inferred = {}
    for item in (docs[0][4] or "").split(";") if docs else []:
        role, seq, adcode, province, city, county = (item.split("|") + [""] * 6)[:6]
        inferred[(role, seq)] = (adcode, province, city, county)
    for party in merged.parties:
        found = inferred.get((party.role, str(party.sequence)))
        if found and not party.adcode:
            party.adcode, party.province_name, party.city_name, party.county_name = found
    return merged


def iter_patents(warehouse: Warehouse, app_keys: Iterable[str] | None = None) -> Iterator[Patent]:
    """Merged patents from the warehouse, all of them or the given applications."""
    for _key, docs in iter_stored(warehouse, app_keys):
        yield merged_patent(docs)


def _fields_of_chunk(chunk: list[list[StoredDoc]]) -> list[dict[str, list[object]]]:
    """Worker: stored documents -> index fields (decompress, merge, analyse)."""
    return [documents.document_fields(merged_patent(docs)) for docs in chunk]


def _chunks(groups: Iterator[tuple[str, list[StoredDoc]]], size: int) -> Iterator[list[list[StoredDoc]]]:
    chunk: list[list[StoredDoc]] = []
    for _key, docs in groups:
        chunk.append(docs)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def analysed(
    groups: Iterator[tuple[str, list[StoredDoc]]], *, workers: int = 0, chunk: int = 128
) -> Iterator[dict[str, list[object]]]:
    """Index fields of every application, computed in `workers` processes (0 = one per core), in order."""
    import os
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    workers = workers or (os.cpu_count() or 1)
    if workers <= 1:
        for _key, docs in groups:
            yield documents.document_fields(merged_patent(docs))
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: deque[Future[list[dict[str, list[object]]]]] = deque()
        for part in _chunks(groups, chunk):
            pending.append(pool.submit(_fields_of_chunk, part))
            if len(pending) > workers * 2:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


@dataclass
class SearchResult:
    """One page of hits: keys, scores, stored rows, total and the next cursor."""

    query: str
    total: int
    keys: list[str]
    scores: list[float]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    cursor: str | None = None
    ast: Node | None = None
    rows: list[dict[str, Any] | None] = field(default_factory=list)  # stored display rows, in hit order


class SearchIndex:
    """The tantivy index of one workspace."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.schema = build_schema()
        marker = path / "ipnav-schema"
        if path.exists() and (not marker.exists() or marker.read_text().strip() != SCHEMA_VERSION):
            shutil.rmtree(path)  # an index of an older schema is rebuilt, never half-used
        path.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=str(path), reuse=True)
        marker.write_text(SCHEMA_VERSION)
        self.compiler = Compiler(self.index, self.schema)

    # --- writing ------------------------------------------------------------------------------

    def update(self, warehouse: Warehouse, app_keys: Iterable[str]) -> int:
        """Re-index these applications (deleted ones disappear); returns how many documents were added."""
        keys = sorted(set(app_keys))
        if not keys:
            return 0
        writer = self.index.writer(_WRITER_HEAP, 2)
        for key in keys:
            writer.delete_documents_by_term("key", key)
        added = 0
        for patent in iter_patents(warehouse, keys):
            writer.add_document(documents.build_document(patent))
            added += 1
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        return added

    def rebuild(
        self,
        warehouse: Warehouse,
        progress: Callable[[int], None] | None = None,
        *,
        workers: int = 0,
        app_keys: Iterable[str] | None = None,
    ) -> int:
        """Drop everything and index every application of the warehouse (or those of `app_keys`: a shard),
        analysis in worker processes."""
        writer = self.index.writer(_WRITER_HEAP, 2)
        writer.delete_all_documents()
        count = 0
        for fields in analysed(iter_stored(warehouse, app_keys), workers=workers):
            writer.add_document(documents.to_document(fields))
            count += 1
            if progress and count % 1000 == 0:
                progress(1000)
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        return count

    def num_docs(self) -> int:
        """Documents in the index (as of its last commit)."""
        self.index.reload()
        return int(self.index.searcher().num_docs)

    def reload(self) -> None:
        """See the latest commit."""
        self.index.reload()

    def doc_freq(self, field: str, term: str) -> int:
        """Documents holding a term in a field."""
        return int(self.index.searcher().doc_freq(field, term))

    def parse_query(self, text: str, fields: list[str]) -> tantivy.Query:
        """Text analysed by the fields' tokenizers, as tantivy's query parser reads it."""
        return self.index.parse_query(text, fields)

    def top(
        self, compiled: tantivy.Query, want: int, sort_field: str | None = None, descending: bool = False
    ) -> tuple[int, list[tuple[Any, str, bytes | None]]]:
        """The total hits and the best `want` as (rank, key, stored row): rank is the score negated, or
        the sort field's value, so that smaller ranks come first (`ipnav.search.shards` merges them)."""
        searcher = self.index.searcher()
        kwargs: dict[str, Any] = {"limit": max(want, 1), "count": True}
        if sort_field:
            kwargs["order_by_field"] = sort_field
            kwargs["order"] = tantivy.Order.Desc if descending else tantivy.Order.Asc
        result = searcher.search(compiled, **kwargs)
        addresses = [address for _, address in result.hits]
        if sort_field:  # a search ordered by a field gives each hit's value of it in place of a score
            ranks: list[Any] = [_sortable(value, descending) for value, _ in result.hits]
        else:
            ranks = [-float(score) for score, _ in result.hits]
        hits = []
        for rank, address in zip(ranks, addresses, strict=True):
            doc = searcher.doc(address)
            hits.append((rank, str(doc.get_first("key")), doc.get_first("hit")))
        return int(getattr(result, "count", 0) or 0), hits[:want]

    # --- reading ------------------------------------------------------------------------------

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
        """Run a query string; `cursor` continues where the previous page ended (no cap on depth)."""
        ast = parse(query)
        compiled = self._compiler(lookup).compile(ast)
        searcher = self.index.searcher()
        offset = decode_cursor(cursor)
        descending = sort.startswith("-")
        sort_field = sort_field_of(sort)
        kwargs: dict[str, Any] = {"limit": limit, "count": True, "offset": offset}
        if sort_field:
            kwargs["order_by_field"] = sort_field
            kwargs["order"] = tantivy.Order.Desc if descending else tantivy.Order.Asc
        result = searcher.search(compiled, **kwargs)
        keys, scores, rows = [], [], []
        for score, address in result.hits:
            doc = searcher.doc(address)
            keys.append(str(doc.get_first("key")))
            scores.append(float(score) if not sort_field else 0.0)
            stored = doc.get_first("hit")
            rows.append(orjson.loads(stored) if stored else None)
        total = int(getattr(result, "count", 0) or 0)  # set when searched with count=True
        next_offset = offset + len(keys)
        out = SearchResult(
            query=query,
            total=total,
            keys=keys,
            scores=scores,
            ast=ast,
            cursor=encode_cursor(next_offset) if next_offset < total else None,
            rows=rows,
        )
        if facets:
            out.facets = self.facets(compiled, facet_size)
        return out

    def facets(self, compiled: tantivy.Query, size: int) -> dict[str, dict[str, int]]:
        """Counts of hits by year, country, type, status, IPC and province."""
        spec = {
            name: {"terms": {"field": field, "size": size, "segment_size": 100000}} for name, field in FACETS.items()
        }
        raw = self.index.searcher().aggregate(compiled, spec)
        out: dict[str, dict[str, int]] = {}
        for name in FACETS:
            buckets = raw.get(name, {}).get("buckets", [])
            out[name] = {str(b["key"]): int(b["doc_count"]) for b in buckets}
        return out

    def _compiler(self, lookup: Lookup | None) -> Compiler:
        return self.compiler if lookup is None else Compiler(self.index, self.schema, lookup)

    def iter_keys(
        self, query: str, *, page: int = 5000, lookup: Lookup | None = None, within: list[str] | None = None
    ) -> Iterator[str]:
        """Every matching application key (among `within` only, when given: the records an ingest brought),
        streamed in pages by a stable key order: no cap."""
        compiled = self._compiler(lookup).compile(parse(query))
        if within is not None:
            compiled = among_keys(compiled, key_set(self.schema, within))
        searcher = self.index.searcher()
        last: int | None = None
        while True:
            page_query = compiled
            if last is not None:
                after = tantivy.Query.range_query(
                    self.schema, "seq", tantivy.FieldType.Unsigned, last, None, include_lower=False
                )
                page_query = tantivy.Query.boolean_query([(tantivy.Occur.Must, compiled), (tantivy.Occur.Must, after)])
            result = searcher.search(page_query, limit=page, count=False, order_by_field="seq", order=tantivy.Order.Asc)
            if not result.hits:
                return
            addresses = [address for _, address in result.hits]
            for address in addresses:
                yield searcher.doc(address)["key"][0]
            last = int(searcher.fast_field_values("seq", [addresses[-1]])[0] or 0)
            if len(addresses) < page:
                return


def sort_field_of(sort: str) -> str | None:
    """The index field a sort orders by (None: relevance); UsageError naming the sorts there are."""
    field = SORTS.get(sort.lstrip("-"), "missing")
    if field == "missing":
        raise UsageError(f"unknown sort {sort!r}: use relevance, ad, pd, gd, value (prefix - for descending)")
    return field


def encode_cursor(offset: int) -> str:
    """The opaque cursor of a result offset."""
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The result offset a cursor stands for (UsageError for a damaged one)."""
    if not cursor:
        return 0
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return int(json.loads(base64.urlsafe_b64decode(padded))["o"])
    except (ValueError, KeyError, TypeError):
        raise UsageError(f"invalid cursor {cursor!r}") from None


def _sortable(value: Any, descending: bool) -> Any:
    """A sort field's value as a merge rank (missing values last, as tantivy orders them)."""
    if value is None:
        return (1, 0.0)
    number = float(value)
    return (0, -number if descending else number)
