"""Patent -> tantivy document (pure)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import orjson
import tantivy

from ipnav.model import Patent
from ipnav.normalize import text as analysis
from ipnav.normalize.classification import sei_codes
from ipnav.store.rows import hit_row


def seq_of(app_key: str) -> int:
    """Stable 63-bit sequence number of an application (keyset paging for --all)."""
    return int.from_bytes(hashlib.blake2b(app_key.encode(), digest_size=8).digest(), "big") >> 1


class _Fields(dict):  # type: ignore[type-arg]
    """field name -> list of values; plain data, so it can be built in a worker process."""

    def add(self, name: str, value: object) -> None:
        self.setdefault(name, []).append(value)


def _add_text(doc: _Fields, field: str, text: str, *, words: bool = True) -> None:
    if not text:
        return
    folded = analysis.fold(text)
    doc.add(f"{field}_en", folded)
    runs = analysis.cjk_runs(folded)
    if runs:
        doc.add(f"{field}_zh1", analysis.unigram_text(runs))
        bigrams = analysis.bigram_text(runs)
        if bigrams:
            doc.add(f"{field}_zh2", bigrams)
        if words:
            doc.add(f"{field}_zhw", analysis.word_text(runs))


def _datetime(value: dt.date | None) -> dt.datetime | None:
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC) if value else None


def number_terms(patent: Patent) -> list[str]:
    """Every spelling of the application's and publications' numbers, for exact lookup."""
    terms = {patent.app_key, patent.app_number.replace(".", ""), patent.app_number}
    for pub in patent.publications:
        terms.update({pub.number, pub.full})
        digits = "".join(c for c in pub.number if c.isdigit())
        terms.add(digits)
    terms.add("".join(c for c in patent.app_key if c.isdigit()))
    return sorted(t.upper() for t in terms if t)


def ipc_terms(symbols: list[str]) -> list[str]:
    """Each symbol with its ancestors: H, H01, H01M, H01M4, H01M4/13."""
    terms: set[str] = set()
    for symbol in symbols:
        group = symbol.split("/", 1)[0]
        terms.update({symbol[:1], symbol[:3], symbol[:4], group, symbol})
    return sorted(terms)


def region_terms(patent: Patent) -> list[str]:
    """The applicants' adcodes at every level (province, city, county)."""
    terms: set[str] = set()
    for party in patent.parties:
        if party.role in ("applicant", "assignee") and party.adcode:
            code = party.adcode
            terms.update({code[:2], code[:4], code})
    return sorted(terms)


def build_document(patent: Patent) -> tantivy.Document:
    """The index document of one application (merged over its publications)."""
    return to_document(document_fields(patent))


def to_document(fields: dict[str, list[object]]) -> tantivy.Document:
    """A tantivy document from field -> values."""
    doc = tantivy.Document()
    for name, values in fields.items():
        add = _ADDERS.get(name, doc.add_text)
        adder = getattr(doc, add) if isinstance(add, str) else add
        for value in values:
            adder(name, value)
    return doc


_ADDERS: dict[str, Any] = {
    "seq": "add_unsigned",
    "ad": "add_date",
    "pd": "add_date",
    "gd": "add_date",
    "ad_year": "add_integer",
    "hit": "add_bytes",
}


def document_fields(patent: Patent) -> dict[str, list[object]]:
    """Field values of one application's index document (pure; cheap to send between processes)."""
    doc = _Fields()
    doc.add("key", patent.app_key)
    doc.add("seq", seq_of(patent.app_key))
    for lang_texts, field in ((patent.titles, "ti"), (patent.abstracts, "ab")):
        for text in lang_texts.values():
            _add_text(doc, field, text)
    _add_text(doc, "cl", "\n".join(patent.claims))
    _add_text(doc, "desc", patent.description, words=False)
    roles = {"pa": ("applicant", "assignee"), "in": ("inventor",), "ag": ("agent", "agency")}
    for field, wanted in roles.items():
        for party in patent.parties:
            if party.role in wanted:
                folded = analysis.fold(party.name)
                doc.add(f"{field}_en", folded)
                runs = analysis.cjk_runs(folded)
                if runs:
                    doc.add(f"{field}_zh1", analysis.unigram_text(runs))
                    doc.add(f"{field}_zh2", analysis.bigram_text(runs) or analysis.RUN_BREAK)
    for term in number_terms(patent):
        doc.add("numbers", term)
    ipc = [c.symbol for c in patent.classifications if c.scheme == "ipc"]
    for term in ipc_terms(ipc):
        doc.add("ipc", term)
    for term in ipc_terms([c.symbol for c in patent.classifications if c.scheme == "cpc"]):
        doc.add("cpc", term)
    for sub in sorted({s[:4] for s in ipc}):
        doc.add("ipc_sub", sub)
    for code in sei_codes(ipc):
        doc.add("sei", code)
    for term in region_terms(patent):
        doc.add("region", term)
    owners = [p for p in patent.parties if p.role == "applicant"] or [p for p in patent.parties if p.role == "assignee"]
    for name in sorted({p.name_norm or p.name for p in owners}):
        doc.add("pa_facet", name)
    first = owners[0] if owners else None
    doc.add("cc", patent.country or "-")
    doc.add("type", patent.patent_type)
    doc.add("status", patent.legal_status)
    doc.add("province", first.province_name if first and first.province_name else "-")
    doc.add("city", first.city_name if first and first.city_name else "-")
    filing = _datetime(patent.filing_date)
    if filing:
        doc.add("ad", filing)
        doc.add("ad_year", filing.year)
    pubs = sorted(p.date for p in patent.publications if p.date)
    if not pubs and patent.extra.get("publication_date"):  # table exports without a publication number
        pubs = [dt.date.fromisoformat(patent.extra["publication_date"])]
    if pubs:
        doc.add("pd", _datetime(pubs[0]))
    grants = sorted(p.date for p in patent.publications if p.date and p.kind[:1] in ("B", "C", "S", "U", "E", "P"))
    if grants:
        doc.add("gd", _datetime(grants[0]))
    doc.add("hit", orjson.dumps(hit_row(patent)))
    return dict(doc)


__all__ = ["build_document", "document_fields", "number_terms", "seq_of", "to_document"]
