"""One way to answer: `--json` prints the data as JSON, otherwise a table or lines for people.

Every command that answers a question takes `JsonOption` and ends with `respond(data, as_json, show)`,
in the manner of sqlite-utils' `output_options`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
EngineOption = Annotated[
    str | None,
    typer.Option(
        "--engine", help="duckdb (the warehouse, default) or spark (the Parquet lake on Spark; see docs/scale.md)."
    ),
]
T = TypeVar("T")


def print_json(data: Any) -> None:
    """The data as indented JSON on standard output (dates and paths as strings)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def respond(data: T, as_json: bool, show: Callable[[T], None] | str) -> None:
    """JSON with `--json`; else `show(data)`, or print `show` when it is a message."""
    if as_json:
        print_json(data)
    elif isinstance(show, str):
        out.print(show, highlight=False)
    else:
        show(data)


def table(columns: Sequence[str], rows: Iterable[Sequence[Any]], title: str | None = None) -> None:
    """Print a table of rows (each cell shown with str; None as empty)."""
    grid = Table(*columns, title=title, title_justify="left")
    for row in rows:
        grid.add_row(*["" if v is None else str(v) for v in row])
    out.print(grid)


def problems(lines: Iterable[str]) -> None:
    """Problems on standard error, one line each, as `ipnav: ...`."""
    for line in lines:
        err.print(f"ipnav: {line}", highlight=False, markup=False)
