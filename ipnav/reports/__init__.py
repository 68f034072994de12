"""Documents in every format users take away: Excel with native charts, Word, PDF, HTML and CSV.

One registry of renderers (`renderers()`, format -> writer); a report is a `Document` (see
`ipnav.reports.document`) built by the navigation report (`ipnav.reports.navigation`), the indicator
export (`ipnav.kpi.export`) and the plan evaluation report (`ipnav.plan.report`). Charts are written by
one module per format: native charts by `ipnav.reports.xlsx`, images (from the same ECharts options the
web draws) by `ipnav.reports.images`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from ipnav.errors import UsageError
from ipnav.reports.document import Block, Document

Renderer = Callable[[Document, Path, Path | None], Path]


def _blocks(writer: Callable[[list[Block], Path, str, Path | None], Path]) -> Renderer:
    """A renderer of blocks: chart images are rendered into a folder that lives as long as the writing."""

    def render(document: Document, out: Path, font: Path | None) -> Path:
        assert document.blocks is not None
        with tempfile.TemporaryDirectory(prefix="ipnav-report-") as tmp:
            return writer(document.blocks(Path(tmp), font), out, document.title, font)

    return render


def renderers() -> dict[str, Renderer]:
    """The renderer of each format: format -> writer of a document (imported on first use)."""
    from ipnav.reports import delimited, docx, html, pdf, xlsx

    return {
        "xlsx": xlsx.write,
        "docx": _blocks(docx.write_docx),
        "pdf": _blocks(pdf.write_pdf),
        "html": _blocks(html.write_html),
        "csv": delimited.write,
    }


def write(document: Document, fmt: str, out: Path, *, font: Path | None = None) -> Path:
    """Write a document in a format it offers (UsageError naming those it does); returns the path."""
    offered = document.formats()
    if fmt not in offered:
        raise UsageError(f"unknown report format {fmt!r} for {document.title}: use {', '.join(offered)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    return renderers()[fmt](document, out, font)
