"""The indicator page: one regional indicator with its map, table, sources and drill-down."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from ipnav.application.options import IndicatorOptions
from ipnav.kpi.catalog import catalogue
from ipnav.normalize.region import short_name
from ipnav.web import lanes
from ipnav.web.render import render, script_json
from ipnav.web.security import AppDep, UserDep, WarehouseDep

router = APIRouter(include_in_schema=False)


@router.get("/indicators")
async def indicators_page(
    request: Request,
    ipnav: AppDep,
    wh: WarehouseDep,
    user: UserDep,
    name: Annotated[str, Query(max_length=40)] = "high_value_invention_per_10k",
    region: Annotated[str, Query(max_length=40)] = "",
    by: Annotated[str, Query(max_length=10)] = "province",
    as_of: Annotated[dt.date | None, Query()] = None,
    patents: bool = False,
    region_basis: Annotated[str, Query(pattern="^(all|address)$")] = "all",
) -> HTMLResponse:
    """One indicator with its map, table, sources and drill-down; `region_basis=address` counts only
    regions from the records' own addresses."""
    by = _finer(region, by)
    options = IndicatorOptions(
        region=region or None, by=by or None, as_of=as_of, patents=patents, region_basis=region_basis
    )
    question = ipnav.indicator_request(name, options)  # bad options are refused before the analysis process
    result = await lanes.apart(ipnav.settings, "indicator", name, options)
    return render(
        request, "indicators.html", result=result, catalogue=catalogue(), name=name, region=region,
        by=by, as_of=question.as_of.isoformat(), patents=patents, region_basis=region_basis,
        map_data=script_json(_map_data(result)),
    )  # fmt: skip


def _finer(region: str, by: str) -> str:
    """The sub-region level to show: the one asked for when it lies below the region, else the next finer
    one (a link from a plan names only its region: 南江县 shows no rows, 常州市 its counties)."""
    from ipnav.errors import UsageError
    from ipnav.normalize import region as regions

    try:
        level = regions.resolve(region or None).level
    except UsageError:
        return by  # the indicator names the problem
    levels = regions.LEVELS
    if by in levels and levels.index(by) > levels.index(level):
        return by
    below = levels.index(level) + 1
    return levels[below] if below < len(levels) else ""


def _map_data(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The provinces' figures under the names of the China map."""
    if result.get("by") != "province":
        return []

    def value(row: dict[str, Any]) -> Any:  # stocks: the figure; flows: the last year's
        return row["value"] if "value" in row else row["series"][-1]["value"]

    return [{"name": short_name(r["name"]), "value": value(r)} for r in result.get("rows", []) if r["code"]]
