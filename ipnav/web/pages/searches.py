"""What a user keeps of searching, as pages: the search history and saved searches, and what can be done
with chosen hits (export them, add them to a thematic database)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ipnav.web.render import download, render
from ipnav.web.security import AnalystDep, AppDep, MemberDep, SignedInDep, UserDep, WarehouseDep, client_of

router = APIRouter(include_in_schema=False)
Numbers = Annotated[list[str], Form(min_length=1, max_length=10_000)]


def _back(url: str) -> str:
    """Only ever back to a search page of this site."""
    return url if url.startswith("/search") and not url.startswith("//") else "/search"


@router.get("/searches")
async def searches_page(request: Request, ipnav: AppDep, user: SignedInDep) -> HTMLResponse:
    """The user's last 50 searches and the saved searches (own and shared)."""

    def work() -> dict[str, Any]:
        return {"history": ipnav.searches.history(user.name), "saved": ipnav.searches.saved(user.name)}

    return render(request, "searches.html", **await run_in_threadpool(work))


@router.post("/searches/saved")
async def save_search(
    request: Request,
    ipnav: AppDep,
    user: MemberDep,
    name: Annotated[str, Form(min_length=1, max_length=100)],
    query: Annotated[str, Form(min_length=1, max_length=4000)],
    shared: Annotated[bool, Form()] = False,
    kind: Annotated[str, Form(pattern="^(patent|trademark)$")] = "patent",
) -> Response:
    """Save the query of the patent or the trademark search page under a name."""
    saved = await run_in_threadpool(lambda: ipnav.searches.save(user.name, name, query, shared=shared, kind=kind))
    request.session["search_notice"] = {"saved": saved["name"]}
    page = "/trademarks" if kind == "trademark" else "/search"
    return RedirectResponse(f"{page}?{urlencode({'q': query})}", status_code=303)


@router.post("/searches/saved/{search_id}/delete")
async def delete_search(search_id: int, ipnav: AppDep, user: MemberDep) -> Response:
    """Delete one of the user's saved searches."""
    await run_in_threadpool(lambda: ipnav.searches.delete(user.name, search_id, admin=user.can("admin")))
    return RedirectResponse("/searches", status_code=303)


@router.post("/searches/history/clear")
async def clear_history(ipnav: AppDep, user: MemberDep) -> Response:
    """Forget the user's search history."""
    await run_in_threadpool(ipnav.searches.clear_history, user.name)
    return RedirectResponse("/searches", status_code=303)


@router.post("/search/export-selected")
async def export_selected(
    request: Request,
    ipnav: AppDep,
    wh: WarehouseDep,
    user: UserDep,
    numbers: Numbers,
    format: Annotated[str, Form(pattern="^(xlsx|csv)$")] = "xlsx",
) -> Response:
    """The hits chosen on the search page as xlsx or csv (the same cells as the export of every hit)."""

    def work(out: Path) -> None:
        ipnav.export_selected(numbers, format, out, wh=wh)

    return await download(request, "selected", format, work)


@router.post("/search/to-topic")
async def add_to_topic(
    request: Request,
    ipnav: AppDep,
    user: AnalystDep,
    numbers: Numbers,
    topic: Annotated[str, Form(min_length=1, max_length=100)],
    back: Annotated[str, Form(max_length=4000)] = "/search",
) -> Response:
    """Add the chosen hits to a thematic database, then back to the same hits."""
    data = await run_in_threadpool(lambda: ipnav.topic_add(topic, numbers, actor=user.name, client=client_of(request)))
    request.session["search_notice"] = {"topic": topic, "added": len(data["came_in"]), "size": data["size"]}
    return RedirectResponse(_back(back), status_code=303)
