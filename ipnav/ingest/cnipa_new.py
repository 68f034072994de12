"""CNIPA full-text XML, new generation: `business:PatentDocumentAndRelated` (xsdVersion V2.x).

Namespaces are stripped before these paths apply. Structured address parts are
often the placeholder `0`; the real address is in `Address/Text`.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ipnav.ingest import common
from ipnav.ingest.xmlutil import extract, first_text, text_of
from ipnav.model import Priority, Record
from ipnav.normalize.dates import parse_date
from ipnav.normalize.text import clean_cjk_text

FORMAT = "cnipa_new"
ROOTS = ("PatentDocumentAndRelated",)

_BIB = "BibliographicData"
_PUB = f"{_BIB}/PublicationReference[@dataFormat='original' or not(@dataFormat)][1]/DocumentID"
_APP = f"{_BIB}/ApplicationReference[@dataFormat='original' or not(@dataFormat)][1]"
FIELDS = {
    "pub_number": f"{_PUB}/DocNumber",
    "pub_country": f"{_PUB}/WIPOST3Code",
    "pub_kind": f"{_PUB}/Kind",
    "pub_date": f"{_PUB}/Date",
    "app_number": f"{_APP}/DocumentID/DocNumber",
    "filing_date": f"{_APP}/DocumentID/Date",
    "appl_type": f"{_APP}/@applType",
    "title": f"{_BIB}/InventionTitle",
}
_APPL_TYPES = {"1": "invention", "2": "utility_model", "3": "design"}


def parse_element(root: etree._Element) -> Iterator[Record]:
    values = extract(root, FIELDS)
    patent = common.base_patent(
        app_number=values["app_number"],
        app_country="CN",
        filing_date=values["filing_date"],
        pub_number=values["pub_number"],
        pub_country=values["pub_country"] or "CN",
        pub_kind=values["pub_kind"],
        pub_date=values["pub_date"],
        source_format=FORMAT,
    )
    if values["appl_type"][:1] in _APPL_TYPES:
        patent.patent_type = _APPL_TYPES[values["appl_type"][:1]]
    if values["title"]:
        patent.titles["zh"] = clean_cjk_text(values["title"])
    abstract = root.xpath("Abstract/Paragraphs")
    if abstract:
        patent.abstracts["zh"] = clean_cjk_text(" ".join(text_of(p) for p in abstract))
    description = root.find("Description")
    patent.description = clean_cjk_text(text_of(description)) if description is not None else ""
    patent.claims = [clean_cjk_text(text_of(c)) for c in root.xpath("Claims/Claim")]
    patent.claims_count = len(patent.claims)
    patent.independent_claims = common.count_independent(patent.claims)
    parties = f"{_BIB}/Parties"
    for seq, node in enumerate(root.xpath(f"{parties}/ApplicantDetails/Applicant"), 1):
        address = first_text(node, "AddressBook/Address/Text")
        found = common.party(
            "applicant",
            first_text(node, "AddressBook/Name"),
            seq,
            address=address,
            postcode=first_text(node, "AddressBook/Address/PostCode").strip("0 ")
            and first_text(node, "AddressBook/Address/PostCode"),
            country=first_text(node, "AddressBook/Address/WIPOST3Code"),
        )
        if found:
            patent.parties.append(found)
    for seq, node in enumerate(root.xpath(f"{parties}/InventorDetails/Inventor"), 1):
        found = common.party("inventor", first_text(node, "AddressBook/Name"), seq)
        if found:
            patent.parties.append(found)
    agencies: list[str] = []
    for seq, node in enumerate(root.xpath(f"{parties}/AgentDetails/Agent"), 1):
        found = common.party("agent", first_text(node, "AddressBook/Name"), seq, country="CN")
        if found:
            patent.parties.append(found)
        agency = first_text(node, "Agency/AddressBook/OrganizationName")
        if agency and agency not in agencies:
            agencies.append(agency)
    patent.parties += [p for i, a in enumerate(agencies, 1) if (p := common.party("agency", a, i, country="CN"))]
    patent.classifications = common.classifications(
        "ipc", [first_text(n, "Text") for n in root.xpath(f"{_BIB}/ClassificationIPCRDetails/ClassificationIPCR")]
    )
    for prio in root.xpath(f"{_BIB}/PriorityDetails/Priority[@dataFormat='original' or not(@dataFormat)]"):
        number = first_text(prio, ".//DocNumber")
        if number:
            patent.priorities.append(
                Priority(
                    first_text(prio, ".//WIPOST3Code"),
                    number.replace(" ", ""),
                    parse_date(first_text(prio, ".//Date"), "priority_date"),
                )
            )
    yield patent
