"""Party name normalisation (conservative: same entity, same spelling).

Full/half width fold (NFKC), case, spaces and the common company-suffix variants
(`Co., Ltd.`, `Company Limited`, `Inc.`, `Corp.`) are unified. Chinese names keep
their characters; only width, spaces and brackets are folded.
"""

from __future__ import annotations

import re
import unicodedata

_SUFFIXES: tuple[tuple[re.Pattern[str], str], ...] = (
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
    text = unicodedata.normalize("NFKC", raw).strip()
    text = text.replace("（", "(").replace("）", ")")
    text = re.sub(r"\s+", " ", text)
    if re.search(r"[\u4e00-\u9fff]", text):
        return re.sub(r"\s+", "", text)
    text = text.upper().rstrip(" ,.;")
    text = re.sub(r"\s*,\s*", ", ", text)
    for pattern, replacement in _SUFFIXES:
        new = pattern.sub(replacement, text)
        if new != text:
            text = new
            break
    return text.replace(",", "").replace("  ", " ").strip()
