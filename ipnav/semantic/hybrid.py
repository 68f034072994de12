"""Similar patents from four signals, fused: the lexical ranking (IDF-weighted distinctive terms, BM25), the
semantic neighbours (nearest vectors, any language), citations either way, and shared IPC subclasses.

Reciprocal rank fusion (Cormack et al. 2009, k = 60) adds 1/(60 + rank) for each ranking a patent is in;
a citation between the two counts as a first place, and the share of IPC subclasses they have in common
(Jaccard) multiplies the sum by up to 1.15 (as an addend it let a distant patent of the same subclass
outrank the best lexical match); a patent whose source gave no IPC gets the candidates' average share.
RRF needs no calibration between BM25 scores and cosines, which do not compare. Each hit says why it
matched: its lexical rank with the shared terms, its cosine, the citation, the shared subclasses, and the
passage of its abstract that holds the most shared terms.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from ipnav.config import Workspace
from ipnav.normalize import text as analysis
from ipnav.search.service import rows_for
from ipnav.search.similar import similar
from ipnav.semantic import store, vectors
from ipnav.store.reads import citation_links
from ipnav.store.warehouse import Warehouse

RRF_K = 60
IPC_WEIGHT = 0.15  # shared subclasses reorder neighbours, they do not make one: G06Q alone is common
_SENTENCE = re.compile(r"(?<=[。！？；.!?;])\s*")


def hybrid_similar(workspace: Workspace, wh: Warehouse, number: str, *, limit: int = 10) -> dict[str, Any]:
    """The `limit` patents most similar to one, by fused lexical, semantic, citation and IPC evidence."""
    pool = max(50, limit * 5)
    lexical = similar(workspace, wh, number, limit=pool)
    app_key = lexical["app_key"]
    lexical_rank = {hit["app_key"]: rank for rank, hit in enumerate(lexical["hits"], 1)}
    semantic = _neighbours(workspace, wh, app_key, pool)
    cited = _citations(wh, app_key)
    candidates = (set(lexical_rank) | set(semantic) | set(cited)) - {app_key}
    subclasses = _subclasses(wh, [app_key, *candidates])
    own = subclasses.get(app_key, set())
    share = {key: len(own & subclasses[key]) / len(own | subclasses[key]) for key in candidates if key in subclasses}
    unknown = sum(share.values()) / len(share) if share and own else 0.0  # no IPC in the source: the average
    scored = []
    for key in candidates:
        shared = own & subclasses.get(key, set())
        score = sum(1 / (RRF_K + r) for r in (lexical_rank.get(key), semantic.get(key, (None, 0))[0]) if r)
        score += (1 / (RRF_K + 1)) * (key in cited)
        score *= 1 + IPC_WEIGHT * (share.get(key, unknown) if own else 0)
        scored.append((score, key, shared))
    scored.sort(key=lambda t: (-t[0], t[1]))
    top = scored[:limit]
    rows = {row["app_key"]: row for row in rows_for(wh, [key for _, key, _ in top])}
    terms = lexical["terms"]
    hits = []
    for score, key, shared in top:
        row = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in rows[key].items()}
        found_terms = _terms_in(terms, f"{row.get('title') or ''} {row.get('abstract') or ''}")
        row["score"] = round(score * 1000, 2)  # fused evidence, 1000 x RRF
        row["reasons"] = {
            "lexical_rank": lexical_rank.get(key),
            "terms": found_terms,
            "semantic": semantic[key][1] if key in semantic else None,
            "semantic_rank": semantic[key][0] if key in semantic else None,
            "citation": cited.get(key),
            "shared_ipc": sorted(shared),
            "passage": _passage(row.get("abstract") or "", found_terms),
        }
        hits.append(row)
    covered = store.coverage(wh)
    method = (
        "hybrid: lexical (BM25 over distinctive terms) + semantic (USE v3 cosine) + citations, RRF k=60, x IPC share"
    )
    if not semantic:
        method = "lexical + citations + IPC (this patent has no vector yet: run `ipnav embed`)"
    return {"number": number, "app_key": app_key, "method": method, "terms": terms, "hits": hits,
            "coverage": covered}  # fmt: skip


def _neighbours(workspace: Workspace, wh: Warehouse, app_key: str, k: int) -> dict[str, tuple[int, float]]:
    """Semantic neighbours of an application: key -> (rank, cosine); none when it has no vector."""
    if not wh.has_table(store.TABLE):
        return {}
    row = wh.con.execute(f"SELECT vector FROM {store.TABLE} WHERE app_key = ?", [app_key]).fetchall()
    if not row:
        return {}
    vector = np.frombuffer(row[0][0], dtype=np.float16).astype(np.float32)
    found = vectors.nearest(workspace, vector, k + 1)
    keys = store.keys_of(wh, [vec for vec, _ in found])
    ranked = [(keys[vec], cosine) for vec, cosine in found if vec in keys and keys[vec] != app_key]
    return {key: (rank, cosine) for rank, (key, cosine) in enumerate(ranked, 1)}


def _citations(wh: Warehouse, app_key: str) -> dict[str, str]:
    """Applications this one cites ("cites") or that cite it ("cited_by"), among the warehouse's."""
    links = citation_links(wh, app_key)
    found = {row["app_key"]: "cites" for row in links["out"] if row.get("app_key")}
    found.update({row["app_key"]: "cited_by" for row in links["in"] if row["app_key"] not in found})
    return found


def _subclasses(wh: Warehouse, keys: list[str]) -> dict[str, set[str]]:
    """IPC subclasses (G06F, H01M ...) of applications."""
    rows = wh.con.execute(
        "SELECT app_key, list(subclass) FROM patent_subclasses WHERE app_key = ANY(?::VARCHAR[]) GROUP BY app_key",
        [keys],
    ).fetchall()
    return {key: {s for s in symbols if len(s) == 4} for key, symbols in rows}


def _terms_in(terms: list[str], text: str) -> list[str]:
    folded = analysis.fold(text)
    return [term for term in terms if term in folded]


def _passage(abstract: str, terms: list[str]) -> str:
    """The sentence of the abstract holding the most shared terms (the first when none is shared)."""
    sentences = [s for s in _SENTENCE.split(" ".join(abstract.split())) if s]
    if not sentences:
        return ""
    best = max(sentences, key=lambda s: (sum(t in analysis.fold(s) for t in terms), -sentences.index(s)))
    return best[:240]
