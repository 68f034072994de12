"""Find similar patents: the most distinctive words of a patent's title, abstract and first claim,
weighted by inverse document frequency, as one ranked query over the index.

This is the lexical signal (BM25 over distinctive terms, Chinese words by rjieba, English
stems); `ipnav.semantic.hybrid` fuses it with semantic neighbours, citations and shared IPC.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any, cast

import orjson
import tantivy

from ipnav.config import Workspace
from ipnav.normalize import text as analysis
from ipnav.search.service import open_index, rows_for
from ipnav.store.reads import find_app_key, load_patent
from ipnav.store.warehouse import Warehouse

_STOP = {
    "the",
    "and",
    "for",
    "with",
    "from",
    "that",
    "this",
    "said",
    "wherein",
    "which",
    "method",
    "system",
    "device",
    "apparatus",
    "comprising",
    "having",
    "first",
    "second",
    "one",
    "more",
    "least",
    "each",
    "need",
    "needs",
    "make",
    "want",
    "without",
    "using",
    "used",
    "also",
    "such",
    "able",
    "enough",
    "一种",
    "及其",
    "方法",
    "装置",
    "系统",
    "所述",
    "其中",
    "以及",
    "用于",
    "包括",
    "进行",
    "设备",
}


def distinctive_terms(index: Any, text: str, *, top: int = 30) -> list[tuple[tuple[str, str], float]]:
    """The `top` most distinctive words of a text against the index: ((kind, word), tf-idf weight), kind `zhw`
    (a Chinese word) or `en` (an English word), heaviest first."""
    folded = analysis.fold(text)
    total = max(1, index.num_docs())
    tf: Counter[tuple[str, str]] = Counter()
    for run in analysis.cjk_runs(folded):
        tf.update(("zhw", w) for w in analysis.words(run) if len(w) >= 2 and w not in _STOP)
    tf.update(("en", w) for w in re.findall(r"[a-z][a-z0-9\-]{3,}", folded) if w not in _STOP)
    weighted: dict[tuple[str, str], float] = {}
    for (kind, word), count in tf.items():  # tf-idf: repeated, rare words describe the invention
        if kind == "zhw":
            df = index.doc_freq("ab_zhw", word) + index.doc_freq("ti_zhw", word)
        else:
            df = index.top(index.parse_query(word, ["ab_en"]), 0)[0]
        if df and df < total / 2:
            weighted[(kind, word)] = (1 + math.log(count)) * math.log(1 + total / df)
    return sorted(weighted.items(), key=lambda kv: -kv[1])[:top]


def terms_query(index: Any, terms: list[tuple[tuple[str, str], float]], *, leave_out: str = "") -> Any:
    """One query of weighted terms over titles (twice the weight) and abstracts, leaving out one application."""
    should = []
    for (kind, word), weight in terms:
        for field, boost in (("ti", 2.0), ("ab", 1.0)):
            if kind == "zhw":
                query = tantivy.Query.term_query(index.schema, f"{field}_zhw", word)
            else:
                query = index.parse_query(word, [f"{field}_en"])
            should.append((tantivy.Occur.Should, tantivy.Query.boost_query(query, weight * boost)))
    clauses = [(tantivy.Occur.Must, tantivy.Query.boolean_query(should))]
    if leave_out:
        clauses.append((tantivy.Occur.MustNot, tantivy.Query.term_query(index.schema, "key", leave_out)))
    return tantivy.Query.boolean_query(clauses)


def similar(workspace: Workspace, warehouse: Warehouse, number: str, *, limit: int = 10) -> dict[str, Any]:
    """The `limit` applications most similar to the given one, with the terms that drove the match."""
    app_key = find_app_key(warehouse, number)
    patent = load_patent(warehouse, app_key)
    title = " ".join(patent.titles.values())
    # the title counts three times: it names the invention; abstract and first claim describe it
    text = " ".join([title, title, title, *patent.abstracts.values(), *(patent.claims[:1])])
    index = open_index(workspace)
    terms = distinctive_terms(index, text)
    if not terms:
        return {"number": number, "app_key": app_key, "terms": [], "hits": []}
    _, found = index.top(terms_query(index, terms, leave_out=app_key), limit)
    keys = [key for _, key, _ in found]
    scores = {key: -float(rank) for rank, key, _ in found}
    stored = [row for _, _, row in found]  # the display row the index keeps, as search shows it
    rows = [orjson.loads(cast(bytes, row)) for row in stored] if all(stored) else rows_for(warehouse, keys)
    hits = []
    for row in rows:
        row = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
        row["score"] = round(scores[row["app_key"]], 4)
        hits.append(row)
    return {
        "number": number,
        "app_key": app_key,
        "method": "lexical (IDF-weighted distinctive terms, BM25)",
        "terms": [word for (_, word), _ in terms],
        "hits": hits,
    }
