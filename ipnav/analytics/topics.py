"""Thematic databases (专题库): a named query plus patents added or removed by hand, kept in the warehouse.

`refresh` re-runs the query after new data came in and reports which applications came in
and which went out; hand-added members stay, hand-removed ones stay out. Every change (create,
refresh, add, remove) is kept in `topic_log` with what came in and went out; analysts keep a note
per member in `topic_notes`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa

from ipnav.config import Settings, Workspace
from ipnav.errors import RecordNotFound, UsageError
from ipnav.store.lookup import lookup
from ipnav.store.reads import plain, topic_members
from ipnav.store.warehouse import Warehouse

MEMBER_ORDER = {"added": "m.added_at DESC, m.app_key", "filed": "p.filing_date DESC NULLS LAST, m.app_key",
                "number": "p.app_number NULLS LAST, m.app_key"}  # fmt: skip


def _query_keys(workspace: Workspace, warehouse: Warehouse, settings: Settings, query: str) -> list[str]:
    from ipnav.search.service import check_index, matching_keys

    check_index(workspace, warehouse)
    return sorted(matching_keys(workspace, warehouse, query, settings))


def _exists(warehouse: Warehouse, name: str) -> bool:
    return bool(warehouse.query("SELECT 1 FROM topics WHERE name = ?", [name]))


def _require(warehouse: Warehouse, name: str) -> dict[str, Any]:
    rows = warehouse.query("SELECT * FROM topics WHERE name = ?", [name])
    if not rows:
        raise RecordNotFound("thematic database", name)
    return rows[0]


def create(
    workspace: Workspace,
    warehouse: Warehouse,
    settings: Settings,
    name: str,
    query: str,
    description: str = "",
    *,
    actor: str = "",
) -> dict[str, Any]:
    """Create a thematic database from a query (the query is kept for refreshes)."""
    name = name.strip()
    if not name:
        raise UsageError("a thematic database needs a name")
    if _exists(warehouse, name):
        raise UsageError(f"thematic database {name!r} exists already (delete it or choose another name)")
    keys = _query_keys(workspace, warehouse, settings, query) if query else []
    now = dt.datetime.now()
    warehouse.con.execute("BEGIN TRANSACTION")
    warehouse.con.execute("INSERT INTO topics VALUES (?, ?, ?, ?, ?)", [name, description, query, now, now])
    _insert(warehouse, name, keys, "query", now)
    _log(warehouse, name, "create", actor, keys, [], len(keys), now)
    warehouse.con.execute("COMMIT")
    return show(warehouse, name)


def _insert(warehouse: Warehouse, name: str, keys: list[str], origin: str, when: dt.datetime) -> None:
    if keys:
        warehouse.con.register(
            "new_members",
            pa.table(
                {
                    "topic": [name] * len(keys),
                    "app_key": keys,
                    "origin": [origin] * len(keys),
                    "added_at": [when] * len(keys),
                }
            ),
        )
        warehouse.con.execute("INSERT INTO topic_members SELECT * FROM new_members")
        warehouse.con.unregister("new_members")


def topic_keys(warehouse: Warehouse, name: str) -> list[str]:
    """Application keys of a topic's members (removed ones left out)."""
    return topic_members(warehouse, name)


def add(warehouse: Warehouse, name: str, numbers: list[str], *, actor: str = "") -> dict[str, Any]:
    """Add patents by number (any spelling, or application keys from a hit selection); they stay through
    refreshes. Numbers not found or ambiguous are reported and left out; none found is an error."""
    return _mark(warehouse, name, numbers, origin="manual", replaces="removed", actor=actor)


def remove(warehouse: Warehouse, name: str, numbers: list[str], *, actor: str = "") -> dict[str, Any]:
    """Remove patents by number; a refresh does not bring them back."""
    return _mark(warehouse, name, numbers, origin="removed", replaces="manual", actor=actor)


def _mark(
    warehouse: Warehouse, name: str, numbers: list[str], *, origin: str, replaces: str, actor: str
) -> dict[str, Any]:
    """Record a hand decision about these patents, undoing the opposite decision if there was one."""
    _require(warehouse, name)
    found = lookup(warehouse, numbers)
    keys = found["keys"]
    if not keys:
        _none_found(found)
    before = set(topic_keys(warehouse, name))
    now = dt.datetime.now()
    warehouse.con.execute("BEGIN TRANSACTION")
    warehouse.con.execute(
        "DELETE FROM topic_members WHERE topic = ? AND origin IN (?, ?) AND app_key IN (SELECT unnest(?))",
        [name, replaces, origin, keys],
    )
    _insert(warehouse, name, keys, origin, now)
    after = set(topic_keys(warehouse, name))
    _log(warehouse, name, "add" if origin == "manual" else "remove", actor, sorted(after - before),
         sorted(before - after), len(after), now)  # fmt: skip
    warehouse.con.execute("COMMIT")
    return {**show(warehouse, name), "not_found": found["not_found"], "ambiguous": found["ambiguous"],
            "came_in": sorted(after - before), "went_out": sorted(before - after)}  # fmt: skip


def _none_found(found: dict[str, Any]) -> None:
    missing = [r["input"] for r in found["not_found"]] + [r["input"] for r in found["ambiguous"]]
    hints = found["not_found"][0]["suggest"] if found["not_found"] else []
    raise RecordNotFound("patent", ", ".join(missing[:10]), hints)


def _log(
    warehouse: Warehouse,
    name: str,
    action: str,
    actor: str,
    came_in: list[str],
    went_out: list[str],
    size: int,
    when: dt.datetime,
) -> None:
    warehouse.con.execute(
        "INSERT INTO topic_log VALUES (?, ?, ?, ?, ?, ?, ?)", [name, when, action, actor, came_in, went_out, size]
    )


def refresh(
    workspace: Workspace, warehouse: Warehouse, settings: Settings, name: str, *, actor: str = ""
) -> dict[str, Any]:
    """Re-run the topic's query; returns the applications that came in and went out."""
    topic = _require(warehouse, name)
    before = set(topic_keys(warehouse, name))
    now = dt.datetime.now()
    fresh = _query_keys(workspace, warehouse, settings, topic["query"]) if topic["query"] else []
    warehouse.con.execute("BEGIN TRANSACTION")
    warehouse.con.execute("DELETE FROM topic_members WHERE topic = ? AND origin = 'query'", [name])
    _insert(warehouse, name, fresh, "query", now)
    warehouse.con.execute("UPDATE topics SET refreshed_at = ? WHERE name = ?", [now, name])
    after = set(topic_keys(warehouse, name))
    _log(warehouse, name, "refresh", actor, sorted(after - before), sorted(before - after), len(after), now)
    warehouse.con.execute("COMMIT")
    return {"name": name, "came_in": sorted(after - before), "went_out": sorted(before - after), "size": len(after)}


def delete(warehouse: Warehouse, name: str) -> None:
    """Delete a topic and its member list."""
    _require(warehouse, name)
    for table in ("topic_members", "topic_notes", "topic_log"):
        warehouse.con.execute(f"DELETE FROM {table} WHERE topic = ?", [name])
    warehouse.con.execute("DELETE FROM topics WHERE name = ?", [name])


def list_topics(warehouse: Warehouse) -> list[dict[str, Any]]:
    """Every topic with its size, query and dates."""
    rows = warehouse.query("SELECT name, description, query, created_at, refreshed_at FROM topics ORDER BY created_at")
    for row in rows:
        row["size"] = len(topic_keys(warehouse, row["name"]))
        row["created_at"], row["refreshed_at"] = str(row["created_at"]), str(row["refreshed_at"])
    return rows


def show(warehouse: Warehouse, name: str) -> dict[str, Any]:
    """One topic with its members and how many were added or removed by hand."""
    topic = _require(warehouse, name)
    keys = topic_keys(warehouse, name)
    manual = warehouse.query("SELECT count(*) AS n FROM topic_members WHERE topic = ? AND origin = 'manual'", [name])
    removed = warehouse.query("SELECT count(*) AS n FROM topic_members WHERE topic = ? AND origin = 'removed'", [name])
    return {
        "name": name,
        "description": topic["description"],
        "query": topic["query"],
        "size": len(keys),
        "manual": manual[0]["n"],
        "removed": removed[0]["n"],
        "created_at": str(topic["created_at"]),
        "refreshed_at": str(topic["refreshed_at"]),
        "keys": keys,
    }


def note(warehouse: Warehouse, name: str, number: str, text: str, *, actor: str = "") -> dict[str, Any]:
    """Keep an analyst's note on one member (an empty text clears it)."""
    _require(warehouse, name)
    found = lookup(warehouse, [number])
    if not found["keys"]:
        _none_found(found)
    key = found["keys"][0]
    if key not in set(topic_keys(warehouse, name)):
        raise UsageError(f"{number} is not a member of thematic database {name!r} / 该专利不在专题库中")
    text = text.strip()
    if len(text) > 2000:
        raise UsageError("a note holds at most 2,000 characters / 备注最多 2000 字")
    warehouse.con.execute("DELETE FROM topic_notes WHERE topic = ? AND app_key = ?", [name, key])
    if text:
        warehouse.con.execute(
            "INSERT INTO topic_notes VALUES (?, ?, ?, ?, ?)", [name, key, text, actor, dt.datetime.now()]
        )
    return {"name": name, "app_key": key, "note": text, "author": actor}


def members(
    warehouse: Warehouse, name: str, *, offset: int = 0, limit: int = 50, order: str = "added"
) -> dict[str, Any]:
    """One page of a topic's members with how each came in (query or by hand), when, and its note."""
    if order not in MEMBER_ORDER:
        raise UsageError(f"unknown order {order!r}; choose one of {', '.join(MEMBER_ORDER)}")
    keys = topic_keys(warehouse, name)
    rows = warehouse.query(
        f"""
        WITH m AS (SELECT app_key, arg_max(origin, origin = 'query') AS origin, max(added_at) AS added_at
                   FROM topic_members WHERE topic = ? AND app_key = ANY(?::VARCHAR[]) GROUP BY app_key)
        SELECT m.app_key, p.app_number, p.first_pub_number, p.title, p.first_applicant, p.filing_date,
               p.legal_status, p.patent_type, m.origin, m.added_at,
               n.note, n.author AS note_author, n.noted_at AS note_at
        FROM m JOIN patents p USING (app_key)
        LEFT JOIN topic_notes n ON n.topic = ? AND n.app_key = m.app_key
        ORDER BY {MEMBER_ORDER[order]} LIMIT ? OFFSET ?
        """,
        [name, keys, name, max(1, min(limit, 500)), max(0, offset)],
    )
    return {"name": name, "total": len(keys), "offset": offset, "limit": limit, "order": order,
            "rows": [plain(r) for r in rows]}  # fmt: skip


def changes(warehouse: Warehouse, name: str, limit: int = 50, shown: int = 20) -> list[dict[str, Any]]:
    """The topic's change log, newest first: each create, refresh, add and remove with the applications
    that came in and went out (all keys; the application numbers of the first `shown` of each)."""
    _require(warehouse, name)
    rows = [plain(r) for r in warehouse.query(
        "SELECT logged_at AS at, action, actor, came_in, went_out, size FROM topic_log WHERE topic = ? "
        "ORDER BY logged_at DESC LIMIT ?",
        [name, limit],
    )]  # fmt: skip
    listed = {id(r): (r["came_in"] or [])[:shown] + (r["went_out"] or [])[:shown] for r in rows}
    keys = sorted({k for r in rows for k in listed[id(r)]})
    numbers = {r["app_key"]: r["app_number"] for r in warehouse.query(
        "SELECT app_key, app_number FROM patents WHERE app_key = ANY(?::VARCHAR[])", [keys]
    )} if keys else {}  # fmt: skip
    for row in rows:
        row["numbers"] = {
            k: numbers.get(k) or k for k in (row["came_in"] or [])[:shown] + (row["went_out"] or [])[:shown]
        }
    return rows
