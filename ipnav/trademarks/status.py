"""Each office's status words in the one status vocabulary of `ipnav.trademarks.model.STATUSES`; the
source's own words are kept beside (`status_raw`).

USPTO status codes are read through USPTO's own table (code, description, live/dead indicator;
`reference/data/uspto_tm_status_codes.csv`); EUIPO, TIPO and Chinese register words by the rules below.
"""

from __future__ import annotations

import functools

from ipnav import reference


@functools.cache
def _uspto_table() -> dict[str, tuple[str, str]]:
    return {r["code"]: (r["description"], r["live_dead_indicator"]) for r in reference.rows("uspto_tm_status")}


def uspto_status(code: str) -> tuple[str, str]:
    """(status, the table's description) of a USPTO status code (`630` → filed, NEW APPLICATION ...)."""
    description, indicator = _uspto_table().get(code.strip().zfill(3), ("", ""))
    words = description.upper()
    if indicator.startswith("Live/Registered") or (indicator == "Live" and "REGISTERED" in words):
        return "registered", description
    if indicator.startswith("Live"):
        if "OPPOSITION" in words and "PUBLISHED" not in words:
            return "opposed", description
        if "PUBLISHED" in words or "NOTICE OF ALLOWANCE" in words:
            return "published", description
        return "filed", description
    if indicator == "Dead/Expired":
        return "expired", description
    if indicator.startswith("Dead/Cancelled"):
        return ("invalidated" if "INVALID" in words else "cancelled"), description
    if indicator.startswith("Dead/Abandoned") or "WITHDRAWN" in words:
        return "withdrawn", description
    if indicator.startswith("Dead"):
        return "refused", description
    return "unknown", description


# EUIPO MarkCurrentStatusCode words
_EUIPO = {
    "application filed": "filed",
    "application under examination": "filed",
    "application published": "published",
    "application opposed": "opposed",
    "opposition pending": "opposed",
    "registered": "registered",
    "registration pending": "published",
    "registration expired": "expired",
    "expired": "expired",
    "registration cancelled": "cancelled",
    "registration surrendered": "cancelled",
    "cancelled": "cancelled",
    "application refused": "refused",
    "refused": "refused",
    "application withdrawn": "withdrawn",
    "withdrawn": "withdrawn",
    "invalidity pending": "registered",
    "revocation pending": "registered",
    "appeal pending": "filed",
    "invalidated": "invalidated",
    "declared invalid": "invalidated",
}


def euipo_status(text: str) -> str:
    """The status of an EUIPO status word (`Registered`, `Application published`, ...)."""
    return _EUIPO.get(" ".join(text.lower().split()), "unknown")


# CNIPA register words (商标状态) as the regional exports write them, most specific first
_CN: tuple[tuple[str, str], ...] = (
    ("无效宣告", "invalidated"),
    ("宣告无效", "invalidated"),
    ("已无效", "invalidated"),
    ("撤销", "cancelled"),
    ("注销", "cancelled"),
    ("销户", "cancelled"),
    ("期满未续展", "expired"),
    ("已过期", "expired"),
    ("驳回", "refused"),
    ("不予注册", "refused"),
    ("撤回", "withdrawn"),
    ("放弃", "withdrawn"),
    ("异议", "opposed"),
    ("初审公告", "published"),
    ("初步审定", "published"),
    ("已注册", "registered"),
    ("注册公告", "registered"),
    ("续展", "registered"),
    ("注册商标", "registered"),
    ("申请中", "filed"),
    ("等待实质审查", "filed"),
    ("受理", "filed"),
    ("申请", "filed"),
)


def cn_status(text: str) -> str:
    """The status of a Chinese register word (已注册, 注册申请中, 初审公告, 已无效, 撤销/注销 ...)."""
    words = "".join(text.split())
    return next((status for word, status in _CN if word in words), "unknown")
