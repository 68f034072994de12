"""Trademark watch pages: the user's watches with the similar marks they find and the deadline to oppose
(商标监测), and the applicants with bad-faith filing signals (恶意注册风险)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ipnav.errors import IpnavError
from ipnav.web.render import change_then_back, render
from ipnav.web.security import AppDep, MemberDep, SignedInDep, UserDep, WarehouseDep

router = APIRouter(include_in_schema=False)


def _numbers(text: str) -> list[int]:
    return [int(c) for c in re.split(r"[,\s，、]+", text) if c.strip().isdigit()]


@router.get("/trademarks/watches")
async def watches_page(
    request: Request,
    ipnav: AppDep,
    wh: WarehouseDep,
    user: SignedInDep,
    since: Annotated[str, Query(pattern=r"^(\d{4}-\d{2}-\d{2})?$")] = "",
) -> HTMLResponse:
    """The user's watches and, for each, the similar marks of others published since a date."""
    error = request.session.pop("watch_error", None)

    def work() -> dict[str, Any]:
        day = dt.date.fromisoformat(since) if since else None
        return ipnav.watch_run(since=day, user=user.name, wh=wh)

    try:
        result = await run_in_threadpool(work)
    except IpnavError as exc:
        if exc.status >= 500:
            raise
        result, error = {"watches": [], "hits": 0, "new": 0}, str(exc)
    watches = {w["name"]: w for w in ipnav.watches.listing(user.name)}
    return render(request, "tm_watches.html", since=since, result=result, watches=watches, error=error)


@router.post("/trademarks/watches")
async def add_watch(
    request: Request,
    ipnav: AppDep,
    user: MemberDep,
    name: Annotated[str, Form(min_length=1, max_length=100)],
    mark: Annotated[str, Form(max_length=200)] = "",
    holder: Annotated[str, Form(max_length=200)] = "",
    classes: Annotated[str, Form(max_length=200)] = "",
    groups: Annotated[str, Form(max_length=400)] = "",
    threshold: Annotated[int, Form(ge=1, le=100)] = 60,
) -> Response:
    """Add (or replace) one of the user's watches."""
    return await change_then_back(request, lambda: ipnav.watches.add(
        user.name, name, mark=mark, holder=holder, classes=_numbers(classes), threshold=threshold,
        groups=[g for g in re.split(r"[,\s;，、]+", groups) if g]), "/trademarks/watches", "watch_error")  # fmt: skip


@router.post("/trademarks/watches/{name}/delete")
async def delete_watch(name: str, ipnav: AppDep, user: MemberDep) -> Response:
    """Remove one of the user's watches."""
    await run_in_threadpool(lambda: ipnav.watches.remove(user.name, name))
    return RedirectResponse("/trademarks/watches", status_code=303)


@router.get("/trademarks/risk")
async def risk_page(
    request: Request,
    ipnav: AppDep,
    wh: WarehouseDep,
    user: UserDep,
    region: Annotated[str, Query(max_length=50)] = "",
) -> HTMLResponse:
    """Applicants with bad-faith filing signals, each with its evidence; the thresholds and why."""
    error = None
    try:
        result = await run_in_threadpool(lambda: ipnav.trademark_risk(region=region, wh=wh))
    except IpnavError as exc:
        if exc.status >= 500:
            raise
        result, error = None, str(exc)
    return render(request, "tm_risk.html", region=region, result=result, error=error)
