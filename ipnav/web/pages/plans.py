"""Plan monitoring pages (`/plans...`): the catalogue, one plan's assessment with its timeline, and the
forms that record values, report task progress and import filled templates."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile  # what request.form() gives (fastapi.UploadFile is a subclass)

from ipnav.errors import UsageError
from ipnav.plan import records
from ipnav.plan.assess import STATUS_EN, STATUS_ZH, STATUSES
from ipnav.plan.model import Plan
from ipnav.web import lanes
from ipnav.web.render import render, script_json
from ipnav.web.security import AnalystDep, AppDep, UserDep, WarehouseDep, client_of

router = APIRouter(include_in_schema=False)
AsOf = Annotated[dt.date | None, Query(description="Date of the assessment (default today)")]


@router.get("/plans")
async def plans_page(request: Request, ipnav: AppDep, user: UserDep) -> HTMLResponse:
    """The plans ipnav knows."""
    return render(request, "plans.html", plans=await run_in_threadpool(ipnav.plans))


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


@router.get("/plans/{plan_id}")
async def plan_page(
    request: Request,
    plan_id: str,
    ipnav: AppDep,
    wh: WarehouseDep,
    user: UserDep,
    as_of: AsOf = None,
    unit: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    """One plan's assessment: indicators with sparklines, tasks, units and the phase timeline."""
    plan = ipnav.plan(plan_id, files=False)
    data = await lanes.heavy(lambda: ipnav.plan_status(plan, as_of, wh=wh))
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
        charts=script_json({f"spark-{i['id']}": _spark(i) for i in data["indicators"] if i["observations"]}),
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


@router.post("/plans/{plan_id}/record")
async def plan_record_form(request: Request, plan_id: str, ipnav: AppDep, user: AnalystDep) -> Response:
    """Record a manual indicator value from the form, with an evidence file."""
    plan = ipnav.plan(plan_id, files=False)
    form = await _form(request)
    upload = form.get("evidence")
    evidence = None
    if isinstance(upload, UploadFile) and upload.filename:
        evidence = (upload.filename, await upload.read())
    indicator = str(form.get("indicator") or "")
    result = await run_in_threadpool(
        lambda: ipnav.plan_record(plan, indicator, str(form.get("value") or ""), str(form.get("date") or ""),
                                  source=str(form.get("source") or ""), actor=user.name, via="web",
                                  evidence=evidence, client=client_of(request))
    )  # fmt: skip
    request.session["plan_notice"] = f"{indicator}: {result['value']:g} ({result['date']})"
    return RedirectResponse(_back(plan, form, f"#ind-{quote(indicator)}"), status_code=303)


@router.post("/plans/{plan_id}/task")
async def plan_task_form(request: Request, plan_id: str, ipnav: AppDep, user: AnalystDep) -> Response:
    """Report a task's progress from the form."""
    plan = ipnav.plan(plan_id, files=False)
    form = await _form(request)
    task = str(form.get("task") or "")
    result = await run_in_threadpool(
        lambda: ipnav.plan_task(plan, task, str(form.get("status") or ""), str(form.get("date") or ""),
                                note=str(form.get("note") or ""), actor=user.name, via="web",
                                client=client_of(request))
    )  # fmt: skip
    request.session["plan_notice"] = f"{task}: {records.TASK_STATUS_ZH[result['status']]} ({result['date']})"
    return RedirectResponse(_back(plan, form, "#tasks"), status_code=303)


@router.post("/plans/{plan_id}/import")
async def plan_import_form(request: Request, plan_id: str, ipnav: AppDep, user: AnalystDep) -> Response:
    """Import a filled template from the form; each bad cell is named."""
    plan = ipnav.plan(plan_id, files=False)
    form = await _form(request)
    upload = form.get("file")
    if upload is None or not getattr(upload, "filename", ""):
        raise UsageError("choose the filled template (.xlsx) to import / 请选择填好的模板")
    data = await upload.read()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(str(upload.filename)).name
        path.write_bytes(data)
        result = await run_in_threadpool(
            lambda: ipnav.plan_import(plan, path, actor=user.name, client=client_of(request))
        )
    lines = [
        f"{path.name}: {result['recorded']} 项数值已录入, {result['unchanged']} 项未变, {result['tasks']} 项任务进展"
    ]
    lines += [f"{p['sheet']}!{p['cell']} {p['field']}: {p['reason']}" for p in result["problems"]]
    request.session["plan_notice"] = "\n".join(lines)
    return RedirectResponse(_back(plan, form, ""), status_code=303)
