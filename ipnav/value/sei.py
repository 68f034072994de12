"""Strategic emerging industries (战略性新兴产业) from IPC, by CNIPA's 2021 SEI↔IPC concordance.

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
from dataclasses import dataclass

from ipnav import reference


@dataclass(frozen=True)
class SeiMatch:
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
