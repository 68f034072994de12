"""Thematic database (专题库) pages: the list, and one topic's page where analysts curate its members
(add by number or from a hit selection, remove, notes) and read its change log; viewers read."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ipnav.application.topics import topic_change
from ipnav.store.lookup import parse_numbers
from ipnav.web.render import render
from ipnav.web.security import AnalystDep, AppDep, UserDep, WarehouseDep, client_of

router = APIRouter(include_in_schema=False)
PAGE = 50


def _topic_url(name: str, **params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return f"/topics/{quote(name, safe='')}" + (f"?{query}" if query else "")


def _remember(request: Request, data: dict[str, Any]) -> None:
    """What a change did, shown once on the next page (with the numbers that were not found)."""
    request.session["topic_change"] = {
        **topic_change(data),
        "not_found": [r["input"] for r in data.get("not_found", [])][:20],
        "ambiguous": [r["input"] for r in data.get("ambiguous", [])][:20],
    }


@router.get("/topics")
async def topics_page(request: Request, ipnav: AppDep, wh: WarehouseDep, user: UserDep) -> HTMLResponse:
    """The thematic databases, with what the last change did."""
    rows = await run_in_threadpool(ipnav.topics, wh)
    return render(request, "topics.html", topics=rows, changed=request.session.pop("topic_change", None))


@router.post("/topics")
async def topics_create(
    request: Request,
    ipnav: AppDep,
    user: AnalystDep,
    name: Annotated[str, Form(min_length=1, max_length=100)],
    query: Annotated[str, Form(min_length=1, max_length=4000)],
    description: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Create a topic from the form and open its navigation."""
    await run_in_threadpool(
        lambda: ipnav.topic_create(name, query, description, actor=user.name, client=client_of(request))
    )
    return RedirectResponse(f"/navigate?{urlencode({'selection': f'topic:{name}'})}", status_code=303)


@router.get("/topics/{name}")
async def topic_page(
    request: Request,
    name: str,
    ipnav: AppDep,
    wh: WarehouseDep,
    user: UserDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    order: Annotated[str, Query(pattern="^(added|filed|number)$")] = "added",
) -> HTMLResponse:
    """One topic: its members page by page with origin and note, the forms to curate it, its change log."""

    def work() -> dict[str, Any]:
        members = ipnav.topic_members(name, offset=(page - 1) * PAGE, limit=PAGE, order=order, wh=wh)
        return {"topic": ipnav.topic(name, wh), "members": members, "log": ipnav.topic_changes(name, 30, wh)}

    data = await run_in_threadpool(work)
    pages = max(1, -(-data["members"]["total"] // PAGE))
    return render(
        request, "topic.html", **data, page=page, pages=pages, order=order,
        prev_url=_topic_url(name, page=page - 1 if page > 2 else None, order=order if order != "added" else None)
        if page > 1 else None,
        next_url=_topic_url(name, page=page + 1, order=order if order != "added" else None) if page < pages else None,
        changed=request.session.pop("topic_change", None),
    )  # fmt: skip


@router.post("/topics/{name}/add")
async def topic_add(
    request: Request,
    name: str,
    ipnav: AppDep,
    user: AnalystDep,
    numbers: Annotated[list[str], Form(max_length=10_000)],
    back: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Add patents: pasted numbers (any spelling, one per line) or the keys of a hit selection."""
    wanted = [n for text in numbers for n in parse_numbers(text)]
    data = await run_in_threadpool(lambda: ipnav.topic_add(name, wanted, actor=user.name, client=client_of(request)))
    _remember(request, data)
    return RedirectResponse(back if back.startswith("/search") else _topic_url(name), status_code=303)


@router.post("/topics/{name}/remove")
async def topic_remove(
    request: Request,
    name: str,
    ipnav: AppDep,
    user: AnalystDep,
    numbers: Annotated[list[str], Form(min_length=1, max_length=10_000)],
) -> Response:
    """Remove the selected members (a refresh does not bring them back)."""
    data = await run_in_threadpool(
        lambda: ipnav.topic_remove(name, numbers, actor=user.name, client=client_of(request))
    )
    _remember(request, data)
    return RedirectResponse(_topic_url(name), status_code=303)


@router.post("/topics/{name}/note")
async def topic_note(
    request: Request,
    name: str,
    ipnav: AppDep,
    user: AnalystDep,
    number: Annotated[str, Form(min_length=1, max_length=200)],
    note: Annotated[str, Form(max_length=2000)] = "",
    back: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Keep a note on one member."""
    await run_in_threadpool(lambda: ipnav.topic_note(name, number, note, actor=user.name, client=client_of(request)))
    return RedirectResponse(back if back.startswith("/topics/") else _topic_url(name), status_code=303)


@router.post("/topics/{name}/refresh")
async def topics_refresh(
    request: Request, name: str, ipnav: AppDep, user: AnalystDep, back: Annotated[str, Form(max_length=4000)] = ""
) -> Response:
    """Refresh a topic from the form; back to the topic's page when asked from there."""
    data = await run_in_threadpool(lambda: ipnav.topic_refresh(name, actor=user.name, client=client_of(request)))
    _remember(request, data)
    return RedirectResponse(back if back.startswith("/topics/") else "/topics", status_code=303)


@router.post("/topics/{name}/delete")
async def topics_delete(request: Request, name: str, ipnav: AppDep, user: AnalystDep) -> Response:
    """Delete a topic from the form."""
    await run_in_threadpool(lambda: ipnav.topic_delete(name, actor=user.name, client=client_of(request)))
    return RedirectResponse("/topics", status_code=303)
