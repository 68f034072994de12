"""What every router answers with: HTML pages from the templates, JSON (orjson), and files to download."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import orjson
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from fastapi.templating import Jinja2Templates

from ipnav.accounts import ROLE_ZH
from ipnav.web import lanes
from ipnav.web.i18n import LANGUAGES, cell, label, pick, translate
from ipnav.web.security import application, csrf_token, session_user

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
MEDIA = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html",
}


def language_of(request: Request) -> str:
    """The user's language, else the session's choice, else Chinese."""
    user = session_user(request)
    if user is not None and user.language in LANGUAGES:
        return user.language
    lang = request.session.get("lang")
    return lang if lang in LANGUAGES else "zh"


def _unread(request: Request) -> int:
    """The signed-in user's unread alerts, for the header."""
    who = session_user(request)
    return application(request).alerts.unread(who.name) if who is not None else 0


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page from its template, with the user, language, translations and CSRF token."""
    lang = language_of(request)
    context.update(
        {
            "request": request,
            "lang": lang,
            "t": lambda key: translate(key, lang),
            "label": lambda group, value: label(group, value or "", lang),
            "cell": lambda column, value: cell(column, value, lang),
            "bi": lambda text: pick(str(text or ""), lang),
            "user": session_user(request),
            "unread": _unread(request),
            "role_zh": ROLE_ZH,
            "public": application(request).settings.public,
            "csrf": csrf_token(request),
            "path": request.url.path,
            "quote": quote,
        }
    )
    return TEMPLATES.TemplateResponse(request, template, context, status_code=status_code)


def json_response(data: Any, status_code: int = 200) -> Response:
    """JSON of plain data (dicts, lists, dates) serialised by orjson."""
    body = orjson.dumps(data, default=str, option=orjson.OPT_NON_STR_KEYS)
    return Response(body, status_code=status_code, media_type="application/json")


def script_json(data: Any) -> str:
    """JSON safe inside a <script> element (no `</script>` or `<!--` can close it early)."""
    return json.dumps(data, ensure_ascii=False, default=str).replace("<", "\\u003c")


async def download(request: Request, stem: str, fmt: str, write: Callable[[Path], Any]) -> Response:
    """Write a file into the workspace's exports folder (in the heavy lane) and send it."""
    exports = application(request).workspace.exports_dir
    out = exports / f"{stem}-{dt.datetime.now():%Y%m%d-%H%M%S-%f}.{fmt}"
    out.parent.mkdir(parents=True, exist_ok=True)
    await lanes.heavy(write, out)
    return file_response(out, MEDIA[fmt])


def file_response(path: Path, media: str) -> Response:
    """Stream a file as an attachment under its own name."""

    def chunks() -> Any:
        with path.open("rb") as handle:
            while block := handle.read(1 << 16):
                yield block

    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(path.name)}"}
    return StreamingResponse(chunks(), media_type=media, headers=headers)


async def change_then_back(request: Request, work: Callable[[], object], url: str, notice: str) -> RedirectResponse:
    """Run a change in a worker thread, then back to `url` (303); a user's mistake (an ipnav error under
    500) is kept in the session under `notice` for that page to show."""
    from starlette.concurrency import run_in_threadpool

    from ipnav.errors import IpnavError

    try:
        await run_in_threadpool(work)
    except IpnavError as exc:
        if exc.status >= 500:
            raise
        request.session[notice] = str(exc)
    return RedirectResponse(url, status_code=303)
