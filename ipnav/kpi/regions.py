"""Regions for indicators: what a user names (`常州`, `320400`, `南江县`, `重庆市`), its level, its
children, and its population.

Codes are the 2023 statistical division codes the ingest resolves addresses to. Municipalities
(北京 天津 上海 重庆) are their own city: `--by city` under 重庆市 gives one row 重庆市, not the
statistical 市辖区/县 halves. Census 2020 codes that changed before 2023 are carried forward
through the GB/T 2260 change table, so every 2023 county finds its population.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

from ipnav import reference
from ipnav.errors import UsageError

Level = Literal["country", "province", "city", "county"]
LEVELS: tuple[str, ...] = ("country", "province", "city", "county")
LEVEL_ZH = {"country": "全国", "province": "省级", "city": "地市级", "county": "区县级"}
MUNICIPALITIES = ("11", "12", "31", "50")
POPULATION_SOURCES = {
    "census2020": "第七次全国人口普查(2020) 常住人口 / 7th national census 2020, resident population",
    "yearend": "国家统计局 年末常住人口(省级) / NBS year-end resident population by province",
}


@dataclass(frozen=True)
class RegionRef:
    code: str  # 6-digit adcode; "" for the whole country
    name: str
    level: str

    def contains(self, adcode: str) -> bool:
        return adcode.startswith(self.prefix)

    @property
    def prefix(self) -> str:
        if self.level == "country":
            return ""
        if self.level == "province" or (self.level == "city" and self.code[:2] in MUNICIPALITIES):
            return self.code[:2]
        return self.code[:4] if self.level == "city" else self.code

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name, "level": self.level, "level_zh": LEVEL_ZH[self.level]}


@functools.lru_cache(maxsize=1)
def _names() -> dict[str, tuple[str, str]]:
    """6-digit code -> (name, level) for every province, city and county."""
    out: dict[str, tuple[str, str]] = {}
    for r in reference.rows("adcode_provinces"):
        out[r["code"] + "0000"] = (r["name"], "province")
    provinces = {r["code"]: r["name"] for r in reference.rows("adcode_provinces")}
    for r in reference.rows("adcode_cities"):
        name = r["name"]
        if name in ("市辖区", "县"):
            continue  # municipality halves: the municipality is the city
        if name in ("省直辖县级行政区划", "自治区直辖县级行政区划"):
            name = f"{provinces.get(r['code'][:2], '')}{name}"
        out[r["code"] + "00"] = (name, "city")
    for r in reference.rows("adcode_areas"):
        out[r["code"]] = (r["name"], "county")
    return out


def resolve(value: str | None) -> RegionRef:
    """A region from an adcode (2, 4 or 6 digits) or a name (full or short: 常州, 常州市, 南江县)."""
    text = (value or "").strip()
    if text in ("", "全国", "中国", "all", "CN", "china"):
        return RegionRef("", "全国", "country")
    names = _names()
    if text.isdigit():
        code = text.ljust(6, "0") if len(text) in (2, 4) else text
        if code in names:
            name, level = names[code]
            return RegionRef(code, name, level)
        if code[:2] in MUNICIPALITIES and code[2:4] in ("01", "02") and code.endswith("00"):
            return region_for(code, "province")
        raise UsageError(f"unknown region code {text!r} (2023 statistical division codes)")
    exact = [(c, n, lvl) for c, (n, lvl) in names.items() if n == text]
    if not exact:
        exact = [(c, n, lvl) for c, (n, lvl) in names.items() if _short(n) == _short(text) and len(text) >= 2]
    if not exact:
        raise UsageError(f"unknown region {text!r}: give a province, city or county name, or its adcode")
    # a municipality is both a province and its own city: prefer the province
    exact.sort(key=lambda x: LEVELS.index(x[2]))
    if len({c for c, _, lvl in exact if lvl == exact[0][2]}) > 1:
        options = ", ".join(f"{c} {n}" for c, n, _ in exact[:8])
        raise UsageError(f"region {text!r} is ambiguous: {options}; give the adcode")
    code, name, level = exact[0]
    return RegionRef(code, name, level)


def _short(name: str) -> str:
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市", "地区", "盟"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def group_code(adcode: str, level: str) -> str:
    """The code of the `level` region an adcode falls in ('' when the adcode is not that precise)."""
    if not adcode or len(adcode) != 6:
        return ""
    if level == "country":
        return ""
    if level == "province":
        return adcode[:2] + "0000"
    if level == "city":
        if adcode[:2] in MUNICIPALITIES:
            return adcode[:2] + "0000"
        return "" if adcode.endswith("0000") else adcode[:4] + "00"
    return "" if adcode.endswith("00") else adcode


def region_for(code: str, level: str) -> RegionRef:
    if level == "country" or not code:
        return RegionRef("", "全国", "country")
    if level == "city" and code[:2] in MUNICIPALITIES:
        name = _names().get(code[:2] + "0000", ("", ""))[0]
        return RegionRef(code[:2] + "0000", name, "city")
    name = _names().get(code, (code, level))[0]
    return RegionRef(code, name, level)


@functools.lru_cache(maxsize=1)
def _census() -> dict[str, int]:
    changes = {r["from"]: r["to"] for r in reference.rows("county_code_changes")}
    out: dict[str, int] = {}
    for r in reference.rows("population_census2020"):
        code, level = r["adcode"], r["level"]
        if not code or not r["population"]:
            continue
        if level == "county" and code not in _names():
            seen: set[str] = set()
            while code in changes and code not in seen:
                seen.add(code)
                code = changes[code]
        out[code] = out.get(code, 0) + int(r["population"])
    for r in reference.rows("population_census2020"):
        if r["level"] == "country":
            out[""] = int(r["population"])
    return out


@functools.lru_cache(maxsize=1)
def _yearend() -> dict[tuple[str, int], int]:
    return {
        (r["adcode"], int(r["year"])): round(float(r["population_10k"]) * 10_000)
        for r in reference.rows("population_province_yearend")
    }


def population(region: RegionRef, source: str, year: int) -> tuple[int | None, str]:
    """(residents, note) of a region from the chosen source; None when the source has no figure."""
    if source == "census2020":
        code = region.code
        if region.level == "city" and code[:2] in MUNICIPALITIES:
            code = code[:2] + "0000"
        value = _census().get(code)
        return value, "2020"
    if source == "yearend":
        if region.level == "county" or (region.level == "city" and region.code[:2] not in MUNICIPALITIES):
            return None, "year-end series covers provinces only"
        series = _yearend()
        years = sorted(y for (c, y) in series if c == (region.code[:2] + "0000" if region.code else ""))
        if region.level == "country":
            total_years = sorted({y for (_, y) in series})
            use = max((y for y in total_years if y <= year), default=None)
            if use is None:
                return None, f"no year-end figure for {year}"
            return sum(v for (c, y), v in series.items() if y == use), f"{use} (sum of provinces)"
        use = max((y for y in years if y <= year), default=None)
        if use is None:
            return None, f"no year-end figure for {year}"
        return series[(region.code[:2] + "0000", use)], str(use)
    raise UsageError(f"unknown population source {source!r}: use {', '.join(POPULATION_SOURCES)}")
