"""USPTO pre-grant publications, `patent-application-publication` DTD v1.5 / v1.6 (2001-2004)."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ipnav.ingest import common
from ipnav.ingest.xmlutil import extract, first_text
from ipnav.model import Record

FORMAT = "uspto_pap"
ROOTS = ("patent-application-publication",)

_BIB = "subdoc-bibliographic-information"
FIELDS = {
    "pub_number": f"{_BIB}/document-id/doc-number",
    "pub_kind": f"{_BIB}/document-id/kind-code",
    "pub_date": f"{_BIB}/document-id/document-date",
    "app_number": f"{_BIB}/domestic-filing-data/application-number/doc-number",
    "filing_date": f"{_BIB}/domestic-filing-data/filing-date",
    "filing_type": f"{_BIB}/publication-filing-type",
    "title": f"{_BIB}/technical-information/title-of-invention",
    "abstract": "subdoc-abstract",
    "description": "subdoc-description",
}


def _person(node: etree._Element) -> str:
    parts = [first_text(node, f"name/{p}") for p in ("given-name", "middle-name", "family-name", "name-suffix")]
    return " ".join(p for p in parts if p)


def parse_element(root: etree._Element) -> Iterator[Record]:
    """One USPTO pre-grant publication (2001-2004 DTD) -> its patent record."""
    values = extract(root, FIELDS)
    patent = common.base_patent(
        app_number=values["app_number"],
        app_country="US",
        filing_date=values["filing_date"],
        pub_number=values["pub_number"],
        pub_country="US",
        pub_kind=values["pub_kind"] or "A1",
        pub_date=values["pub_date"],
        source_format=FORMAT,
    )
    patent.patent_type = "plant" if "plant" in values["filing_type"] else "invention"
    if values["title"]:
        patent.titles["en"] = values["title"]
    if values["abstract"]:
        patent.abstracts["en"] = values["abstract"]
    patent.description = values["description"]
    common.set_claims(patent, root.xpath("subdoc-claims/claim"), ref_path=".//dependent-claim-reference")
    inventors = root.xpath(f"{_BIB}/inventors/*[self::first-named-inventor or self::inventor]")
    for seq, node in enumerate(inventors, 1):
        found = common.party(
            "inventor",
            _person(node),
            seq,
            city=first_text(node, ".//city"),
            state=first_text(node, ".//state"),
            country=first_text(node, ".//country-code"),
        )
        if found:
            patent.parties.append(found)
    for seq, node in enumerate(root.xpath(f"{_BIB}/assignee"), 1):
        name = first_text(node, "organization-name") or _person(node)
        found = common.party(
            "assignee",
            name,
            seq,
            city=first_text(node, ".//city"),
            state=first_text(node, ".//state"),
            country=first_text(node, ".//country-code"),
        )
        if found:
            patent.parties.append(found)
    ipc = [n.text or "" for n in root.xpath(f"{_BIB}/technical-information/classification-ipc//ipc")]
    patent.classifications = common.classifications("ipc", ipc)
    common.add_priorities(
        patent,
        root.xpath(f"{_BIB}/foreign-priority-data"),
        country="country-code",
        number="priority-application-number/doc-number",
        date="filing-date",
    )
    yield patent
