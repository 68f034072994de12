"""WIPO ST.96 trademark documents (namespaces stripped): USPTO TSDR status files (`<TrademarkTransaction>`,
and the same case in ST.96's 1.D3 draft under a `<Transaction>` root) and TEAS applications
(`<TrademarkApplication>`). Each holds one `<Trademark>` in a `<TrademarkBag>`.

Owners: TSDR lists every owner the case has had (original registrant, owner at publication, subsequent
owners), each with a sequence number; the highest is the current owner, the others are kept as
`former_owner`. Recorded assignments become `assignment` events (a security interest a `pledge`, a licence
a `licence`).
"""

from __future__ import annotations

import datetime as dt
import re

from lxml import etree

from ipnav.errors import RecordError
from ipnav.trademarks.model import TmClass, TmEvent, TmOwner, Trademark, canonical_number
from ipnav.trademarks.status import euipo_status, uspto_status


def _text(node: etree._Element | None, path: str = ".") -> str:
    if node is None:
        return ""
    found = node if path == "." else node.find(path)
    return " ".join(found.text.split()) if found is not None and found.text else ""


def _date(text: str, field: str) -> dt.date | None:
    """`1995-02-07`, `1995-02-07-05:00` (a zone after the date) or `19950207`; None when empty."""
    text = text.strip()
    if not text:
        return None
    match = re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})([-+Z].*)?", text)
    if not match:
        raise RecordError(field, f"not a date: {text!r}")
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise RecordError(field, f"not a date: {text!r}") from None


_FEATURE = {"1": "word", "4": "word", "2": "figurative", "3": "combined", "5": "combined", "6": "other"}
_CATEGORY = (("certification", "certification"), ("collective", "collective"))
# a recorded assignment's conveyance, in the event vocabulary
_CONVEYANCE = (("SECURITY", "pledge"), ("LICEN", "licence"), ("RELEASE", "pledge_release"))


def st96_trademark(root: etree._Element) -> Trademark:
    """The one `<Trademark>` of an ST.96 document."""
    tm = root.find(".//TrademarkBag/Trademark")
    if tm is None:
        raise RecordError("Trademark", "missing")
    number = _text(tm, "ApplicationNumber/ApplicationNumberText")
    if not number:
        raise RecordError("ApplicationNumberText", "missing")
    office = (_text(tm, "RegistrationOfficeCode") or _text(tm, "ApplicationNumber/IPOfficeCode") or "US").upper()
    registration = _text(tm, "RegistrationNumber")
    category = _text(tm, "MarkCategory").lower()
    mark = Trademark(
        office=office, number=canonical_number(office, number),
        registration_number=canonical_number(office, registration) if registration.strip("0") else "",
        text=_text(tm, ".//WordMarkSpecification/MarkVerbalElementText"),
        mark_type=_mark_type(tm),
        kind=next((kind for word, kind in _CATEGORY if word in category), "ordinary"),
        filing_date=_date(_text(tm, "ApplicationDate"), "ApplicationDate"),
        registration_date=_date(_text(tm, "RegistrationDate"), "RegistrationDate"),
        status_date=_date(_text(tm, "MarkCurrentStatusDate"), "MarkCurrentStatusDate"),
        vienna=[_text(c) for c in tm.iterfind(".//NationalDesignSearchCode/NationalDesignCode") if _text(c)],
        source_format="wipo_st96",
    )  # fmt: skip
    _status(mark, tm)
    image = _text(tm, ".//MarkImageBag/MarkImage/FileName")
    mark.image = "" if image.lower().startswith("no image") else image
    _classes(mark, tm)
    publications = sorted(d for p in tm.iterfind("PublicationBag/Publication")
                          if (d := _date(_text(p, "PublicationDate"), "PublicationDate")))  # fmt: skip
    mark.publication_date = publications[0] if publications else None
    mark.events += [TmEvent(d, "publication", "", "published for opposition") for d in publications]
    _parties(mark, tm)
    for event in tm.iterfind("MarkEventBag/MarkEvent"):
        mark.events.append(TmEvent(
            _date(_text(event, "MarkEventDate"), "MarkEventDate"), "event",
            _text(event, "NationalMarkEvent/MarkEventCode"), _text(event, "NationalMarkEvent/MarkEventDescriptionText"),
        ))  # fmt: skip
    for assignment in tm.iterfind("AssignmentBag/Assignment"):
        conveyance = _text(assignment, "AssignmentConveyanceCategory")
        kind = next((k for word, k in _CONVEYANCE if word in conveyance.upper()), "assignment")
        assignees = "; ".join(_text(a, ".//Contact/Name/EntityName") for a in assignment.iterfind(".//Assignee"))
        mark.events.append(TmEvent(
            _date(_text(assignment, "AssignmentRecordedDate"), "AssignmentRecordedDate"), kind,
            _text(assignment, "AssignmentIdentifier"), f"{conveyance} → {assignees}" if assignees else conveyance,
        ))  # fmt: skip
    return mark


def _mark_type(tm: etree._Element) -> str:
    if _text(tm, ".//WordMarkSpecification/MarkStandardCharacterIndicator") == "true":
        return "word"
    feature = _text(tm, ".//MarkFeatureCode") or _text(tm, ".//MarkFeatureCategory")
    if feature.isdigit():
        return _FEATURE.get(feature[:1], "other")
    lowered = feature.lower()
    return next((t for t in ("word", "figurative", "combined", "3d", "colour", "sound") if t in lowered), "other")


def _status(mark: Trademark, tm: etree._Element) -> None:
    """USPTO status codes through USPTO's table; other offices' words through the ST.66/EUIPO words."""
    code = _text(tm, "MarkCurrentStatusCode")
    external = _text(tm, ".//MarkCurrentStatusExternalDescriptionText")
    if code.isdigit():
        mark.status, description = uspto_status(code)
        mark.status_raw = f"{code} {description}".strip()
    else:
        mark.status = euipo_status(code)
        mark.status_raw = code
    if external:
        mark.extra["status_text"] = external
    renewed = _date(_text(tm, ".//NationalTrademarkInformation/RenewalDate"), "RenewalDate")
    if renewed:
        mark.events.append(TmEvent(renewed, "renewal", "", "renewed"))
    expiry = _date(_text(tm, "ExpiryDate"), "ExpiryDate")
    start = renewed or mark.registration_date
    if expiry is None and start and mark.status == "registered" and mark.office == "US":  # 10-year terms
        expiry = dt.date(start.year + 10, start.month, min(start.day, 28))
    mark.expiry_date = expiry


def _classes(mark: Trademark, tm: etree._Element) -> None:
    """Nice classes with their goods text; a class named only in the classification bag is kept too."""
    classes: dict[int, TmClass] = {}
    for description in tm.iterfind(".//GoodsServicesBag/GoodsServices/ClassDescriptionBag/ClassDescription"):
        digits = _text(description, "ClassNumber")
        if not digits:  # a class's national status alone (the 1.D3 draft writes it in its own element)
            continue
        if not digits.isdigit():
            raise RecordError("ClassNumber", f"not a class number: {digits!r}")
        if not 1 <= int(digits) <= 45:
            continue
        klass = classes.setdefault(int(digits), TmClass(int(digits)))
        goods = _text(description, "GoodsServicesDescriptionText")
        if goods:
            language = description.find("GoodsServicesDescriptionText").get("languageCode", "en")  # type: ignore[union-attr]
            klass.goods[language] = goods
    for classification in tm.iterfind(".//GoodsServicesClassification"):
        digits = _text(classification, "ClassNumber")
        kind = _text(classification, "ClassificationKindCode").lower()
        if digits.isdigit() and kind in ("nice", "primary") and 1 <= int(digits) <= 45:
            classes.setdefault(int(digits), TmClass(int(digits)))
    mark.classes = sorted(classes.values(), key=lambda c: c.number)


def _parties(mark: Trademark, tm: etree._Element) -> None:
    """Owners (the latest current, earlier ones former) and the attorney or correspondent as agent."""
    applicants = sorted(tm.iterfind("ApplicantBag/Applicant"), key=lambda a: -_sequence(a))
    seen: set[str] = set()
    for position, applicant in enumerate(applicants):
        name = _name(applicant)
        if not name or name.upper() in seen:
            continue
        seen.add(name.upper())
        address = applicant.find(".//PostalStructuredAddress")
        mark.owners.append(TmOwner(
            name=name, role="owner" if position == 0 else "former_owner",
            address=", ".join(_text(line) for line in address.iterfind("AddressLineText") if _text(line))
            if address is not None else _text(applicant, ".//PostalAddressText"),
            city=_text(address, "CityName"),
            country=_text(address, "CountryCode") or _text(applicant, "IncorporationCountryCode"),
            entity_type=_text(applicant, "LegalEntityName"),
        ))  # fmt: skip
    for path in ("RecordAttorney", "NationalRepresentative", "NationalCorrespondent"):
        agent = tm.find(path)
        if agent is not None and _name(agent):
            mark.owners.append(TmOwner(name=_name(agent), role="agent", country=_text(agent, ".//CountryCode")))
            break


def _sequence(node: etree._Element) -> int:
    """Its `sequenceNumber` attribute, in whichever namespace the document puts it (0 when none)."""
    value = next((v for k, v in node.attrib.items() if str(k).rpartition("}")[2] == "sequenceNumber"), "")
    return int(value) if value.isdigit() else 0


def _name(party: etree._Element) -> str:
    for path in (".//Contact/Name/EntityName", ".//OrganizationStandardName", ".//PersonFullName"):
        if _text(party, path):
            return _text(party, path)
    return ""
