"""Date parsing for every source spelling: 20141224, 2014-12-24, 2014.12.24, 2014年12月24日."""

from __future__ import annotations

import datetime as dt
import re

from ipnav.errors import RecordError

_DATE_RE = re.compile(r"^(\d{4})\s*[-./年]?\s*(\d{1,2})\s*[-./月]?\s*(\d{1,2})\s*日?(?:[ T].*)?$")


def parse_date(raw: object, field: str = "date", *, partial: bool = False) -> dt.date | None:
    """Parse a date; empty, '0' and '00000000' give None; nonsense raises RecordError(field).

    With `partial=True`, day or month 00 (USPTO citation dates like 19060800) become 1.
    """
    if raw is None:
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, int | float):
        raw = str(int(raw))
    text = str(raw).strip()
    if text in ("", "0", "00000000", "-", "null", "NULL", "None"):
        return None
    match = _DATE_RE.match(text)
    if not match and partial:
        match = re.match(r"^(\d{4})[-./年]?(\d{1,2})()月?$", text)
    if not match:
        raise RecordError(field, f"bad date {text!r}")
    year, month, day = (int(g or 0) for g in match.groups())
    if partial:
        month, day = month or 1, day or 1
    try:
        value = dt.date(year, month, day)
    except ValueError:
        raise RecordError(field, f"bad date {text!r}") from None
    if not 1790 <= year <= 2100:
        raise RecordError(field, f"date {text!r} is out of range")
    return value
