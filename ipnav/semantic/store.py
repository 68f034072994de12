"""Vectors in the warehouse: one per application, with the model that made it and the hash of its text.

`embed` computes the vectors that are missing or stale (a new application, a changed title or abstract,
another model) in worker processes and writes them batch by batch, so a killed run resumes where it
stopped and a run with nothing new embeds nothing. Vectors are stored as float16 (1 KB each).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

import numpy as np
import pyarrow as pa

from ipnav.semantic import encoder
from ipnav.store.warehouse import Warehouse

TABLE = "embeddings"
_DDL = f"""CREATE TABLE IF NOT EXISTS {TABLE} (
    app_key VARCHAR PRIMARY KEY, vec_id BIGINT, model VARCHAR, text_hash VARCHAR, vector BLOB, seq BIGINT)"""
_CHUNK = 32  # texts per worker call
_WRITE = 512  # vectors per warehouse transaction: what a kill can lose


def vec_id(app_key: str) -> int:
    """The application's number in the vector index (63 bits of a hash of its key)."""
    return int.from_bytes(hashlib.blake2b(app_key.encode(), digest_size=8).digest(), "big") >> 1


def ensure(wh: Warehouse) -> None:
    wh.con.execute(_DDL)


def coverage(wh: Warehouse) -> dict[str, Any]:
    """How many applications have a current vector (the web shows the share)."""
    total = int(wh.con.execute("SELECT count(*) FROM patents").fetchall()[0][0])  # type: ignore[index]
    done = 0
    if wh.has_table(TABLE):
        done = int(
            wh.con.execute(f"SELECT count(*) FROM {TABLE} WHERE model = ?", [encoder.model_name()]).fetchall()[0][0]  # type: ignore[index]
        )
    return {"applications": total, "embedded": done, "share": round(done / total, 4) if total else 0.0,
            "model": encoder.model_name()}  # fmt: skip


def pending(wh: Warehouse) -> tuple[list[tuple[str, str, str]], int]:
    """Applications to embed as (key, text, text hash), and how many stored vectors lost their application
    (removed here)."""
    ensure(wh)
    return todo(wh), remove_orphans(wh)


def remove_orphans(wh: Warehouse) -> int:
    """Remove the vectors of applications the warehouse no longer holds; how many."""
    ensure(wh)
    return len(
        wh.con.execute(
            f"DELETE FROM {TABLE} WHERE app_key NOT IN (SELECT app_key FROM patents) RETURNING app_key"
        ).fetchall()
    )


def todo(wh: Warehouse) -> list[tuple[str, str, str]]:
    """Applications whose vector is missing or stale, as (key, text, text hash); reads only (a snapshot will do)."""
    model = encoder.model_name()
    if not wh.has_table(TABLE):
        rows = wh.con.execute("SELECT app_key, title, abstract, NULL, NULL FROM patents ORDER BY app_key").fetchall()
    else:
        rows = wh.con.execute(
            f"SELECT p.app_key, p.title, p.abstract, e.text_hash, e.model FROM patents p "
            f"LEFT JOIN {TABLE} e USING (app_key) ORDER BY p.app_key"
        ).fetchall()
    found = []
    for key, title, abstract, old_hash, old_model in rows:
        text = encoder.text_of(title, abstract)
        digest = encoder.text_hash(text)
        if text and (digest != old_hash or old_model != model):
            found.append((key, text, digest))
    return found


def encode(items: list[tuple[str, str, str]], workers: int) -> bytes:
    """The float16 vectors of (key, text, hash) items, one 1 KB row each, in order; touches no warehouse."""
    return b"".join(raw for _, raw in _vectors([text for _, text, _ in items], workers))


def encode_stream(
    items: list[tuple[str, str, str]], workers: int
) -> Iterator[tuple[list[tuple[str, str, str]], bytes]]:
    """(items, their float16 vectors) chunk by chunk, in order, from one set of encoder processes (each
    loads the model once); touches no warehouse."""
    for start, raw in _vectors([text for _, text, _ in items], workers):
        yield items[start : start + _CHUNK], raw


def store(wh: Warehouse, items: list[tuple[str, str, str]], raw: bytes, *, seq: int | None = None) -> int:
    """Write vectors `encode` computed, as batch `seq` (a new batch when not given); how many."""
    seq = seq if seq is not None else _next_seq(wh)
    size = encoder.DIMENSIONS * 2
    batch: dict[str, list[Any]] = {
        "app_key": [key for key, _, _ in items],
        "vec_id": [vec_id(key) for key, _, _ in items],
        "text_hash": [digest for _, _, digest in items],
        "vector": [raw[i * size : (i + 1) * size] for i in range(len(items))],
    }
    return _write(wh, batch, encoder.model_name(), seq)


def _encode_chunk(texts: list[str]) -> bytes:
    """Worker: the texts' vectors as float16 bytes (one row of 512 per text)."""
    return encoder.encode(texts).astype(np.float16).tobytes()


def _one_blas_thread() -> None:
    """Worker start: one BLAS thread (the processes share the cores; measured 2,156 against 1,160 docs/s for
    one process whose BLAS uses both cores, and 492 for two processes using two threads each)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


def _vectors(texts: list[str], workers: int) -> Iterator[tuple[int, bytes]]:
    """(chunk start, float16 bytes) for the texts, chunk by chunk in order, encoded by `workers` processes."""
    if workers <= 1:
        for start in range(0, len(texts), _CHUNK):
            yield start, _encode_chunk(texts[start : start + _CHUNK])
        return
    # fork is unsafe in a threaded process (the web server embeds in a background thread): forkserver there
    context = multiprocessing.get_context("forkserver" if threading.active_count() > 1 else "fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_one_blas_thread) as pool:
        waiting: deque[tuple[int, Future[bytes]]] = deque()
        for start in range(0, len(texts), _CHUNK):
            waiting.append((start, pool.submit(_encode_chunk, texts[start : start + _CHUNK])))
            if len(waiting) > workers * 2:
                begun, future = waiting.popleft()
                yield begun, future.result()
        while waiting:
            begun, future = waiting.popleft()
            yield begun, future.result()


def embed(wh: Warehouse, *, workers: int = 0, progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Embed every application whose vector is missing or stale, `_WRITE` at a time (all with one batch number);
    `progress(done, total)` after each write."""
    items, orphans = pending(wh)
    seq = _next_seq(wh)
    done = 0
    part: list[tuple[str, str, str]] = []
    raw: list[bytes] = []
    for chunk, vectors in encode_stream(items, workers or (os.cpu_count() or 1)):
        part.extend(chunk)
        raw.append(vectors)
        if len(part) >= _WRITE or done + len(part) == len(items):
            done += store(wh, part, b"".join(raw), seq=seq)
            part, raw = [], []
            if progress:
                progress(done, len(items))
    return {"computed": done, "removed": orphans, "seq": seq, **coverage(wh)}


def _next_seq(wh: Warehouse) -> int:
    ensure(wh)
    return int(wh.con.execute(f"SELECT coalesce(max(seq), 0) + 1 FROM {TABLE}").fetchall()[0][0])  # type: ignore[index]


def _write(wh: Warehouse, batch: dict[str, list[Any]], model: str, seq: int) -> int:
    if not batch["app_key"]:
        return 0
    table = pa.table({**batch, "vector": pa.array(batch["vector"], pa.binary())})
    wh.con.register("_new_vectors", table)
    try:
        wh.con.execute(
            f"INSERT OR REPLACE INTO {TABLE} SELECT app_key, vec_id, ?, text_hash, vector, ? FROM _new_vectors",
            [model, seq],
        )
    finally:
        wh.con.unregister("_new_vectors")
    return len(batch["app_key"])


def vectors_since(wh: Warehouse, seq: int) -> tuple[np.ndarray, np.ndarray]:
    """(vec ids, float16 vectors) of the current model written after batch `seq`."""
    rows = wh.con.execute(
        f"SELECT vec_id, vector FROM {TABLE} WHERE seq > ? AND model = ? ORDER BY vec_id", [seq, encoder.model_name()]
    ).fetchall()
    ids = np.array([r[0] for r in rows], dtype=np.uint64)
    vectors = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float16).reshape(len(rows), encoder.DIMENSIONS)
    return ids, vectors


def keys_of(wh: Warehouse, ids: list[int]) -> dict[int, str]:
    """Application keys of vector ids."""
    if not ids:
        return {}
    rows = wh.con.execute(f"SELECT vec_id, app_key FROM {TABLE} WHERE vec_id IN (SELECT unnest(?))", [ids]).fetchall()
    return {int(i): k for i, k in rows}
