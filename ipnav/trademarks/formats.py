"""Trademark source formats, sniffed from content and parsed by pure functions into `Trademark` records:

* USPTO Trademark Applications Daily/Annual XML v2.0: `<case-file>` fragments (no XML declaration) and bulk
  files (`<trademark-applications-daily>` wrapping many, after the prolog with its DTD);
* EUIPO EM-TM XML V3-4 (`<Transaction>`, one mark per file, goods in up to 23 languages, Vienna codes);
* TIPO (Taiwan) registration gazette (`<RegContentList>`, dates in the ROC calendar) and application records
  (`<tmarkcontent>`/`<TmarkAppl>` with TIPO's goods groups); their external `ftp://` DTD is never read;
* WIPO ST.96 (USPTO TSDR status files and TEAS applications; read in `ipnav.trademarks.st96`).

A record that cannot be read becomes a `Reject` naming file, record and field; the file goes on.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from lxml import etree

from ipnav.errors import RecordError
from ipnav.ingest.registry import JsonFormat, XmlFormat, sniff_root
from ipnav.ingest.xmlutil import local, parse_xml, strip_namespaces
from ipnav.model import Reject
from ipnav.trademarks import iponz
from ipnav.trademarks.model import TmClass, TmEvent, TmOwner, Trademark, canonical_number, roc_date
from ipnav.trademarks.st96 import st96_trademark
from ipnav.trademarks.status import euipo_status, uspto_status


def _text(node: etree._Element | None, path: str = ".") -> str:
    if node is None:
        return ""
    found = node.find(path) if path != "." else node
    return " ".join((found.text or "").split()) if found is not None and found.text else ""


def _ymd(text: str, field: str) -> dt.date | None:
    """`20240925`, `2024-09-25` or `2000-05-09-04:00` (a zone after the date, as TSDR writes it); None when
    empty or zero; RecordError naming the field when malformed."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[-+Z].*", text):
        text = text[:10]
    digits = text.replace("-", "")
    if not digits or set(digits) == {"0"}:
        return None
    try:
        return dt.datetime.strptime(digits, "%Y%m%d").date()
    except ValueError:
        raise RecordError(field, f"not a date: {text!r}") from None


# ---- USPTO XML v2.0 -------------------------------------------------------------------------------

_USPTO_DRAWING = {"1": "word", "4": "word", "2": "figurative", "3": "combined", "5": "combined", "6": "other"}


def uspto_case_file(case: etree._Element) -> Trademark:
    """One `<case-file>` of the USPTO daily/annual XML."""
    header = case.find("case-file-header")
    serial = _text(case, "serial-number")
    if not serial:
        raise RecordError("serial-number", "missing")
    status_code = _text(header, "status-code")
    status, description = uspto_status(status_code) if status_code else ("unknown", "")
    registration = _text(case, "registration-number").lstrip("0")
    flags = {local(e.tag): (e.text or "").strip() for e in (header if header is not None else [])}
    kind = "ordinary"
    if flags.get("certification-mark-in") == "T":
        kind = "certification"
    elif any(flags.get(f) == "T" for f in ("collective-trademark-in", "collective-service-mark-in",
                                             "collective-membership-mark-in")):  # fmt: skip
        kind = "collective"
    drawing = _text(header, "mark-drawing-code")[:1]
    mark = Trademark(
        office="US", number=canonical_number("US", serial),
        registration_number=canonical_number("US", registration) if registration else "",
        text=_text(header, "mark-identification"),
        mark_type="3d" if flags.get("drawing-3d-current-in") == "T"
        else "word" if flags.get("standard-characters-claimed-in") == "T" else _USPTO_DRAWING.get(drawing, "other"),
        kind=kind,
        filing_date=_ymd(_text(header, "filing-date"), "filing-date"),
        publication_date=_ymd(_text(header, "published-for-opposition-date"), "published-for-opposition-date"),
        registration_date=_ymd(_text(header, "registration-date"), "registration-date"),
        status=status, status_raw=f"{status_code} {description}".strip(),
        status_date=_ymd(_text(header, "status-date"), "status-date"),
        source_format="uspto_tm_xml_v2",
    )  # fmt: skip
    if mark.registration_date and mark.status == "registered":  # US registrations run 10 years, renewable
        renewed = _ymd(_text(header, "renewal-date"), "renewal-date") or mark.registration_date
        mark.expiry_date = dt.date(renewed.year + 10, renewed.month, min(renewed.day, 28))
    goods = {(_text(s, "type-code")[2:5]): _text(s, "text") for s in case.iterfind("case-file-statements/"
             "case-file-statement") if _text(s, "type-code").startswith("GS")}  # fmt: skip
    for number in _uspto_classes(case):
        text = goods.get(f"{number:03d}")
        mark.classes.append(TmClass(number, {"en": text} if text else {}))
    for owner in case.iterfind("case-file-owners/case-file-owner"):
        address = ", ".join(t for t in (_text(owner, "address-1"), _text(owner, "address-2")) if t)
        mark.owners.append(TmOwner(
            name=_text(owner, "party-name"), address=address, city=_text(owner, "city"),
            country=_text(owner, "country") or _text(owner, "nationality/country"),
            entity_type=_text(owner, "legal-entity-type-code"),
        ))  # fmt: skip
    attorney = _text(header, "attorney-name")
    if attorney:
        mark.owners.append(TmOwner(name=attorney, role="agent"))
    for event in case.iterfind("case-file-event-statements/case-file-event-statement"):
        mark.events.append(TmEvent(_ymd(_text(event, "date"), "event date"), "event", _text(event, "code"),
                                   _text(event, "description-text")))  # fmt: skip
    for statement in case.iterfind("case-file-statements/case-file-statement"):
        if _text(statement, "type-code").startswith("DM"):
            mark.extra["description"] = _text(statement, "text")
    return mark


def _uspto_classes(case: etree._Element) -> list[int]:
    """Nice classes (international codes 001-045) of a case file, each once, in order."""
    codes = (c.text.strip() for c in case.iterfind("classifications/classification/international-code") if c.text)
    return list(dict.fromkeys(int(c) for c in codes if c.isdigit() and 1 <= int(c) <= 45))


# ---- WIPO ST.66: EUIPO EM-TM and USPTO TSDR status files ---------------------------------------------

_EUIPO_FEATURE = {"word": "word", "figurative": "figurative", "3d shape": "3d", "3d": "3d", "colour": "colour",
                  "sound": "sound", "combined": "combined"}  # fmt: skip
_EUIPO_KIND = {"individual": "ordinary", "collective": "collective", "eu certificate": "certification",
               "certificate": "certification"}  # fmt: skip


def euipo_mark(root: etree._Element) -> Trademark:
    """One mark of a WIPO ST.66 `<Transaction>` (namespaces stripped): an EU trade mark of EUIPO's bulk files,
    or a US mark of a TSDR status file (its status a USPTO code)."""
    tm = root.find(".//TradeMark")
    if tm is None:
        raise RecordError("TradeMark", "missing")
    number = _text(tm, "ApplicationNumber")
    if not number:
        raise RecordError("ApplicationNumber", "missing")
    office = (_text(tm, "RegistrationOfficeCode") or "EM").upper()
    status_raw = _text(tm, "MarkCurrentStatusCode")
    registration = _text(tm, "RegistrationNumber") or (number if _text(tm, "RegistrationDate") else "")
    feature = _text(tm, "MarkFeature").lower()
    mark = Trademark(
        office=office, number=canonical_number(office, number),
        registration_number=canonical_number(office, registration) if registration else "",
        text=_text(tm, "WordMarkSpecification/MarkVerbalElementText"),
        mark_type=_EUIPO_FEATURE.get(feature, "word" if "word" in feature else "other"),
        kind=_EUIPO_KIND.get(_text(tm, "KindMark").lower(), "ordinary"),
        filing_date=_ymd(_text(tm, "ApplicationDate"), "ApplicationDate"),
        registration_date=_ymd(_text(tm, "RegistrationDate"), "RegistrationDate"),
        expiry_date=_ymd(_text(tm, "ExpiryDate"), "ExpiryDate"),
        status=euipo_status(status_raw), status_raw=status_raw,
        status_date=_ymd(_text(tm, "MarkCurrentStatusDate"), "MarkCurrentStatusDate"),
        image=_text(tm, "MarkImageDetails/MarkImage/MarkImageURI"),
        vienna=[c.text.strip() for c in tm.iterfind(".//MarkImageCategory//CategoryCode") if c.text],
        source_format="euipo_em_tm_v3" if office == "EM" else "wipo_st66",
    )  # fmt: skip
    if status_raw.isdigit():  # a USPTO status code (TSDR)
        mark.status, description = uspto_status(status_raw)
        mark.status_raw = f"{status_raw} {description}".strip()
    if mark.status == "unknown" and "cancellation pending" in status_raw.lower():
        mark.status = "registered"
    for description in tm.iterfind("GoodsServicesDetails/GoodsServices/ClassDescriptionDetails/ClassDescription"):
        number_text = _text(description, "ClassNumber")
        if not number_text.isdigit():
            raise RecordError("ClassNumber", f"not a class number: {number_text!r}")
        goods = {d.get("languageCode", ""): " ".join((d.text or "").split())
                 for d in description.iterfind("GoodsServicesDescription")}  # fmt: skip
        mark.classes.append(TmClass(int(number_text), goods))
    publications = [_ymd(_text(p, "PublicationDate"), "PublicationDate") for p in tm.iterfind(".//Publication")]
    dated = sorted(d for d in publications if d)
    mark.publication_date = dated[0] if dated else None
    for d in dated:
        mark.events.append(TmEvent(d, "publication", "", "published in the EUTM Bulletin"))
    for key, role in (("ApplicantDetails/ApplicantKey/Identifier", "owner"),
                      ("RepresentativeDetails/RepresentativeKey/Identifier", "agent")):  # fmt: skip
        identifier = _text(tm, key)
        if identifier:  # EUIPO's bulk files name applicants and representatives by identifier only
            mark.owners.append(TmOwner(name=f"EUIPO {role} {identifier}", role=role, country=""))
    named = set()
    for party, role in ((root.iterfind(".//ApplicantDetails/Applicant"), "owner"),
                        (tm.iterfind("RepresentativeDetails/Representative"), "agent")):  # fmt: skip
        for node in party:  # TSDR names them in full
            name = " ".join(n.text.strip() for n in node.iter("FreeFormatNameLine") if n.text)
            if name and (name, role) not in named:
                named.add((name, role))
                address = ", ".join(t for t in (_text(node, ".//AddressRoom"), _text(node, ".//AddressStreet"),
                                               _text(node, ".//AddressState")) if t)  # fmt: skip
                mark.owners.append(TmOwner(name=name, role=role, address=address, city=_text(node, ".//AddressCity"),
                                           country=_text(node, ".//FormattedAddressCountryCode")))  # fmt: skip
    for event in tm.iterfind("MarkEventDetails/MarkEvent"):
        mark.events.append(
            TmEvent(
                _ymd(_text(event, "MarkEventDate"), "MarkEventDate"),
                "event",
                _text(event, "MarkEventCode"),
                _text(event, ".//MarkEventInternalDescriptionText"),
            )
        )
    return mark


# ---- TIPO (Taiwan) --------------------------------------------------------------------------------

_TIPO_DESIGN = (("立體", "3d"), ("顏色", "colour"), ("聲音", "sound"), ("平面", "figurative"))


def _children(node: etree._Element) -> dict[str, list[etree._Element]]:
    """Child elements by tag, in one pass (`find` with a path costs several microseconds a call)."""
    out: dict[str, list[etree._Element]] = {}
    for child in node:
        if isinstance(child.tag, str):
            out.setdefault(child.tag, []).append(child)
    return out


def _first_text(children: dict[str, list[etree._Element]], tag: str) -> str:
    nodes = children.get(tag)
    return " ".join(nodes[0].text.split()) if nodes and nodes[0].text else ""


_TIPO_DRAWINGS = ("設計圖", "標章圖", "圖形", "Device", "DEVICE")  # a figure's name, not the mark's words
_TIPO_LETTERING = ("設計字",)  # stylised lettering of the words before it


def _tipo_words(name: str) -> tuple[str, bool]:
    """The words of a TIPO mark from the gazette's name and whether the name describes a figure:
    `設計圖` and `標章圖` alone name a figure without words (no words); `統一企業標章圖` is a figure named
    after 統一企業 (the name kept as words, so it is found by them); `DSMOTO設計字` is the lettering DSMOTO."""
    text = name.strip()
    for suffix in (*_TIPO_DRAWINGS, *_TIPO_LETTERING):
        if text.endswith(suffix):
            return text.removesuffix(suffix).strip(), suffix in _TIPO_DRAWINGS
    return text, False


def tipo_gazette_entry(entry: etree._Element) -> Trademark:
    """One `<RegContent>` of TIPO's registration gazette (商標公報)."""
    fields = _children(entry)
    register, case = _first_text(fields, "RegisterNo"), _first_text(fields, "CaseNo")
    if not register and not case:
        raise RecordError("RegisterNo", "missing")
    written = _first_text(fields, "Trademark_Name")
    design = _first_text(fields, "Trademark_Design")
    mark_type = next((t for word, t in _TIPO_DESIGN if word in design), "other")
    name, drawing = _tipo_words(written)
    if mark_type == "figurative":  # TIPO writes 及圖 (and device) after the words of a combined mark
        mark_type = "combined" if name.endswith("及圖") else ("word" if name and not drawing else "figurative")
    start, end = roc_date(_first_text(fields, "SDate")), roc_date(_first_text(fields, "EDate"))
    mark = Trademark(
        office="TW", number=canonical_number("TW", case) if case else canonical_number("TW", register),
        registration_number=canonical_number("TW", register) if register else "",
        text=name.removesuffix("及圖"), mark_type=mark_type,
        kind={"1": "certification", "2": "collective", "3": "collective"}.get(_first_text(fields, "Mark_Type"),
                                                                              "ordinary"),
        filing_date=roc_date(_first_text(fields, "Filing_Date")), registration_date=start, expiry_date=end,
        status="registered", status_raw="註冊公告", status_date=start, source_format="tipo_gazette",
    )  # fmt: skip
    mark.extra["design"] = design
    if written != name:
        mark.extra["name"] = written  # the gazette's name of a figure (設計圖, 標章圖): not words of the mark
    for classification in fields.get("RegContentClassification", []):
        for klass in classification:
            digits = (klass.text or "").strip()
            if klass.tag == "Class" and digits.isdigit() and 1 <= int(digits) <= 45:
                mark.classes.append(TmClass(int(digits)))
    for owner in fields.get("RegContentOwner", []):
        parts = _children(owner)
        zh, en = _first_text(parts, "AChinese"), _first_text(parts, "AEnglish")
        if zh or en:
            mark.owners.append(TmOwner(name=zh or en, names={k: v for k, v in (("zh", zh), ("en", en)) if v},
                                       country="TW" if zh and not en else ""))  # fmt: skip
    for agent in fields.get("RegContentAgent", []):
        agent_name = _first_text(_children(agent), "BChinese")
        if agent_name:
            mark.owners.append(TmOwner(name=agent_name, role="agent"))
    if start:
        mark.events.append(TmEvent(start, "registration", "", "註冊公告"))
    return mark


def tipo_application(record: etree._Element) -> Trademark:
    """One TIPO application record (`<tmarkcontent>`, in the API response or the case files)."""
    number = _first(record, "appl-no")
    if not number:
        raise RecordError("appl-no", "missing")
    name = _first(record, "tmark-name")
    design = _first(record, "tmark-type-desc")
    mark_type = next((t for word, t in _TIPO_DESIGN if word in design), "other")
    if mark_type in ("figurative", "other"):
        mark_type = "combined" if name.endswith("及圖") else ("word" if name and not design else mark_type)
    mark = Trademark(
        office="TW", number=canonical_number("TW", number), text=name.removesuffix("及圖"), mark_type=mark_type,
        filing_date=_tipo_date(_first(record, "appl-date")), status="filed", status_raw="申請",
        image=_first(record, "image-data-1"), source_format="tipo_application",
    )  # fmt: skip
    for key, language in (("tmark-draft-c", "zh"), ("tmark-draft-e", "en")):
        if _first(record, key):
            mark.extra[f"draft_{language}"] = _first(record, key)
    classes: dict[int, TmClass] = {}
    for goods in record.iter("goodsclass"):
        digits = _first(goods, "goodsclass-code")
        if not digits.isdigit():
            raise RecordError("goodsclass-code", f"not a class number: {digits!r}")
        if not 1 <= int(digits) <= 45:  # Taiwan's own classes before it joined Nice (1951-1993): kept apart
            mark.extra["local_classes"] = " ".join(filter(None, [mark.extra.get("local_classes", ""), digits]))
            continue
        klass = classes.setdefault(int(digits), TmClass(int(digits)))
        klass.groups += [g for g in _first(goods, "goods-group").split() if g not in klass.groups]
        if _first(goods, "goods-name"):
            klass.goods["zh"] = _first(goods, "goods-name")
    mark.classes = sorted(classes.values(), key=lambda c: c.number)
    for applicant in record.iter("applicant"):
        zh, en = _first(applicant, "chinese-name"), _first(applicant, "english-name")
        if zh or en:
            mark.owners.append(TmOwner(
                name=zh or en, names={k: v for k, v in (("zh", zh), ("en", en)) if v},
                address=_first(applicant, "address"), country=_first(applicant, "country-code"),
            ))  # fmt: skip
    for agent in record.iter("agent"):
        if _first(agent, "chinese-name"):
            mark.owners.append(TmOwner(name=_first(agent, "chinese-name"), role="agent",
                                       address=_first(agent, "address")))  # fmt: skip
    if mark.filing_date:
        mark.events.append(TmEvent(mark.filing_date, "filing", "", "申請"))
    return mark


def _first(node: etree._Element, name: str) -> str:
    for found in node.iter(name):
        if found.text and found.text.strip():
            return " ".join(found.text.split())
    return ""


def _tipo_date(text: str) -> dt.date | None:
    text = text.strip()
    if re.fullmatch(r"\d{8}", text) and int(text[:4]) > 1800:
        return _ymd(text, "appl-date")
    if re.fullmatch(r"\d{4}/\d{1,2}/\d{1,2}", text):
        y, m, d = (int(x) for x in text.split("/"))
        return dt.date(y, m, d)
    return roc_date(text)


# ---- files ----------------------------------------------------------------------------------------

Parse = Callable[[etree._Element], Trademark]
_MANY = {"trademark-applications-daily", "RegContentList", "API", "tmarkappl"}  # roots holding many marks


def _records(root: etree._Element) -> Iterator[tuple[etree._Element, Parse]]:
    tag = local(root.tag)
    if tag == "case-file":
        yield root, uspto_case_file
    elif tag == "trademark-applications-daily":
        for case in root.iter("case-file"):
            yield case, uspto_case_file
    elif tag == "Transaction":  # ST.66 (EUIPO, TSDR), or the ST.96 1.D3 draft under the same root name
        yield root, (euipo_mark if root.find(".//TradeMark") is not None else st96_trademark)
    elif tag in ("TrademarkTransaction", "TrademarkApplication"):
        yield root, st96_trademark
    elif tag == "RegContentList":
        for entry in root.iterfind("RegContent"):
            yield entry, tipo_gazette_entry
    else:
        records = [r for r in root.iter("tmarkcontent") if r is not root] or [root]
        for record in records:
            yield record, tipo_application


def parse_element(root: etree._Element) -> Iterator[Trademark | Reject]:
    """Every mark of one XML document (namespaces stripped for EUIPO); a bad one a Reject naming its place
    in the document (a document of one mark leaves its position to the file's document ordinal)."""
    many = local(root.tag) in _MANY
    for position, (element, parse) in enumerate(_records(root), 1):
        try:
            mark = parse(element)
        except RecordError as exc:
            yield Reject("", position if many else 0, exc.field, exc.reason, etree.tostring(element))
            continue
        if many:
            mark.source_position = position
        yield mark


XML_FORMATS = [
    XmlFormat(
        "uspto_tm_xml_v2", ("case-file", "trademark-applications-daily"), parse_element, False, "trademark", "case-file"
    ),
    XmlFormat("euipo_em_tm_v3", ("Transaction",), parse_element, True, "trademark"),  # and TSDR's ST.66
    XmlFormat(
        "wipo_st96_trademark", ("TrademarkTransaction", "TrademarkApplication"), parse_element, True, "trademark"
    ),
    XmlFormat("tipo_gazette", ("RegContentList",), parse_element, False, "trademark", "RegContent"),
    XmlFormat("tipo_application", ("API", "tmarkappl", "tmarkcontent"), parse_element, False, "trademark"),
]

JSON_FORMATS = [JsonFormat("iponz_opposition", iponz.recognise, iponz.iponz_opposition, "trademark")]


def parse_bytes(data: bytes, name: str) -> Iterator[Trademark | Reject]:
    """Every mark of one file's bytes, each bad record a Reject (file, record, field, reason, raw bytes)."""
    root_name = sniff_root(data[:65536]) or ""
    if not any(root_name in f.roots for f in XML_FORMATS):
        what = f"root <{root_name}>" if root_name else "no root element (a DTD prolog alone?)"
        yield Reject(name, 0, "file", f"not a trademark file ipnav reads: {what}", data[:4096])
        return
    try:
        root = parse_xml(data)
    except RecordError as exc:
        yield Reject(name, 0, exc.field, exc.reason, data[:4096])
        return
    if next(f for f in XML_FORMATS if root_name in f.roots).needs_plain_names:
        root = strip_namespaces(root)
    for item in parse_element(root):
        item.source_file = name
        if isinstance(item, Trademark) and not item.source_position:
            item.source_position = 1
        yield item


def parse_file(path: Path) -> Iterator[Trademark | Reject]:
    """Every mark of one file (see `parse_bytes`)."""
    yield from parse_bytes(path.read_bytes(), str(path))
