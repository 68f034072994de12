"""New Zealand trademark oppositions as IPONZ's public search returns them (one JSON object per line):
`binder` (application number, the opposing party `redParty`, the filing date of the opposition `fafd`),
`applicant` (name; an address such as `Physical : … (NZ)Postal : … (NZ)` with the country code in
brackets), `classifications` (Nice class and goods text), `trademark` (name, `Word`/`Combined`/`Image`,
the image as base64 JPEG).

Every record is an application that was opposed: status `opposed`, and an `opposition` event naming the
opponent.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ipnav.errors import RecordError
from ipnav.trademarks.model import TmClass, TmEvent, TmOwner, Trademark, canonical_number

_TYPES = {"word": "word", "combined": "combined", "image": "figurative", "figurative": "figurative"}
_ADDRESS = re.compile(r"(Physical|Postal)\s*:\s*(.*?)\s*\(([A-Z]{2})\)")


def iponz_opposition(record: dict[str, Any]) -> Trademark:
    """One IPONZ opposition record."""
    binder, applicant = record.get("binder") or {}, record.get("applicant") or {}
    mark_data = record.get("trademark") or {}
    number = str(binder.get("applicationNo") or "").strip()
    if not number.isdigit():
        raise RecordError("binder.applicationNo", f"not an application number: {number!r}")
    kind = str(mark_data.get("type") or "").lower()
    if kind and kind not in _TYPES:
        raise RecordError("trademark.type", f"not a mark type IPONZ uses: {mark_data.get('type')!r}")
    image = str(mark_data.get("image") or "")
    mark = Trademark(
        office="NZ", number=canonical_number("NZ", number), text=" ".join(str(mark_data.get("name") or "").split()),
        mark_type=_TYPES.get(kind, "other"), status="opposed", status_raw="opposition",
        image=f"data:image/jpeg;base64,{image}" if image else "", source_format="iponz_opposition",
    )  # fmt: skip
    for position, item in enumerate(record.get("classifications") or [], 1):
        number_value = item.get("classId")
        if not isinstance(number_value, int) or not 1 <= number_value <= 45:
            raise RecordError(f"classifications[{position}].classId", f"not a Nice class: {number_value!r}")
        mark.classes.append(TmClass(number_value, {"en": " ".join(str(item.get("description") or "").split())}))
    name = " ".join(str(applicant.get("name") or "").split())
    if name:
        address, country = _address(str(applicant.get("address") or ""))
        mark.owners.append(TmOwner(name=name, address=address, country=country))
    opponent = " ".join(str(binder.get("redParty") or "").split())
    filed = _date(str(binder.get("fafd") or ""))
    mark.events.append(TmEvent(filed, "opposition", str(binder.get("fa") or ""), f"opposed by {opponent}".strip()))
    if opponent:
        mark.extra["opponent"] = opponent
    return mark


def _address(text: str) -> tuple[str, str]:
    """The physical address (else the postal one) and its country code."""
    found = {kind: (address, country) for kind, address, country in _ADDRESS.findall(text)}
    address, country = found.get("Physical") or found.get("Postal") or (" ".join(text.split()), "")
    return " ".join(address.split()), country


def _date(text: str) -> dt.date | None:
    """`23 Mar 2022` → 2022-03-23; empty when IPONZ gives none."""
    text = text.strip()
    if not text:
        return None
    try:
        return dt.datetime.strptime(text, "%d %b %Y").date()
    except ValueError:
        raise RecordError("binder.fafd", f"not a date: {text!r}") from None


def recognise(record: dict[str, Any]) -> bool:
    """An IPONZ trademark record: a binder in the TM domain and a trademark part."""
    binder = record.get("binder")
    return isinstance(binder, dict) and binder.get("domains") == "TM" and "trademark" in record
