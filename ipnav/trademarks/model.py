"""The trademark record (商标), one model for every office's format: the mark, its classes with goods and
services (and for China the similar groups, 类似群), dates, status, owners, agents and events.

Numbers are kept in one canonical spelling per office (`canonical_number`): `CN12345678` (注册号 or
申请号), `US98763166` (serial) with the registration number apart, `EM018222197`, `TW02207609`
(registration) / `TW109088843` (application), `NZ…`, `WO…` (international registration, Madrid).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, fields
from typing import Any

# mark type (what the mark is made of) and kind (who it serves)
MARK_TYPES = ("word", "figurative", "combined", "3d", "colour", "sound", "other")
MARK_KINDS = ("ordinary", "collective", "certification", "special")
# the one status vocabulary; the source's own words stay in `status_raw`
STATUSES = (
    "filed", "published", "registered", "expired", "cancelled", "invalidated", "refused", "withdrawn",
    "opposed", "unknown",
)  # fmt: skip
LIVE = frozenset({"filed", "published", "registered", "opposed"})


@dataclass(slots=True)
class TmClass:
    """One Nice class of a mark: its goods or services per language and, for China, similar groups."""

    number: int  # 1-45
    goods: dict[str, str] = field(default_factory=dict)  # language -> text
    groups: list[str] = field(default_factory=list)  # 类似群 (CN `0101`) or TIPO's own group codes


@dataclass(slots=True)
class TmOwner:
    """An owner (applicant, registrant) or agent of a mark."""

    name: str
    role: str = "owner"  # "owner" | "agent"
    names: dict[str, str] = field(default_factory=dict)  # other spellings by language (TIPO: zh and en)
    address: str = ""
    city: str = ""
    country: str = ""
    entity_type: str = ""  # as the source says (USPTO legal entity code, ...)
    adcode: str = ""  # the region rules fill these for Chinese addresses
    province_name: str = ""
    city_name: str = ""
    county_name: str = ""


@dataclass(slots=True)
class TmEvent:
    """One dated event in a mark's life: filing, publication, registration, renewal, assignment, licence,
    pledge, opposition, cancellation, ... (`kind`), with the source's code and words."""

    date: dt.date | None
    kind: str
    code: str = ""
    description: str = ""


@dataclass(slots=True)
class Trademark:
    """One trademark application or registration."""

    office: str  # CN, US, EM, TW, NZ, WO
    number: str  # canonical application (serial) number: office + digits
    registration_number: str = ""
    text: str = ""  # the verbal element as filed (Chinese, Latin, digits)
    mark_type: str = "other"
    kind: str = "ordinary"
    image: str = ""  # a file name or URL of the mark's image
    vienna: list[str] = field(default_factory=list)  # Vienna figurative element codes (01.01.01)
    classes: list[TmClass] = field(default_factory=list)
    filing_date: dt.date | None = None
    publication_date: dt.date | None = None  # published for opposition (初审公告)
    registration_date: dt.date | None = None
    expiry_date: dt.date | None = None
    status: str = "unknown"
    status_raw: str = ""
    status_date: dt.date | None = None
    owners: list[TmOwner] = field(default_factory=list)  # owners and agents (role)
    events: list[TmEvent] = field(default_factory=list)
    madrid: list[str] = field(default_factory=list)  # designated offices of an international registration
    international_registration: str = ""  # WO number of the Madrid registration it belongs to
    source_format: str = ""
    source_file: str = ""
    source_position: int = 0
    extra: dict[str, str] = field(default_factory=dict)
    record_kind: str = "trademark"  # stored with the record: `ipnav.model.record_from_dict` revives it by it

    @property
    def doc_key(self) -> str:
        """Key of the stored source record of this mark."""
        return f"TM:{self.number}"

    @property
    def app_key(self) -> str:
        """The key its warehouse rows carry (`TM:` + number: never the key of a patent application)."""
        return self.doc_key

    def columns(self) -> dict[str, dict[str, list[Any]]]:
        """Its warehouse rows (the store asks every record kind other than patents for them)."""
        from ipnav.trademarks.rows import trademark_columns

        return trademark_columns([self])

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Trademark:
        """The mark back from its stored JSON."""
        values = {k: v for k, v in data.items() if k in _FIELDS}
        for key in _DATES:
            if isinstance(values.get(key), str):
                values[key] = dt.date.fromisoformat(values[key])
        values["classes"] = [TmClass(**c) for c in values.get("classes", [])]
        values["owners"] = [TmOwner(**o) for o in values.get("owners", [])]
        values["events"] = [
            TmEvent(**{**e, "date": dt.date.fromisoformat(e["date"]) if e.get("date") else None})
            for e in values.get("events", [])
        ]
        return cls(**values)

    @property
    def version(self) -> str:
        """How current this copy of the mark is: its status date, else its latest event (ISO date); of two
        copies of one mark the warehouse keeps the newer."""
        dates = [d for d in (self.status_date, *(e.date for e in self.events)) if d]
        return max(dates).isoformat() if dates else ""

    @property
    def class_numbers(self) -> list[int]:
        """Its Nice classes, ascending."""
        return sorted({c.number for c in self.classes})

    @property
    def groups(self) -> list[str]:
        """Its similar groups (类似群), ascending."""
        return sorted({g for c in self.classes for g in c.groups})

    def is_live(self, on: dt.date) -> bool:
        """Registered and in force on a date (not expired, cancelled or invalidated by then)."""
        if self.status not in ("registered", "opposed") or self.registration_date is None:
            return False
        if self.registration_date > on:
            return False
        return self.expiry_date is None or self.expiry_date >= on


_FIELDS = frozenset(f.name for f in fields(Trademark))
_DATES = ("filing_date", "publication_date", "registration_date", "expiry_date", "status_date")
_DIGITS = re.compile(r"\d+")


def canonical_number(office: str, raw: str) -> str:
    """An office's number in one spelling: the office code and the digits (`US 98/763,166` → `US98763166`,
    `第12345678号` → `CN12345678`); EUIPO and TIPO numbers keep their leading zeros."""
    office = office.upper()
    digits = "".join(_DIGITS.findall(raw or ""))
    if not digits:
        return ""
    if office == "US":
        digits = digits.lstrip("0") or "0"
    return office + digits


def roc_date(text: str) -> dt.date | None:
    """A date in the ROC (Minguo) calendar as TIPO writes it, `110.05.03` or `1100503`, → 2021-05-03."""
    text = (text or "").strip()
    parts = text.split(".")
    if len(parts) == 3 and all(p.isdigit() for p in parts):  # the gazette's own spelling, quickly
        year, month, day = (int(p) for p in parts)
    else:
        match = _ROC.fullmatch(text)
        if not match:
            return None
        year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year + 1911, month, day)
    except ValueError:
        return None


_ROC = re.compile(r"(\d{2,3})[./-]?(\d{1,2})[./-]?(\d{1,2})")
