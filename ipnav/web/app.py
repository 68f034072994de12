"""The FastAPI application: `create_app(settings)` builds an `Ipnav` over the workspace and wires up the
routers (`ipnav.web.api`, `ipnav.web.pages`), the middleware and the error handler; nothing else."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from ipnav import __version__
from ipnav.accounts import secret_key
from ipnav.application import Ipnav
from ipnav.config import Settings
from ipnav.errors import WarehouseBusy
from ipnav.store import snapshot
from ipnav.store.reference import ensure_reference
from ipnav.web import api, errors, lanes, pages
from ipnav.web.guards import BodyLimit, SecurityHeaders, TrustedProxies
from ipnav.web.jobs import EmbedJob, IngestJob
from ipnav.web.pages.assets import ECHARTS, SWAGGER


def create_app(settings: Settings) -> FastAPI:
    """The ipnav web app for one workspace."""
    ipnav = Ipnav(settings, create=True)
    reader = ipnav.share()
    try:
        with reader.writer("start-up") as wh:  # schema and reference tables current, a snapshot published
            ensure_reference(wh.con)
    except WarehouseBusy:  # an ingest holds the warehouse: serve the snapshot it will replace
        if snapshot.current(ipnav.workspace.warehouse_path) is None:
            raise
    lanes.configure(settings.search_threads)
    embedder = EmbedJob()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if settings.embed_in_background:  # vectors for what an ingest from the command line left pending
            embedder.start(ipnav)
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="ipnav API",
        version=__version__,
        description="开放的知识产权大数据平台 JSON API / open IP big-data platform API",
        docs_url=None,  # served by ipnav.web.pages.assets from the npm package
        redoc_url=None,
    )
    if SWAGGER.is_dir():
        app.mount("/assets/swagger", StaticFiles(directory=SWAGGER), name="swagger")
    if ECHARTS.is_dir():
        app.mount("/assets/echarts", StaticFiles(directory=ECHARTS), name="echarts")
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    app.state.ipnav = ipnav
    app.state.settings = settings
    app.state.embed_job = embedder
    app.state.ingest_job = IngestJob(embedder)
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret_key(ipnav.workspace.root),
        session_cookie="ipnav_session",
        max_age=settings.session_hours * 3600,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(BodyLimit, limit=settings.max_upload_mb << 20)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(TrustedProxies, proxies=settings.trusted_proxies)  # outermost: every layer sees the client
    errors.install(app)
    for router in (*api.ROUTERS, *pages.ROUTERS):
        app.include_router(router)
    return app


def app_from_environment() -> FastAPI:
    """The app of one `ipnav serve --workers N` process (settings from IPNAV_* and settings.toml)."""
    return create_app(Settings.load())
