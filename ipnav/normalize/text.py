"""White-space cleaning of texts read from XML and tables (search folding lives in `ipnav.search.analysis`)."""

from __future__ import annotations

import re

_WS_RE = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """Collapse runs of white space (XML indentation, line breaks inside claims)."""
    return _WS_RE.sub(" ", text).strip()


def clean_cjk_text(text: str) -> str:
    """Like clean_text, but drop white space between CJK characters (PDF/XML line breaks)."""
    text = clean_text(text)
    return re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])", "", text)
