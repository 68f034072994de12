"""The evaluation report of a plan (中期评估报告): Word (with a chart) or Excel (with a native chart).

Structure: 一、总体情况; 二、指标完成情况 (table + progress chart); 三、责任单位评估; 四、存在的问题
(generated from the assessment: indicators off track or at risk, missing data, overdue tasks, stale
figures); 五、下一步工作 (a skeleton per problem for the analyst to complete); 附:阶段安排, 任务清单.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ipnav.errors import UsageError
from ipnav.plan.assess import STATUS_ZH
from ipnav.reports import write as write_document
from ipnav.reports.document import Block, Chart, Document, Sheet

FORMATS = ("docx", "xlsx", "pdf")


def _num(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.4g}"


def _target(ind: dict[str, Any]) -> str:
    target = ind["target"]
    if not target:
        return "未设定"
    if target.get("value") is None:
        return f"基期×{target['factor']:g}"
    text = ("超过" if target.get("strict") else "") + _num(target["value"])
    if target.get("value_max") is not None:
        text += f"-{_num(target['value_max'])}"
    suffix = "%/年" if ind["kind"] == "growth" else ind["unit"]
    return f"{text}{suffix} ({target['date']})"


def _latest(ind: dict[str, Any]) -> str:
    latest = ind["latest"]
    if not latest:
        return "—"
    text = f"{_num(latest['value'])} ({latest['date']})"
    if ind.get("actual_rate_pct") is not None:
        text += f", 年均{_num(ind['actual_rate_pct'])}%"
    return text


def indicator_rows(status: dict[str, Any]) -> list[list[str]]:
    """Rows of the indicator table of the evaluation report."""
    rows = []
    for ind in status["indicators"]:
        base = ind["baseline"]
        forecast = ind["forecast"]
        rows.append(
            [
                ind["id"],
                ind["name"],
                ind["unit"],
                ind["kind_zh"],
                f"{_num(base['value'])} ({base['date']})" if base else "—",
                _target(ind),
                _latest(ind),
                _num(ind["expected"]),
                f"{ind['progress_pct']:g}%" if ind["progress_pct"] is not None else "—",
                ind["status_zh"] + (" (数据陈旧)" if ind["stale"] else ""),
                (f"{_num(forecast['value'])}" + (" 可达标" if forecast.get("meets") else " 难达标"))
                if forecast
                else "—",
                "计算" if not ind["manual"] else "填报",
            ]
        )
    return rows


IND_COLUMNS = [
    "编号",
    "指标",
    "单位",
    "类型",
    "基期值",
    "目标",
    "最新值",
    "应达值",
    "完成进度",
    "状态",
    "期末预测",
    "来源",
]
UNIT_COLUMNS = [
    "责任单位",
    "牵头任务",
    "配合任务",
    "已完成任务",
    "逾期任务",
    "关联指标",
    "滞后/风险指标",
    "暂无数据指标",
]
TASK_COLUMNS = ["编号", "章节", "任务", "牵头单位", "完成时限", "状态", "进展说明", "逾期"]
PHASE_COLUMNS = ["阶段", "起止", "状态", "到期任务", "未完成", "到期指标", "阶段要求"]


def unit_rows(status: dict[str, Any]) -> list[list[str]]:
    """Rows of the responsible-unit table of the evaluation report."""
    rows = []
    for unit in status["units"]:
        s = unit["indicator_status"]
        rows.append(
            [
                unit["unit"],
                str(len(unit["lead_tasks"])),
                str(len(unit["co_tasks"])),
                str(unit["task_status"]["done"]),
                str(unit["overdue"]),
                str(len(unit["indicators"])),
                str(s["off_track"] + s["at_risk"]),
                str(s["no_data"]),
            ]
        )
    return rows


def task_rows(status: dict[str, Any]) -> list[list[str]]:
    """Rows of the task list of the evaluation report."""
    return [
        [
            t["id"],
            t["section"],
            t["title"],
            t["lead"] or "—",
            t["deadline"],
            t["status_zh"],
            t["note"],
            "是" if t["overdue"] else "",
        ]
        for t in status["tasks"]
    ]


def phase_rows(status: dict[str, Any]) -> list[list[str]]:
    """Rows of the phase table of the evaluation report."""
    state = {"done": "已结束", "current": "进行中", "upcoming": "未开始"}
    return [
        [
            p["name"],
            f"{p['start']} 至 {p['end']}",
            state[p["state"]],
            str(len(p["tasks"])),
            str(p["open_tasks"]),
            "、".join(p["indicators"]) or "—",
            ";".join(p["due"]),
        ]
        for p in status["phases"]
    ]


def problems(status: dict[str, Any]) -> list[str]:
    """The problems the assessment shows, in words (lagging indicators, overdue tasks ...)."""
    out = []
    for ind in status["indicators"]:
        if ind["status"] in ("off_track", "at_risk"):
            out.append(
                f"{ind['name']}{STATUS_ZH[ind['status']]}: 最新值 {_latest(ind)}, 应达 {_num(ind['expected'])}, "
                f"目标 {_target(ind)}。{ind['status_reason'].split(' / ')[0]}。"
            )
    missing = [i["name"] for i in status["indicators"] if i["status"] == "no_data"]
    if missing:
        out.append(f"{len(missing)} 项指标暂无可用数据, 需责任单位填报: {'、'.join(missing)}。")
    stale = [i["name"] for i in status["indicators"] if i["stale"]]
    if stale:
        out.append(f"{len(stale)} 项指标的最新数据已超过 {status['rules']['stale_days']} 天: {'、'.join(stale)}。")
    overdue = [t for t in status["tasks"] if t["overdue"]]
    if overdue:
        names = "、".join(f"{t['id']} {t['title']}({t['lead'] or '未明确'})" for t in overdue[:15])
        out.append(f"{len(overdue)} 项任务已过完成时限仍未完成: {names}{' 等' if len(overdue) > 15 else ''}。")
    unreported = status["summary"]["tasks"]["not_reported"]
    if unreported:
        out.append(f"{unreported} 项任务尚未报告进展。")
    return out or ["截至统计日未发现滞后指标或逾期任务。"]


def next_steps(status: dict[str, Any]) -> list[str]:
    """Next steps suggested by the assessment, in words."""
    steps = []
    for ind in status["indicators"]:
        if ind["status"] in ("off_track", "at_risk"):
            units = "、".join(ind["units"][:3]) or "（责任单位）"
            steps.append(f"针对“{ind['name']}”, 由 {units} 牵头制定追赶措施:（待填写）")
    if any(i["status"] == "no_data" for i in status["indicators"]):
        steps.append("建立指标数据报送机制, 各责任单位按填报模板定期报送:（待填写）")
    if status["summary"]["overdue_tasks"]:
        steps.append("对逾期任务逐项督办, 明确完成时限:（待填写）")
    steps.append("其他工作安排:（待填写）")
    return steps


def overview(status: dict[str, Any]) -> list[str]:
    """The overview paragraph lines of the evaluation report."""
    plan, counts = status["plan"], status["summary"]["indicators"]
    lines = [
        f"{plan['name']}由{plan['issuer']}印发{('(' + plan['doc_number'] + ')') if plan['doc_number'] else ''}, "
        f"规划期 {plan['period']['start']} 至 {plan['period']['end']}, 共设 {plan['indicators']} 项量化指标"
        f"(其中 {plan['computed']} 项由 ipnav 从专利数据计算, 其余由责任单位填报)、{plan['tasks']} 项重点任务, "
        f"涉及 {plan['units']} 个责任单位。",
        f"截至 {status['as_of']}: " + "、".join(f"{STATUS_ZH[s]} {n} 项" for s, n in counts.items() if n) + "。",
    ]
    tasks = status["summary"]["tasks"]
    lines.append(
        f"重点任务: 已完成 {tasks['done']} 项、进行中 {tasks['in_progress']} 项、受阻 {tasks['blocked']} 项、"
        f"未开始 {tasks['not_started']} 项、未报告 {tasks['not_reported']} 项; "
        f"逾期 {status['summary']['overdue_tasks']} 项。"
    )
    current = [p for p in status["phases"] if p["state"] == "current"]
    if current:
        p = current[0]
        lines.append(f"当前处于{p['name']}({p['start']} 至 {p['end']}): {';'.join(p['due'])}。")
    lines.append(
        f"状态判定: 进度比(实际进展 ÷ 按线性或复合增长轨迹应有的进展) ≥ {status['rules']['on_track']} 为正常推进, "
        f"≥ {status['rules']['at_risk']} 或按趋势预计可达标为存在风险, 否则为进度滞后; 详见 docs/plan-format.md。"
    )
    return lines


def _chart(status: dict[str, Any]) -> dict[str, Any] | None:
    rows = [i for i in status["indicators"] if i["progress_pct"] is not None]
    if not rows:
        return None
    colors = {"achieved": "#2e7d32", "on_track": "#1565c0", "at_risk": "#f9a825", "off_track": "#c62828"}
    return {
        "title": {"text": "指标完成进度(%)", "left": "center"},
        "grid": {"left": 220, "right": 40, "top": 40, "bottom": 30},
        "xAxis": {"type": "value", "max": 100},
        "yAxis": {"type": "category", "data": [i["name"][:18] for i in rows], "inverse": True},
        "series": [
            {
                "type": "bar",
                "data": [
                    {
                        "value": min(100, max(0, i["progress_pct"])),
                        "itemStyle": {"color": colors.get(i["status"], "#9e9e9e")},
                    }
                    for i in rows
                ],
                "label": {"show": True, "position": "right"},
            }
        ],
        "animation": False,
    }


def blocks(status: dict[str, Any], workdir: Path, font: Path | None = None) -> list[Block]:
    """The evaluation report as document blocks, with the progress chart rendered into `workdir`."""
    from ipnav.reports.images import render

    plan = status["plan"]
    out = [
        Block("title", f"{plan['name']}实施情况评估报告"),
        Block("p", f"统计截止: {status['as_of']}    生成时间: {dt.datetime.now():%Y-%m-%d %H:%M}    生成工具: ipnav"),
        Block("h1", "一、总体情况"),
        *[Block("p", line) for line in overview(status)],
        Block("h1", "二、指标完成情况"),
        Block("table", columns=IND_COLUMNS, rows=indicator_rows(status)),
    ]
    option = _chart(status)
    if option:
        images = render({"progress": ("bar", option, [])}, workdir, font)
        png = images.get("progress", {}).get("png")
        if png:
            out.append(Block("chart", "指标完成进度", image=Path(png)))
    out += [
        Block("h1", "三、责任单位评估"),
        Block("p", "按责任单位汇总其牵头和配合的任务, 以及与这些任务关联的指标状态(滞后和风险项多者在前)。"),
        Block("table", columns=UNIT_COLUMNS, rows=unit_rows(status)),
        Block("h1", "四、存在的问题"),
        *[Block("p", f"{n}. {text}") for n, text in enumerate(problems(status), 1)],
        Block("h1", "五、下一步工作"),
        *[Block("p", f"{n}. {text}") for n, text in enumerate(next_steps(status), 1)],
    ]
    if status["phases"]:
        out += [Block("h1", "附一、阶段安排"), Block("table", columns=PHASE_COLUMNS, rows=phase_rows(status))]
    out += [Block("h1", "附二、重点任务清单"), Block("table", columns=TASK_COLUMNS, rows=task_rows(status))]
    return out


def write(status: dict[str, Any], fmt: str, out: Path, font: Path | None = None) -> Path:
    """Write the evaluation report in one of FORMATS; returns the path."""
    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt!r}: use {', '.join(FORMATS)}")
    return write_document(document(status), fmt, out, font=font)


def document(status: dict[str, Any]) -> Document:
    """The evaluation report as a document (Word and PDF blocks, Excel sheets)."""
    return Document(
        title=f"{status['plan']['name']}实施情况评估报告",
        blocks=lambda workdir, font: blocks(status, workdir, font),
        sheets=lambda: sheets(status),
    )


def _table(title: str, columns: list[str], rows: list[list[Any]], charts: list[Chart] | None = None) -> Sheet:
    widths = {i: 16.0 for i in range(1, len(columns) + 1)} | {2: 36.0}
    return Sheet(title=title, columns=columns, rows=rows, charts=charts or [], widths=widths, freeze=True)


def sheets(status: dict[str, Any]) -> list[Sheet]:
    """The evaluation report's workbook: overview, indicators (with a progress chart), units, tasks,
    phases, the recorded values and the rules."""
    lines = [*overview(status), "", "存在的问题", *problems(status), "", "下一步工作", *next_steps(status)]
    out = [
        Sheet(
            title="总体情况",
            columns=[],
            rows=[[line] for line in lines],
            heading=[[f"{status['plan']['name']}实施情况评估"]],
            widths={1: 140.0},
        ),
        _table(
            "指标完成情况",
            [*IND_COLUMNS, "完成进度(数值)"],
            [[*r, i["progress_pct"]] for r, i in zip(indicator_rows(status), status["indicators"], strict=True)],
            [Chart("bar", "指标完成进度(%)", IND_COLUMNS[1], ("完成进度(数值)",))],
        ),
        _table("责任单位评估", UNIT_COLUMNS, unit_rows(status)),
        _table("重点任务", TASK_COLUMNS, task_rows(status)),
    ]
    if status["phases"]:
        out.append(_table("阶段安排", PHASE_COLUMNS, phase_rows(status)))
    records = [
        [r["indicator"], r["date"], r["value"], r["source"], r["evidence"] or "", r["recorded_by"], r["recorded_at"],
         r["via"]]
        for r in status["records"]
    ]  # fmt: skip
    out.append(
        _table("填报记录", ["指标", "日期", "数值", "数据来源", "证明材料", "填报人", "填报时间", "方式"], records)
    )
    rules = status["rules"]
    out.append(
        _table(
            "说明",
            ["项目", "内容"],
            [
                ["统计截止", status["as_of"]],
                ["规划", status["plan"]["name"]],
                ["来源", status["plan"]["source"].get("title", "")],
                ["状态规则", f"on_track ≥ {rules['on_track']}, at_risk ≥ {rules['at_risk']}"],
            ],
        )
    )
    return out
