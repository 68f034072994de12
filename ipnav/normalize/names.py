"""Party names: one comparable spelling, the merged applicant key, and the applicant type.

* `normalize_name` (stored as `name_norm`): conservative, same entity same spelling; company
  forms are unified (`Co., Ltd.` -> `CO LTD`) but kept.
* `canonical_name` (the analysis key): company forms dropped, so 华为技术有限公司 and
  华为技术股份有限公司 count as one applicant.
* `applicant_type`: enterprise, university, institute, government, individual or other, from the name.

Both spellings start from `fold_name`: full/half width folded (NFKC), spaces collapsed, and one
bracket convention: full-width （） in Chinese names, ASCII () in others.
"""

from __future__ import annotations

import re
import unicodedata

_CJK = re.compile(r"[\u4e00-\u9fff]")


def fold_name(raw: str) -> str:
    """Width, spaces and brackets folded; Chinese names lose their inner spaces."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", raw).strip())
    if _CJK.search(text):
        return text.replace(" ", "").replace("(", "（").replace(")", "）")
    return text


_COMPANY_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bCO\.?,?\s*LTD\.?$"), "CO LTD"),
    (re.compile(r"\bCOMPANY\s+LIMITED$"), "CO LTD"),
    (re.compile(r"\bCOMPANY\s+LTD\.?$"), "CO LTD"),
    (re.compile(r"\bLIMITED$"), "LTD"),
    (re.compile(r"\bINCORPORATED$"), "INC"),
    (re.compile(r"\bINC\.?$"), "INC"),
    (re.compile(r"\bCORPORATION$"), "CORP"),
    (re.compile(r"\bCORP\.?$"), "CORP"),
    (re.compile(r"\bL\.?L\.?C\.?$"), "LLC"),
    (re.compile(r"\bGMBH$"), "GMBH"),
    (re.compile(r"\bA\.?G\.?$"), "AG"),
)


def normalize_name(raw: str) -> str:
    """Comparable form of a person or organisation name."""
    text = fold_name(raw)
    if _CJK.search(text):
        return text
    text = text.upper().rstrip(" ,.;")
    text = re.sub(r"\s*,\s*", ", ", text)
    for pattern, replacement in _COMPANY_FORMS:
        new = pattern.sub(replacement, text)
        if new != text:
            text = new
            break
    return text.replace(",", "").replace("  ", " ").strip()


_DROPPED_FORMS = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|集团公司|总公司|公司|有限|"
    r",?\s*(co\.?,?\s*ltd\.?|company limited|co\.|ltd\.?|limited|inc\.?|incorporated|corp\.?|corporation|"
    r"llc|l\.l\.c\.|gmbh|ag|s\.a\.|plc|kk|k\.k\.))$",
    re.I,
)


def canonical_name(name: str) -> str:
    """Same applicant, same key: width, case, spaces, brackets and company-form variants folded.

    华为技术有限公司 / 华为技术股份有限公司 -> 华为技术; Sony Corporation / SONY CORP. -> SONY
    """
    text = fold_name(name)
    previous = None
    while previous != text:
        previous = text
        text = _DROPPED_FORMS.sub("", text).strip(" ,.")
    text = text if _CJK.search(text) else text.upper()
    return text or name.strip()


_UNIVERSITY = re.compile(r"大学|学院|高等专科|职业技术|university|college|institute of technology|school", re.I)
_INSTITUTE = re.compile(
    r"研究院|研究所|研究中心|科学院|实验室|研究室|institut|research|laborator|academy|academia|fraunhofer|cnrs|"
    r"\bcent(?:re|er) for\b",
    re.I,
)
_GOVERNMENT = re.compile(r"政府|委员会|管理局|人民政府|局$|部$|办公室|government|ministry|agency|department of", re.I)
# hospitals, associations, foundations, schools below university level: neither firm, college, institute nor state
_OTHER = re.compile(
    r"医院|卫生院|诊所|协会|学会|联合会|商会|基金会|合作社|中学|小学|幼儿园|"
    r"hospital|clinic|association|foundation|society|verein",
    re.I,
)
# a two-letter company form followed by the company's seat, in capitals: "ALKALOID AD SKOPJE"
_FORM_BEFORE_SEAT = re.compile(r"\s(?:AD|DD|DOO|D\.O\.O\.|A\.D\.|AG|SA|SPA|S\.A\.)\s+[A-Z][A-Z\-]+$")
_STATE_AS_APPLICANT = re.compile(r"as represented by|secretary of|government of", re.I)  # before company words
# company forms in many languages, where they stand (at the end: "Acushnet Company", "Bernhardt L.L.C.",
# "Binda Italia S.R.L.", "CHIESI FARMACEUTICI S.P.A.", "Novo Nordisk A/S"; two-letter ones only in capitals,
# so "Andreas Sa" stays a person) and the words companies name themselves by, anywhere
_ENTERPRISE = re.compile(r"公司|企业|集团|厂|商行|合作社|株式会社|有限")
_FORM_AT_END = re.compile(
    r"(?:^|[\s,(.])(?:co|corp|inc|ltd|llc|llp|plc|pty|gmbh|kgaa|sas|sarl|srl|spa|oyj|asa|aps|bhd|pte|"
    r"l\.l\.c|l\.l\.p|l\.p|s\.a|s\.a\.s|s\.r\.l|s\.p\.a|b\.v|n\.v|k\.k|a/s)\.?\)?$",
    re.I,
)
_CAPITAL_FORM_AT_END = re.compile(r"(?:^|[\s,(])(?:AG|KG|SE|SA|AB|BV|NV|OY|AS|KK)\.?\)?$")
_COMPANY_WORD = re.compile(
    r"(?<![\w])(?:company|companies|corporation|incorporated|limited|aktiengesellschaft|gesellschaft|"
    r"group|holdings?|industries|industrial|technologies|technology|therapeutics|pharmaceuticals?|pharma|"
    r"biotech|biosciences?|systems|solutions|labs|international|enterprises?|manufacturing|electronics|"
    r"motors|trading|ventures|medical|devices|products|services|networks|software|semiconductors?|"
    r"chemicals?|farmaceutici|co\.,? ltd)(?![\w])",
    re.I,
)


def _enterprise(name: str) -> bool:
    text = name.strip()
    return bool(
        _ENTERPRISE.search(text)
        or _FORM_AT_END.search(text)
        or _CAPITAL_FORM_AT_END.search(text)
        or _COMPANY_WORD.search(text)
        or _FORM_BEFORE_SEAT.search(text)
    )


def applicant_type(name: str) -> str:
    """enterprise | university | institute | government | individual | other, from the name alone."""
    company = re.search(r"公司", name)
    if re.search(r"大学|university", name, re.I) and not company:
        return "university"
    if _INSTITUTE.search(name) and not company:  # 中国科学院…研究所 is an institute, not a 学院
        return "institute"
    if _UNIVERSITY.search(name) and not company:
        return "university"
    if _STATE_AS_APPLICANT.search(name):
        return "government"
    if _OTHER.search(name) and not company:
        return "other"
    if _enterprise(name):
        return "enterprise"
    if _GOVERNMENT.search(name):
        return "government"
    chinese = re.fullmatch(r"[\u4e00-\u9fff·]{2,4}", name.strip())
    western_person = re.fullmatch(r"[A-Za-z.\-' ]+", name.strip()) and len(name.split()) in (2, 3)
    return "individual" if chinese or western_person else "enterprise"


APPLICANT_TYPES = {
    "enterprise": "企业",
    "university": "高校",
    "institute": "科研院所",
    "government": "机关团体",
    "individual": "个人",
    "other": "其他",
}
