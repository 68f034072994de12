"""Thematic databases (专题库): a named query plus patents added or removed by hand, kept in the warehouse.

`refresh` re-runs the query after new data came in and reports which applications came in
and which went out; hand-added members stay, hand-removed ones stay out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa

from ipnav.config import Settings, Workspace
from ipnav.errors import RecordNotFound, UsageError
from ipnav.store.reads import find_app_key, topic_members
from ipnav.store.warehouse import Warehouse


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
    workspace: Workspace, warehouse: Warehouse, settings: Settings, name: str, query: str, description: str = ""
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


def add(warehouse: Warehouse, name: str, numbers: list[str]) -> dict[str, Any]:
    """Add patents by number; they stay through refreshes."""
    return _mark(warehouse, name, numbers, origin="manual", replaces="removed")


def remove(warehouse: Warehouse, name: str, numbers: list[str]) -> dict[str, Any]:
    """Remove patents by number; a refresh does not bring them back."""
    return _mark(warehouse, name, numbers, origin="removed", replaces="manual")


def _mark(warehouse: Warehouse, name: str, numbers: list[str], *, origin: str, replaces: str) -> dict[str, Any]:
    """Record a hand decision about these patents, undoing the opposite decision if there was one."""
    _require(warehouse, name)
    keys = sorted({find_app_key(warehouse, n) for n in numbers})
    warehouse.con.execute(
        "DELETE FROM topic_members WHERE topic = ? AND origin = ? AND app_key IN (SELECT unnest(?))",
        [name, replaces, keys],
    )
    _insert(warehouse, name, keys, origin, dt.datetime.now())
    return show(warehouse, name)


def refresh(workspace: Workspace, warehouse: Warehouse, settings: Settings, name: str) -> dict[str, Any]:
    """Re-run the topic's query; returns the applications that came in and went out."""
    topic = _require(warehouse, name)
    before = set(topic_keys(warehouse, name))
    now = dt.datetime.now()
    fresh = _query_keys(workspace, warehouse, settings, topic["query"]) if topic["query"] else []
    warehouse.con.execute("BEGIN TRANSACTION")
    warehouse.con.execute("DELETE FROM topic_members WHERE topic = ? AND origin = 'query'", [name])
    _insert(warehouse, name, fresh, "query", now)
    warehouse.con.execute("UPDATE topics SET refreshed_at = ? WHERE name = ?", [now, name])
    warehouse.con.execute("COMMIT")
    after = set(topic_keys(warehouse, name))
    return {"name": name, "came_in": sorted(after - before), "went_out": sorted(before - after), "size": len(after)}


def delete(warehouse: Warehouse, name: str) -> None:
    """Delete a topic and its member list."""
    _require(warehouse, name)
    warehouse.con.execute("DELETE FROM topic_members WHERE topic = ?", [name])
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
