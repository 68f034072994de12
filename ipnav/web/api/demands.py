"""Supply and demand (技术供需对接) and semantic search: demands and offers (analysts post them), a demand's
matches, the demands a patent or an owner fits, and patents found by a description in any language."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ipnav.matching.match import MatchOptions
from ipnav.web import lanes
from ipnav.web.security import AnalystDep, AppDep, UserDep, WarehouseDep

router = APIRouter(tags=["supply and demand"])


class NeedBody(BaseModel):
    """A demand (or an offer): title and description required; a region as a place or a division code."""

    title: str = Field(min_length=1, max_length=300)
    description: str = Field(min_length=1, max_length=4000)
    holder: str = Field("", max_length=300, description="the enterprise (demand) or the holder (offer)")
    region: str = Field("", max_length=300, description="a place (常州市武进区) or a 6-digit division code")
    field: str = Field("", max_length=300)
    ipc: list[str] = Field(default_factory=list, max_length=50)
    keywords: list[str] = Field(default_factory=list, max_length=50)
    budget: str = Field("", max_length=50, description="demand: 万元 or with a unit")
    deadline: str = Field("", max_length=30)
    cooperation: list[str] = Field(default_factory=list, max_length=10)
    patents: list[str] = Field(default_factory=list, max_length=200, description="offer: patent numbers")
    price: str = Field("", max_length=50, description="offer: asking price, 万元")
    contact: str = Field("", max_length=100)
    phone: str = Field("", max_length=100)

    def values(self, register: str) -> dict[str, Any]:
        region = self.region.strip()
        place = {} if not region else {"adcode": region} if region.isdigit() and len(region) == 6 else {
            "address": region}  # fmt: skip
        common = {"title": self.title, "description": self.description, "holder": self.holder, "field": self.field,
                  "ipc": self.ipc, "keywords": self.keywords, "cooperation": self.cooperation,
                  "contact": self.contact, "phone": self.phone, **place}  # fmt: skip
        if register == "tech_demand":
            return {**common, "budget": self.budget, "deadline": self.deadline}
        return {**common, "numbers": self.patents, "amount": self.price}


@router.get("/api/demands", summary="Demands / 企业技术需求")
async def api_demands(ipnav: AppDep, wh: WarehouseDep, user: UserDep, every: bool = False) -> list[dict[str, Any]]:
    """The open demands (every one with `every`), newest first; contacts for analysts only."""
    return await lanes.quick(ipnav.list_needs, "tech_demand", private=user.can("analyst"), open_only=not every, wh=wh)


@router.post("/api/demands", summary="Post a demand / 发布需求")
async def api_demand_add(body: NeedBody, ipnav: AppDep, user: AnalystDep) -> dict[str, Any]:
    """Enter a demand (checked like an imported row, numbered XQ…); the poster follows it."""
    return await run_in_threadpool(lambda: ipnav.add_need("tech_demand", body.values("tech_demand"), user=user.name))


@router.get("/api/offers", summary="Offers / 可转化成果")
async def api_offers(ipnav: AppDep, wh: WarehouseDep, user: UserDep) -> list[dict[str, Any]]:
    """The offers of tech-transfer offices, newest first."""
    return await lanes.quick(ipnav.list_needs, "tech_offer", private=user.can("analyst"), wh=wh)


@router.post("/api/offers", summary="Post an offer / 发布成果")
async def api_offer_add(body: NeedBody, ipnav: AppDep, user: AnalystDep) -> dict[str, Any]:
    """Enter an offer (numbered CG…)."""
    return await run_in_threadpool(lambda: ipnav.add_need("tech_offer", body.values("tech_offer"), user=user.name))


@router.get("/api/demands/fits", summary="Demands a patent or an owner fits / 谁需要我的专利")
async def api_demand_fits(
    ipnav: AppDep, wh: WarehouseDep, user: UserDep,
    owner: Annotated[str, Query(max_length=200)] = "", patent: Annotated[str, Query(max_length=100)] = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> dict[str, Any]:  # fmt: skip
    """The open demands an owner's valid patents (or one patent) fit, each with its best patent and why."""
    return await lanes.quick(ipnav.demands_for, number=patent, owner=owner, limit=limit,
                             private=user.can("analyst"), wh=wh)  # fmt: skip


@router.get("/api/demands/{key}/matches", summary="A demand's matches / 需求匹配")
async def api_demand_matches(
    key: str, ipnav: AppDep, wh: WarehouseDep, user: UserDep,
    status: Annotated[str, Query(pattern="^(valid|live|all)$")] = "valid",
    owner_type: Annotated[list[str] | None, Query()] = None, open_licence: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> dict[str, Any]:  # fmt: skip
    """Patents and offers that could meet a demand, best first, each with its reasons."""
    options = MatchOptions(limit=limit, status=status, owner_types=tuple(owner_type or ()), open_licence=open_licence)
    return await lanes.quick(ipnav.demand_matches, key, options, private=user.can("analyst"), wh=wh)


@router.get("/api/search/semantic", summary="Describe the technology / 语义检索")
async def api_semantic(
    ipnav: AppDep, wh: WarehouseDep, text: Annotated[str, Query(min_length=1, max_length=2000)],
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> dict[str, Any]:  # fmt: skip
    """Patents nearest in meaning to a description, in any language, with the share of records embedded."""
    return await lanes.quick(ipnav.semantic_search, text, limit=limit, wh=wh)
