"""The sub-type and the stable key of a register row, and the checks of official numbers (AGI certificates,
software registration numbers, variety right numbers). Repairs are written into the record's notes."""

from __future__ import annotations

import re
from typing import Any

from ipnav.errors import RecordError
from ipnav.ingest.common import content_key
from ipnav.registers.spec import REGISTERS, Register

_AGI = re.compile(r"^AGI(\d{1,5})$")
_AGI_SPEC = re.compile(r"^AGI\d{4}-\d{2}-\d{4}$")  # 质量控制技术规范编号 of a ministry batch
_SOFTWARE = re.compile(r"^\d{4}SR\d{4,8}$")
_VARIETY = re.compile(r"^CNA\d{6,12}(\.\d)?$")

_LISTS: tuple[tuple[str, str], ...] = (
    ("贯标", "standard_certified"), ("29490", "standard_certified"), ("运营", "operation_agency"),
    ("专利代理", "patent_agency"), ("商标代理", "trademark_agency"), ("服务机构", "service_agency"),
    ("受理窗口", "tm_window"), ("指导站", "tm_station"), ("规范化市场", "model_market"),
    ("正版正货", "genuine_street"), ("版权示范单位", "copyright_unit"), ("版权示范园区", "copyright_park"),
    ("版权示范基地", "copyright_park"), ("示范企业", "model_enterprise"), ("优势企业", "advantage_enterprise"),
    ("试点企业", "pilot_enterprise"),
)  # fmt: skip
_TRANSACTIONS = (("质押", "pledge"), ("出质", "pledge"), ("许可", "licence"), ("转让", "transfer"),
                 ("转移", "transfer"), ("变更", "transfer"))  # fmt: skip
_CONTRACTS = (("开发", "development"), ("转让", "transfer"), ("许可", "licence"), ("咨询", "consulting"),
              ("服务", "service"))  # fmt: skip
_CREDIT = (("非正常", "abnormal_patent"), ("恶意", "bad_faith_mark"), ("代理", "agency"), ("失信", "dishonest"))


def _first(pairs: tuple[tuple[str, str], ...], text: str, default: str = "") -> str:
    return next((code for word, code in pairs if word in text), default)


def _key(*parts: Any) -> str:
    return content_key(*(str(p) for p in parts))[2:]


def subtype_and_key(register: Register, values: dict[str, Any], notes: list[str]) -> tuple[str, str]:
    """(sub-type, key) of a row of `register`; RecordError when an official number is malformed."""
    return _BY_REGISTER[register.name](values, notes)


def _gi(values: dict[str, Any], notes: list[str]) -> tuple[str, str]:
    number = str(values.get("number", "")).upper().replace(" ", "")
    agri = "农产品" in str(values.get("gi_type", "")) or number.startswith("AG")
    if "商标" in str(values.get("gi_type", "")):  # a GI registered as a collective or certification mark
        digits = re.sub(r"\D", "", number)
        if not digits:
            raise RecordError("number", f"a GI trademark needs its registration number (注册号): {number!r}")
        values["number"] = digits
        return "mark", f"{digits}|{values['name']}"
    if number.startswith("AG") and not _AGI_SPEC.match(number):
        match = _AGI.match(number)
        if not match:
            raise RecordError("number", f"not an AGI certificate number: {number!r} (AGI and 5 digits, e.g. AGI00054)")
        if len(match.group(1)) < 5:
            fixed = f"AGI{int(match.group(1)):05d}"
            notes.append(f"登记证书编号 {number} 补足为 {fixed} / certificate number padded to 5 digits")
            number = fixed
    if number:
        values["number"] = number
    place = "".join(str(values.get(k, "")) for k in ("province", "city", "county", "adcode"))
    if not (number or values.get("holder") or place):
        raise RecordError("number", "a GI needs its number, holder or place besides its name")
    key = f"{number}|{values['name']}" if number else f"{place}|{values['name']}"
    return ("agri" if agri else "product"), key


def _gi_user(values: dict[str, Any], notes: list[str]) -> tuple[str, str]:
    subtype = "mark" if values.get("mark_number") else "product"
    year = values.get("year") or str(values.get("date", ""))[:4]
    return subtype, f"{values['holder']}|{values['name']}|{year}"


def _copyright(values: dict[str, Any], notes: list[str]) -> tuple[str, str]:
    number = str(values["number"]).upper().replace(" ", "")
    software = "SR" in number or "软件" in str(values.get("kind", "")) + str(values.get("category", ""))
    if software and not _SOFTWARE.match(number):
        raise RecordError("number", f"not a software registration number: {number!r} (e.g. 2016SR309930)")
    values["number"] = number
    return ("software" if software else "work"), number


def _plant_variety(values: dict[str, Any], notes: list[str]) -> tuple[str, str]:
    number = str(values.get("number", "")).upper().replace(" ", "")
    if number and not _VARIETY.match(number):
        raise RecordError("number", f"not a variety right number: {number!r} (CNA and digits, e.g. CNA20170123.4)")
    forestry = "林" in str(values.get("sector", ""))
    return ("forestry" if forestry else "agriculture"), number or str(values["application"])


def _transaction(values: dict[str, Any], notes: list[str]) -> tuple[str, str]:
    kind = str(values["kind"])
    subtype = _first(_TRANSACTIONS, kind, "other")
    values["event"] = "release" if any(w in kind for w in ("注销", "解除", "终止")) else "registration"
    if not values.get("ip_type"):
        values["ip_type"] = "商标" if "商标" in kind else "专利"
    if values.get("licence_type") is None and "开放许可" in kind:
        values["licence_type"] = "开放许可"
    numbers = ";".join(values.get("numbers") or [])
    key = values.get("number") or _key(kind, numbers, values.get("from_party"), values.get("to_party"),
                                       values.get("date"))  # fmt: skip
    return subtype, f"{key}|{values['event']}" if values.get("number") else str(key)


def _case(values: dict[str, Any], notes: list[str]) -> tuple[str, str]:
    procedure = str(values.get("procedure", "")) + str(values.get("kind", ""))
    agency = str(values.get("agency", ""))
    if "维权援助" in procedure:
        subtype = "assistance"
    elif "调解" in procedure:
        subtype = "mediation"
    elif "司法" in procedure or "法院" in agency:
        subtype = "judicial"
    else:
        subtype = "administrative"
    if values.get("date") and values["date"] < values["filed"]:
        raise RecordError("date", f"closed ({values['date']}) before it was filed ({values['filed']})")
    return subtype, str(values["number"])


def _credit(values: dict[str, Any], notes: list[str]) -> tuple[str, str]:
    return _first(_CREDIT, str(values["list"]), "dishonest"), _key(values["list"], values["holder"], values["date"])


def _listing(values: dict[str, Any], notes: list[str]) -> tuple[str, str]:
    text = str(values["list"])
    subtype = _first(_LISTS, text)
    if not subtype:
        known = "、".join(REGISTERS["listing"].field("list").choices)
        raise RecordError("list", f"a list ipnav does not know: {text!r} (one of {known})")
    return subtype, _key(subtype, values["holder"], values.get("level", ""), values["year"])


def _tech_contract(values: dict[str, Any], notes: list[str]) -> tuple[str, str]:
    return _first(_CONTRACTS, str(values.get("kind", "")), "development"), str(values["number"])


_COOPERATIONS = (("转让", "transfer"), ("开放许可", "open"), ("许可", "licence"), ("合作", "joint"),
                 ("委托", "commissioned"), ("入股", "equity"), ("服务", "service"))  # fmt: skip


def _tech_need(values: dict[str, Any], notes: list[str]) -> tuple[str, str]:
    """A demand or an offer: its first way of cooperation; keyed by its number, else holder and title."""
    ways = " ".join(values.get("cooperation") or [])
    key = str(values.get("number") or "") or _key(values.get("holder", ""), values["title"])
    return _first(_COOPERATIONS, ways, "any"), key


_BY_REGISTER = {
    "gi": _gi, "gi_user": _gi_user, "copyright": _copyright, "plant_variety": _plant_variety,
    "ip_transaction": _transaction, "case": _case, "credit": _credit, "listing": _listing,
    "tech_contract": _tech_contract, "tech_demand": _tech_need, "tech_offer": _tech_need,
}  # fmt: skip
