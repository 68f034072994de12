"""Text folding shared by ingest and search: width, case, traditional -> simplified Chinese."""

from __future__ import annotations

import functools
import re
import unicodedata

_WS_RE = re.compile(r"\s+")


@functools.lru_cache(maxsize=1)
def _t2s() -> object:
    import opencc  # imported lazily: the converter loads its dictionaries on first use

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional -> simplified Chinese (`專利` -> `专利`); other text unchanged."""
    return _t2s().convert(text)  # type: ignore[attr-defined,no-any-return]


def clean_text(text: str) -> str:
    """Collapse runs of white space (XML indentation, line breaks inside claims)."""
    return _WS_RE.sub(" ", text).strip()


def clean_cjk_text(text: str) -> str:
    """Like clean_text, but drop white space between CJK characters (PDF/XML line breaks)."""
    text = clean_text(text)
    return re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])", "", text)


def fold(text: str) -> str:
    """Search folding: NFKC (full/half width), lower case, simplified Chinese."""
    return to_simplified(unicodedata.normalize("NFKC", text).lower())
