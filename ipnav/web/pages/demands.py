"""Supply and demand pages (技术供需对接): the demands (analysts post them; import and template through the
register's page), a demand's matches with reasons and filters, the matchmaking workbook, the offers, and
"who needs my patents" for an owner or a patent."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ipnav.errors import IpnavError
from ipnav.matching.match import STATUSES, MatchOptions
from ipnav.normalize.names import APPLICANT_TYPES
from ipnav.web import lanes
from ipnav.web.render import change_then_back, download, render
from ipnav.web.security import AnalystDep, AppDep, MemberDep, UserDep, WarehouseDep

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=4000)]
Short = Annotated[str, Form(max_length=300)]


def split(text: str) -> list[str]:
    """Several values typed in one box: separated by commas, semicolons, 、 or spaces."""
    import re

    return [v for v in re.split(r"[,;，；、\s]+", text) if v]


@router.get("/demands")
async def demands_page(
    request: Request, ipnav: AppDep, wh: WarehouseDep, user: UserDep, every: Annotated[int, Query(ge=0, le=1)] = 0
) -> HTMLResponse:
    """The demands (open ones, or all), the form to post one and the offers."""
    analyst = user.can("analyst")

    def work() -> dict[str, Any]:
        return {"demands": ipnav.list_needs("tech_demand", private=analyst, open_only=not every, wh=wh),
                "offers": ipnav.list_needs("tech_offer", private=analyst, wh=wh),
                "coverage": ipnav.embedding_coverage(wh)}  # fmt: skip

    data = await lanes.quick(work)
    return render(request, "demands.html", **data, every=every, error=request.session.pop("demand_error", None),
                  saved=request.session.pop("demand_saved", None))  # fmt: skip


def _place(region: str) -> dict[str, str]:
    region = region.strip()
    return {} if not region else {"adcode": region} if region.isdigit() and len(region) == 6 else {"address": region}


@router.post("/demands")
async def post_demand(
    request: Request, ipnav: AppDep, user: AnalystDep, title: Short, description: Text, enterprise: Short = "",
    region: Short = "", field: Short = "", ipc: Short = "", keywords: Short = "", budget: Short = "",
    deadline: Short = "", cooperation: Short = "", contact: Short = "", phone: Short = "",
) -> Response:  # fmt: skip
    """Analysts post a demand; it is checked like an imported row, then its matches are shown."""
    values = {"title": title, "description": description, "holder": enterprise, "field": field, "ipc": split(ipc),
              "keywords": split(keywords), "budget": budget, "deadline": deadline, "cooperation": split(cooperation),
              "contact": contact, "phone": phone, **_place(region)}  # fmt: skip
    try:
        stored = await run_in_threadpool(lambda: ipnav.add_need("tech_demand", values, user=user.name))
    except IpnavError as exc:
        if exc.status >= 500:
            raise
        request.session["demand_error"] = str(exc)
        return RedirectResponse("/demands#post", status_code=303)
    return RedirectResponse(f"/demands/{stored['app_key']}", status_code=303)


@router.post("/offers")
async def post_offer(
    request: Request, ipnav: AppDep, user: AnalystDep, title: Short, description: Text, holder: Short,
    patents: Short = "", region: Short = "", field: Short = "", ipc: Short = "", price: Short = "",
    cooperation: Short = "", contact: Short = "", phone: Short = "",
) -> Response:  # fmt: skip
    """A tech-transfer office posts an offer."""
    values = {"title": title, "description": description, "holder": holder, "numbers": split(patents),
              "field": field, "ipc": split(ipc), "amount": price, "cooperation": split(cooperation),
              "contact": contact, "phone": phone, **_place(region)}  # fmt: skip

    def work() -> None:
        stored = ipnav.add_need("tech_offer", values, user=user.name)
        request.session["demand_saved"] = f"{stored['number']} {stored['name']}"

    return await change_then_back(request, work, "/demands#offers", "demand_error")


@router.get("/demands/fits")
async def fits_page(
    request: Request, ipnav: AppDep, wh: WarehouseDep, user: UserDep,
    owner: Annotated[str, Query(max_length=200)] = "", patent: Annotated[str, Query(max_length=100)] = "",
) -> HTMLResponse:  # fmt: skip
    """Who needs my patents: the open demands an owner's valid patents (or one patent) fit."""
    result, error = None, request.session.pop("demand_error", None)
    if owner or patent:
        try:
            result = await lanes.quick(ipnav.demands_for, number=patent, owner=owner,
                                       private=user.can("analyst"), wh=wh)  # fmt: skip
        except IpnavError as exc:
            if exc.status >= 500:
                raise
            error = str(exc)
    return render(request, "demand_fits.html", owner=owner, patent=patent, result=result, error=error)


@router.post("/demands/fits/follow")
async def follow_owner(request: Request, ipnav: AppDep, user: MemberDep, owner: Short) -> Response:
    """Hear of new demands the owner's patents fit (alerts)."""
    return await change_then_back(request, lambda: ipnav.follow_owner(user.name, owner),
                                  f"/demands/fits?owner={owner}", "demand_error")  # fmt: skip


def _options(status: str, owner_type: list[str], open_licence: int, limit: int) -> MatchOptions:
    return MatchOptions(limit=limit, status=status if status in STATUSES else "valid",
                        owner_types=tuple(t for t in owner_type if t in APPLICANT_TYPES),
                        open_licence=bool(open_licence))  # fmt: skip


@router.get("/demands/export")
async def export_matchmaking(
    request: Request, ipnav: AppDep, user: UserDep, demand: Annotated[list[str] | None, Query()] = None,
    status: str = "valid", owner_type: Annotated[list[str] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Response:  # fmt: skip
    """The matchmaking workbook (one sheet per demand) of some demands, or of every open one."""
    options = _options(status, owner_type or [], 0, limit)
    return await download(request, "ipnav-matchmaking", "xlsx",
                          lambda out: ipnav.matchmaking_workbook(list(demand or []), options, out))  # fmt: skip


@router.get("/demands/{key:path}")
async def demand_page(
    request: Request, key: str, ipnav: AppDep, wh: WarehouseDep, user: UserDep,
    status: str = "valid", owner_type: Annotated[list[str] | None, Query()] = None,
    open_licence: Annotated[int, Query(ge=0, le=1)] = 0, limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> HTMLResponse:  # fmt: skip
    """A demand with its matched patents and offers, the reasons of each, and filters."""
    options = _options(status, owner_type or [], open_licence, limit)
    result = await lanes.quick(ipnav.demand_matches, key, options, private=user.can("analyst"), wh=wh)
    return render(request, "demand.html", r=result, options=options, owner_types=APPLICANT_TYPES,
                  error=request.session.pop("demand_error", None))  # fmt: skip


@router.post("/demands/{key:path}/follow")
async def follow_demand(request: Request, key: str, ipnav: AppDep, user: MemberDep) -> Response:
    """Hear of new patents that fit this demand (alerts)."""
    return await change_then_back(request, lambda: ipnav.follow_demand(user.name, key), f"/demands/{key}",
                                  "demand_error")  # fmt: skip
