"""Accounts, roles, login throttling and the audit log, in `WORKSPACE/accounts.sqlite`.

Kept apart from the DuckDB warehouse on purpose: the web server reads the warehouse through
read-only connections (so an ingest can take the write lock at any time), while logins and the
audit log must be written on every request that changes something. SQLite in WAL mode takes
those small concurrent writes.

Roles: `admin` (users, settings, ingest), `analyst` (topics, reports, manual data), `viewer` (read).
Passwords are hashed with Argon2id (argon2-cffi defaults: RFC 9106 low-memory profile).

Sessions live here, not in the cookie: the signed cookie carries a random session id, and a session
ends on logout, a password change, a role change or when its user is disabled (every request looks
the id up), so a copied cookie stops working with them.

Login throttling is per (user name, client address): after LOGIN_FREE_FAILURES failures that pair waits
LOGIN_BACKOFF, doubling with each further failure up to LOGIN_BACKOFF_MAX; a stranger failing on a
name locks only himself out. Each attempt is counted (reserved) in the same write transaction that
checks the count, before the slow password check, so parallel attempts cannot slip past the limit.
One address failing on many names is stopped after CLIENT_MAX_FAILURES in LOGIN_WINDOW.
An admin lifts a lock with `ipnav user unlock NAME`.
"""

from __future__ import annotations

import builtins
import datetime as dt
import json
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ipnav.errors import IpnavError, UsageError

ROLES: tuple[str, ...] = ("viewer", "analyst", "admin")
ROLE_ZH = {"viewer": "只读用户", "analyst": "分析人员", "admin": "管理员"}
LOGIN_WINDOW = dt.timedelta(minutes=15)  # failures of one address on any name counted within it
CLIENT_MAX_FAILURES = 20
LOGIN_FREE_FAILURES = 5  # per (name, client) before the back-off starts
LOGIN_BACKOFF = dt.timedelta(minutes=1)
LOGIN_BACKOFF_MAX = dt.timedelta(hours=1)
LOGIN_MEMORY = dt.timedelta(days=1)  # failures older than this are forgotten
MIN_PASSWORD = 8
_HASHER = PasswordHasher()

_DDL = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL, password_changed_at TEXT NOT NULL, language TEXT NOT NULL DEFAULT 'zh'
);
CREATE TABLE IF NOT EXISTS audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '', client TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS login_attempts (at TEXT NOT NULL, name TEXT NOT NULL, client TEXT NOT NULL, ok INTEGER);
CREATE INDEX IF NOT EXISTS login_attempts_at ON login_attempts (at);
CREATE INDEX IF NOT EXISTS login_attempts_who ON login_attempts (name, client);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL,
    client TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS sessions_name ON sessions (name);
"""


class AuthError(IpnavError):
    """Wrong name or password, or too many attempts."""

    status = 401


class Forbidden(IpnavError):
    """The user may not do this (HTTP 403)."""

    status = 403


class TooManyAttempts(IpnavError):
    """Too many failed logins from this client or on this name (HTTP 429)."""

    status = 429


@dataclass(frozen=True)
class User:
    """A web user: name, role and language."""

    name: str
    role: str
    language: str = "zh"

    def can(self, role: str) -> bool:
        """Has at least the rights of `role` (admin > analyst > viewer)."""
        return ROLES.index(self.role) >= ROLES.index(role)


ANONYMOUS = User("anonymous", "viewer")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="microseconds")


class Accounts:
    """The accounts database of one workspace."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=10)) as con:
            con.executescript(_DDL)
        with self.transaction() as con:
            if "disabled" not in {r["name"] for r in con.execute("PRAGMA table_info(users)")}:
                con.execute("ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0")

    def ensure(self, ddl: str) -> None:
        """Create the tables (and indexes) of a feature that keeps its rows here, when missing."""
        with self.transaction() as con:
            for statement in filter(str.strip, ddl.split(";")):
                con.execute(statement)

    @contextmanager
    def transaction(self, *, immediate: bool = False) -> Iterator[sqlite3.Connection]:
        """A connection in one transaction; `immediate` takes the write lock first (check-then-write)."""
        con = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            con.execute("PRAGMA journal_mode=WAL")
            con.row_factory = sqlite3.Row
            con.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        finally:
            con.close()

    # --- users ---------------------------------------------------------------------------------

    def add(self, name: str, role: str, password: str, *, actor: str = "cli") -> User:
        """Add a user with a role and a password (audited); UsageError for a bad name, role or password."""
        name = _check_name(name)
        _check_role(role)
        _check_password(password)
        with self.transaction() as con:
            if con.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchone():
                raise UsageError(f"user {name!r} exists; use `ipnav user passwd {name}` to change the password")
            now = _now()
            con.execute(
                "INSERT INTO users (name, role, password_hash, created_at, password_changed_at) VALUES (?, ?, ?, ?, ?)",
                [name, role, _HASHER.hash(password), now, now],
            )
            self._audit(con, actor, "user.add", name, {"role": role})
        return User(name, role)

    def passwd(self, name: str, password: str, *, actor: str = "cli") -> None:
        """Set a user's password; the user's sessions end (audited)."""
        _check_password(password)
        with self.transaction() as con:
            changed = con.execute(
                "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE name = ?",
                [_HASHER.hash(password), _now(), name],
            ).rowcount
            if not changed:
                raise UsageError(f"no user {name!r}; `ipnav user list` shows them")
            self._end_sessions(con, name)
            self._audit(con, actor, "user.passwd", name, {})

    def set_role(self, name: str, role: str, *, actor: str) -> None:
        """Change a user's role; the user's sessions end (audited)."""
        _check_role(role)
        with self.transaction() as con:
            if not con.execute("UPDATE users SET role = ? WHERE name = ?", [role, name]).rowcount:
                raise UsageError(f"no user {name!r}")
            self._end_sessions(con, name)
            self._audit(con, actor, "user.role", name, {"role": role})

    def set_disabled(self, name: str, disabled: bool, *, actor: str) -> None:
        """Disable (no login, every session ended) or enable a user."""
        with self.transaction() as con:
            if not con.execute("UPDATE users SET disabled = ? WHERE name = ?", [int(disabled), name]).rowcount:
                raise UsageError(f"no user {name!r}; `ipnav user list` shows them")
            if disabled:
                self._end_sessions(con, name)
            self._audit(con, actor, "user.disable" if disabled else "user.enable", name, {})

    def unlock(self, name: str, *, client: str | None = None, actor: str) -> int:
        """Forget the failed logins of a user name (from one address, or from all); returns how many."""
        with self.transaction() as con:
            sql, params = "DELETE FROM login_attempts WHERE name = ? AND coalesce(ok, 0) = 0", [name]
            if client:
                sql, params = sql + " AND client = ?", [*params, client]
            count = con.execute(sql, params).rowcount
            self._audit(con, actor, "user.unlock", name, {"client": client or "*", "failures": count})
        return count

    def set_language(self, name: str, language: str) -> None:
        """Remember the user's page language."""
        with self.transaction() as con:
            con.execute("UPDATE users SET language = ? WHERE name = ?", [language, name])

    def list(self) -> list[dict[str, Any]]:
        """Every user with role, language, dates and whether disabled."""
        with self.transaction() as con:
            rows = con.execute(
                "SELECT name, role, language, created_at, password_changed_at, disabled FROM users ORDER BY name"
            ).fetchall()
        return [{**dict(r), "disabled": bool(r["disabled"])} for r in rows]

    def get(self, name: str) -> User | None:
        """A user by name, None when there is none."""
        with self.transaction() as con:
            row = con.execute("SELECT name, role, language FROM users WHERE name = ?", [name]).fetchone()
        return User(row["name"], row["role"], row["language"]) if row else None

    # --- sessions ------------------------------------------------------------------------------

    def open_session(self, user: User, client: str, hours: float) -> str:
        """A new session of `user`: its id, which the signed cookie carries."""
        sid = secrets.token_urlsafe(32)
        now = dt.datetime.now(dt.UTC)
        with self.transaction() as con:
            con.execute("DELETE FROM sessions WHERE expires_at < ?", [_iso(now)])
            con.execute(
                "INSERT INTO sessions (id, name, created_at, expires_at, client) VALUES (?, ?, ?, ?, ?)",
                [sid, user.name, _iso(now), _iso(now + dt.timedelta(hours=hours)), client],
            )
        return sid

    def session_user(self, sid: str) -> User | None:
        """The user of a live session (None when it ended, expired, or its user is disabled or gone)."""
        with self.transaction() as con:
            row = con.execute(
                "SELECT u.name, u.role, u.language FROM sessions s JOIN users u USING (name) "
                "WHERE s.id = ? AND s.expires_at >= ? AND u.disabled = 0",
                [sid, _iso(dt.datetime.now(dt.UTC))],
            ).fetchone()
        return User(row["name"], row["role"], row["language"]) if row else None

    def end_session(self, sid: str) -> None:
        """End one server-side session (logout)."""
        with self.transaction() as con:
            con.execute("DELETE FROM sessions WHERE id = ?", [sid])

    @staticmethod
    def _end_sessions(con: sqlite3.Connection, name: str) -> None:
        con.execute("DELETE FROM sessions WHERE name = ?", [name])

    # --- login ---------------------------------------------------------------------------------

    def authenticate(self, name: str, password: str, client: str) -> User:
        """The user, or AuthError; TooManyAttempts while (name, client) or the client is locked out."""
        with self.transaction(immediate=True) as con:  # count and reserve the attempt in one write transaction
            wait = _lockout(con, name, client, dt.datetime.now(dt.UTC))
            if wait is None:
                attempt = con.execute(
                    "INSERT INTO login_attempts (at, name, client, ok) VALUES (?, ?, ?, NULL)",
                    [_iso(dt.datetime.now(dt.UTC)), name, client],
                ).lastrowid  # pending: counts as a failure until the check below says otherwise
                row = con.execute(
                    "SELECT name, role, language, password_hash, disabled FROM users WHERE name = ?", [name]
                ).fetchone()
            else:
                self._audit(con, name or "?", "login.throttled", name, {"wait_seconds": wait}, client)
        if wait is not None:  # raised outside the transaction, so what was recorded stays recorded
            minutes = max(1, -(-wait // 60))
            raise TooManyAttempts(
                f"too many failed logins; try again in {minutes} minute(s) / 登录失败次数过多, 请 {minutes} 分钟后再试"
            )
        ok = False  # the slow hash runs outside any transaction
        if row is not None:
            try:
                ok = _HASHER.verify(row["password_hash"], password)
            except (VerificationError, InvalidHashError):
                ok = False
        else:
            _HASHER.hash(password)  # same work for unknown names: no timing hint that a name exists
        disabled = ok and row is not None and bool(row["disabled"])
        with self.transaction() as con:
            con.execute("UPDATE login_attempts SET ok = ? WHERE rowid = ?", [int(ok), attempt])
            if ok:  # a success forgets this pair's failures
                con.execute(
                    "DELETE FROM login_attempts WHERE name = ? AND client = ? AND coalesce(ok, 0) = 0", [name, client]
                )
            action = "login.disabled" if disabled else "login" if ok else "login.failed"
            self._audit(con, name or "?", action, name, {}, client)
            if ok and row is not None and _HASHER.check_needs_rehash(row["password_hash"]):
                con.execute("UPDATE users SET password_hash = ? WHERE name = ?", [_HASHER.hash(password), name])
        if disabled:
            raise AuthError("this account is disabled; ask an admin / 账户已停用, 请联系管理员")
        if not ok or row is None:
            raise AuthError("wrong user name or password / 用户名或密码错误")
        return User(row["name"], row["role"], row["language"])

    # --- audit ---------------------------------------------------------------------------------

    def audit(self, actor: str, action: str, target: str = "", detail: dict[str, Any] | None = None,
              client: str = "") -> None:  # fmt: skip
        """Record who did what to which target, with details and the client address."""
        with self.transaction() as con:
            self._audit(con, actor, action, target, detail or {}, client)

    @staticmethod
    def _audit(
        con: sqlite3.Connection, actor: str, action: str, target: str, detail: dict[str, Any], client: str = ""
    ) -> None:
        con.execute(
            "INSERT INTO audit_log (at, actor, action, target, detail, client) VALUES (?, ?, ?, ?, ?, ?)",
            [_now(), actor, action, target, json.dumps(detail, ensure_ascii=False, default=str), client],
        )

    def audit_log(self, limit: int = 200) -> builtins.list[dict[str, Any]]:
        """The latest audit entries, newest first."""
        with self.transaction() as con:
            rows = con.execute(
                "SELECT at, actor, action, target, detail, client FROM audit_log ORDER BY id DESC LIMIT ?", [limit]
            ).fetchall()
        return [dict(r) for r in rows]


def _lockout(con: sqlite3.Connection, name: str, client: str, now: dt.datetime) -> int | None:
    """Seconds a login of `name` from `client` must wait, or None when it may be tried now."""
    con.execute("DELETE FROM login_attempts WHERE at < ?", [_iso(now - LOGIN_MEMORY)])
    failures = [
        dt.datetime.fromisoformat(r[0])
        for r in con.execute(
            "SELECT at FROM login_attempts WHERE name = ? AND client = ? AND coalesce(ok, 0) = 0 ORDER BY at",
            [name, client],
        )
    ]
    until = now
    if len(failures) >= LOGIN_FREE_FAILURES:
        backoff = min(LOGIN_BACKOFF * 2 ** (len(failures) - LOGIN_FREE_FAILURES), LOGIN_BACKOFF_MAX)
        until = max(until, failures[-1] + backoff)
    recent = [
        dt.datetime.fromisoformat(r[0])
        for r in con.execute(
            "SELECT at FROM login_attempts WHERE client = ? AND coalesce(ok, 0) = 0 AND at >= ? ORDER BY at",
            [client, _iso(now - LOGIN_WINDOW)],
        )
    ]
    if len(recent) >= CLIENT_MAX_FAILURES:  # one address trying many names
        until = max(until, recent[-CLIENT_MAX_FAILURES] + LOGIN_WINDOW)
    return None if until <= now else int((until - now).total_seconds()) + 1


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 64 or any(c.isspace() or c in "<>&\"'/\\" for c in name):
        raise UsageError(f"user name {name!r}: 1-64 characters, no spaces, quotes, slashes or < > &")
    return name


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise UsageError(f"role {role!r}: use one of {', '.join(ROLES)}")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"password too short: at least {MIN_PASSWORD} characters / 密码至少 {MIN_PASSWORD} 位")


def secret_key(workspace_root: Path) -> str:
    """The workspace's session-signing key, created once (file mode 0600)."""
    path = workspace_root / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48), encoding="ascii")
        path.chmod(0o600)
    return path.read_text(encoding="ascii").strip()
