"""IPC / CPC symbols in one canonical spelling: `H01M4/13`.

Accepted spellings: `H01M 4/13 (2006.01)`, `H01M0004130000`, `A45F  504` (USPTO
fixed width: subclass, main group right-aligned in 3, subgroup), `7C 07C  29/44   A`
(EP with edition prefix), `H01M4/13`, and bare subclasses / main groups.

>>> canonical_symbol("H01M 4/13 (2006.01)"), canonical_symbol("H01M0004130000")
('H01M4/13', 'H01M4/13')
"""

from __future__ import annotations

import re

_SLASH_RE = re.compile(r"([A-HY])\s*(\d)\s*(\d)\s*([A-Z])\s*(\d{1,4})\s*/\s*(\d{1,6})")
_PADDED_RE = re.compile(r"^([A-HY]\d{2}[A-Z])(\d{4})(\d{6})$")
_FIXED_RE = re.compile(r"^([A-HY]\d{2}[A-Z])([ \d]{3,10})$")
_GROUP_RE = re.compile(r"^([A-HY]\d{2}[A-Z])\s*(\d{1,4})?$")


def _subgroup(digits: str) -> str:
    trimmed = digits.rstrip("0")
    return trimmed if len(trimmed) >= 2 else digits[:2].ljust(2, "0")


def canonical_symbol(raw: str) -> str | None:
    """Canonical IPC/CPC symbol, or None if `raw` holds no symbol."""
    text = raw.strip().upper().replace("\u3000", " ")
    if not text:
        return None
    text = re.sub(r"\(\d{4}\.\d{2}\)", " ", text)
    match = _SLASH_RE.search(text)
    if match:
        section, c1, c2, sub, group, subgroup = match.groups()
        return f"{section}{c1}{c2}{sub}{int(group)}/{_subgroup(subgroup)}"
    compact = text.strip()
    match = _PADDED_RE.match(compact.replace(" ", ""))
    if match:
        sub, group, subgroup = match.groups()
        return f"{sub}{int(group)}/{_subgroup(subgroup)}"
    match = _FIXED_RE.match(compact)
    if match and " " in compact and len(match.group(2).strip()) >= 3:
        # USPTO fixed width: main group right-aligned in 3 characters, then the subgroup;
        # some files drop one pad space (`E03C 104` is E03C1/04), so short rests end in 2 subgroup digits
        sub, rest = match.groups()
        group, subgroup = (rest[:3], rest[3:]) if len(rest) >= 5 else (rest[:-2], rest[-2:])
        if group.strip() and subgroup.strip().isdigit():
            return f"{sub}{int(group)}/{_subgroup(subgroup.strip())}"
    match = _FIXED_RE.match(compact)
    if match and " " not in compact and len(match.group(2)) >= 5:  # C07D21300 -> C07D213/00
        sub, rest = match.groups()
        return f"{sub}{int(rest[:3])}/{_subgroup(rest[3:])}"
    match = _GROUP_RE.match(compact)
    if match:
        sub, group = match.groups()
        return f"{sub}{int(group)}" if group else sub
    return None


def split_symbols(raw: str) -> list[str]:
    """Symbols in a list cell like `H01M4/13;H01M10/05` or `H01M 4/13, H01M 10/05`."""
    out: list[str] = []
    for part in re.split(r"[;；,，|\n]+", raw):
        symbol = canonical_symbol(part)
        if symbol and symbol not in out:
            out.append(symbol)
    return out


def subclass(symbol: str) -> str:
    return symbol[:4]


def main_group(symbol: str) -> str:
    return symbol.split("/", 1)[0]
