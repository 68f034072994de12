"""The warehouse rows of trademarks (tables in `ipnav.trademarks.schema`), derived where the record was
parsed, like the patent rows of `ipnav.store.rows`; every row carries the mark's key (`TM:` + number)."""

from __future__ import annotations

import functools
from typing import Any

from ipnav.normalize.names import applicant_type, canonical_name
from ipnav.normalize.text import fold
from ipnav.trademarks.model import Trademark

Columns = dict[str, dict[str, list[Any]]]


@functools.lru_cache(maxsize=200_000)
def pinyin(text: str) -> str:
    """The mark's sound in toneless pinyin, Latin letters and digits kept, spaces dropped (`小米` → `xiaomi`,
    `XIAOMI` → `xiaomi`): a Chinese query finds the Latin spelling and the other way round. (Cached: marks
    and queries repeat their words; pypinyin's phrase segmentation costs a fraction of a millisecond.)"""
    if not text:
        return ""
    folded = fold(text)
    if folded.isascii():  # nothing to sound out
        return "".join(ch for ch in folded if ch.isalnum())
    from pypinyin import lazy_pinyin

    return "".join(ch for ch in "".join(lazy_pinyin(folded)) if ch.isalnum())


@functools.lru_cache(maxsize=200_000)
def _party_names(name: str) -> tuple[str, str]:
    """(normalised name, entity type) of an owner or agent, cached: the same owners file many marks."""
    return canonical_name(name), applicant_type(name)


def _mark_row(m: Trademark) -> dict[str, Any]:
    owners = [o for o in m.owners if o.role == "owner"]
    first = owners[0] if owners else None
    return {
        "app_key": m.app_key, "office": m.office, "number": m.number,
        "registration_number": m.registration_number, "text": m.text, "text_fold": fold(m.text),
        "text_pinyin": pinyin(m.text),
        "mark_type": m.mark_type, "kind": m.kind, "image": m.image,
        "filing_date": m.filing_date, "publication_date": m.publication_date,
        "registration_date": m.registration_date, "expiry_date": m.expiry_date,
        "status": m.status, "status_raw": m.status_raw, "status_date": m.status_date,
        "classes": m.class_numbers, "groups": m.groups, "vienna": m.vienna,
        "first_owner": first.name if first else "", "owner_entity": _party_names(first.name)[0] if first else "",
        "owner_type": _party_names(first.name)[1] if first else "", "owner_country": first.country if first else "",
        "owner_adcode": first.adcode if first else "", "owner_province": first.province_name if first else "",
        "owner_city": first.city_name if first else "", "owner_county": first.county_name if first else "",
        "international_registration": m.international_registration, "madrid": m.madrid,
        "source_format": m.source_format,
    }  # fmt: skip


_COLUMNS = {
    "tm_classes": ("app_key", "class_no", "groups", "goods_zh", "goods_en"),
    "tm_parties": ("app_key", "role", "seq", "name", "entity", "etype", "address", "country", "adcode", "province",
                   "city", "county"),
    "tm_events": ("app_key", "date", "kind", "code", "description"),
}  # fmt: skip


def trademark_columns(marks: list[Trademark]) -> Columns:
    """Column lists of every trademark table for these marks (plain Python: cheap to pickle): rows are
    gathered as tuples and turned into columns once."""
    rows: dict[str, list[tuple[Any, ...]]] = {"tm_classes": [], "tm_parties": [], "tm_events": []}
    marks_rows = []
    for m in marks:
        key = m.app_key
        marks_rows.append(_mark_row(m))
        rows["tm_classes"] += [
            (key, c.number, c.groups, c.goods.get("zh", ""), c.goods.get("en", "")) for c in m.classes
        ]
        for seq, party in enumerate(m.owners, 1):
            entity, etype = _party_names(party.name)
            place = (party.adcode, party.province_name, party.city_name, party.county_name)
            rows["tm_parties"].append((key, party.role, seq, party.name, entity, etype, party.address, party.country,
                                       *place))  # fmt: skip
        rows["tm_events"] += [(key, e.date, e.kind, e.code, e.description) for e in m.events]
    out: Columns = {}
    if marks_rows:
        out["trademarks"] = {name: [r[name] for r in marks_rows] for name in marks_rows[0]}
    for table, found in rows.items():
        if found:
            out[table] = {name: [r[i] for r in found] for i, name in enumerate(_COLUMNS[table])}
    return out
