"""Serving commands: `ipnav serve` (the web platform and JSON API) and `ipnav demo` (the bundled sample)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from ipnav.cli.context import application, sample_path
from ipnav.cli.output import out
from ipnav.cli.root import app


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port.")] = None,
    public: Annotated[bool, typer.Option("--public", help="Allow anonymous read-only access.")] = False,
    workers: Annotated[int | None, typer.Option(help="Server processes (default: setting web_workers, 1).")] = None,
) -> None:
    """Serve the web platform and JSON API (OpenAPI at /docs)."""
    import uvicorn

    from ipnav.web.app import create_app

    ipnav = application(create=True, host=host, port=port, public=public or None, web_workers=workers)
    conf = ipnav.settings
    out.print(f"ipnav serving {conf.workspace} on http://{conf.host}:{conf.port}  (API docs: /docs)")
    if conf.web_workers <= 1:
        uvicorn.run(create_app(conf), host=conf.host, port=conf.port, log_level="warning", proxy_headers=False)
        return
    # several processes: each builds the app from the same settings, handed over in the environment
    os.environ.update({"IPNAV_WORKSPACE": str(conf.workspace.resolve()), "IPNAV_PUBLIC": str(conf.public).lower()})
    create_app(conf)  # schema and key exist before the workers start
    uvicorn.run(
        "ipnav.web.app:app_from_environment",
        factory=True,
        host=conf.host,
        port=conf.port,
        workers=conf.web_workers,
        log_level="warning",
        proxy_headers=False,  # X-Forwarded-For only from the proxies named in trusted_proxies (ipnav.web.guards)
    )


@app.command()
def demo(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port.")] = None,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Only build the demo workspace.")] = False,
) -> None:
    """Load the bundled sample (real US and CN records) into the workspace and serve it publicly."""
    ipnav = application(create=True)
    summary = ipnav.ingest([sample_path()])
    out.print(
        f"demo workspace {ipnav.settings.workspace}: {summary.records} records from {summary.files} sample files "
        f"({summary.inserted} new, {summary.unchanged} unchanged) in {summary.seconds:.1f}s"
    )
    if not no_serve:
        serve(host=host, port=port, public=True)
