"""Text rules: white-space cleaning of texts read from XML and tables, and the folding and
tokenising shared by indexing and querying (so both fold text the same way).

Chinese text gets substring semantics the way CNIPA's system has them: every run of
CJK characters is indexed as single characters (`*_zh1`) and overlapping character
bigrams (`*_zh2`); a query string of length n >= 2 becomes a phrase of its n-1
bigrams, which matches exactly the texts that contain it. Runs are separated by a
marker token so a phrase never spans two runs. Ranking uses words: rjieba segments
the same runs into `*_zhw`. Folding: NFKC (full/half width), lower case,
traditional -> simplified.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_WS_RE = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """Collapse runs of white space (XML indentation, line breaks inside claims)."""
    return _WS_RE.sub(" ", text).strip()


def fold_header(header: str) -> str:
    """A table column header in the form header maps compare: width, case, brackets, separators folded."""
    text = unicodedata.normalize("NFKC", str(header)).strip().lower()
    text = text.replace("（", "(").replace("）", ")")
    return re.sub(r"[\s_:：*]+", " ", text).strip()


def clean_cjk_text(text: str) -> str:
    """Like clean_text, but drop white space between CJK characters (PDF/XML line breaks)."""
    text = clean_text(text)
    return re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])", "", text)


RUN_BREAK = "|"
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]+")
_LATIN_RE = re.compile(r"[0-9a-z]+(?:[.\-'][0-9a-z]+)*")


@functools.lru_cache(maxsize=1)
def _t2s() -> object:
    import opencc

    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """NFKC, lower case, simplified Chinese: the form both index and queries use."""
    text = unicodedata.normalize("NFKC", text).lower()
    if _CJK_RE.search(text):
        text = _t2s().convert(text)  # type: ignore[attr-defined]
    return text


def cjk_runs(folded: str) -> list[str]:
    """The runs of CJK characters of a folded text."""
    return _CJK_RE.findall(folded)


def latin_words(folded: str) -> list[str]:
    """The Latin words and numbers of a folded text."""
    return _LATIN_RE.findall(_CJK_RE.sub(" ", folded))


def unigram_text(runs: list[str]) -> str:
    """Whitespace-separated characters, runs separated by a break token."""
    return f" {RUN_BREAK} ".join(" ".join(run) for run in runs)


def bigram_text(runs: list[str]) -> str:
    """Whitespace-separated character bigrams, runs separated by a break token."""
    parts = []
    for run in runs:
        if len(run) >= 2:
            parts.append(" ".join(run[i : i + 2] for i in range(len(run) - 1)))
    return f" {RUN_BREAK} ".join(parts)


def word_text(runs: list[str]) -> str:
    """The words of CJK runs (rjieba), whitespace-separated, for ranking."""
    import rjieba

    return " ".join(word for run in runs for word in rjieba.cut(run))


def words(run: str) -> list[str]:
    """The words of one CJK run (rjieba)."""
    import rjieba

    return [w for w in rjieba.cut(run) if w.strip()]


def bigrams(run: str) -> list[str]:
    """The overlapping character bigrams of one run."""
    return [run[i : i + 2] for i in range(len(run) - 1)]
