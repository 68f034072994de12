"""The data: what the warehouse holds, one patent, search, similar patents, rejects and value."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ipnav.application.options import SearchOptions, ValueOptions
from ipnav.store.snapshot import memo
from ipnav.web import lanes
from ipnav.web.api.navigation import NumbersBody
from ipnav.web.render import json_response
from ipnav.web.security import AppDep, WarehouseDep

router = APIRouter(tags=["patents"])


@router.get("/api/stats", summary="What the warehouse holds / 数据概况")
async def api_stats(ipnav: AppDep, wh: WarehouseDep) -> dict[str, Any]:
    """What the warehouse holds."""
    return await run_in_threadpool(ipnav.stats, wh)


@router.get("/api/patents/{number}", summary="One patent in full / 专利详情")
async def api_patent(number: str, ipnav: AppDep, wh: WarehouseDep) -> dict[str, Any]:
    """One patent in full, by any spelling of its numbers."""
    return await lanes.quick(ipnav.show, number, wh)


@router.get("/api/search", summary="Search with the query language / 专利检索", response_model=None)
async def api_search(ipnav: AppDep, wh: WarehouseDep, options: Annotated[SearchOptions, Query()]) -> Response:
    """One page of hits of a query, with facets and the next cursor."""
    data = await lanes.quick(ipnav.search, options, wh)
    return json_response(data)  # the hot path: orjson, no per-field re-encoding of a plain dict


@router.get("/api/similar/{number}", summary="Patents similar to one patent / 相似专利")
async def api_similar(
    number: str, ipnav: AppDep, wh: WarehouseDep, limit: Annotated[int, Query(ge=1, le=100)] = 10
) -> dict[str, Any]:
    """Patents most similar to one patent."""
    return await lanes.quick(memo, wh, ("similar", number, limit), lambda: ipnav.similar(number, limit=limit, wh=wh))


@router.get("/api/rejects", summary="Rejected records with file, position, field, reason / 拒收记录")
async def api_rejects(
    ipnav: AppDep,
    wh: WarehouseDep,
    limit: Annotated[int, Query(ge=1, le=10000)] = 1000,
    run: Annotated[int | None, Query(ge=1)] = None,
) -> list[dict[str, Any]]:
    """Rejected records with file, position, field and reason."""
    return await run_in_threadpool(lambda: ipnav.rejects(limit=limit, run=run, wh=wh))


@router.get("/api/value/{number}", summary="Official flags and value score of one patent / 专利价值度")
async def api_value(
    number: str, ipnav: AppDep, wh: WarehouseDep, options: Annotated[ValueOptions, Query()]
) -> dict[str, Any]:
    """A patent's official flags and value score."""
    return await lanes.quick(ipnav.value, number, options, wh)


@router.post("/api/lookup", summary="Look up a list of numbers (any spelling, up to 10,000) / 号码批量检索")
async def api_lookup(body: NumbersBody, ipnav: AppDep, wh: WarehouseDep) -> dict[str, Any]:
    """Each number found (its application), not found (with close numbers) or ambiguous (its candidates)."""
    return await lanes.quick(ipnav.lookup, body.numbers, wh)  # type: ignore[no-any-return]
