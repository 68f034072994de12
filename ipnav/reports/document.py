"""A report as data, before it has a format: blocks (heading, paragraph, chart, table) for Word, PDF and
HTML, sheets (with native charts) for Excel, a table for CSV. Navigation reports, indicator exports and
plan reports each build a `Document`; `ipnav.reports.write` renders it in the format asked for."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa


@dataclass
class Block:
    """One block of a report: title, heading, paragraph, chart image or table."""

    kind: str  # "title" | "h1" | "h2" | "p" | "chart" | "table"
    text: str = ""
    image: Path | None = None
    svg: Path | None = None
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Chart:
    """A native spreadsheet chart of some columns of a sheet."""

    kind: str  # "bar" (horizontal), "column", "line" or "pie"
    title: str
    label: str  # the column with the categories
    values: tuple[str, ...]  # the columns with the values (a pie takes the first)
    rows: int | None = None  # chart only the first rows (default: all)
    y_title: str = ""


@dataclass
class Sheet:
    """One worksheet: lines above the header (the first in bold), the header, the rows and their charts."""

    title: str
    columns: list[str]
    rows: Iterable[Sequence[Any]]  # may be a generator: the hit list is streamed from the warehouse
    heading: list[list[Any]] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)  # 1-based column -> width
    freeze: bool = False  # keep the header in view


@dataclass
class Document:
    """A report in every form it offers; `formats()` says which."""

    title: str
    blocks: Callable[[Path, Path | None], list[Block]] | None = None  # (work folder for chart images, font)
    sheets: Callable[[], Iterable[Sheet]] | None = None
    table: Callable[[], pa.Table] | None = None

    def formats(self) -> list[str]:
        """The formats this document can be written in."""
        out = ["docx", "pdf", "html"] if self.blocks else []
        out += ["xlsx"] if self.sheets else []
        out += ["csv"] if self.table else []
        return out


def fmt_cell(value: Any) -> str:
    """A value as report tables show it: floats to 4 significant digits, booleans as 是/否."""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, bool):
        return "是" if value else "否"
    return "" if value is None else str(value)
