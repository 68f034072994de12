"""Who is asking, what they may do, and safe access to the warehouse from the web server.

* Sessions: a signed cookie (starlette `SessionMiddleware`, HttpOnly, SameSite=Lax, `Secure` when
  `secure_cookies` is on) holding a server-side session id (see `accounts`) and a CSRF token.
* Reads need a logged-in user, or public access (`ipnav serve --public`): anonymous = viewer.
* Every state-changing request carries the session's CSRF token (`X-CSRF-Token` header or a
  `csrf_token` form field); a missing or wrong token is 403.
* Warehouse: DuckDB lets one process hold either read-only or read-write connections to a file,
  not both, so requests share a readers-writer lock: reads open read-only connections together; a
  write waits for them, opens the one read-write connection, and blocks new reads until it is done.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request

from ipnav.accounts import ANONYMOUS, Accounts, Forbidden, User
from ipnav.errors import IpnavError
from ipnav.store.snapshot import SnapshotReader
from ipnav.store.warehouse import Warehouse

T = TypeVar("T")


class LoginRequired(IpnavError):
    status = 401


def accounts(request: Request) -> Accounts:
    return request.app.state.accounts  # type: ignore[no-any-return]


def client_of(request: Request) -> str:
    return request.client.host if request.client else ""


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


def session_user(request: Request) -> User | None:
    """The user of the request's session; None when there is none or it has ended (looked up once per request)."""
    if "ipnav_user" in request.scope:
        return request.scope["ipnav_user"]  # type: ignore[no-any-return]
    sid = request.session.get("sid")
    user = accounts(request).session_user(str(sid)) if sid else None
    if sid and user is None:  # ended (logout elsewhere, password or role change, disabled) or expired
        request.session.pop("sid", None)
    request.scope["ipnav_user"] = user
    return user


def start_session(request: Request, user: User) -> None:
    """Log `user` in: a new server-side session (and CSRF token), keeping the page language."""
    lang = request.session.get("lang")
    request.session.clear()
    settings = request.app.state.settings
    request.session["sid"] = accounts(request).open_session(user, client_of(request), settings.session_hours)
    if lang:
        request.session["lang"] = lang
    request.scope["ipnav_user"] = user


def end_session(request: Request) -> None:
    """Log out: the session ends on the server too, so a copy of the cookie is worth nothing."""
    sid = request.session.get("sid")
    if sid:
        accounts(request).end_session(str(sid))
    request.session.clear()
    request.scope["ipnav_user"] = None


def current_user(request: Request) -> User:
    """The logged-in user; anonymous viewer when public access is on; else 401."""
    user = session_user(request)
    if user is not None:
        return user
    if request.app.state.settings.public:
        return ANONYMOUS
    raise LoginRequired("please log in / 请先登录")


async def check_csrf(request: Request) -> None:
    expected = request.session.get("csrf")
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not hmac.compare_digest(str(expected), sent):
        raise Forbidden("missing or wrong CSRF token / 缺少或错误的 CSRF 令牌")


def require(role: str) -> Callable[..., User]:
    """Dependency: the current user, who must have at least `role` (and a valid CSRF token)."""

    def dependency(request: Request, _: Annotated[None, Depends(check_csrf)]) -> User:
        user = session_user(request)
        if user is None:
            raise LoginRequired("please log in / 请先登录")
        if not user.can(role):
            raise Forbidden(f"{user.name} ({user.role}) may not do this: needs {role} / 权限不足")
        return user

    return dependency


def read_warehouse(request: Request, _: Annotated[User, Depends(current_user)]) -> Iterator[Warehouse]:
    """A read-only warehouse cursor for one request (many at once), over the published snapshot."""
    reader: SnapshotReader = request.app.state.warehouse_reader
    with reader.cursor() as wh:
        yield wh


@contextmanager
def write_warehouse(request: Request, what: str) -> Iterator[Warehouse]:
    """The read-write warehouse, alone (WarehouseBusy when an ingest holds it for longer than the lock wait)."""
    reader: SnapshotReader = request.app.state.warehouse_reader
    with reader.writer(what) as wh:
        yield wh


def audit(request: Request, user: User, action: str, target: str = "", detail: dict[str, Any] | None = None) -> None:
    accounts(request).audit(user.name, action, target, detail, client_of(request))


async def change(
    request: Request,
    user: User,
    action: str,
    target: str,
    work: Callable[[Warehouse], T],
    detail: Callable[[T], dict[str, Any]] | None = None,
) -> T:
    """Run `work` on the read-write warehouse (in a worker thread) and record it in the audit log."""
    from starlette.concurrency import run_in_threadpool

    def run() -> T:
        with write_warehouse(request, f"{action} by {user.name}") as wh:
            return work(wh)

    result = await run_in_threadpool(run)
    audit(request, user, action, target, detail(result) if detail else {})
    return result


def topic_change(data: dict[str, Any]) -> dict[str, Any]:
    """What a topic refresh changed, for the audit log and the page."""
    return {k: data.get(k) for k in ("added", "removed", "size")}
