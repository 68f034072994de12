"""FastAPI application: JSON API over the same library functions the CLI uses.

`create_app(settings)` builds it; nothing is read from globals. Errors from the
library (`IpnavError`) become JSON with their HTTP status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from ipnav import __version__
from ipnav.config import Settings, Workspace
from ipnav.errors import IpnavError, WorkspaceError
from ipnav.store import reads
from ipnav.store.warehouse import Warehouse

ASSETS = Path(__file__).resolve().parents[2] / "node_modules"  # front-end packages installed by npm ci


def _warehouse(request: Request) -> Iterator[Warehouse]:
    """A read-only warehouse connection per request (DuckDB allows many readers)."""
    wh = Warehouse(request.app.state.workspace.warehouse_path, read_only=True)
    try:
        yield wh
    finally:
        wh.close()


WarehouseDep = Annotated[Warehouse, Depends(_warehouse)]


def create_app(settings: Settings) -> FastAPI:
    """The ipnav web app for one workspace."""
    workspace = Workspace(settings.workspace).create()
    Warehouse(workspace.warehouse_path).close()  # schema exists before the first request
    app = FastAPI(
        title="ipnav API",
        version=__version__,
        description="开放的知识产权大数据平台 JSON API / open IP big-data platform API",
        docs_url=None,  # served below from the npm package: no page may load anything from the internet
        redoc_url=None,
    )
    swagger = ASSETS / "swagger-ui-dist"
    if swagger.is_dir():
        app.mount("/assets/swagger", StaticFiles(directory=swagger), name="swagger")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        if not swagger.is_dir():
            raise WorkspaceError("API docs need the front-end packages: run scripts/setup.sh (npm ci)")
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="ipnav API",
            swagger_js_url="/assets/swagger/swagger-ui-bundle.js",
            swagger_css_url="/assets/swagger/swagger-ui.css",
            swagger_favicon_url="/assets/swagger/favicon-32x32.png",
        )

    app.state.settings = settings
    app.state.workspace = workspace

    @app.exception_handler(IpnavError)
    async def _ipnav_error(request: Request, exc: IpnavError) -> JSONResponse:
        body: dict[str, Any] = {"error": type(exc).__name__, "message": str(exc)}
        if hasattr(exc, "suggestions"):
            body["suggestions"] = exc.suggestions
        if hasattr(exc, "position"):
            body["position"] = exc.position
            body["detail"] = exc.detail
        return JSONResponse(body, status_code=exc.status)

    @app.get("/", include_in_schema=False)
    async def index() -> RedirectResponse:
        return RedirectResponse("/docs")

    @app.get("/api/health", summary="Liveness and version")
    async def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/api/stats", summary="What the warehouse holds / 数据概况")
    async def api_stats(wh: WarehouseDep) -> dict[str, Any]:
        return await run_in_threadpool(reads.stats, wh)

    @app.get("/api/patents/{number}", summary="One patent in full / 专利详情")
    async def api_patent(number: str, wh: WarehouseDep) -> dict[str, Any]:
        return await run_in_threadpool(reads.patent_detail, wh, number)

    @app.get("/api/search", summary="Search with the query language / 专利检索")
    async def api_search(
        wh: WarehouseDep,
        q: Annotated[str, Query(description="Query, e.g. ti=锂电池 AND ad>=2020", max_length=4000)] = "",
        limit: Annotated[int, Query(ge=1, le=1000)] = 20,
        sort: Annotated[str, Query(description="relevance, ad, pd, gd, value; prefix - for descending")] = "relevance",
        cursor: Annotated[str | None, Query(max_length=200)] = None,
        facets: bool = True,
    ) -> dict[str, Any]:
        from ipnav.search import service

        return await run_in_threadpool(
            service.search, workspace, wh, q, limit=limit, sort=sort, cursor=cursor, facets=facets, settings=settings
        )

    @app.get("/api/similar/{number}", summary="Patents similar to one patent / 相似专利")
    async def api_similar(
        number: str, wh: WarehouseDep, limit: Annotated[int, Query(ge=1, le=100)] = 10
    ) -> dict[str, Any]:
        from ipnav.search.similar import similar

        return await run_in_threadpool(similar, workspace, wh, number, limit=limit)

    @app.get("/api/analyze/{kind}", summary="One navigation analysis of a selection / 专利导航分析")
    async def api_analyze(
        kind: str,
        wh: WarehouseDep,
        selection: Annotated[str, Query(description="query, topic:NAME, numbers:A,B or all", max_length=4000)] = "all",
        limit: Annotated[int | None, Query(ge=1, le=10000)] = None,
        level: Annotated[str | None, Query(max_length=20)] = None,
    ) -> dict[str, Any]:
        from ipnav.analytics.navigate import analyze
        from ipnav.analytics.selection import Selection

        options: dict[str, Any] = {k: v for k, v in (("limit", limit), ("level", level)) if v is not None}
        return await run_in_threadpool(analyze, workspace, wh, Selection.parse(selection), kind, **options)

    @app.get("/api/topics", summary="Thematic databases / 专题库")
    async def api_topics(wh: WarehouseDep) -> list[dict[str, Any]]:
        from ipnav.analytics import topics

        return await run_in_threadpool(topics.list_topics, wh)

    @app.get("/api/topics/{name}", summary="One thematic database / 专题库详情")
    async def api_topic(name: str, wh: WarehouseDep) -> dict[str, Any]:
        from ipnav.analytics import topics

        return await run_in_threadpool(topics.show, wh, name)

    @app.get("/api/rejects", summary="Rejected records with file, position, field, reason / 拒收记录")
    async def api_rejects(
        wh: WarehouseDep,
        limit: Annotated[int, Query(ge=1, le=10000)] = 1000,
        run: Annotated[int | None, Query(ge=1)] = None,
    ) -> list[dict[str, Any]]:
        return await run_in_threadpool(reads.rejects, wh, limit=limit, run_id=run)

    @app.get("/api/value/{number}", summary="Official flags and value score of one patent / 专利价值度")
    async def api_value(
        number: str,
        wh: WarehouseDep,
        as_of: Annotated[dt.date | None, Query(description="Date the flags and score are as of")] = None,
        weights: Annotated[
            str | None, Query(description="e.g. forward_citations=0.4,claims=0.2", max_length=400)
        ] = None,
    ) -> dict[str, Any]:
        from ipnav.value.service import patent_value

        return await run_in_threadpool(patent_value, wh, settings, number, as_of=as_of, weights=weights)

    @app.get("/api/indicators", summary="Indicator catalogue with definitions / 指标目录")
    async def api_indicators() -> list[dict[str, Any]]:
        from ipnav.kpi.indicators import catalogue

        return catalogue()

    @app.get("/api/indicators/{name}", summary="One regional indicator as of a date / 区域指标")
    async def api_indicator(
        name: str,
        wh: WarehouseDep,
        region: Annotated[str | None, Query(description="adcode or name (常州, 南江县)", max_length=40)] = None,
        as_of: Annotated[dt.date | None, Query()] = None,
        by: Annotated[str | None, Query(description="province, city or county", max_length=10)] = None,
        counting: Annotated[str | None, Query(description="first or fractional", max_length=12)] = None,
        population: Annotated[str | None, Query(description="census2020 or yearend", max_length=12)] = None,
        years: Annotated[str | None, Query(description="flows: 2019-2023", max_length=12)] = None,
        patents: bool = False,
        year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
        pledge_min: Annotated[float | None, Query(ge=0)] = None,
        sei_scope: Annotated[str | None, Query(max_length=6)] = None,
        unknown_status: Annotated[str | None, Query(max_length=14)] = None,
    ) -> dict[str, Any]:
        from ipnav.kpi import indicators

        request = indicators.make_request(
            settings,
            name,
            as_of=as_of,
            years=years,
            counting=counting,
            pledge_min=pledge_min,
            sei_scope=sei_scope,
            unknown_status=unknown_status,
            region=region,
            by=by,
            population=population,
            patents=patents,
            year=year,
        )
        return await run_in_threadpool(indicators.compute, wh, request)

    return app
