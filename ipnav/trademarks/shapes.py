"""Look-alike Chinese characters (形近字): 师/帅, 未/末, 己/已, 兔/免.

Two characters look alike when their four-corner codes (四角号码, the shape of the four corners), their
components (拆字) and their stroke orders (笔顺) are close (`shape_similarity`, 0-1). The shapes of 14,408
characters come from `reference/data/cn_char_shapes.tsv.gz` (char-similar's data, Apache-2.0). A
character's look-alikes are found among the characters that share three of its four corner digits or one
of its components, so nothing is compared pairwise across the whole table.

Weights: corners 0.35, stroke order 0.35 (1 - edit distance / length), components 0.2 (shared share), the
same structure 0.1. A pair at or above `LOOK_ALIKE` (0.7) is a look-alike: the pairs of the evaluation
set's decisions (师/帅 0.78, 洽/治 ...) are above it and a random pair of common characters is far below
(bench: tests/test_similar_marks.py prints the spread).
"""

from __future__ import annotations

import functools
import gzip
from dataclasses import dataclass
from importlib import resources

import jellyfish

LOOK_ALIKE = 0.66


@dataclass(frozen=True, slots=True)
class Shape:
    """The shape of one character."""

    corners: str  # four-corner code, 5 digits (the 5th is the 附角)
    components: tuple[str, ...]
    strokes: str  # stroke order, one digit a stroke
    structure: str


@functools.cache
def shapes() -> dict[str, Shape]:
    """Every character's shape."""
    data = resources.files("ipnav.reference").joinpath("data/cn_char_shapes.tsv.gz").read_bytes()
    out = {}
    for line in gzip.decompress(data).decode("utf-8").splitlines()[1:]:
        char, corners, parts, strokes, structure = line.split("\t")
        out[char] = Shape(corners, tuple(parts.split()), strokes, structure)
    return out


@functools.cache
def _neighbourhoods() -> dict[str, list[str]]:
    """Block key -> characters: a four-corner code with one of its first four digits blanked, a component."""
    blocks: dict[str, list[str]] = {}
    for char, shape in shapes().items():
        for i in range(4):
            blocks.setdefault(f"c{shape.corners[:i]}_{shape.corners[i + 1 : 4]}", []).append(char)
        for part in set(shape.components):
            blocks.setdefault(f"p{part}", []).append(char)
    return blocks


def shape_similarity(a: str, b: str) -> float:
    """How alike two characters look, 0-1 (1: the same character); 0 when either shape is unknown."""
    if a == b:
        return 1.0
    table = shapes()
    x, y = table.get(a), table.get(b)
    if x is None or y is None:
        return 0.0
    corners = sum(1 for p, q in zip(x.corners[:4], y.corners[:4], strict=False) if p == q) / 4
    longest = max(len(x.strokes), len(y.strokes)) or 1
    strokes = 1 - jellyfish.levenshtein_distance(x.strokes, y.strokes) / longest
    parts_x, parts_y = set(x.components), set(y.components)
    parts = len(parts_x & parts_y) / len(parts_x | parts_y) if parts_x | parts_y else 0.0
    return 0.35 * corners + 0.35 * max(strokes, 0.0) + 0.2 * parts + 0.1 * (x.structure == y.structure)


@functools.lru_cache(maxsize=20_000)
def look_alikes(char: str, limit: int = 24) -> tuple[str, ...]:
    """The characters that look like `char`, most alike first."""
    shape = shapes().get(char)
    if shape is None:
        return ()
    blocks = _neighbourhoods()
    near = {c for i in range(4) for c in blocks.get(f"c{shape.corners[:i]}_{shape.corners[i + 1 : 4]}", [])}
    near |= {c for part in set(shape.components) for c in blocks.get(f"p{part}", [])}
    near.discard(char)
    scored = sorted(((shape_similarity(char, c), c) for c in near), key=lambda p: (-p[0], p[1]))
    return tuple(c for score, c in scored if score >= LOOK_ALIKE)[:limit]
