"""One record of a register (a GI, a copyright registration, a pledge, a case ...): its typed field values,
its holder with the place the region rules resolve, and where it was read from. Stored as a document of
its register's kind (`ipnav.kinds`); its warehouse rows are one row of `registers` and, for patent
transfers, licences and pledges, the rows of `transactions` the patent pages show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any

Columns = dict[str, dict[str, list[Any]]]

# where a record's region comes from (the same words the patent regions use where they mean the same)
REGION_BASES: dict[str, tuple[str, str]] = {
    "adcode": ("本记录区划代码", "the record's division code"),
    "address": ("本记录地址", "the record's address"),
    "place": ("本记录所在地名(省市县)", "the record's place names"),
    "applicant_name": ("权利人名称中的地名", "a place in the holder's name"),
    "user_table": ("用户对照表", "the user's table"),
    "applicant_history": ("该主体专利所载地址", "the addresses on the holder's patents"),
    "authority": ("办案/认定机关所在地", "the place of the authority"),
    "": ("无法确定", "not determined"),
}


@dataclass(slots=True)
class Holder:
    """The holder (owner, pledgor, seller, listed organisation ...) and its place; `with_regions` fills the
    adcode of an address like a patent applicant's."""

    name: str
    address: str = ""
    country: str = ""
    adcode: str = ""
    province_name: str = ""
    city_name: str = ""
    county_name: str = ""
    region_flag: str = ""


@dataclass(slots=True)
class RegisterRecord:
    """One row of a register, typed by its register's fields (`ipnav.registers.spec`)."""

    record_kind: str  # the register (gi, copyright, ip_transaction, case ...), a kind of ipnav.kinds
    subtype: str
    key: str  # stable within the register: its number, else a content key
    values: dict[str, Any] = field(default_factory=dict)  # field -> value (dates as ISO text)
    owners: list[Holder] = field(default_factory=list)  # the holder first
    region_basis: str = ""  # how the holder's region was found (REGION_BASES)
    notes: list[str] = field(default_factory=list)  # what was repaired or assumed while reading
    extra: dict[str, str] = field(default_factory=dict)  # columns no field names
    source_format: str = ""
    source_file: str = ""
    source_position: int = 0

    @property
    def doc_key(self) -> str:
        """Key of its stored document (and of its warehouse rows)."""
        return f"R:{self.record_kind}:{self.key}"

    @property
    def app_key(self) -> str:
        return self.doc_key

    def date(self, name: str) -> dt.date | None:
        """A date field's value."""
        value = self.values.get(name)
        return dt.date.fromisoformat(value) if value else None

    def columns(self) -> Columns:
        """Its warehouse rows (the store asks every record kind other than patents for them)."""
        from ipnav.registers.rows import register_columns

        return register_columns(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RegisterRecord:
        """The record back from its stored JSON."""
        values = {k: v for k, v in data.items() if k in _FIELDS}
        values["owners"] = [Holder(**o) for o in values.get("owners", [])]
        return cls(**values)


_FIELDS = frozenset(f.name for f in fields(RegisterRecord))
