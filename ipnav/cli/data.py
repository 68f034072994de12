"""Commands that load and look at the data: init, reference, ingest, rejects, stats, show, export,
reindex and the award list."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ipnav.cli.context import application
from ipnav.cli.output import JsonOption, err, out, problems, respond, table
from ipnav.cli.root import app
from ipnav.model import Reject


@app.command()
def init() -> None:
    """Create the workspace folder and an empty warehouse."""
    ipnav = application(create=True)
    tables = ipnav.init()
    out.print(f"workspace ready: {ipnav.workspace.root.resolve()} ({len(tables)} reference tables)")


@app.command()
def reference(as_json: JsonOption = False) -> None:
    """Reference tables in the warehouse (IPC/CPC titles, adcodes, population, SEI concordance ...)."""

    def show(tables: dict[str, int]) -> None:
        table(["表 table", "行数 rows"], tables.items())
        out.print("provenance: ipnav/reference/data/PROVENANCE.md")

    respond(application(create=True).reference(), as_json, show)


def _progress_bar(ipnav: Any, paths: list[Path]) -> Any:
    """A rich progress bar over the bytes to read, and the callback that advances it."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn("[bold]导入 ingest"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
        TextColumn("{task.description}"), console=err, transient=True,
    )  # fmt: skip
    task = bar.add_task("", total=ipnav.input_size(paths))

    def progress(done: int, name: str) -> None:
        bar.update(task, advance=done, description=Path(name.split("!")[-1]).name[:40])

    return bar, progress


LakeOption = Annotated[
    Path | None,
    typer.Option("--lake", help="Also write every table as a Hive-partitioned Parquet lake in this folder (Spark)."),
]


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
            help="Update the search index now (default) or leave it to `ipnav reindex` (faster bulk loads).",
        ),
    ] = True,
    lake: LakeOption = None,
) -> None:
    """Load patent data (USPTO, CNIPA, EPO, WIPO XML; CSV/XLSX/SQL exports) into the warehouse. Idempotent."""
    options: dict[str, Any] = {"header_map": header_map, "workers": workers, "batch_size": batch_size, "index": index}
    run_ingest(paths, as_json, options, lake)


def run_ingest(
    paths: list[Path], as_json: bool, options: dict[str, Any], lake: Path | None, *, spark: bool = False
) -> None:
    """An ingest with its progress bar, summary and lake (`ipnav ingest`; `ipnav spark ingest` parses in
    Spark tasks)."""
    ipnav = application(create=True)
    file_problems: list[str] = []

    def on_reject(reject: Reject) -> None:
        if reject.position == 0:  # a whole file: tell the user now, in one line
            file_problems.append(f"{reject.source_file}: {reject.reason}")

    options = {**options, "on_reject": on_reject}
    if spark:
        options["parse"] = ipnav.spark_parser(options.get("header_map"))
    if sys.stderr.isatty() and not as_json:
        bar, progress = _progress_bar(ipnav, paths)
        with bar:
            summary = ipnav.ingest(paths, progress=progress, **options)
    else:
        summary = ipnav.ingest(paths, **options)
    data = summary.as_dict()
    keys = ("files", "records", "inserted", "updated", "unchanged", "rejected", "seconds", "linked", "regions")

    def show(_: Any) -> None:
        problems(file_problems)
        out.print(
            f"文件 files {summary.files} · 记录 records {summary.records} · 新增 inserted {summary.inserted} · "
            f"更新 updated {summary.updated} · 未变 unchanged {summary.unchanged} · "
            f"拒收 rejected {summary.rejected} · {summary.seconds:.1f}s"
        )
        problems(summary.regions.get("problems", []))
        if summary.rejected:
            out.print("see `ipnav rejects` for the file, record, field and reason of each reject")

    result = {k: data[k] for k in keys}
    if lake is not None:  # the lake written from the warehouse as this ingest left it
        result["lake"] = ipnav.lake_export(lake)
    respond(result, as_json, show)
    if lake is not None and not as_json:
        _show_lake(result["lake"])
    if summary.rejected:
        raise typer.Exit(3)


@app.command()
def formats(as_json: JsonOption = False) -> None:
    """The source formats ipnav reads (XML by root element, tables by headers) and the records they give."""
    respond(
        application(check=False).formats(),
        as_json,
        lambda rows: table(
            ["格式 format", "记录类型 record kind", "识别依据 recognised by"],
            [(r["name"], r["record_kind"], r["recognised_by"]) for r in rows],
        ),
    )


@app.command()
def rejects(
    as_json: JsonOption = False,
    limit: Annotated[int | None, typer.Option(help="Show at most this many.")] = None,
    run: Annotated[int | None, typer.Option(help="Only rejects of this ingest run.")] = None,
) -> None:
    """List rejected records: file, record position, field and reason (raw bytes kept in the workspace)."""

    def show(rows: list[dict[str, Any]]) -> None:
        if not rows:
            out.print("no rejects / 无拒收记录")
            return
        table(
            ["文件 file", "记录 record", "行 line", "字段 field", "原因 reason"],
            [(r["source_file"], r["position"] or "(file)", r["line"] or "", r["field"], r["reason"]) for r in rows],
        )

    respond(application().rejects(limit=limit, run=run), as_json, show)


@app.command()
def regions(
    apply: Annotated[
        bool, typer.Option("--apply", help="Infer the regions again, after editing applicant_regions.csv")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Where applicants' regions come from: the record's address, your table WORKSPACE/applicant_regions.csv
    (applicant, address or adcode), the applicant's other records, a place in its name; and how many have none."""

    def show(data: dict[str, Any]) -> None:
        zh = data["basis_zh"]
        table(
            ["依据 basis", "说明", "申请 applications", "申请人 applicants"],
            [(b, zh[b], n, data["applicants"].get(b, 0)) for b, n in data["applications"].items()],
        )
        info = data["table"]
        state = "未建立 not present" if not info["exists"] else (
            "已修改，请运行 `ipnav regions --apply` / changed since applied" if info["changed_since_applied"]
            else "已应用 applied")  # fmt: skip
        out.print(f"对照表 table: {info['path']} ({state})")
        if "changed" in data:
            out.print(f"地区有变化的申请 applications whose region changed: {data['changed']}")
        problems(info["problems"])

    respond(application().regions(apply=apply), as_json, show)


@app.command()
def stats(as_json: JsonOption = False) -> None:
    """Counts by source format, country, patent type, filing year and legal status; rejects."""

    def show(data: dict[str, Any]) -> None:
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
            ("by_region_basis", "地区依据 region basis"),
        ):
            table([title, "数量 count"], [(name or "-", n) for name, n in data[key].items()])

    respond(application().stats(), as_json, show)


def _show_patent(data: dict[str, Any]) -> None:
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
def show(
    number: Annotated[str, typer.Argument(help="Application or publication number, any spelling.")],
    as_json: JsonOption = False,
) -> None:
    """Show one patent record in full."""
    respond(application().show(number), as_json, _show_patent)


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="parquet, csv or xlsx")] = "xlsx",
    out_path: Annotated[Path | None, typer.Option("--out", "-o", help="Output file.")] = None,
    lake: LakeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Export one row per application to parquet, csv (UTF-8 with BOM) or xlsx; or, with --lake, the whole
    warehouse as a Parquet lake with its manifest."""
    if lake is not None:
        data = _write_lake(lake, as_json)
        respond(data, as_json, _show_lake)
        return
    data = application().export(fmt, out_path)
    respond(data, as_json, f"exported {data['rows']} rows to {data['path']}")


def _write_lake(lake: Path, as_json: bool) -> dict[str, Any]:
    """The lake written, with a progress bar by table on a terminal."""
    ipnav = application()
    if not sys.stderr.isatty() or as_json:
        return ipnav.lake_export(lake)
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task("湖 lake", total=None)

        def progress(name: str, done: int, total: int) -> None:
            bar.update(task, description=f"湖 lake · {name}", completed=done, total=total)

        return ipnav.lake_export(lake, progress=progress)


def _show_lake(data: dict[str, Any]) -> None:
    out.print(
        f"湖 lake {data['path']}: {data['tables']} tables · {data['rows']} rows · {data['files']} files · "
        f"{data['bytes'] / 1e6:.1f} MB · {data['seconds']}s"
    )
    rows = [[name, t["rows"], t["partitions"], t["hash"]] for name, t in data["by_table"].items() if t["rows"]]
    table(["table", "rows", "partitions", "content hash"], rows)


@app.command()
def reindex(
    as_json: JsonOption = False,
    shards: Annotated[
        int | None,
        typer.Option(
            "--shards", min=0, help="Split the patent index into this many hash shards per office (0: one index)."
        ),
    ] = None,
) -> None:
    """Rebuild the search index from the warehouse."""
    data = application().reindex(shards)
    respond(data, as_json, f"indexed {data['indexed']} applications in {data['seconds']:.1f}s")


awards_app = typer.Typer(help="获奖专利清单 the award list (中国专利奖, 国家科学技术奖) used by the high-value flag.")
app.add_typer(awards_app, name="awards")


@awards_app.command("load")
def awards_load(
    path: Annotated[Path, typer.Argument(help="CSV or XLSX with columns 专利号, 奖项, 年份 (number, award, year).")],
    as_json: JsonOption = False,
) -> None:
    """Load (or reload) an award list; bad rows are named and skipped."""
    data = application(create=True).awards_load(path)

    def show(_: Any) -> None:
        out.print(f"{data['loaded']} awards loaded from {path} ({data['in_warehouse']} found in the warehouse)")
        problems(f"{p['file']}: row {p['row']}: {p['field']}: {p['reason']}" for p in data["problems"])

    respond(data, as_json, show)
    if data["problems"]:
        raise typer.Exit(3)


@awards_app.command("list")
def awards_list(as_json: JsonOption = False) -> None:
    """The loaded awards."""
    respond(
        application().awards(),
        as_json,
        lambda rows: table(
            ["专利号 number", "奖项 award", "年份 year", "文件 file"],
            [(r["number"], r["award"], r["year"], f"{r['source_file']}:{r['row_no']}") for r in rows],
        ),
    )


lake_app = typer.Typer(help="湖 the Parquet lake: the warehouse as Hive-partitioned Parquet, for DuckDB and Spark.")
app.add_typer(lake_app, name="lake")


@lake_app.command("show")
def lake_show(
    path: Annotated[Path | None, typer.Argument(help="The lake folder (default: the workspace's lake).")] = None,
    as_json: JsonOption = False,
) -> None:
    """What a lake holds: who wrote it, when, and each table's rows, partitions and content hash."""

    def show(data: dict[str, Any]) -> None:
        out.print(f"湖 lake {data['path']} · written by {data['written_by']} at {data['written_at']}")
        rows = [[name, t["rows"], t["partitions"], t["hash"]] for name, t in data["tables"].items()]
        table(["table", "rows", "partitions", "content hash"], rows)

    respond(application().lake_show(path), as_json, show)
