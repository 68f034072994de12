"""Patent navigation pages: the navigation pack of a selection and its report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from ipnav.application.options import SelectionOptions
from ipnav.web import lanes
from ipnav.web.render import download, language_of, render, script_json
from ipnav.web.security import AppDep, UserDep, WarehouseDep

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
    if selection.strip():
        pack = await lanes.apart(ipnav.settings, "navigate", SelectionOptions(selection=selection, as_of=as_of))
        charts = ipnav.localized_charts(pack, selection, language_of(request))
    return render(request, "navigate.html", selection=selection, pack=pack, charts=script_json(charts))


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
