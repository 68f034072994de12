"""Trademarks: one mark by number, and search."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ipnav.web import lanes
from ipnav.web.security import AppDep, WarehouseDep

router = APIRouter(tags=["trademarks"])


@router.get("/api/trademarks/search", summary="Search trademarks / 商标检索")
async def api_tm_search(
    ipnav: AppDep,
    wh: WarehouseDep,
    q: Annotated[str, Query(min_length=1, max_length=2000, description="mark words, pinyin, word~1, fields")],
    limit: Annotated[int, Query(ge=1, le=1000)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
    sort: Annotated[
        str | None, Query(pattern=r"^(relevance|-?ad|-?rd)$", description="relevance, ad, -ad, rd, -rd")
    ] = None,
) -> dict[str, Any]:
    """One page of marks matching a query, with the total and facets (class, group, status, office, year,
    owner, province)."""
    return await lanes.quick(ipnav.trademark_search, q, limit=limit, offset=offset, sort=sort, wh=wh)


@router.get("/api/trademarks/{number}", summary="One trademark / 商标详情")
async def api_tm_show(number: str, ipnav: AppDep, wh: WarehouseDep) -> dict[str, Any]:
    """One mark in full by its application or registration number, any spelling."""
    return await lanes.quick(ipnav.trademark, number, wh)
