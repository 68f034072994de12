"""EPO publication server XML, `ep-patent-document` DTD v1.0 to v1.5.1; also the WIPO ST.36 EP example.

Bibliographic data uses INID tags (`SDOBI/B100/B110` ...); titles come in de/en/fr.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from ipnav.ingest import common
from ipnav.ingest.xmlutil import extract, first_text, text_of
from ipnav.model import Record

FORMAT = "ep_pubserver"
ROOTS = ("ep-patent-document",)

FIELDS = {
    "pub_number": "SDOBI/B100/B110",
    "pub_kind": "SDOBI/B100/B130",
    "pub_date": "SDOBI/B100/B140",
    "pub_country": "SDOBI/B100/B190",
    "app_number": "SDOBI/B200/B210",
    "filing_date": "SDOBI/B200/B220",
    "doc_number": "@doc-number",
    "doc_kind": "@kind",
    "doc_date": "@date-publ",
}
_EP_CITE_RE = re.compile(r"^\s*([A-Z]{2})\s*-\s*([A-Z]\d?)?\s*-\s*(.+?)\s*$")


def _party(node: etree._Element) -> tuple[str, dict[str, str]]:
    return first_text(node, "snm"), {"city": first_text(node, "adr/city"), "country": first_text(node, "adr/ctry")}


def parse_element(root: etree._Element) -> Iterator[Record]:
    """One EPO publication-server document -> its patent record."""
    values = extract(root, FIELDS)
    patent = common.base_patent(
        app_number=values["app_number"],
        app_country="EP",
        filing_date=values["filing_date"],
        pub_number=values["pub_number"] or values["doc_number"],
        pub_country=values["pub_country"] or "EP",
        pub_kind=values["pub_kind"] or values["doc_kind"],
        pub_date=values["pub_date"] or values["doc_date"],
        source_format=FORMAT,
    )
    patent.patent_type = "invention"
    langs = root.xpath("SDOBI/B500/B540/B541")
    for lang_node in langs:
        title = lang_node.getnext()
        if title is not None and title.tag == "B542":
            patent.titles[(lang_node.text or "").strip()] = text_of(title)
    for abstract in root.xpath("abstract"):
        patent.abstracts[abstract.get("lang", "en")] = text_of(abstract)
    claim_sets = root.xpath("claims")
    main_claims = next(
        (c for c in claim_sets if c.get("lang") == root.get("lang")), claim_sets[0] if claim_sets else None
    )
    if main_claims is not None:
        common.set_claims(patent, main_claims.xpath("claim"), ref_path=".//claim-ref")
    description = root.find("description")
    patent.description = text_of(description) if description is not None else ""
    for role, path in (
        ("applicant", "SDOBI/B700/B710/B711"),
        ("inventor", "SDOBI/B700/B720/B721"),
        ("assignee", "SDOBI/B700/B730/B731"),
        ("agent", "SDOBI/B700/B740/B741"),
    ):
        for seq, node in enumerate(root.xpath(path), 1):
            name, address = _party(node)
            found = common.party(role, name, seq, **address)
            if found:
                patent.parties.append(found)
    ipc = [text_of(n) for n in root.xpath("SDOBI/B500/B510EP/classification-ipcr/text")]
    ipc += [text_of(n) for n in root.xpath("SDOBI/B500/B510/B511 | SDOBI/B500/B510/B512")]
    patent.classifications = common.classifications("ipc", ipc)
    for node in root.xpath("SDOBI/B500/B560/B561"):
        match = _EP_CITE_RE.match(first_text(node, "text"))
        if match:
            country, kind, number = match.groups()
            patent.citations.append(common.patent_citation(number.replace(" ", ""), country, kind or "", "", "search"))
    for node in root.xpath("SDOBI/B500/B560/B562"):
        patent.citations.append(common.npl_citation(first_text(node, "text"), "search"))
    common.add_priorities(patent, root.xpath("SDOBI/B300"), country="B330/ctry", number="B310", date="B320/date")
    yield patent
