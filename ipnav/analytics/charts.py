"""ECharts options for every analysis: one function of a table to an option dict.

The web page renders these options in the browser (echarts from npm, served locally) and
the reports draw the same data; nothing here depends on where the chart is shown.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from ipnav.analytics.analyses import ANALYSES
from ipnav.normalize.region import short_name

Option = dict[str, Any]


def _base(kind: str) -> Option:
    meta = ANALYSES[kind]
    return {
        "title": {"text": meta.title_zh, "subtext": meta.title_en, "left": "center"},
        "tooltip": {"trigger": "item"},
        "toolbox": {"feature": {"saveAsImage": {}, "dataView": {"readOnly": True}}},
    }


def _bar(kind: str, rows: list[dict[str, Any]], label: str, value: str, *, horizontal: bool = True) -> Option:
    option = _base(kind)
    labels = [str(r[label]) for r in rows][:: -1 if horizontal else 1]
    values = [r[value] for r in rows][:: -1 if horizontal else 1]
    category = {"type": "category", "data": labels, "axisLabel": {"width": 160, "overflow": "truncate"}}
    number = {"type": "value", "name": "申请量"}
    option.update(
        {
            "tooltip": {"trigger": "axis"},
            "grid": {"left": 180 if horizontal else 60, "right": 40, "top": 70, "bottom": 40},
            "xAxis": number if horizontal else category,
            "yAxis": category if horizontal else number,
            "series": [{"type": "bar", "name": "申请量 applications", "data": values, "label": {"show": True}}],
        }
    )
    return option


def _pie(kind: str, rows: list[dict[str, Any]], label: str, value: str) -> Option:
    option = _base(kind)
    option["legend"] = {"orient": "vertical", "left": "left", "top": 60}
    option["series"] = [
        {
            "type": "pie",
            "radius": ["35%", "65%"],
            "top": 40,
            "data": [{"name": str(r[label]), "value": r[value]} for r in rows],
        }
    ]
    return option


def _graph(kind: str, rows: list[dict[str, Any]], source: str, target: str, weight: str) -> Option:
    option = _base(kind)
    degree: dict[str, int] = {}
    for r in rows:
        degree[r[source]] = degree.get(r[source], 0) + r[weight]
        degree[r[target]] = degree.get(r[target], 0) + r[weight]
    option["series"] = [
        {
            "type": "graph",
            "layout": "force",
            "roam": True,
            "label": {"show": True, "position": "right"},
            "force": {"repulsion": 120, "edgeLength": 80},
            "data": [{"name": n, "value": d, "symbolSize": min(60, 8 + 4 * d)} for n, d in degree.items()],
            "links": [
                {
                    "source": r[source],
                    "target": r[target],
                    "value": r[weight],
                    "lineStyle": {
                        "width": min(8, r[weight]),
                        "color": "#d94e5d" if r.get("university_enterprise") else "#aaa",
                    },
                }
                for r in rows
            ],
        }
    ]
    return option


def option(kind: str, table: pa.Table) -> Option:
    """The ECharts option of one analysis result."""
    rows = table.to_pylist()
    if kind == "trends":
        opt = _base(kind)
        years = [str(r["year"]) + ("*" if r["incomplete"] else "") for r in rows]
        opt.update(
            {
                "tooltip": {"trigger": "axis"},
                "legend": {"top": 62},
                "grid": {"top": 100, "left": 60, "right": 40, "bottom": 60},
                "xAxis": {
                    "type": "category",
                    "data": years,
                    "name": "年份（* 数据不完整 incomplete）",
                    "nameLocation": "middle",
                    "nameGap": 30,
                },
                "yAxis": {"type": "value", "name": "件数"},
                "series": [
                    {"type": "line", "name": name, "data": [r[key] for r in rows], "smooth": True}
                    for key, name in (
                        ("filings", "申请 filings"),
                        ("publications", "公开 publications"),
                        ("grants", "授权 grants"),
                    )
                ],
            }
        )
        return opt
    if kind == "lifecycle":
        opt = _base(kind)
        opt.update(
            {
                "tooltip": {"trigger": "item"},
                "xAxis": {"type": "value", "name": "申请人数 applicants"},
                "yAxis": {"type": "value", "name": "申请量 applications"},
                "series": [
                    {
                        "type": "line",
                        "data": [[r["applicants"], r["applications"], r["filing_year"]] for r in rows],
                        "label": {"show": True, "formatter": "{@[2]}"},
                    }
                ],
            }
        )
        return opt
    if kind == "applicants":
        return _bar(kind, rows, "entity", "applications")
    if kind == "inventors":
        return _bar(kind, rows, "inventor", "applications")
    if kind in ("applicant_types",):
        return _pie(kind, rows, "type_zh", "applications")
    if kind == "legal_status":
        return _pie(kind, rows, "legal_status", "applications")
    if kind == "patent_types":
        return _pie(kind, rows, "patent_type", "applications")
    if kind == "countries":
        return _pie(kind, rows, "country", "applications")
    if kind == "ipc":
        opt = _base(kind)
        opt["series"] = [
            {
                "type": "treemap",
                "data": [
                    {"name": f"{r['code']} {r['title_zh'] or r['title_en'] or ''}"[:40], "value": r["applications"]}
                    for r in rows
                ],
            }
        ]
        return opt
    if kind == "sei":
        opt = _base(kind)
        categories: dict[str, dict[str, Any]] = {}
        for r in rows:
            cat = categories.setdefault(r["category_code"], {"name": r["category_name"], "children": []})
            cat["children"].append({"name": r["sei_name"], "value": r["applications"]})
        opt["series"] = [{"type": "treemap", "data": list(categories.values())}]
        return opt
    if kind == "value":
        return _bar(kind, rows, "band", "applications", horizontal=False)
    if kind == "high_value":
        return _bar(kind, rows, "measure_zh", "applications")
    if kind == "wipo_fields":
        return _bar(kind, rows, "field", "applications")
    if kind == "regions":
        opt = _base(kind)
        # the map data (ECharts' china.json from npm, registered as "china") names provinces briefly
        values = [{"name": short_name(r["applicant_province"]), "value": r["applications"]} for r in rows]
        opt.update(
            {
                "visualMap": {
                    "min": 0,
                    "max": max([v["value"] for v in values] or [1]),
                    "left": "left",
                    "text": ["高", "低"],
                    "calculable": True,
                },
                "series": [{"type": "map", "map": "china", "roam": True, "data": values}],
            }
        )
        return opt
    if kind == "concentration":
        row = rows[0] if rows else {"cr4": 0, "cr8": 0, "hhi": 0}
        opt = _base(kind)
        opt.update(
            {
                "xAxis": {"type": "category", "data": ["CR4", "CR8"]},
                "yAxis": {"type": "value", "max": 1},
                "series": [{"type": "bar", "data": [row["cr4"], row["cr8"]], "label": {"show": True}}],
                "graphic": [{"type": "text", "right": 20, "top": 60, "style": {"text": f"HHI {row['hhi']}"}}],
            }
        )
        return opt
    if kind in ("network", "inventor_teams"):
        return _graph(kind, rows, "source", "target", "weight")
    if kind == "citation_flows":
        return _graph(kind, rows, "citing", "cited", "citations")
    if kind == "most_cited":
        return _bar(
            kind,
            [{"label": f"{r['app_number'] or r['cited_app']}", "citations": r["citations"]} for r in rows],
            "label",
            "citations",
        )
    if kind == "terms":
        return _bar(kind, rows[:30], "term", "applications")
    raise KeyError(kind)
