"""Cell values of register tables read by type: dates (any common spelling, Excel serial numbers, ISO
timestamps), years, money in 万元 (the cell's own unit first, then the header's), whole numbers, division
codes and lists. Each raises `RecordError` naming the field and saying what was found."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ipnav.errors import RecordError
from ipnav.normalize.dates import parse_date
from ipnav.normalize.region import division_names

_MONEY = re.compile(r"^\s*([0-9][0-9,，]*(?:\.[0-9]+)?)\s*(亿元|亿|万元|万|元|千元)?\s*(人民币)?\s*$")
_SCALE = {"亿元": 10_000.0, "亿": 10_000.0, "万元": 1.0, "万": 1.0, "元": 0.0001, "千元": 0.1}
_YEAR = re.compile(r"^\s*((?:19|20)\d{2})(?:\.0+)?\s*年?\s*(?:度)?\s*$")
_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")


def as_date(field: str, text: str) -> dt.date:
    """A date in any common spelling, an Excel serial day number (38861 → 2006-05-23) or a timestamp."""
    text = text.strip()
    if _SERIAL.match(text) and 20_000 <= float(text) <= 80_000:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(float(text)))
    if re.match(r"^\d{4}-\d{2}-\d{2}T", text):
        text = text[:10]
    year_only = _YEAR.match(text)
    if year_only:
        raise RecordError(field, f"a year, not a date: {text!r} (write the day, e.g. {year_only.group(1)}-06-30)")
    try:
        parsed = parse_date(text, field)
    except RecordError:
        parsed = None
    if parsed is None:
        raise RecordError(field, f"not a date: {text!r} (write e.g. 2023-06-30 or 2023年6月30日)")
    return parsed


def as_year(field: str, text: str) -> int:
    """`2008年`, `2006.0`, `2019年度` or a date's year."""
    match = _YEAR.match(text)
    if match:
        return int(match.group(1))
    try:
        return as_date(field, text).year
    except RecordError:
        raise RecordError(field, f"not a year: {text!r} (write e.g. 2023)") from None


def as_money(field: str, text: str, header_unit: str = "万元") -> float:
    """An amount in 万元: the cell's own unit (`28000元`, `1.2亿元`) first, else the header's."""
    match = _MONEY.match(text.replace(" ", ""))
    if not match:
        raise RecordError(field, f"not an amount: {text!r} (write a number of 万元, e.g. 500 or 500万元)")
    value = float(match.group(1).replace(",", "").replace("，", ""))
    unit = match.group(2) or header_unit
    return round(value * _SCALE[unit], 6)


def as_int(field: str, text: str) -> int:
    """A whole number (`12`, `12.0`, `12家`)."""
    match = re.match(r"^\s*(\d+)(?:\.0+)?\s*[^\d\s]{0,2}\s*$", text)
    if not match:
        raise RecordError(field, f"not a whole number: {text!r}")
    return int(match.group(1))


def as_adcode(field: str, text: str) -> str:
    """A 6-digit statistical division code that exists (12-digit codes are cut to the county)."""
    digits = re.sub(r"\D", "", text)
    if len(digits) == 12:
        digits = digits[:6]
    if len(digits) != 6 or not any(division_names(digits)):
        raise RecordError(field, f"not a 6-digit division code: {text!r} (e.g. 511922 for 南江县)")
    return digits


def as_list(text: str) -> list[str]:
    """Several values in one cell, separated by ; ； 、 , or new lines."""
    return [p.strip() for p in re.split(r"[;；、,，\n]+", text) if p.strip()]


def typed(field: str, kind: str, text: str, unit: str = "万元") -> Any:
    """One cell's value by the field's type (JSON-ready: dates as ISO strings)."""
    if kind == "date":
        return as_date(field, text).isoformat()
    if kind == "year":
        return as_year(field, text)
    if kind == "money":
        return as_money(field, text, unit)
    if kind == "int":
        return as_int(field, text)
    if kind == "adcode":
        return as_adcode(field, text)
    if kind == "list":
        return as_list(text)
    return re.sub(r"\s+", " ", text).strip()
