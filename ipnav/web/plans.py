"""Plan monitoring on the web: the JSON API (`/api/plans...`) and the pages (`/plans...`).

Both call `ipnav.plan.service.status`; recording values, task progress and template imports are
analyst actions (CSRF-checked, audited like every change).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ipnav.accounts import User
from ipnav.errors import UsageError
from ipnav.plan import excel, records, report, service
from ipnav.plan.assess import STATUS_EN, STATUS_ZH, STATUSES
from ipnav.plan.model import Plan
from ipnav.store.warehouse import Warehouse
from ipnav.web import lanes
from ipnav.web.pages import _download, _script_json, render
from ipnav.web.security import change, current_user, read_warehouse, require

api = APIRouter(tags=["plans"])
pages = APIRouter(include_in_schema=False)
WarehouseDep = Annotated[Warehouse, Depends(read_warehouse)]
UserDep = Annotated[User, Depends(current_user)]
AnalystDep = Annotated[User, Depends(require("analyst"))]
AsOf = Annotated[dt.date | None, Query(description="Date of the assessment (default today)")]


class RecordBody(BaseModel):
    indicator: str = Field(min_length=1, max_length=64)
    value: float
    date: dt.date
    source: str = Field(min_length=1, max_length=500)


class TaskBody(BaseModel):
    status: str = Field(min_length=1, max_length=20, description="not_started, in_progress, done, blocked (or 未开始…)")
    date: dt.date
    note: str = Field("", max_length=2000)


def _plan(request: Request, plan_id: str) -> Plan:
    """A plan of the catalogue by id (the web never opens a file named by the client)."""
    return service.get(request.app.state.settings, plan_id, files=False)


async def _status(request: Request, wh: Warehouse, plan: Plan, as_of: dt.date | None) -> dict[str, Any]:
    return await lanes.heavy(service.status_cached, request.app.state.settings, wh, plan, as_of)


# --- API -----------------------------------------------------------------------------------------------


@api.get("/api/plans", summary="Plans as data / 规划列表")
async def api_plans(request: Request, user: UserDep) -> list[dict[str, Any]]:
    plans = await run_in_threadpool(service.catalogue, request.app.state.settings)
    return [service.summary(p) for p in plans.values()]


@api.get("/api/plans/{plan_id}", summary="Assessment of a plan as of a date / 规划实施监测")
async def api_plan_status(
    request: Request,
    plan_id: str,
    wh: WarehouseDep,
    as_of: AsOf = None,
    unit: Annotated[str | None, Query(max_length=200, description="Only this responsible unit")] = None,
) -> dict[str, Any]:
    data = await _status(request, wh, _plan(request, plan_id), as_of)
    return service.for_unit(data, unit) if unit else data


@api.post("/api/plans/{plan_id}/records", summary="Record a manual indicator value / 填报指标值")
async def api_plan_record(request: Request, plan_id: str, body: RecordBody, user: AnalystDep) -> dict[str, Any]:
    plan = _plan(request, plan_id)
    return await change(
        request, user, "plan.record", f"{plan.id}/{body.indicator}",
        lambda wh: records.record(wh, plan, body.indicator, body.value, body.date, source=body.source,
                                  actor=user.name, via="api"),
        lambda data: data,
    )  # fmt: skip


@api.post("/api/plans/{plan_id}/tasks/{task_id}", summary="Report task progress / 报告任务进展")
async def api_plan_task(
    request: Request, plan_id: str, task_id: str, body: TaskBody, user: AnalystDep
) -> dict[str, Any]:
    plan = _plan(request, plan_id)
    return await change(
        request, user, "plan.task", f"{plan.id}/{task_id}",
        lambda wh: records.update_task(wh, plan, task_id, body.status, body.date, note=body.note, actor=user.name,
                                       via="api"),
        lambda data: data,
    )  # fmt: skip


@api.get("/api/plans/{plan_id}/report", summary="Evaluation report (docx, xlsx, pdf) / 评估报告")
async def api_plan_report(
    request: Request,
    plan_id: str,
    wh: WarehouseDep,
    format: Annotated[str, Query(pattern="^(docx|xlsx|pdf)$")] = "docx",
    as_of: AsOf = None,
) -> Response:
    plan = _plan(request, plan_id)
    data = await _status(request, wh, plan, as_of)
    return await _download(
        request, f"{plan.id}-report-{data['as_of']}", format, lambda out: report.write(data, format, out)
    )


@api.get("/api/plans/{plan_id}/template", summary="Excel fill-in template for responsible units / 填报模板")
async def api_plan_template(
    request: Request,
    plan_id: str,
    wh: WarehouseDep,
    unit: Annotated[str | None, Query(max_length=200)] = None,
    as_of: AsOf = None,
) -> Response:
    plan = _plan(request, plan_id)
    data = await _status(request, wh, plan, as_of)
    return await _download(
        request, f"{plan.id}-template", "xlsx", lambda out: excel.template(plan, data, out, unit or None)
    )


# --- pages ---------------------------------------------------------------------------------------------


@pages.get("/plans")
async def plans_page(request: Request, user: UserDep) -> HTMLResponse:
    plans = await run_in_threadpool(service.catalogue, request.app.state.settings)
    return render(request, "plans.html", plans=[service.summary(p) for p in plans.values()])


def _spark(ind: dict[str, Any]) -> dict[str, Any]:
    """A small line of the observations, with the target trajectory as a dashed line."""
    points = [[o["date"], o["value"]] for o in ind["observations"]]
    series: list[dict[str, Any]] = [
        {"type": "line", "data": points, "symbolSize": 5, "lineStyle": {"width": 2}, "name": "实际"}
    ]
    base, target = ind["baseline"], ind["target"]
    if base and target and target.get("value") is not None:
        goal = target.get("quantity", target["value"])
        series.append({"type": "line", "data": [[base["date"], base["value"]], [target["date"], goal]],
                       "lineStyle": {"type": "dashed", "width": 1}, "symbol": "none", "name": "目标轨迹"})  # fmt: skip
    return {
        "grid": {"left": 4, "right": 4, "top": 6, "bottom": 4, "containLabel": False},
        "xAxis": {"type": "time", "show": False},
        "yAxis": {"type": "value", "show": False, "scale": True},
        "tooltip": {"trigger": "axis"},
        "series": series,
        "animation": False,
    }


@pages.get("/plans/{plan_id}")
async def plan_page(
    request: Request,
    plan_id: str,
    wh: WarehouseDep,
    user: UserDep,
    as_of: AsOf = None,
    unit: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    plan = _plan(request, plan_id)
    data = await _status(request, wh, plan, as_of)
    tasks = [t for t in data["tasks"] if not unit or unit in t["units"]]
    total = max(1, (plan.end - plan.start).days)
    timeline = []
    for phase in plan.phases:
        left = max(0.0, (phase.start - plan.start).days / total * 100)
        width = max(1.5, ((phase.end - phase.start).days + 1) / total * 100)
        timeline.append({**next(p for p in data["phases"] if p["id"] == phase.id), "left": left, "width": width})
    today = (dt.date.fromisoformat(data["as_of"]) - plan.start).days / total * 100
    return render(
        request, "plan.html", plan=data, tasks=tasks, unit=unit, timeline=timeline,
        today=min(100.0, max(0.0, today)), statuses=STATUSES, status_zh=STATUS_ZH, status_en=STATUS_EN,
        task_states=records.TASK_STATUSES, task_state_zh=records.TASK_STATUS_ZH,
        charts=_script_json({f"spark-{i['id']}": _spark(i) for i in data["indicators"] if i["observations"]}),
        notice=request.session.pop("plan_notice", None),
    )  # fmt: skip


def _back(plan: Plan, form: dict[str, Any], anchor: str) -> str:
    """The plan page at the date the user was looking at."""
    as_of = str(form.get("as_of") or "")
    try:
        query = f"?as_of={dt.date.fromisoformat(as_of).isoformat()}" if as_of else ""
    except ValueError:
        query = ""
    return f"/plans/{quote(plan.id)}{query}{anchor}"


async def _form(request: Request) -> dict[str, Any]:
    form = await request.form()
    return {k: form.get(k) for k in form}


@pages.post("/plans/{plan_id}/record")
async def plan_record_form(request: Request, plan_id: str, user: AnalystDep) -> Response:
    plan = _plan(request, plan_id)
    form = await _form(request)
    upload = form.get("evidence")
    evidence = None
    if upload is not None and getattr(upload, "filename", ""):
        data = await upload.read()
        if data:
            evidence = records.store_evidence(request.app.state.workspace, plan, str(upload.filename), data)
    indicator = str(form.get("indicator") or "")
    result = await change(
        request, user, "plan.record", f"{plan.id}/{indicator}",
        lambda wh: records.record(wh, plan, indicator, str(form.get("value") or ""), str(form.get("date") or ""),
                                  source=str(form.get("source") or ""), actor=user.name, via="web", evidence=evidence),
        lambda data: data,
    )  # fmt: skip
    request.session["plan_notice"] = f"{indicator}: {result['value']:g} ({result['date']})"
    return RedirectResponse(_back(plan, form, f"#ind-{quote(indicator)}"), status_code=303)


@pages.post("/plans/{plan_id}/task")
async def plan_task_form(request: Request, plan_id: str, user: AnalystDep) -> Response:
    plan = _plan(request, plan_id)
    form = await _form(request)
    task = str(form.get("task") or "")
    result = await change(
        request, user, "plan.task", f"{plan.id}/{task}",
        lambda wh: records.update_task(wh, plan, task, str(form.get("status") or ""), str(form.get("date") or ""),
                                       note=str(form.get("note") or ""), actor=user.name, via="web"),
        lambda data: data,
    )  # fmt: skip
    request.session["plan_notice"] = f"{task}: {records.TASK_STATUS_ZH[result['status']]} ({result['date']})"
    return RedirectResponse(_back(plan, form, "#tasks"), status_code=303)


@pages.post("/plans/{plan_id}/import")
async def plan_import_form(request: Request, plan_id: str, user: AnalystDep) -> Response:
    plan = _plan(request, plan_id)
    form = await _form(request)
    upload = form.get("file")
    if upload is None or not getattr(upload, "filename", ""):
        raise UsageError("choose the filled template (.xlsx) to import / 请选择填好的模板")
    data = await upload.read()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(str(upload.filename)).name
        path.write_bytes(data)
        result = await change(
            request, user, "plan.import", plan.id,
            lambda wh: excel.import_file(wh, plan, path, actor=user.name),
            lambda r: {"file": path.name, "recorded": r["recorded"], "unchanged": r["unchanged"], "tasks": r["tasks"],
                       "problems": len(r["problems"])},
        )  # fmt: skip
    lines = [
        f"{path.name}: {result['recorded']} 项数值已录入, {result['unchanged']} 项未变, {result['tasks']} 项任务进展"
    ]
    lines += [f"{p['sheet']}!{p['cell']} {p['field']}: {p['reason']}" for p in result["problems"]]
    request.session["plan_notice"] = "\n".join(lines)
    return RedirectResponse(_back(plan, form, ""), status_code=303)
