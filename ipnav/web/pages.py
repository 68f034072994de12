"""Server-rendered pages over the same library functions as the API and the CLI.

Charts: each analysis's ECharts option (built in `ipnav.analytics.charts`) is embedded as JSON and
drawn in the browser by ECharts from npm, served from `/assets/echarts`; nothing comes from the
internet. Every form that changes something carries the session's CSRF token.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from ipnav.accounts import ROLE_ZH, ROLES, Forbidden, User
from ipnav.errors import IpnavError, UsageError
from ipnav.store import reads
from ipnav.store.snapshot import memo
from ipnav.store.warehouse import Warehouse
from ipnav.web import lanes
from ipnav.web.i18n import LANGUAGES, translate
from ipnav.web.security import (
    accounts,
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

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
router = APIRouter(include_in_schema=False)
WarehouseDep = Annotated[Warehouse, Depends(read_warehouse)]
UserDep = Annotated[User, Depends(current_user)]
AnalystDep = Annotated[User, Depends(require("analyst"))]

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


def language_of(request: Request) -> str:
    user = session_user(request)
    if user is not None and user.language in LANGUAGES:
        return user.language
    lang = request.session.get("lang")
    return lang if lang in LANGUAGES else "zh"


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = language_of(request)
    user = session_user(request)
    context.update(
        {
            "request": request,
            "lang": lang,
            "t": lambda key: translate(key, lang),
            "user": user,
            "role_zh": ROLE_ZH,
            "public": request.app.state.settings.public,
            "csrf": csrf_token(request),
            "path": request.url.path,
            "quote": quote,
        }
    )
    return TEMPLATES.TemplateResponse(request, template, context, status_code=status_code)


# --- sign in -----------------------------------------------------------------------------------


@router.get("/login")
async def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "login.html", next=_safe_next(next), message="")


@router.post("/login")
async def login_submit(
    request: Request,
    _: Annotated[None, Depends(check_csrf)],
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    try:
        user = await run_in_threadpool(accounts(request).authenticate, name, password, client_of(request))
    except IpnavError as exc:
        return render(request, "login.html", status_code=exc.status, next=_safe_next(next), message=str(exc))
    lang = request.session.get("lang")
    await run_in_threadpool(start_session, request, user)
    if lang in LANGUAGES and lang != user.language:
        accounts(request).set_language(user.name, lang)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
async def logout(request: Request, _: Annotated[None, Depends(check_csrf)]) -> Response:
    await run_in_threadpool(end_session, request)
    return RedirectResponse("/login", status_code=303)


@router.post("/lang")
async def switch_language(
    request: Request,
    _: Annotated[None, Depends(check_csrf)],
    to: Annotated[str, Form(max_length=2)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Switch the page language; remembered for the user (or the session of a guest)."""
    lang = to if to in LANGUAGES else "zh"
    request.session["lang"] = lang
    user = session_user(request)
    if user is not None:
        accounts(request).set_language(user.name, lang)
    return RedirectResponse(_safe_next(next), status_code=303)


def _safe_next(target: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") else "/"


# --- pages -------------------------------------------------------------------------------------


@router.get("/")
async def home(request: Request, wh: WarehouseDep, user: UserDep) -> HTMLResponse:
    from ipnav.analytics import topics
    from ipnav.kpi.indicators import IndicatorRequest, compute

    def work() -> dict[str, Any]:
        stats = reads.stats(wh)
        headline = [
            compute(wh, IndicatorRequest(name=name, by="province"))
            for name in ("valid_invention_per_10k", "high_value_invention_per_10k")
        ]
        return {"stats": stats, "headline": headline, "topics": topics.list_topics(wh)[:8]}

    return render(request, "home.html", **await lanes.heavy(memo, wh, ("home", dt.date.today()), work))


@router.get("/search")
async def search_page(
    request: Request,
    wh: WarehouseDep,
    user: UserDep,
    q: Annotated[str, Query(max_length=4000)] = "",
    sort: Annotated[str, Query(max_length=20)] = "relevance",
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    from ipnav.search import service

    settings = request.app.state.settings
    data: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    if q.strip():
        try:
            data = await lanes.quick(
                service.search, request.app.state.workspace, wh, q, limit=20, sort=sort, cursor=cursor,
                facets=True, settings=settings,
            )  # fmt: skip
        except IpnavError as exc:
            if exc.status >= 500:
                raise
            error = {"message": str(exc), "position": getattr(exc, "position", None)}
    return render(
        request, "search.html", q=q, sort=sort, data=data, error=error, fields=SEARCH_FIELDS,
        next_url=(f"/search?{urlencode({'q': q, 'sort': sort, 'cursor': data['cursor']})}"
                  if data and data.get("cursor") else None),
    )  # fmt: skip


@router.get("/search/export")
async def search_export(
    request: Request,
    wh: WarehouseDep,
    user: UserDep,
    q: Annotated[str, Query(min_length=1, max_length=4000)],
    format: Annotated[str, Query(pattern="^(xlsx|csv)$")] = "xlsx",
) -> Response:
    """Every hit of a query (no cap) as an Excel or CSV file."""
    from ipnav.search import service

    workspace = request.app.state.workspace

    def work(out: Path) -> None:
        keys = list(service.matching_keys(workspace, wh, q, request.app.state.settings))
        reads.export(wh, format, out, keys=keys)

    return await _download(request, "search", format, work)


MEDIA = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html",
}


async def _download(request: Request, stem: str, fmt: str, write: Any) -> Response:
    """Write a file into the workspace's exports folder (in a worker thread) and send it."""
    out = request.app.state.workspace.exports_dir / f"{stem}-{dt.datetime.now():%Y%m%d-%H%M%S-%f}.{fmt}"
    out.parent.mkdir(parents=True, exist_ok=True)
    await lanes.heavy(write, out)
    return _file_response(out, MEDIA[fmt])


def _file_response(path: Path, media: str) -> Response:
    def chunks() -> Any:
        with path.open("rb") as handle:
            while block := handle.read(1 << 16):
                yield block

    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(path.name)}"}
    return StreamingResponse(chunks(), media_type=media, headers=headers)


@router.get("/patents/{number}")
async def patent_page(request: Request, number: str, wh: WarehouseDep, user: UserDep) -> HTMLResponse:
    from ipnav.search.similar import similar
    from ipnav.value.service import patent_value

    settings = request.app.state.settings

    def work() -> dict[str, Any]:
        detail = reads.patent_detail(wh, number)
        links = reads.citation_links(wh, detail["app_key"])
        key = detail["app_key"]
        value = memo(wh, ("value", key, dt.date.today()), lambda: patent_value(wh, settings, key))
        try:
            alike = memo(wh, ("similar", key, 8), lambda: similar(request.app.state.workspace, wh, key, limit=8))
        except IpnavError:
            alike = {"hits": []}
        return {"p": detail, "links": links, "value": value, "similar": alike["hits"]}

    return render(request, "patent.html", **await lanes.quick(work))


@router.get("/navigate")
async def navigate_page(
    request: Request,
    wh: WarehouseDep,
    user: UserDep,
    selection: Annotated[str, Query(max_length=4000)] = "",
    as_of: Annotated[dt.date | None, Query()] = None,
) -> HTMLResponse:
    from ipnav.analytics.navigate import navigate
    from ipnav.analytics.selection import Selection

    pack = None
    if selection.strip():
        pack = await lanes.apart(
            request.app.state.workspace.root, ("navigate", selection, as_of or dt.date.today()),
            functools.partial(navigate, selection=Selection.parse(selection), as_of=as_of),
        )  # fmt: skip
    return render(
        request, "navigate.html", selection=selection, pack=pack,
        charts=_script_json({k: a["option"] for k, a in pack["analyses"].items()}) if pack else "{}",
    )  # fmt: skip


@router.get("/navigate/report")
async def navigate_report(
    request: Request,
    wh: WarehouseDep,
    user: UserDep,
    selection: Annotated[str, Query(min_length=1, max_length=4000)],
    format: Annotated[str, Query(pattern="^(xlsx|docx|pdf|html)$")] = "xlsx",
) -> Response:
    from ipnav.analytics.navigate import navigate
    from ipnav.analytics.selection import Selection
    from ipnav.reports import write_report

    def work(out: Path) -> None:
        write_report(navigate(request.app.state.workspace, wh, Selection.parse(selection)), wh, format, out)

    return await _download(request, "report", format, work)


@router.get("/topics")
async def topics_page(request: Request, wh: WarehouseDep, user: UserDep) -> HTMLResponse:
    from ipnav.analytics import topics

    rows = await run_in_threadpool(topics.list_topics, wh)
    return render(request, "topics.html", topics=rows, changed=request.session.pop("topic_change", None))


@router.post("/topics")
async def topics_create(
    request: Request,
    user: AnalystDep,
    name: Annotated[str, Form(min_length=1, max_length=100)],
    query: Annotated[str, Form(min_length=1, max_length=4000)],
    description: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    from ipnav.analytics import topics

    await change(
        request, user, "topic.create", name,
        lambda wh: topics.create(request.app.state.workspace, wh, name, query, description),
        lambda data: {"query": query, "size": data.get("size")},
    )  # fmt: skip
    return RedirectResponse(f"/navigate?{urlencode({'selection': f'topic:{name}'})}", status_code=303)


@router.post("/topics/{name}/refresh")
async def topics_refresh(request: Request, name: str, user: AnalystDep) -> Response:
    from ipnav.analytics import topics

    data = await change(
        request, user, "topic.refresh", name,
        lambda wh: topics.refresh(request.app.state.workspace, wh, name), topic_change,
    )  # fmt: skip
    request.session["topic_change"] = {"name": name, **topic_change(data)}
    return RedirectResponse("/topics", status_code=303)


@router.post("/topics/{name}/delete")
async def topics_delete(request: Request, name: str, user: AnalystDep) -> Response:
    from ipnav.analytics import topics

    await change(request, user, "topic.delete", name, lambda wh: topics.delete(wh, name))
    return RedirectResponse("/topics", status_code=303)


@router.get("/indicators")
async def indicators_page(
    request: Request,
    wh: WarehouseDep,
    user: UserDep,
    name: Annotated[str, Query(max_length=40)] = "high_value_invention_per_10k",
    region: Annotated[str, Query(max_length=40)] = "",
    by: Annotated[str, Query(max_length=10)] = "province",
    as_of: Annotated[dt.date | None, Query()] = None,
    patents: bool = False,
) -> HTMLResponse:
    from ipnav.kpi import indicators

    request_ = indicators.make_request(
        request.app.state.settings, name, as_of=as_of, region=region or None, by=by or None, patents=patents
    )
    result = await lanes.apart(
        request.app.state.workspace.root, ("indicator", repr(request_)),
        functools.partial(lanes.indicator, request=request_),
    )  # fmt: skip
    return render(
        request, "indicators.html", result=result, catalogue=indicators.catalogue(), name=name, region=region,
        by=by, as_of=request_.as_of.isoformat(), patents=patents,
        map_data=_script_json(_map_data(result)),
    )  # fmt: skip


def _script_json(data: Any) -> str:
    """JSON safe inside a <script> element (no `</script>` or `<!--` can close it early)."""
    return json.dumps(data, ensure_ascii=False, default=str).replace("<", "\\u003c")


def _map_data(result: dict[str, Any]) -> list[dict[str, Any]]:
    from ipnav.normalize.region import short_name

    if result.get("by") != "province":
        return []

    def value(row: dict[str, Any]) -> Any:  # stocks: the figure; flows: the last year's
        return row["value"] if "value" in row else row["series"][-1]["value"]

    return [{"name": short_name(r["name"]), "value": value(r)} for r in result.get("rows", []) if r["code"]]


@router.get("/ingest")
async def ingest_page(request: Request, user: UserDep) -> HTMLResponse:
    job = request.app.state.ingest_job.snapshot()
    runs: list[dict[str, Any]] = []
    rejects: list[dict[str, Any]] = []
    reader = request.app.state.warehouse_reader

    def work() -> None:  # the published state: a running ingest shows here when it ends
        with reader.cursor() as wh:
            runs.extend(reads.plain(r) for r in wh.query("SELECT * FROM ingest_runs ORDER BY run_id DESC LIMIT 20"))
            rejects.extend(reads.rejects(wh, limit=500))

    await run_in_threadpool(work)
    return render(request, "ingest.html", runs=runs, rejects=rejects, job=job)


@router.post("/ingest")
async def ingest_upload(request: Request, user: Annotated[User, Depends(require("admin"))]) -> Response:
    """Admins upload files (XML, zip, CSV, XLSX, SQL); they are ingested in the background."""
    form = await request.form()  # files arrive spooled to disk; the body is bounded by max_upload_mb (guards)
    files = [
        (str(item.filename), item.file)
        for item in form.getlist("files")
        if hasattr(item, "file") and getattr(item, "filename", "")
    ]
    state = request.app.state
    await run_in_threadpool(state.ingest_job.start, state.settings, state.warehouse_reader, accounts(request),
                            user.name, files)  # fmt: skip
    return RedirectResponse("/ingest", status_code=303)


@router.get("/admin")
async def admin_page(request: Request, user: UserDep) -> HTMLResponse:
    if not user.can("admin"):
        raise Forbidden("this page is for admins / 仅管理员可用")
    settings = request.app.state.settings
    shown = {k: v for k, v in settings.model_dump().items() if k not in ("header_map",)}
    return render(
        request, "admin.html", users=accounts(request).list(), audit=accounts(request).audit_log(300),
        settings=shown, roles=ROLES, message=request.session.pop("admin_message", ""),
    )  # fmt: skip


@router.post("/admin/users")
async def admin_add_user(
    request: Request,
    user: Annotated[User, Depends(require("admin"))],
    name: Annotated[str, Form(max_length=64)],
    role: Annotated[str, Form(max_length=10)],
    password: Annotated[str, Form(max_length=1024)],
) -> Response:
    await run_in_threadpool(accounts(request).add, name, role, password, actor=user.name)
    request.session["admin_message"] = f"{name} ({role}) ✓"
    return RedirectResponse("/admin", status_code=303)


@router.post("/admin/users/{name}/role")
async def admin_set_role(
    request: Request, name: str, user: Annotated[User, Depends(require("admin"))],
    role: Annotated[str, Form(max_length=10)],
) -> Response:  # fmt: skip
    if name == user.name and role != "admin":
        raise UsageError("you cannot take the admin role from yourself / 不能取消自己的管理员角色")
    await run_in_threadpool(accounts(request).set_role, name, role, actor=user.name)
    request.session["admin_message"] = f"{name} → {role} ✓"
    return RedirectResponse("/admin", status_code=303)


@router.post("/admin/users/{name}/password")
async def admin_set_password(
    request: Request, name: str, user: Annotated[User, Depends(require("admin"))],
    password: Annotated[str, Form(max_length=1024)],
) -> Response:  # fmt: skip
    await run_in_threadpool(accounts(request).passwd, name, password, actor=user.name)
    request.session["admin_message"] = f"{name}: password ✓"
    return RedirectResponse("/admin", status_code=303)


@router.post("/admin/users/{name}/{action}")
async def admin_user_action(
    request: Request, name: str, action: str, user: Annotated[User, Depends(require("admin"))]
) -> Response:
    """Disable or enable a user, or lift the user's login lock-out."""
    if action not in ("disable", "enable", "unlock"):
        raise UsageError(f"unknown action {action!r}")
    if action == "disable" and name == user.name:
        raise UsageError("you cannot disable yourself / 不能停用自己")
    book = accounts(request)
    if action == "unlock":
        await run_in_threadpool(functools.partial(book.unlock, name, actor=user.name))
    else:
        await run_in_threadpool(functools.partial(book.set_disabled, name, action == "disable", actor=user.name))
    request.session["admin_message"] = f"{name}: {translate(action, language_of(request))} ✓"
    return RedirectResponse("/admin", status_code=303)
