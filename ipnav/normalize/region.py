"""Chinese address -> 6-digit adcode with province / city / county names.

cpca does the parsing; its tables date from 2018, so each code is then carried
through the GB/T 2260 change table and checked against the 2023 divisions, and a
small override table handles later mergers. An address that names only a
district shared by several cities (`朝阳区...` is in Beijing and Changchun) is
flagged `ambiguous` with no code: we never guess.
"""

from __future__ import annotations

import functools
import re
import warnings
from dataclasses import dataclass

from ipnav import reference

_POSTCODE_RE = re.compile(r"^\s*\d{6}\s*")


@dataclass(frozen=True, slots=True)
class Region:
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


def _names_for(adcode: str) -> tuple[str, str, str]:
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
            province, city, county = _names_for(code)
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
    province, city, county = _names_for(code)
    return Region(code, province, city, county, "matched")
