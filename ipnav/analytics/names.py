"""Applicant names for analysis: merged spellings and the applicant type (enterprise, university ...)."""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

_SUFFIXES = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|集团公司|总公司|公司|有限|"
    r",?\s*(co\.?,?\s*ltd\.?|company limited|co\.|ltd\.?|limited|inc\.?|incorporated|corp\.?|corporation|"
    r"llc|l\.l\.c\.|gmbh|ag|s\.a\.|plc|kk|k\.k\.))$",
    re.I,
)


def canonical_name(name: str) -> str:
    """Same applicant, same key: width, case, spaces, brackets and company-form variants folded.

    华为技术有限公司 / 华为技术股份有限公司 -> 华为技术; Sony Corporation / SONY CORP. -> SONY
    """
    text = unicodedata.normalize("NFKC", name).strip()
    text = text.replace("(", "（").replace(")", "）")
    text = re.sub(r"\s+", " ", text)
    previous = None
    while previous != text:
        previous = text
        text = _SUFFIXES.sub("", text).strip(" ,.")
    text = text.upper() if not re.search(r"[\u4e00-\u9fff]", text) else text.replace(" ", "")
    return text or name.strip()


def load_merge_table(path: Path | None) -> dict[str, str]:
    """The user's merge table: CSV `alias,canonical` (e.g. 华为终端 -> 华为技术). Missing file = no merges."""
    if path is None or not path.is_file():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {canonical_name(r[0]): r[1].strip() for r in csv.reader(handle) if len(r) >= 2 and r[0].strip()}


_UNIVERSITY = re.compile(r"大学|学院|高等专科|职业技术|university|college|institute of technology|school", re.I)
_INSTITUTE = re.compile(
    r"研究院|研究所|研究中心|科学院|实验室|研究室|institut|research|laborator|academy|fraunhofer|cnrs", re.I
)
_GOVERNMENT = re.compile(r"政府|委员会|管理局|人民政府|局$|部$|办公室|government|ministry|agency|department of", re.I)
_ENTERPRISE = re.compile(
    r"公司|企业|集团|厂|商行|合作社|co\b|ltd|inc\b|corp|llc|gmbh|\bag\b|s\.a\.|plc|kk\b|株式会社|有限", re.I
)


def applicant_type(name: str) -> str:
    """enterprise | university | institute | government | individual, from the name alone."""
    company = re.search(r"公司", name)
    if re.search(r"大学|university", name, re.I) and not company:
        return "university"
    if _INSTITUTE.search(name) and not company:  # 中国科学院…研究所 is an institute, not a 学院
        return "institute"
    if _UNIVERSITY.search(name) and not company:
        return "university"
    if _ENTERPRISE.search(name):
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
}
