"""The home page, search (with export of every hit) and the patent page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from ipnav.application import Ipnav
from ipnav.application.options import SearchOptions, ValueOptions
from ipnav.errors import IpnavError
from ipnav.normalize.region import short_name
from ipnav.store.snapshot import memo
from ipnav.web import lanes
from ipnav.web.pages.assets import map_names
from ipnav.web.render import download, render, script_json
from ipnav.web.security import AppDep, UserDep, WarehouseDep, session_user

router = APIRouter(include_in_schema=False)

SEARCH_FIELDS = (
    ("tiabc", "标题/摘要/权利要求", "title/abstract/claims"),
    ("ti", "名称", "title"),
    ("ab", "摘要", "abstract"),
    ("cl", "权利要求", "claims"),
    ("pa", "申请人/专利权人", "applicant"),
    ("in", "发明人", "inventor"),
    ("ipc", "IPC", "IPC"),
    ("an", "申请号", "application no."),
    ("pn", "公开号", "publication no."),
    ("ad", "申请日", "filing date"),
    ("region", "地区", "region"),
    ("type", "专利类型", "patent type"),
    ("status", "法律状态", "legal status"),
    ("sei", "战略性新兴产业", "strategic emerging industry"),
    ("value", "价值度", "value score"),
)
# the hit table's columns: (key, i18n key, shown unless the user chose otherwise)
HIT_COLUMNS = (
    ("app_number", "app_number", True),
    ("first_pub_number", "pub_number", True),
    ("filing_date", "filing_date", True),
    ("first_pub_date", "pub_date", False),
    ("applicants", "applicant", True),
    ("main_ipc", "main_ipc", False),
    ("patent_type", "patent_type", False),
    ("legal_status", "legal_status", True),
    ("grant_number", "grant_number", False),
    ("region", "region", False),
    ("country", "country", False),
    ("value", "value_score", True),
)


@router.get("/")
async def home(request: Request, ipnav: AppDep, wh: WarehouseDep, user: UserDep) -> HTMLResponse:
    """The home page: the home region's dashboard (setting `home_region`), what the warehouse holds, topics."""

    def work() -> dict[str, Any]:
        board = ipnav.dashboard(wh=wh)
        key = board["map"]
        map_data = []
        if key:  # the first headline figure of each sub-region, named as the map file names it
            names = map_names(key)
            for row in board["headline"][0]["rows"]:
                if row["code"] and row["value"] is not None:
                    map_data.append({"name": names.get(short_name(row["name"]), row["name"]), "value": row["value"]})
        return {"board": board, "map_data": script_json(map_data), "map_key": key,
                "stats": ipnav.stats(wh), "topics": ipnav.topics(wh)[:8]}  # fmt: skip

    return render(request, "home.html", **await lanes.heavy(memo, wh, ("home", dt.date.today()), work))


@router.get("/search")
async def search_page(
    request: Request,
    ipnav: AppDep,
    wh: WarehouseDep,
    user: UserDep,
    q: Annotated[str, Query(max_length=4000)] = "",
    sort: Annotated[str, Query(max_length=20)] = "relevance",
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    within: Annotated[str, Query(max_length=4000)] = "",
) -> HTMLResponse:
    """The search page: query builder, hits, facets and paging; `within` searches the hits of an earlier
    query (二次检索), shown as a breadcrumb that can be undone."""
    data: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    options = SearchOptions(q=q, limit=20, sort=sort, cursor=cursor, facets=True, within=within)
    typed, q = q, options.query()  # the page's links (facets, export, paging) carry the whole query
    if q.strip():
        try:
            data = await lanes.quick(ipnav.search, options, wh)
        except IpnavError as exc:
            if exc.status >= 500:
                raise
            error = {"message": str(exc), "position": getattr(exc, "position", None)}
    mine = await run_in_threadpool(_mine, request, ipnav, q if data is not None and not cursor else "", data)
    return render(
        request, "search.html", q=q, typed=typed if within.strip() else q, within=within.strip(), sort=sort,
        data=data, error=error, fields=SEARCH_FIELDS, columns=HIT_COLUMNS, **mine,
        notice=request.session.pop("search_notice", None),
        back=str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
        next_url=(f"/search?{urlencode({'q': q, 'sort': sort, 'cursor': data['cursor']})}"
                  if data and data.get("cursor") else None),
    )  # fmt: skip


def _mine(request: Request, ipnav: Ipnav, ran: str, data: dict[str, Any] | None) -> dict[str, Any]:
    """The signed-in user's history (with this search remembered), saved searches, and the topics an
    analyst can add hits to."""
    user = session_user(request)
    if user is None:
        return {"history": [], "saved": [], "topic_names": []}
    if ran and data is not None:
        ipnav.searches.remember(user.name, ran, data["total"])
    topic_names = [t["name"] for t in ipnav.topics()] if user.can("analyst") and data else []
    return {"history": ipnav.searches.history(user.name, 10), "saved": ipnav.searches.saved(user.name),
            "topic_names": topic_names}  # fmt: skip


@router.get("/search/semantic")
async def semantic_page(
    request: Request, ipnav: AppDep, wh: WarehouseDep, user: UserDep,
    text: Annotated[str, Query(max_length=2000)] = "", limit: Annotated[int, Query(ge=1, le=200)] = 30,
) -> HTMLResponse:  # fmt: skip
    """The search page's semantic mode: describe the technology in any language, patents by meaning."""
    data, error = None, None
    if text.strip():
        try:
            data = await lanes.quick(ipnav.semantic_search, text, limit=limit, wh=wh)
        except IpnavError as exc:
            if exc.status >= 500:
                raise
            error = str(exc)
    coverage = await lanes.quick(ipnav.embedding_coverage, wh)
    return render(request, "semantic.html", text=text, data=data, error=error, coverage=coverage)


@router.get("/search/export")
async def search_export(
    request: Request,
    ipnav: AppDep,
    wh: WarehouseDep,
    user: UserDep,
    q: Annotated[str, Query(min_length=1, max_length=4000)],
    format: Annotated[str, Query(pattern="^(xlsx|csv)$")] = "xlsx",
) -> Response:
    """Every hit of a query (no cap) as an Excel or CSV file."""

    def work(out: Path) -> None:
        ipnav.export_hits(q, format, out, wh=wh)

    return await download(request, "search", format, work)


@router.get("/patents/{number}")
async def patent_page(request: Request, number: str, ipnav: AppDep, wh: WarehouseDep, user: UserDep) -> HTMLResponse:
    """One patent: bibliography, claims, citations, value and similar patents."""

    def work() -> dict[str, Any]:
        detail = ipnav.show(number, wh)
        links = ipnav.citations(detail["app_key"], wh)
        key = detail["app_key"]
        value = memo(wh, ("value", key, dt.date.today()), lambda: ipnav.value(key, ValueOptions(), wh))
        try:
            alike = memo(wh, ("similar", key, 8), lambda: ipnav.similar(key, limit=8, wh=wh))
        except IpnavError:
            alike = {"hits": []}
        ipc = [c["symbol"] for c in detail.get("classifications") or [] if c.get("scheme") == "ipc"]
        return {"p": detail, "links": links, "value": value, "similar": alike["hits"],
                "ipc": ipnav.ipc_titles(ipc, wh)}  # fmt: skip

    return render(request, "patent.html", **await lanes.quick(work))


@router.get("/lookup")
async def lookup_page(request: Request, user: UserDep) -> HTMLResponse:
    """The number lookup form: paste a list of numbers in any spelling."""
    return render(request, "lookup.html", result=None, numbers="")


@router.post("/lookup")
async def lookup_run(
    request: Request,
    ipnav: AppDep,
    wh: WarehouseDep,
    user: UserDep,
    numbers: Annotated[str, Form(max_length=400_000)],
) -> HTMLResponse:
    """The pasted numbers looked up: found, not found with close numbers, ambiguous."""
    from ipnav.store.lookup import parse_numbers

    result = await lanes.quick(ipnav.lookup, parse_numbers(numbers), wh)
    selection = "numbers:" + ",".join(r["app_key"] for r in result["found"]) if result["found"] else ""
    return render(request, "lookup.html", result=result, numbers=numbers, selection=selection)
