"""ECharts options for every analysis: one function of a table to an option dict.

The web page renders these options in the browser (echarts from npm, served locally) and
the reports draw the same data; nothing here depends on where the chart is shown. Every word a chart
shows (title, axis names, legends, slice names) is in the language asked for: Chinese or English.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa

from ipnav.analytics.analyses import ANALYSES
from ipnav.normalize.region import short_name
from ipnav.vocabulary import label as code_label

Option = dict[str, Any]
ChartOf = Callable[[str, list[dict[str, Any]], str], Option]  # (analysis, rows, language) -> option


def _item(row: dict[str, Any], value: Any, **extra: Any) -> Any:
    """A data item of a series: the value, with the row's drill-down query when it has one (a click opens
    the hits; ipnav.analytics.drill)."""
    drill = row.get("drill")
    if not drill and not extra:
        return value
    return {**extra, "value": value, **({"drill": drill} if drill else {})}


def _w(zh: str, en: str, lang: str) -> str:
    """A chart's word in its language."""
    return en if lang == "en" else zh


APPLICATIONS = ("申请量", "applications")
MARKS = ("商标数", "marks")
MEASURES_EN = {
    "valid_invention": "valid invention patents (CNIPA)",
    "high_value": "high-value invention patents",
    "sei": "in strategic emerging industries",
    "family": "with a family abroad",
    "maintained": "maintained over 10 years",
    "pledge": "pledged for a high amount",
    "award": "national science or patent award",
}


def _base(kind: str, lang: str) -> Option:
    meta = ANALYSES[kind]
    title = {"text": meta.title_zh, "subtext": meta.title_en} if lang != "en" else {"text": meta.title_en}
    return {
        "title": {**title, "left": "center"},
        "tooltip": {"trigger": "item"},
        "toolbox": {"feature": {"saveAsImage": {}, "dataView": {"readOnly": True}}},
    }


def _bar(
    kind: str, rows: list[dict[str, Any]], label: str, value: str, lang: str, *, horizontal: bool = True,
    unit: tuple[str, str] = APPLICATIONS,
) -> Option:  # fmt: skip
    option = _base(kind, lang)
    labels = [str(r[label]) for r in rows][:: -1 if horizontal else 1]
    values = [_item(r, r[value]) for r in rows][:: -1 if horizontal else 1]
    # every bar labelled (interval 0), long names cut with an ellipsis; the tooltip shows them whole
    category = {"type": "category", "data": labels, "axisLabel": {"width": 160, "overflow": "truncate", "interval": 0}}
    number = {"type": "value", "name": _w(*unit, lang)}
    option.update(
        {
            "tooltip": {"trigger": "axis"},
            "grid": {"left": 180 if horizontal else 60, "right": 40, "top": 70, "bottom": 40},
            "xAxis": number if horizontal else category,
            "yAxis": category if horizontal else number,
            "series": [{"type": "bar", "name": _w(*unit, lang), "data": values, "label": {"show": True}}],
        }
    )
    return option


def _pie(kind: str, rows: list[dict[str, Any]], label: str, value: str, lang: str, codes: str = "") -> Option:
    """A pie; `codes` names the vocabulary group of the label column (its codes shown as words)."""
    option = _base(kind, lang)
    option["legend"] = {"orient": "vertical", "left": "left", "top": 60}
    option["series"] = [
        {
            "type": "pie",
            "radius": ["35%", "65%"],
            "top": 40,
            "data": [
                _item(r, r[value], name=code_label(codes, str(r[label]), lang) if codes else str(r[label]))
                for r in rows
            ],
        }
    ]
    return option


def _graph(
    kind: str, rows: list[dict[str, Any]], source: str, target: str, weight: str, lang: str, *, typed: bool = False
) -> Option:
    """A force graph bounded to its card; `typed` rows carry `source_type`/`target_type` (entity types), shown
    as node colours with a legend that hides or shows a type."""
    option = _base(kind, lang)
    degree: dict[str, int] = {}
    node_type: dict[str, str] = {}
    for r in rows:
        degree[r[source]] = degree.get(r[source], 0) + r[weight]
        degree[r[target]] = degree.get(r[target], 0) + r[weight]
        if typed:
            node_type.setdefault(r[source], r.get("source_type") or "other")
            node_type.setdefault(r[target], r.get("target_type") or "other")
    types = sorted(set(node_type.values()))
    named = set(sorted(degree, key=lambda n: -degree[n])[:15])  # names of the 15 busiest nodes; the rest on hover
    series: dict[str, Any] = {
        "type": "graph",
        "layout": "force",
        "roam": True,
        "top": 90 if typed else 70,  # below the title (and legend), inside the card
        "bottom": 10,
        "left": 10,
        "right": 10,
        "label": {"show": True, "position": "right", "width": 120, "overflow": "truncate"},
        "labelLayout": {"hideOverlap": True},
        "force": {"repulsion": 40, "edgeLength": [20, 60], "gravity": 0.6},
        "zoom": 0.8,
        "data": [
            {
                "name": n,
                "value": d,
                "symbolSize": round(min(30.0, 6 + 3 * d**0.5), 1),
                "label": {"show": n in named},
                **({"category": types.index(node_type[n])} if typed else {}),
            }
            for n, d in degree.items()
        ],
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
    if typed:
        series["categories"] = [{"name": code_label("etype", t, lang)} for t in types]
        option["legend"] = {"top": 50, "data": [c["name"] for c in series["categories"]]}
    option["series"] = [series]
    return option


def _trends(kind: str, rows: list[dict[str, Any]], lang: str) -> Option:
    opt = _base(kind, lang)
    years = [str(r["year"]) + ("*" if r["incomplete"] else "") for r in rows]
    opt.update(
        {
            "tooltip": {"trigger": "axis"},
            "legend": {"top": 62},
            "grid": {"top": 100, "left": 60, "right": 40, "bottom": 60},
            "xAxis": {
                "type": "category",
                "data": years,
                "name": _w("年份（* 数据不完整）", "year (* incomplete)", lang),
                "nameLocation": "middle",
                "nameGap": 30,
            },
            "yAxis": {"type": "value", "name": _w("件数", "applications", lang)},
            "series": [
                {
                    "type": "line",
                    "name": _w(zh, key, lang),
                    "data": [_item(r, r[key]) if key == "filings" else r[key] for r in rows],
                }
                for key, zh in (("filings", "申请"), ("publications", "公开"), ("grants", "授权"))
            ],
        }
    )
    return opt


def _tm_trends(kind: str, rows: list[dict[str, Any]], lang: str) -> Option:
    opt = _base(kind, lang)
    opt.update(
        {
            "tooltip": {"trigger": "axis"},
            "legend": {"top": 62},
            "grid": {"top": 100, "left": 60, "right": 40, "bottom": 60},
            "xAxis": {"type": "category", "data": [str(r["year"]) + ("*" if r["incomplete"] else "") for r in rows],
                      "name": _w("年份（* 当年未完）", "year (* not over)", lang), "nameLocation": "middle",
                      "nameGap": 30},
            "yAxis": {"type": "value", "name": _w(*MARKS, lang)},
            "series": [
                {"type": "line", "name": _w("申请", "filings", lang), "data": [_item(r, r["filings"]) for r in rows]},
                {"type": "line", "name": _w("注册", "registrations", lang), "data": [r["registrations"] for r in rows]},
            ],
        }
    )  # fmt: skip
    return opt


def _lifecycle(kind: str, rows: list[dict[str, Any]], lang: str) -> Option:
    opt = _base(kind, lang)
    opt.update(
        {
            "tooltip": {"trigger": "item"},
            "xAxis": {"type": "value", "name": _w("申请人数", "applicants", lang)},
            "yAxis": {"type": "value", "name": _w(*APPLICATIONS, lang)},
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


def _ipc(kind: str, rows: list[dict[str, Any]], lang: str) -> Option:
    opt = _base(kind, lang)
    titles = ("title_en", "title_zh") if lang == "en" else ("title_zh", "title_en")
    data = [_item(r, r["applications"], name=f"{r['code']} {r[titles[0]] or r[titles[1]] or ''}"[:40]) for r in rows]
    opt["series"] = [{"type": "treemap", "data": data}]
    return opt


def _sei(kind: str, rows: list[dict[str, Any]], lang: str) -> Option:
    opt = _base(kind, lang)
    categories: dict[str, dict[str, Any]] = {}
    for r in rows:
        cat = categories.setdefault(r["category_code"], {"name": r["category_name"], "children": []})
        cat["children"].append(_item(r, r["applications"], name=r["sei_name"]))
    opt["series"] = [{"type": "treemap", "data": list(categories.values())}]
    return opt


def _regions(kind: str, rows: list[dict[str, Any]], lang: str) -> Option:
    return _map(kind, [{**r, "name": r["applicant_province"]} for r in rows], "applications", lang)


def _map(kind: str, rows: list[dict[str, Any]], value: str, lang: str) -> Option:
    """A map of China's provinces (rows with `name`, a province, and the value column)."""
    opt = _base(kind, lang)
    # the map data (ECharts' china.json from npm, registered as "china") names provinces briefly
    values = [_item(r, r[value], name=short_name(r["name"] or "")) for r in rows]
    opt.update(
        {
            "visualMap": {
                "min": 0,
                "max": max([v["value"] for v in values] or [1]),
                "left": "left",
                "text": [_w("高", "high", lang), _w("低", "low", lang)],
                "calculable": True,
            },
            "series": [{"type": "map", "map": "china", "roam": True, "data": values}],
        }
    )
    return opt


def _concentration(kind: str, rows: list[dict[str, Any]], lang: str) -> Option:
    row = rows[0] if rows else {"cr4": 0, "cr8": 0, "hhi": 0}
    opt = _base(kind, lang)
    opt.update(
        {
            "xAxis": {"type": "category", "data": ["CR4", "CR8"]},
            "yAxis": {"type": "value", "max": 1},
            "series": [{"type": "bar", "data": [row["cr4"], row["cr8"]], "label": {"show": True}}],
            "graphic": [{"type": "text", "right": 20, "top": 60, "style": {"text": f"HHI {row['hhi']}"}}],
        }
    )
    return opt


def _most_cited(kind: str, rows: list[dict[str, Any]], lang: str) -> Option:
    labelled = [{"label": f"{r['app_number'] or r['cited_app']}", "citations": r["citations"]} for r in rows]
    return _bar(kind, labelled, "label", "citations", lang)


def _heatmap(column: str) -> ChartOf:
    """Applicants (rows) against `column` (IPC subclass, year): a heat map, each cell opening its hits."""

    def chart(kind: str, rows: list[dict[str, Any]], lang: str) -> Option:
        opt = _base(kind, lang)
        entities = sorted({r["entity"] for r in rows})
        columns = sorted({r[column] for r in rows})
        cells = [
            _item(r, [columns.index(r[column]), entities.index(r["entity"]), r["applications"]])
            for r in rows
        ]  # fmt: skip
        opt.update(
            {
                "tooltip": {"position": "top"},
                "grid": {"left": 180, "right": 40, "top": 70, "bottom": 100},
                "xAxis": {"type": "category", "data": [str(c) for c in columns],
                          "axisLabel": {"interval": 0, "rotate": 45}},
                "yAxis": {"type": "category", "data": entities,
                          "axisLabel": {"width": 160, "overflow": "truncate", "interval": 0}},
                "visualMap": {"min": 0, "max": max([r["applications"] for r in rows] or [1]), "calculable": True,
                              "orient": "horizontal", "left": "center", "bottom": 0, "itemHeight": 120},
                "series": [{"type": "heatmap", "name": _w(*APPLICATIONS, lang), "data": cells,
                            "label": {"show": True}}],
            }
        )  # fmt: skip
        return opt

    return chart


# analysis -> the function drawing its chart; a new analysis registers its chart here
CHARTS: dict[str, ChartOf] = {
    "trends": _trends,
    "lifecycle": _lifecycle,
    "applicants": lambda k, rows, lang: _bar(k, rows, "entity", "applications", lang),
    "inventors": lambda k, rows, lang: _bar(k, rows, "inventor", "applications", lang),
    "applicant_types": lambda k, rows, lang: _pie(k, rows, "type", "applications", lang, "etype"),
    "legal_status": lambda k, rows, lang: _pie(k, rows, "legal_status", "applications", lang, "status"),
    "patent_types": lambda k, rows, lang: _pie(k, rows, "patent_type", "applications", lang, "type"),
    "countries": lambda k, rows, lang: _pie(k, rows, "country", "applications", lang),
    "ipc": _ipc,
    "applicant_ipc": _heatmap("code"),
    "applicant_years": _heatmap("year"),
    "sei": _sei,
    "value": lambda k, rows, lang: _bar(k, rows, "band", "applications", lang, horizontal=False),
    "high_value": lambda k, rows, lang: _bar(
        k, [{**r, "name": MEASURES_EN.get(r["measure"], r["measure_zh"]) if lang == "en" else r["measure_zh"]}
            for r in rows], "name", "applications", lang),
    "wipo_fields": lambda k, rows, lang: _bar(k, rows, "field", "applications", lang),
    "regions": _regions,
    "concentration": _concentration,
    "network": lambda k, rows, lang: _graph(k, rows, "source", "target", "weight", lang, typed=True),
    "inventor_teams": lambda k, rows, lang: _graph(k, rows, "source", "target", "weight", lang),
    "citation_flows": lambda k, rows, lang: _graph(k, rows, "citing", "cited", "citations", lang),
    "most_cited": _most_cited,
    "terms": lambda k, rows, lang: _bar(k, rows[:30], "term", "applications", lang),
    # trademarks (ipnav.analytics.marks)
    "tm_trends": _tm_trends,
    "tm_owners": lambda k, rows, lang: _bar(k, rows, "name", "marks", lang, unit=MARKS),
    "tm_agents": lambda k, rows, lang: _bar(k, rows, "name", "marks", lang, unit=MARKS),
    "tm_classes": lambda k, rows, lang: _bar(k, rows, "name_en" if lang == "en" else "name_zh", "marks", lang,
                                             unit=MARKS),
    "tm_groups": lambda k, rows, lang: _bar(k, [{**r, "label": f"{r['group']} {r['name']}"} for r in rows],
                                            "label", "marks", lang, unit=MARKS),
    "tm_regions": lambda k, rows, lang: _map(k, [{**r, "name": r["province"]} for r in rows], "marks", lang),
    "tm_status": lambda k, rows, lang: _pie(k, rows, "status", "marks", lang, "tm_status"),
    "tm_types": lambda k, rows, lang: _pie(k, rows, "mark_type", "marks", lang, "mark_type"),
    "tm_kinds": lambda k, rows, lang: _pie(k, rows, "kind", "marks", lang, "mark_kind"),
    "tm_offices": lambda k, rows, lang: _pie(k, rows, "office", "marks", lang),
}  # fmt: skip


def option(kind: str, table: pa.Table | list[dict[str, Any]], lang: str = "zh") -> Option:
    """The ECharts option of one analysis result (its table, or its rows with their drill queries), its
    words in Chinese (`zh`) or English (`en`)."""
    return CHARTS[kind](kind, table if isinstance(table, list) else table.to_pylist(), lang)
