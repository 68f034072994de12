"""Regional indicators (区域指标): the catalogue and one indicator as of a date."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ipnav.application.options import IndicatorOptions
from ipnav.kpi.catalog import INDICATORS, catalogue
from ipnav.web import lanes
from ipnav.web.security import AppDep, WarehouseDep

router = APIRouter(tags=["indicators"])


@router.get("/api/indicators", summary="Indicator catalogue with definitions / 指标目录")
async def api_indicators() -> list[dict[str, Any]]:
    """Every indicator with its definition."""
    return catalogue()


@router.get(
    "/api/indicators/{name}",
    summary="One regional indicator as of a date / 区域指标",
    description="Indicators: " + ", ".join(INDICATORS),
)
async def api_indicator(
    name: str, ipnav: AppDep, wh: WarehouseDep, options: Annotated[IndicatorOptions, Query()]
) -> dict[str, Any]:
    """One regional indicator as of a date, with breakdown, sources and drill-down."""
    ipnav.indicator_request(name, options)  # bad options are refused here, before the analysis process
    return await lanes.apart(ipnav.settings, "indicator", name, options)  # type: ignore[no-any-return]
