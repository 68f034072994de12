"""Indicator and value commands: regional indicators (区域指标) and one patent's official flags and value score."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ipnav.application.options import IndicatorOptions, ValueOptions
from ipnav.cli.context import application
from ipnav.cli.options import with_options
from ipnav.cli.output import EngineOption, JsonOption, out, respond, table
from ipnav.cli.root import app
from ipnav.kpi.catalog import INDICATORS, catalogue


def _catalogue(items: list[dict[str, Any]]) -> None:
    table(
        ["指标 name", "名称 title", "类型 kind", "单位 unit", "定义 definition"],
        [
            (i["name"], f"{i['title_zh']}\n{i['title_en']}", i["kind"], i["unit_zh"],
             f"{i['definition_zh']}\n{i['definition_en']}")
            for i in items
        ],
    )  # fmt: skip


@app.command()
@with_options(IndicatorOptions)
def indicator(
    name: Annotated[str | None, typer.Argument(help="Indicator: " + ", ".join(INDICATORS) + ".")] = None,
    list_all: Annotated[bool, typer.Option("--list", help="List every indicator with its definition.")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Also write .xlsx or .csv.")] = None,
    as_json: JsonOption = False,
    engine: EngineOption = None,
    *,
    options: IndicatorOptions,
) -> None:
    """Regional indicators (每万人口高价值发明专利拥有量 ...) as of a date, with sources and drill-down."""
    if list_all or not name:
        respond(catalogue(), as_json, _catalogue)
        return
    ipnav = application(engine=engine)
    result = ipnav.indicator(name, options)
    if output is not None:
        ipnav.indicator_file(result, output)
    respond(result, as_json, _print_indicator)
    if output is not None and not as_json:
        out.print(f"written: {output}")


def _print_indicator(result: dict[str, Any]) -> None:
    ind, meta, region = result["indicator"], result["meta"], result["region"]
    out.print(f"[bold]{ind['title_zh']} {ind['title_en']}[/bold] · {region['name']} ({region['level_zh']})")
    out.print(f"{ind['definition_zh']}", highlight=False)
    sources = [f"as of {meta['as_of']}", f"计数 {meta['counting_zh']}"]
    if meta.get("population_source"):
        sources.append(f"人口 {meta['population_source_zh']}")
    if meta.get("flag_policy"):
        policy = meta["flag_policy"]
        sources.append(f"质押阈值 {policy['pledge_min_amount']:,.0f} CNY")
        sources.append(policy["concordance"])
    out.print(" · ".join(sources), style="dim", highlight=False)
    entries = [result["total"], *result.get("rows", [])]
    if "series" in result["total"]:
        years = [p["year"] for p in result["total"]["series"]]
        grid = Table("地区 region", *[str(y) for y in years])
        for entry in entries:
            grid.add_row(
                entry["name"],
                *[
                    f"{p['value']}" + (f" ({p['growth_pct']:+.1f}%)" if p["growth_pct"] is not None else "")
                    for p in entry["series"]
                ],
            )
    else:
        per_10k = "population" in result["total"]
        columns = ["地区 region", "代码 code", f"{ind['unit_zh']} value"]
        if per_10k:
            columns += ["件数 count", "人口 population", "人口年份 year"]
        grid = Table(*columns)
        for entry in entries:
            cells = [entry["name"], entry["code"], "-" if entry["value"] is None else str(entry["value"])]
            if per_10k:
                cells += [
                    str(entry["count"]),
                    str(entry.get("population") or "-"),
                    str(entry.get("population_year") or ""),
                ]
            grid.add_row(*cells)
    out.print(grid)
    if result.get("patents") is not None:
        patents = result["patents"]
        if patents and "register" in patents[0]:  # register records (GI, pledges, cases ...)
            listing = Table("编号 number", "名称 name", "权利人 holder", "地区 adcode", "日期 date")
            for r in patents[:50]:
                listing.add_row(r["number"] or r["app_key"], r["name"] or "", r["holder"] or "", r["adcode"] or "",
                                str(r.get("date") or r.get("filed") or r.get("year") or ""))  # fmt: skip
        else:
            listing = Table("申请号 application", "名称 title", "专利权人 patentee", "地区 adcode", "依据 evidence")
            for p in patents[:50]:
                evidence = "; ".join(f"{c['criterion_zh']}: {c['evidence']}" for c in p.get("criteria", []))
                basis = evidence or p.get("valid_basis", "") or str(p.get("year", ""))
                listing.add_row(p["app_number"] or p["app_key"], p["title"] or "", p["first_applicant"] or "",
                                p["adcode"], basis)  # fmt: skip
        out.print(listing)
        if len(patents) > 50:
            out.print(f"… {len(patents) - 50} more: use --json or --output for the whole list")


def _show_value(data: dict[str, Any]) -> None:
    patent, f, v = data["patent"], data["flags"], data["value"]
    out.print(
        f"[bold]{patent['app_number'] or patent['app_key']}[/bold] {patent['title'] or ''} · as of {data['as_of']}"
    )
    state = "有效 valid" if f["valid"] else f"无效/未授权 not in force ({f['invalid_reason']})"
    out.print(f"法律状态 status: {state}" + (f" · basis {f['valid_basis']}" if f["valid"] else ""), highlight=False)
    if f["high_value"]:
        out.print("[green]高价值发明专利 high-value invention[/green]")
        for c in f["criteria"]:
            out.print(f"  · {c['criterion_zh']} ({c['criterion']}): {c['evidence']}", highlight=False)
    elif f["valid_invention"]:
        out.print("有效发明专利, 不符合高价值条件 / valid invention, meets no high-value criterion")
    out.print(f"[bold]价值度 value score: {v['score']}[/bold] (cohort {v['cohort']}, {v['cohort_size']} applications)")
    grid = Table("指标 component", "值 value", "百分位 percentile", "权重 weight")
    for c in v["components"]:
        raw = c["value"]
        grid.add_row(
            f"{c['name_zh']} {c['name_en']}",
            "-" if raw is None else f"{raw:g}",
            "-" if c["percentile"] is None else f"{c['percentile']}",
            f"{c['weight']:g}",
        )
    out.print(grid)


@app.command()
@with_options(ValueOptions)
def value(
    number: Annotated[str, typer.Argument(help="Application or publication number.")],
    as_json: JsonOption = False,
    *,
    options: ValueOptions,
) -> None:
    """A patent's official flags (valid, high-value with evidence) and its open value score with components."""
    respond(application().value(number, options), as_json, _show_value)
