"""Patent -> Arrow rows for the derived tables (pure)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Any

import orjson
import pyarrow as pa

from ipnav.model import Patent, Transaction
from ipnav.normalize import text as analysis
from ipnav.normalize.classification import sei_matches, wipo_fields
from ipnav.normalize.names import applicant_type, canonical_name

_GRANT_KINDS = ("B", "C", "U", "Y", "S", "E", "P")


def _grant(patent: Patent) -> tuple[str, Any]:
    for pub in patent.publications:
        if pub.kind[:1] in _GRANT_KINDS or (pub.country == "CN" and pub.kind[:1] in ("B", "C", "U", "S")):
            return pub.full, pub.date
    return "", None


_STOPWORDS = frozenset(
    "一种 及其 方法 装置 系统 所述 其中 以及 用于 包括 进行 设备 基于 相关 本发明 实现 具有 通过 "
    "the and for with from that this said wherein which method system device apparatus "
    "comprising having first second one more least each into are is an of to in on a by".split()
)


def title_terms(patent: Patent, cap: int = 40) -> list[str]:
    """Distinct words of the title and abstract (Chinese by rjieba, English words of 4+ letters), for the
    top-terms analysis; computed once here instead of at every analysis."""
    text = " ".join([*patent.titles.values(), *patent.abstracts.values()])
    if not text:
        return []
    folded = analysis.fold(text)
    words = [w for run in analysis.cjk_runs(folded) for w in analysis.words(run) if len(w) >= 2]
    words += re.findall(r"[a-z][a-z\-]{3,}", folded)
    return list(dict.fromkeys(w for w in words if w not in _STOPWORDS))[:cap]


def _extra_date(patent: Patent, key: str) -> Any:
    """A date kept in `extra` by table exports that give a date but no number (CNKI)."""
    value = patent.extra.get(key)
    return dt.date.fromisoformat(value) if value else None


def _preferred(texts: dict[str, str]) -> tuple[str, str]:
    for lang in ("zh", "en"):
        if texts.get(lang):
            return texts[lang], lang
    for lang, text in texts.items():
        if text:
            return text, lang
    return "", ""


def hit_row(patent: Patent) -> dict[str, Any]:
    """What a search hit shows of an application: the same values as its `patents` row (plus its
    applicants and publications), stored in the search index so a page of hits needs no warehouse query."""
    title, _ = _preferred(patent.titles)
    abstract, _ = _preferred(patent.abstracts)
    first_pub = patent.publications[0] if patent.publications else None
    grant_number, grant_date = _grant(patent)
    grant_date = grant_date or _extra_date(patent, "grant_date")
    owners = [x for x in patent.parties if x.role in ("applicant", "assignee")]
    applicants = [x for x in patent.parties if x.role == "applicant"] or [x for x in owners if x.role == "assignee"]
    first = applicants[0] if applicants else None
    first_pub_date = first_pub.date if first_pub else _extra_date(patent, "publication_date")
    pubs = sorted(patent.publications, key=lambda x: (x.date is None, x.date or dt.date.min))

    def iso(value: Any) -> str | None:
        return value.isoformat() if value else None

    return {
        "app_key": patent.app_key,
        "app_number": patent.app_number,
        "country": patent.country,
        "patent_type": patent.patent_type,
        "title": title,
        "abstract": abstract[:600],
        "filing_date": iso(patent.filing_date),
        "first_pub_number": first_pub.full if first_pub else "",
        "first_pub_date": iso(first_pub_date),
        "grant_number": grant_number,
        "grant_date": iso(grant_date),
        "legal_status": patent.legal_status,
        "main_ipc": next((c.symbol for c in patent.classifications if c.scheme == "ipc"), ""),
        "applicant_province": first.province_name if first else "",
        "applicant_city": first.city_name if first else "",
        "applicant_county": first.county_name if first else "",
        "applicants": [x.name for x in sorted(owners, key=lambda x: x.sequence)] or None,
        "publications": [x.full + (f" ({x.date.isoformat()})" if x.date else "") for x in pubs] or None,
    }


Columns = dict[str, dict[str, list[Any]]]  # table -> column -> values


def new_columns() -> Columns:
    """Empty column buffers: table -> column -> values."""
    return defaultdict(lambda: defaultdict(list))


def extend(target: Columns, more: Columns) -> None:
    """Append the rows of `more` to `target` (same tables and columns)."""
    for table, columns in more.items():
        for name, values in columns.items():
            target[table][name].extend(values)


def to_tables(cols: Columns) -> dict[str, pa.Table]:
    """Arrow tables of the filled column buffers."""
    return {name: pa.table(dict(columns)) for name, columns in cols.items() if columns}


def patent_rows(patents: list[Patent], doc_counts: dict[str, int], formats: dict[str, str]) -> dict[str, pa.Table]:
    """Arrow tables for every derived table, one batch."""
    return to_tables(patent_columns(patents, doc_counts, formats))


def patent_columns(patents: list[Patent], doc_counts: dict[str, int], formats: dict[str, str]) -> Columns:
    """Column lists for every derived table (plain Python: cheap to pickle from a worker)."""
    cols = new_columns()
    for p in patents:
        for key, value in _patent_row(p, doc_counts, formats).items():
            cols["patents"][key].append(value)
        _child_rows(cols, p)
    return {table: dict(columns) for table, columns in cols.items()}  # plain dicts pickle across processes


def _patent_row(p: Patent, doc_counts: dict[str, int], formats: dict[str, str]) -> dict[str, Any]:
    """The `patents` row of one application: its display fields, first applicant and region."""
    title, title_lang = _preferred(p.titles)
    abstract, _ = _preferred(p.abstracts)
    first_pub = p.publications[0] if p.publications else None
    grant_number, grant_date = _grant(p)
    applicants = [x for x in p.parties if x.role == "applicant"] or [x for x in p.parties if x.role == "assignee"]
    first = applicants[0] if applicants else None
    main_ipc = next((c.symbol for c in p.classifications if c.scheme == "ipc"), "")
    return {
        "app_key": p.app_key,
        "app_number": p.app_number,
        "country": p.country,
        "filing_date": p.filing_date,
        "filing_year": p.filing_date.year if p.filing_date else None,
        "patent_type": p.patent_type,
        "title": title,
        "title_lang": title_lang,
        "titles": orjson.dumps(p.titles).decode(),
        "abstract": abstract,
        "abstracts": orjson.dumps(p.abstracts).decode(),
        "claims_count": p.claims_count,
        "independent_claims": p.independent_claims,
        "first_pub_number": first_pub.full if first_pub else "",
        "first_pub_date": first_pub.date if first_pub else _extra_date(p, "publication_date"),
        "grant_number": grant_number,
        "grant_date": grant_date or _extra_date(p, "grant_date"),
        "legal_status": p.legal_status,
        "legal_status_reason": p.legal_status_reason,
        "legal_status_raw": p.legal_status_raw,
        "family_id": p.family_id,
        "first_applicant": first.name if first else "",
        "applicant_adcode": first.adcode if first else "",
        "applicant_province": first.province_name if first else "",
        "applicant_city": first.city_name if first else "",
        "applicant_county": first.county_name if first else "",
        "main_ipc": main_ipc,
        "source_formats": formats.get(p.app_key, p.source_format),
        "doc_count": doc_counts.get(p.app_key, 1),
        "extra": orjson.dumps(p.extra).decode() if p.extra else "",
        # what the record gives, so the analyses say how many records lack what they count in one scan
        "has_ipc": any(c.scheme == "ipc" for c in p.classifications),
        "has_owner": any(x.role in ("applicant", "assignee") for x in p.parties),
        "has_inventor": any(x.role == "inventor" for x in p.parties),
        "has_text": bool(title or abstract),
        "has_citation": any(c.kind == "patent" for c in p.citations),
    }


def _child_rows(cols: Columns, p: Patent) -> None:
    """The rows of one application in the tables that list its parts (parties, symbols, citations ...)."""
    k = p.app_key
    _extend(cols["publications"], _PUBLICATION, [(k, x.full, x.kind, x.date, x.country) for x in p.publications])
    _extend(
        cols["parties"],
        _PARTY,
        [
            (
                k,
                x.role,
                x.sequence,
                x.name,
                x.name_norm,
                x.address,
                x.city,
                x.state,
                x.country,
                x.postcode,
                x.adcode,
                x.province_name,
                x.city_name,
                x.county_name,
                x.region_flag,
            )
            for x in _unique_parties(p)
        ],
    )
    _extend(cols["classifications"], _CLASSIFICATION, [(k, c.scheme, c.symbol, c.main) for c in p.classifications])
    _extend(cols["priorities"], _PRIORITY, [(k, x.country, x.number, x.date) for x in p.priorities])
    _extend(
        cols["citations"],
        _CITATION,
        [
            (k, seq, c.kind, c.number, c.country, c.kind_code, c.date, c.text, c.category, c.number_raw)
            for seq, c in enumerate(p.citations, 1)
        ],
    )
    ipc = [c.symbol for c in p.classifications if c.scheme == "ipc"]
    _extend(cols["patent_subclasses"], _SUBCLASS, [(k, sc) for sc in dict.fromkeys(s[:4] for s in ipc if len(s) >= 4)])
    _extend(cols["patent_wipo"], _WIPO, [(k, field) for field in wipo_fields(ipc)])
    matches = sei_matches(ipc)
    _extend(
        cols["patent_sei"],
        _SEI,
        [(k, m.code, m.name, m.category_code, m.category_name, m.pattern, m.symbol) for m in matches],
    )
    industries = {m.code: (k, m.code, m.name, m.category_code, m.category_name) for m in reversed(matches)}
    _extend(cols["patent_sei_codes"], _SEI_CODE, sorted(industries.values()))
    owners = [
        (k, n, canonical_name(n), applicant_type(n))
        for n in dict.fromkeys(x.name for x in p.parties if x.role in ("applicant", "assignee"))
    ]
    _extend(cols["patent_owners"], _OWNER, owners)
    entities: dict[str, str] = {}  # one row per merged entity: the type its first spelling reads as
    for _, _, entity, etype in owners:
        entities.setdefault(entity, etype)
    _extend(cols["patent_entities"], _ENTITY, [(k, e, t) for e, t in entities.items()])
    named = sorted(entities)[:30]  # co-applicant pairs; 30 bound a pathological record
    _extend(
        cols["entity_pairs"], _ENTITY_PAIR,
        [(k, a, b, entities[a], entities[b]) for i, a in enumerate(named) for b in named[i + 1 :]],
    )  # fmt: skip
    inventors = sorted({x.name for x in p.parties if x.role == "inventor"})[:30]  # 30 bound a pathological record
    _extend(cols["inventor_pairs"], _PAIR, [(k, a, b) for i, a in enumerate(inventors) for b in inventors[i + 1 :]])
    _extend(cols["patent_terms"], _TERM, [(k, t) for t in title_terms(p)])
    _extend(cols["legal_events"], _EVENT, [(k, e.date, e.code, e.description) for e in p.legal_events])


def transaction_rows(transactions: list[Transaction]) -> dict[str, pa.Table]:
    """Arrow rows of transactions and the patents they name."""
    cols = new_columns()
    for t in transactions:
        _append(
            cols["transactions"],
            key=t.key,
            kind=t.kind,
            execution_date=t.execution_date,
            recorded_date=t.recorded_date,
            assignors="; ".join(t.assignors),
            assignees="; ".join(t.assignees),
            conveyance=t.conveyance,
            amount=t.amount,
            currency=t.currency,
            source_file=t.source_file,
        )
        for number in t.patent_numbers:
            _append(cols["transaction_patents"], key=t.key, app_key=number)
    return to_tables(cols)


_PUBLICATION = ("app_key", "number", "kind", "date", "country")
_PARTY = (
    "app_key",
    "role",
    "seq",
    "name",
    "name_norm",
    "address",
    "city",
    "state",
    "country",
    "postcode",
    "adcode",
    "province_name",
    "city_name",
    "county_name",
    "region_flag",
)
_CLASSIFICATION = ("app_key", "scheme", "symbol", "main")
_PRIORITY = ("app_key", "country", "number", "date")
_CITATION = ("app_key", "seq", "kind", "number", "country", "kind_code", "date", "text", "category", "number_raw")
_SEI = ("app_key", "sei_code", "sei_name", "category_code", "category_name", "pattern", "symbol")
_OWNER = ("app_key", "name", "entity", "etype")
_ENTITY = ("app_key", "entity", "etype")
_ENTITY_PAIR = ("app_key", "a", "b", "a_etype", "b_etype")
_SUBCLASS = ("app_key", "subclass")
_SEI_CODE = ("app_key", "sei_code", "sei_name", "category_code", "category_name")
_WIPO = ("app_key", "field_no")
_PAIR = ("app_key", "a", "b")
_TERM = ("app_key", "term")
_EVENT = ("app_key", "date", "code", "description")


def _unique_parties(patent: Patent) -> list[Any]:
    """One party per role and name, first listing kept: a source that names someone twice must not
    count them twice."""
    seen: set[tuple[str, str]] = set()
    out = []
    for party in patent.parties:
        if (party.role, party.name) not in seen:
            seen.add((party.role, party.name))
            out.append(party)
    return out


def _extend(table: dict[str, list[Any]], names: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Append row tuples column-wise (zip transposes in C: this runs for every citation of every grant)."""
    if rows:
        for name, values in zip(names, zip(*rows, strict=True), strict=True):
            table[name].extend(values)


def _append(table: dict[str, list[Any]], **values: Any) -> None:
    for key, value in values.items():
        table[key].append(value)
