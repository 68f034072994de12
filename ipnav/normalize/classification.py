"""IPC / CPC symbols in one canonical spelling: `H01M4/13`.

Accepted spellings: `H01M 4/13 (2006.01)`, `H01M0004130000`, `A45F  504` (USPTO
fixed width: subclass, main group right-aligned in 3, subgroup), `7C 07C  29/44   A`
(EP with edition prefix), `H01M4/13`, and bare subclasses / main groups.

>>> canonical_symbol("H01M 4/13 (2006.01)"), canonical_symbol("H01M0004130000")
('H01M4/13', 'H01M4/13')

Strategic emerging industries (战略性新兴产业) from IPC, by CNIPA's 2021 SEI↔IPC concordance.

Reading of the table's patterns (checked against the table: it lists `H04L1*` and `H04L12/02`
separately, so `H04L1*` cannot mean "everything starting with H04L1"):

* `H04L1*`   main group H04L1 and all its subgroups (H04L1/00, H04L1/18 ...), not H04L12;
* `H01M*`    the whole subclass; `B64*` the whole class;
* `G06F21/60` that group and the subgroups below it, which IPC numbers by extending the digits
  (G06F21/602, G06F21/6045 ...), not G06F21/62; `G06F21/00` heads the whole main group;
* `G06F21`   (no slash) the whole main group.

Exclusions (不含) of a block remove a symbol from that block's matches with the same reading.
Matching is by IPC only; the keyword column is descriptive text (see issue notes).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ipnav import reference

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
    """`H01M4/13` -> `H01M`."""
    return symbol[:4]


def main_group(symbol: str) -> str:
    """`H01M4/13` -> `H01M4`."""
    return symbol.split("/", 1)[0]


@dataclass(frozen=True)
class SeiMatch:
    """One match of a patent's IPC symbol to a strategic-emerging-industry code."""

    code: str  # e.g. "1.1"
    name: str  # 下一代信息网络产业
    category_code: str
    category_name: str
    pattern: str  # the concordance row that matched
    symbol: str  # the patent's IPC symbol


def pattern_matches(pattern: str, symbol: str) -> bool:
    """Does an IPC symbol (canonical, `H04L1/18`) fall under a concordance pattern?"""
    pattern = pattern.strip().upper().replace(" ", "")
    if not pattern:
        return False
    group, _, subgroup = symbol.partition("/")
    if pattern.endswith("*"):
        stem = pattern[:-1]
        if len(stem) <= 4:  # class or subclass
            return symbol.startswith(stem)
        return group == stem  # a main group with all its subgroups
    if "/" in pattern:
        p_group, _, p_sub = pattern.partition("/")
        if group != p_group:
            return False
        if p_sub == "00" or subgroup == p_sub:  # X/00 heads the whole main group
            return True
        return subgroup.startswith(p_sub) and len(subgroup) > len(p_sub)
    if len(pattern) <= 4:
        return symbol.startswith(pattern)
    return group == pattern


@functools.lru_cache(maxsize=1)
def _rows_by_subclass() -> dict[str, list[dict[str, str]]]:
    index: dict[str, list[dict[str, str]]] = {}
    for row in reference.rows("sei_ipc_2021"):
        pattern = row["ipc_pattern"].strip().upper()
        index.setdefault(pattern[:4], []).append(row)
    return index


def sei_matches(symbols: list[str]) -> list[SeiMatch]:
    """Every (SEI code, pattern, symbol) match for a patent's IPC symbols, exclusions applied."""
    out: list[SeiMatch] = []
    seen: set[tuple[str, str]] = set()
    index = _rows_by_subclass()
    for symbol in symbols:
        candidates = index.get(symbol[:4], []) + index.get(symbol[:3], [])
        for row in candidates:
            if not pattern_matches(row["ipc_pattern"], symbol):
                continue
            if any(pattern_matches(ex, symbol) for ex in row["ipc_exclusions"].split()):
                continue
            key = (row["sei_code"], symbol)
            if key in seen:
                continue
            seen.add(key)
            out.append(
                SeiMatch(
                    row["sei_code"],
                    row["sei_name"],
                    row["sei_category_code"],
                    row["sei_category_name"],
                    row["ipc_pattern"],
                    symbol,
                )
            )
    return out


def sei_codes(symbols: list[str]) -> list[str]:
    """SEI industry codes (`1.1`) and their categories (`1`) for a patent's IPC symbols."""
    codes: list[str] = []
    for match in sei_matches(symbols):
        for code in (match.code, match.category_code):
            if code not in codes:
                codes.append(code)
    return codes


@functools.lru_cache(maxsize=1)
def _wipo_prefixes() -> dict[str, list[tuple[str, int]]]:
    """WIPO's IPC-technology concordance as (symbol prefix, field number) by subclass: its patterns are SQL
    LIKE prefixes with spaces for alignment (`G01N   1/%` is every symbol starting G01N1/)."""
    index: dict[str, list[tuple[str, int]]] = {}
    for row in reference.rows("wipo35"):
        prefix = row["IPC_code"].replace(" ", "").rstrip("%").upper()
        index.setdefault(prefix[:4], []).append((prefix, int(row["Field_number"])))
    return index


def wipo_fields(symbols: list[str]) -> list[int]:
    """The WIPO technology fields (1-35) a patent's IPC symbols fall in, each once, in order."""
    index = _wipo_prefixes()
    return sorted({field for s in symbols for prefix, field in index.get(s[:4], ()) if s.startswith(prefix)})
