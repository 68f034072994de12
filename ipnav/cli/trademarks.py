"""Trademark commands (`ipnav tm ...`): show one mark, search marks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import typer

from ipnav.cli.context import application
from ipnav.cli.output import EngineOption, JsonOption, out, problems, respond, table
from ipnav.cli.root import app
from ipnav.errors import UsageError

tm_app = typer.Typer(help="Trademarks (商标): show a mark, search marks.", no_args_is_help=True)
app.add_typer(tm_app, name="tm")


@tm_app.command("show")
def tm_show(
    number: Annotated[str, typer.Argument(help="Application or registration number, any spelling.")],
    as_json: JsonOption = False,
) -> None:
    """One trademark in full: classes and goods, dates, status, owners, agents, events."""

    def show(d: dict[str, Any]) -> None:
        out.print(f"[bold]{d['text'] or '(图形)'}[/bold]  {d['number']}  {d['registration_number'] or ''}")
        out.print(f"  状态 status: {d['status']} ({d['status_raw']}) · 类型 type: {d['type']} · {d['kind']}")
        out.print(f"  申请日 filed {d['filing_date'] or '-'} · 注册日 registered {d['registration_date'] or '-'} "
                  f"· 到期 expires {d['expiry_date'] or '-'}")  # fmt: skip
        for owner in d["owners"]:
            out.print(f"  权利人 owner: {owner['name']} {owner['address'] or ''} {owner['country'] or ''}")
        for goods in d["goods"]:
            text = goods["goods_zh"] or goods["goods_en"] or ""
            out.print(f"  第{goods['class_no']}类 {' '.join(goods['groups'] or [])} {text[:100]}")
        for r in d.get("register_records", []):
            out.print(f"  名录 register: {r['register']}/{r['subtype']} {r['number'] or ''} {r['holder'] or ''} "
                      f"{r['date'] or ''} ({r['app_key']})", highlight=False)  # fmt: skip

    respond(application().trademark(number), as_json, show)


@tm_app.command("search")
def tm_search(
    query: Annotated[
        str, typer.Argument(help="Words of the mark (pinyin too), word~1, class=25 status=registered ...")
    ],
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000, help="Marks per page.")] = 20,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Marks to skip.")] = 0,
    all_hits: Annotated[bool, typer.Option("--all", help="Every mark that matches (no page).")] = False,
    sort: Annotated[str | None, typer.Option("--sort", help="relevance, ad, -ad, rd, -rd.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Search trademarks: mark text (folded, traditional = simplified, pinyin), fuzzy, fields, facets."""
    ipnav = application()
    data = ipnav.trademark_search_all(query) if all_hits else ipnav.trademark_search(
        query, limit=limit, offset=offset, sort=sort)  # fmt: skip
    respond(
        data, as_json,
        lambda d: table(
            ["号码 number", "商标 mark", "类别 classes", "状态 status", "申请日 filed", "权利人 owner"],
            [(h["number"], h["text"], ",".join(str(c) for c in h["classes"] or []), h["status"], h["filing_date"],
              h["first_owner"]) for h in d["hits"]],
            title=f"商标检索 {d['total']:,} marks",
        ),
    )  # fmt: skip


@tm_app.command("similar")
def tm_similar(
    text: Annotated[str, typer.Argument(help="The mark to compare (Chinese, Latin, digits).")],
    classes: Annotated[str, typer.Option("--classes", help="Nice classes of its goods, e.g. 30,32.")] = "",
    groups: Annotated[str, typer.Option("--groups", help="Similar groups (类似群), e.g. 3002.")] = "",
    limit: Annotated[int, typer.Option("--limit", min=1, max=500)] = 20,
    threshold: Annotated[
        int, typer.Option("--threshold", min=0, max=100, help="Lowest score shown (60: ipnav's line for similar).")
    ] = 60,
    as_json: JsonOption = False,
) -> None:
    """Marks similar to TEXT (近似商标): shape, sound and meaning as examiners compare them, and the goods
    by class and similar group; each with a score 0-100 and its reasons."""
    numbers = [int(c) for c in re.split(r"[,\s]+", classes) if c.strip().isdigit()]
    data = application().trademark_similar(
        text, classes=numbers, groups=[g for g in re.split(r"[,\s;]+", groups) if g], limit=limit,
        threshold=threshold,
    )  # fmt: skip
    respond(
        data, as_json,
        lambda d: table(
            ["分数 score", "商标 mark", "号码 number", "类别 classes", "状态 status", "理由 reasons"],
            [(h["score"], h["text"], h["number"], ",".join(str(c) for c in h["classes"] or []), h["status"],
              "; ".join(h["reasons"])) for h in d["hits"]],
            title=f"近似商标 similar to {d['text']}",
        ),
    )  # fmt: skip


@tm_app.command("navigate")
def tm_navigate(
    selection: Annotated[str, typer.Argument(help="A trademark query, numbers:A,B or all.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="Date the trends end (YYYY-MM-DD).")] = None,
    as_json: JsonOption = False,
    engine: EngineOption = None,
) -> None:
    """Trademark navigation (商标导航): trends, owners, classes, similar groups, regions, status, types,
    kinds, agents and offices of a selection of marks."""
    import datetime as dt

    date = dt.date.fromisoformat(as_of) if as_of else None
    data = application(engine=engine).trademark_navigate(selection, as_of=date)
    data.pop("keys", None)
    for analysis in data["analyses"].values():
        analysis.pop("option", None)  # the charts are for pages and reports

    def show(d: dict[str, Any]) -> None:
        out.print(f"[bold]{d['selection']}[/bold] · {d['marks']:,} marks · as of {d['as_of']}")
        for a in d["analyses"].values():
            rows = a["rows"][:8]
            columns = [c for c in (rows[0] if rows else {}) if c != "drill"]
            table(columns, [tuple(r[c] for c in columns) for r in rows], title=f"{a['title_zh']} {a['title_en']}")

    respond(data, as_json, show)


@tm_app.command("report")
def tm_report(
    selection: Annotated[str, typer.Argument(help="A trademark query, numbers:A,B or all.")],
    out_path: Annotated[Path, typer.Option("--out", help="The .xlsx, .docx, .pdf or .html file to write.")],
    lang: Annotated[str, typer.Option("--lang", help="zh or en (tables and charts).")] = "zh",
    as_json: JsonOption = False,
) -> None:
    """The trademark navigation report (商标导航分析报告) of a selection: charts, tables, the marks."""
    fmt = out_path.suffix.lower().lstrip(".")
    data = application().trademark_report(selection, fmt, out_path, lang=lang)
    respond(data, as_json, f"{data['marks']:,} marks, {data['analyses']} analyses → {data['path']}")


@tm_app.command("export")
def tm_export(
    query: Annotated[str, typer.Argument(help="A trademark query (every mark it finds, no cap).")],
    out_path: Annotated[Path, typer.Option("--out", help="The .xlsx or .csv file to write.")],
    as_json: JsonOption = False,
) -> None:
    """Every mark a query finds to Excel or CSV (Chinese and English headers)."""
    fmt = out_path.suffix.lower().lstrip(".")
    rows = application().trademark_export(query, fmt, out_path)
    respond({"rows": rows, "path": str(out_path)}, as_json, f"{rows:,} marks written to {out_path}")


well_known_app = typer.Typer(help="驰名商标清单 the list of well-known marks (counted by `well_known_marks`).")
tm_app.add_typer(well_known_app, name="well-known")


@well_known_app.command("load")
def well_known_load(
    path: Annotated[
        Path, typer.Argument(help="CSV or XLSX: 商标, 注册号, 权利人, 认定年份 (类别, 认定机关, 地区 optional).")
    ],
    as_json: JsonOption = False,
) -> None:
    """Load (or reload) a well-known mark list; bad rows are named and skipped."""
    data = application(create=True).well_known_load(path)

    def show(_: Any) -> None:
        out.print(f"{data['loaded']} well-known marks loaded from {path} ({data['placed']} placed in a region)")
        problems(f"{p['file']}: row {p['row']}: {p['field']}: {p['reason']}" for p in data["problems"])

    respond(data, as_json, show)
    if data["problems"]:
        raise typer.Exit(3)


@well_known_app.command("list")
def well_known_list(as_json: JsonOption = False) -> None:
    """The loaded well-known marks, each with the region it counts in and why."""
    respond(
        application().well_known(),
        as_json,
        lambda rows: table(
            ["商标 mark", "注册号 number", "权利人 owner", "认定年份 year", "地区 region", "依据 basis", "文件 file"],
            [(r["mark"], r["number"], r["owner"], r["year"], r["adcode"] or "-", r["region_basis"] or "-",
              f"{r['source_file']}:{r['row_no']}") for r in rows],
        ),
    )  # fmt: skip


@tm_app.command("risk")
def tm_risk(
    region: Annotated[str, typer.Option("--region", help="Owners of this region only (name or adcode).")] = "",
    settings: Annotated[
        list[str] | None, typer.Option("--set", help="A threshold for this run, name=value (repeatable).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Applicants with bad-faith filing signals (恶意注册/囤积: volume, bursts, spread over classes, trading,
    refusals, copies of others' marks, well-known marks, individuals), with evidence and thresholds."""
    overrides: dict[str, float] = {}
    for item in settings or []:
        name, _, value = item.partition("=")
        try:
            overrides[name.strip()] = float(value)
        except ValueError:
            raise UsageError(f"--set {item!r}: give name=number, e.g. --set marks_per_year=30") from None

    def show(d: dict[str, Any]) -> None:
        table(
            ["申请人 applicant", "类型 type", "商标 marks", "类别 classes", "信号 signals"],
            [(a["entity"], a["type"], a["marks"], a["classes"], "; ".join(s["evidence"] for s in a["signals"]))
             for a in d["applicants"]],
            title=f"恶意注册风险 bad-faith signals: {len(d['applicants'])} 个申请人",
        )  # fmt: skip
        for agent in d["agents"]:
            out.print(f"  代理机构 agent {agent['agent']}: {len(agent['flagged'])}/{agent['clients']} 个客户被标记")
        if not d["copies_checked"]:
            out.print("  (索引落后, 未比对在先商标 / index behind: copies not checked; run `ipnav reindex`)")

    respond(application().trademark_risk(region=region, overrides=overrides), as_json, show)
