"""Library errors (`IpnavError`) as the web shows them: JSON with their status under /api/, pages elsewhere
(the login form for a page that needs a login)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from ipnav.errors import IpnavError, RecordNotFound
from ipnav.web.i18n import pick, translate
from ipnav.web.render import language_of, render
from ipnav.web.security import LoginRequired


async def ipnav_error(request: Request, exc: Exception) -> Response:
    """One error, as JSON (API) or a page."""
    assert isinstance(exc, IpnavError)
    if not request.url.path.startswith("/api/"):
        if isinstance(exc, LoginRequired):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        heading = {404: "not_found", 403: "forbidden"}.get(exc.status, "error")
        lang = language_of(request)
        message = pick(str(exc), lang)  # a message written `English / 中文`: the user's half
        if isinstance(exc, RecordNotFound):  # the user's language, not the log's
            what = translate(f"kind_{exc.kind.replace(' ', '_')}", lang)
            message = translate("no_such_record", lang).format(kind=what, number=exc.number)
            if exc.kind == "patent":
                message = translate("no_such_patent", lang).format(number=exc.number)
        return render(
            request, "error.html", status_code=exc.status, heading=translate(heading, lang),
            message=message, suggestions=getattr(exc, "suggestions", []),
        )  # fmt: skip
    body: dict[str, Any] = {"error": type(exc).__name__, "message": str(exc)}
    if hasattr(exc, "suggestions"):
        body["suggestions"] = exc.suggestions
    if hasattr(exc, "position"):
        body["position"] = exc.position
        body["detail"] = getattr(exc, "detail", "")
    return JSONResponse(body, status_code=exc.status)


def install(app: FastAPI) -> None:
    """Answer every IpnavError of the app this way."""
    app.add_exception_handler(IpnavError, ipnav_error)
