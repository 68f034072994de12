"""Alerts: after each ingest, the new matches of the users' saved searches (patents) and trademark watches
become notifications: an inbox in the web (unread count in the header), an Atom feed per user at a secret
address, and, when configured, an e-mail (SMTP settings) and a webhook POST (an address the admin sets).

A notification is one (user, kind, source, item): the UNIQUE key makes "nothing twice" hold across
re-ingests and restarts. Deliveries are rows of their own with attempts, the last error and the time of
the next try (`ipnav.alerts.deliver`); the admin page lists those not sent. Everything lives in the
accounts database next to the users.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from ipnav.accounts import Accounts
from ipnav.errors import UsageError

_DDL = """
CREATE TABLE IF NOT EXISTS notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT, user TEXT NOT NULL, kind TEXT NOT NULL, source TEXT NOT NULL,
    item TEXT NOT NULL, title TEXT NOT NULL, detail TEXT NOT NULL, link TEXT NOT NULL, created_at TEXT NOT NULL,
    read_at TEXT, UNIQUE (user, kind, source, item)
);
CREATE INDEX IF NOT EXISTS notifications_user ON notifications (user, id);
CREATE TABLE IF NOT EXISTS alert_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT, notification_id INTEGER NOT NULL, channel TEXT NOT NULL,
    target TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '', next_at TEXT NOT NULL, sent_at TEXT,
    UNIQUE (notification_id, channel, target)
);
CREATE TABLE IF NOT EXISTS alert_profiles (
    user TEXT PRIMARY KEY, email TEXT NOT NULL DEFAULT '', feed_token TEXT NOT NULL UNIQUE
);
"""

MAX_ATTEMPTS = 5  # a delivery is tried this often (1, 2, 4, 8 minutes apart), then left failed for the admin


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass
class Notice:
    """One new match for one user: a patent of a saved search, a mark of a watch."""

    user: str
    kind: str  # "search" | "watch"
    source: str  # the saved search's or the watch's name
    item: str  # the patent's application number, the mark's number
    title: str
    link: str
    detail: dict[str, Any] = field(default_factory=dict)


class Alerts:
    """Notifications, their deliveries and each user's e-mail address and feed token."""

    def __init__(self, accounts: Accounts) -> None:
        self.accounts = accounts
        accounts.ensure(_DDL)

    def add(self, notices: list[Notice], *, email: bool, webhook: str = "") -> list[int]:
        """Store the notices not stored before (returns their ids) and queue their deliveries: e-mail to
        users with an address when `email` (SMTP configured), the webhook when an address is set."""
        added = []
        with self.accounts.transaction(immediate=True) as con:
            for n in notices:
                cursor = con.execute(
                    "INSERT OR IGNORE INTO notifications (user, kind, source, item, title, detail, link, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [n.user, n.kind, n.source, n.item, n.title, json.dumps(n.detail, ensure_ascii=False, default=str),
                     n.link, _now()],
                )  # fmt: skip
                if not cursor.rowcount:
                    continue
                nid = int(cursor.lastrowid or 0)
                added.append(nid)
                targets = []
                address = con.execute("SELECT email FROM alert_profiles WHERE user = ?", [n.user]).fetchone()
                if email and address and address["email"]:
                    targets.append(("email", address["email"]))
                if webhook:
                    targets.append(("webhook", webhook))
                for channel, target in targets:
                    con.execute(
                        "INSERT OR IGNORE INTO alert_deliveries (notification_id, channel, target, status, next_at) "
                        "VALUES (?, ?, ?, 'pending', ?)",
                        [nid, channel, target, _now()],
                    )
        return added

    def inbox(self, user: str, *, unread: bool = False, limit: int = 200) -> list[dict[str, Any]]:
        """The user's notifications, newest first."""
        where = "AND read_at IS NULL" if unread else ""
        with self.accounts.transaction() as con:
            rows = con.execute(
                f"SELECT * FROM notifications WHERE user = ? {where} ORDER BY id DESC LIMIT ?", [user, limit]
            ).fetchall()
        return [{**dict(r), "detail": json.loads(r["detail"])} for r in rows]

    def unread(self, user: str) -> int:
        """How many of the user's notifications are unread."""
        with self.accounts.transaction() as con:
            row = con.execute("SELECT count(*) FROM notifications WHERE user = ? AND read_at IS NULL", [user])
            return int(row.fetchone()[0])

    def mark_read(self, user: str, ids: list[int] | None = None) -> int:
        """Mark these (or all) of the user's notifications read; how many changed."""
        with self.accounts.transaction(immediate=True) as con:
            if ids is None:
                cursor = con.execute("UPDATE notifications SET read_at = ? WHERE user = ? AND read_at IS NULL",
                                     [_now(), user])  # fmt: skip
            else:
                marks = ",".join("?" * len(ids)) or "NULL"
                cursor = con.execute(f"UPDATE notifications SET read_at = ? WHERE user = ? AND read_at IS NULL "
                                     f"AND id IN ({marks})", [_now(), user, *ids])  # fmt: skip
            return int(cursor.rowcount)

    def profile(self, user: str) -> dict[str, str]:
        """The user's e-mail address and feed token (the token made on first use)."""
        with self.accounts.transaction(immediate=True) as con:
            row = con.execute("SELECT email, feed_token FROM alert_profiles WHERE user = ?", [user]).fetchone()
            if row is None:
                token = secrets.token_urlsafe(24)
                con.execute("INSERT INTO alert_profiles (user, feed_token) VALUES (?, ?)", [user, token])
                return {"email": "", "feed_token": token}
            return {"email": row["email"], "feed_token": row["feed_token"]}

    def set_email(self, user: str, email: str) -> dict[str, str]:
        """Set (or clear, with "") the address the user's alerts are mailed to."""
        email = email.strip()
        if email and ("@" not in email or " " in email or len(email) > 254):
            raise UsageError(f"{email!r} is not an e-mail address / 不是有效的电子邮件地址")
        self.profile(user)
        with self.accounts.transaction(immediate=True) as con:
            con.execute("UPDATE alert_profiles SET email = ? WHERE user = ?", [email, user])
        return self.profile(user)

    def user_of_token(self, token: str) -> str | None:
        """Whose feed a secret token opens (None: nobody's)."""
        with self.accounts.transaction() as con:
            row = con.execute("SELECT user FROM alert_profiles WHERE feed_token = ?", [token]).fetchone()
        return None if row is None else str(row["user"])

    def due(self, *, now: bool = False) -> list[dict[str, Any]]:
        """Deliveries to try: pending, or failed with tries left and their wait over (`now`: waiting or not,
        as when the admin asks for a retry)."""
        with self.accounts.transaction() as con:
            rows = con.execute(
                "SELECT d.*, n.user, n.kind, n.source, n.item, n.title, n.detail, n.link, n.created_at "
                "FROM alert_deliveries d JOIN notifications n ON n.id = d.notification_id "
                "WHERE d.status IN ('pending', 'failed') AND d.attempts < ? AND (? OR d.next_at <= ?) ORDER BY d.id",
                [MAX_ATTEMPTS, now, _now()],
            ).fetchall()
        return [{**dict(r), "detail": json.loads(r["detail"])} for r in rows]

    def record(self, delivery_id: int, error: str | None) -> None:
        """The outcome of one try: sent, or failed with the error and the time of the next try."""
        with self.accounts.transaction(immediate=True) as con:
            if error is None:
                con.execute("UPDATE alert_deliveries SET status = 'sent', attempts = attempts + 1, sent_at = ?, "
                            "last_error = '' WHERE id = ?", [_now(), delivery_id])  # fmt: skip
                return
            attempts = con.execute("SELECT attempts FROM alert_deliveries WHERE id = ?", [delivery_id]).fetchone()[0]
            wait = dt.timedelta(minutes=2**attempts)
            con.execute(
                "UPDATE alert_deliveries SET status = 'failed', attempts = attempts + 1, last_error = ?, next_at = ? "
                "WHERE id = ?",
                [error[:500], (dt.datetime.now(dt.UTC) + wait).isoformat(timespec="seconds"), delivery_id],
            )

    def deliveries(self, *, unsent: bool = True, limit: int = 200) -> list[dict[str, Any]]:
        """Deliveries (those not sent, by default) with their notification, newest first: the admin's view."""
        where = "WHERE d.status <> 'sent'" if unsent else ""
        with self.accounts.transaction() as con:
            rows = con.execute(
                "SELECT d.id, d.channel, d.target, d.status, d.attempts, d.last_error, d.next_at, d.sent_at, "
                f"n.user, n.title FROM alert_deliveries d JOIN notifications n ON n.id = d.notification_id {where} "
                "ORDER BY d.id DESC LIMIT ?",
                [limit],
            ).fetchall()
        return [{**dict(r), "gave_up": r["status"] == "failed" and r["attempts"] >= MAX_ATTEMPTS} for r in rows]
