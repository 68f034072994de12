"""PDF navigation report (ReportLab) with the Chinese font embedded, so every viewer shows the glyphs."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ipnav.reports.document import Block
from ipnav.reports.images import cjk_font

FONT = "ipnav-cjk"


def _styles(font: Path | None = None) -> dict[str, ParagraphStyle]:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(cjk_font(font)), subfontIndex=0))
    base = {"fontName": FONT, "wordWrap": "CJK"}
    return {
        "title": ParagraphStyle("title", fontSize=20, leading=28, alignment=TA_CENTER, spaceAfter=12, **base),
        "h1": ParagraphStyle("h1", fontSize=15, leading=22, spaceBefore=12, spaceAfter=6, **base),
        "h2": ParagraphStyle("h2", fontSize=12, leading=18, spaceBefore=8, spaceAfter=4, **base),
        "p": ParagraphStyle("p", fontSize=10, leading=16, spaceAfter=4, **base),
        "cell": ParagraphStyle("cell", fontSize=8, leading=10, **base),
        "caption": ParagraphStyle("caption", fontSize=9, leading=12, alignment=TA_CENTER, **base),
    }


def write_pdf(blocks: list[Block], out: Path, title: str = "", font: Path | None = None) -> Path:
    """The blocks as an A4 PDF with a Chinese font."""
    styles = _styles(font)
    story: list[object] = []
    width = A4[0] - 4 * cm
    for block in blocks:
        if block.kind in ("title", "h1", "h2", "p"):
            story.append(Paragraph(_escape(block.text), styles[block.kind]))
        elif block.kind == "chart" and block.image:
            story.append(Image(str(block.image), width=width, height=width * 520 / 900))
            story.append(Paragraph(_escape(f"图：{block.text}"), styles["caption"]))
            story.append(Spacer(1, 6))
        elif block.kind == "table":
            data = [[Paragraph(_escape(c), styles["cell"]) for c in block.columns]]
            data += [[Paragraph(_escape(v), styles["cell"]) for v in row] for row in block.rows]
            table = Table(data, repeatRows=1, colWidths=[width / len(block.columns)] * len(block.columns))
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde6f7")),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story += [table, Spacer(1, 8)]
    out.parent.mkdir(parents=True, exist_ok=True)
    SimpleDocTemplate(str(out), pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, title=title).build(story)
    return out


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
