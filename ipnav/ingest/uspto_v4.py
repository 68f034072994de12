"""USPTO `us-patent-grant` / `us-patent-application` XML, DTD v4.0 to v4.7 (2005-today).

Also reads the Grant Bibliographic ("ipgb") files, which use the same root with no
description or claims.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ipnav.errors import RecordError
from ipnav.ingest import common
from ipnav.ingest.xmlutil import extract, first_text, text_of, xpath
from ipnav.model import Patent, Record
from ipnav.normalize.numbers import normalize_publication_number
from ipnav.normalize.status import normalize_patent_type

FORMAT = "uspto_v4"
ROOTS = ("us-patent-grant", "us-patent-application")

_BIB = "*[starts-with(local-name(), 'us-bibliographic-data')]"
FIELDS = {
    "pub_number": f"{_BIB}/publication-reference/document-id/doc-number",
    "pub_country": f"{_BIB}/publication-reference/document-id/country",
    "pub_kind": f"{_BIB}/publication-reference/document-id/kind",
    "pub_date": f"{_BIB}/publication-reference/document-id/date",
    "app_number": f"{_BIB}/application-reference/document-id/doc-number",
    "app_country": f"{_BIB}/application-reference/document-id/country",
    "filing_date": f"{_BIB}/application-reference/document-id/date",
    "appl_type": f"{_BIB}/application-reference/@appl-type",
    "title": f"{_BIB}/invention-title",
    "abstract": "abstract",
}


def _name(book: etree._Element) -> str:
    org = first_text(book, "orgname")
    if org:
        return org
    return " ".join(p for p in (first_text(book, "first-name"), first_text(book, "last-name")) if p)


def _parties(root: etree._Element) -> list:
    out = []
    paths = (
        ("applicant", "us-parties/us-applicants/us-applicant | parties/applicants/applicant"),
        (
            "inventor",
            "us-parties/inventors/inventor | parties/inventors/inventor"
            " | parties/applicants/applicant[contains(@app-type, 'inventor')]",
        ),
        ("assignee", "assignees/assignee"),
        ("agent", "us-parties/agents/agent | parties/agents/agent"),
    )
    bib = root.find("*")
    for role, path in paths:
        for seq, node in enumerate(xpath(bib, path) if bib is not None else [], 1):
            book = node.find("addressbook")
            if book is None:
                book = node
            address = book.find("address")
            found = common.party(
                role,
                _name(book),
                seq,
                city=first_text(address, "city") if address is not None else "",
                state=first_text(address, "state") if address is not None else "",
                country=first_text(address, "country") if address is not None else "",
            )
            if found is not None:
                out.append(found)
    return out


def _ipc(root: etree._Element) -> list[str]:
    symbols = []
    for node in root.xpath(f"{_BIB}/classifications-ipcr/classification-ipcr"):
        symbols.append(
            "".join(first_text(node, t) for t in ("section", "class", "subclass"))
            + first_text(node, "main-group")
            + "/"
            + first_text(node, "subgroup")
        )
    for node in root.xpath(f"{_BIB}/classification-ipc/*[self::main-classification or self::further-classification]"):
        symbols.append(node.text or "")
    return symbols


def _cpc(root: etree._Element) -> list[str]:
    return [
        "".join(first_text(node, t) for t in ("section", "class", "subclass"))
        + first_text(node, "main-group")
        + "/"
        + first_text(node, "subgroup")
        for node in root.xpath(f"{_BIB}/classifications-cpc//classification-cpc")
    ]


def _citations(root: etree._Element) -> list:
    # hot loop (tens of citations per grant): findtext is C-level and much cheaper than XPath
    out = []
    bib = root[0] if len(root) else root
    for refs in bib.iterchildren("references-cited", "us-references-cited"):
        for cit in refs:
            category = cit.findtext("category") or ""
            doc = cit.find("patcit/document-id")
            if doc is not None:
                out.append(
                    common.patent_citation(
                        (doc.findtext("doc-number") or "").strip(),
                        (doc.findtext("country") or "").strip(),
                        (doc.findtext("kind") or "").strip(),
                        (doc.findtext("date") or "").strip(),
                        category,
                        (doc.findtext("name") or "").strip(),
                    )
                )
                continue
            npl = cit.find("nplcit")
            if npl is not None:
                out.append(common.npl_citation(text_of(npl), category))
    return out


def parse_element(root: etree._Element) -> Iterator[Record]:
    """One USPTO grant or application (v4.x DTD) -> its patent record."""
    values = extract(root, FIELDS)
    patent: Patent = common.document_patent(values, "US", FORMAT)
    if values["appl_type"]:
        patent.patent_type = normalize_patent_type(values["appl_type"])
    if values["title"]:
        patent.titles["en"] = values["title"]
    if values["abstract"]:
        patent.abstracts["en"] = values["abstract"]
    common.set_claims(
        patent,
        root.xpath("claims/claim"),
        ref_path=".//claim-ref",
        count_hint=int(first_text(root, f"{_BIB}/number-of-claims") or 0),
    )
    description = root.find("description")
    patent.description = text_of(description) if description is not None else ""
    patent.parties = _parties(root)
    patent.classifications = common.classifications("ipc", _ipc(root)) + common.classifications("cpc", _cpc(root))
    patent.citations = _citations(root)
    common.add_priorities(
        patent,
        root.xpath(f"{_BIB}/priority-claims/priority-claim"),
        country="country",
        number="doc-number",
        date="date",
    )
    for doc in root.xpath(f"{_BIB}/related-documents/related-publication/document-id"):
        # the earlier pre-grant publication of the same application
        try:
            number, kind = normalize_publication_number(first_text(doc, "doc-number"), first_text(doc, "country"))
        except RecordError:
            continue  # a malformed related number must not reject the grant itself
        patent.extra["related_publication"] = number + (first_text(doc, "kind") or kind)
    yield patent
