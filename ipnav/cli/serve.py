"""Serving commands: `ipnav serve` (the web platform and JSON API) and `ipnav demo` (the bundled sample)."""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer

from ipnav.cli.context import application, sample_path
from ipnav.cli.output import out
from ipnav.cli.root import app
from ipnav.errors import ServeError

DEMO_REGION = "重庆市"  # ipnav/sample/PROVENANCE.md says why


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
    _check_port(conf.host, conf.port)
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


def _check_port(host: str, port: int) -> None:
    """Refuse a port another program listens on, before saying anything is served."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds: TIME_WAIT is no obstacle
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise ServeError(
                f"port {port} is in use; set IPNAV_PORT (or --port) to a free port "
                f"({host}:{port}: {exc.strerror or exc})"
            ) from None


def _demo_settings(ipnav: Any) -> None:
    """The demo workspace's home region, unless the user chose one (settings.toml or IPNAV_HOME_REGION)."""
    path = ipnav.workspace.root / "settings.toml"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if ipnav.settings.home_region or "home_region" in text:
        return
    line = f'home_region = "{DEMO_REGION}"  # set by `ipnav demo`: the plan region the sample covers best\n'
    path.write_text(text + ("\n" if text and not text.endswith("\n") else "") + line, encoding="utf-8")


def _demo_admin(ipnav: Any) -> None:
    """On the first run, an `admin` account with a generated password, printed this once."""
    import secrets

    if ipnav.accounts.list():
        return
    password = secrets.token_urlsafe(12)
    ipnav.accounts.add("admin", "admin", password, actor="demo")
    out.print(
        f"管理员账号 admin account: admin / {password}  (只显示这一次 shown once; "
        "change it with `ipnav user passwd admin`)"
    )


@app.command()
def demo(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port.")] = None,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Only build the demo workspace.")] = False,
) -> None:
    """Load the bundled sample (real US and CN records) into the workspace and serve it publicly: the home page
    shows the home region (重庆市 unless the workspace names one); the first run creates an admin account."""
    ipnav = application(create=True)
    _demo_settings(ipnav)
    ipnav = application(create=True)  # settings again, with the home region
    if not no_serve:  # a busy port is told before a long load, not after
        _check_port(host or ipnav.settings.host, port or ipnav.settings.port)
    summary = ipnav.ingest([sample_path()])
    out.print(
        f"demo workspace {ipnav.settings.workspace}: {summary.records} records from {summary.files} sample files "
        f"({summary.inserted} new, {summary.unchanged} unchanged) in {summary.seconds:.1f}s"
    )
    _demo_admin(ipnav)
    out.print(f"主页地区 home region: {ipnav.settings.home_region} (setting home_region in settings.toml)")
    if not no_serve:
        serve(host=host, port=port, public=True)
