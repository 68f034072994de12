"""Front-end files installed by npm (no page loads anything from the internet): the China map and the
API documentation page."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

from ipnav.application.dashboard import PROVINCE_MAPS
from ipnav.errors import RecordNotFound, WorkspaceError
from ipnav.normalize.region import short_name

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


@functools.lru_cache(maxsize=8)
def map_names(key: str) -> dict[str, str]:
    """Short name -> the name a map file gives each of its areas (the maps predate some renamings:
    梁平县 is 梁平区 since 2016, so areas are matched on the short name)."""
    path = _map_path(key)
    if path is None or not path.is_file():
        return {}
    features = json.loads(path.read_text(encoding="utf-8")).get("features", [])
    names = [f["properties"]["name"] for f in features if f.get("properties", {}).get("name")]
    return {short_name(n).removesuffix("区").removesuffix("县"): n for n in names} | {n: n for n in names}


def _map_path(key: str) -> Path | None:
    if key == "china":
        return CHINA
    if key in PROVINCE_MAPS.values():
        return CHINA.parent / "province" / f"{key}.json"
    return None


@router.get("/assets/map/{key}.json")
async def region_map(key: str) -> FileResponse:
    """A province's map (cities and counties) for the home page, from npm; only the known files."""
    path = _map_path(key)
    if path is None:
        raise RecordNotFound("map", key)
    if not path.is_file():
        raise WorkspaceError("maps need the front-end packages: run scripts/setup.sh (npm ci)")
    return FileResponse(path, media_type="application/json")


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
