"""Similar marks (近似商标), compared the way CNIPA's examiners compare them: the mark's shape (形), sound (音)
and meaning (义) judged as a whole, and the goods through the 区分表 (same similar group closest, then the
same class). Each candidate gets a score 0-100 and its reasons in words
(`读音相同: 小米/晓米 (xiaomi)`, `类似群 0901 相同`).

Text (`text_similarity`, 0-1), the strongest reason counts:
* Chinese: the same characters (1.0); the same characters in another order (0.9); the same sound without
  tones (0.9; 0.95 with the same tones); look-alike characters in place of at most half of them (0.9,
  `字形近似: 康师傅/康帅傅 (师/帅)`, ipnav.trademarks.shapes); one character of three or more changed (0.85,
  but 0.55 when the changed character is the first and differs clearly in sound and shape: the first
  character carries a Chinese mark);
  the mark contained in a longer one (0.8, words added around it); the same syllables but for sounds many
  speakers merge (z/zh, c/ch, s/sh, n/l, f/h, an/ang, en/eng, in/ing: 0.8, `读音相近(平翘舌/前后鼻音/n-l)`);
  a sound one edit apart in pinyin (0.75).
* Latin letters and digits: 1 - edit distance / length (marks of one or two letters only when identical);
  the same Metaphone key with at least half the letters alike (0.85); the mark a word of a longer one (0.8).
* A Chinese mark against Latin letters that spell its pinyin: 0.85 when the Chinese mark is a well-known
  mark (a loaded 驰名商标 list: the public knows its sound), else 0.5 (under the line: its own pinyin alone
  is not confusing for an ordinary mark, as the issue's examiner rule says).
Goods (`goods_factor`): a shared similar group ×1.0, the same class ×0.85, no shared class ×0.4; no goods
asked ×1.0. The weights are set from the examiner rules' order of strength, not tuned on pairs. A score of
`SIMILAR` (60) or more is "similar": the weakest text reason in the same class (0.75 × 0.85 = 64) passes,
identical words in unrelated goods (40) do not. Precision and recall on public decisions:
tests/test_similar_marks.py.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

import jellyfish

from ipnav.normalize import text as analysis
from ipnav.trademarks.rows import pinyin
from ipnav.trademarks.shapes import LOOK_ALIKE, shape_similarity

SIMILAR = 60  # the default threshold: from this score on ipnav calls two marks similar (近似)
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass
class Similarity:
    """How alike two marks are: the score and the reasons, strongest first."""

    score: int
    text: float
    goods: float
    reasons: list[str] = field(default_factory=list)


@functools.lru_cache(maxsize=200_000)
def _fold(text: str) -> str:
    """A mark's folded words (cached: a watch run compares the week's marks with every watch)."""
    return analysis.fold(text).strip()


@functools.lru_cache(maxsize=50_000)
def _tone_pinyin(text: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return " ".join(lazy_pinyin(text, style=Style.TONE3))


# sounds many speakers do not tell apart (平翘舌 z/zh c/ch s/sh, n/l, 前后鼻音 an/ang en/eng in/ing; f/h in the south)
_NEAR_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("l", "n"), ("h", "f"))
_NEAR_FINALS = (("iang", "ian"), ("uang", "uan"), ("ang", "an"), ("eng", "en"), ("ing", "in"))


@functools.lru_cache(maxsize=50_000)
def _near_sound(text: str) -> str:
    """The mark's syllables with the sounds of `_NEAR_INITIALS`/`_NEAR_FINALS` merged: 长城 and 藏神 (cangshen)
    differ, 长城 (changcheng) and 藏晨 (cangchen) meet as `cancen`."""
    from pypinyin import lazy_pinyin

    out = []
    for syllable in lazy_pinyin(text):
        for heard, merged in _NEAR_INITIALS:
            if syllable.startswith(heard):
                syllable = merged + syllable[len(heard) :]
                break
        for heard, merged in _NEAR_FINALS:
            if syllable.endswith(heard):
                syllable = syllable[: -len(heard)] + merged
                break
        out.append(syllable)
    return " ".join(out)


def _chinese(query: str, mark: str) -> tuple[float, str]:
    if sorted(query) == sorted(mark) and len(query) >= 2:
        return 0.9, f"字序不同: {query}/{mark}"
    sound_q, sound_m = pinyin(query), pinyin(mark)
    if sound_q and sound_q == sound_m:
        if _tone_pinyin(query) == _tone_pinyin(mark):
            return 0.95, f"读音相同(含声调): {query}/{mark} ({sound_q})"
        return 0.9, f"读音相同: {query}/{mark} ({sound_q})"
    changed = [(a, b) for a, b in zip(query, mark, strict=False) if a != b] if len(query) == len(mark) else []
    alike = {(a, b) for a, b in changed if shape_similarity(a, b) >= LOOK_ALIKE}
    if changed and len(alike) == len(set(changed)) and len(alike) <= max(1, len(query) // 2):  # 洽洽/治治: one
        pairs = ", ".join(f"{a}/{b}" for a, b in sorted(alike))
        return 0.9, f"字形近似: {query}/{mark} ({pairs})"
    if len(query) == len(mark) >= 3 and len(changed) == 1:
        a, b = changed[0]
        first = _near_sound(query[0]) != _near_sound(mark[0]) and shape_similarity(a, b) < LOOK_ALIKE and a == query[0]
        return (0.55 if first else 0.85), f"一字之差: {query}/{mark} ({a}/{b}{', 首字不同' if first else ''})"
    if len(query) >= 2 and len(mark) >= 2 and (query in mark or mark in query):
        short, long = sorted((query, mark), key=len)
        return 0.8, f"包含: {long} 含 {short}"
    if len(query) == len(mark) >= 2 and _near_sound(query) == _near_sound(mark):
        return 0.8, f"读音相近(平翘舌/前后鼻音/n-l): {query}/{mark} ({sound_q}/{sound_m})"
    if sound_q and sound_m and jellyfish.levenshtein_distance(sound_q, sound_m) == 1 and len(sound_q) >= 4:
        return 0.75, f"读音相近: {query}/{mark} ({sound_q}/{sound_m})"
    return 0.0, ""


def _latin(query: str, mark: str) -> tuple[float, str]:
    q, m = re.sub(r"[^0-9a-z]", "", query), re.sub(r"[^0-9a-z]", "", mark)
    if not q or not m:
        return 0.0, ""
    if min(len(q), len(m)) <= 2:
        return (1.0, f"文字相同: {query}") if q == m else (0.0, "")
    best, why = 0.0, ""
    distance = jellyfish.levenshtein_distance(q, m)
    ratio = 1 - distance / max(len(q), len(m))
    if ratio >= 0.6:
        best, why = ratio, f"字母近似: {query}/{mark} (相差{distance}个字母)"
    sounds_alike = jellyfish.metaphone(q) == jellyfish.metaphone(m) and ratio >= 0.5
    if sounds_alike and best < 0.85:
        best, why = 0.85, f"读音近似: {query}/{mark} ({jellyfish.metaphone(q)})"
    shorter, longer = sorted((query, mark), key=len)
    core = re.sub(r"[^0-9a-z]", "", shorter)
    if len(core) >= 3 and q != m and core in re.findall(r"[0-9a-z]+", longer) and best < 0.8:  # either way round
        best, why = 0.8, f"包含: {longer} 含 {shorter}"
    return best, why


def text_similarity(query: str, mark: str, famous: frozenset[str] = frozenset()) -> tuple[float, str]:
    """How alike two marks' words are (0-1) and why, in words; `famous`: the folded words of well-known
    marks (a Chinese one is then like its pinyin)."""
    q, m = _fold(query), _fold(mark)
    if not q or not m:
        return 0.0, ""
    if q == m or q.replace(" ", "") == m.replace(" ", ""):
        return 1.0, f"文字相同: {mark}"
    q_cjk, m_cjk = bool(_CJK.search(q)), bool(_CJK.search(m))
    if q_cjk and m_cjk:
        return _chinese(q.replace(" ", ""), m.replace(" ", ""))
    if not q_cjk and not m_cjk:
        return _latin(q, m)
    chinese, latin = (q, m) if q_cjk else (m, q)
    if pinyin(chinese) and pinyin(chinese) == re.sub(r"[^0-9a-z]", "", latin):
        if chinese.replace(" ", "") in famous:
            return 0.85, f"驰名商标与其拼音: {chinese}/{latin}"
        return 0.5, f"中文与其拼音: {chinese}/{latin}"
    return 0.0, ""


def goods_factor(
    classes: list[int], groups: list[str], mark_classes: list[int], mark_groups: list[str]
) -> tuple[float, str]:
    """How close the goods are: a shared similar group, the same class, or none."""
    if not classes and not groups:
        return 1.0, ""
    shared_groups = sorted(set(groups) & set(mark_groups))
    if shared_groups:
        return 1.0, f"类似群 {', '.join(shared_groups)} 相同"
    shared = sorted(set(classes) & set(mark_classes)) or sorted({int(g[:2]) for g in groups} & set(mark_classes))
    if shared:
        return 0.85, f"同属第{', '.join(str(c) for c in shared)}类"
    return 0.4, "商品/服务类别不同"


def compare(query: str, classes: list[int], groups: list[str], mark: dict[str, Any],
            famous: frozenset[str] = frozenset()) -> Similarity:  # fmt: skip
    """One candidate mark (a hit row: text, classes, groups) against the query mark and its goods."""
    text, why = text_similarity(query, str(mark.get("text") or ""), famous)
    goods, goods_why = goods_factor(classes, groups, list(mark.get("classes") or []), list(mark.get("groups") or []))
    reasons = [r for r in (why, goods_why) if r]
    return Similarity(round(100 * text * goods), text, goods, reasons)


def search(index: Any, query: str, *, classes: list[int], groups: list[str], limit: int = 20,
           threshold: int = 0, pool: int = 2000, within: list[str] | None = None,
           famous: frozenset[str] = frozenset()) -> list[dict[str, Any]]:  # fmt: skip
    """Marks similar to `query` among the index's candidates (sharing characters, sound or a near word;
    among the marks with the keys `within` only, when given), scored and ranked; those under `threshold`
    left out."""
    out = []
    for hit in index.candidates(query, pool, within):
        similarity = compare(query, classes, groups, hit, famous)
        if similarity.score > 0 and similarity.score >= threshold:
            out.append({**hit, "score": similarity.score, "reasons": similarity.reasons,
                        "text_similarity": round(similarity.text, 3), "goods_factor": similarity.goods})  # fmt: skip
    out.sort(key=lambda h: (-h["score"], h.get("filing_date") or "", h["number"]))
    return out[:limit]
