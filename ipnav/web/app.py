"""FastAPI application: JSON API over the same library functions the CLI uses.

`create_app(settings)` builds it; nothing is read from globals. Errors from the
library (`IpnavError`) become JSON with their HTTP status.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import orjson
from fastapi import Depends, FastAPI, Query, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.middleware.sessions import SessionMiddleware

from ipnav import __version__
from ipnav.accounts import Accounts, Forbidden, User, secret_key
from ipnav.config import Settings, Workspace
from ipnav.errors import IpnavError, WarehouseBusy, WorkspaceError
from ipnav.store import reads, snapshot
from ipnav.store.snapshot import SnapshotReader, memo
from ipnav.store.warehouse import Warehouse
from ipnav.web import lanes, pages, plans
from ipnav.web.guards import BodyLimit, SecurityHeaders, TrustedProxies
from ipnav.web.i18n import translate
from ipnav.web.jobs import IngestJob
from ipnav.web.pages import language_of, render
from ipnav.web.security import (
    LoginRequired,
    change,
    check_csrf,
    client_of,
    csrf_token,
    current_user,
    end_session,
    read_warehouse,
    require,
    session_user,
    start_session,
    topic_change,
)
from ipnav.web.security import (
    accounts as accounts_of,
)

ASSETS = Path(__file__).resolve().parents[2] / "node_modules"  # front-end packages installed by npm ci


WarehouseDep = Annotated[Warehouse, Depends(read_warehouse)]
UserDep = Annotated[User, Depends(current_user)]
AnalystDep = Annotated[User, Depends(require("analyst"))]
AdminDep = Annotated[User, Depends(require("admin"))]


class LoginBody(BaseModel):
    name: str = Field(max_length=64)
    password: str = Field(max_length=1024)


class TopicBody(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    query: str = Field(min_length=1, max_length=4000)
    description: str = Field("", max_length=2000)


class NumbersBody(BaseModel):
    numbers: list[str] = Field(min_length=1, max_length=10000)


def json_response(data: Any, status_code: int = 200) -> Response:
    """JSON of plain data (dicts, lists, dates) serialised by orjson."""
    body = orjson.dumps(data, default=str, option=orjson.OPT_NON_STR_KEYS)
    return Response(body, status_code=status_code, media_type="application/json")


def create_app(settings: Settings) -> FastAPI:
    """The ipnav web app for one workspace."""
    workspace = Workspace(settings.workspace).create()
    reader = SnapshotReader.for_path(workspace.warehouse_path)
    try:
        with reader.writer("start-up"):  # the schema is current and a snapshot published before the first request
            pass
    except WarehouseBusy:  # an ingest holds the warehouse: serve the snapshot it will replace
        if snapshot.current(workspace.warehouse_path) is None:
            raise
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
    if (ASSETS / "echarts" / "dist").is_dir():
        app.mount("/assets/echarts", StaticFiles(directory=ASSETS / "echarts" / "dist"), name="echarts")
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    china = ASSETS / "echarts-china-map" / "map" / "json" / "china.json"

    @app.get("/assets/china.json", include_in_schema=False)
    async def china_map() -> FileResponse:
        if not china.is_file():
            raise WorkspaceError("the China map needs the front-end packages: run scripts/setup.sh (npm ci)")
        return FileResponse(china, media_type="application/json")

    @app.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        if not swagger.is_dir():
            raise WorkspaceError("API docs need the front-end packages: run scripts/setup.sh (npm ci)")
        page = get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="ipnav API",
            swagger_js_url="/assets/swagger/swagger-ui-bundle.js",
            swagger_css_url="/assets/swagger/swagger-ui.css",
            swagger_favicon_url="/assets/swagger/favicon-32x32.png",
        )
        nonce = request.state.csp_nonce  # its one inline script runs under the page's CSP nonce
        body = bytes(page.body).decode().replace("<script>", f'<script nonce="{nonce}">')
        return HTMLResponse(body)

    app.state.settings = settings
    app.state.workspace = workspace
    app.state.accounts = Accounts(workspace.accounts_path)
    app.state.warehouse_reader = reader
    app.state.ingest_job = IngestJob()
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret_key(workspace.root),
        session_cookie="ipnav_session",
        max_age=settings.session_hours * 3600,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(BodyLimit, limit=settings.max_upload_mb << 20)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(TrustedProxies, proxies=settings.trusted_proxies)  # outermost: every layer sees the client

    @app.exception_handler(IpnavError)
    async def _ipnav_error(request: Request, exc: IpnavError) -> Response:
        if not request.url.path.startswith("/api/"):  # pages: the login form, or an error page
            if isinstance(exc, LoginRequired):
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
            heading = {404: "not_found", 403: "forbidden"}.get(exc.status, "error")
            return render(
                request, "error.html", status_code=exc.status, heading=translate(heading, language_of(request)),
                message=str(exc), suggestions=getattr(exc, "suggestions", []),
            )  # fmt: skip
        body: dict[str, Any] = {"error": type(exc).__name__, "message": str(exc)}
        if hasattr(exc, "suggestions"):
            body["suggestions"] = exc.suggestions
        if hasattr(exc, "position"):
            body["position"] = exc.position
            body["detail"] = exc.detail
        return JSONResponse(body, status_code=exc.status)

    @app.get("/api/health", summary="Liveness and version")
    async def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/api/me", summary="Who is logged in, and the CSRF token for changes / 当前用户")
    async def api_me(request: Request) -> dict[str, Any]:
        user = session_user(request)
        return {
            "user": None if user is None else {"name": user.name, "role": user.role, "language": user.language},
            "public": settings.public,
            "csrf_token": csrf_token(request),
        }

    @app.post("/api/login", summary="Log in (needs the CSRF token from /api/me) / 登录")
    async def api_login(request: Request, body: LoginBody, _: Annotated[None, Depends(check_csrf)]) -> dict[str, Any]:
        user = await run_in_threadpool(accounts_of(request).authenticate, body.name, body.password, client_of(request))
        await run_in_threadpool(start_session, request, user)
        return {"user": {"name": user.name, "role": user.role}, "csrf_token": csrf_token(request)}

    @app.post("/api/logout", summary="Log out / 退出")
    async def api_logout(request: Request, _: Annotated[None, Depends(check_csrf)]) -> dict[str, str]:
        await run_in_threadpool(end_session, request)
        return {"status": "logged out"}

    @app.get("/api/audit", summary="Audit log: who changed what, when / 审计日志")
    async def api_audit(
        request: Request, user: UserDep, limit: Annotated[int, Query(ge=1, le=10000)] = 200
    ) -> list[dict[str, Any]]:
        if not user.can("admin"):
            raise Forbidden("the audit log is for admins / 仅管理员可查看")
        return await run_in_threadpool(accounts_of(request).audit_log, limit)

    @app.post("/api/topics", summary="Create a thematic database from a query / 新建专题库")
    async def api_topic_create(request: Request, body: TopicBody, user: AnalystDep) -> dict[str, Any]:
        from ipnav.analytics import topics

        return await change(
            request, user, "topic.create", body.name,
            lambda wh: topics.create(workspace, wh, body.name, body.query, body.description),
            lambda data: {"query": body.query, "size": data.get("size")},
        )  # fmt: skip

    @app.post("/api/topics/{name}/refresh", summary="Re-run a topic's query, report what changed / 更新专题库")
    async def api_topic_refresh(request: Request, name: str, user: AnalystDep) -> dict[str, Any]:
        from ipnav.analytics import topics

        return await change(
            request, user, "topic.refresh", name, lambda wh: topics.refresh(workspace, wh, name), topic_change
        )

    @app.post("/api/topics/{name}/add", summary="Add patents to a topic by number / 加入专利")
    async def api_topic_add(request: Request, name: str, body: NumbersBody, user: AnalystDep) -> dict[str, Any]:
        from ipnav.analytics import topics

        return await change(
            request, user, "topic.add", name, lambda wh: topics.add(wh, name, body.numbers),
            lambda _: {"numbers": body.numbers[:100]},
        )  # fmt: skip

    @app.post("/api/topics/{name}/remove", summary="Remove patents from a topic / 移出专利")
    async def api_topic_remove(request: Request, name: str, body: NumbersBody, user: AnalystDep) -> dict[str, Any]:
        from ipnav.analytics import topics

        return await change(
            request, user, "topic.remove", name, lambda wh: topics.remove(wh, name, body.numbers),
            lambda _: {"numbers": body.numbers[:100]},
        )  # fmt: skip

    @app.delete("/api/topics/{name}", summary="Delete a thematic database / 删除专题库")
    async def api_topic_delete(request: Request, name: str, user: AnalystDep) -> dict[str, str]:
        from ipnav.analytics import topics

        await change(request, user, "topic.delete", name, lambda wh: topics.delete(wh, name))
        return {"deleted": name}

    @app.get("/api/stats", summary="What the warehouse holds / 数据概况")
    async def api_stats(wh: WarehouseDep) -> dict[str, Any]:
        return await run_in_threadpool(reads.stats, wh)

    @app.get("/api/patents/{number}", summary="One patent in full / 专利详情")
    async def api_patent(number: str, wh: WarehouseDep) -> dict[str, Any]:
        return await lanes.quick(reads.patent_detail, wh, number)

    @app.get("/api/search", summary="Search with the query language / 专利检索", response_model=None)
    async def api_search(
        wh: WarehouseDep,
        q: Annotated[str, Query(description="Query, e.g. ti=锂电池 AND ad>=2020", max_length=4000)] = "",
        limit: Annotated[int, Query(ge=1, le=1000)] = 20,
        sort: Annotated[str, Query(description="relevance, ad, pd, gd, value; prefix - for descending")] = "relevance",
        cursor: Annotated[str | None, Query(max_length=200)] = None,
        facets: bool = True,
    ) -> Response:
        from ipnav.search import service

        work = functools.partial(
            service.search, workspace, wh, q, limit=limit, sort=sort, cursor=cursor, facets=facets, settings=settings
        )
        data = await lanes.quick(work)
        return json_response(data)  # the hot path: orjson, no per-field re-encoding of a plain dict

    @app.get("/api/similar/{number}", summary="Patents similar to one patent / 相似专利")
    async def api_similar(
        number: str, wh: WarehouseDep, limit: Annotated[int, Query(ge=1, le=100)] = 10
    ) -> dict[str, Any]:
        from ipnav.search.similar import similar

        return await lanes.quick(
            memo, wh, ("similar", number, limit), lambda: similar(workspace, wh, number, limit=limit)
        )

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
        key = ("analyze", selection, kind, tuple(sorted(options.items())), dt.date.today())
        return await lanes.apart(
            workspace.root, key, functools.partial(analyze, selection=Selection.parse(selection), kind=kind, **options)
        )

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

        return await lanes.quick(patent_value, wh, settings, number, as_of=as_of, weights=weights)

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
        return await lanes.apart(
            workspace.root, ("indicator", repr(request)), functools.partial(lanes.indicator, request=request)
        )

    app.include_router(plans.api)
    app.include_router(plans.pages)
    app.include_router(pages.router)
    return app


def app_from_environment() -> FastAPI:
    """The app of one `ipnav serve --workers N` process (settings from IPNAV_* and settings.toml)."""
    return create_app(Settings.load())
