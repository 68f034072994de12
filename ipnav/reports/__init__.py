"""Reports of a navigation pack: Excel (native charts), Word, PDF and HTML (GB/T 39551 structure)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from ipnav.errors import UsageError
from ipnav.store.warehouse import Warehouse

FORMATS = ("xlsx", "docx", "pdf", "html")


def write_report(pack: dict[str, Any], warehouse: Warehouse, fmt: str, out: Path, font: Path | None = None) -> Path:
    """Write the navigation pack in one of FORMATS; returns the path."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown report format {fmt!r}: use {', '.join(FORMATS)}")
    if fmt == "xlsx":
        from ipnav.reports.xlsx import write_xlsx

        return write_xlsx(pack, warehouse, out)
    from ipnav.reports.document import build

    with tempfile.TemporaryDirectory(prefix="ipnav-report-") as tmp:
        blocks = build(pack, Path(tmp), font)
        if fmt == "docx":
            from ipnav.reports.docx import write_docx

            return write_docx(blocks, out)
        if fmt == "pdf":
            from ipnav.reports.pdf import write_pdf

            return write_pdf(blocks, out, font)
        from ipnav.reports.html import write_html

        return write_html(blocks, out)
