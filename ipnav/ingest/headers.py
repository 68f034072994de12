"""The built-in column-header map for table exports (CNIPA search system, incoPat, PatSnap, CNKI, Lens).

Keys are ipnav field names; values are the headers that mean that field, compared
after folding (NFKC, lower case, brackets and spaces removed). Users extend the map
with a TOML file (`--header-map FILE` or setting `header_map`):

    [headers]
    "申请人名称" = "applicants"
    "Pub. No." = "pub_number"

Columns that match nothing are kept verbatim in the record's `extra`.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from ipnav.errors import UsageError
from ipnav.normalize.text import fold_header

HEADERS: dict[str, tuple[str, ...]] = {
    "app_number": (
        "申请号",
        "申请号码",
        "专利申请号",
        "专利号",
        "application number",
        "application no",
        "appl no",
        "appln no",
        "an",
        "app no",
        "application_number",
    ),
    "filing_date": (
        "申请日",
        "申请日期",
        "application date",
        "filing date",
        "ad",
        "appl date",
        "shenqingri",
        "filing_date",
    ),
    "pub_number": (
        "公开(公告)号",
        "公开公告号",
        "公开号",
        "公告号",
        "公开号码",
        "publication number",
        "publication no",
        "pub no",
        "pn",
        "publication_number",
        "申请公布号",
        "公布号",
    ),
    "pub_date": (
        "公开(公告)日",
        "公开公告日",
        "公开日",
        "公告日",
        "公开日期",
        "publication date",
        "pub date",
        "pd",
        "gonggaori",
        "publication_date",
        "公开/公告日",
        "申请公开日",
        "申请公布日",
        "申请公布日/授权公告日",
    ),
    "grant_number": ("授权公告号", "授权号", "grant number", "patent number", "grant no"),
    "grant_date": ("授权公告日", "授权日", "授权日期", "grant date", "issue date"),
    "title": ("名称", "专利名称", "发明名称", "标题", "中文标题", "title", "ti", "invention title"),
    "title_en": ("英文标题", "英文名称", "title (english)", "english title"),
    "applicants": (
        "申请(专利权)人",
        "申请专利权人",
        "申请人",
        "专利权人",
        "当前权利人",
        "当前专利权人",
        "申请人名称",
        "applicant",
        "applicants",
        "assignee",
        "assignees",
        "pa",
        "current assignee",
        "quanren",
        "申请人/专利权人",
    ),
    # the exporter's standardised name (Patentics 标准化申请人): kept beside the name as written
    "applicant_standard": ("标准化申请人", "标准申请人", "standardized applicant", "normalized assignee"),
    "inventors": ("发明(设计)人", "发明设计人", "发明人", "设计人", "inventor", "inventors", "in", "famingren"),
    # 地市 in Patentics exports is the postcode and full address of the first applicant
    "applicant_address": (
        "申请人地址",
        "专利权人地址",
        "地址",
        "申请(专利权)人地址",
        "地市",
        "address",
        "applicant address",
    ),
    "province": ("省市", "申请人省市", "省份", "province"),  # a coarse region when the row has no address
    "contact_address": ("通信地址", "联系地址", "correspondence address"),  # often the agency's: not a region
    "main_ipc": ("主分类号", "国际主分类", "主ipc", "ipc主分类", "ipc主分类号", "main ipc", "main classification"),
    "ipc": ("分类号", "国际分类", "ipc", "ipc分类号", "ipc分类", "ipc classification", "international classification"),
    "cpc": ("cpc", "cpc分类号", "cpc分类", "cpc classification"),
    "legal_status": (
        "法律状态",
        "当前法律状态",
        "法律状态/事件",
        "专利状态",
        "legal status",
        "status",
        "simple legal status",
    ),
    "legal_status_date": ("法律状态最后修改日期", "法律状态日", "法律状态日期", "legal status date"),
    "patent_type": ("专利类型", "类型", "文献类型", "patent type", "document type", "type"),
    "abstract": ("摘要", "申请摘要", "中文摘要", "摘要文本", "摘要片段", "abstract", "ab"),
    "first_claim": ("主权项", "首项权利要求", "第一权利要求", "first claim", "independent claim"),
    "claims": ("权利要求", "权利要求书", "claims"),
    "claims_count": ("权利要求数量", "权利要求数", "权利要求项数", "claims count", "number of claims"),
    "priority": ("优先权", "优先权号", "优先权信息", "本国优先权", "priority", "priority number", "priority numbers"),
    "family": ("同族", "同族专利", "简单同族", "同族公开号", "family members", "simple family members", "family"),
    "family_id": ("同族id", "简单同族id", "family id", "simple family id", "docdb family id"),
    "citations": (
        "引证",
        "引用",
        "引证专利",
        "引用专利",
        "引证文献",
        "cited patents",
        "citations",
        "backward citations",
    ),
    "agent": ("代理人", "agent", "agents", "attorney"),
    "agency": ("代理机构", "专利代理机构", "agency", "law firm"),
    "agency_agent": ("律师、代理", "代理机构/代理人", "agency; agent"),  # "机构; 代理人" in one cell
    "country": ("国家/地区", "专利局", "公开国别", "受理局", "国别", "country", "publication country", "jurisdiction"),
    "province_code": ("国省代码", "省市代码"),
    # legal-status timeline (CNIPA 法律状态 exports): when the right ended, and dated events
    "lapse_date": ("失效日", "失效日期", "权利终止日", "专利权终止日", "终止日", "lapse date", "expiry date"),
    "legal_events": (
        "法律状态信息",
        "法律描述",
        "法律事件",
        "法律状态变更",
        "法律状态历史",
        "legal events",
        "legal history",
    ),
    # pledge (质押) registrations: a row with these columns also records a pledge transaction
    "pledge_date": (
        "质押登记日",
        "质押生效日",
        "质押登记生效日",
        "质押日期",
        "pledge date",
        "pledge registration date",
    ),
    "pledge_amount": ("质押金额", "质押融资金额", "融资金额", "质押金额(元)", "pledge amount", "loan amount"),
    "pledge_amount_10k": ("质押金额(万元)", "质押融资金额(万元)", "融资金额(万元)", "pledge amount (10k cny)"),
    "pledgor": ("出质人", "pledgor"),
    "pledgee": ("质权人", "pledgee"),
    "pledge_release_date": ("质押解除日", "解除日", "质押注销日", "pledge release date"),
    "database": ("数据库", "database_name", "数据来源"),
}


def build_map(extra_file: Path | None = None) -> dict[str, str]:
    """Folded header -> field name, built-in plus the user's TOML file."""
    mapping = {fold_header(h): name for name, headers in HEADERS.items() for h in headers}
    if extra_file is not None:
        try:
            data = tomllib.loads(Path(extra_file).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise UsageError(f"header map {extra_file}: {exc}") from exc
        for header, name in data.get("headers", {}).items():
            if name not in HEADERS and layout_spelling(name) is None:
                raise UsageError(
                    f"header map {extra_file}: {header!r} maps to unknown field {name!r}; "
                    f"fields are: {', '.join(HEADERS)}, or KIND.FIELD of another record kind "
                    "(gi.number, ip_transaction.amount, trademark.owner ...: `ipnav formats` lists the kinds)"
                )
            mapping[fold_header(header)] = name
    return mapping


def layout_spelling(name: str) -> str | None:
    """The header a registered layout knows for `KIND.FIELD` (`gi.number` → 批准公告号), None if none does:
    a user's header map names the fields of the trademark and register layouts this way."""
    kind, _, field = name.partition(".")
    if not field:
        return None
    from ipnav.ingest import registry

    for layout in registry.table_formats():
        if layout.kind == kind and layout.headers.get(field):
            return layout.headers[field][0]
    return None
