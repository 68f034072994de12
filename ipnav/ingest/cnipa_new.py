"""CNIPA full-text XML, new generation: `business:PatentDocumentAndRelated` (xsdVersion V2.x).

Namespaces are stripped before these paths apply. Structured address parts are
often the placeholder `0`; the real address is in `Address/Text`.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ipnav.ingest import common
from ipnav.ingest.xmlutil import extract, first_text, text_of
from ipnav.model import Record
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
    """One CNIPA XML document (new standard) -> its patent record."""
    values = extract(root, FIELDS)
    patent = common.document_patent(values, "CN", FORMAT)
    if values["appl_type"][:1] in _APPL_TYPES:
        patent.patent_type = _APPL_TYPES[values["appl_type"][:1]]
    if values["title"]:
        patent.titles["zh"] = clean_cjk_text(values["title"])
    abstract = root.xpath("Abstract/Paragraphs")
    if abstract:
        patent.abstracts["zh"] = clean_cjk_text(" ".join(text_of(p) for p in abstract))
    description = root.find("Description")
    patent.description = clean_cjk_text(text_of(description)) if description is not None else ""
    common.set_claims(patent, root.xpath("Claims/Claim"), ref_path=None, cjk=True)
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
    inventors = root.xpath(f"{parties}/InventorDetails/Inventor")
    common.add_named(patent, "inventor", [first_text(n, "AddressBook/Name") for n in inventors])
    agents = root.xpath(f"{parties}/AgentDetails/Agent")
    common.add_agents(
        patent,
        [(first_text(n, "AddressBook/Name"), first_text(n, "Agency/AddressBook/OrganizationName")) for n in agents],
    )
    patent.classifications = common.classifications(
        "ipc", [first_text(n, "Text") for n in root.xpath(f"{_BIB}/ClassificationIPCRDetails/ClassificationIPCR")]
    )
    common.add_priorities(
        patent,
        root.xpath(f"{_BIB}/PriorityDetails/Priority[@dataFormat='original' or not(@dataFormat)]"),
        country=".//WIPOST3Code",
        number=".//DocNumber",
        date=".//Date",
    )
    yield patent
