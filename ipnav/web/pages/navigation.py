"""Patent navigation pages: the navigation pack of a selection and its report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from ipnav.application.options import SelectionOptions
from ipnav.web import lanes
from ipnav.web.render import download, render, script_json
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
