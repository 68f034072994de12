"""Chinese regions, one set of rules: an address -> its 6-digit adcode, and what a user names
(`常州`, `320400`, `南江县`, `重庆市`) -> a region with its level, children and population.

Addresses: cpca does the parsing; its tables date from 2018, so each code is then carried
through the GB/T 2260 change table and checked against the 2023 divisions, and a small
override table handles later mergers. An address that names only a district shared by several
cities (`朝阳区...` is in Beijing and Changchun) is flagged `ambiguous` with no code: we never
guess.

Regions for indicators: codes are the 2023 statistical division codes the ingest resolves
addresses to. Municipalities (北京 天津 上海 重庆) are their own city: `--by city` under 重庆市
gives one row 重庆市, not the statistical 市辖区/县 halves. Census 2020 codes that changed
before 2023 are carried forward through the GB/T 2260 change table, so every 2023 county finds
its population.
"""

from __future__ import annotations

import functools
import re
import warnings
from dataclasses import dataclass
from typing import Literal

from ipnav import reference
from ipnav.errors import UsageError

_POSTCODE_RE = re.compile(r"^\s*\d{6}\s*")


@dataclass(frozen=True, slots=True)
class Region:
    """An address resolved to its adcode and names (or flagged ambiguous/unmatched)."""

    adcode: str = ""
    province: str = ""
    city: str = ""
    county: str = ""
    flag: str = "unmatched"  # matched | ambiguous | unmatched


@functools.lru_cache(maxsize=1)
def _divisions() -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, list[str]], dict[str, str]]:
    provinces = {r["code"]: r["name"] for r in reference.rows("adcode_provinces")}
    cities = {r["code"]: r["name"] for r in reference.rows("adcode_cities")}
    areas = {r["code"]: r["name"] for r in reference.rows("adcode_areas")}
    by_name: dict[str, list[str]] = {}
    for code, name in areas.items():
        by_name.setdefault(name, []).append(code)
    changes = {r["from"]: r["to"] for r in reference.rows("county_code_changes")}
    return provinces, cities, areas, by_name, changes


@functools.lru_cache(maxsize=1)
def _overrides() -> tuple[tuple[str, str], ...]:
    return tuple((r["pattern"], r["adcode"]) for r in reference.rows("adcode_overrides"))


def division_names(adcode: str) -> tuple[str, str, str]:
    """(province, city, county) names of an adcode; municipalities are their own city."""
    provinces, cities, areas, _, _ = _divisions()
    province = provinces.get(adcode[:2], "")
    city = cities.get(adcode[:4], "")
    if city in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
        city = province if province.endswith("市") else ""
    county = areas.get(adcode, "") if not adcode.endswith("00") else ""
    return province, city, county


def _current(adcode: str) -> str:
    _, _, areas, _, changes = _divisions()
    seen = set()
    while adcode not in areas and adcode in changes and adcode not in seen:
        seen.add(adcode)
        adcode = changes[adcode]
    return adcode


def short_name(name: str) -> str:
    """江苏省 -> 江苏, 广西壮族自治区 -> 广西, 北京市 -> 北京 (how addresses and the China map name places)."""
    for suffix in (
        "维吾尔自治区",
        "壮族自治区",
        "回族自治区",
        "自治区",
        "特别行政区",
        "省",
        "市",
        "自治州",
        "地区",
        "盟",
    ):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def resolve_addresses(addresses: list[str]) -> list[Region]:
    """Resolve many addresses at once (cpca is vectorised)."""
    cleaned = [_POSTCODE_RE.sub("", a or "").strip() for a in addresses]
    unique = sorted({a for a in cleaned if a})
    resolved = {a: _resolve_one(a, row) for a, row in zip(unique, _cpca(unique), strict=True)}
    return [resolved.get(a, Region()) for a in cleaned]


def resolve_address(address: str) -> Region:
    """One address resolved (see resolve_addresses)."""
    return resolve_addresses([address])[0]


def _cpca(addresses: list[str]) -> list[tuple[str, str, str, str]]:
    if not addresses:
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import cpca

        frame = cpca.transform(addresses)
    return [
        (str(p or ""), str(c or ""), str(d or ""), str(code or ""))
        for p, c, d, code in zip(frame["省"], frame["市"], frame["区"], frame["adcode"], strict=True)
    ]


def _resolve_one(address: str, parsed: tuple[str, str, str, str]) -> Region:
    for pattern, code in _overrides():
        if pattern in address:
            province, city, county = division_names(code)
            return Region(code, province, city, county, "matched")
    province_name, city_name, county_name, code = parsed
    if not code or code == "None" or len(code) != 6:
        return Region()
    code = _current(code)
    _, _, areas, by_name, _ = _divisions()
    mentions_parent = any(
        part and part not in ("市辖区", "县") and short_name(part) in address for part in (province_name, city_name)
    )
    if county_name and not mentions_parent and len(by_name.get(county_name, [])) > 1:
        return Region("", "", "", county_name, "ambiguous")
    if not mentions_parent and not county_name:
        return Region()
    if code not in areas and not code.endswith("00"):
        return Region("", province_name, "", "", "unmatched")
    province, city, county = division_names(code)
    return Region(code, province, city, county, "matched")


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
    """A region users name: its code, name and level."""

    code: str  # 6-digit adcode; "" for the whole country
    name: str
    level: str

    def contains(self, adcode: str) -> bool:
        """Does an adcode fall in this region?"""
        return adcode.startswith(self.prefix)

    @property
    def prefix(self) -> str:
        """The adcode prefix every place in the region starts with."""
        if self.level == "country":
            return ""
        if self.level == "province" or (self.level == "city" and self.code[:2] in MUNICIPALITIES):
            return self.code[:2]
        return self.code[:4] if self.level == "city" else self.code

    def as_dict(self) -> dict[str, str]:
        """The region as plain data, with the level in Chinese."""
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
        exact = [(c, n, lvl) for c, (n, lvl) in names.items() if short_name(n) == short_name(text) and len(text) >= 2]
    if not exact:
        raise UsageError(f"unknown region {text!r}: give a province, city or county name, or its adcode")
    # a municipality is both a province and its own city: prefer the province
    exact.sort(key=lambda x: LEVELS.index(x[2]))
    if len({c for c, _, lvl in exact if lvl == exact[0][2]}) > 1:
        options = ", ".join(f"{c} {n}" for c, n, _ in exact[:8])
        raise UsageError(f"region {text!r} is ambiguous: {options}; give the adcode")
    code, name, level = exact[0]
    return RegionRef(code, name, level)


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
    """The region of a level that a group code names (municipalities are their own city)."""
    if level == "country" or not code:
        return RegionRef("", "全国", "country")
    if level == "city" and code[:2] in MUNICIPALITIES:
        name = _names().get(code[:2] + "0000", ("", ""))[0]
        return RegionRef(code[:2] + "0000", name, "city")
    name = _names().get(code, (code, level))[0]
    return RegionRef(code, name, level)


@functools.lru_cache(maxsize=1)
def census() -> dict[str, int]:
    """Census 2020 residents by 2023 code (counties carried through code changes); "" is the country."""
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
        value = census().get(code)
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
