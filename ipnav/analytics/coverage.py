"""What each analysis needs of a record, and how many records of the selection lack it: an analysis that
has nothing to show says why ("这些记录没有 IPC 分类号 (45 件中 45 件)") instead of drawing empty axes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ibis.expr.types as ir

if TYPE_CHECKING:
    from ipnav.analytics.analyses import Context


@dataclass(frozen=True)
class Need:
    """The field an analysis needs: its name in both languages, and the condition on the patents table that
    a record of the selection has it (its own columns, or the `has_*` columns ingest sets for its parts)."""

    field: str
    zh: str
    en: str
    where: Callable[[ir.Table], Any]
    rest_zh: str = "其余记录没有可统计的项"  # why nothing shows although some records have the field
    rest_en: str = "the others give nothing to count"


_IPC = Need("ipc", "IPC 分类号", "IPC classification", lambda t: t.has_ipc)
_OWNERS = Need("applicant", "申请人", "applicant", lambda t: t.has_owner)
_INVENTORS = Need("inventor", "发明人", "inventor", lambda t: t.has_inventor)
_CITATIONS = Need(
    "citations", "引证专利", "patent citations", lambda t: t.has_citation,
    "其余记录引用的专利不在库中", "the others cite patents that are not in the warehouse",
)  # fmt: skip

NEEDS: dict[str, Need] = {
    "trends": Need("filing_date", "申请日", "filing date", lambda t: t.filing_date.notnull()),
    "lifecycle": _OWNERS,
    "applicants": _OWNERS,
    "applicant_types": _OWNERS,
    "concentration": _OWNERS,
    "network": _OWNERS,
    "inventors": _INVENTORS,
    "inventor_teams": _INVENTORS,
    "ipc": _IPC,
    "applicant_ipc": _IPC,
    "applicant_years": _OWNERS,
    "wipo_fields": _IPC,
    "sei": _IPC,
    "countries": Need("country", "国别", "country", lambda t: t.country != ""),
    "regions": Need("region", "申请人地区", "applicant region", lambda t: t.applicant_adcode != ""),
    "legal_status": Need("legal_status", "法律状态", "legal status", lambda t: t.legal_status != "unknown"),
    "patent_types": Need("patent_type", "专利类型", "patent type", lambda t: t.patent_type != "other"),
    "most_cited": _CITATIONS,
    "citation_flows": _CITATIONS,
    "terms": Need("terms", "标题或摘要", "title or abstract", lambda t: t.has_text),
}


def _having(ctx: Context, need: Need) -> int:
    """Records of the selection that have the field: every field counted in one scan of the patents table
    (one row per application), once per selection."""
    if need.field not in ctx.counts:
        p = ctx.table("patents")
        counts = {n.field: p.count(where=n.where(p)) for n in NEEDS.values()}
        row = p.aggregate(**counts).to_pyarrow().to_pylist()[0]
        ctx.counts.update({f: int(v or 0) for f, v in row.items()})
    return ctx.counts[need.field]


def missing(ctx: Context, kind: str) -> dict[str, Any] | None:
    """How many records of the selection lack the field the analysis needs (None: it needs none)."""
    need = NEEDS.get(kind)
    if need is None:
        return None
    total = len(ctx.keys)
    having = _having(ctx, need) if total else 0  # counted once per selection and field
    lacking = total - having
    return {
        "field": need.field,
        "field_zh": need.zh,
        "field_en": need.en,
        "lacking": lacking,
        "of": total,
        "message_zh": f"{total:,} 件中 {lacking:,} 件没有{need.zh}",
        "message_en": f"{lacking:,} of {total:,} records have no {need.en}",
        "rest_zh": need.rest_zh,
        "rest_en": need.rest_en,
    }


def empty_option(option: dict[str, Any], lacking: dict[str, Any] | None, lang: str = "zh") -> dict[str, Any]:
    """The chart of an analysis with no rows: its title and a sentence saying why (in `lang`; both
    languages under `empty`), no axes."""
    if lacking and lacking["lacking"]:
        why_zh = f"这些记录没有{lacking['field_zh']}（{lacking['of']:,} 件中 {lacking['lacking']:,} 件）"
        why_en = f"These records have no {lacking['field_en']} ({lacking['lacking']:,} of {lacking['of']:,})"
        if lacking["lacking"] < lacking["of"]:
            why_zh += "；" + lacking["rest_zh"]
            why_en += "; " + lacking["rest_en"]
    else:
        why_zh, why_en = "所选记录中没有可分析的数据", "Nothing in the selection to analyse"
    return {
        "title": option.get("title", {}),
        "graphic": [
            {
                "type": "text",
                "left": "center",
                "top": "middle",
                "style": {
                    "text": why_en if lang == "en" else why_zh,
                    "fontSize": 14,
                    "fill": "#888",
                    "textAlign": "center",
                },
            }
        ],
        "empty": {"zh": why_zh, "en": why_en},
    }
