"""The approximate nearest-neighbour index of the vectors (usearch HNSW, cosine, float16), kept in step with
the warehouse's `embeddings` table as the text index is: vectors written after the batch it last took are
added (replacing older ones of the same application), those of removed applications leave; another model
rebuilds it."""

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


def sync(workspace: Workspace, wh: Warehouse, *, rebuild: bool = False) -> dict[str, Any]:
    """Bring the index up to the warehouse's vectors; returns how many were added and the index size."""
    from usearch.index import Index

    path, meta_path = folder(workspace) / "patents.usearch", folder(workspace) / "patents.json"
    meta = json.loads(meta_path.read_text()) if meta_path.is_file() else {}
    if not wh.has_table(store.TABLE):
        return {"added": 0, "vectors": 0}
    model = encoder.model_name()
    fresh = rebuild or not path.is_file() or meta.get("model") != model
    index: Any = _new_index() if fresh else Index.restore(str(path))
    ids, vectors = store.vectors_since(wh, 0 if fresh else int(meta.get("seq", 0)))
    removed = 0
    if not fresh:
        kept = wh.con.execute(f"SELECT vec_id FROM {store.TABLE} WHERE model = ?", [model]).fetchnumpy()["vec_id"]
        gone = np.setdiff1d(np.asarray(index.keys, dtype=np.uint64), kept.astype(np.uint64))
        stale = np.concatenate([gone, ids]) if len(ids) else gone  # removed applications; changed texts
        removed = int(index.remove(stale)) if len(stale) else 0
    if len(ids):
        index.add(ids, vectors.astype(np.float32), threads=0)
    seq = int(wh.con.execute(f"SELECT coalesce(max(seq), 0) FROM {store.TABLE}").fetchall()[0][0])  # type: ignore[index]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    index.save(str(tmp))
    tmp.replace(path)
    meta_path.write_text(json.dumps({"model": model, "seq": seq, "count": len(index)}))
    return {"added": len(ids), "removed": removed, "vectors": len(index), "rebuilt": fresh}


def nearest(workspace: Workspace, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The `k` nearest vector ids to a unit vector, with cosine similarity, best first."""
    path = folder(workspace) / "patents.usearch"
    if not path.is_file():
        return []
    index = _opened(path)
    if len(index) == 0:
        return []
    matches = index.search(vector.astype(np.float32), min(k, len(index)))
    return [(int(key), round(1.0 - float(d), 4)) for key, d in zip(matches.keys, matches.distances, strict=True)]


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
