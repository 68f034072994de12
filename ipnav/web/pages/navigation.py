"""Patent navigation pages: the navigation pack of a selection, its report, and the thematic databases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ipnav.application.options import SelectionOptions
from ipnav.application.topics import topic_change
from ipnav.web import lanes
from ipnav.web.render import download, render, script_json
from ipnav.web.security import AnalystDep, AppDep, UserDep, WarehouseDep, client_of

router = APIRouter(include_in_schema=False)


@router.get("/navigate")
async def navigate_page(
    request: Request,
    ipnav: AppDep,
    wh: WarehouseDep,
    user: UserDep,
    selection: Annotated[str, Query(max_length=4000)] = "",
    as_of: Annotated[dt.date | None, Query()] = None,
) -> HTMLResponse:
    """The navigation pack of a selection with its charts."""
    pack = None
    if selection.strip():
        pack = await lanes.apart(ipnav.settings, "navigate", SelectionOptions(selection=selection, as_of=as_of))
    return render(
        request, "navigate.html", selection=selection, pack=pack,
        charts=script_json({k: a["option"] for k, a in pack["analyses"].items()}) if pack else "{}",
    )  # fmt: skip


@router.get("/navigate/report")
async def navigate_report(
    request: Request,
    ipnav: AppDep,
    wh: WarehouseDep,
    user: UserDep,
    selection: Annotated[str, Query(min_length=1, max_length=4000)],
    format: Annotated[str, Query(pattern="^(xlsx|docx|pdf|html)$")] = "xlsx",
) -> Response:
    """The navigation report of a selection as xlsx, docx, pdf or html."""

    def work(out: Path) -> None:
        ipnav.report(SelectionOptions(selection=selection), format, out, wh=wh)

    return await download(request, "report", format, work)


@router.get("/topics")
async def topics_page(request: Request, ipnav: AppDep, wh: WarehouseDep, user: UserDep) -> HTMLResponse:
    """The thematic databases, with what the last refresh changed."""
    rows = await run_in_threadpool(ipnav.topics, wh)
    return render(request, "topics.html", topics=rows, changed=request.session.pop("topic_change", None))


@router.post("/topics")
async def topics_create(
    request: Request,
    ipnav: AppDep,
    user: AnalystDep,
    name: Annotated[str, Form(min_length=1, max_length=100)],
    query: Annotated[str, Form(min_length=1, max_length=4000)],
    description: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Create a topic from the form and open its navigation."""
    await run_in_threadpool(
        lambda: ipnav.topic_create(name, query, description, actor=user.name, client=client_of(request))
    )
    return RedirectResponse(f"/navigate?{urlencode({'selection': f'topic:{name}'})}", status_code=303)


@router.post("/topics/{name}/refresh")
async def topics_refresh(request: Request, name: str, ipnav: AppDep, user: AnalystDep) -> Response:
    """Refresh a topic from the form."""
    data = await run_in_threadpool(lambda: ipnav.topic_refresh(name, actor=user.name, client=client_of(request)))
    request.session["topic_change"] = {"name": name, **topic_change(data)}
    return RedirectResponse("/topics", status_code=303)


@router.post("/topics/{name}/delete")
async def topics_delete(request: Request, name: str, ipnav: AppDep, user: AnalystDep) -> Response:
    """Delete a topic from the form."""
    await run_in_threadpool(lambda: ipnav.topic_delete(name, actor=user.name, client=client_of(request)))
    return RedirectResponse("/topics", status_code=303)
