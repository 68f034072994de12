"""USPTO grant XML v2.5 (`PATDOC`, 2002-2004): SGML-style INID tags (B110, B210 ...) with PDAT leaves.

Named HTML entities (`&rdquo;`, `&mdash;`) are defined only in the external DTD;
`xmlutil.parse_xml` maps them.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ipnav.ingest import common
from ipnav.ingest.xmlutil import extract, first_text
from ipnav.model import Record

FORMAT = "uspto_v25"
ROOTS = ("PATDOC",)

FIELDS = {
    "pub_number": "SDOBI/B100/B110",
    "pub_kind": "SDOBI/B100/B130",
    "pub_date": "SDOBI/B100/B140",
    "pub_country": "SDOBI/B100/B190",
    "app_number": "SDOBI/B200/B210",
    "filing_date": "SDOBI/B200/B220",
    "title": "SDOBI/B500/B540",
    "abstract": "SDOAB",
    "description": "SDODE",
    "claims_count": "SDOBI/B500/B570/B577",
}


def _party(node: etree._Element) -> tuple[str, dict[str, str]]:
    org = first_text(node, ".//NAM/ONM")
    name = org or " ".join(p for p in (first_text(node, ".//NAM/FNM"), first_text(node, ".//NAM/SNM")) if p)
    address = {
        "city": first_text(node, ".//ADR/CITY"),
        "state": first_text(node, ".//ADR/STATE"),
        "country": first_text(node, ".//ADR/CTRY") or ("US" if first_text(node, ".//ADR/STATE") else ""),
    }
    return name, address


def parse_element(root: etree._Element) -> Iterator[Record]:
    """One USPTO grant of the 2002-2004 DTD (v2.5) -> its patent record."""
    values = extract(root, FIELDS)
    patent = common.document_patent(values, "US", FORMAT)
    if values["title"]:
        patent.titles["en"] = values["title"]
    if values["abstract"]:
        patent.abstracts["en"] = values["abstract"]
    patent.description = values["description"]
    common.set_claims(
        patent, root.xpath("SDOCL/CL/CLM"), ref_path=".//CLREF", count_hint=int(values["claims_count"] or 0)
    )
    for role, path in (
        ("inventor", "SDOBI/B700/B720/B721"),
        ("assignee", "SDOBI/B700/B730/B731"),
        ("agent", "SDOBI/B700/B740/B741"),
    ):
        for seq, node in enumerate(root.xpath(path), 1):
            name, address = _party(node)
            found = common.party(role, name, seq, **address)
            if found:
                patent.parties.append(found)
    ipc = [first_text(n, ".") for n in root.xpath("SDOBI/B500/B510/B511 | SDOBI/B500/B510/B512")]
    if patent.patent_type == "design":
        patent.classifications = common.classifications("locarno", ipc)
    else:
        patent.classifications = common.classifications("ipc", ipc)
    for node in root.xpath("SDOBI/B500/B560/B561"):
        category = "examiner" if node.find("CITED-BY-EXAMINER") is not None else "other"
        patent.citations.append(
            common.patent_citation(
                first_text(node, "PCIT/DOC/DNUM"),
                first_text(node, "PCIT/DOC/CTRY") or "US",
                first_text(node, "PCIT/DOC/KIND"),
                first_text(node, "PCIT/DOC/DATE"),
                category,
                first_text(node, "PCIT/PARTY-US/NAM"),
            )
        )
    for node in root.xpath("SDOBI/B500/B560/B562"):
        category = "examiner" if node.find("CITED-BY-EXAMINER") is not None else "other"
        patent.citations.append(common.npl_citation(first_text(node, "NCIT"), category))
    common.add_priorities(patent, root.xpath("SDOBI/B300"), country="B330", number="B310", date="B320")
    yield patent
