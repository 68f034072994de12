"""Legal status and patent type normalisation.

Chinese commercial exports write statuses like `有权-审定授权`, `审中-实质审查`,
`失效-未缴年费专利权终止`; USPTO/EPO sources use English words. Both map to
`valid | pending | lapsed | unknown` plus a reason.

>>> normalize_status("失效-未缴年费专利权终止")
('lapsed', 'fee_unpaid')
>>> normalize_status("专利申请权、专利权的转移"), normalize_status("专利权的转移")
(('unknown', 'transferred'), ('valid', 'transferred'))
"""

from __future__ import annotations

_PREFIXES: tuple[tuple[str, str], ...] = (
    ("有权", "valid"),
    ("审中", "pending"),
    ("失效", "lapsed"),
    ("无权", "lapsed"),
)
# (keyword, status, reason): first match wins, so specific phrases come first.
_KEYWORDS: tuple[tuple[str, str, str], ...] = (
    ("部分无效", "valid", "partially_invalidated"),
    ("未缴年费", "lapsed", "fee_unpaid"),
    ("年费", "lapsed", "fee_unpaid"),
    ("期限届满", "lapsed", "expired"),
    ("届满", "lapsed", "expired"),
    ("视为撤回", "lapsed", "withdrawn"),
    ("撤回", "lapsed", "withdrawn"),
    ("驳回", "lapsed", "rejected"),
    ("放弃", "lapsed", "abandoned"),
    ("全部无效", "lapsed", "invalidated"),
    ("无效", "lapsed", "invalidated"),
    ("终止", "lapsed", "terminated"),
    ("失效", "lapsed", ""),
    ("专利申请权、专利权的转移", "unknown", "transferred"),  # the gazette's joint heading: application or patent
    ("专利申请权的转移", "pending", "transferred"),
    ("专利权的转移", "valid", "transferred"),  # a patent right changes hands only while it exists
    ("专利权人的姓名或者名称", "valid", "owner_changed"),
    ("专利权授予", "valid", "granted"),
    ("专利权的授予", "valid", "granted"),
    ("实质审查", "pending", "examination"),
    ("审查", "pending", "examination"),
    ("公开", "pending", "published"),
    ("公布", "pending", "published"),  # 发明专利申请公布
    ("审中", "pending", ""),
    ("授权", "valid", "granted"),
    ("有效", "valid", ""),
    ("有权", "valid", ""),
    ("维持", "valid", ""),
    ("expired", "lapsed", "expired"),
    ("fee", "lapsed", "fee_unpaid"),
    ("abandon", "lapsed", "abandoned"),
    ("withdrawn", "lapsed", "withdrawn"),
    ("revoked", "lapsed", "invalidated"),
    ("lapsed", "lapsed", ""),
    ("inactive", "lapsed", ""),
    ("dead", "lapsed", ""),
    ("pending", "pending", ""),
    ("examination", "pending", "examination"),
    ("published", "pending", "published"),
    ("granted", "valid", "granted"),
    ("in force", "valid", ""),
    ("active", "valid", ""),
    ("alive", "valid", ""),
)


def normalize_status(raw: str) -> tuple[str, str]:
    """(status, reason) for a raw legal-status string; unknown strings give ('unknown', '')."""
    text = raw.strip()
    if not text:
        return "unknown", ""
    lowered = text.lower()
    status = next((value for prefix, value in _PREFIXES if text.startswith(prefix)), "")
    for keyword, kw_status, reason in _KEYWORDS:
        if keyword in lowered:
            if status and kw_status != status and keyword != "部分无效":
                continue  # the prefix decides; later keywords only add a reason
            return status or kw_status, reason
    return (status or "unknown"), ""


_TYPE_WORDS: tuple[tuple[str, str], ...] = (
    ("实用新型", "utility_model"),
    ("外观", "design"),
    ("发明", "invention"),
    ("utility model", "utility_model"),
    ("utility", "invention"),
    ("design", "design"),
    ("plant", "plant"),
    ("reissue", "reissue"),
    ("invention", "invention"),
)


def normalize_patent_type(raw: str) -> str:
    """`invention | utility_model | design | plant | reissue | other` from a type word."""
    lowered = raw.strip().lower()
    for word, value in _TYPE_WORDS:
        if word in lowered:
            return value
    return "other"


def cn_type_from_number(app_key: str) -> str:
    """CN application numbers carry the type: digit 5 (new form) or 3 (old form)."""
    digits = app_key[2:]
    code = digits[4] if len(digits) == 12 else digits[2] if len(digits) == 8 else ""
    return {"1": "invention", "8": "invention", "2": "utility_model", "9": "utility_model", "3": "design"}.get(
        code, "other"
    )


def type_from_kind(country: str, kind: str) -> str:
    """Patent type implied by a publication kind code, or '' when it says nothing."""
    if country == "CN":
        return {
            "A": "invention",
            "B": "invention",
            "C": "invention",
            "U": "utility_model",
            "Y": "utility_model",
            "S": "design",
            "D": "design",
        }.get(kind[:1], "")
    if country == "US":
        return {"S": "design", "P": "plant", "E": "reissue"}.get(kind[:1], "invention" if kind else "")
    return ""
