"""WIPO ST.96 patent publications (`pat:PatentPublication`, V4-V6). Namespaces are stripped first."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ipnav.ingest import common
from ipnav.ingest.xmlutil import extract, first_text, text_of
from ipnav.model import Record
from ipnav.normalize.status import normalize_patent_type

FORMAT = "wipo_st96"
ROOTS = ("PatentPublication",)

_BIB = "BibliographicData"
FIELDS = {
    "pub_number": f"{_BIB}/PatentPublicationIdentification/PublicationNumber",
    "pub_country": f"{_BIB}/PatentPublicationIdentification/IPOfficeCode",
    "pub_kind": f"{_BIB}/PatentPublicationIdentification/PatentDocumentKindCode",
    "pub_date": f"{_BIB}/PatentPublicationIdentification/PublicationDate",
    "app_number": f"{_BIB}/ApplicationIdentification/ApplicationNumber/ApplicationNumberText",
    "app_country": f"{_BIB}/ApplicationIdentification/IPOfficeCode",
    "filing_date": f"{_BIB}/ApplicationIdentification/FilingDate",
    "category": f"{_BIB}/ApplicationIdentification/InventionSubjectMatterCategory",
    "title": f"{_BIB}/InventionTitleBag/InventionTitle",
    "abstract": "Abstract",
}
_SYMBOL = ("Section", "CPCSection", "Class", "Subclass", "MainGroup")


def _symbol(node: etree._Element) -> str:
    head = "".join(first_text(node, t) for t in _SYMBOL[:-1])
    return f"{head}{first_text(node, 'MainGroup')}/{first_text(node, 'Subgroup')}"


def _name(node: etree._Element) -> str:
    org = first_text(node, ".//OrganizationStandardName") or first_text(node, ".//EntityName")
    if org:
        return org
    return " ".join(p for p in (first_text(node, ".//FirstName"), first_text(node, ".//LastName")) if p)


def parse_element(root: etree._Element) -> Iterator[Record]:
    """One WIPO ST.96 patent publication -> its patent record."""
    values = extract(root, FIELDS)
    patent = common.base_patent(
        app_number=values["app_number"],
        app_country=values["app_country"],
        filing_date=values["filing_date"],
        pub_number=values["pub_number"],
        pub_country=values["pub_country"],
        pub_kind=values["pub_kind"],
        pub_date=values["pub_date"],
        source_format=FORMAT,
    )
    if values["category"]:
        patent.patent_type = normalize_patent_type(values["category"])
    if values["title"]:
        patent.titles[root.get("languageCode", "en")] = values["title"]
    if values["abstract"]:
        patent.abstracts[root.get("languageCode", "en")] = values["abstract"]
    common.set_claims(patent, root.xpath("Claims/Claim"), ref_path=".//ClaimReference")
    description = root.find("Description")
    patent.description = text_of(description) if description is not None else ""
    for role, path in (
        ("applicant", "ApplicantBag/Applicant"),
        ("inventor", "InventorBag/Inventor"),
        ("assignee", "AssigneeBag/Assignee"),
        ("agent", "RegisteredPractitionerBag/*"),
    ):
        for seq, node in enumerate(root.xpath(f"{_BIB}/PartyBag/{path}"), 1):
            found = common.party(
                role, _name(node), seq, city=first_text(node, ".//CityName"), country=first_text(node, ".//CountryCode")
            )
            if found:
                patent.parties.append(found)
    bag = f"{_BIB}/PatentClassificationBag"
    patent.classifications = common.classifications(
        "ipc", [_symbol(n) for n in root.xpath(f"{bag}/IPCRClassificationBag/IPCRClassification")]
    ) + common.classifications(
        "cpc", [_symbol(n) for n in root.xpath(f"{bag}/CPCClassificationBag//CPCClassification")]
    )
    for node in root.xpath(f"{_BIB}/ReferenceCitationBag/ReferenceCitation"):
        category = node.get("citingPartyCategory", "")
        doc = node.find(".//CitedPatentDocumentIdentification")
        if doc is not None:
            patent.citations.append(
                common.patent_citation(
                    first_text(doc, "DocumentNumber"),
                    first_text(doc, "IPOfficeCode"),
                    first_text(doc, "PatentDocumentKindCode"),
                    first_text(doc, "PatentDocumentDate"),
                    category,
                    first_text(doc, "EntityName"),
                )
            )
        else:
            patent.citations.append(common.npl_citation(text_of(node), category))
    common.add_priorities(
        patent,
        root.xpath(f"{_BIB}/PriorityClaimBag/PriorityClaim"),
        country="IPOfficeCode",
        number=".//ApplicationNumberText",
        date="FilingDate",
    )
    yield patent
