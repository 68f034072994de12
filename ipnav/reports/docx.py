"""Word navigation report (python-docx): headings, written findings, chart images, tables."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from ipnav.reports.document import Block
from ipnav.reports.images import FONT_FAMILY


def write_docx(blocks: list[Block], out: Path, title: str = "", font: Path | None = None) -> Path:
    """The blocks as a Word document."""
    document = Document()
    document.core_properties.title = title
    normal = document.styles["Normal"]
    normal.font.name = FONT_FAMILY
    normal.font.size = Pt(10.5)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")  # Word picks the CJK font from eastAsia
    for block in blocks:
        if block.kind == "title":
            heading = document.add_heading(block.text, level=0)
            heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.kind == "h1":
            document.add_heading(block.text, level=1)
        elif block.kind == "h2":
            document.add_heading(block.text, level=2)
        elif block.kind == "p":
            document.add_paragraph(block.text)
        elif block.kind == "chart" and block.image:
            document.add_picture(str(block.image), width=Cm(16))
            caption = document.add_paragraph(f"图：{block.text}")
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.kind == "table":
            table = document.add_table(rows=1, cols=len(block.columns))
            table.style = "Light Grid Accent 1"
            for cell, name in zip(table.rows[0].cells, block.columns, strict=True):
                cell.text = name
            for row in block.rows:
                for cell, value in zip(table.add_row().cells, row, strict=True):
                    cell.text = value
    out.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(out))
    return out
