"""What each user keeps of searching: the history (last 50), saved searches (private or shared), and the
export of chosen hits."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ipnav.web.api.navigation import NumbersBody
from ipnav.web.render import download
from ipnav.web.security import AppDep, MemberDep, SignedInDep, UserDep, WarehouseDep

router = APIRouter(tags=["search"])


class SavedBody(BaseModel):
    """A query saved under a name."""

    name: str = Field(min_length=1, max_length=100)
    query: str = Field(min_length=1, max_length=4000)
    shared: bool = False
    kind: str = Field("patent", pattern="^(patent|trademark)$", description="patent or trademark query")


class ExportBody(NumbersBody):
    """Chosen patents (numbers in any spelling or application keys) and the file format."""

    format: Annotated[str, Field(pattern="^(xlsx|csv)$")] = "xlsx"


@router.get("/api/searches/history", summary="My last 50 searches / 检索历史")
async def api_history(ipnav: AppDep, user: SignedInDep) -> list[dict[str, Any]]:
    """The signed-in user's latest queries, newest first, with their hit counts."""
    return await run_in_threadpool(ipnav.searches.history, user.name)


@router.delete("/api/searches/history", summary="Forget my search history / 清空检索历史")
async def api_history_clear(ipnav: AppDep, user: MemberDep) -> dict[str, int]:
    """Forget the signed-in user's history."""
    return {"forgotten": await run_in_threadpool(ipnav.searches.clear_history, user.name)}


@router.get("/api/searches/saved", summary="My saved searches and shared ones / 已保存的检索式")
async def api_saved(ipnav: AppDep, user: SignedInDep) -> list[dict[str, Any]]:
    """The user's saved searches, then those other users shared."""
    return await run_in_threadpool(ipnav.searches.saved, user.name)


@router.post("/api/searches/saved", summary="Save a search / 保存检索式")
async def api_save(body: SavedBody, ipnav: AppDep, user: MemberDep) -> dict[str, Any]:
    """Save a query under a name (the same name of the same user is replaced)."""
    return await run_in_threadpool(
        lambda: ipnav.searches.save(user.name, body.name, body.query, shared=body.shared, kind=body.kind)
    )


@router.delete("/api/searches/saved/{search_id}", summary="Delete a saved search / 删除检索式")
async def api_saved_delete(search_id: int, ipnav: AppDep, user: MemberDep) -> dict[str, Any]:
    """Delete one of the user's saved searches (an admin may delete a shared one)."""
    return await run_in_threadpool(lambda: ipnav.searches.delete(user.name, search_id, admin=user.can("admin")))


@router.post("/api/search/export", summary="Export chosen patents as xlsx or csv / 导出所选专利", response_model=None)
async def api_export_selected(
    request: Request, body: ExportBody, ipnav: AppDep, wh: WarehouseDep, user: UserDep
) -> Response:
    """The chosen patents as a file, one row each, cells as in the export of every hit."""

    def work(out: Path) -> None:
        ipnav.export_selected(body.numbers, body.format, out, wh=wh)

    return await download(request, "selected", body.format, work)
