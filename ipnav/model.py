"""The one core data model of ipnav.

A `Patent` is an application (the unit analysts count) with all its publications.
Every parser emits `Patent`, `Transaction` or `Reject`; store, search and analytics
accept only these. Values are already normalised when they reach the model:
dates are `datetime.date`, numbers canonical, IPC/CPC symbols in one spelling.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, fields
from typing import Any, Literal

import orjson

PatentType = Literal["invention", "utility_model", "design", "plant", "reissue", "other"]
LegalStatus = Literal["valid", "pending", "lapsed", "unknown"]
PartyRole = Literal["applicant", "assignee", "inventor", "agent", "agency"]

PATENT_TYPES: tuple[str, ...] = ("invention", "utility_model", "design", "plant", "reissue", "other")
LEGAL_STATUSES: tuple[str, ...] = ("valid", "pending", "lapsed", "unknown")


@dataclass(slots=True)
class Publication:
    """One publication of an application: number, kind code, date, country."""

    number: str  # canonical without kind, e.g. "CN104223352", "US9358892", "US20050004437"
    kind: str = ""  # "A", "B", "B1", "U", "S", ...
    date: dt.date | None = None
    country: str = ""

    @property
    def full(self) -> str:
        """Number with kind code, e.g. CN104223352A."""
        return f"{self.number}{self.kind}"


@dataclass(slots=True)
class Party:
    """An applicant, assignee, inventor, agent or agency, with address and region."""

    role: str  # PartyRole
    name: str
    name_norm: str = ""
    sequence: int = 0
    address: str = ""
    city: str = ""
    state: str = ""
    country: str = ""
    postcode: str = ""
    adcode: str = ""  # 6-digit Chinese county-level code
    province_name: str = ""
    city_name: str = ""
    county_name: str = ""
    region_flag: str = ""  # "", "matched", "ambiguous", "unmatched"


@dataclass(slots=True)
class Classification:
    """One classification symbol (IPC, CPC, Locarno, USPC) in canonical spelling."""

    scheme: str  # "ipc", "cpc", "locarno", "uspc"
    symbol: str  # canonical, e.g. "H01M4/13"
    main: bool = False


@dataclass(slots=True)
class Priority:
    """A priority claim: country, number, date."""

    country: str
    number: str
    date: dt.date | None = None


@dataclass(slots=True)
class Citation:
    """A cited document: a patent (number, kind) or non-patent literature (text)."""

    kind: str  # "patent" or "npl"
    number: str = ""  # canonical publication number for patent citations
    country: str = ""
    kind_code: str = ""
    date: dt.date | None = None
    text: str = ""  # non-patent literature text, or the cited name
    category: str = ""  # "examiner", "applicant", "other", or an X/Y/A search category
    number_raw: str = ""  # the number as the source wrote it, when the canonical form differs


@dataclass(slots=True)
class LegalEvent:
    """One dated legal event of an application (grant, lapse, transfer ...)."""

    date: dt.date | None
    code: str
    description: str = ""


@dataclass(slots=True)
class Patent:
    """An application with its publications and everything known about it."""

    app_key: str  # canonical application number, or "K:<hash>" content key
    app_number: str = ""  # display form, e.g. "CN201410408762.5"
    country: str = ""
    filing_date: dt.date | None = None
    patent_type: str = "other"
    titles: dict[str, str] = field(default_factory=dict)  # lang -> text
    abstracts: dict[str, str] = field(default_factory=dict)
    claims: list[str] = field(default_factory=list)
    claims_count: int = 0
    independent_claims: int = 0
    description: str = ""
    publications: list[Publication] = field(default_factory=list)
    parties: list[Party] = field(default_factory=list)
    classifications: list[Classification] = field(default_factory=list)
    priorities: list[Priority] = field(default_factory=list)
    family_id: str = ""
    citations: list[Citation] = field(default_factory=list)
    legal_events: list[LegalEvent] = field(default_factory=list)
    legal_status: str = "unknown"
    legal_status_reason: str = ""
    legal_status_raw: str = ""
    source_format: str = ""
    source_file: str = ""
    source_position: int = 0
    extra: dict[str, str] = field(default_factory=dict)  # unknown table columns, kept verbatim

    @property
    def doc_key(self) -> str:
        """Key of this source document: its first publication (else the application) and its format.

        The same publication read from two formats (a CNIPA XML and a CSV export) is two
        documents of one application, merged, rather than two versions overwriting each other.
        """
        if self.publications:
            return f"{self.publications[0].full}|{self.source_format}"
        if self.app_key.startswith("K:"):
            # no number at all: rows repeating one patent (a CNKI export lists a patent under
            # each search keyword) are separate documents of one application
            return f"{self.app_key}|{self.source_format}|{content_digest(self)[:12]}"
        return f"{self.app_key}|{self.source_format}"

    def parties_by_role(self, role: str) -> list[Party]:
        """The parties of one role, in order."""
        return [p for p in self.parties if p.role == role]


@dataclass(slots=True)
class Transaction:
    """An assignment, licence or pledge recorded against one or more patents."""

    key: str  # stable: reel/frame, or a content hash
    kind: str  # "assignment", "licence", "pledge", "other"
    patent_numbers: list[str] = field(default_factory=list)  # canonical publication/application numbers
    execution_date: dt.date | None = None
    recorded_date: dt.date | None = None
    assignors: list[str] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)
    conveyance: str = ""
    amount: float | None = None
    currency: str = ""
    source_format: str = ""
    source_file: str = ""
    source_position: int = 0

    @property
    def doc_key(self) -> str:
        """Key of the stored source record of this transaction."""
        return f"T:{self.key}"


@dataclass(slots=True)
class Reject:
    """A record that could not be loaded, with where and why. Nothing is dropped silently."""

    source_file: str
    position: int  # 1-based record ordinal in the file (0 = the whole file)
    field: str
    reason: str
    raw: bytes = b""  # the record's bytes, at most REJECT_RAW_MAX of them
    line: int = 0
    size: int = -1  # of the whole record (raw may be its first REJECT_RAW_MAX bytes)
    sha256: str = ""  # of the whole record

    def __post_init__(self) -> None:
        if self.size < 0:
            self.size = len(self.raw)
            self.sha256 = hashlib.sha256(self.raw).hexdigest() if self.raw else ""
            self.raw = self.raw[:REJECT_RAW_MAX]  # a 1 GB bad record must not fill rejects/


REJECT_RAW_MAX = 1 << 20


Record = Patent | Transaction


def content_digest(record: Patent | Transaction) -> str:
    """Hash of a record's content, leaving out where it was read from."""
    data = orjson.loads(orjson.dumps(record))
    data.pop("source_file", None)
    data.pop("source_position", None)
    return hashlib.blake2b(orjson.dumps(data, option=orjson.OPT_SORT_KEYS), digest_size=16).hexdigest()


# --- (de)serialisation: records are stored as JSON in the warehouse's documents table ---

_NESTED: dict[str, type] = {
    "publications": Publication,
    "parties": Party,
    "classifications": Classification,
    "priorities": Priority,
    "citations": Citation,
    "legal_events": LegalEvent,
}
_DATE_FIELDS = {"date", "filing_date", "execution_date", "recorded_date"}


def _revive(cls: type, data: dict[str, Any]) -> Any:
    names = {f.name for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in names:
            continue
        if key in _DATE_FIELDS and isinstance(value, str):
            value = dt.date.fromisoformat(value)
        elif key in _NESTED and isinstance(value, list):
            value = [_revive(_NESTED[key], item) for item in value]
        values[key] = value
    return cls(**values)


def record_from_dict(data: dict[str, Any]) -> Record:
    """Rebuild a record from its JSON dict (see `store`): a Patent, a Transaction, or a record of another
    kind (its `record_kind` names it in `ipnav.kinds`, whose model class has `from_dict`)."""
    kind = data.get("record_kind")
    if kind:
        import importlib

        from ipnav.kinds import KINDS

        module, _, name = KINDS[kind].model.rpartition(".")
        return getattr(importlib.import_module(module), name).from_dict(data)  # type: ignore[no-any-return]
    if "app_key" in data:
        return _revive(Patent, data)  # type: ignore[no-any-return]
    return _revive(Transaction, data)  # type: ignore[no-any-return]
