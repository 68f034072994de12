"""Search as users see it: hits with bibliographic data and highlights, facets, cursor; shared by CLI and API."""

from __future__ import annotations

import functools
import html
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from ipnav.config import Settings, Workspace
from ipnav.errors import UsageError
from ipnav.normalize import text as analysis
from ipnav.search.index import SearchIndex, decode_cursor, encode_cursor
from ipnav.search.lookups import WarehouseLookup
from ipnav.search.query import And, Node, Not, Or, Term
from ipnav.search.shards import ShardedIndex, is_sharded
from ipnav.store.warehouse import Warehouse

_ROWS_SQL = """
WITH owners AS (
    SELECT x.app_key, list(x.name ORDER BY x.seq) AS applicants FROM parties x
    WHERE x.app_key = ANY($1::VARCHAR[]) AND x.role IN ('applicant', 'assignee') GROUP BY x.app_key
), pubs AS (
    SELECT x.app_key, list(x.number || coalesce(' (' || CAST(x.date AS VARCHAR) || ')', '') ORDER BY x.date)
        AS publications
    FROM publications x WHERE x.app_key = ANY($1::VARCHAR[]) GROUP BY x.app_key
), pats AS (SELECT * FROM patents p WHERE p.app_key = ANY($1::VARCHAR[]))
SELECT p.app_key, p.app_number, p.country, p.patent_type, p.title, p.abstract, p.filing_date, p.first_pub_number,
       p.first_pub_date, p.grant_number, p.grant_date, p.legal_status, p.main_ipc, p.applicant_province,
       p.applicant_city, p.applicant_county, o.applicants, b.publications
FROM pats p LEFT JOIN owners o USING (app_key) LEFT JOIN pubs b USING (app_key)
"""


def index_path(workspace: Workspace) -> Path:
    """The workspace's search index folder."""
    return workspace.root / "index"


_OPEN_LOCK = threading.Lock()


def open_index(workspace: Workspace) -> SearchIndex | ShardedIndex:
    """The workspace's index (one, or shards answering as one), opened once per process and reloaded to
    see the latest commit."""
    with _OPEN_LOCK:  # the first requests of a server arrive together: open (or create) the index once
        index = _open(index_path(workspace).resolve())
    index.reload()
    return index


@functools.lru_cache(maxsize=8)
def _open(path: Path) -> SearchIndex | ShardedIndex:
    return ShardedIndex(path) if is_sharded(path) else SearchIndex(path)


def reshard(workspace: Workspace, shards: int) -> None:
    """Lay the index out anew: `shards` hash shards per office, or one index (0); `rebuild_index` fills it."""
    path = index_path(workspace).resolve()
    with _OPEN_LOCK:
        _open.cache_clear()
        shutil.rmtree(path, ignore_errors=True)
        if shards:
            ShardedIndex(path, shards)


class IndexBehind(UsageError):
    """The warehouse holds documents the search index has not seen (an ingest with --no-index)."""

    status = 409


def _index_runs(workspace: Workspace, warehouse: Warehouse) -> tuple[int, int]:
    """(last ingest run the index has seen, last run that stored documents or changed derived rows)."""
    marker = index_path(workspace) / "indexed-run"
    seen = int(marker.read_text()) if marker.exists() else 0
    latest = int(
        warehouse.con.execute(  # type: ignore[index]
            "SELECT greatest((SELECT coalesce(max(run_id), 0) FROM documents), "
            "(SELECT coalesce(max(run_id), 0) FROM touched_apps))"
        ).fetchone()[0]
    )
    return seen, latest


def check_index(workspace: Workspace, warehouse: Warehouse) -> None:
    """Raise IndexBehind when the index misses documents; reads never update it (ingest and reindex do)."""
    seen, latest = _index_runs(workspace, warehouse)
    if latest > seen:
        raise IndexBehind(
            f"检索索引未包含最近导入的数据 the search index is behind the warehouse (ingest run {latest} not "
            "indexed): run `ipnav reindex`"
        )


def sync_index(workspace: Workspace, warehouse: Warehouse) -> int:
    """Bring the index up to date with the warehouse: every document stored by a run the index has not
    seen yet is (re-)indexed. Crash-safe: the watermark moves only after a successful commit."""
    index = open_index(workspace)
    seen, latest = _index_runs(workspace, warehouse)
    if latest <= seen:
        return 0
    if seen == 0:
        count = index.rebuild(warehouse)
    else:
        keys = [
            r[0]
            for r in warehouse.con.execute(
                "SELECT DISTINCT app_key FROM documents WHERE run_id > ? AND kind = 'patent' "
                "UNION SELECT app_key FROM touched_apps WHERE run_id > ?",
                [seen, seen],
            ).fetchall()
        ]
        count = index.update(warehouse, keys)
    (index_path(workspace) / "indexed-run").write_text(str(latest))
    return count


def spark_rebuild(workspace: Workspace, warehouse: Warehouse, spark: Any, lake: Path, shards: int) -> dict[str, int]:
    """The index laid out anew as `shards` hash shards per office, each built by a Spark task from the lake
    (`ipnav.search.spark_shards`); the lake must be the warehouse's as it is now. Marks the index current."""
    from ipnav.search.spark_shards import build_on_spark

    if shards < 1:
        raise UsageError("a Spark-built index is sharded: give --shards 1 or more")
    reshard(workspace, shards)
    built = build_on_spark(spark, lake, index_path(workspace).resolve())
    with _OPEN_LOCK:
        _open.cache_clear()  # the shards the tasks wrote
    (index_path(workspace) / "indexed-run").write_text(str(_index_runs(workspace, warehouse)[1]))
    return built


def rebuild_index(workspace: Workspace, warehouse: Warehouse) -> int:
    """Index every application of the warehouse anew; marks the index current."""
    warehouse.tune_for_bulk_load()  # bounded memory: the scan sorts every stored document by application
    index = open_index(workspace)
    count = index.rebuild(warehouse)
    (index_path(workspace) / "indexed-run").write_text(str(_index_runs(workspace, warehouse)[1]))
    return count


def rows_for(warehouse: Warehouse, keys: list[str]) -> list[dict[str, Any]]:
    """Display rows for application keys, in the given order."""
    if not keys:
        return []
    cursor = warehouse.con.execute(_ROWS_SQL, [keys])  # a list parameter: registering a table costs more
    names = [d[0] for d in cursor.description]
    by_key = {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
    return [by_key[k] for k in keys if k in by_key]


def search(
    workspace: Workspace,
    warehouse: Warehouse,
    query: str,
    *,
    limit: int = 20,
    sort: str = "relevance",
    cursor: str | None = None,
    facets: bool = True,
    settings: Settings,
) -> dict[str, Any]:
    """One page of results: hits (one per application, publications listed), total, facets, next cursor.

    Each hit carries its value score; `sort=value` / `-value` orders by it and `value>=60` filters by it
    (scores come from the warehouse's score table, see `ipnav.value.service`).
    """
    index = open_index(workspace)
    values = WarehouseLookup(warehouse, settings)
    if sort.lstrip("-") == "value":
        result = index.search(query, limit=1, sort="relevance", facets=facets, lookup=values)
        offset = decode_cursor(cursor)
        keys = values.order(list(index.iter_keys(query, lookup=values)), descending=sort.startswith("-"))
        result.keys = keys[offset : offset + limit]
        result.rows = []  # the page is another one: its rows come from the warehouse
        result.scores = [0.0] * len(result.keys)
        result.total = len(keys)
        result.cursor = encode_cursor(offset + limit) if offset + limit < len(keys) else None
    else:
        result = index.search(query, limit=limit, sort=sort, cursor=cursor, facets=facets, lookup=values)
    terms = highlight_terms(result.ast) if result.ast is not None else []
    scores = values.scores(result.keys)
    hits = []
    complete = bool(result.rows) and all(r is not None for r in result.rows)  # every hit's row is in the index
    display = cast(list[dict[str, Any]], result.rows) if complete else rows_for(warehouse, result.keys)
    for found, score in zip(display, result.scores, strict=False):
        row = _plain(found)
        row["score"] = round(score, 4)
        row["value"] = scores.get(row["app_key"])
        row["title_html"] = highlight(row["title"] or "", terms)
        row["snippet_html"] = highlight(snippet(row["abstract"] or "", terms), terms)
        hits.append(row)
    return {
        "query": query,
        "total": result.total,
        "hits": hits,
        "facets": result.facets,
        "cursor": result.cursor,
        "sort": sort,
        "value_as_of": values.as_of,
    }


def matching_keys(
    workspace: Workspace, warehouse: Warehouse, query: str, settings: Settings, within: list[str] | None = None
) -> Iterator[str]:
    """Every application key a query matches (value ranges looked up in the warehouse; among `within` only,
    when given)."""
    return open_index(workspace).iter_keys(query, lookup=WarehouseLookup(warehouse, settings), within=within)


def search_all(
    workspace: Workspace, warehouse: Warehouse, query: str, settings: Settings, *, batch: int = 1000
) -> Iterator[dict[str, Any]]:
    """Every hit, streamed: no cap."""
    keys: list[str] = []
    for key in matching_keys(workspace, warehouse, query, settings):
        keys.append(key)
        if len(keys) >= batch:
            yield from (_plain(r) for r in rows_for(warehouse, keys))
            keys = []
    yield from (_plain(r) for r in rows_for(warehouse, keys))


def highlight_terms(node: Node, negated: bool = False) -> list[str]:
    """Positive text terms of a query (for highlighting)."""
    if isinstance(node, Not):
        return []
    if isinstance(node, And | Or):
        return [t for item in node.items for t in highlight_terms(item)]
    if isinstance(node, Term) and node.field in ("any", "ti", "ab", "cl", "tiab", "tiabc", "tx", "desc"):
        folded = analysis.fold(node.text)
        return [p for p in re.split(r"[\s*?]+", folded) if p]
    return []


def highlight(text: str, terms: list[str]) -> str:
    """HTML-escaped text with <em> around every occurrence of the terms (folding-aware for Chinese)."""
    if not text:
        return ""
    folded = analysis.fold(text)
    if len(folded) != len(text):
        return html.escape(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        if not term:
            continue
        pattern = (
            re.escape(term) if analysis.cjk_runs(term) else r"\b" + re.escape(term[: max(3, len(term) - 2)]) + r"\w*"
        )
        spans.extend(m.span() for m in re.finditer(pattern, folded) if m.end() > m.start())
    if not spans:
        return html.escape(text)
    merged: list[list[int]] = []
    for start, end in sorted(spans):  # overlapping or touching matches become one <em>
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, done = [], 0
    for start, end in merged:
        out.append(html.escape(text[done:start]))
        out.append(f"<em>{html.escape(text[start:end])}</em>")
        done = end
    out.append(html.escape(text[done:]))
    return "".join(out)


def snippet(text: str, terms: list[str], width: int = 160) -> str:
    """A window of the text around the first query term, with terms marked."""
    if len(text) <= width:
        return text
    folded = analysis.fold(text)
    positions = [folded.find(t) for t in terms if t and folded.find(t) >= 0]
    start = max(0, min(positions) - width // 3) if positions else 0
    return ("…" if start else "") + text[start : start + width] + "…"


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
