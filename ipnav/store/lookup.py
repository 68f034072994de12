"""Batch number lookup (号码批量检索): a pasted list of up to 10,000 numbers in any spelling, each found,
not found (with close numbers), or ambiguous (with its candidates), in one pass over the warehouse."""

from __future__ import annotations

import re
from typing import Any

import pyarrow as pa

from ipnav.errors import UsageError
from ipnav.normalize.numbers import bare_number_sql, split_number_variants
from ipnav.store.reads import plain, suggest_numbers
from ipnav.store.warehouse import Warehouse

MAX_NUMBERS = 10_000
_SUGGESTED = 50  # not-found numbers that get close-number hints (each costs a query)
_SPLIT = re.compile(r"[\r\n\t;，；、]+|,(?!\d)")  # a comma between digits is part of `US 9,358,892`

# tier 0: an application key; 1: a publication number as stored; 2: a publication number without kind code
_MATCH_SQL = f"""
SELECT c.pos, 0 AS tier, p.app_key FROM lookup_candidates c JOIN patents p ON p.app_key = c.candidate
UNION SELECT c.pos, 1, b.app_key FROM lookup_candidates c JOIN publications b ON b.number = c.candidate
UNION SELECT c.pos, 2, b.app_key FROM lookup_candidates c
    JOIN (SELECT app_key, {bare_number_sql()} AS bare FROM publications) b
    ON b.bare = c.candidate
"""


def parse_numbers(text: str) -> list[str]:
    """Numbers from pasted text: one per line, or separated by commas, semicolons or tabs (a header line
    such as 公开号 is skipped, as is anything without a digit; spaces inside a number are kept)."""
    return [n.strip() for n in _SPLIT.split(text) if n and any(ch.isdigit() for ch in n)]


def lookup(warehouse: Warehouse, numbers: list[str]) -> dict[str, Any]:
    """Each number found (its application), not found (close numbers), or ambiguous (its candidates)."""
    numbers = [n.strip() for n in numbers if n.strip()]
    if not numbers:
        raise UsageError("give at least one patent number")
    if len(numbers) > MAX_NUMBERS:
        raise UsageError(f"{len(numbers):,} numbers: look up at most {MAX_NUMBERS:,} at a time")
    positions, candidates = [], []
    for pos, number in enumerate(numbers):
        variants = [number] if number.startswith(("K:", "P:")) else split_number_variants(number)
        for variant in variants:
            positions.append(pos)
            candidates.append(variant)
    con = warehouse.con.cursor()  # its own cursor: the reading connection may hold an open result
    con.register("lookup_candidates", pa.table({"pos": pa.array(positions, pa.int64()), "candidate": candidates}))
    try:
        matches = con.execute(_MATCH_SQL).fetchall()
    finally:
        con.unregister("lookup_candidates")
    best: dict[int, tuple[int, set[str]]] = {}
    for pos, tier, app_key in matches:  # the most exact tier decides; two applications there: ambiguous
        held = best.get(pos)
        if held is None or tier < held[0]:
            best[pos] = (tier, {app_key})
        elif tier == held[0]:
            held[1].add(app_key)
    keys = sorted({k for _, found in best.values() for k in found})
    rows = {r["app_key"]: plain(r) for r in _describe(warehouse, keys)}
    found: list[dict[str, Any]] = []
    ambiguous: list[dict[str, Any]] = []
    not_found: list[dict[str, Any]] = []
    for pos, number in enumerate(numbers):
        if pos not in best:
            hints = suggest_numbers(warehouse, number) if len(not_found) < _SUGGESTED else []
            not_found.append({"input": number, "suggest": hints})
        elif len(best[pos][1]) > 1:
            ambiguous.append({"input": number, "candidates": [rows[k] for k in sorted(best[pos][1])]})
        else:
            found.append({"input": number, **rows[next(iter(best[pos][1]))]})
    return {
        "numbers": len(numbers),
        "found": found,
        "not_found": not_found,
        "ambiguous": ambiguous,
        "keys": sorted({r["app_key"] for r in found}),
    }


def _describe(warehouse: Warehouse, keys: list[str]) -> list[dict[str, Any]]:
    if not keys:
        return []
    return warehouse.query(
        "SELECT app_key, app_number, first_pub_number, title, first_applicant, filing_date, legal_status, "
        "patent_type, country FROM patents WHERE app_key = ANY(?::VARCHAR[])",
        [keys],
    )
