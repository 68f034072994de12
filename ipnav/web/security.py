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

import atexit
import hmac
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, ClassVar, TypeVar

from fastapi import Depends, Request

from ipnav.errors import IpnavError, WarehouseBusy
from ipnav.store.warehouse import Warehouse
from ipnav.web.accounts import ANONYMOUS, Accounts, Forbidden, User

T = TypeVar("T")


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


class SharedReader:
    """One read-only DuckDB connection per server process, a cursor per request.

    Opening the database file costs ~15 ms, a cursor almost nothing. The connection is closed when
    the server has been idle for `idle_seconds` (so a command-line ingest can take the file between
    bursts of requests) and before every write of the server itself.
    """

    _by_path: ClassVar[dict[Path, SharedReader]] = {}
    _registry: ClassVar[threading.Lock] = threading.Lock()

    @classmethod
    def for_path(cls, path: Path) -> SharedReader:
        """The process's reader of one warehouse file (several apps in one process share it)."""
        key = path.resolve()
        with cls._registry:
            if key not in cls._by_path:
                reader = cls(key, ReadersWriter())
                atexit.register(reader.shutdown)  # no idle timer may fire into DuckDB while Python exits
                cls._by_path[key] = reader
            return cls._by_path[key]

    def __init__(self, path: Path, lock: ReadersWriter, idle_seconds: float = 1.0) -> None:
        self.path = path
        self.lock = lock
        self.idle_seconds = idle_seconds
        self._con: Any = None
        self._guard = threading.Lock()
        self._active = 0
        self._generation = 0
        self._timer: threading.Timer | None = None
        self.busy = ""  # set while a long write (an ingest started from the web) holds the file

    @contextmanager
    def cursor(self) -> Iterator[Warehouse]:
        if self.busy:
            raise WarehouseBusy(self.busy)
        with self.lock.read():
            with self._guard:
                if self._con is None:
                    self._con = Warehouse(self.path, read_only=True).con  # WarehouseBusy while an ingest writes
                self._active += 1
                self._generation += 1
                con = self._con
            wh = Warehouse.cursor_of(con, self.path, read_only=True)
            try:
                yield wh
            finally:
                wh.close()
                with self._guard:
                    self._active -= 1
                    if self._active == 0:
                        if self._timer is not None:
                            self._timer.cancel()
                        self._timer = threading.Timer(self.idle_seconds, self._close_if_idle, [self._generation])
                        self._timer.daemon = True
                        self._timer.start()

    def _close_if_idle(self, generation: int) -> None:
        with self._guard:
            if self._active == 0 and self._generation == generation:
                self.close()

    def shutdown(self) -> None:
        with self._guard:
            if self._timer is not None:
                self._timer.cancel()
            self.close()

    @contextmanager
    def exclusive(self, reason: str) -> Iterator[None]:
        """Hold the file for a long write: new reads are answered at once with 503 `reason`."""
        self.busy = reason
        try:
            with self.lock.write():
                with self._guard:
                    self.close()
                yield
        finally:
            self.busy = ""

    @contextmanager
    def writer(self) -> Iterator[Warehouse]:
        """The read-write connection, alone: waits for the readers, closes the shared read-only one."""
        with self.lock.write():
            with self._guard:
                self.close()  # DuckDB: no read-only and read-write connections to one file in one process
            wh = Warehouse(self.path)
            try:
                yield wh
            finally:
                wh.close()

    def close(self) -> None:
        """Close the connection (callers hold the write lock or the guard)."""
        if self._con is not None:
            self._con.close()
            self._con = None


def read_warehouse(request: Request, _: Annotated[User, Depends(current_user)]) -> Iterator[Warehouse]:
    """A read-only warehouse cursor for one request (many at once)."""
    reader: SharedReader = request.app.state.warehouse_reader
    with reader.cursor() as wh:
        yield wh


@contextmanager
def write_warehouse(request: Request) -> Iterator[Warehouse]:
    """The read-write connection, alone (raises WarehouseBusy when an ingest holds the file)."""
    reader: SharedReader = request.app.state.warehouse_reader
    with reader.writer() as wh:
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
        with write_warehouse(request) as wh:
            return work(wh)

    result = await run_in_threadpool(run)
    audit(request, user, action, target, detail(result) if detail else {})
    return result


def topic_change(data: dict[str, Any]) -> dict[str, Any]:
    """What a topic refresh changed, for the audit log and the page."""
    return {k: data.get(k) for k in ("added", "removed", "size")}
