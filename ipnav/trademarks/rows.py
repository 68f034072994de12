"""The warehouse rows of trademarks (tables in `ipnav.trademarks.schema`), derived where the record was
parsed, like the patent rows of `ipnav.store.rows`; every row carries the mark's key (`TM:` + number)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ipnav.normalize.names import applicant_type, canonical_name
from ipnav.normalize.text import fold
from ipnav.trademarks.model import Trademark

Columns = dict[str, dict[str, list[Any]]]


def pinyin(text: str) -> str:
    """The mark's sound in toneless pinyin, Latin letters and digits kept, spaces dropped (`小米` → `xiaomi`,
    `XIAOMI` → `xiaomi`): a Chinese query finds the Latin spelling and the other way round."""
    if not text:
        return ""
    from pypinyin import lazy_pinyin

    return "".join(ch for ch in "".join(lazy_pinyin(fold(text))) if ch.isalnum())


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
        "first_owner": first.name if first else "", "owner_entity": canonical_name(first.name) if first else "",
        "owner_type": applicant_type(first.name) if first else "", "owner_country": first.country if first else "",
        "owner_adcode": first.adcode if first else "", "owner_province": first.province_name if first else "",
        "owner_city": first.city_name if first else "", "owner_county": first.county_name if first else "",
        "international_registration": m.international_registration, "madrid": m.madrid,
        "source_format": m.source_format,
    }  # fmt: skip


def trademark_columns(marks: list[Trademark]) -> Columns:
    """Column lists of every trademark table for these marks (plain Python: cheap to pickle)."""
    cols: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for m in marks:
        for key, value in _mark_row(m).items():
            cols["trademarks"][key].append(value)
        for klass in m.classes:
            _append(cols["tm_classes"], app_key=m.app_key, class_no=klass.number, groups=klass.groups,
                    goods_zh=klass.goods.get("zh", ""), goods_en=klass.goods.get("en", ""))  # fmt: skip
        for seq, party in enumerate(m.owners, 1):
            _append(
                cols["tm_parties"], app_key=m.app_key, role=party.role, seq=seq, name=party.name,
                entity=canonical_name(party.name), etype=applicant_type(party.name), address=party.address,
                country=party.country, adcode=party.adcode, province=party.province_name,
                city=party.city_name, county=party.county_name,
            )  # fmt: skip
        for event in m.events:
            _append(cols["tm_events"], app_key=m.app_key, date=event.date, kind=event.kind, code=event.code,
                    description=event.description)  # fmt: skip
    return {table: dict(columns) for table, columns in cols.items()}


def _append(table: dict[str, list[Any]], **values: Any) -> None:
    for key, value in values.items():
        table[key].append(value)
