"""Plan monitoring API (`/api/plans...`): plans as data, their assessment, records, reports, templates.
Recording values and task progress are analyst actions (CSRF-checked, audited like every change)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ipnav.web import lanes
from ipnav.web.render import download
from ipnav.web.security import AnalystDep, AppDep, UserDep, WarehouseDep, client_of

router = APIRouter(tags=["plans"])
AsOf = Annotated[dt.date | None, Query(description="Date of the assessment (default today)")]


class RecordBody(BaseModel):
    """A manual indicator value."""

    indicator: str = Field(min_length=1, max_length=64)
    value: float
    date: dt.date
    source: str = Field(min_length=1, max_length=500)


class TaskBody(BaseModel):
    """Progress of a task."""

    status: str = Field(min_length=1, max_length=20, description="not_started, in_progress, done, blocked (or 未开始…)")
    date: dt.date
    note: str = Field("", max_length=2000)


@router.get("/api/plans", summary="Plans as data / 规划列表")
async def api_plans(ipnav: AppDep, user: UserDep) -> list[dict[str, Any]]:
    """The plans ipnav knows."""
    return await run_in_threadpool(ipnav.plans)


@router.get("/api/plans/{plan_id}", summary="Assessment of a plan as of a date / 规划实施监测")
async def api_plan_status(
    plan_id: str,
    ipnav: AppDep,
    wh: WarehouseDep,
    as_of: AsOf = None,
    unit: Annotated[str | None, Query(max_length=200, description="Only this responsible unit")] = None,
) -> dict[str, Any]:
    """A plan's assessment as of a date (one unit's share with `unit`)."""
    plan = ipnav.plan(plan_id, files=False)
    return await lanes.heavy(lambda: ipnav.plan_status(plan, as_of, unit=unit, wh=wh))


@router.post("/api/plans/{plan_id}/records", summary="Record a manual indicator value / 填报指标值")
async def api_plan_record(
    request: Request, plan_id: str, body: RecordBody, ipnav: AppDep, user: AnalystDep
) -> dict[str, Any]:
    """Record a manual indicator value (analysts, audited)."""
    plan = ipnav.plan(plan_id, files=False)
    return await run_in_threadpool(
        lambda: ipnav.plan_record(plan, body.indicator, body.value, body.date, source=body.source, actor=user.name,
                                  via="api", client=client_of(request))
    )  # fmt: skip


@router.post("/api/plans/{plan_id}/tasks/{task_id}", summary="Report task progress / 报告任务进展")
async def api_plan_task(
    request: Request, plan_id: str, task_id: str, body: TaskBody, ipnav: AppDep, user: AnalystDep
) -> dict[str, Any]:
    """Report a task's progress (analysts, audited)."""
    plan = ipnav.plan(plan_id, files=False)
    return await run_in_threadpool(
        lambda: ipnav.plan_task(plan, task_id, body.status, body.date, note=body.note, actor=user.name, via="api",
                                client=client_of(request))
    )  # fmt: skip


@router.get("/api/plans/{plan_id}/report", summary="Evaluation report (docx, xlsx, pdf) / 评估报告")
async def api_plan_report(
    request: Request,
    plan_id: str,
    ipnav: AppDep,
    wh: WarehouseDep,
    format: Annotated[str, Query(pattern="^(docx|xlsx|pdf)$")] = "docx",
    as_of: AsOf = None,
) -> Response:
    """The evaluation report as docx, xlsx or pdf."""
    plan = ipnav.plan(plan_id, files=False)
    data = await lanes.heavy(lambda: ipnav.plan_status(plan, as_of, wh=wh))
    return await download(
        request, f"{plan.id}-report-{data['as_of']}", format, lambda out: ipnav.plan_report(data, format, out)
    )


@router.get("/api/plans/{plan_id}/template", summary="Excel fill-in template for responsible units / 填报模板")
async def api_plan_template(
    request: Request,
    plan_id: str,
    ipnav: AppDep,
    wh: WarehouseDep,
    unit: Annotated[str | None, Query(max_length=200)] = None,
    as_of: AsOf = None,
) -> Response:
    """The Excel fill-in template for responsible units."""
    plan = ipnav.plan(plan_id, files=False)
    data = await lanes.heavy(lambda: ipnav.plan_status(plan, as_of, wh=wh))
    return await download(
        request, f"{plan.id}-template", "xlsx", lambda out: ipnav.plan_template(data, plan, out, unit or None)
    )
