"""Alerts in the web: the inbox (the notifications of saved searches and watches, read or unread, the
e-mail address alerts go to, the secret feed address), the Atom feed, and the admin's retry."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ipnav.errors import RecordNotFound
from ipnav.web.render import change_then_back, render
from ipnav.web.security import AdminDep, AppDep, MemberDep, SignedInDep

router = APIRouter(include_in_schema=False)


@router.get("/inbox")
async def inbox_page(request: Request, ipnav: AppDep, user: SignedInDep) -> HTMLResponse:
    """The user's notifications, newest first, unread ones marked."""
    data = await run_in_threadpool(ipnav.alert_summary, user.name)
    return render(request, "inbox.html", data=data, error=request.session.pop("inbox_error", None))


@router.post("/inbox/read")
async def inbox_read(
    ipnav: AppDep, user: MemberDep, ids: Annotated[list[int] | None, Form(max_length=1000)] = None
) -> Response:
    """Mark the chosen notifications (none chosen: all) read."""
    await run_in_threadpool(ipnav.alerts.mark_read, user.name, ids or None)
    return RedirectResponse("/inbox", status_code=303)


@router.post("/inbox/email")
async def inbox_email(
    request: Request, ipnav: AppDep, user: MemberDep, email: Annotated[str, Form(max_length=254)] = ""
) -> Response:
    """Set (or clear) the address the user's alerts are mailed to."""
    return await change_then_back(request, lambda: ipnav.alerts.set_email(user.name, email), "/inbox", "inbox_error")


@router.get("/feeds/{token}.atom")
async def feed(request: Request, token: str, ipnav: AppDep) -> Response:
    """A user's notifications as Atom, opened by the secret token (no sign-in: for feed readers)."""
    body = await run_in_threadpool(ipnav.alert_feed, token, str(request.base_url))
    if body is None:
        raise RecordNotFound("feed", token[:4] + "…")
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@router.post("/admin/alerts/deliver")
async def admin_deliver(request: Request, ipnav: AppDep, user: AdminDep) -> Response:
    """Try the due deliveries now (admins)."""
    result = await run_in_threadpool(lambda: ipnav.deliver_alerts(now=True))
    request.session["admin_message"] = f"sent {result['sent']}, failed {result['failed']}"
    return RedirectResponse("/admin", status_code=303)
