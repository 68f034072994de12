"""Front-end files installed by npm (no page loads anything from the internet): the China map and the
API documentation page."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

from ipnav.errors import WorkspaceError

ASSETS = Path(__file__).resolve().parents[3] / "node_modules"  # front-end packages installed by npm ci
SWAGGER = ASSETS / "swagger-ui-dist"
ECHARTS = ASSETS / "echarts" / "dist"
CHINA = ASSETS / "echarts-china-map" / "map" / "json" / "china.json"

router = APIRouter(include_in_schema=False)


@router.get("/assets/china.json")
async def china_map() -> FileResponse:
    """The China map of the indicator page (from npm)."""
    if not CHINA.is_file():
        raise WorkspaceError("the China map needs the front-end packages: run scripts/setup.sh (npm ci)")
    return FileResponse(CHINA, media_type="application/json")


@router.get("/docs")
async def docs(request: Request) -> HTMLResponse:
    """The API documentation page (Swagger UI from npm, under the page's CSP nonce)."""
    if not SWAGGER.is_dir():
        raise WorkspaceError("API docs need the front-end packages: run scripts/setup.sh (npm ci)")
    page = get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="ipnav API",
        swagger_js_url="/assets/swagger/swagger-ui-bundle.js",
        swagger_css_url="/assets/swagger/swagger-ui.css",
        swagger_favicon_url="/assets/swagger/favicon-32x32.png",
    )
    nonce = request.state.csp_nonce  # its one inline script runs under the page's CSP nonce
    body = bytes(page.body).decode().replace("<script>", f'<script nonce="{nonce}">')
    return HTMLResponse(body)
