"""Who hears of new matches: a user follows a demand (new patents that fit it) or an owner (new demands that
the owner's valid patents fit). Follows live in the accounts database next to the saved searches; the
notices go through the alerts (`ipnav.alerts`): the inbox, the feed, e-mail and the webhook."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ipnav.accounts import Accounts
from ipnav.alerts import Notice
from ipnav.errors import UsageError
from ipnav.matching.match import STATUSES, fits, needs
from ipnav.normalize.names import canonical_name
from ipnav.search.service import rows_for
from ipnav.store.warehouse import Warehouse

PER_RUN = 20  # notices per followed demand from one load

_DDL = """
CREATE TABLE IF NOT EXISTS tech_follows (
    user TEXT NOT NULL, kind TEXT NOT NULL, target TEXT NOT NULL, created_at TEXT NOT NULL,
    PRIMARY KEY (user, kind, target)
);
"""


class Follows:
    """The demands and owners users follow."""

    def __init__(self, accounts: Accounts) -> None:
        self.accounts = accounts
        accounts.ensure(_DDL)

    def add(self, user: str, kind: str, target: str) -> None:
        """Follow a demand (its key) or an owner (a name)."""
        if kind not in ("demand", "owner") or not target.strip():
            raise UsageError("follow a demand (its number) or an owner (a name) / 关注需求或权利人")
        with self.accounts.transaction(immediate=True) as con:
            now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            con.execute("INSERT OR IGNORE INTO tech_follows VALUES (?, ?, ?, ?)", [user, kind, target.strip(), now])

    def remove(self, user: str, kind: str, target: str) -> bool:
        with self.accounts.transaction(immediate=True) as con:
            return bool(con.execute("DELETE FROM tech_follows WHERE user = ? AND kind = ? AND target = ?",
                                    [user, kind, target]).rowcount)  # fmt: skip

    def listing(self, user: str | None = None) -> list[dict[str, Any]]:
        """Every follow (or one user's), oldest first."""
        with self.accounts.transaction() as con:
            rows = con.execute(
                "SELECT * FROM tech_follows" + (" WHERE user = ?" if user else "") + " ORDER BY created_at, target",
                [user] if user else [],
            ).fetchall()
        return [dict(r) for r in rows]


def notices(wh: Warehouse, follows: list[dict[str, Any]], *, patents: list[str], demands: list[str]) -> list[Notice]:
    """New patents (`patents`, application keys) that fit a followed demand, and new demands (`demands`,
    register keys) that a followed owner's valid patents fit."""
    out: list[Notice] = []
    followed = [f for f in follows if f["kind"] == "demand"]
    if followed and patents:
        wanted = needs(wh, "tech_demand", keys=sorted({f["target"] for f in followed}), open_only=True)
        rows = {r["app_key"]: r for r in rows_for(wh, patents)}
        best = sorted(fits(wh, wanted, patents), key=lambda t: -t[2])
        per_demand: dict[int, int] = {}
        for column, key, _, cosine, shared in best:
            per_demand[column] = per_demand.get(column, 0) + 1
            if per_demand[column] > PER_RUN:  # the best few of a large load; the match page has the rest
                continue
            demand = wanted[column]
            row = rows[key]
            number = row["app_number"] or row["first_pub_number"] or key
            for f in followed:
                if f["target"] == demand["app_key"]:
                    out.append(Notice(
                        f["user"], "demand", f"需求 {demand['number']} {demand['name']}", number,
                        f"{row['title'] or number}", f"/patents/{number}",
                        {"demand": demand["app_key"], "semantic": cosine, "terms": shared,
                         "applicants": row["applicants"] or []},
                    ))  # fmt: skip
    owners = [f for f in follows if f["kind"] == "owner"]
    if owners and demands:
        fresh = needs(wh, "tech_demand", keys=demands, open_only=True)
        for f in owners:
            keys = _owner_patents(wh, f["target"])
            seen: set[str] = set()
            for column, key, _, cosine, shared in sorted(fits(wh, fresh, keys), key=lambda t: -t[2]):
                demand = fresh[column]
                if demand["app_key"] in seen:
                    continue
                seen.add(demand["app_key"])
                out.append(Notice(
                    f["user"], "supply", f"权利人 {f['target']}", demand["number"] or demand["app_key"],
                    f"{demand['name']} ({demand['holder']})", f"/demands/{demand['app_key']}",
                    {"patent": key, "semantic": cosine, "terms": shared},
                ))  # fmt: skip
    return out


def _owner_patents(wh: Warehouse, owner: str) -> list[str]:
    return [k for (k,) in wh.con.execute(
        "SELECT DISTINCT o.app_key FROM patent_owners o JOIN patents p USING (app_key) WHERE o.entity = ? "
        "AND p.legal_status = ANY(?::VARCHAR[]) ORDER BY 1", [canonical_name(owner), list(STATUSES["valid"])],
    ).fetchall()]  # fmt: skip
