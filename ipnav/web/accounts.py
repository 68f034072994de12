"""Accounts, roles, login throttling and the audit log, in `WORKSPACE/accounts.sqlite`.

Kept apart from the DuckDB warehouse on purpose: the web server reads the warehouse through
read-only connections (so an ingest can take the write lock at any time), while logins and the
audit log must be written on every request that changes something. SQLite in WAL mode takes
those small concurrent writes.

Roles: `admin` (users, settings, ingest), `analyst` (topics, reports, manual data), `viewer` (read).
Passwords are hashed with Argon2id (argon2-cffi defaults: RFC 9106 low-memory profile).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ipnav.errors import IpnavError, UsageError

ROLES: tuple[str, ...] = ("viewer", "analyst", "admin")
ROLE_ZH = {"viewer": "只读用户", "analyst": "分析人员", "admin": "管理员"}
LOGIN_WINDOW = dt.timedelta(minutes=15)
LOGIN_MAX_FAILURES = 5  # per user name and per client address within the window
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
"""


class AuthError(IpnavError):
    """Wrong name or password, or too many attempts."""

    status = 401


class Forbidden(IpnavError):
    status = 403


class TooManyAttempts(IpnavError):
    status = 429


@dataclass(frozen=True)
class User:
    name: str
    role: str
    language: str = "zh"

    def can(self, role: str) -> bool:
        """Has at least the rights of `role` (admin > analyst > viewer)."""
        return ROLES.index(self.role) >= ROLES.index(role)


ANONYMOUS = User("anonymous", "viewer")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Accounts:
    """The accounts database of one workspace."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.executescript(_DDL)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=10)
        try:
            con.execute("PRAGMA journal_mode=WAL")
            con.row_factory = sqlite3.Row
            with con:
                yield con
        finally:
            con.close()

    # --- users ---------------------------------------------------------------------------------

    def add(self, name: str, role: str, password: str, *, actor: str = "cli") -> User:
        name = _check_name(name)
        _check_role(role)
        _check_password(password)
        with self._connect() as con:
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
        _check_password(password)
        with self._connect() as con:
            changed = con.execute(
                "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE name = ?",
                [_HASHER.hash(password), _now(), name],
            ).rowcount
            if not changed:
                raise UsageError(f"no user {name!r}; `ipnav user list` shows them")
            self._audit(con, actor, "user.passwd", name, {})

    def set_role(self, name: str, role: str, *, actor: str) -> None:
        _check_role(role)
        with self._connect() as con:
            if not con.execute("UPDATE users SET role = ? WHERE name = ?", [role, name]).rowcount:
                raise UsageError(f"no user {name!r}")
            self._audit(con, actor, "user.role", name, {"role": role})

    def set_language(self, name: str, language: str) -> None:
        with self._connect() as con:
            con.execute("UPDATE users SET language = ? WHERE name = ?", [language, name])

    def list(self) -> list[dict[str, Any]]:
        with self._connect() as con:
            rows = con.execute(
                "SELECT name, role, language, created_at, password_changed_at FROM users ORDER BY name"
            ).fetchall()
        return [dict(r) for r in rows]

    def get(self, name: str) -> User | None:
        with self._connect() as con:
            row = con.execute("SELECT name, role, language FROM users WHERE name = ?", [name]).fetchone()
        return User(row["name"], row["role"], row["language"]) if row else None

    # --- login ---------------------------------------------------------------------------------

    def authenticate(self, name: str, password: str, client: str) -> User:
        """The user, or AuthError; more than LOGIN_MAX_FAILURES failures in the window → TooManyAttempts."""
        with self._connect() as con:
            since = (dt.datetime.now(dt.UTC) - LOGIN_WINDOW).isoformat(timespec="seconds")
            con.execute("DELETE FROM login_attempts WHERE at < ?", [since])
            failures = con.execute(
                "SELECT count(*) FROM login_attempts WHERE ok = 0 AND at >= ? AND (name = ? OR client = ?)",
                [since, name, client],
            ).fetchone()[0]
            throttled = failures >= LOGIN_MAX_FAILURES
            if throttled:
                self._audit(con, name or "?", "login.throttled", name, {}, client)
            row = (
                None
                if throttled
                else con.execute(
                    "SELECT name, role, language, password_hash FROM users WHERE name = ?", [name]
                ).fetchone()
            )
        if throttled:  # raised outside the transaction, so what was recorded stays recorded
            raise TooManyAttempts(
                f"too many failed logins; try again in {int(LOGIN_WINDOW.total_seconds() // 60)} minutes"
                " / 登录失败次数过多, 请稍后再试"
            )
        ok = False  # the slow hash runs outside any transaction
        if row is not None:
            try:
                ok = _HASHER.verify(row["password_hash"], password)
            except (VerificationError, InvalidHashError):
                ok = False
        else:
            _HASHER.hash(password)  # same work for unknown names: no timing hint that a name exists
        with self._connect() as con:
            con.execute("INSERT INTO login_attempts VALUES (?, ?, ?, ?)", [_now(), name, client, int(ok)])
            self._audit(con, name or "?", "login" if ok else "login.failed", name, {}, client)
            if ok and row is not None and _HASHER.check_needs_rehash(row["password_hash"]):
                con.execute("UPDATE users SET password_hash = ? WHERE name = ?", [_HASHER.hash(password), name])
        if not ok or row is None:
            raise AuthError("wrong user name or password / 用户名或密码错误")
        return User(row["name"], row["role"], row["language"])

    # --- audit ---------------------------------------------------------------------------------

    def audit(self, actor: str, action: str, target: str = "", detail: dict[str, Any] | None = None,
              client: str = "") -> None:  # fmt: skip
        with self._connect() as con:
            self._audit(con, actor, action, target, detail or {}, client)

    @staticmethod
    def _audit(
        con: sqlite3.Connection, actor: str, action: str, target: str, detail: dict[str, Any], client: str = ""
    ) -> None:
        con.execute(
            "INSERT INTO audit_log (at, actor, action, target, detail, client) VALUES (?, ?, ?, ?, ?, ?)",
            [_now(), actor, action, target, json.dumps(detail, ensure_ascii=False, default=str), client],
        )

    def audit_log(self, limit: int = 200) -> list[dict[str, Any]]:
        with self._connect() as con:
            rows = con.execute(
                "SELECT at, actor, action, target, detail, client FROM audit_log ORDER BY id DESC LIMIT ?", [limit]
            ).fetchall()
        return [dict(r) for r in rows]


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
