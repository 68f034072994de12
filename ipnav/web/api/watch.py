"""Trademark watches, bad-faith filing signals and the signed-in user's alerts, as JSON."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ipnav.trademarks.similar import SIMILAR
from ipnav.web.security import AppDep, MemberDep, SignedInDep, UserDep, WarehouseDep

router = APIRouter(tags=["trademarks"])


class WatchBody(BaseModel):
    """A watch: a mark's words, or every mark of an owner; its goods and lowest score."""

    name: str = Field(min_length=1, max_length=100)
    mark: str = Field("", max_length=200)
    owner: str = Field("", max_length=200, description="watch every mark this owner holds")
    classes: list[int] = Field(default_factory=list, max_length=45)
    groups: list[str] = Field(default_factory=list, max_length=500)
    threshold: int = Field(SIMILAR, ge=1, le=100)


class ReadBody(BaseModel):
    """Notifications to mark read (none: all)."""

    ids: list[int] | None = Field(None, max_length=10_000)


@router.get("/api/watches", summary="My trademark watches / 我的商标监测")
async def api_watches(ipnav: AppDep, user: SignedInDep) -> list[dict[str, Any]]:
    """The signed-in user's watches."""
    return await run_in_threadpool(ipnav.watches.listing, user.name)


@router.post("/api/watches", summary="Add a trademark watch / 新建商标监测")
async def api_watch_add(body: WatchBody, ipnav: AppDep, user: MemberDep) -> dict[str, Any]:
    """Add (or replace) a watch of a mark's words or of an owner's marks."""
    return await run_in_threadpool(lambda: ipnav.watches.add(
        user.name, body.name, mark=body.mark, holder=body.owner, classes=body.classes, groups=body.groups,
        threshold=body.threshold))  # fmt: skip


@router.delete("/api/watches/{name}", summary="Remove a trademark watch / 删除商标监测")
async def api_watch_remove(name: str, ipnav: AppDep, user: MemberDep) -> dict[str, str]:
    """Remove one of the user's watches."""
    await run_in_threadpool(ipnav.watches.remove, user.name, name)
    return {"removed": name}


@router.get("/api/watches/run", summary="Run my watches / 运行商标监测")
async def api_watch_run(
    ipnav: AppDep, wh: WarehouseDep, user: SignedInDep,
    since: Annotated[dt.date | None, Query(description="marks published on or after")] = None,
) -> dict[str, Any]:  # fmt: skip
    """Similar marks of others for each of the user's watches, with score, reasons and opposition deadline."""
    return await run_in_threadpool(lambda: ipnav.watch_run(since=since, user=user.name, wh=wh))


@router.get("/api/trademarks/risk", summary="Bad-faith filing signals / 恶意注册风险")
async def api_tm_risk(
    ipnav: AppDep, wh: WarehouseDep, user: UserDep,
    region: Annotated[str, Query(max_length=50, description="owners of this region (name or adcode)")] = "",
) -> dict[str, Any]:  # fmt: skip
    """Applicants with bad-faith filing signals, each with evidence and threshold; the agents; the thresholds."""
    return await run_in_threadpool(lambda: ipnav.trademark_risk(region=region, wh=wh))


@router.get("/api/alerts", summary="My alerts / 我的提醒")
async def api_alerts(ipnav: AppDep, user: SignedInDep, unread: bool = False) -> list[dict[str, Any]]:
    """The signed-in user's notifications, newest first."""
    return await run_in_threadpool(lambda: ipnav.alerts.inbox(user.name, unread=unread))


@router.post("/api/alerts/read", summary="Mark alerts read / 标为已读")
async def api_alerts_read(body: ReadBody, ipnav: AppDep, user: MemberDep) -> dict[str, int]:
    """Mark these (or all) of the user's notifications read."""
    return {"read": await run_in_threadpool(ipnav.alerts.mark_read, user.name, body.ids)}
