"""The `ipnav` command: thin adapters over `ipnav.application.Ipnav`, one module per domain.

Every command that answers a question takes `--json` (`ipnav.cli.output`). Errors print one line
(`ipnav: <file>: <reason>`) and exit 1; `--debug` shows the traceback.
Exit codes: 0 ok, 1 error, 2 bad usage, 3 finished but with rejected records or problems.
"""

from __future__ import annotations

import sys

import typer

from ipnav.cli import (  # noqa: F401  (they add commands)
    alerts,
    data,
    demand,
    indicators,
    navigate,
    plans,
    registers,
    search,
    serve,
    spark,
    trademarks,
    users,
    watch,
)
from ipnav.cli.context import sample_path, state
from ipnav.cli.output import err
from ipnav.cli.root import app
from ipnav.errors import IpnavError, UsageError

__all__ = ["app", "main", "sample_path"]


def main() -> None:
    """Console entry point: one clear line per error, tracebacks only with --debug."""
    try:
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except IpnavError as exc:
        if state["debug"]:
            raise
        sys.stderr.write(f"ipnav: {exc}\n")
        sys.exit(2 if isinstance(exc, UsageError) else 1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err.print("ipnav: interrupted")
        sys.exit(130)
    except Exception as exc:  # click usage errors and unexpected failures: one line unless --debug
        import click
        from typer.core import _click as typer_click  # typer vendors its own click: its errors are not click's

        if isinstance(exc, click.ClickException | typer_click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if state["debug"]:
            raise
        err.print(
            f"ipnav: unexpected error: {type(exc).__name__}: {exc} (run with --debug for details)",
            style="red",
            highlight=False,
        )
        sys.exit(1)
