"""The `ipnav` Typer application and its global options; the domain modules add their commands to it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ipnav.cli.context import state

app = typer.Typer(
    name="ipnav",
    help="ipnav: 开放的知识产权大数据平台 / open IP big-data platform (ingest, search, navigate, indicators).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _main(
    workspace: Annotated[
        Path | None,
        typer.Option("--workspace", "-w", envvar="IPNAV_WORKSPACE", help="Workspace folder (default ./workspace)."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    state["debug"] = debug
    state["workspace"] = workspace
