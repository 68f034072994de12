"""The other registers: the overview, a register's records with facets, one record."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ipnav.web import lanes
from ipnav.web.security import AppDep, UserDep, WarehouseDep

router = APIRouter(tags=["registers"])


@router.get("/api/registers", summary="The registers / 名录")
async def api_registers(ipnav: AppDep, wh: WarehouseDep) -> list[dict[str, Any]]:
    """Every register (GI, copyright, plant varieties, transfers/licences/pledges, cases, credit lists, named
    lists, technology contracts) with its record counts by sub-type."""
    return await lanes.quick(ipnav.registers, wh=wh)


@router.get("/api/registers/record", summary="One register record / 名录记录")
async def api_register_record(
    ipnav: AppDep,
    wh: WarehouseDep,
    user: UserDep,
    key: Annotated[str, Query(min_length=3, max_length=500, description="R:…")],
) -> dict[str, Any]:
    """A record in full: its fields, region and the basis of it, source, notes and links (a demand's contact
    for analysts only)."""
    return await lanes.quick(ipnav.register_record, key, private=user.can("analyst"), wh=wh)


@router.get("/api/registers/{name}", summary="A register's records / 名录检索")
async def api_register_records(
    ipnav: AppDep, wh: WarehouseDep, name: str,
    q: Annotated[str, Query(max_length=2000, description="words, or field:value (holder:, kind:质押 ...)")] = "",
    subtype: Annotated[str, Query(max_length=40)] = "",
    region: Annotated[str, Query(max_length=6, pattern=r"^\d{0,6}$", description="adcode prefix")] = "",
    year: Annotated[str, Query(max_length=4, pattern=r"^(\d{4})?$")] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> dict[str, Any]:  # fmt: skip
    """Records matching a query and filters, a page of them, with facet counts."""
    filters = {k: v for k, v in (("subtype", subtype), ("region", region), ("year", year)) if v}
    return await lanes.quick(ipnav.register_records, name, q, filters, page=page, per_page=per_page, wh=wh)
