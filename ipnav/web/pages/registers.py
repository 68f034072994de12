"""Register pages: the overview of the registers, a register's records (query, facets, pages, export,
template, and for analysts the upload of a filled list), and one record with its links."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile  # what request.form() gives (fastapi.UploadFile is a subclass)

from ipnav.errors import IpnavError, UsageError
from ipnav.web import lanes
from ipnav.web.render import download, render
from ipnav.web.security import AnalystDep, AppDep, UserDep, WarehouseDep

router = APIRouter(include_in_schema=False)

PAGE = 50
# the kinds of file each register's upload takes (a GI list may come with its users and its GI marks)
ACCEPTS = {"gi": ("gi", "gi_user", "trademark"), "gi_user": ("gi_user",)}
FILTERS = ("subtype", "region", "year", "basis")


def _filters(request: Request, facets: tuple[str, ...]) -> dict[str, str]:
    keys = (*FILTERS, *facets)
    return {k: v for k, v in request.query_params.items() if k in keys and v and len(v) <= 200}


@router.get("/registers")
async def registers_page(request: Request, ipnav: AppDep, wh: WarehouseDep, user: UserDep) -> HTMLResponse:
    """Every register with its counts, its page, template and upload."""
    registers = await lanes.quick(ipnav.registers, wh=wh)
    return render(request, "registers.html", registers=registers)


@router.get("/registers/record")
async def register_record_page(
    request: Request, ipnav: AppDep, wh: WarehouseDep, user: UserDep, key: Annotated[str, Query(max_length=500)]
) -> HTMLResponse:
    """One record: its fields, region and basis, source, notes and links."""
    record = await lanes.quick(ipnav.register_record, key, private=user.can("analyst"), wh=wh)
    return render(request, "register_record.html", r=record)


@router.get("/registers/{name}")
async def register_page(
    request: Request, name: str, ipnav: AppDep, wh: WarehouseDep, user: UserDep,
    q: Annotated[str, Query(max_length=2000)] = "", page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:  # fmt: skip
    """A register's records: query, facets, pages, export and template; analysts upload lists here."""
    reg = ipnav.register_spec(name)
    filters = _filters(request, reg.facets)
    error = None
    try:
        data = await lanes.quick(ipnav.register_records, name, q, filters, page=page, per_page=PAGE, wh=wh)
    except IpnavError as exc:
        if exc.status >= 500:
            raise
        error, data = str(exc), await lanes.quick(ipnav.register_records, name, "", {}, page=1, per_page=PAGE, wh=wh)
    job = request.app.state.ingest_job.snapshot()
    mine = job.get("register") == name and job.get("status") in ("running", "finished", "failed")
    rejects: list[dict[str, Any]] = []
    if mine and job.get("status") == "finished" and job.get("folder"):
        found = await run_in_threadpool(lambda: ipnav.rejects(limit=2000))
        rejects = [r for r in found if str(r.get("source_file", "")).startswith(job["folder"])]
    base = {"q": q, **filters}
    pages = {
        "previous": f"/registers/{name}?" + urlencode({**base, "page": page - 1}) if page > 1 else None,
        "next": f"/registers/{name}?" + urlencode({**base, "page": page + 1}) if page * PAGE < data["total"] else None,
    }
    return render(
        request, "register.html", data=data, q=q, filters=filters, error=error, pages=pages, job=job if mine else None,
        rejects=rejects, export=f"/registers/{name}/export?" + urlencode(base),
        refine=lambda key, value: f"/registers/{name}?" + urlencode({**base, key: value}),
        unset=lambda key: f"/registers/{name}?" + urlencode({k: v for k, v in base.items() if k != key}),
    )  # fmt: skip


@router.get("/registers/{name}/export")
async def register_export(
    request: Request, name: str, ipnav: AppDep, user: UserDep, q: Annotated[str, Query(max_length=2000)] = ""
) -> Response:
    """Every matching record to Excel."""
    filters = _filters(request, ipnav.register_spec(name).facets)
    return await download(
        request,
        f"ipnav-{name}",
        "xlsx",
        lambda out: ipnav.register_export(name, q, filters, out, private=user.can("analyst")),
    )


@router.get("/registers/{name}/template")
async def register_template(request: Request, name: str, ipnav: AppDep, user: UserDep) -> Response:
    """The Excel import template of the register."""
    return await download(request, f"ipnav-{name}-template", "xlsx", lambda out: ipnav.register_template(name, out))


@router.post("/registers/{name}/upload")
async def register_upload(request: Request, name: str, ipnav: AppDep, user: AnalystDep) -> Response:
    """Analysts upload filled lists of this register; each file must be one (by its headers), then it is
    ingested in the background and the page shows the progress, the counts and each rejected row."""
    from ipnav.kinds import KINDS

    reg = ipnav.register_spec(name)
    form = await request.form()
    uploads = [item for item in form.getlist("files") if isinstance(item, UploadFile) and item.filename]
    accepted = ACCEPTS.get(name, (name,))
    files = []
    for item in uploads:
        head = await item.read()
        kind = await run_in_threadpool(ipnav.table_kind, head, str(item.filename))
        if kind not in accepted:
            what = f"{KINDS[kind].title_zh} / {KINDS[kind].title_en}" if kind in KINDS else "无法识别 / not recognised"
            raise UsageError(
                f"{item.filename}: 不是{reg.title_zh}名录 (表头识别为: {what}); 请使用本页的导入模板 / not a "
                f"{reg.title_en} list (its headers read as: {what}); use this page's template"
            )
        await item.seek(0)
        files.append((str(item.filename), item.file))
    await run_in_threadpool(request.app.state.ingest_job.start, ipnav, user.name, files, name)
    return RedirectResponse(f"/registers/{name}#job", status_code=303)
