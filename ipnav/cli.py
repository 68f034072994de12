"""The `ipnav` command: thin wrappers over library functions.

Every command that answers a question takes `--json`. Errors print one line
(`ipnav: <file>: <reason>`) and exit 1; `--debug` shows the traceback.
Exit codes: 0 ok, 1 error, 2 bad usage, 3 ingest finished but rejected records.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ipnav.config import Settings, Workspace
from ipnav.errors import IpnavError, UsageError

app = typer.Typer(
    name="ipnav",
    help="ipnav: 开放的知识产权大数据平台 / open IP big-data platform (ingest, search, navigate, indicators).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_state: dict[str, Any] = {"debug": False, "workspace": None}
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


@app.callback()
def _main(
    workspace: Annotated[
        Path | None,
        typer.Option("--workspace", "-w", envvar="IPNAV_WORKSPACE", help="Workspace folder (default ./workspace)."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    _state["debug"] = debug
    _state["workspace"] = workspace


def settings() -> Settings:
    return Settings.load(_state["workspace"])


def workspace() -> Workspace:
    return Workspace(settings().workspace)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


@app.command()
def init() -> None:
    """Create the workspace folder and an empty warehouse."""
    from ipnav.store.reference import ensure_reference
    from ipnav.store.warehouse import Warehouse

    ws = workspace().create()
    with Warehouse(ws.warehouse_path) as wh:
        tables = ensure_reference(wh.con)
    out.print(f"workspace ready: {ws.root.resolve()} ({len(tables)} reference tables)")


@app.command()
def reference(as_json: JsonOption = False) -> None:
    """Reference tables in the warehouse (IPC/CPC titles, adcodes, population, SEI concordance ...)."""
    from ipnav.store.reference import ensure_reference

    with _warehouse() as wh:
        tables = ensure_reference(wh.con)
    if as_json:
        _print_json(tables)
        return
    table = Table("表 table", "行数 rows")
    for name, rows in tables.items():
        table.add_row(name, str(rows))
    out.print(table)
    out.print("provenance: ipnav/reference/data/PROVENANCE.md")


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files, folders or zip archives to load.")],
    as_json: JsonOption = False,
    header_map: Annotated[
        Path | None, typer.Option("--header-map", help="TOML file mapping extra table headers to fields.")
    ] = None,
    workers: Annotated[int | None, typer.Option(help="Parser processes (default: one per core).")] = None,
    batch_size: Annotated[int | None, typer.Option(help="Records per warehouse transaction.")] = None,
    index: Annotated[
        bool,
        typer.Option(
            "--index/--no-index",
            help="Update the search index now (default) or "
            "leave it to `ipnav reindex` / the next search (faster bulk loads).",
        ),
    ] = True,
) -> None:
    """Load patent data (USPTO, CNIPA, EPO, WIPO XML; CSV/XLSX/SQL exports) into the warehouse. Idempotent."""
    from ipnav.ingest.run import collect_sources
    from ipnav.ingest.run import ingest as run_ingest
    from ipnav.ingest.sources import InputLimits
    from ipnav.model import Reject

    conf = settings()
    limits = InputLimits.from_settings(conf)
    total = sum(s.size for s in collect_sources(paths, limits) if not s.problem)
    show_progress = sys.stderr.isatty() and not as_json
    file_problems: list[str] = []

    def on_reject(reject: Reject) -> None:
        if reject.position == 0:  # a whole file: tell the user now, in one line
            file_problems.append(f"{reject.source_file}: {reject.reason}")

    options: dict[str, Any] = {
        "batch_size": batch_size or conf.batch_size,
        "workers": workers if workers is not None else conf.workers,
        "header_map": header_map or conf.header_map,
        "on_reject": on_reject,
        "index": index,
        "limits": limits,
        "after": _value_scores(conf),
    }
    if show_progress:
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

        with Progress(
            TextColumn("[bold]导入 ingest"),
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.description}"),
            console=err,
            transient=True,
        ) as bar:
            task = bar.add_task("", total=total)

            def progress(done: int, name: str) -> None:
                bar.update(task, advance=done, description=Path(name.split("!")[-1]).name[:40])

            summary = run_ingest(paths, Workspace(conf.workspace), progress=progress, **options)
    else:
        summary = run_ingest(paths, Workspace(conf.workspace), **options)
    data = summary.as_dict()
    if as_json:
        _print_json(
            {k: data[k] for k in ("files", "records", "inserted", "updated", "unchanged", "rejected", "seconds")}
        )
    else:
        for line in file_problems:
            sys.stderr.write(f"ipnav: {line}\n")
        out.print(
            f"文件 files {summary.files} · 记录 records {summary.records} · 新增 inserted {summary.inserted} · "
            f"更新 updated {summary.updated} · 未变 unchanged {summary.unchanged} · "
            f"拒收 rejected {summary.rejected} · {summary.seconds:.1f}s"
        )
        if summary.rejected:
            out.print("see `ipnav rejects` for the file, record, field and reason of each reject")
    if summary.rejected:
        raise typer.Exit(3)


@app.command()
def rejects(
    as_json: JsonOption = False,
    limit: Annotated[int | None, typer.Option(help="Show at most this many.")] = None,
    run: Annotated[int | None, typer.Option(help="Only rejects of this ingest run.")] = None,
) -> None:
    """List rejected records: file, record position, field and reason (raw bytes kept in the workspace)."""
    from ipnav.store import reads

    with _warehouse() as wh:
        rows = reads.rejects(wh, limit=limit, run_id=run)
    if as_json:
        _print_json(rows)
        return
    if not rows:
        out.print("no rejects / 无拒收记录")
        return
    table = Table("文件 file", "记录 record", "行 line", "字段 field", "原因 reason")
    for r in rows:
        table.add_row(r["source_file"], str(r["position"] or "(file)"), str(r["line"] or ""), r["field"], r["reason"])
    out.print(table)


@app.command()
def stats(as_json: JsonOption = False) -> None:
    """Counts by source format, country, patent type, filing year and legal status; rejects."""
    from ipnav.store import reads

    with _warehouse() as wh:
        data = reads.stats(wh)
    if as_json:
        _print_json(data)
        return
    out.print(
        f"专利申请 applications: {data['patents']} · 源文档 documents: {data['documents']} · "
        f"交易 transactions: {data['transactions']} · 拒收 rejects: {data['rejects']}"
    )
    for key, title in (
        ("by_source_format", "来源格式 source format"),
        ("by_country", "国家 country"),
        ("by_patent_type", "专利类型 patent type"),
        ("by_legal_status", "法律状态 legal status"),
        ("by_filing_year", "申请年 filing year"),
        ("by_applicant_province", "省份 province"),
    ):
        table = Table(title, "数量 count", title_justify="left")
        for name, n in data[key].items():
            table.add_row(name or "-", str(n))
        out.print(table)


@app.command()
def show(
    number: Annotated[str, typer.Argument(help="Application or publication number, any spelling.")],
    as_json: JsonOption = False,
) -> None:
    """Show one patent record in full."""
    from ipnav.store import reads

    with _warehouse() as wh:
        data = reads.patent_detail(wh, number)
    if as_json:
        _print_json(data)
        return
    title = next(iter(data["titles"].values()), "")
    out.print(f"[bold]{data['app_number'] or data['app_key']}[/bold]  {title}")
    pubs = ", ".join(f"{p['number']}{p['kind']} ({p['date']})" for p in data["publications"])
    out.print(
        f"申请日 filed: {data['filing_date']} · 类型 type: {data['patent_type']} · "
        f"法律状态 status: {data['legal_status']} {data['legal_status_raw']}"
    )
    out.print(f"公开 publications: {pubs}")
    for role in ("applicant", "assignee", "inventor", "agent", "agency"):
        people = [p for p in data["parties"] if p["role"] == role]
        if people:
            names = "; ".join(
                p["name"]
                + (f" [{p['province_name']}{p['city_name']}{p['county_name']} {p['adcode']}]" if p["adcode"] else "")
                for p in people
            )
            out.print(f"{role}: {names}")
    ipc = " ".join(c["symbol"] for c in data["classifications"] if c["scheme"] == "ipc")
    out.print(f"IPC: {ipc}")
    abstract = next(iter(data["abstracts"].values()), "")
    if abstract:
        out.print(f"摘要 abstract: {abstract[:600]}")
    out.print(
        f"权利要求 claims: {data['claims_count']} ({data['independent_claims']} independent) · "
        f"引用 citations: {len(data['citations'])} · 优先权 priorities: {len(data['priorities'])}"
    )


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="parquet, csv or xlsx")] = "xlsx",
    out_path: Annotated[Path | None, typer.Option("--out", "-o", help="Output file.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Export one row per application to parquet, csv (UTF-8 with BOM) or xlsx."""
    from ipnav.store import reads

    ws = workspace()
    target = out_path or ws.exports_dir / f"patents.{fmt}"
    with _warehouse() as wh:
        rows = reads.export(wh, fmt, target)
    if as_json:
        _print_json({"rows": rows, "path": str(target)})
    else:
        out.print(f"exported {rows} rows to {target}")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Query, e.g. 'ti=锂电池 AND ad>=2020' (see docs/query-language.md).")],
    limit: Annotated[int, typer.Option(help="Hits per page.")] = 20,
    sort: Annotated[str, typer.Option(help="relevance, ad, pd, gd; prefix - for newest first.")] = "relevance",
    cursor: Annotated[str | None, typer.Option(help="Continue after a previous page (from its output).")] = None,
    facets: Annotated[bool, typer.Option("--facets", help="Show facet counts.")] = False,
    all_hits: Annotated[bool, typer.Option("--all", help="Stream every hit (JSON lines with --json).")] = False,
    as_json: JsonOption = False,
) -> None:
    """Search patents with the fielded boolean query language; no caps on results."""
    from ipnav.search import service

    ws = workspace()
    with _warehouse() as wh:
        service.sync_index(ws, wh)  # a workspace indexed by an older run (or never) is brought up to date
        if all_hits:
            count = 0
            for row in service.search_all(ws, wh, query):
                count += 1
                if as_json:
                    sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
                else:
                    sys.stdout.write(
                        f"{row['app_number'] or row['app_key']}\t{row['first_pub_number']}\t"
                        f"{row['filing_date'] or ''}\t{row['title']}\n"
                    )
            if not as_json:
                err.print(f"{count} hits")
            return
        data = service.search(ws, wh, query, limit=limit, sort=sort, cursor=cursor, facets=facets, settings=settings())
    if as_json:
        _print_json(data)
        return
    out.print(f"命中 hits: {data['total']}  (query: {query})")
    table = Table("#", "申请号 application", "公开号 publication", "申请日 filed", "名称 title", "申请人 applicant")
    for i, hit in enumerate(data["hits"], 1):
        table.add_row(
            str(i),
            hit["app_number"] or hit["app_key"],
            hit["first_pub_number"] or "",
            hit["filing_date"] or "",
            (hit["title"] or "")[:60],
            "; ".join(hit["applicants"] or [])[:40],
        )
    out.print(table)
    if facets:
        for name, buckets in data["facets"].items():
            out.print(f"[bold]{name}[/bold]: " + ", ".join(f"{k} ({v})" for k, v in list(buckets.items())[:10]))
    if data["cursor"]:
        out.print(f"next page: --cursor {data['cursor']}")


@app.command()
def similar(
    number: Annotated[str, typer.Argument(help="Application or publication number.")],
    limit: Annotated[int, typer.Option(help="How many similar patents.")] = 10,
    as_json: JsonOption = False,
) -> None:
    """Patents most similar to one patent (distinctive terms of its title, abstract, first claim)."""
    from ipnav.search.similar import similar as find_similar

    with _warehouse() as wh:
        data = find_similar(workspace(), wh, number, limit=limit)
    if as_json:
        _print_json(data)
        return
    out.print(f"相似专利 similar to {number} · terms: {', '.join(data['terms'][:12])}")
    table = Table("#", "申请号 application", "名称 title", "得分 score")
    for i, hit in enumerate(data["hits"], 1):
        table.add_row(str(i), hit["app_number"] or hit["app_key"], (hit["title"] or "")[:60], str(hit["score"]))
    out.print(table)


SelectionOption = Annotated[
    str,
    typer.Option("--selection", "-s", help="A query, 'topic:NAME', 'numbers:N1,N2' or 'all' (default)."),
]
AsOfOption = Annotated[str | None, typer.Option("--as-of", help="Date the figures are as of (default today).")]


def _as_of(value: str | None) -> Any:
    import datetime as dt

    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of {value!r} is not a date (YYYY-MM-DD)") from None


@app.command()
def analyze(
    kind: Annotated[
        str,
        typer.Argument(
            help="Analysis: trends, applicants, inventors, applicant_types, ipc, "
            "wipo_fields, sei, countries, regions, legal_status, patent_types, "
            "lifecycle, concentration, network, inventor_teams, most_cited, "
            "citation_flows, terms."
        ),
    ],
    selection: SelectionOption = "all",
    limit: Annotated[int | None, typer.Option(help="Rows for rankings.")] = None,
    level: Annotated[
        str | None, typer.Option(help="ipc: section/class/subclass/main_group; regions: province/city/county.")
    ] = None,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
) -> None:
    """One navigation analysis of a selection (table, and its ECharts option with --json)."""
    from ipnav.analytics.navigate import analyze as run_analysis
    from ipnav.analytics.selection import Selection

    options: dict[str, Any] = {}
    if limit is not None:
        options["limit"] = limit
    if level is not None:
        options["level"] = level
    with _warehouse() as wh:
        data = run_analysis(workspace(), wh, Selection.parse(selection), kind, as_of=_as_of(as_of), **options)
    if as_json:
        _print_json(data)
        return
    out.print(
        f"[bold]{data['title_zh']} {data['title_en']}[/bold] · {data['selection']} · "
        f"{data['applications']} 件 applications · as of {data['as_of']}"
    )
    rows = data["rows"]
    if rows:
        table = Table(*[str(c) for c in rows[0]])
        for row in rows:
            table.add_row(*[str(v) for v in row.values()])
        out.print(table)


@app.command()
def navigate(selection: SelectionOption = "all", as_of: AsOfOption = None, as_json: JsonOption = False) -> None:
    """The full navigation pack of a selection: every analysis with its chart."""
    from ipnav.analytics.navigate import navigate as run_navigate
    from ipnav.analytics.selection import Selection

    with _warehouse() as wh:
        data = run_navigate(workspace(), wh, Selection.parse(selection), as_of=_as_of(as_of))
    if as_json:
        _print_json(data)
        return
    out.print(f"[bold]专利导航 navigation[/bold] · {data['selection']} · {data['applications']} 件 applications")
    for result in data["analyses"].values():
        out.print(f"  {result['title_zh']} ({result['title_en']}): {len(result['rows'])} rows")


@app.command()
def report(
    selection: SelectionOption = "all",
    fmt: Annotated[str, typer.Option("--format", "-f", help="xlsx, docx, pdf or html")] = "xlsx",
    out_path: Annotated[Path | None, typer.Option("--out", "-o", help="Output file.")] = None,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write a navigation report: Excel (hit list + native charts), Word, PDF or HTML (GB/T 39551 structure)."""
    from ipnav.analytics.navigate import navigate as run_navigate
    from ipnav.analytics.selection import Selection
    from ipnav.reports import write_report

    ws = workspace()
    target = out_path or ws.exports_dir / f"navigation-report.{fmt}"
    with _warehouse() as wh:
        pack = run_navigate(ws, wh, Selection.parse(selection), as_of=_as_of(as_of))
        write_report(pack, wh, fmt, target)
    if as_json:
        _print_json({"path": str(target), "applications": pack["applications"], "analyses": len(pack["analyses"])})
    else:
        out.print(f"report written: {target} ({pack['applications']} applications, {len(pack['analyses'])} analyses)")


topic_app = typer.Typer(
    help="Thematic databases (专题库): create, list, show, add, remove, refresh, delete.", no_args_is_help=True
)
app.add_typer(topic_app, name="topic")


def _topic_output(data: Any, as_json: bool, message: str) -> None:
    if as_json:
        _print_json(data)
    else:
        out.print(message)


@topic_app.command("create")
def topic_create(
    name: Annotated[str, typer.Argument(help="Name, e.g. 新能源汽车")],
    query: Annotated[str, typer.Option("--query", "-q", help="Search query that defines the topic.")],
    description: Annotated[str, typer.Option("--description", help="What the topic covers.")] = "",
    as_json: JsonOption = False,
) -> None:
    """Create a thematic database from a query."""
    from ipnav.analytics import topics

    with _warehouse() as wh:
        data = topics.create(workspace(), wh, name, query, description)
    _topic_output(data, as_json, f"专题库 {name}: {data['size']} applications")


@topic_app.command("list")
def topic_list(as_json: JsonOption = False) -> None:
    """List thematic databases."""
    from ipnav.analytics import topics

    with _warehouse() as wh:
        data = topics.list_topics(wh)
    if as_json:
        _print_json(data)
        return
    table = Table("名称 name", "件数 size", "检索式 query", "更新 refreshed")
    for row in data:
        table.add_row(row["name"], str(row["size"]), row["query"], row["refreshed_at"][:19])
    out.print(table)


@topic_app.command("show")
def topic_show(name: str, as_json: JsonOption = False) -> None:
    """Show one thematic database and its members."""
    from ipnav.analytics import topics

    with _warehouse() as wh:
        data = topics.show(wh, name)
    _topic_output(
        data,
        as_json,
        f"专题库 {name}: {data['size']} applications ({data['manual']} added by hand, "
        f"{data['removed']} removed) · query: {data['query']}",
    )


@topic_app.command("add")
def topic_add(name: str, numbers: list[str], as_json: JsonOption = False) -> None:
    """Add patents (any number spelling) to a thematic database."""
    from ipnav.analytics import topics

    with _warehouse() as wh:
        data = topics.add(wh, name, numbers)
    _topic_output(data, as_json, f"专题库 {name}: {data['size']} applications")


@topic_app.command("remove")
def topic_remove(name: str, numbers: list[str], as_json: JsonOption = False) -> None:
    """Remove patents from a thematic database (refresh will not bring them back)."""
    from ipnav.analytics import topics

    with _warehouse() as wh:
        data = topics.remove(wh, name, numbers)
    _topic_output(data, as_json, f"专题库 {name}: {data['size']} applications")


@topic_app.command("refresh")
def topic_refresh(name: str, as_json: JsonOption = False) -> None:
    """Re-run a thematic database's query: report what came in and what went out."""
    from ipnav.analytics import topics

    with _warehouse() as wh:
        data = topics.refresh(workspace(), wh, name)
    _topic_output(
        data,
        as_json,
        f"专题库 {name}: {data['size']} applications · came in {len(data['came_in'])} · "
        f"went out {len(data['went_out'])}",
    )


@topic_app.command("delete")
def topic_delete(name: str, as_json: JsonOption = False) -> None:
    """Delete a thematic database (the patents stay in the warehouse)."""
    from ipnav.analytics import topics

    with _warehouse() as wh:
        topics.delete(wh, name)
    _topic_output({"deleted": name}, as_json, f"专题库 {name} deleted")


@app.command()
def reindex(as_json: JsonOption = False) -> None:
    """Rebuild the search index from the warehouse."""
    import time

    from ipnav.search import service

    started = time.perf_counter()
    ws = workspace()
    with _warehouse() as wh:
        count = service.rebuild_index(ws, wh)
    seconds = time.perf_counter() - started
    if as_json:
        _print_json({"indexed": count, "seconds": round(seconds, 3)})
    else:
        out.print(f"indexed {count} applications in {seconds:.1f}s")


@app.command()
def indicator(
    name: Annotated[str | None, typer.Argument(help="Indicator name (see --list).")] = None,
    list_all: Annotated[bool, typer.Option("--list", help="List every indicator with its definition.")] = False,
    region: Annotated[
        str | None, typer.Option(help="Region: adcode (320400) or name (常州, 南江县, 重庆市); default all of China.")
    ] = None,
    as_of: AsOfOption = None,
    by: Annotated[str | None, typer.Option(help="Break down by province, city or county.")] = None,
    counting: Annotated[
        str | None, typer.Option(help="first (patentee, default) or fractional (co-patentees share).")
    ] = None,
    population: Annotated[
        str | None, typer.Option(help="Per-10k denominators: census2020 (default) or yearend (provinces).")
    ] = None,
    years: Annotated[str | None, typer.Option(help="Flows: year range, e.g. 2019-2023 (default: 5 years).")] = None,
    patents: Annotated[bool, typer.Option("--patents", help="List the patents behind the figure.")] = False,
    year: Annotated[int | None, typer.Option(help="Flows: list the patents of this year only.")] = None,
    pledge_min: Annotated[float | None, typer.Option(help="High-value pledge threshold in CNY.")] = None,
    sei_scope: Annotated[str | None, typer.Option(help="SEI by all IPC symbols or the main one (all|main).")] = None,
    sei_keywords: Annotated[
        bool | None, typer.Option("--sei-keywords/--no-sei-keywords", help="Require a concordance keyword.")
    ] = None,
    unknown_status: Annotated[
        str | None, typer.Option(help="Granted records without status: assume_valid or exclude.")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Also write .xlsx or .csv.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Regional indicators (每万人口高价值发明专利拥有量 ...) as of a date, with sources and drill-down."""
    from ipnav.kpi import indicators

    if list_all or not name:
        catalogue = indicators.catalogue()
        if as_json:
            _print_json(catalogue)
            return
        table = Table("指标 name", "名称 title", "类型 kind", "单位 unit", "定义 definition")
        for item in catalogue:
            table.add_row(
                item["name"],
                f"{item['title_zh']}\n{item['title_en']}",
                item["kind"],
                item["unit_zh"],
                f"{item['definition_zh']}\n{item['definition_en']}",
            )
        out.print(table)
        return
    request = indicators.make_request(
        settings(),
        name,
        as_of=_as_of(as_of),
        years=years,
        counting=counting,
        pledge_min=pledge_min,
        sei_scope=sei_scope,
        sei_keywords=sei_keywords,
        unknown_status=unknown_status,
        region=region,
        by=by,
        population=population,
        patents=patents,
        year=year,
    )
    with _warehouse() as wh:
        result = indicators.compute(wh, request)
    if output is not None:
        from ipnav.kpi.export import write

        write(result, output)
    if as_json:
        _print_json(result)
        return
    _print_indicator(result)
    if output is not None:
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
        table = Table("地区 region", *[str(y) for y in years])
        for entry in entries:
            table.add_row(
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
        table = Table(*columns)
        for entry in entries:
            cells = [entry["name"], entry["code"], "-" if entry["value"] is None else str(entry["value"])]
            if per_10k:
                cells += [
                    str(entry["count"]),
                    str(entry.get("population") or "-"),
                    str(entry.get("population_year") or ""),
                ]
            table.add_row(*cells)
    out.print(table)
    if result.get("patents") is not None:
        patents = result["patents"]
        listing = Table("申请号 application", "名称 title", "专利权人 patentee", "地区 adcode", "依据 evidence")
        for p in patents[:50]:
            evidence = "; ".join(f"{c['criterion_zh']}: {c['evidence']}" for c in p.get("criteria", []))
            listing.add_row(p["app_number"] or p["app_key"], p["title"] or "", p["first_applicant"] or "",
                            p["adcode"], evidence or p.get("valid_basis", "") or str(p.get("year", "")))  # fmt: skip
        out.print(listing)
        if len(patents) > 50:
            out.print(f"… {len(patents) - 50} more: use --json or --output for the whole list")


@app.command()
def value(
    number: Annotated[str, typer.Argument(help="Application or publication number.")],
    as_of: AsOfOption = None,
    weights: Annotated[
        str | None, typer.Option(help="Override weights, e.g. forward_citations=0.4,claims=0.2.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """A patent's official flags (valid, high-value with evidence) and its open value score with components."""
    from ipnav.value.service import patent_value

    with _warehouse() as wh:
        data = patent_value(wh, settings(), number, as_of=_as_of(as_of), weights=weights)
    if as_json:
        _print_json(data)
        return
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
    table = Table("指标 component", "值 value", "百分位 percentile", "权重 weight")
    for c in v["components"]:
        raw = c["value"]
        table.add_row(
            f"{c['name_zh']} {c['name_en']}",
            "-" if raw is None else f"{raw:g}",
            "-" if c["percentile"] is None else f"{c['percentile']}",
            f"{c['weight']:g}",
        )
    out.print(table)


awards_app = typer.Typer(help="获奖专利清单 the award list (中国专利奖, 国家科学技术奖) used by the high-value flag.")
app.add_typer(awards_app, name="awards")


@awards_app.command("load")
def awards_load(
    path: Annotated[Path, typer.Argument(help="CSV or XLSX with columns 专利号, 奖项, 年份 (number, award, year).")],
    as_json: JsonOption = False,
) -> None:
    """Load (or reload) an award list; bad rows are named and skipped."""
    from ipnav.value import awards

    with _warehouse() as wh:
        data = awards.load(wh, path)
        _value_scores(settings())(wh)  # stored flags follow the award list
    if as_json:
        _print_json(data)
    else:
        out.print(f"{data['loaded']} awards loaded from {path} ({data['in_warehouse']} found in the warehouse)")
        for p in data["problems"]:
            err.print(f"ipnav: {p['file']}: row {p['row']}: {p['field']}: {p['reason']}", highlight=False)
    if data["problems"]:
        raise typer.Exit(3)


@awards_app.command("list")
def awards_list(as_json: JsonOption = False) -> None:
    """The loaded awards."""
    from ipnav.value import awards

    with _warehouse() as wh:
        rows = awards.listing(wh)
    if as_json:
        _print_json(rows)
        return
    table = Table("专利号 number", "奖项 award", "年份 year", "文件 file")
    for r in rows:
        table.add_row(r["number"], r["award"], str(r["year"]), f"{r['source_file']}:{r['row_no']}")
    out.print(table)


user_app = typer.Typer(help="账户 accounts of the web platform: roles admin, analyst, viewer.")
app.add_typer(user_app, name="user")


def _password(confirm: bool = True) -> str:
    """The new password: prompted (twice) on a terminal, else the first line of standard input."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("密码 password", hide_input=True, confirmation_prompt=confirm))


def _accounts() -> Any:
    from ipnav.web.accounts import Accounts

    return Accounts(workspace().create().accounts_path)


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="User name.")],
    role: Annotated[str, typer.Option(help="admin, analyst or viewer.")] = "viewer",
    as_json: JsonOption = False,
) -> None:
    """Add a user; the password comes from the prompt, or from standard input when it is not a terminal."""
    user = _accounts().add(name, role, _password())
    if as_json:
        _print_json({"name": user.name, "role": user.role})
    else:
        out.print(f"user {user.name} added ({user.role})")


@user_app.command("list")
def user_list(as_json: JsonOption = False) -> None:
    """List users and their roles."""
    rows = _accounts().list()
    if as_json:
        _print_json(rows)
        return
    table = Table("用户 name", "角色 role", "语言 language", "创建 created", "改密 password changed", "停用 disabled")
    for r in rows:
        table.add_row(r["name"], r["role"], r["language"], r["created_at"], r["password_changed_at"],
                      "是 yes" if r["disabled"] else "")  # fmt: skip
    out.print(table)


@user_app.command("passwd")
def user_passwd(name: Annotated[str, typer.Argument(help="User name.")]) -> None:
    """Set a user's password (prompt, or standard input when it is not a terminal)."""
    _accounts().passwd(name, _password())
    out.print(f"password of {name} changed; the user's sessions are ended")


@user_app.command("role")
def user_role(
    name: Annotated[str, typer.Argument(help="User name.")],
    role: Annotated[str, typer.Argument(help="admin, analyst or viewer.")],
) -> None:
    """Change a user's role (the user's sessions end: the new rights apply from the next login)."""
    _accounts().set_role(name, role, actor="cli")
    out.print(f"{name} is now {role}; the user's sessions are ended")


@user_app.command("disable")
def user_disable(name: Annotated[str, typer.Argument(help="User name.")]) -> None:
    """Disable a user: no more logins, and every session of the user ends at once."""
    _accounts().set_disabled(name, True, actor="cli")
    out.print(f"{name} disabled")


@user_app.command("enable")
def user_enable(name: Annotated[str, typer.Argument(help="User name.")]) -> None:
    """Enable a disabled user again."""
    _accounts().set_disabled(name, False, actor="cli")
    out.print(f"{name} enabled")


@user_app.command("unlock")
def user_unlock(
    name: Annotated[str, typer.Argument(help="User name.")],
    client: Annotated[str | None, typer.Option(help="Only the lock of this client address.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Lift a login lock-out: forget the failed logins on this name (from every address, or one)."""
    count = _accounts().unlock(name, client=client, actor="cli")
    if as_json:
        _print_json({"name": name, "client": client, "failures_forgotten": count})
    else:
        out.print(f"{name}: {count} failed login(s) forgotten; the lock is lifted")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port.")] = None,
    public: Annotated[bool, typer.Option("--public", help="Allow anonymous read-only access.")] = False,
    workers: Annotated[int | None, typer.Option(help="Server processes (default: setting web_workers, 1).")] = None,
) -> None:
    """Serve the web platform and JSON API (OpenAPI at /docs)."""
    import os

    import uvicorn

    from ipnav.web.app import create_app

    conf = Settings.load(_state["workspace"], host=host, port=port, public=public or None, web_workers=workers)
    Workspace(conf.workspace).create()
    out.print(f"ipnav serving {conf.workspace} on http://{conf.host}:{conf.port}  (API docs: /docs)")
    if conf.web_workers <= 1:
        uvicorn.run(create_app(conf), host=conf.host, port=conf.port, log_level="warning", proxy_headers=False)
        return
    # several processes: each builds the app from the same settings, handed over in the environment
    os.environ.update({"IPNAV_WORKSPACE": str(conf.workspace.resolve()), "IPNAV_PUBLIC": str(conf.public).lower()})
    create_app(conf)  # schema and key exist before the workers start
    uvicorn.run(
        "ipnav.web.app:app_from_environment",
        factory=True,
        host=conf.host,
        port=conf.port,
        workers=conf.web_workers,
        log_level="warning",
        proxy_headers=False,  # X-Forwarded-For only from the proxies named in trusted_proxies (ipnav.web.guards)
    )


@app.command()
def demo(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port.")] = None,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Only build the demo workspace.")] = False,
) -> None:
    """Load the bundled sample (real US and CN records) into the workspace and serve it publicly."""
    from ipnav.ingest.run import ingest as run_ingest

    conf = settings()
    sample = sample_path()
    summary = run_ingest([sample], Workspace(conf.workspace), batch_size=conf.batch_size, workers=conf.workers,
                         after=_value_scores(conf))  # fmt: skip
    out.print(
        f"demo workspace {conf.workspace}: {summary.records} records from {summary.files} sample files "
        f"({summary.inserted} new, {summary.unchanged} unchanged) in {summary.seconds:.1f}s"
    )
    if not no_serve:
        serve(host=host, port=port, public=True)


def _value_scores(conf: Settings) -> Callable[[Any], object]:
    """What an ingest does last: the stored value scores (search sorts by them) and flags, as of today."""
    from ipnav.value.service import refresh

    return lambda wh: refresh(wh, conf)


def sample_path() -> Path:
    """Folder of the bundled demo sample (package data)."""
    from importlib import resources

    return Path(str(resources.files("ipnav") / "sample"))


plan_app = typer.Typer(
    help="规划实施监测 plan monitoring: plans as data, indicators against targets, evaluation reports."
)
app.add_typer(plan_app, name="plan")
PlanArg = Annotated[str, typer.Argument(help="Plan id (ipnav plan list) or a plan file.")]


def _cli_actor() -> str:
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _plan_status(plan: str, as_of: str | None) -> tuple[Any, dict[str, Any]]:
    from ipnav.plan import service

    conf = settings()
    the_plan = service.get(conf, plan)
    with _warehouse() as wh:
        return the_plan, service.status(conf, wh, the_plan, _as_of(as_of))


@plan_app.command("list")
def plan_list(as_json: JsonOption = False) -> None:
    """The plans ipnav knows: the shipped seed plans and the workspace's own."""
    from ipnav.plan import service

    rows = [service.summary(p) for p in service.catalogue(settings()).values()]
    if as_json:
        _print_json(rows)
        return
    table = Table("编号 id", "规划 plan", "地区 region", "规划期 period", "指标", "任务", "责任单位")
    for r in rows:
        table.add_row(
            r["id"],
            r["name"],
            r["region"]["name"],
            f"{r['period']['start']}~{r['period']['end']}",
            str(r["indicators"]),
            str(r["tasks"]),
            str(r["units"]),
        )
    out.print(table)


@plan_app.command("validate")
def plan_validate(
    path: Annotated[Path, typer.Argument(help="Plan file (YAML, see docs/plan-format.md).")],
    as_json: JsonOption = False,
) -> None:
    """Check a plan file against the schema; each problem with its line and reason (exit 3 when invalid)."""
    from ipnav.plan import model

    problems = model.validate_file(path)
    if as_json:
        _print_json({"file": str(path), "valid": not problems, "problems": problems})
    elif problems:
        for p in problems:
            err.print(f"{path}:{p['line']}: {p['path'] or '(top)'}: {p['reason']}", highlight=False, markup=False)
    else:
        plan = model.load_file(path)
        out.print(f"{path}: valid plan {plan.id} ({len(plan.indicators)} indicators, {len(plan.tasks)} tasks)")
    if problems:
        raise typer.Exit(3)


@plan_app.command("add")
def plan_add(path: Annotated[Path, typer.Argument(help="Plan file to check and keep in the workspace.")]) -> None:
    """Add (or replace) a plan of the workspace after checking it."""
    from ipnav.plan import service

    plan = service.add(settings(), path)
    out.print(f"plan {plan.id} added ({len(plan.indicators)} indicators, {len(plan.tasks)} tasks)")


@plan_app.command("status")
def plan_status(
    plan: PlanArg,
    as_of: AsOfOption = None,
    unit: Annotated[str | None, typer.Option(help="Only this responsible unit's tasks and indicators.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Each indicator against its target (expected value, status, forecast), tasks, units and phases."""
    from ipnav.plan import service

    _, data = _plan_status(plan, as_of)
    if unit:
        data = service.for_unit(data, unit)
    if as_json:
        _print_json(data)
        return
    _print_plan_status(data)


def _print_plan_status(data: dict[str, Any]) -> None:
    from ipnav.plan.report import indicator_rows

    plan = data["plan"]
    out.print(
        f"[bold]{plan['name']}[/bold] · {plan['region']['name']} · {plan['period']['start']}~"
        f"{plan['period']['end']} · as of {data['as_of']}",
        highlight=False,
    )
    counts = data["summary"]["indicators"]
    out.print("指标 indicators: " + ", ".join(f"{k} {v}" for k, v in counts.items() if v), highlight=False)
    table = Table("编号 id", "指标 indicator", "目标 target", "最新 latest", "进度", "状态 status")
    for row in indicator_rows(data):
        table.add_row(row[0], f"{row[1]} ({row[2]})", row[5], row[6], row[8], row[9])
    out.print(table)
    tasks = data["summary"]["tasks"]
    out.print(
        f"任务 tasks: {sum(tasks.values())} (done {tasks['done']}, in progress {tasks['in_progress']}, "
        f"not reported {tasks['not_reported']}), overdue {data['summary']['overdue_tasks']}",
        highlight=False,
    )
    units = Table("责任单位 unit", "牵头", "配合", "逾期", "滞后/风险指标", "最差 worst")
    for u in data["units"][:15]:
        s = u["indicator_status"]
        units.add_row(
            u["unit"],
            str(len(u["lead_tasks"])),
            str(len(u["co_tasks"])),
            str(u["overdue"]),
            str(s["off_track"] + s["at_risk"]),
            u["worst"] or "",
        )
    if data["units"]:
        out.print(units)
    for p in data["phases"]:
        out.print(
            f"阶段 {p['name']} {p['start']}~{p['end']} [{p['state']}] tasks {len(p['tasks'])}, open {p['open_tasks']}",
            highlight=False,
        )


@plan_app.command("record")
def plan_record(
    plan: PlanArg,
    indicator: Annotated[str, typer.Argument(help="Indicator id of the plan (a manual one).")],
    value: Annotated[str, typer.Argument(help="The value, in the indicator's unit.")],
    date: Annotated[str, typer.Option("--date", help="Date the value refers to (YYYY-MM-DD).")],
    source: Annotated[str, typer.Option("--source", help="Where the figure comes from (数据来源).")],
    evidence: Annotated[Path | None, typer.Option("--evidence", help="A file backing the figure.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Record the value of a manual indicator (replaces a value of the same date); audited."""
    from ipnav.plan import records, service

    conf = settings()
    the_plan = service.get(conf, plan)
    actor = _cli_actor()
    from ipnav.errors import InputFileError

    kept = None
    if evidence is not None:
        if not evidence.is_file():
            raise InputFileError(str(evidence), "no such evidence file")
        kept = records.store_evidence(workspace().create(), the_plan, evidence.name, evidence.read_bytes())
    with _warehouse() as wh:
        result = records.record(
            wh, the_plan, indicator, value, date, source=source, actor=actor, via="cli", evidence=kept
        )
    _accounts().audit(actor, "plan.record", f"{the_plan.id}/{indicator}", result)
    if as_json:
        _print_json(result)
        return
    replaced = f" (was {result['replaced']:g})" if "replaced" in result else ""
    out.print(f"{the_plan.id} {indicator} = {result['value']:g} on {result['date']}{replaced}", highlight=False)


@plan_app.command("task")
def plan_task(
    plan: PlanArg,
    task: Annotated[str, typer.Argument(help="Task id of the plan (T01 ...).")],
    state: Annotated[
        str, typer.Argument(help="未开始 / 进行中 / 已完成 / 受阻 (not_started, in_progress, done, blocked).")
    ],
    date: Annotated[str, typer.Option("--date", help="Date of the progress report (YYYY-MM-DD).")],
    note: Annotated[str, typer.Option("--note", help="What was done.")] = "",
    as_json: JsonOption = False,
) -> None:
    """Report the progress of a task; audited."""
    from ipnav.plan import records, service

    the_plan = service.get(settings(), plan)
    actor = _cli_actor()
    with _warehouse() as wh:
        result = records.update_task(wh, the_plan, task, state, date, note=note, actor=actor, via="cli")
    _accounts().audit(actor, "plan.task", f"{the_plan.id}/{task}", result)
    if as_json:
        _print_json(result)
    else:
        out.print(f"{the_plan.id} {task}: {result['status']} on {result['date']}", highlight=False)


@plan_app.command("template")
def plan_template(
    plan: PlanArg,
    output: Annotated[Path, typer.Option("--output", "-o", help="The .xlsx to write.")],
    unit: Annotated[str | None, typer.Option(help="Only the rows of this responsible unit.")] = None,
    as_of: AsOfOption = None,
) -> None:
    """Excel fill-in template for responsible units (manual indicators and task progress)."""
    from ipnav.plan import excel

    the_plan, data = _plan_status(plan, as_of)
    excel.template(the_plan, data, output, unit)
    out.print(f"written: {output}")


@plan_app.command("import")
def plan_import(
    plan: PlanArg,
    files: Annotated[list[Path], typer.Argument(help="Filled templates (.xlsx).")],
    as_json: JsonOption = False,
) -> None:
    """Import filled templates: good rows are recorded, each bad cell is named (exit 3 if any)."""
    from ipnav.plan import excel, service

    the_plan = service.get(settings(), plan)
    actor = _cli_actor()
    results = []
    with _warehouse() as wh:
        for path in files:
            results.append(excel.import_file(wh, the_plan, path, actor=actor))
    for r in results:
        _accounts().audit(
            actor,
            "plan.import",
            the_plan.id,
            {k: r[k] for k in ("file", "recorded", "unchanged", "tasks")} | {"problems": len(r["problems"])},
        )
    if as_json:
        _print_json(results)
    else:
        for r in results:
            out.print(
                f"{r['file']}: {r['recorded']} values recorded, {r['unchanged']} unchanged, "
                f"{r['tasks']} task reports, {len(r['problems'])} problems",
                highlight=False,
            )
            for p in r["problems"]:
                err.print(
                    f"ipnav: {p['file']}: {p['sheet']}!{p['cell']} {p['field']}: {p['reason']}",
                    highlight=False,
                    markup=False,
                )
    if any(r["problems"] for r in results):
        raise typer.Exit(3)


@plan_app.command("report")
def plan_report(
    plan: PlanArg,
    fmt: Annotated[str, typer.Option("--format", help="docx, xlsx or pdf.")] = "docx",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write.")] = None,
    as_of: AsOfOption = None,
) -> None:
    """Evaluation report (中期评估报告): overview, indicator table, per-unit assessment, problems, next steps."""
    from ipnav.plan import report

    the_plan, data = _plan_status(plan, as_of)
    target = output or workspace().create().exports_dir / f"{the_plan.id}-评估报告-{data['as_of']}.{fmt}"
    report.write(data, fmt, target)
    out.print(f"written: {target}")


def _warehouse() -> Any:
    from ipnav.store.warehouse import Warehouse

    ws = workspace().create()
    return Warehouse(ws.warehouse_path)


def main() -> None:
    """Console entry point: one clear line per error, tracebacks only with --debug."""
    try:
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except IpnavError as exc:
        if _state["debug"]:
            raise
        sys.stderr.write(f"ipnav: {exc}\n")
        sys.exit(2 if isinstance(exc, UsageError) else 1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err.print("ipnav: interrupted")
        sys.exit(130)
    except Exception as exc:  # click usage errors and unexpected failures: one line unless --debug
        import click
        from typer.core import _click as typer_click  # typer vendors its own click: its errors are not click's

        if isinstance(exc, click.ClickException | typer_click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if _state["debug"]:
            raise
        err.print(
            f"ipnav: unexpected error: {type(exc).__name__}: {exc} (run with --debug for details)",
            style="red",
            highlight=False,
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
