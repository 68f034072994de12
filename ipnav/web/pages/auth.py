"""Sign in and out, and the page language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ipnav.errors import IpnavError
from ipnav.web.i18n import LANGUAGES
from ipnav.web.render import render
from ipnav.web.security import accounts, check_csrf, client_of, end_session, session_user, start_session

router = APIRouter(include_in_schema=False)


@router.get("/login")
async def login_page(request: Request, next: str = "/") -> HTMLResponse:
    """The login form."""
    return render(request, "login.html", next=_safe_next(next), message="")


@router.post("/login")
async def login_submit(
    request: Request,
    _: Annotated[None, Depends(check_csrf)],
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    """Log in from the form; the form again with the reason when it fails."""
    try:
        user = await run_in_threadpool(accounts(request).authenticate, name, password, client_of(request))
    except IpnavError as exc:
        return render(request, "login.html", status_code=exc.status, next=_safe_next(next), message=str(exc))
    lang = request.session.get("lang")
    await run_in_threadpool(start_session, request, user)
    if lang in LANGUAGES and lang != user.language:
        accounts(request).set_language(user.name, lang)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
async def logout(request: Request, _: Annotated[None, Depends(check_csrf)]) -> Response:
    """End the session and go to the login form."""
    await run_in_threadpool(end_session, request)
    return RedirectResponse("/login", status_code=303)


@router.post("/lang")
async def switch_language(
    request: Request,
    _: Annotated[None, Depends(check_csrf)],
    to: Annotated[str, Form(max_length=2)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Switch the page language; remembered for the user (or the session of a guest)."""
    lang = to if to in LANGUAGES else "zh"
    request.session["lang"] = lang
    user = session_user(request)
    if user is not None:
        accounts(request).set_language(user.name, lang)
    return RedirectResponse(_safe_next(next), status_code=303)


def _safe_next(target: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") else "/"
