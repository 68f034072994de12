"""The region named at the start of an organisation's name: 重庆XX有限公司 -> 重庆市, 泰安市XX -> 泰安市,
山东泰安XX -> 泰安市, 南江县XX -> 南江县.

Rules, chosen so that a wrong region is rarer than no region:

* the place a company puts in brackets after its trade name (中科创达软件科技（深圳）有限公司) counts
  when the name starts with no place;
* a full division name (山东省, 泰安市, 南江县, 朝阳区) matches at any level; a short name (山东, 泰安)
  only for provinces and prefecture-level cities: short county names (长安, 东方) are everyday words;
* after a province the name may go on with one of its cities, after a city with one of its counties;
* a prefix that names places in more than one lineage (朝阳: 朝阳市 in Liaoning, 朝阳区 in Beijing and
  in Changchun) is ambiguous and gives no region; within one lineage (吉林省, 吉林市) the larger wins;
* names of people are not looked at (the caller passes organisations only), nor names starting with
  a word that is a place by accident (中山大学 is in Guangzhou).

>>> region_of_name("重庆长安汽车股份有限公司").adcode
'500000'
"""

from __future__ import annotations

import functools
import itertools
import re

from ipnav import reference
from ipnav.normalize.region import Region, census, division_names, short_name

_NOT_PLACES = ("中山大学", "中国", "中华", "中央", "华夏", "东方", "大同证券")
_MAX = 12  # longest division name looked for
_BRACKETED = re.compile(r"[（(]([\u4e00-\u9fff]{2,12})[）)]")


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, list[str]]:
    """Name or short name -> 6-digit codes of the divisions it names."""
    index: dict[str, list[str]] = {}

    def add(name: str, code: str) -> None:
        codes = index.setdefault(name, [])
        if code not in codes:
            codes.append(code)

    for row in reference.rows("adcode_provinces"):
        code = row["code"] + "0000"
        add(row["name"], code)
        add(short_name(row["name"]), code)
    for row in reference.rows("adcode_cities"):
        if row["name"] in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            continue
        code = row["code"] + "00"
        add(row["name"], code)
        if len(short_name(row["name"])) >= 2:
            add(short_name(row["name"]), code)
    for row in reference.rows("adcode_areas"):
        add(row["name"], row["code"])
    return index


@functools.lru_cache(maxsize=1)
def _county_shorts() -> dict[str, list[str]]:
    """Short name of a county (朝阳 of 朝阳区) -> its codes: short city names that collide with them."""
    shorts: dict[str, list[str]] = {}
    for row in reference.rows("adcode_areas"):
        name = row["name"]
        if len(name) >= 3 and name[-1] in "区县市旗":
            shorts.setdefault(name[:-1], []).append(row["code"])
    return shorts


def _rivals(short: str, code: str) -> bool:
    """A short name that is also a county elsewhere at least a third as populous (朝阳: 朝阳市 2.9M,
    Beijing's 朝阳区 3.5M) does not say which; 西安 (12.2M) outweighs Liaoyuan's 西安区 (0.3M)."""
    own = census().get(code, 0)
    return any(
        not c.startswith(_prefix(code)) and census().get(c, 0) * 3 > own for c in _county_shorts().get(short, [])
    )


def _prefix(code: str) -> str:
    """The adcode prefix of a division (11, 3709, 370902)."""
    if code.endswith("0000"):
        return code[:2]
    return code[:4] if code.endswith("00") else code


def _lineage(codes: list[str]) -> str | None:
    """The largest of codes that lie in one lineage (each inside the next), else None."""
    ordered = sorted(codes, key=lambda c: len(_prefix(c)))
    for outer, inner in itertools.pairwise(ordered):
        if not _prefix(inner).startswith(_prefix(outer)):
            return None
    return ordered[0]


def _match(text: str, within: str) -> tuple[str, int] | str | None:
    """(code, length) of the longest division name at the start of text inside `within`;
    'ambiguous' when that name fits several lineages; None when no name fits."""
    index = _index()
    for length in range(min(_MAX, len(text)), 1, -1):
        codes = [c for c in index.get(text[:length], []) if _prefix(c).startswith(within) and _prefix(c) != within]
        if codes:
            code = _lineage(codes)
            if code is None or (text[:length] in _county_shorts() and _rivals(text[:length], code)):
                return "ambiguous"
            return code, length
    return None


def region_of_name(name: str) -> Region:
    """The region an organisation's name starts with (flag `matched`, `ambiguous` or `unmatched`)."""
    text = name.strip()
    if not text or text.startswith(_NOT_PLACES):
        return Region()
    found = _match(text, "")
    bracketed = _BRACKETED.search(text) if found is None else None  # 中科创达软件科技（深圳）有限公司
    if bracketed:
        inner = _match(bracketed.group(1), "")
        found = inner if not isinstance(inner, tuple) or inner[1] == len(bracketed.group(1)) else None
    if found is None:
        return Region()
    if not isinstance(found, tuple):
        return Region(flag="ambiguous")
    code, used = found
    while len(_prefix(code)) < 6 and not bracketed:  # a province may go on with its city, a city its county
        deeper = _match(text[used:], _prefix(code))
        if not isinstance(deeper, tuple):
            break
        code, used = deeper[0], used + deeper[1]
    province, city, county = division_names(code)
    return Region(code, province, city, county, "matched")
