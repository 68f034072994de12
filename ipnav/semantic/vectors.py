"""The approximate nearest-neighbour index of the vectors (usearch HNSW, cosine, float16), kept in step with
the warehouse's `embeddings` table as the text index is: vectors written after the batch it last took are
added (replacing older ones of the same application), those of removed applications leave; another model
rebuilds it. When the text index is cut into hash shards per office (`ipnav reindex --shards N`), the vector
index is cut the same way (`patents-CN-0.usearch` ...): a sync rewrites only the shards it touched, and a
query asks every shard and keeps the best."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import numpy as np

from ipnav.config import Workspace
from ipnav.semantic import encoder, store
from ipnav.store.warehouse import Warehouse

_LOCK = threading.Lock()
_OPEN: dict[Path, tuple[float, Any]] = {}


def folder(workspace: Workspace) -> Path:
    return workspace.root / "vectors"


def _new_index() -> Any:
    from usearch.index import Index

    return Index(ndim=encoder.DIMENSIONS, metric="cos", dtype="f16", connectivity=16, expansion_add=128,
                 expansion_search=96)  # fmt: skip


def _layout(workspace: Workspace) -> int:
    """Hash shards per office of the text index (0: one index): the vector index is cut the same way."""
    from ipnav.search.service import index_path
    from ipnav.search.shards import SHARDS_FILE

    layout = index_path(workspace) / SHARDS_FILE
    return int(json.loads(layout.read_text())["per_office"]) if layout.is_file() else 0


def _files(workspace: Workspace) -> list[Path]:
    """The index files: `patents.usearch`, or one per shard (`patents-CN-0.usearch` ...)."""
    return sorted(folder(workspace).glob("patents*.usearch"))


def sync(workspace: Workspace, wh: Warehouse, *, rebuild: bool = False) -> dict[str, Any]:
    """Bring the index up to the warehouse's vectors; returns how many were added and removed, the index size
    and its shards. A shard is rewritten only when a vector of it was added or removed."""
    from usearch.index import Index

    home, meta_path = folder(workspace), folder(workspace) / "patents.json"
    meta = json.loads(meta_path.read_text()) if meta_path.is_file() else {}
    if not wh.has_table(store.TABLE):
        return {"added": 0, "removed": 0, "vectors": 0, "rebuilt": False, "shards": 0}
    model, per_office = encoder.model_name(), _layout(workspace)
    files = _files(workspace)
    fresh = rebuild or not files or meta.get("model") != model or int(meta.get("per_office", 0)) != per_office
    since = 0 if fresh else int(meta.get("seq", 0))
    placed = _placed(wh, per_office)  # vec id -> shard, of every current vector
    added: dict[str, list[int]] = {}
    ids, vectors = store.vectors_since(wh, since)
    for row, vec in enumerate(ids.tolist()):
        if vec in placed:  # not a vector whose application has just been removed
            added.setdefault(placed[vec], []).append(row)
    if fresh:
        for path in files:
            path.unlink()
    kept_by_shard: dict[str, set[int]] = {}
    for vec, name in placed.items():
        kept_by_shard.setdefault(name, set()).add(vec)
    names = set(added) | ({_name_of(p) for p in _files(workspace)} if not fresh else set())
    total_added = removed = 0
    home.mkdir(parents=True, exist_ok=True)
    for name in sorted(names):
        path = home / f"{name}.usearch"
        rows = added.get(name, [])
        new_ids = ids[rows] if rows else np.empty(0, dtype=np.uint64)
        present = np.asarray(_opened(path).keys, dtype=np.uint64) if path.is_file() else new_ids[:0]  # a view
        kept = np.fromiter(kept_by_shard.get(name, ()), dtype=np.uint64)
        stale = np.union1d(np.setdiff1d(present, kept), np.intersect1d(present, new_ids))
        if not len(stale) and not rows:
            continue  # untouched: not rewritten
        index: Any = Index.restore(str(path)) if path.is_file() else _new_index()
        removed += int(index.remove(stale)) if len(stale) else 0
        if rows:
            index.add(new_ids, vectors[rows].astype(np.float32), threads=0)
            total_added += len(rows)
        if len(index):
            tmp = path.with_suffix(".tmp")
            index.save(str(tmp))
            tmp.replace(path)
        else:
            path.unlink(missing_ok=True)
    seq = int(wh.con.execute(f"SELECT coalesce(max(seq), 0) FROM {store.TABLE}").fetchall()[0][0])  # type: ignore[index]
    shards = _files(workspace)
    count = sum(len(_opened(path)) for path in shards)
    meta_path.write_text(json.dumps({"model": model, "seq": seq, "count": count, "per_office": per_office}))
    return {"added": total_added, "removed": removed, "vectors": count, "rebuilt": fresh, "shards": len(shards)}


def _name_of(path: Path) -> str:
    return path.name.removesuffix(".usearch")


def _placed(wh: Warehouse, per_office: int) -> dict[int, str]:
    """The index file of each current vector: `patents`, or `patents-<office>-<bucket>` as the text shards."""
    from ipnav.search.shards import shard_name

    rows = wh.con.execute(
        f"SELECT e.vec_id, e.app_key, p.country FROM {store.TABLE} e JOIN patents p USING (app_key) WHERE e.model = ?",
        [encoder.model_name()],
    ).fetchall()
    if not per_office:
        return {int(vec): "patents" for vec, _, _ in rows}
    return {int(vec): f"patents-{shard_name(key, country or '', per_office)}" for vec, key, country in rows}


def nearest(workspace: Workspace, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The `k` nearest vector ids to a unit vector, with cosine similarity, best first (every shard asked)."""
    found: list[tuple[int, float]] = []
    for path in _files(workspace):
        index = _opened(path)
        if len(index) == 0:
            continue
        matches = index.search(vector.astype(np.float32), min(k, len(index)))
        found += [(int(key), round(1.0 - float(d), 4)) for key, d in zip(matches.keys, matches.distances, strict=True)]
    return sorted(found, key=lambda t: -t[1])[:k]


def _opened(path: Path) -> Any:
    """The index, loaded once per process and again when a sync replaced the file."""
    from usearch.index import Index

    stamp = path.stat().st_mtime
    with _LOCK:
        cached = _OPEN.get(path)
        if cached is None or cached[0] != stamp:
            cached = (stamp, Index.restore(str(path), view=True))
            _OPEN[path] = cached
    return cached[1]
