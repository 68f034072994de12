"""Similar marks (issue 17) measured on a labelled set: public decisions and reported imitations
(tests/fixtures/similar_marks/pairs.csv, each row citing its source) and random pairs of real marks as
unrelated pairs. Prints precision and recall at the default threshold and the rank of each earlier mark
when the later one is searched among the real register."""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

import pytest

from ipnav.application import Ipnav
from ipnav.config import Settings
from ipnav.trademarks.formats import parse_file
from ipnav.trademarks.model import Trademark
from ipnav.trademarks.shapes import LOOK_ALIKE, look_alikes, shape_similarity
from ipnav.trademarks.similar import SIMILAR, compare
from tests.conftest import ROOT, cli_json, shared

PAIRS = ROOT / "tests" / "fixtures" / "similar_marks" / "pairs.csv"


def _pairs() -> list[dict[str, str]]:
    return list(csv.DictReader(PAIRS.open(encoding="utf-8")))


def _register() -> list[Trademark]:
    return [m for m in parse_file(shared("trademark", "tipo", "gazette_index.xml")) if isinstance(m, Trademark)]


def _classes(value: str) -> list[int]:
    return [int(c) for c in value.split(";") if c]


def _score(earlier: str, earlier_classes: list[int], later: str, later_classes: list[int]) -> int:
    return compare(later, later_classes, [], {"text": earlier, "classes": earlier_classes, "groups": []}).score


def test_look_alike_characters_from_their_shapes() -> None:
    """形近字 from four-corner codes, components and stroke order: the classic pairs pass, unrelated do not."""
    for a, b in ("师帅", "未末", "己已", "兔免", "洽治", "动劫"):
        assert shape_similarity(a, b) >= LOOK_ALIKE, (a, b)
    for a, b in ("师鱼", "米山", "白水"):
        assert shape_similarity(a, b) < LOOK_ALIKE, (a, b)
    assert "帅" in look_alikes("师") and "免" in look_alikes("兔")


def test_precision_and_recall_on_decisions_and_random_pairs() -> None:
    marks = [m for m in _register() if m.text.strip()]
    rng = random.Random(17)
    labelled = [(p["earlier"], _classes(p["earlier_classes"]), p["later"], _classes(p["later_classes"]),
                 p["similar"] == "1") for p in _pairs()]  # fmt: skip
    for _ in range(300):
        a, b = rng.sample(marks, 2)
        labelled.append((a.text, a.class_numbers, b.text, b.class_numbers, False))
    found = [(_score(e, ec, later, lc) >= SIMILAR, truth) for e, ec, later, lc, truth in labelled]
    tp = sum(1 for said, truth in found if said and truth)
    fp = sum(1 for said, truth in found if said and not truth)
    fn = sum(1 for said, truth in found if not said and truth)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"\ntm similar at threshold {SIMILAR}: {len(found)} pairs ({tp + fn} similar), "
          f"precision {precision:.2f}, recall {recall:.2f} (tp {tp}, fp {fp}, fn {fn})")  # fmt: skip
    assert precision >= 0.8 and recall >= 0.7
    decided = {(p["earlier"], p["later"]): _score(p["earlier"], _classes(p["earlier_classes"]), p["later"],
                                                  _classes(p["later_classes"])) for p in _pairs()}  # fmt: skip
    assert decided[("康师傅", "康帅傅")] >= 70 and decided[("洽洽", "治治")] >= 70  # same class, groups not given
    assert decided[("非诚勿扰", "非诚勿扰")] < SIMILAR  # the same words, unrelated services: not similar


@pytest.fixture(scope="module")
def register_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real TIPO register with the decisions' earlier marks added as Chinese register rows."""
    root = tmp_path_factory.mktemp("similar")
    rows = ["注册号/申请号,申请日期,国际分类,商标名称,申请人名称,商标状态,商标类型"]
    for n, pair in enumerate(_pairs()):
        if pair["similar"] == "1":
            rows.append(f"{80000000 + n},2015-01-0{1 + n % 9},{pair['earlier_classes']},\"{pair['earlier']}\","
                        f"Earlier owner {n},注册商标,普通商标")  # fmt: skip
    earlier = root / "earlier_marks.csv"
    earlier.write_text("\n".join(rows) + "\n", encoding="utf-8")
    cli_json("ingest", str(shared("trademark", "tipo", "gazette_index.xml")), str(earlier), workspace=root / "ws")
    return root / "ws"


def test_rank_of_the_earlier_mark_among_the_real_register(register_ws: Path) -> None:
    app = Ipnav(Settings.load(register_ws))
    ranks: dict[str, Any] = {}
    for n, pair in enumerate(_pairs()):
        if pair["similar"] != "1":
            continue
        hits = app.trademark_similar(pair["later"], classes=_classes(pair["later_classes"]), limit=50)["hits"]
        numbers = [h["number"] for h in hits]
        ranks[f"{pair['later']}→{pair['earlier']}"] = (
            numbers.index(f"CN{80000000 + n}") + 1 if f"CN{80000000 + n}" in numbers else None
        )
    print("\nrank of the earlier mark (None: under the threshold or not among the candidates):", ranks)
    found = [r for r in ranks.values() if r is not None]
    assert len(found) >= 0.6 * len(ranks) and sorted(found)[len(found) // 2] <= 3
    assert ranks["康帅傅→康师傅"] == 1 and ranks["治治→洽洽"] == 1


def test_near_sounds_many_speakers_merge() -> None:
    """平翘舌, n/l, f/h and 前后鼻音 make near-homophones; a first character that only sounds near (金/京) is no
    clear difference."""
    from ipnav.trademarks.similar import text_similarity

    for earlier, later in (("长城", "藏晨"), ("三星", "山新"), ("牛栏", "刘兰"), ("福临门", "湖林门")):
        score, why = text_similarity(later, earlier)
        assert score == 0.8 and why.startswith("读音相近(平翘舌/前后鼻音/n-l)"), (earlier, later, why)
    assert text_similarity("京龙鱼", "金龙鱼") == (0.85, "一字之差: 京龙鱼/金龙鱼 (京/金)")
    assert text_similarity("唐师傅", "康师傅")[0] == 0.55  # the first character differs clearly in sound and shape
