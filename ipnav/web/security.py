"""Who is asking, what they may do, and safe access to the warehouse from the web server.

* Sessions: a signed cookie (starlette `SessionMiddleware`, HttpOnly, SameSite=Lax, `Secure` when
  `secure_cookies` is on) holding a server-side session id (see `accounts`) and a CSRF token.
* Reads need a logged-in user, or public access (`ipnav serve --public`): anonymous = viewer.
* Every state-changing request carries the session's CSRF token (`X-CSRF-Token` header or a
  `csrf_token` form field); a missing or wrong token is 403.
* Warehouse: reads get a cursor of the published snapshot (`Ipnav.reading`); writes go through the
  process's one writer (`Ipnav.writing`), see `ipnav.store.snapshot`.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, Iterator
from typing import Annotated, TypeVar

from fastapi import Depends, Request

from ipnav.accounts import ANONYMOUS, Accounts, Forbidden, User
from ipnav.application import Ipnav
from ipnav.errors import IpnavError
from ipnav.store.warehouse import Warehouse

T = TypeVar("T")


class LoginRequired(IpnavError):
    """The request needs a logged-in user (HTTP 401; pages redirect to the login form)."""

    status = 401


def accounts(request: Request) -> Accounts:
    """The accounts of the server's workspace."""
    return application(request).accounts


def client_of(request: Request) -> str:
    """The client address (after TrustedProxies)."""
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


def signed_in(request: Request) -> User:
    """The logged-in user (401 for a guest): for what belongs to one person, such as a search history."""
    user = session_user(request)
    if user is None:
        raise LoginRequired("please log in / 请先登录")
    return user


async def check_csrf(request: Request) -> None:
    """Refuse a change without the session's CSRF token (403)."""
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


def application(request: Request) -> Ipnav:
    """The application object the server was built over."""
    return request.app.state.ipnav  # type: ignore[no-any-return]


def read_warehouse(request: Request, _: Annotated[User, Depends(current_user)]) -> Iterator[Warehouse]:
    """A read-only warehouse cursor for one request (many at once), over the published snapshot."""
    with application(request).reading() as wh:
        yield wh


WarehouseDep = Annotated[Warehouse, Depends(read_warehouse)]
UserDep = Annotated[User, Depends(current_user)]
SignedInDep = Annotated[User, Depends(signed_in)]
MemberDep = Annotated[User, Depends(require("viewer"))]  # signed in, with the CSRF token: a change of one's own
AnalystDep = Annotated[User, Depends(require("analyst"))]
AdminDep = Annotated[User, Depends(require("admin"))]
AppDep = Annotated[Ipnav, Depends(application)]
