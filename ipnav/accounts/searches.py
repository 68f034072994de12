"""Each user's search history (the last HISTORY_SIZE queries, re-run in one click) and saved searches
(a name and a query, private or shared with every user), in the accounts database next to the users.

They live here and not in the warehouse: the web server reads the warehouse read-only, and these are
small writes on every search.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ipnav.accounts import Accounts
from ipnav.errors import RecordNotFound, UsageError

HISTORY_SIZE = 50
MAX_SAVED = 500  # per user
KINDS = ("patent", "trademark")  # what a saved query searches: the patent or the trademark query language

_DDL = """
CREATE TABLE IF NOT EXISTS search_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT, user TEXT NOT NULL, at TEXT NOT NULL, query TEXT NOT NULL,
    total INTEGER
);
CREATE INDEX IF NOT EXISTS search_history_user ON search_history (user, id);
CREATE TABLE IF NOT EXISTS saved_searches (
    id INTEGER PRIMARY KEY AUTOINCREMENT, owner TEXT NOT NULL, name TEXT NOT NULL, query TEXT NOT NULL,
    shared INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, UNIQUE (owner, name)
);
"""


class Searches:
    """Search history and saved searches of the users of one accounts database."""

    def __init__(self, accounts: Accounts) -> None:
        self.accounts = accounts
        accounts.ensure(_DDL)
        with accounts.transaction() as con:  # searches saved before trademarks had searches of their own
            if "kind" not in {r["name"] for r in con.execute("PRAGMA table_info(saved_searches)")}:
                con.execute("ALTER TABLE saved_searches ADD COLUMN kind TEXT NOT NULL DEFAULT 'patent'")

    def remember(self, user: str, query: str, total: int | None) -> None:
        """Add a query to the user's history (a repeat moves to the top); keep the last HISTORY_SIZE."""
        query = query.strip()
        if not query:
            return
        with self.accounts.transaction(immediate=True) as con:
            con.execute("DELETE FROM search_history WHERE user = ? AND query = ?", [user, query])
            con.execute(
                "INSERT INTO search_history (user, at, query, total) VALUES (?, ?, ?, ?)",
                [user, _now(), query, total],
            )
            con.execute(
                "DELETE FROM search_history WHERE user = ? AND id NOT IN "
                "(SELECT id FROM search_history WHERE user = ? ORDER BY id DESC LIMIT ?)",
                [user, user, HISTORY_SIZE],
            )

    def history(self, user: str, limit: int = HISTORY_SIZE) -> list[dict[str, Any]]:
        """The user's latest queries, newest first, with the hit count they had."""
        with self.accounts.transaction() as con:
            rows = con.execute(
                "SELECT at, query, total FROM search_history WHERE user = ? ORDER BY id DESC LIMIT ?",
                [user, min(limit, HISTORY_SIZE)],
            ).fetchall()
        return [dict(r) for r in rows]

    def clear_history(self, user: str) -> int:
        """Forget the user's history; how many queries were forgotten."""
        with self.accounts.transaction() as con:
            return con.execute("DELETE FROM search_history WHERE user = ?", [user]).rowcount

    def save(self, user: str, name: str, query: str, *, shared: bool = False, kind: str = "patent") -> dict[str, Any]:
        """Save a query (of patents, or of trademarks) under a name (the user's same name is replaced);
        shared ones every user sees."""
        name, query = name.strip(), query.strip()
        if kind not in KINDS:
            raise UsageError(f"a saved search is of {' or '.join(KINDS)}, not {kind!r}")
        if not name or not query:
            raise UsageError("a saved search needs a name and a query / 保存检索式需要名称和检索式")
        if len(name) > 100:
            raise UsageError("a saved search's name holds at most 100 characters / 名称最多 100 字")
        with self.accounts.transaction(immediate=True) as con:
            count = con.execute("SELECT count(*) FROM saved_searches WHERE owner = ?", [user]).fetchone()[0]
            if count >= MAX_SAVED:
                raise UsageError(f"{user} has {count} saved searches; delete some first / 已保存的检索式过多")
            con.execute(
                "INSERT INTO saved_searches (owner, name, query, shared, created_at, kind) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (owner, name) DO UPDATE SET query = excluded.query, shared = excluded.shared, "
                "created_at = excluded.created_at, kind = excluded.kind",
                [user, name, query, int(shared), _now(), kind],
            )
            row = con.execute("SELECT * FROM saved_searches WHERE owner = ? AND name = ?", [user, name]).fetchone()
        return _saved(row)

    def every_saved(self) -> list[dict[str, Any]]:
        """Every user's saved searches (owner, name, query, kind), oldest first: what alerts run after an ingest."""
        with self.accounts.transaction() as con:
            return [dict(r) for r in con.execute("SELECT owner, name, query, kind FROM saved_searches ORDER BY id")]

    def saved(self, user: str) -> list[dict[str, Any]]:
        """The user's saved searches and those other users shared, the user's own first."""
        with self.accounts.transaction() as con:
            rows = con.execute(
                "SELECT * FROM saved_searches WHERE owner = ? OR shared = 1 ORDER BY owner <> ?, name",
                [user, user],
            ).fetchall()
        return [_saved(r) for r in rows]

    def delete(self, user: str, search_id: int, *, admin: bool = False) -> dict[str, Any]:
        """Delete a saved search: its owner may, an admin may delete a shared one."""
        with self.accounts.transaction(immediate=True) as con:
            row = con.execute("SELECT * FROM saved_searches WHERE id = ?", [search_id]).fetchone()
            if row is None or (row["owner"] != user and not (admin and row["shared"])):
                raise RecordNotFound("saved search", str(search_id))
            con.execute("DELETE FROM saved_searches WHERE id = ?", [search_id])
        return _saved(row)


def _saved(row: Any) -> dict[str, Any]:
    return {k: row[k] for k in ("id", "owner", "name", "query", "created_at", "kind")} | {"shared": bool(row["shared"])}


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")
