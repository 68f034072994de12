"""EPO DOCDB exchange XML and OPS bibliographic responses (`exchange-document`).

Namespaces are stripped first, so `exch:exchange-document`, the un-prefixed
variant and OPS `ops:world-patent-data` wrappers all read the same. Only the
`docdb` data-format entries are used for numbers; family id comes from the
`family-id` attribute.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ipnav.errors import RecordError
from ipnav.ingest import common
from ipnav.ingest.xmlutil import first_text, text_of
from ipnav.model import LegalEvent, Priority, Record
from ipnav.normalize.dates import parse_date

FORMAT = "epo_exchange"
ROOTS = ("exchange-document", "exchange-documents", "world-patent-data")

_DOCDB = "[@data-format='docdb' or not(@data-format)]"


def parse_element(root: etree._Element) -> Iterator[Record]:
    """EPO/WIPO exchange documents -> one patent record each."""
    documents = [root] if root.tag == "exchange-document" else root.xpath(".//exchange-document")
    members = root.xpath("patent-family/family-member") if not documents else []
    if not documents and not members:
        kinds = sorted({child.tag for child in root})
        raise RecordError(
            "format",
            f"OPS response holds no bibliographic data (has: {', '.join(kinds)}); "
            "load the biblio response of the same publication instead",
        )
    for doc in documents:
        yield _document(doc)
    for member in members:
        yield _family_member(member)


def _family_member(member: etree._Element) -> Record:
    """An OPS family (or legal) response member: numbers, priorities, family id and INPADOC legal events."""
    app_number, app_country = _application_of(member.xpath("application-reference"))
    pub = _ids(member.xpath("publication-reference")).get("docdb")
    patent = common.base_patent(
        app_number=app_number,
        app_country=app_country,
        filing_date=first_text(_ids(member.xpath("application-reference")).get("docdb"), "date"),
        pub_number=first_text(pub, "doc-number") if pub is not None else "",
        pub_country=first_text(pub, "country") if pub is not None else "",
        pub_kind=first_text(pub, "kind") if pub is not None else "",
        pub_date=first_text(pub, "date") if pub is not None else "",
        source_format="epo_ops_family",
    )
    patent.family_id = member.get("family-id", "")
    if patent.patent_type == "other":
        patent.patent_type = "invention"
    for claim in member.xpath("priority-claim"):
        node = _ids([claim]).get("docdb")
        if node is not None and first_text(node, "doc-number"):
            patent.priorities.append(
                Priority(
                    first_text(node, "country"),
                    first_text(node, "doc-number"),
                    parse_date(first_text(node, "date"), "priority_date"),
                )
            )
    for legal in member.xpath("legal"):
        try:
            when = parse_date(first_text(legal, "L007EP"), "legal_event_date")
        except RecordError:
            when = None
        patent.legal_events.append(
            LegalEvent(date=when, code=legal.get("code", "").strip(), description=legal.get("desc", "").strip())
        )
    return patent


def _ids(nodes: list[etree._Element]) -> dict[str, etree._Element]:
    """document-id elements by data format: DOCDB files mark the parent (`data-format`), OPS the child
    (`document-id-type`)."""
    out: dict[str, etree._Element] = {}
    for node in nodes:
        for doc_id in node.iter("document-id"):
            fmt = node.get("data-format") or doc_id.get("document-id-type") or "docdb"
            out.setdefault(fmt, doc_id)
    return out


def _application(doc: etree._Element) -> tuple[str, str]:
    return _application_of(doc.xpath("bibliographic-data/application-reference"))


def _application_of(refs: list[etree._Element]) -> tuple[str, str]:
    ids = _ids(refs)
    docdb = ids.get("docdb")
    if docdb is None:
        return "", ""
    country, number, kind = (first_text(docdb, t) for t in ("country", "doc-number", "kind"))
    if kind == "W" and len(number) == 10:  # PCT application: IB 2022055385 -> PCT/IB2022/055385
        return f"PCT/{country}{number[:4]}/{number[4:]}", "WO"
    original = first_text(ids["original"], "doc-number") if "original" in ids else ""
    if country == "US":
        # DOCDB's US application numbers are internal; only the original one is the real number
        return (original, "US") if original.isdigit() and len(original) == 8 else ("", "")
    return number, country


def _by_preference(nodes: list[etree._Element]) -> list[etree._Element]:
    """Nodes of the best single data format present (docdb > epodoc > original), so names are not doubled."""
    for fmt in ("docdb", "epodoc", "original"):
        chosen = [n for n in nodes if (n.get("data-format") or "docdb") == fmt]
        if chosen:
            return chosen
    return nodes


def _document(doc: etree._Element) -> Record:
    app_number, app_country = _application(doc)
    patent = common.base_patent(
        app_number=app_number,
        app_country=app_country,
        filing_date=first_text(doc, "bibliographic-data/application-reference//document-id/date"),
        pub_number=doc.get("doc-number", ""),
        pub_country=doc.get("country", ""),
        pub_kind=doc.get("kind", ""),
        pub_date=doc.get("date-publ", "")
        or first_text(doc, f"bibliographic-data/publication-reference{_DOCDB}/document-id/date"),
        source_format=FORMAT,
    )
    if patent.patent_type == "other":
        patent.patent_type = "invention"
    patent.family_id = doc.get("family-id", "")
    bib = doc.find("bibliographic-data")
    if bib is None:
        return patent
    for title in bib.xpath("invention-title"):
        patent.titles.setdefault(title.get("lang", "en"), text_of(title))
    for abstract in doc.xpath("abstract"):
        patent.abstracts.setdefault(abstract.get("lang", "en"), text_of(abstract))
    for role, path in (("applicant", "parties/applicants/applicant"), ("inventor", "parties/inventors/inventor")):
        for node in _by_preference(bib.xpath(path)):
            found = common.party(
                role,
                first_text(node, ".//name"),
                int(node.get("sequence", "0") or 0),
                country=first_text(node, "residence/country"),
            )
            if found:
                patent.parties.append(found)
    ipc = [text_of(n) for n in bib.xpath("classifications-ipcr/classification-ipcr/text")]
    cpc = [
        first_text(n, "classification-symbol")
        for n in bib.xpath("patent-classifications/patent-classification")
        if "CPC" in first_text(n, "classification-scheme/@scheme")
    ]
    patent.classifications = common.classifications("ipc", ipc) + common.classifications("cpc", cpc)
    for node in bib.xpath("references-cited/citation"):
        category = first_text(node, "category") or node.get("cited-phase", "")
        pat = node.find("patcit/document-id[@document-id-type='docdb']") if node.find("patcit") is not None else None
        if pat is None and node.find("patcit") is not None:
            pat = node.find("patcit/document-id")
        if pat is not None:
            patent.citations.append(
                common.patent_citation(
                    first_text(pat, "doc-number"),
                    first_text(pat, "country"),
                    first_text(pat, "kind"),
                    first_text(pat, "date"),
                    category,
                )
            )
        elif node.find("nplcit") is not None:
            patent.citations.append(common.npl_citation(first_text(node, "nplcit/text"), category))
    for claim in bib.xpath("priority-claims/priority-claim"):
        ids = _ids([claim])
        node = ids.get("docdb") if "docdb" in ids else ids.get("epodoc", ids.get("original"))
        if node is None or (
            claim.get("data-format") not in (None, "docdb")
            and bool(bib.xpath("priority-claims/priority-claim[@data-format='docdb']"))
        ):
            continue
        number, country = first_text(node, "doc-number"), first_text(node, "country")
        if number and not country and number[:2].isalpha():
            country, number = number[:2], number[2:]
        if number and not any(p.number == number and p.country == country for p in patent.priorities):
            try:
                when = parse_date(first_text(node, "date"), "priority_date")
            except RecordError:
                when = None
            patent.priorities.append(Priority(country, number, when))
    return patent
