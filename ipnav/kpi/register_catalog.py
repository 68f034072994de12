"""The indicators of the other registers (`ipnav.registers`): what each counts or sums, light to import
(the catalogue adds them to the one indicator registry; `ipnav.kpi.registers` computes them).

A register indicator is a count or a sum (in 亿元) of the records of one register whose sub-type and
condition match, attributed to the holder's region (`registers.adcode`, with the basis reported):
**stock** indicators count what exists on the as-of date (dated on or before it, or undated; not ended by
then: no end date after it and no status 撤销/注销/终止/无效), **flow** indicators count or sum per year
(of the record's date, else its year). Two are rates: the on-time closure rate and the closure rate of
cases (`ipnav.registers.closure`), and one a coverage: the cities of a province with a trademark window.
"""

from __future__ import annotations

from dataclasses import dataclass

from ipnav.kpi.catalog import Indicator


@dataclass(frozen=True)
class Counted:
    """What a register indicator counts: register, sub-types (empty: all), extra SQL condition, measure."""

    register: str
    subtypes: tuple[str, ...] = ()
    condition: str = "TRUE"  # SQL on registers `r`
    measure: str = "count"  # count | amount (sum in 亿元) | on_time | closure | coverage


_PATENT_EVENT = "r.event = 'registration' AND r.ip_type LIKE '%专利%'"
_REGISTRATION = "r.event = 'registration'"

# name -> (titles, unit, definitions, what it counts); `_new` flows come with every named-list stock
_SPECS: tuple[tuple[str, str, str, str, str, str, str, Counted], ...] = (
    ("gi_products", "地理标志保护产品数量", "GI protected products", "stock", "件",
     "本地区经批准的地理标志保护产品(批准公告), 按批准日; 无日期者视为统计日已有",
     "GI protected products of the region approved by the as-of date (undated ones count as existing)",
     Counted("gi", ("product",))),
    ("agri_gis", "农产品地理标志数量", "Agricultural GIs", "stock", "件",
     "本地区登记的农产品地理标志(登记证书), 按登记日; 无日期者视为统计日已有",
     "Agricultural GIs registered in the region by the as-of date (undated ones count as existing)",
     Counted("gi", ("agri",))),
    ("gis", "地理标志数量(保护产品+农产品)", "Geographical indications (products and agricultural)", "stock", "件",
     "地理标志保护产品与农产品地理标志之和; 地理标志商标见 gi_trademarks",
     "GI protected products and agricultural GIs together; GI marks are gi_trademarks", Counted("gi")),
    ("gi_sales", "地理标志产品销售额", "Sales of GI products", "flow", "亿元",
     "用标企业填报的年销售额之和(万元折亿元), 按填报年度", "Annual sales reported by authorised users, by year",
     Counted("gi_user", (), "r.amount IS NOT NULL", "amount")),
    ("gi_users", "地理标志用标企业数", "Authorised users of GIs", "stock", "家",
     "经核准使用地理标志专用标志或地理标志商标的企业(去重)", "Enterprises authorised to use a GI (distinct)",
     Counted("gi_user")),
    ("copyright_registrations", "著作权登记量", "Copyright registrations", "flow", "件",
     "本地区著作权人的计算机软件著作权和作品登记, 按登记日年份",
     "Software and work registrations of owners of the region, by registration year", Counted("copyright")),
    ("software_copyrights", "计算机软件著作权登记量", "Software copyright registrations", "flow", "件",
     "本地区著作权人的计算机软件著作权登记, 按登记日年份", "Software registrations, by registration year",
     Counted("copyright", ("software",))),
    ("work_copyrights", "作品著作权登记量", "Copyright registrations of works", "flow", "件",
     "本地区著作权人的作品登记, 按登记日年份", "Registrations of works, by registration year",
     Counted("copyright", ("work",))),
    ("plant_variety_grants", "植物新品种授权量", "Plant variety rights granted", "flow", "件",
     "本地区品种权人获得的植物新品种权, 按授权日年份", "Plant variety rights granted to holders of the region, by year",
     Counted("plant_variety", (), "r.date IS NOT NULL")),
    ("patent_transfers", "专利转让登记量", "Patent transfers", "flow", "件",
     "本地区出让人的专利权/专利申请权转让登记, 按生效日年份", "Patent transfers by transferors of the region, by year",
     Counted("ip_transaction", ("transfer",), _PATENT_EVENT)),
    ("patent_licences", "专利实施许可合同备案量", "Patent licence filings", "flow", "件",
     "本地区许可人的专利实施许可合同备案(含开放许可), 按备案生效日年份",
     "Patent licence contract filings (open licences included) by licensors of the region, by year",
     Counted("ip_transaction", ("licence",), _PATENT_EVENT)),
    ("patent_licences_transfers", "专利许可和转让登记量", "Patent licences and transfers", "flow", "件",
     "专利转让登记与实施许可合同备案之和", "Patent transfers and licence filings together",
     Counted("ip_transaction", ("transfer", "licence"), _PATENT_EVENT)),
    ("pledge_registrations", "知识产权质押登记量", "IP pledge registrations", "flow", "件",
     "本地区出质人的专利、商标(及混合)质押登记, 按登记日年份",
     "Pledge registrations of pledgors of the region, by year",
     Counted("ip_transaction", ("pledge",), _REGISTRATION)),
    ("pledge_amount", "知识产权质押融资登记金额", "IP pledge financing amount", "flow", "亿元",
     "本地区出质人质押登记的担保(融资)金额之和, 专利、商标和混合质押, 按登记日年份",
     "Amounts of pledge registrations of pledgors of the region (patents, marks, mixed), by year",
     Counted("ip_transaction", ("pledge",), _REGISTRATION, "amount")),
    ("ip_transaction_amount", "知识产权许可、转让、质押金额", "IP licence, transfer and pledge amounts", "flow", "亿元",
     "许可费、转让费和质押融资金额之和(登记给出金额者), 按生效日年份",
     "Licence fees, transfer prices and pledge amounts where registered, by year",
     Counted("ip_transaction", ("transfer", "licence", "pledge"), _REGISTRATION, "amount")),
    ("cases_filed", "知识产权案件立案量", "IP cases filed", "flow", "件",
     "本地区立案的知识产权行政、司法、维权援助和调解案件, 按立案日年份", "Cases filed in the region, by filing year",
     Counted("case")),
    ("on_time_closure_rate", "知识产权案件按期结案率", "On-time closure rate of IP cases", "stock", "%",
     "统计日所在年度内到期的案件(当年结案的, 及未结且已过期限的)中在期限内结案的比例; 期限见 docs/registers.md",
     "Of the cases due in the as-of year (closed that year, or open past their deadline), the share closed "
     "within the time limit (docs/registers.md)", Counted("case", ("administrative", "judicial"), "TRUE", "on_time")),
    ("case_closure_rate", "知识产权行政执法结案率", "Closure rate of administrative IP cases", "stock", "%",
     "统计日所在年度立案的行政执法案件中截至统计日已结案的比例",
     "Of the administrative cases filed in the as-of year, the share closed by the as-of date",
     Counted("case", ("administrative",), "TRUE", "closure")),
    ("credit_listed", "列入信用名单主体数", "Parties on credit lists", "stock", "个",
     "截至统计日在非正常专利申请、恶意商标注册和失信名单上(未移出)的主体",
     "Parties on the abnormal-filing, bad-faith and dishonesty lists on the as-of date", Counted("credit")),
    ("tech_contract_turnover", "技术合同成交额", "Technology contract turnover", "flow", "亿元",
     "本地区卖方(技术输出方)登记的技术合同成交额, 按登记日年份",
     "Turnover of registered technology contracts of sellers of the region, by year",
     Counted("tech_contract", (), "TRUE", "amount")),
    ("tech_contracts", "技术合同登记数", "Registered technology contracts", "flow", "项",
     "本地区卖方登记的技术合同, 按登记日年份", "Registered technology contracts of sellers of the region, by year",
     Counted("tech_contract")),
    ("trademark_window_coverage", "商标受理窗口地市覆盖率", "Cities with a trademark filing window", "stock", "%",
     "本省设有商标受理窗口(认定名单)的地市占全部地市的比例", "Share of the province's cities with a trademark "
     "filing window on the named list", Counted("listing", ("tm_window",), "TRUE", "coverage")),
)  # fmt: skip

_LISTS: tuple[tuple[str, tuple[str, ...], str, str, str], ...] = (
    ("ip_model_enterprises", ("model_enterprise", "advantage_enterprise", "pilot_enterprise"),
     "知识产权示范、优势和试点企业", "IP model, advantage and pilot enterprises", "家"),
    ("model_enterprises", ("model_enterprise",), "知识产权示范企业", "IP model enterprises", "家"),
    ("ip_pilot_enterprises", ("pilot_enterprise", "advantage_enterprise"), "知识产权试点和优势企业",
     "IP pilot and advantage enterprises", "家"),
    ("standard_certified", ("standard_certified",), "知识产权贯标认证企业", "GB/T 29490 certified enterprises", "家"),
    ("copyright_units", ("copyright_unit",), "版权示范单位", "Copyright model units", "个"),
    ("copyright_parks", ("copyright_park",), "版权示范园区(基地)", "Copyright model parks", "个"),
    ("patent_agencies", ("patent_agency",), "专利代理机构", "Patent agencies", "家"),
    ("operation_agencies", ("operation_agency",), "知识产权运营服务机构", "IP operation agencies", "家"),
    ("service_agencies", ("patent_agency", "trademark_agency", "operation_agency", "service_agency"),
     "知识产权服务机构(代理、运营及其他)", "IP service agencies (agents, operation, other)", "家"),
    ("model_markets", ("model_market", "genuine_street"), "知识产权保护规范化市场和正版正货示范街区",
     "IP-protection model markets and genuine-goods streets", "个"),
    ("trademark_windows", ("tm_window",), "商标受理窗口", "Trademark filing windows", "个"),
    ("trademark_stations", ("tm_station",), "商标品牌指导站", "Trademark brand guidance stations", "个"),
)  # fmt: skip

COUNTED: dict[str, Counted] = {}


def _indicators() -> list[Indicator]:
    out = []
    for name, zh, en, kind, unit, def_zh, def_en, counted in _SPECS:
        out.append(Indicator(name, zh, en, kind, unit, unit, def_zh, def_en, record_kind=counted.register))
        COUNTED[name] = counted
    for name, subtypes, zh, en, unit in _LISTS:
        counted = Counted("listing", subtypes)
        out.append(Indicator(
            name, f"{zh}数量", f"{en}", "stock", unit, unit,
            f"截至统计日本地区列入认定名单(未撤销)的{zh}, 按认定年度; 列明级别和来源",
            f"{en} of the region on the named lists by the as-of date (not revoked)", record_kind="listing",
        ))  # fmt: skip
        out.append(Indicator(
            f"{name}_new", f"新增{zh}", f"New {en.lower()}", "flow", unit, unit,
            f"本地区按认定年度新列入认定名单的{zh}", f"{en} newly on the named lists, by year of recognition",
            record_kind="listing",
        ))  # fmt: skip
        COUNTED[name] = COUNTED[f"{name}_new"] = counted
    return out


REGISTER_INDICATORS = _indicators()
