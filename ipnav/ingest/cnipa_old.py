"""CNIPA full-text XML, old generation: `cn-patent-document` (ST.36-derived, un-namespaced).

Applicant addresses are free text with the 6-digit postcode in front
(`650231 云南省昆明市...`); the pipeline resolves them to adcodes.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ipnav.ingest import common
from ipnav.ingest.xmlutil import extract, first_text, text_of
from ipnav.model import Record
from ipnav.normalize.status import normalize_patent_type
from ipnav.normalize.text import clean_cjk_text

FORMAT = "cnipa_old"
ROOTS = ("cn-patent-document",)

_BIB = "cn-bibliographic-data"
FIELDS = {
    "pub_number": f"{_BIB}/cn-publication-reference/document-id/doc-number",
    "pub_country": f"{_BIB}/cn-publication-reference/document-id/country",
    "pub_kind": f"{_BIB}/cn-publication-reference/document-id/kind",
    "pub_date": f"{_BIB}/cn-publication-reference/document-id/date",
    "app_number": f"{_BIB}/application-reference/document-id/doc-number",
    "filing_date": f"{_BIB}/application-reference/document-id/date",
    "appl_type": f"{_BIB}/application-reference/@appl-type",
    "title": f"{_BIB}/invention-title",
}


def parse_element(root: etree._Element) -> Iterator[Record]:
    """One CNIPA XML document (old standard) -> its patent record."""
    values = extract(root, FIELDS)
    patent = common.document_patent(values, "CN", FORMAT)
    if values["appl_type"]:
        patent.patent_type = normalize_patent_type(values["appl_type"])
    if values["title"]:
        patent.titles["zh"] = clean_cjk_text(values["title"])
    abstract = root.xpath(f"{_BIB}/abstract/p[not(@num='bio')] | {_BIB}/abstract[not(p)]")
    if abstract:
        patent.abstracts["zh"] = clean_cjk_text(" ".join(text_of(p) for p in abstract))
    description = root.find(".//description")
    patent.description = clean_cjk_text(text_of(description)) if description is not None else ""
    common.set_claims(patent, root.xpath(".//claims/claim"), ref_path=None, cjk=True)
    for seq, node in enumerate(root.xpath(f"{_BIB}/cn-parties/cn-applicants/cn-applicant"), 1):
        found = common.party(
            "applicant",
            first_text(node, ".//name"),
            seq,
            address=first_text(node, ".//address/text"),
            postcode=first_text(node, ".//address/text")[:6].strip(),
        )
        if found:
            patent.parties.append(found)
    inventors = root.xpath(f"{_BIB}/cn-parties/cn-inventors/cn-inventor")
    common.add_named(patent, "inventor", [first_text(n, "name") for n in inventors])
    agents = root.xpath(f"{_BIB}/cn-parties/cn-agents/cn-agent")
    common.add_agents(patent, [(first_text(n, "name"), first_text(n, "cn-agency/name")) for n in agents])
    patent.classifications = common.classifications(
        "ipc", [first_text(n, "text") for n in root.xpath(f"{_BIB}/classifications-ipcr/classification-ipcr")]
    )
    common.add_priorities(
        patent,
        root.xpath(f"{_BIB}/priority-claims/priority-claim"),
        country="country",
        number="doc-number",
        date="date",
    )
    yield patent
