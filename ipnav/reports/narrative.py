"""Factual sentences for navigation reports, written from the analysis results (Chinese).

Every number in a sentence comes from a row of the pack; nothing is estimated.
"""

from __future__ import annotations

from typing import Any

Pack = dict[str, Any]

TYPE_ZH = {
    "invention": "发明",
    "utility_model": "实用新型",
    "design": "外观设计",
    "plant": "植物专利",
    "reissue": "再颁专利",
    "other": "类型未标注",
}
STATUS_ZH = {"valid": "有效", "pending": "审中", "lapsed": "失效", "unknown": "法律状态未知"}


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "0%"


def _rows(pack: Pack, kind: str) -> list[dict[str, Any]]:
    return pack["analyses"].get(kind, {}).get("rows", [])


def trends(pack: Pack) -> list[str]:
    """Sentences on the filing, publication and grant trends."""
    rows = [r for r in _rows(pack, "trends") if r["filings"]]
    total = pack["applications"]
    if not rows:
        return [f"本次分析共涉及专利申请{total}件，数据中没有申请日信息。"]
    first, last = rows[0]["year"], rows[-1]["year"]
    peak = max(rows, key=lambda r: (r["filings"], r["year"]))
    out = [
        f"本次分析共涉及专利申请{total}件，申请年份跨度为{first}—{last}年；"
        f"申请量最多的年份为{peak['year']}年（{peak['filings']}件）。"
    ]
    complete = [r for r in rows if not r["incomplete"]]
    if len(complete) >= 2:
        window = complete[-5:]
        start, end = window[0], window[-1]
        years = end["year"] - start["year"]
        if start["filings"] and years:
            growth = (end["filings"] / start["filings"]) ** (1 / years) - 1
            out.append(
                f"{start['year']}—{end['year']}年申请量由{start['filings']}件变为{end['filings']}件，"
                f"年均增长率为{growth * 100:.1f}%。"
            )
    incomplete = [r["year"] for r in rows if r["incomplete"]]
    if incomplete:
        horizon = rows[-1].get("horizon", "")
        until = f"数据截至{horizon}（最新公开日），" if horizon else ""
        out.append(
            f"发明专利申请自申请日起18个月公开，{until}{min(incomplete)}年及以后的数据尚不完整，增长率只比较完整年份。"
        )
    return out


def patent_types(pack: Pack) -> list[str]:
    """Sentences on the patent types."""
    rows = _rows(pack, "patent_types")
    total = sum(r["applications"] for r in rows)
    parts = [
        f"{TYPE_ZH.get(r['patent_type'], r['patent_type'])}{r['applications']}件（{_pct(r['applications'], total)}）"
        for r in rows
    ]
    return [f"从专利类型看，{'，'.join(parts)}。"] if parts else []


def legal_status(pack: Pack) -> list[str]:
    """Sentences on the legal status."""
    rows = _rows(pack, "legal_status")
    totals: dict[str, int] = {}
    for r in rows:
        totals[r["legal_status"]] = totals.get(r["legal_status"], 0) + r["applications"]
    whole = sum(totals.values())
    parts = [
        f"{STATUS_ZH.get(k, k)}{v}件（{_pct(v, whole)}）" for k, v in sorted(totals.items(), key=lambda kv: -kv[1])
    ]
    return [f"从法律状态看，{'，'.join(parts)}。"] if parts else []


def applicants(pack: Pack) -> list[str]:
    """Sentences on the leading applicants and their shares."""
    rows = _rows(pack, "applicants")
    total = pack["applications"]
    if not rows:
        return []
    top = rows[0]
    top10 = sum(r["applications"] for r in rows[:10])
    return [
        f"排名第一的申请人为{top['entity']}，申请{top['applications']}件，"
        f"占全部申请的{_pct(top['applications'], total)}；"
        f"前{min(10, len(rows))}位申请人合计申请{top10}件（按申请人计，合作申请分别计入）。"
    ]


def applicant_types(pack: Pack) -> list[str]:
    """Sentences on the kinds of applicants (enterprises, universities ...)."""
    rows = [r for r in _rows(pack, "applicant_types") if r["applications"]]
    parts = [f"{r['type_zh']}{r['applications']}件" for r in rows]
    return [f"从申请人类型看，{'，'.join(parts)}（一件申请有多类申请人时分别计入）。"] if parts else []


def concentration(pack: Pack) -> list[str]:
    """Sentences on how concentrated the field is (CR4, CR8)."""
    rows = _rows(pack, "concentration")
    if not rows or not rows[0]["applicants"]:
        return []
    row = rows[0]
    level = "较低" if row["hhi"] < 1500 else "中等" if row["hhi"] <= 2500 else "较高"
    return [
        f"共有{row['applicants']}个申请人；前4位申请人占申请量的{row['cr4'] * 100:.1f}%（CR4），前8位占"
        f"{row['cr8'] * 100:.1f}%（CR8），赫芬达尔指数HHI为{row['hhi']}，市场集中度{level}。"
    ]


def network(pack: Pack) -> list[str]:
    """Sentences on the co-applicant network."""
    rows = _rows(pack, "network")
    if not rows:
        return ["未发现合作申请。"]
    mixed = sum(1 for r in rows if r["university_enterprise"])
    top = rows[0]
    return [
        f"合作申请关系{len(rows)}对（图中最多列出前200对），其中产学研合作{mixed}对；"
        f"合作最多的是{top['source']}与{top['target']}（{top['weight']}件）。"
    ]


def ipc(pack: Pack) -> list[str]:
    """Sentences on the technology composition by IPC."""
    rows = _rows(pack, "ipc")
    if not rows:
        return ["数据中没有IPC分类信息。"]
    top = rows[0]
    title = top["title_zh"] or top["title_en"] or ""
    return [
        f"技术主要集中在IPC小类{top['code']}（{title}），涉及申请{top['applications']}件，"
        f"占全部申请的{_pct(top['applications'], pack['applications'])}。"
    ]


def sei(pack: Pack) -> list[str]:
    """Sentences on the strategic emerging industries the patents fall in."""
    rows = _rows(pack, "sei")
    if not rows:
        return []
    top = rows[0]
    return [
        f"按《战略性新兴产业分类与国际专利分类参照关系表（2021）》，涉及战略性新兴产业最多的是"
        f"{top['sei_name']}（{top['applications']}件）。"
    ]


def geography(pack: Pack) -> list[str]:
    """Sentences on the countries and provinces of the applications."""
    out = []
    countries = _rows(pack, "countries")
    if countries:
        top = countries[0]
        out.append(
            f"申请主要来自{top['country'] or '未知国家'}（{top['applications']}件，"
            f"{_pct(top['applications'], pack['applications'])}）。"
        )
    regions = _rows(pack, "regions")
    if regions:
        top = regions[0]
        out.append(f"可定位到国内行政区划的申请中，{top['applicant_province']}最多（{top['applications']}件）。")
    return out


def citations(pack: Pack) -> list[str]:
    """Sentences on the most cited applications."""
    rows = _rows(pack, "most_cited")
    if not rows:
        return ["本库内没有可匹配的引证关系（引证仅在库内专利之间统计）。"]
    top = rows[0]
    return [
        f"本库内被引次数最多的专利为{top['app_number'] or top['cited_app']}（{top['title'] or ''}），"
        f"被引{top['citations']}次。"
    ]


SECTIONS: list[tuple[str, str, list[Any], list[str]]] = [
    (
        "二、专利态势分析",
        "Patent landscape",
        [trends, patent_types, legal_status],
        ["trends", "patent_types", "legal_status", "lifecycle"],
    ),
    ("三、技术构成分析", "Technology", [ipc, sei], ["ipc", "wipo_fields", "sei", "terms"]),
    (
        "四、创新主体分析",
        "Applicants",
        [applicants, applicant_types, concentration, network],
        [
            "applicants",
            "applicant_types",
            "applicant_ipc",
            "applicant_years",
            "concentration",
            "network",
            "inventors",
            "inventor_teams",
        ],
    ),
    ("五、区域分布分析", "Geography", [geography], ["countries", "regions"]),
    ("六、技术影响力分析", "Citations", [citations], ["most_cited", "citation_flows", "value", "high_value"]),
]


def overview(pack: Pack) -> list[str]:
    """The project overview sentences: selection, size, period."""
    return [
        f"本报告依据GB/T 39551《专利导航指南》的报告结构，对检索范围“{pack['selection']}”内的专利申请进行分析，"
        f"统计截止日期为{pack['as_of']}，共{pack['applications']}件申请（以申请为单位，同一申请的多个公开文本合并计数）。",
        "数据来自本平台仓库中已导入的专利文献，申请人名称经过全半角、大小写及公司后缀归并。",
    ]


def conclusions(pack: Pack) -> list[str]:
    """The key findings again, one per section, as the basis for recommendations."""
    findings = []
    for _, _, writers, _ in SECTIONS:
        for writer in writers:
            sentences = writer(pack)
            if sentences:
                findings.append(sentences[0])
                break
    return findings
