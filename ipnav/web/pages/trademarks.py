"""Trademark pages: search with facets and export, a mark's page (goods by class and similar group, image,
events), and the navigation of a selection of marks (商标导航)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from ipnav.errors import IpnavError
from ipnav.web import lanes
from ipnav.web.render import download, language_of, render, script_json
from ipnav.web.security import AppDep, UserDep, WarehouseDep

router = APIRouter(include_in_schema=False)

PAGE = 20
# the facets of a search and the field each refines by
FACET_FIELDS = {"class": "class", "group": "group", "status": "status", "office": "office", "year": "ad",
                "owner": "owner", "province": "region"}  # fmt: skip
FACET_NAMES = {"class": ("类别", "class"), "group": ("类似群", "similar group"), "status": ("状态", "status"),
               "office": ("受理局", "office"), "year": ("申请年", "filing year"), "owner": ("权利人", "owner"),
               "province": ("省份", "province")}  # fmt: skip
EXAMPLES = ("小米", "xiaomi", "class=9 AND status=registered", "商标=能 AND 类别=30", "terra~1", "kind=certification")


@router.get("/trademarks")
async def trademark_search_page(
    request: Request,
    ipnav: AppDep,
    wh: WarehouseDep,
    user: UserDep,
    q: Annotated[str, Query(max_length=4000)] = "",
    sort: Annotated[str, Query(pattern=r"^(|relevance|-?ad|-?rd)$")] = "",
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> HTMLResponse:
    """Search marks: words (pinyin, traditional = simplified), word~1, fields; facets refine, pages go on."""
    data: dict[str, Any] | None = None
    error: str | None = None
    if q.strip():
        try:
            data = await lanes.quick(ipnav.trademark_search, q, limit=PAGE, offset=offset, sort=sort or None, wh=wh)
        except IpnavError as exc:
            if exc.status >= 500:
                raise
            error = str(exc)
    pages: dict[str, str | None] = {"next": None, "previous": None}
    if data:
        base = {"q": q, "sort": sort}
        if offset + PAGE < data["total"]:
            pages["next"] = "/trademarks?" + urlencode({**base, "offset": offset + PAGE})
        if offset:
            pages["previous"] = "/trademarks?" + urlencode({**base, "offset": max(0, offset - PAGE)})
    return render(
        request, "trademarks.html", q=q, sort=sort, data=data, error=error, pages=pages, offset=offset,
        facet_fields=FACET_FIELDS, facet_names=FACET_NAMES, examples=EXAMPLES,
        notice=request.session.pop("search_notice", None),
    )  # fmt: skip


@router.get("/trademarks/export")
async def trademark_export(
    request: Request,
    ipnav: AppDep,
    wh: WarehouseDep,
    user: UserDep,
    q: Annotated[str, Query(min_length=1, max_length=4000)],
    format: Annotated[str, Query(pattern="^(xlsx|csv)$")] = "xlsx",
) -> Response:
    """Every mark a query finds (no cap) as an Excel or CSV file."""

    def work(out: Path) -> None:
        ipnav.trademark_export(q, format, out, wh=wh)

    return await download(request, "trademarks", format, work)


@router.get("/trademarks/navigate")
async def trademark_navigate_page(
    request: Request,
    ipnav: AppDep,
    wh: WarehouseDep,
    user: UserDep,
    selection: Annotated[str, Query(max_length=4000)] = "",
    as_of: Annotated[dt.date | None, Query()] = None,
) -> HTMLResponse:
    """Every trademark analysis of a selection of marks, charted; each item opens the marks behind it."""
    pack = None
    charts: dict[str, Any] = {}
    error: str | None = None
    if selection.strip():
        try:
            pack = await lanes.heavy(ipnav.trademark_navigate, selection, as_of=as_of, wh=wh)
            charts = ipnav.localized_charts(pack, selection, language_of(request))
        except IpnavError as exc:
            if exc.status >= 500:
                raise
            error = str(exc)
    return render(request, "tm_navigate.html", selection=selection, pack=pack, error=error,
                  charts=script_json(charts))  # fmt: skip


@router.get("/trademarks/navigate/report")
async def trademark_navigate_report(
    request: Request,
    ipnav: AppDep,
    wh: WarehouseDep,
    user: UserDep,
    selection: Annotated[str, Query(min_length=1, max_length=4000)],
    format: Annotated[str, Query(pattern="^(xlsx|docx|pdf|html)$")] = "xlsx",
) -> Response:
    """The trademark navigation report of a selection as xlsx, docx, pdf or html."""
    lang = language_of(request)

    def work(out: Path) -> None:
        ipnav.trademark_report(selection, format, out, lang=lang, wh=wh)

    return await download(request, "trademark-report", format, work)


@router.get("/trademarks/{number}/image")
async def trademark_image(number: str, ipnav: AppDep, wh: WarehouseDep, user: UserDep) -> Response:
    """The mark's image when the file is local (embedded, beside its source file or in its archive)."""
    found = await lanes.quick(ipnav.trademark_image, number, wh)
    if found is None:
        return Response(status_code=404)
    data, media = found
    return Response(data, media_type=media, headers={"Cache-Control": "private, max-age=3600"})


@router.get("/trademarks/{number}")
async def trademark_page(request: Request, number: str, ipnav: AppDep, wh: WarehouseDep, user: UserDep) -> HTMLResponse:
    """One mark: numbers, status, dates, owners, goods by class and similar group, image, events."""

    def work() -> dict[str, Any]:
        mark = ipnav.trademark(number, wh)
        return {"m": mark, "has_image": ipnav.trademark_image(mark["number"], wh) is not None}

    return render(request, "trademark.html", **await lanes.quick(work))
