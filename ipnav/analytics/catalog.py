"""The navigation analyses by name and title: light to import (the CLI and the API build their help
texts and choice lists from it); the functions are in `ipnav.analytics.analyses`, one per name."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AnalysisInfo:
    """An analysis's name, titles and the record kind it analyses."""

    kind: str
    title_zh: str
    title_en: str
    record_kind: str = "patent"


CATALOG: dict[str, AnalysisInfo] = {
    a.kind: a
    for a in (
        AnalysisInfo("trends", "申请/公开/授权趋势", "Filing, publication and grant trends"),
        AnalysisInfo("applicants", "申请人排名", "Top applicants"),
        AnalysisInfo("inventors", "发明人排名", "Top inventors"),
        AnalysisInfo("applicant_types", "申请人类型", "Applicant types"),
        AnalysisInfo("ipc", "技术构成（IPC）", "Technology composition (IPC)"),
        AnalysisInfo("applicant_ipc", "申请人 × 技术领域（IPC小类）", "Applicants × IPC subclasses"),
        AnalysisInfo("applicant_years", "申请人 × 申请年", "Applicants × filing years"),
        AnalysisInfo("wipo_fields", "WIPO 35 技术领域", "WIPO 35 technology fields"),
        AnalysisInfo("sei", "战略性新兴产业分布", "Strategic emerging industries"),
        AnalysisInfo("countries", "国家/地区分布", "Applications by country"),
        AnalysisInfo("regions", "国内区域分布", "Chinese applications by region"),
        AnalysisInfo("legal_status", "法律状态", "Legal status"),
        AnalysisInfo("patent_types", "专利类型", "Patent types"),
        AnalysisInfo("lifecycle", "技术生命周期", "Technology life cycle"),
        AnalysisInfo("concentration", "市场集中度", "Market concentration (CR4, CR8, HHI)"),
        AnalysisInfo("network", "合作申请网络", "Co-applicant network"),
        AnalysisInfo("inventor_teams", "发明人团队", "Inventor teams"),
        AnalysisInfo("most_cited", "高被引专利", "Most-cited patents"),
        AnalysisInfo("citation_flows", "申请人引证关系", "Citation flows between applicants"),
        AnalysisInfo("terms", "高频技术词", "Top terms"),
        AnalysisInfo("value", "专利价值度分布", "Value score distribution"),
        AnalysisInfo("high_value", "高价值发明专利构成", "High-value invention patents by criterion"),
        AnalysisInfo("tm_trends", "商标申请/注册趋势", "Trademark filing and registration trends", "trademark"),
        AnalysisInfo("tm_owners", "商标权人排名", "Top trademark owners", "trademark"),
        AnalysisInfo("tm_classes", "商品/服务类别分布", "Marks by Nice class", "trademark"),
        AnalysisInfo("tm_groups", "类似群分布", "Marks by similar group (类似群)", "trademark"),
        AnalysisInfo("tm_regions", "商标权人区域分布", "Marks by owner's province", "trademark"),
        AnalysisInfo("tm_status", "商标状态", "Trademark status", "trademark"),
        AnalysisInfo("tm_types", "商标构成类型", "Mark types (word, figurative ...)", "trademark"),
        AnalysisInfo("tm_kinds", "商标种类", "Mark kinds (ordinary, collective, certification)", "trademark"),
        AnalysisInfo("tm_agents", "代理机构排名", "Top trademark agents", "trademark"),
        AnalysisInfo("tm_offices", "受理局分布", "Marks by office", "trademark"),
    )
}


def of_kind(record_kind: str) -> dict[str, AnalysisInfo]:
    """The analyses of one record kind (patent, trademark ...), in catalogue order."""
    return {k: a for k, a in CATALOG.items() if a.record_kind == record_kind}
