"""Drill-down: every item of an analysis carries the query (the search language) that finds exactly the
applications it counts, the selection included, so a click on a bar, slice, region, node or table row
opens the hit list behind it. `COUNTED` names the column each item's count is in: the drill's hit count
equals it (tests/test_drill.py checks every analysis of the sample)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ipnav.analytics.selection import Selection

Row = dict[str, Any]


def _q(value: Any) -> str:
    """A value as a quoted term of the query language."""
    return '"' + str(value).replace('"', " ").strip() + '"'


def _value_band(row: Row) -> str:
    low, high = (int(x) for x in str(row["band"]).split("-"))
    return f"value>={low}" if high >= 100 else f"value:[{low} TO {high}}}"


def _region(level: str) -> Callable[[Row], str | None]:
    def clause(row: Row) -> str | None:
        if level == "county":
            return f"region1={row['applicant_adcode']}" if row.get("applicant_county") else None
        name = row.get("applicant_city") if level == "city" else row.get("applicant_province")
        return f"region1={_q(name)}" if name else None

    return clause


def _status(row: Row) -> str:
    return f"status={row['legal_status']} AND reason={row['legal_status_reason'] or 'none'}"


# analysis -> (the item's clause, the column holding the count the clause reproduces)
CLAUSES: dict[str, tuple[Callable[[Row], str | None], str]] = {
    "trends": (lambda r: f"ad={r['year']}", "filings"),
    "lifecycle": (lambda r: f"ad={r['filing_year']}", "applications"),
    "applicants": (lambda r: f"pae={_q(r['entity'])}", "applications"),
    "inventors": (lambda r: f"ine={_q(r['inventor'])}", "applications"),
    "applicant_types": (lambda r: f"atype={r['type']}", "applications"),
    "ipc": (lambda r: f"ipc={r['code']}", "applications"),
    "applicant_ipc": (lambda r: f"pae={_q(r['entity'])} AND ipc={r['code']}", "applications"),
    "applicant_years": (lambda r: f"pae={_q(r['entity'])} AND ad={r['year']}", "applications"),
    "wipo_fields": (lambda r: f"wipo={r['field_no']}", "applications"),
    "sei": (lambda r: f"sei={r['sei_code']}", "applications"),
    "countries": (lambda r: f"cc={r['country']}" if r["country"] else None, "applications"),
    "legal_status": (_status, "applications"),
    "patent_types": (lambda r: f"type={r['patent_type']}", "applications"),
    "network": (lambda r: f"pae={_q(r['source'])} AND pae={_q(r['target'])}", "weight"),
    "inventor_teams": (lambda r: f"ine={_q(r['source'])} AND ine={_q(r['target'])}", "weight"),
    "most_cited": (lambda r: f"cites={_q(r['cited_app'])}", "citations"),
    "terms": (lambda r: f"term={_q(r['term'])}", "applications"),
    "value": (_value_band, "applications"),
    "high_value": (lambda r: f"flag={r['measure']}", "applications"),
}
NODE_FIELDS = {"network": "pae", "inventor_teams": "ine"}  # graph nodes drill to the name's applications


def selection_query(selection: Selection) -> str:
    """The selection as a query of the search language ('' for all)."""
    if selection.kind == "query":
        return selection.value
    if selection.kind == "topic":
        return f"topic={_q(selection.value)}"
    if selection.kind == "numbers":
        numbers = [n.strip() for n in selection.value.replace(";", ",").split(",") if n.strip()]
        return " OR ".join(f"an={_q(n)} OR pn={_q(n)}" for n in numbers)
    return ""


def within(selection: Selection, clause: str) -> str:
    """A clause restricted to the selection."""
    base = selection_query(selection)
    return f"({base}) AND {clause}" if base else clause


def attach(kind: str, rows: list[Row], selection: Selection, level: str | None = None) -> None:
    """Set `drill` on every row that names an item (None where an item has no query: a row without a
    country, the concentration summary, citation flows between applicants)."""
    if kind == "regions":
        make: Callable[[Row], str | None] | None = _region(level or "province")
    else:
        make = CLAUSES[kind][0] if kind in CLAUSES else None
    for row in rows:
        clause = make(row) if make else None
        row["drill"] = within(selection, clause) if clause else None


def node_drill(kind: str, name: str, selection: Selection) -> str | None:
    """The query of a graph node (an applicant or inventor of a network)."""
    field = NODE_FIELDS.get(kind)
    return within(selection, f"{field}={_q(name)}") if field else None


def counted(kind: str) -> str | None:
    """The column holding the count an item's drill reproduces."""
    return "applications" if kind == "regions" else CLAUSES[kind][1] if kind in CLAUSES else None
