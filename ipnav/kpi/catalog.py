"""The regional indicators by name, with their titles, units and definitions: light to import (the CLI
and the API build their help texts and the catalogue from it); `ipnav.kpi.indicators` computes them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Indicator:
    """One regional indicator: name, titles, kind (stock or flow), unit and definition."""

    name: str
    title_zh: str
    title_en: str
    kind: str  # "stock" (on the as-of date) or "flow" (per year)
    unit_zh: str
    unit_en: str
    definition_zh: str
    definition_en: str
    per_10k: bool = False
    population: str = ""  # default population source of per-10k indicators
    record_kind: str = "patent"  # what it counts (ipnav.kinds)

    def describe(self) -> dict[str, Any]:
        """Name, titles, unit and definition, as the catalogue lists them."""
        return {
            "name": self.name,
            "title_zh": self.title_zh,
            "title_en": self.title_en,
            "kind": self.kind,
            "unit_zh": self.unit_zh,
            "unit_en": self.unit_en,
            "definition_zh": self.definition_zh,
            "definition_en": self.definition_en,
            "population": self.population,
            "record_kind": self.record_kind,
        }


_VALID_ZH = "经国家知识产权局授权、截至统计日仍有效(已授权、未届满20年、未终止/失效)的发明专利"
_VALID_EN = "CNIPA-granted invention patents in force on the as-of date (granted, within the 20-year term, not lapsed)"
_HV_ZH = (
    "有效发明专利中符合任一条件者: 1.战略性新兴产业(2021年参照关系表,按IPC); 2.在海外有同族专利; "
    "3.维持年限超过10年; 4.质押融资金额不低于设定阈值; 5.获得国家科学技术奖或中国专利奖"
)
_HV_EN = (
    "valid invention patents meeting any of: strategic emerging industry (2021 concordance, by IPC); "
    "an overseas family member; maintained more than 10 years; pledge financing at or above the threshold; "
    "a national S&T award or China Patent Award"
)

INDICATORS: dict[str, Indicator] = {
    i.name: i
    for i in (
        Indicator(
            "valid_invention", "有效发明专利拥有量", "Valid invention patents", "stock", "件", "patents",
            f"本地区专利权人拥有的{_VALID_ZH}数量", f"Number of {_VALID_EN} held by patentees of the region",
        ),
        Indicator(
            "high_value_invention", "高价值发明专利拥有量", "High-value invention patents", "stock", "件", "patents",
            f"本地区专利权人拥有的高价值发明专利数量。{_HV_ZH}",
            f"High-value invention patents of the region: {_HV_EN}",
        ),
        Indicator(
            "valid_invention_per_10k", "每万人口发明专利拥有量", "Valid invention patents per 10,000 residents",
            "stock", "件/万人", "per 10k residents",
            "有效发明专利拥有量 ÷ 常住人口 × 10000", "valid_invention / resident population × 10,000",
            per_10k=True, population="census2020",
        ),
        Indicator(
            "high_value_invention_per_10k", "每万人口高价值发明专利拥有量",
            "High-value invention patents per 10,000 residents", "stock", "件/万人", "per 10k residents",
            "高价值发明专利拥有量 ÷ 常住人口 × 10000 (宁夏规划注①的口径)",
            "high_value_invention / resident population × 10,000 (definition of note ① of the Ningxia plan)",
            per_10k=True, population="census2020",
        ),
        Indicator(
            "applications", "专利申请量", "Patent applications", "flow", "件", "applications",
            "本地区申请人向国家知识产权局提交的专利申请(发明、实用新型、外观设计), 按申请日年份",
            "Applications filed at CNIPA by applicants of the region (all types), by filing year",
        ),
        Indicator(
            "invention_applications", "发明专利申请量", "Invention applications", "flow", "件", "applications",
            "本地区申请人向国家知识产权局提交的发明专利申请, 按申请日年份",
            "Invention applications filed at CNIPA by applicants of the region, by filing year",
        ),
        Indicator(
            "grants", "专利授权量", "Patent grants", "flow", "件", "grants",
            "国家知识产权局授予本地区专利权人的专利(全部类型), 按授权公告日年份",
            "Patents of all types granted by CNIPA to patentees of the region, by grant year",
        ),
        Indicator(
            "invention_grants", "发明专利授权量", "Invention grants", "flow", "件", "grants",
            "国家知识产权局授予本地区专利权人的发明专利, 按授权公告日年份",
            "Invention patents granted by CNIPA to patentees of the region, by grant year",
        ),
        Indicator(
            "valid_trademarks", "有效注册商标量", "Valid registered trademarks", "stock", "件", "marks",
            "本地区商标权人(按地址)截至统计日有效的注册商标: 已注册, 专用权期限未届满, 未被注销、撤销或宣告无效",
            "Registered marks of owners of the region in force on the as-of date: registered, term not ended, "
            "not cancelled or invalidated", record_kind="trademark",
        ),
        Indicator(
            "madrid_registrations", "马德里商标国际注册有效量", "Valid Madrid international registrations", "stock",
            "件", "marks", "本地区商标权人有效的马德里国际注册商标(国际注册号 G…)",
            "Valid Madrid international registrations of owners of the region", record_kind="trademark",
        ),
        Indicator(
            "gi_trademarks", "集体商标、证明商标(地理标志商标)有效量", "Valid collective and certification marks",
            "stock", "件", "marks",
            "本地区有效的集体商标和证明商标; 地理标志以这两类注册, 其中非地理标志者未能区分",
            "Valid collective and certification marks of the region (geographical indications are registered as "
            "these; the ones that are not GIs are not told apart)", record_kind="trademark",
        ),
        Indicator(
            "trademark_applications", "商标注册申请量", "Trademark applications", "flow", "件", "applications",
            "本地区申请人提交的商标注册申请, 按申请日年份",
            "Trademark applications by owners of the region, by filing year",
            record_kind="trademark",
        ),
        Indicator(
            "trademark_registrations", "商标注册量", "Trademark registrations", "flow", "件", "registrations",
            "本地区商标权人获准注册的商标, 按注册日年份",
            "Marks registered to owners of the region, by registration year",
            record_kind="trademark",
        ),
        Indicator(
            "trademark_enterprises_per_10k", "万企有效注册商标企业数", "Enterprises with a valid registered trademark "
            "per 10,000 enterprises", "stock", "家/万户企业", "per 10,000 enterprises",
            "本地区持有有效注册商标的企业(按规范化名称去重) ÷ 企业法人单位数 × 10000; 企业法人单位数取工作区表 "
            "enterprise_units.csv, 省级和全国缺省取国家统计局分省数据",
            "Distinct enterprise owners of the region holding a valid registered mark ÷ enterprise legal-person "
            "units × 10,000 (units from the workspace's enterprise_units.csv; NBS provincial figures by default)",
            record_kind="trademark",
        ),
        Indicator(
            "well_known_marks", "驰名商标数", "Well-known marks", "stock", "件", "marks",
            "已载入的驰名商标清单中, 认定年份不晚于统计日、权利人在本地区的驰名商标(`ipnav tm well-known load`)",
            "Marks of the loaded well-known mark list recognised by the as-of year whose owner is in the region",
            record_kind="trademark",
        ),
        Indicator(
            "well_known_marks_new", "新认定驰名商标数", "Newly recognised well-known marks", "flow", "件", "marks",
            "已载入的驰名商标清单中, 权利人在本地区的驰名商标, 按认定年份", "Marks of the loaded well-known mark list "
            "whose owner is in the region, by year of recognition", record_kind="trademark",
        ),
        Indicator(
            "madrid_new_registrations", "马德里商标国际注册量(新增)", "New Madrid international registrations",
            "flow", "件", "registrations", "本地区商标权人取得的马德里国际注册, 按国际注册日年份",
            "Madrid international registrations obtained by owners of the region, by registration year",
            record_kind="trademark",
        ),
        Indicator(
            "pct_applications", "PCT国际专利申请量", "PCT international applications", "flow", "件", "applications",
            "本地区申请人提交的PCT国际专利申请, 按国际申请日年份",
            "PCT international applications by applicants of the region, by international filing year",
        ),
        Indicator(
            "overseas_invention_grants", "海外发明专利授权量", "Invention patents granted abroad", "flow", "件",
            "grants", "本地区申请人在中国以外的专利局(美、欧、日、韩等)获得授权的发明专利, 按授权日年份; "
            "地区按申请人地址", "Invention patents granted by offices other than CNIPA to applicants of the region, "
            "by grant year",
        ),
        Indicator(
            "foreign_applications", "向国外申请专利量(含PCT)", "Patent applications filed abroad (PCT included)",
            "flow", "件", "applications", "本地区申请人向中国以外的专利局提交的申请及PCT国际申请, 按申请日年份",
            "Applications by applicants of the region at offices other than CNIPA and PCT applications, by filing "
            "year",
        ),
    )
}  # fmt: skip


def _with_registers() -> None:
    from ipnav.kpi.register_catalog import REGISTER_INDICATORS

    INDICATORS.update({i.name: i for i in REGISTER_INDICATORS})


_with_registers()


def catalogue() -> list[dict[str, Any]]:
    """Every indicator with its definition, as the catalogue lists them."""
    return [i.describe() for i in INDICATORS.values()]
