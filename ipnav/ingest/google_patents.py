"""Google Patents search results, as patents.google.com's "Download (CSV)" writes them.

The file starts with the search URL, then one row per result::

    search URL:,https://patents.google.com/?q=(锂电池)&country=CN
    id,title,assignee,inventor/author,priority date,filing/creation date,publication date,grant date,
        result link,representative figure link                       (one line in the file)
    CN-113783949-A,一种...,浙商银行股份有限公司,"陈嘉俊, 臧铖",2021-08-26,2021-08-26,2021-12-10,,
        https://patents.google.com/patent/CN113783949A/zh,

`id` is the publication number with dashes (`US-9254383-B2`); assignees and inventors are joined
by commas (a company form after a comma, as in `ElectroCore, LLC`, stays with its name). The export
carries no application number, so a record is keyed by its publication number (`P:CN113783949A`)
and is not merged with the same application read from another source.

This module is the worked example of docs/architecture.md, "Add a table format".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ipnav.errors import RecordError
from ipnav.ingest import common
from ipnav.ingest.registry import TableFormat, register_table
from ipnav.model import Priority, Record
from ipnav.normalize.dates import parse_date
from ipnav.normalize.text import clean_cjk_text

FORMAT = "google_patents_csv"

HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "title": ("title",),
    "assignees": ("assignee",),
    "inventors": ("inventor/author",),
    "priority_date": ("priority date",),
    "filing_date": ("filing/creation date",),
    "publication_date": ("publication date",),
    "grant_date": ("grant date",),
    "link": ("result link",),
    "figure": ("representative figure link",),
}

_ID = re.compile(r"^([A-Z]{2})-?([A-Z]*\d[\dA-Z]*?)-?([A-Z]\d?)?$")
# words that end a name after a comma: "ElectroCore, LLC", "Kobe Steel, Ltd.", "Charles D. Hood, III"
_COMPANY_FORM = re.compile(
    r"^(llc|l\.l\.c\.|inc\.?|ltd\.?|limited|co\.?|corp\.?|corporation|gmbh|ag|s\.a\.?|plc|l\.?p\.?|n\.v\.|b\.v\.|"
    r"jr\.?|sr\.?|ii|iii|iv)$",
    re.I,
)


def split_names(text: str) -> list[str]:
    """`A, B, ElectroCore, LLC` -> [A, B, ElectroCore, LLC]: commas split names, company forms stay."""
    names: list[str] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        if names and _COMPANY_FORM.match(part):
            names[-1] = f"{names[-1]}, {part}"
        else:
            names.append(part)
    return names


def parse_id(raw: str) -> tuple[str, str, str]:
    """`US-9254383-B2` -> ("US", "US9254383B2", "B2"); RecordError naming `id` when it is no number."""
    match = _ID.match(raw.strip().upper())
    if not match:
        raise RecordError("id", f"{raw!r} is not a Google Patents publication id (e.g. CN-113783949-A)")
    country, serial, kind = match.group(1), match.group(2), match.group(3) or ""
    return country, f"{country}{serial}{kind}", kind


def records(values: dict[str, str], extra: dict[str, str]) -> Iterator[Record]:
    """One result row -> its patent record."""
    if not values.get("id"):
        raise RecordError("id", "row has no publication id")
    country, number, kind = parse_id(values["id"])
    published = values.get("publication_date") or values.get("grant_date") or ""
    patent = common.base_patent(
        app_number="",
        app_country=country,
        filing_date=values.get("filing_date", ""),
        pub_number=number,
        pub_country=country,
        pub_kind=kind,
        pub_date=published,
        source_format=FORMAT,
    )
    title = clean_cjk_text(values.get("title", ""))
    if title:
        patent.titles["zh" if re.search(r"[\u4e00-\u9fff]", title) else "en"] = title
    common.add_named(patent, "applicant", split_names(values.get("assignees", "")))
    common.add_named(patent, "inventor", split_names(values.get("inventors", "")))
    priority = parse_date(values.get("priority_date"), "priority_date")
    if priority:
        patent.priorities.append(Priority(country="", number="", date=priority))
    grant = parse_date(values.get("grant_date"), "grant_date")
    if grant:
        patent.extra["grant_date"] = grant.isoformat()
    for key in ("link", "figure"):
        if values.get(key):
            patent.extra[f"google_{key}"] = values[key]
    patent.extra.update(extra)
    yield patent


LAYOUT = register_table(
    TableFormat(name=FORMAT, kind="patent", headers=HEADERS, signature=("id", "link"), records=records)
)
