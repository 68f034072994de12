"""Admin pages: upload files to ingest (with the runs and rejects), users, settings and the audit log."""

from __future__ import annotations

import functools
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile  # what request.form() gives (fastapi.UploadFile is a subclass)

from ipnav.accounts import ROLES, Forbidden
from ipnav.errors import UsageError
from ipnav.web.i18n import translate
from ipnav.web.render import language_of, render
from ipnav.web.security import AdminDep, AppDep, UserDep, accounts

router = APIRouter(include_in_schema=False)


@router.get("/ingest")
async def ingest_page(request: Request, ipnav: AppDep, user: UserDep) -> HTMLResponse:
    """The upload form, the running job, the latest runs and rejects."""
    job = request.app.state.ingest_job.snapshot()
    # the published state: a running ingest shows here when it ends
    runs = await run_in_threadpool(ipnav.runs)
    rejects = await run_in_threadpool(lambda: ipnav.rejects(limit=500))
    coverage = await run_in_threadpool(ipnav.embedding_coverage)
    embedding = request.app.state.embed_job.snapshot()
    return render(request, "ingest.html", runs=runs, rejects=rejects, job=job, coverage=coverage, embedding=embedding)


@router.post("/ingest")
async def ingest_upload(request: Request, ipnav: AppDep, user: AdminDep) -> Response:
    """Admins upload files (XML, zip, CSV, XLSX, SQL); they are ingested in the background."""
    form = await request.form()  # files arrive spooled to disk; the body is bounded by max_upload_mb (guards)
    files = [
        (item.filename, item.file) for item in form.getlist("files") if isinstance(item, UploadFile) and item.filename
    ]
    await run_in_threadpool(request.app.state.ingest_job.start, ipnav, user.name, files)
    return RedirectResponse("/ingest", status_code=303)


@router.get("/admin")
async def admin_page(request: Request, ipnav: AppDep, user: UserDep) -> HTMLResponse:
    """Users, settings and the audit log (admins only)."""
    if not user.can("admin"):
        raise Forbidden("this page is for admins / 仅管理员可用")
    settings = ipnav.settings
    shown = {k: ("••••" if k == "smtp_password" and v else v) for k, v in settings.model_dump().items()
             if k not in ("header_map",)}  # fmt: skip
    return render(
        request, "admin.html", users=accounts(request).list(), audit=accounts(request).audit_log(300),
        settings=shown, roles=ROLES, message=request.session.pop("admin_message", ""),
        deliveries=ipnav.alerts.deliveries(),
    )  # fmt: skip


@router.post("/admin/users")
async def admin_add_user(
    request: Request,
    user: AdminDep,
    name: Annotated[str, Form(max_length=64)],
    role: Annotated[str, Form(max_length=10)],
    password: Annotated[str, Form(max_length=1024)],
) -> Response:
    """Add a user (admins)."""
    await run_in_threadpool(accounts(request).add, name, role, password, actor=user.name)
    request.session["admin_message"] = f"{name} ({role}) ✓"
    return RedirectResponse("/admin", status_code=303)


@router.post("/admin/users/{name}/role")
async def admin_set_role(
    request: Request, name: str, user: AdminDep,
    role: Annotated[str, Form(max_length=10)],
) -> Response:  # fmt: skip
    """Change a user's role (admins; not one's own admin role)."""
    if name == user.name and role != "admin":
        raise UsageError("you cannot take the admin role from yourself / 不能取消自己的管理员角色")
    await run_in_threadpool(accounts(request).set_role, name, role, actor=user.name)
    request.session["admin_message"] = f"{name} → {role} ✓"
    return RedirectResponse("/admin", status_code=303)


@router.post("/admin/users/{name}/password")
async def admin_set_password(
    request: Request, name: str, user: AdminDep,
    password: Annotated[str, Form(max_length=1024)],
) -> Response:  # fmt: skip
    """Set a user's password (admins)."""
    await run_in_threadpool(accounts(request).passwd, name, password, actor=user.name)
    request.session["admin_message"] = f"{name}: password ✓"
    return RedirectResponse("/admin", status_code=303)


@router.post("/admin/users/{name}/{action}")
async def admin_user_action(request: Request, name: str, action: str, user: AdminDep) -> Response:
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
