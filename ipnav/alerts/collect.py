"""What an ingest brought that users asked to hear about: the records of the run that match a saved
search (patents) or a trademark watch, as notices (`ipnav.alerts.Notice`)."""

from __future__ import annotations

from typing import Any

from ipnav.alerts import Notice
from ipnav.config import Settings, Workspace
from ipnav.store.warehouse import Warehouse


def run_keys(warehouse: Warehouse, run_id: int) -> dict[str, set[str]]:
    """Application keys of the documents a run inserted or changed, by record kind."""
    out: dict[str, set[str]] = {}
    for key, kind in warehouse.con.execute(
        "SELECT DISTINCT app_key, kind FROM documents WHERE run_id = ?", [run_id]
    ).fetchall():
        out.setdefault(kind, set()).add(key)
    return out


def current_run(warehouse: Warehouse) -> int | None:
    """The run being ingested (the one marked running), if any."""
    row = warehouse.con.execute("SELECT max(run_id) FROM ingest_runs WHERE status = 'running'").fetchone()
    return None if row is None or row[0] is None else int(row[0])


def search_notices(
    workspace: Workspace, warehouse: Warehouse, settings: Settings, saved: list[dict[str, Any]], keys: set[str]
) -> list[Notice]:
    """The run's patents matching each user's saved searches."""
    from ipnav.errors import IpnavError
    from ipnav.search.service import matching_keys, rows_for

    if not keys or not saved:
        return []
    notices = []
    within = sorted(keys)
    for search in saved:
        try:
            found = list(matching_keys(workspace, warehouse, search["query"], settings, within))
        except IpnavError:  # a saved query the present index cannot run (a field since renamed)
            continue
        for row in rows_for(warehouse, sorted(found)):
            number = row["app_number"] or row["first_pub_number"] or row["app_key"]
            notices.append(Notice(
                search["owner"], "search", search["name"], number, f"{row['title'] or number}",
                f"/patents/{number}",
                {"query": search["query"], "applicants": row["applicants"] or [], "filing_date": row["filing_date"]},
            ))  # fmt: skip
    return notices


def trademark_search_notices(workspace: Workspace, saved: list[dict[str, Any]], keys: set[str],
                             warehouse: Warehouse) -> list[Notice]:  # fmt: skip
    """The run's marks matching each user's saved trademark searches."""
    from ipnav.errors import IpnavError
    from ipnav.trademarks import index as tm_index

    if not keys or not saved:
        return []
    index = tm_index.open_index(workspace)
    notices = []
    within = sorted(keys)
    for search in saved:
        try:
            found = sorted(index.keys(search["query"], within))
        except IpnavError:
            continue
        rows = warehouse.con.execute(
            "SELECT number, text, first_owner, filing_date FROM trademarks WHERE app_key IN "
            "(SELECT unnest(?::VARCHAR[])) ORDER BY number",
            [found],
        ).fetchall() if found else []  # fmt: skip
        for number, text, owner, filed in rows:
            notices.append(Notice(search["owner"], "search", search["name"], number, text or number,
                                  f"/trademarks/{number}", {"query": search["query"], "owner": owner,
                                                            "filing_date": filed}))  # fmt: skip
    return notices


def watch_notices(workspace: Workspace, warehouse: Warehouse, accounts: Any, keys: set[str]) -> list[Notice]:
    """The run's marks that a watch finds (each watch reports a mark once)."""
    from ipnav.trademarks import index as tm_index
    from ipnav.trademarks.watch import Watches

    if not keys:
        return []
    watches = Watches(accounts)
    if not watches.listing():
        return []
    numbers = {k.removeprefix("TM:") for k in keys}
    notices = []
    for run in watches.run(warehouse, tm_index.open_index(workspace), only=numbers):
        for hit in run["hits"]:
            if hit["new"]:
                notices.append(Notice(
                    run["owner"], "watch", run["watch"], hit["number"],
                    f"{hit['text']} ≈ {hit['watched']} ({hit['score']})", f"/trademarks/{hit['number']}",
                    {k: hit[k] for k in ("score", "reasons", "owner", "publication_date", "deadline", "rule")},
                ))  # fmt: skip
    return notices
