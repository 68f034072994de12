"""Describe the technology, find the patents: the nearest vectors to a description, in any language."""

from __future__ import annotations

from typing import Any

from ipnav.config import Workspace
from ipnav.errors import UsageError
from ipnav.search.service import rows_for
from ipnav.semantic import encoder, store, vectors
from ipnav.store.warehouse import Warehouse


def semantic_search(workspace: Workspace, wh: Warehouse, text: str, *, limit: int = 20) -> dict[str, Any]:
    """The applications whose title and abstract mean the most what `text` says, best first, each with its
    cosine similarity (`semantic`); the coverage says how many applications have a vector."""
    text = " ".join(text.split())
    if not text:
        raise UsageError("describe the technology to search for (a sentence or a few keywords)")
    covered = store.coverage(wh)
    if not covered["embedded"]:
        raise UsageError("no application has a vector yet: run `ipnav embed` (语义检索需要先计算向量)")
    found = vectors.nearest(workspace, encoder.encode([text])[0], limit)
    keys = store.keys_of(wh, [vec for vec, _ in found])
    similarity = {keys[vec]: score for vec, score in found if vec in keys}
    rows = rows_for(wh, list(similarity))
    for row in rows:
        row["semantic"] = row["score"] = similarity[row["app_key"]]
    return {"query": text, "mode": "semantic", "total": len(rows), "hits": rows, "cursor": None, "facets": {},
            "coverage": covered}  # fmt: skip
