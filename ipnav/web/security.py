"""Who is asking, what they may do, and safe access to the warehouse from the web server.

* Sessions: a signed cookie (starlette `SessionMiddleware`, HttpOnly, SameSite=Lax, `Secure` when
  `secure_cookies` is on) holding the user name and a CSRF token.
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
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import Depends, Request

from ipnav.errors import IpnavError
from ipnav.store.warehouse import Warehouse
from ipnav.web.accounts import ANONYMOUS, Accounts, Forbidden, User


class LoginRequired(IpnavError):
    status = 401


class ReadersWriter:
    """Many readers or one writer."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextmanager
    def read(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing)
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing)
            self._writing = True
            self._cond.wait_for(lambda: self._readers == 0)
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


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
    name = request.session.get("user")
    if not name:
        return None
    user = accounts(request).get(str(name))
    if user is None:  # deleted since: forget the session
        request.session.pop("user", None)
    return user


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
    """A read-only warehouse connection for one request (many at once)."""
    lock: ReadersWriter = request.app.state.warehouse_lock
    with lock.read():
        wh = Warehouse(request.app.state.workspace.warehouse_path, read_only=True)
        try:
            yield wh
        finally:
            wh.close()


@contextmanager
def write_warehouse(request: Request) -> Iterator[Warehouse]:
    """The read-write connection, alone (raises WarehouseBusy when an ingest holds the file)."""
    lock: ReadersWriter = request.app.state.warehouse_lock
    with lock.write():
        wh = Warehouse(request.app.state.workspace.warehouse_path)
        try:
            yield wh
        finally:
            wh.close()


def audit(request: Request, user: User, action: str, target: str = "", detail: dict[str, Any] | None = None) -> None:
    accounts(request).audit(user.name, action, target, detail, client_of(request))
