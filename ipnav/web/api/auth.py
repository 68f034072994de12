"""Health, who is logged in, log in and out, and the audit log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ipnav import __version__
from ipnav.accounts import Forbidden
from ipnav.web.security import (
    AppDep,
    UserDep,
    accounts,
    check_csrf,
    client_of,
    csrf_token,
    end_session,
    session_user,
    start_session,
)

router = APIRouter(tags=["accounts"])


class LoginBody(BaseModel):
    """A login: name and password."""

    name: str = Field(max_length=64)
    password: str = Field(max_length=1024)


@router.get("/api/health", summary="Liveness and version")
async def health() -> dict[str, str]:
    """Liveness and version."""
    return {"status": "ok", "version": __version__}


@router.get("/api/me", summary="Who is logged in, and the CSRF token for changes / 当前用户")
async def api_me(request: Request, ipnav: AppDep) -> dict[str, Any]:
    """Who is logged in, whether the server is public, and the CSRF token for changes."""
    user = session_user(request)
    return {
        "user": None if user is None else {"name": user.name, "role": user.role, "language": user.language},
        "public": ipnav.settings.public,
        "csrf_token": csrf_token(request),
    }


@router.post("/api/login", summary="Log in (needs the CSRF token from /api/me) / 登录")
async def api_login(request: Request, body: LoginBody, _: Annotated[None, Depends(check_csrf)]) -> dict[str, Any]:
    """Log in; too many failures lock the name for this client for a while (429)."""
    user = await run_in_threadpool(accounts(request).authenticate, body.name, body.password, client_of(request))
    await run_in_threadpool(start_session, request, user)
    return {"user": {"name": user.name, "role": user.role}, "csrf_token": csrf_token(request)}


@router.post("/api/logout", summary="Log out / 退出")
async def api_logout(request: Request, _: Annotated[None, Depends(check_csrf)]) -> dict[str, str]:
    """End the session."""
    await run_in_threadpool(end_session, request)
    return {"status": "logged out"}


@router.get("/api/audit", summary="Audit log: who changed what, when / 审计日志")
async def api_audit(
    request: Request, user: UserDep, limit: Annotated[int, Query(ge=1, le=10000)] = 200
) -> list[dict[str, Any]]:
    """The audit log (admins only)."""
    if not user.can("admin"):
        raise Forbidden("the audit log is for admins / 仅管理员可查看")
    return await run_in_threadpool(accounts(request).audit_log, limit)
