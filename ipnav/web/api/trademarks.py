"""Trademarks: one mark by number, and search."""

from __future__ import annotations

import datetime as dt
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
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="deeper: the CLI's --all or the export")] = 0,
    sort: Annotated[
        str | None, Query(pattern=r"^(relevance|-?ad|-?rd)$", description="relevance, ad, -ad, rd, -rd")
    ] = None,
) -> dict[str, Any]:
    """One page of marks matching a query, with the total and facets (class, group, status, office, year,
    owner, province)."""
    return await lanes.quick(ipnav.trademark_search, q, limit=limit, offset=offset, sort=sort, wh=wh)


@router.get("/api/trademarks/similar", summary="Similar marks / 近似商标")
async def api_tm_similar(
    ipnav: AppDep,
    wh: WarehouseDep,
    text: Annotated[str, Query(min_length=1, max_length=200, description="the mark to compare")],
    classes: Annotated[list[int] | None, Query(description="Nice classes of its goods")] = None,
    groups: Annotated[list[str] | None, Query(description="similar groups (类似群), e.g. 3002")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
    threshold: Annotated[int, Query(ge=0, le=100, description="lowest score (60: ipnav's line for similar)")] = 60,
) -> dict[str, Any]:
    """Marks similar to a mark text, scored 0-100 with the reasons (shape, sound, meaning, goods)."""
    return await lanes.quick(ipnav.trademark_similar, text, classes=classes, groups=groups, limit=limit,
                             threshold=threshold, wh=wh)  # fmt: skip


@router.get("/api/trademarks/navigate", summary="Trademark navigation / 商标导航")
async def api_tm_navigate(
    ipnav: AppDep,
    wh: WarehouseDep,
    selection: Annotated[
        str, Query(min_length=1, max_length=4000, description="a trademark query, numbers:A,B or all")
    ],
    as_of: Annotated[dt.date | None, Query()] = None,
) -> dict[str, Any]:
    """Every trademark analysis of a selection of marks: rows (each with the query of its marks) and charts."""
    return await lanes.heavy(ipnav.trademark_navigate, selection, as_of=as_of, wh=wh)


@router.get("/api/trademarks/{number}", summary="One trademark / 商标详情")
async def api_tm_show(number: str, ipnav: AppDep, wh: WarehouseDep) -> dict[str, Any]:
    """One mark in full by its application or registration number, any spelling."""
    return await lanes.quick(ipnav.trademark, number, wh)
