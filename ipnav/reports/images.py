"""Chart images for reports: the same ECharts options as the web pages, rendered by ECharts'
server-side renderer to SVG and by resvg to PNG (node + npm packages installed at set-up)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from ipnav.errors import IpnavError

_RENDERER = Path(__file__).with_name("render.mjs")
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
FONT_FAMILY = "WenQuanYi Micro Hei"


class RenderError(IpnavError):
    """A chart could not be rendered to an image (node, fonts or chart packages missing)."""

    status = 500


def cjk_font(configured: Path | None = None) -> Path:
    """A font with Chinese glyphs: the `cjk_font` setting, else Debian's fonts-wqy-microhei (scripts/setup.sh)."""
    for candidate in ([str(configured)] if configured else []) + list(FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise RenderError(
        "no Chinese font found: install fonts-wqy-microhei (scripts/setup.sh does) or set cjk_font (IPNAV_CJK_FONT)"
    )


def _static_option(kind: str, option: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Images have no interaction: drop the draggable visual-map handle, keep the rest of the option."""
    if kind == "regions" and "visualMap" in option:
        option = {**option, "visualMap": {**option["visualMap"], "calculable": False}}
    return option


def render(
    charts: dict[str, tuple[str, dict[str, Any], list[dict[str, Any]]]], out: Path, font: Path | None = None
) -> dict[str, dict[str, str]]:
    """Render `{name: (kind, option, rows)}` to `out/name.svg` and `out/name.png`."""
    node = shutil.which("node")
    if node is None:
        raise RenderError("node is not installed: run scripts/setup.sh (it installs Node.js packages for charts)")
    out.mkdir(parents=True, exist_ok=True)
    request = {
        "font": str(cjk_font(font)),
        "family": FONT_FAMILY,
        "out": str(out),
        "charts": [
            {"name": name, "option": _static_option(kind, option, rows)}
            for name, (kind, option, rows) in charts.items()
        ],
    }
    result = subprocess.run(
        [node, str(_RENDERER)],
        input=json.dumps(request, default=str),
        capture_output=True,
        text=True,
        cwd=_RENDERER.parent,
        timeout=300,
    )
    if result.returncode != 0:
        detail = result.stderr.strip().splitlines()[-1:] or ["no output"]
        hint = " (run scripts/setup.sh to install the chart packages)" if "Cannot find" in result.stderr else ""
        raise RenderError(f"chart rendering failed: {detail[0]}{hint}")
    return json.loads(result.stdout)  # type: ignore[no-any-return]
