"""Patent navigation: one analysis of a selection, and the thematic databases (专题库)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ipnav.analytics.catalog import CATALOG
from ipnav.application.options import AnalysisOptions
from ipnav.web import lanes
from ipnav.web.security import AnalystDep, AppDep, WarehouseDep, client_of

router = APIRouter(tags=["navigation"])


class TopicBody(BaseModel):
    """A new thematic database."""

    name: str = Field(min_length=1, max_length=100)
    query: str = Field(min_length=1, max_length=4000)
    description: str = Field("", max_length=2000)


class NumbersBody(BaseModel):
    """Patent numbers, any spelling."""

    numbers: list[str] = Field(min_length=1, max_length=10000)


@router.get(
    "/api/analyze/{kind}",
    summary="One navigation analysis of a selection / 专利导航分析",
    description="Analyses: " + ", ".join(CATALOG),
)
async def api_analyze(
    kind: str, ipnav: AppDep, wh: WarehouseDep, options: Annotated[AnalysisOptions, Query()]
) -> dict[str, Any]:
    """One navigation analysis of a selection: rows and its ECharts option."""
    return await lanes.apart(ipnav.settings, "analyze", kind, options)  # type: ignore[no-any-return]


@router.get("/api/topics", summary="Thematic databases / 专题库")
async def api_topics(ipnav: AppDep, wh: WarehouseDep) -> list[dict[str, Any]]:
    """Every thematic database."""
    return await run_in_threadpool(ipnav.topics, wh)


@router.get("/api/topics/{name}", summary="One thematic database / 专题库详情")
async def api_topic(name: str, ipnav: AppDep, wh: WarehouseDep) -> dict[str, Any]:
    """One thematic database and its members."""
    return await run_in_threadpool(ipnav.topic, name, wh)


@router.post("/api/topics", summary="Create a thematic database from a query / 新建专题库")
async def api_topic_create(request: Request, body: TopicBody, ipnav: AppDep, user: AnalystDep) -> dict[str, Any]:
    """Create a thematic database from a query (analysts)."""
    return await run_in_threadpool(
        lambda: ipnav.topic_create(body.name, body.query, body.description, actor=user.name, client=client_of(request))
    )


@router.post("/api/topics/{name}/refresh", summary="Re-run a topic's query, report what changed / 更新专题库")
async def api_topic_refresh(request: Request, name: str, ipnav: AppDep, user: AnalystDep) -> dict[str, Any]:
    """Re-run a topic's query; what came in and went out (analysts)."""
    return await run_in_threadpool(lambda: ipnav.topic_refresh(name, actor=user.name, client=client_of(request)))


@router.post("/api/topics/{name}/add", summary="Add patents to a topic by number / 加入专利")
async def api_topic_add(
    request: Request, name: str, body: NumbersBody, ipnav: AppDep, user: AnalystDep
) -> dict[str, Any]:
    """Add patents to a topic by number (analysts)."""
    return await run_in_threadpool(
        lambda: ipnav.topic_add(name, body.numbers, actor=user.name, client=client_of(request))
    )


@router.get("/api/topics/{name}/members", summary="A topic's members page by page / 专题库专利清单")
async def api_topic_members(
    name: str,
    ipnav: AppDep,
    wh: WarehouseDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    order: Annotated[str, Query(pattern="^(added|filed|number)$")] = "added",
) -> dict[str, Any]:
    """One page of a topic's members with how each came in, when, and its note."""
    return await run_in_threadpool(lambda: ipnav.topic_members(name, offset=offset, limit=limit, order=order, wh=wh))


@router.get("/api/topics/{name}/log", summary="A topic's change log / 专题库变更记录")
async def api_topic_log(
    name: str, ipnav: AppDep, wh: WarehouseDep, limit: Annotated[int, Query(ge=1, le=1000)] = 50
) -> list[dict[str, Any]]:
    """Each create, refresh, add and remove with what came in and went out, newest first."""
    return await run_in_threadpool(ipnav.topic_changes, name, limit, wh)


class NoteBody(BaseModel):
    """A note on one member of a topic (empty clears it)."""

    number: str = Field(min_length=1, max_length=200)
    note: str = Field("", max_length=2000)


@router.put("/api/topics/{name}/notes", summary="Keep a note on a topic member / 专利备注")
async def api_topic_note(
    request: Request, name: str, body: NoteBody, ipnav: AppDep, user: AnalystDep
) -> dict[str, Any]:
    """Keep a note on one member of a topic (analysts)."""
    return await run_in_threadpool(
        lambda: ipnav.topic_note(name, body.number, body.note, actor=user.name, client=client_of(request))
    )


@router.post("/api/topics/{name}/remove", summary="Remove patents from a topic / 移出专利")
async def api_topic_remove(
    request: Request, name: str, body: NumbersBody, ipnav: AppDep, user: AnalystDep
) -> dict[str, Any]:
    """Remove patents from a topic (analysts)."""
    return await run_in_threadpool(
        lambda: ipnav.topic_remove(name, body.numbers, actor=user.name, client=client_of(request))
    )


@router.delete("/api/topics/{name}", summary="Delete a thematic database / 删除专题库")
async def api_topic_delete(request: Request, name: str, ipnav: AppDep, user: AnalystDep) -> dict[str, str]:
    """Delete a topic; its patents stay (analysts)."""
    return await run_in_threadpool(lambda: ipnav.topic_delete(name, actor=user.name, client=client_of(request)))
