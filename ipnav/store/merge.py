"""Merge the source documents of one application into one Patent (pure).

Rules: publications, citations and priorities are unions; text, parties and
classifications come from the most recent publication that has them (the grant
states the current owner and the granted claims); a known legal status beats
'unknown', the most recent wins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ipnav.model import Patent

_FAR_PAST = dt.date(1, 1, 1)


def _recency(patent: Patent) -> tuple[dt.date, str, str]:
    pub = max(patent.publications, key=lambda p: (p.date or _FAR_PAST, p.kind), default=None)
    if pub is None:
        return _FAR_PAST, "", patent.source_format
    return pub.date or _FAR_PAST, pub.kind, patent.source_format


def merge_documents(documents: Iterable[Patent]) -> Patent:
    """One Patent from all documents of an application (documents share app_key)."""
    docs = sorted(documents, key=_recency)
    if len(docs) == 1:
        return docs[0]
    # records without a number (content keys K:...) linked to a numbered one take the number's key;
    # linked among themselves, the smallest (ipnav.store.warehouse._LINKS_SQL)
    numbered = [d.app_key for d in docs if not d.app_key.startswith("K:")]
    merged = Patent(app_key=numbered[-1] if numbered else min(d.app_key for d in docs))
    for doc in docs:  # oldest first: later documents overwrite
        merged.app_number = doc.app_number or merged.app_number
        merged.country = doc.country or merged.country
        merged.filing_date = doc.filing_date or merged.filing_date
        if doc.patent_type != "other":
            merged.patent_type = doc.patent_type
        merged.titles.update({k: v for k, v in doc.titles.items() if v})
        merged.abstracts.update({k: v for k, v in doc.abstracts.items() if v})
        if doc.claims or doc.claims_count:
            merged.claims, merged.claims_count = doc.claims, doc.claims_count
            merged.independent_claims = doc.independent_claims
        merged.description = doc.description or merged.description
        roles = {p.role for p in doc.parties}
        if roles:
            merged.parties = [p for p in merged.parties if p.role not in roles] + list(doc.parties)
        schemes = {c.scheme for c in doc.classifications}
        if schemes:
            merged.classifications = [c for c in merged.classifications if c.scheme not in schemes] + list(
                doc.classifications
            )
        merged.family_id = doc.family_id or merged.family_id
        if doc.legal_status != "unknown":
            merged.legal_status, merged.legal_status_reason = doc.legal_status, doc.legal_status_reason
            merged.legal_status_raw = doc.legal_status_raw
        merged.extra.update(doc.extra)
        merged.source_format = doc.source_format
        merged.source_file, merged.source_position = doc.source_file, doc.source_position
    merged.publications = _union(p for d in docs for p in d.publications)
    merged.citations = _union(c for d in docs for c in d.citations)
    merged.priorities = _union(p for d in docs for p in d.priorities)
    merged.legal_events = _union(e for d in docs for e in d.legal_events)
    merged.publications.sort(key=lambda p: (p.date or _FAR_PAST, p.kind))
    return merged


def _union(items: Iterable[object]) -> list:  # type: ignore[type-arg]
    seen: set[object] = set()
    out = []
    for item in items:
        key = repr(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
