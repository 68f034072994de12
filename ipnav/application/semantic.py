"""Semantic operations of `Ipnav`: vectors of the applications and the search by description."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ipnav.application.access import WarehouseAccess

if TYPE_CHECKING:
    from ipnav.store.warehouse import Warehouse


class SemanticOperations(WarehouseAccess):
    """Embedding (`ipnav embed`) and semantic search (`ipnav search --semantic`)."""

    if TYPE_CHECKING:  # `MatchingOperations`

        def collect_matching_alerts(self, wh: Warehouse, *, patents: list[str], demands: list[str]) -> int: ...

    def embed(
        self, *, workers: int | None = None, progress: Callable[[int, int], None] | None = None
    ) -> dict[str, Any]:
        """Vectors for the applications that have none or a stale one, then the vector index brought up."""
        import time

        from ipnav.semantic import store, vectors

        started = time.perf_counter()
        with self.writing("embed") as wh:
            done = store.embed(wh, workers=workers if workers is not None else self.settings.workers,
                               progress=progress)  # fmt: skip
            done["index"] = vectors.sync(self.workspace, wh)
            fresh = [k for (k,) in wh.con.execute(f"SELECT app_key FROM {store.TABLE} WHERE seq = ?",
                                                  [done["seq"]]).fetchall()] if done["computed"] else []  # fmt: skip
            done["alerts"] = self.collect_matching_alerts(wh, patents=fresh, demands=[]) if fresh else 0
        return {**done, "seconds": round(time.perf_counter() - started, 3)}

    def embed_in_rounds(
        self,
        *,
        round_size: int = 2048,
        workers: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> dict[str, Any]:
        """Embed what is pending in rounds, each round's vectors computed outside the write lock and written in
        a short write (with the index and the alerts): what the web server runs in the background after an
        ingest, so that uploads, demands and topic changes go on meanwhile. Reads a snapshot for the work; a
        text changed meanwhile is embedded again by the next run (its hash differs)."""
        import time

        from ipnav.semantic import store, vectors

        started = time.perf_counter()
        orphaned = f"SELECT count(*) FROM {store.TABLE} WHERE app_key NOT IN (SELECT app_key FROM patents)"
        with self.reading() as reader:
            items = store.todo(reader)
            orphans = reader.has_table(store.TABLE) and bool(reader.con.execute(orphaned).fetchall()[0][0])
        count = workers if workers is not None else self.settings.workers
        done, alerts, removed, added, index = 0, 0, 0, 0, {}
        if progress:
            progress(0, len(items))
        part: list[tuple[str, str, str]] = []
        raw: list[bytes] = []
        chunks = store.encode_stream(items, count or (os.cpu_count() or 1))  # one pool for every round
        for chunk, vectors_of in itertools.chain(chunks, [([], b"")]):
            part.extend(chunk)
            raw.append(vectors_of)
            if not part or (chunk and len(part) < round_size):
                continue
            with self.writing("embed (background)") as wh:  # held for the write only, not the encoding
                done += store.store(wh, part, b"".join(raw))
                index = vectors.sync(self.workspace, wh)
                added += index["added"]
                alerts += self.collect_matching_alerts(wh, patents=[key for key, _, _ in part], demands=[])
            part, raw = [], []
            if progress:
                progress(done, len(items))
        if orphans:
            with self.writing("embed (background)") as wh:
                removed = store.remove_orphans(wh)
                index = vectors.sync(self.workspace, wh)
        return {"computed": done, "removed": removed, "alerts": alerts, "index": {**index, "added": added},
                "seconds": round(time.perf_counter() - started, 3)}  # fmt: skip

    def embedding_coverage(self, wh: Warehouse | None = None) -> dict[str, Any]:
        """How many applications have a current vector."""
        from ipnav.semantic import store

        with self.reading(wh) as reader:
            return store.coverage(reader)

    def semantic_search(self, text: str, *, limit: int = 20, wh: Warehouse | None = None) -> dict[str, Any]:
        """Patents nearest in meaning to a description, in any language."""
        from ipnav.semantic.search import semantic_search

        with self.reading(wh) as reader:
            return semantic_search(self.workspace, reader, text, limit=limit)

    def similar(self, number: str, *, limit: int = 10, wh: Warehouse | None = None) -> dict[str, Any]:
        """Patents most similar to one: lexical ranking, semantic neighbours, citations and shared IPC, fused,
        each hit with its reasons."""
        from ipnav.semantic.hybrid import hybrid_similar

        with self.reading(wh) as reader:
            return hybrid_similar(self.workspace, reader, number, limit=limit)
