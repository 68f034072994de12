"""HTML navigation report: one self-contained file (charts inline as SVG, no external resources)."""

from __future__ import annotations

import html
from pathlib import Path

from ipnav.reports.document import Block

_STYLE = """
body{font-family:"WenQuanYi Micro Hei","Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:960px;margin:2em auto;
line-height:1.7;color:#222;padding:0 1em}h1{text-align:center}h2{border-bottom:2px solid #5470c6;padding-bottom:.2em;
margin-top:2em}table{border-collapse:collapse;width:100%;font-size:.85em;margin:.5em 0 1.5em}
td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left}th{background:#dde6f7}
figure{margin:1em 0;text-align:center}figure svg{max-width:100%;height:auto}figcaption{font-size:.9em;color:#555}
"""


def write_html(blocks: list[Block], out: Path, title: str = "", font: Path | None = None) -> Path:
    """The blocks as one self-contained HTML file (charts inline as SVG)."""
    parts = [
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        f"<style>{_STYLE}</style></head><body>",
    ]
    for block in blocks:
        text = html.escape(block.text)
        if block.kind == "title":
            parts.append(f"<h1>{text}</h1>")
        elif block.kind == "h1":
            parts.append(f"<h2>{text}</h2>")
        elif block.kind == "h2":
            parts.append(f"<h3>{text}</h3>")
        elif block.kind == "p":
            parts.append(f"<p>{text}</p>")
        elif block.kind == "chart" and block.svg:
            svg = block.svg.read_text(encoding="utf-8")
            parts.append(f"<figure>{svg}<figcaption>图：{text}</figcaption></figure>")
        elif block.kind == "table":
            head = "".join(f"<th>{html.escape(c)}</th>" for c in block.columns)
            body = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>" for row in block.rows)
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    parts.append("</body></html>")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(parts), encoding="utf-8")
    return out
