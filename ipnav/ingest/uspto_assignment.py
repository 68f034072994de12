"""USPTO patent assignment records (assignment search API Solr XML: `<response><result><doc>`).

Also accepts the bulk `us-patent-assignments` XML (assignment-record / patent-assignees).
Each recorded conveyance becomes a `Transaction` linked to the application numbers it names.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ipnav.errors import RecordError
from ipnav.ingest.xmlutil import first_text, text_of
from ipnav.model import Record, Transaction
from ipnav.normalize.dates import parse_date
from ipnav.normalize.numbers import parse_application_number

FORMAT = "uspto_assignment"
RECORD_KIND = "transaction"
ROOTS = ("response", "us-patent-assignments")


def conveyance_kind(text: str) -> str:
    """assignment | licence | pledge | other, from the conveyance text."""
    upper = text.upper()
    if any(word in upper for word in ("SECURITY", "PLEDGE", "LIEN", "MORTGAGE", "质押")):
        return "pledge"
    if "LICENS" in upper or "许可" in upper:
        return "licence"
    if any(word in upper for word in ("ASSIGN", "MERGER", "CHANGE OF NAME", "转让")):
        return "assignment"
    return "other"


def _solr_values(doc: etree._Element, name: str) -> list[str]:
    node = doc.find(f"*[@name='{name}']")
    if node is None:
        return []
    if node.tag == "arr":
        return [text_of(child) for child in node if text_of(child) not in ("", "NULL")]
    value = text_of(node)
    return [] if value in ("", "NULL") else [value]


def _date(values: list[str]) -> object:
    for value in values:
        if not value.startswith("0001"):
            return parse_date(value[:10], "date")
    return None


def _app_keys(values: list[str]) -> list[str]:
    keys: list[str] = []
    for value in values:
        try:
            key = parse_application_number(value, "US").key
        except RecordError:
            continue
        if key not in keys:
            keys.append(key)
    return keys


def parse_element(root: etree._Element) -> Iterator[Record]:
    """USPTO assignment records -> one transaction each."""
    if root.tag == "us-patent-assignments":
        yield from _bulk(root)
        return
    docs = root.xpath("result/doc")
    if not docs and root.find("result") is None:
        raise RecordError("format", "<response> is not a USPTO assignment search response")
    for doc in docs:
        reel, frame = (_solr_values(doc, "reelNo") or [""])[0], (_solr_values(doc, "frameNo") or [""])[0]
        if not reel:
            raise RecordError("reelNo", "missing")
        conveyance = (_solr_values(doc, "conveyanceText") or [""])[0]
        yield Transaction(
            key=f"US-RF:{reel}-{frame}",
            kind=conveyance_kind(conveyance),
            patent_numbers=_app_keys(_solr_values(doc, "applNum")),
            execution_date=_date(_solr_values(doc, "patAssignorExDate")),  # type: ignore[arg-type]
            recorded_date=_date(_solr_values(doc, "recordedDate")),  # type: ignore[arg-type]
            assignors=_solr_values(doc, "patAssignorName"),
            assignees=_solr_values(doc, "patAssigneeName"),
            conveyance=conveyance,
            source_format=FORMAT,
        )


def _bulk(root: etree._Element) -> Iterator[Record]:
    for node in root.iter("patent-assignment"):
        record = node.find("assignment-record")
        if record is None:
            continue
        reel, frame = first_text(record, "reel-no"), first_text(record, "frame-no")
        conveyance = first_text(record, "conveyance-text")
        numbers = [first_text(d, "doc-number") for d in node.xpath(".//document-id[kind='X0' or not(kind)]")]
        yield Transaction(
            key=f"US-RF:{reel}-{frame}",
            kind=conveyance_kind(conveyance),
            patent_numbers=_app_keys(numbers),
            execution_date=parse_date(first_text(node, ".//patent-assignor/execution-date/date"), "execution_date"),
            recorded_date=parse_date(first_text(record, "recorded-date/date"), "recorded_date"),
            assignors=[first_text(a, "name") for a in node.iter("patent-assignor")],
            assignees=[first_text(a, "name") for a in node.iter("patent-assignee")],
            conveyance=conveyance,
            source_format=FORMAT,
        )
