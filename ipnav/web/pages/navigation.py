"""Patent navigation pages: the navigation pack of a selection and its report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from ipnav.application import Ipnav
from ipnav.application.options import SelectionOptions
from ipnav.store.snapshot import memo
from ipnav.store.warehouse import Warehouse
from ipnav.web import lanes
from ipnav.web.render import download, language_of, render, script_json
from ipnav.web.security import AppDep, UserDep, WarehouseDep, session_user

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
    charts: dict[str, Any] = {}
    start: dict[str, Any] = {}
    if selection.strip():
        pack = await lanes.apart(ipnav.settings, "navigate", SelectionOptions(selection=selection, as_of=as_of))
        charts = ipnav.localized_charts(pack, selection, language_of(request))
    else:  # the start page: examples from the data, the topics, the user's recent searches
        start = await run_in_threadpool(_start, request, ipnav, wh)
    return render(request, "navigate.html", selection=selection, pack=pack, charts=script_json(charts), **start)


def _start(request: Request, ipnav: Ipnav, wh: Warehouse) -> dict[str, Any]:
    user = session_user(request)
    return {
        "examples": memo(wh, ("navigation-examples",), lambda: ipnav.navigation_examples(wh=wh)),
        "topics": ipnav.topics(wh),
        "recent": ipnav.searches.history(user.name, 8) if user is not None else [],
    }


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

    lang = language_of(request)

    def work(out: Path) -> None:
        ipnav.report(SelectionOptions(selection=selection), format, out, wh=wh, lang=lang)

    return await download(request, "report", format, work)
