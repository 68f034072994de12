"""Building blocks shared by the parsers: parties, classifications, claims, citations.

These take already-extracted strings; the XPath for each format lives in that
format's module.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ipnav.errors import RecordError
from ipnav.model import Citation, Classification, Party, Patent, Priority, Publication
from ipnav.normalize.classification import canonical_symbol
from ipnav.normalize.dates import parse_date
from ipnav.normalize.names import normalize_name
from ipnav.normalize.numbers import normalize_publication_number, parse_application_number, structured_number
from ipnav.normalize.status import cn_type_from_number, type_from_kind

_CLAIM_REF_RE = re.compile(
    r"(according to|as claimed in|as recited in|as defined in|as set forth in|as in|of) (any (one )?of )?claims?\s*\d"
    r"|根据权利要求|如权利要求|按照权利要求|权利要求\s*\d+\s*(或|至|-|~|所述|中)"
    r"|請求項|nach (einem der )?anspr(uch|üche)|gemäß (einem der )?anspr(uch|üche)|wie in anspruch"
    r"|selon (l'une (quelconque )?des )?revendications?|claimed in claim",
    re.I,
)


def party(role: str, name: str, seq: int = 0, **address: str) -> Party | None:
    """A party of a role, its name cleaned; None for an empty name."""
    name = re.sub(r"\s+", " ", name).strip()
    if not name:
        return None
    return Party(role=role, name=name, name_norm=normalize_name(name), sequence=seq, **address)


def classifications(scheme: str, raws: Iterable[str]) -> list[Classification]:
    """Classification symbols of a scheme in canonical spelling, the first marked main, duplicates dropped."""
    out: list[Classification] = []
    seen: set[str] = set()
    for raw in raws:
        symbol = canonical_symbol(raw) if scheme in ("ipc", "cpc") else raw.strip()
        if symbol and symbol not in seen:
            seen.add(symbol)
            out.append(Classification(scheme=scheme, symbol=symbol, main=not out))
    return out


def count_independent(claims: list[str], has_ref: list[bool] | None = None) -> int:
    """Independent claims: those that refer to no other claim (markup when present, else wording)."""
    if has_ref is not None and any(has_ref):
        return sum(1 for ref in has_ref if not ref)
    return sum(1 for text in claims if not _CLAIM_REF_RE.search(text[:300]))


_PLAIN_NUMBER_RE = re.compile(r"^(RE|PP|D|H|T|X)?0*(\d{1,8})$")
_DATE8_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def patent_citation(raw_number: str, country: str, kind: str, date: str, category: str, name: str = "") -> Citation:
    """A citation of a patent document with its number in canonical spelling."""
    plain = _PLAIN_NUMBER_RE.match(raw_number) if country in ("US", "") else None
    cited_date = _citation_date(date)
    structured = None if plain else structured_number(raw_number, country, cited_date.year if cited_date else None)
    if plain:  # fast path for the common US form `5125384`, `D0038206`
        number, kind_code = f"US{plain.group(1) or ''}{plain.group(2)}", kind
    elif structured:  # EP application with check digit, JP era year, design suffix: kept as they are
        number, kind_code = structured, kind
    else:
        try:
            number, kind_code = normalize_publication_number(raw_number, country or "US", kind)
        except RecordError:
            number, kind_code = (country + raw_number).replace(" ", ""), kind
    return Citation(
        kind="patent",
        number=number,
        country=country,
        kind_code=kind_code,
        date=cited_date,
        text=name,
        category=_category(category),
        number_raw=raw_number if number != f"{country}{raw_number}" else "",
    )


@functools.lru_cache(maxsize=65536)
def _citation_date(date: str) -> dt.date | None:
    """Citation dates repeat a lot (and are often partial, `19060800`): parse each spelling once."""
    match = _DATE8_RE.match(date)
    if match:
        year, month, day = int(match.group(1)), int(match.group(2)) or 1, int(match.group(3)) or 1
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    try:
        return parse_date(date, partial=True) if date else None
    except RecordError:
        return None


@functools.lru_cache(maxsize=1024)
def _category(raw: str) -> str:
    lowered = raw.lower()
    if "examiner" in lowered:
        return "examiner"
    if "applicant" in lowered:
        return "applicant"
    if "other" in lowered or "third" in lowered:
        return "other"
    return raw.strip()


def npl_citation(text: str, category: str) -> Citation:
    """A citation of non-patent literature."""
    return Citation(kind="npl", text=re.sub(r"\s+", " ", text).strip(), category=_category(category))


def base_patent(
    *,
    app_number: str,
    app_country: str,
    filing_date: str,
    pub_number: str,
    pub_country: str,
    pub_kind: str,
    pub_date: str,
    source_format: str,
) -> Patent:
    """Patent with numbers, dates and type filled and validated; raises RecordError naming the field."""
    app = parse_application_number(app_number, app_country) if app_number else None
    pub_no, kind = normalize_publication_number(pub_number, pub_country) if pub_number else ("", "")
    kind = (pub_kind or kind).strip().upper()
    if app is None and not pub_no:
        raise RecordError("application_number", "missing (and no publication number either)")
    patent = Patent(
        app_key=app.key if app else f"P:{pub_no}",
        app_number=app.display if app else "",
        country=app.country if app else pub_country,
        filing_date=parse_date(filing_date, "filing_date"),
        source_format=source_format,
    )
    if pub_no:
        patent.publications.append(
            Publication(number=pub_no, kind=kind, date=parse_date(pub_date, "publication_date"), country=pub_no[:2])
        )
    patent.patent_type = type_from_kind(patent.country, kind) or (
        cn_type_from_number(patent.app_key) if patent.country == "CN" else "other"
    )
    return patent


def document_patent(values: Mapping[str, str], office: str, source_format: str) -> Patent:
    """The patent of one XML document's extracted numbers and dates (fields `app_number`, `filing_date`,
    `pub_number`, `pub_country`, `pub_kind`, `pub_date`, optional `app_country`); `office` fills a
    missing country."""
    return base_patent(
        app_number=values["app_number"],
        app_country=values.get("app_country") or office,
        filing_date=values["filing_date"],
        pub_number=values["pub_number"],
        pub_country=values["pub_country"] or office,
        pub_kind=values["pub_kind"],
        pub_date=values["pub_date"],
        source_format=source_format,
    )


def add_named(patent: Patent, role: str, names: Iterable[str], **address: str) -> None:
    """Parties of one role from a list of names, numbered in order (empty names skipped)."""
    for seq, name in enumerate(names, 1):
        found = party(role, name, seq, **address)
        if found:
            patent.parties.append(found)


def add_agents(patent: Patent, pairs: Iterable[tuple[str, str]]) -> None:
    """CNIPA agents with their agency, written per agent: agents in order, each agency once."""
    pairs = list(pairs)
    add_named(patent, "agent", [agent for agent, _ in pairs], country="CN")
    agencies = list(dict.fromkeys(agency for _, agency in pairs if agency))
    add_named(patent, "agency", agencies, country="CN")


def add_priorities(patent: Patent, nodes: list[Any], *, country: str, number: str, date: str) -> None:
    """Priority claims from XML nodes; `country`, `number`, `date` are paths inside each node."""
    from ipnav.ingest.xmlutil import first_text

    for node in nodes:
        value = first_text(node, number).replace(" ", "")
        if value:
            patent.priorities.append(
                Priority(first_text(node, country), value, parse_date(first_text(node, date), "priority_date"))
            )


def set_claims(
    patent: Patent, nodes: list[Any], *, ref_path: str | None, cjk: bool = False, count_hint: int = 0
) -> None:
    """Claims text, count and independent count; `ref_path` finds a claim's reference to another claim."""
    from ipnav.ingest.xmlutil import text_of
    from ipnav.normalize.text import clean_cjk_text

    patent.claims = [clean_cjk_text(text_of(c)) if cjk else text_of(c) for c in nodes]
    patent.claims_count = len(patent.claims) or count_hint
    refs = [c.find(ref_path) is not None for c in nodes] if ref_path else None
    patent.independent_claims = count_independent(patent.claims, refs)


def content_key(*parts: str) -> str:
    """Stable key for sources without application numbers (e.g. CNKI exports)."""
    digest = hashlib.sha1("\x1f".join(p.strip() for p in parts).encode("utf-8")).hexdigest()[:16]
    return f"K:{digest}"
