"""Patent number normalisation.

Application numbers become a canonical key (`CN201410408762`, `US14558596`,
`EP99203729`, `PCT/CN2021/123456`) plus a display form with the CN check digit
(`CN201410408762.5`). A CN number whose check digit is wrong raises `RecordError`
rather than being accepted silently.

>>> parse_application_number("201410408762.5").display
'CN201410408762.5'
>>> normalize_publication_number("US 9,358,892 B1")
('US9358892', 'B1')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ipnav.errors import RecordError

_CN_WEIGHTS_12 = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
_CN_WEIGHTS_8 = (2, 3, 4, 5, 6, 7, 8, 9)


def cn_check_digit(body: str) -> str:
    """Check digit of a CN application number body (8 or 12 digits): mod-11, 10 -> 'X'."""
    weights = _CN_WEIGHTS_12 if len(body) == 12 else _CN_WEIGHTS_8
    total = sum(int(d) * w for d, w in zip(body, weights, strict=True))
    rest = total % 11
    return "X" if rest == 10 else str(rest)


@dataclass(frozen=True, slots=True)
class AppNumber:
    """An application number: merge key, display spelling and country."""

    key: str  # canonical key used to merge publications of one application
    display: str  # as users write it, with CN check digit
    country: str


_PCT_RE = re.compile(r"^PCT/?([A-Z]{2})(\d{4}|\d{2})/?0*(\d+)$")
_CLEAN_RE = re.compile(r"[\s,\-_/]")


def _clean(raw: str) -> str:
    text = raw.strip().upper().replace("\u3000", " ")
    text = text.translate(_FULLWIDTH)
    return text


_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


def _cn_application(digits: str, check: str | None, raw: str) -> AppNumber:
    # CNIPA standard 15-digit form (new XML): T0 YYYY 00 NNNNNNN
    if len(digits) == 15 and digits[2:4] in ("19", "20") and digits[6:8] == "00" and check is None:
        digits = digits[2:6] + digits[0] + digits[8:]
    if len(digits) == 13 and check is None:
        digits, check = digits[:12], digits[12]
    elif len(digits) == 9 and check is None:
        digits, check = digits[:8], digits[8]
    if len(digits) not in (8, 12):
        raise RecordError("application_number", f"{raw!r} is not a CN application number (8 or 12 digits)")
    expected = cn_check_digit(digits)
    if check is not None and check != expected:
        raise RecordError(
            "application_number", f"{raw!r} has check digit {check}, expected {expected} (typo in the number?)"
        )
    return AppNumber(key=f"CN{digits}", display=f"CN{digits}.{expected}", country="CN")


def parse_application_number(raw: str, country: str = "") -> AppNumber:
    """Canonical application number from any common spelling.

    `country` is a hint used when the number itself carries no country prefix.
    """
    text = _clean(raw)
    if not text:
        raise RecordError("application_number", "missing")
    compact = _CLEAN_RE.sub("", text)
    pct = _PCT_RE.match(re.sub(r"[\s,\-_]", "", text))
    if pct:
        cc, year, serial = pct.groups()
        if len(year) == 2:
            year = ("19" if year > "50" else "20") + year
        return AppNumber(f"PCT/{cc}{year}/{int(serial):06d}", f"PCT/{cc}{year}/{int(serial):06d}", "WO")
    if compact.startswith("ZL"):
        compact = "CN" + compact[2:]
    if re.fullmatch(r"(CN)?(\d{12}|\d{8})X", compact):  # check character X written without its dot
        compact = compact[:-1] + ".X"
    match = re.match(r"^([A-Z]{2})?(\d+)(?:\.([\dX]))?$", compact)
    if not match:
        other = re.match(r"^([A-Z]{2})?([A-Z]{0,2}\d[\dA-Z]*)$", compact)
        cc = (other.group(1) or country.upper()) if other else ""
        if other and cc and cc not in ("CN", "US"):  # e.g. DE B0077613 (DOCDB), JP 2007-290922
            return AppNumber(f"{cc}{other.group(2)}", f"{cc}{other.group(2)}", cc)
        raise RecordError("application_number", f"{raw!r} is not an application number")
    prefix, digits, check = match.groups()
    cc = prefix or country.upper() or _guess_country(digits, check)
    if cc == "CN":
        return _cn_application(digits, check, raw)
    if cc == "US":
        digits = digits.lstrip("0").rjust(8, "0")
        return AppNumber(f"US{digits}", f"US{digits[:2]}/{digits[2:]}", "US")
    if check is not None and cc == "EP":
        return AppNumber(f"EP{digits}", f"EP{digits}.{check}", "EP")
    return AppNumber(f"{cc}{digits}", f"{cc}{digits}" + (f".{check}" if check else ""), cc)


def _guess_country(digits: str, check: str | None) -> str:
    if check is not None or len(digits) in (9, 12, 13) or (len(digits) == 15 and digits[2:4] in ("19", "20")):
        return "CN"
    raise RecordError("application_number", f"{digits!r} has no country; give one (e.g. CN{digits})")


_US_KIND_PREFIX = ("RE", "PP", "D", "H", "T", "X")
_PUB_RE = re.compile(r"^([A-Z]{2})(RE|PP|D|H|T|X)?(\d+)([A-Z]\d?)?$")


def normalize_publication_number(raw: str, country: str = "", kind: str = "") -> tuple[str, str]:
    """Canonical (number, kind) of a publication: `("US9358892", "B1")`, `("CN104223352", "A")`."""
    text = _CLEAN_RE.sub("", _clean(raw)).replace(".", "")
    if text.startswith("ZL"):
        text = "CN" + text[2:]
    if not re.match(r"^[A-Z]{2}", text) or text[:2] in _US_KIND_PREFIX:
        text = (country.upper() or "US") + text
    match = _PUB_RE.match(text)
    if not match:
        raise RecordError("publication_number", f"{raw!r} is not a publication number")
    cc, series, digits, kind_in = match.groups()
    digits = digits.lstrip("0") or "0"
    if cc == "US" and not series and len(digits) == 10 and digits[:2] in ("19", "20"):
        digits = digits[:4] + "0" + digits[4:]  # 2005004437 -> 20050004437
    return f"{cc}{series or ''}{digits}", (kind_in or kind or "").upper()


# Number structures that the plain `CC + digits` form would lose (ipnav keeps them in the canonical form):
_EP_APPLICATION = re.compile(r"^(\d{8})(?:\.(\d))?$")  # EP application, 8 digits and its check digit
_JP_ERA = re.compile(r"^([A-Z])?\s*(\d{1,2})-(\d{1,6})$")  # JP era year and serial: 2-82707 (Heisei 2)
_JP_YEAR = re.compile(r"^((?:19|20)\d{2})-(\d{1,6})$")  # JP 2007-146337
_DESIGN_SUFFIX = re.compile(r"^(\d{9})-(\d{4})$")  # EU design registration and design number
_ERAS = (("R", 2018), ("H", 1988), ("S", 1925))  # Reiwa, Heisei, Showa: western year = base + era year


def structured_number(raw: str, country: str, year: int | None = None) -> str | None:
    """Canonical form of a cited number whose structure matters, or None for the ordinary forms.

    >>> structured_number("08290305.5", "EP"), structured_number("2-82707", "JP", 1990)
    ('EP08290305.5', 'JPH02-082707')
    >>> structured_number("000798897-0021", "EM"), structured_number("2007-146337", "JP")
    ('EM000798897-0021', 'JP2007-146337')
    """
    text = _clean(raw).replace(" ", "")
    cc = country.upper()
    if text[:2] == cc:
        text = text[2:]
    if cc == "EP" and (match := _EP_APPLICATION.match(text)):
        return f"EP{match.group(1)}" + (f".{match.group(2)}" if match.group(2) else "")
    if cc == "JP" and (match := _JP_YEAR.match(text)):
        return f"JP{match.group(1)}-{int(match.group(2)):06d}"
    if cc == "JP" and (match := _JP_ERA.match(text)):
        era_year = int(match.group(2))
        letter = match.group(1) or next(
            (era for era, base in _ERAS if year is not None and abs(base + era_year - year) <= 1), ""
        )
        return f"JP{letter}{era_year:02d}-{int(match.group(3)):06d}"
    if (match := _DESIGN_SUFFIX.match(text)) and cc:
        return f"{cc}{match.group(1)}-{match.group(2)}"
    return None


KIND_CODE_RE = r"[A-Z][0-9]?$"  # the kind code a publication number ends with (A, B1, U ...)


def bare_number_sql(column: str = "number") -> str:
    """SQL of a publication number without its kind code, as citations, award lists and users write it
    (`CN104223352A` -> `CN104223352`)."""
    return f"regexp_replace({column}, '{KIND_CODE_RE}', '')"


def split_number_variants(raw: str) -> list[str]:
    """Keys under which a user-typed number may be stored (application key, publication number)."""
    variants: list[str] = []
    for attempt in (
        lambda: parse_application_number(raw).key,
        lambda: parse_application_number(raw, "CN").key,
        lambda: parse_application_number(raw, "US").key,
        lambda: normalize_publication_number(raw)[0],
        lambda: normalize_publication_number(raw, "CN")[0],
    ):
        try:
            value = attempt()
        except RecordError:
            continue
        if value not in variants:
            variants.append(value)
    return variants
