"""Patent navigation (专利导航) commands: analyze, navigate, report, and the thematic databases (topic)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ipnav.analytics.catalog import CATALOG
from ipnav.application.options import AnalysisOptions, SelectionOptions
from ipnav.cli.context import actor, application
from ipnav.cli.options import with_options
from ipnav.cli.output import EngineOption, JsonOption, out, respond, table
from ipnav.cli.root import app
from ipnav.errors import UsageError


@app.command()
@with_options(AnalysisOptions, short={"selection": "-s"})
def analyze(
    kind: Annotated[str, typer.Argument(help="Analysis: " + ", ".join(CATALOG) + ".")],
    as_json: JsonOption = False,
    engine: EngineOption = None,
    *,
    options: AnalysisOptions,
) -> None:
    """One navigation analysis of a selection (table, and its ECharts option with --json)."""

    def show(data: dict[str, Any]) -> None:
        out.print(
            f"[bold]{data['title_zh']} {data['title_en']}[/bold] · {data['selection']} · "
            f"{data['applications']} 件 applications · as of {data['as_of']}"
        )
        rows = data["rows"]
        if rows:
            columns = [c for c in rows[0] if c != "drill"]  # drill-down queries: in --json
            table(columns, [[row[c] for c in columns] for row in rows])

    respond(application(engine=engine).analyze(kind, options), as_json, show)


@app.command()
@with_options(SelectionOptions, short={"selection": "-s"})
def navigate(as_json: JsonOption = False, engine: EngineOption = None, *, options: SelectionOptions) -> None:
    """The full navigation pack of a selection: every analysis with its chart."""

    def show(data: dict[str, Any]) -> None:
        out.print(f"[bold]专利导航 navigation[/bold] · {data['selection']} · {data['applications']} 件 applications")
        for result in data["analyses"].values():
            out.print(f"  {result['title_zh']} ({result['title_en']}): {len(result['rows'])} rows")

    respond(application(engine=engine).navigate(options), as_json, show)


@app.command()
@with_options(SelectionOptions, short={"selection": "-s"})
def report(
    fmt: Annotated[str, typer.Option("--format", "-f", help="xlsx, docx, pdf or html")] = "xlsx",
    out_path: Annotated[Path | None, typer.Option("--out", "-o", help="Output file.")] = None,
    lang: Annotated[
        str, typer.Option("--lang", help="zh (default) or en: the language of table headers, values and charts.")
    ] = "zh",
    as_json: JsonOption = False,
    *,
    options: SelectionOptions,
) -> None:
    """Write a navigation report: Excel (hit list + native charts), Word, PDF or HTML (GB/T 39551 structure)."""
    if lang not in ("zh", "en"):
        raise UsageError(f"--lang {lang!r}: use zh or en")
    data = application().report(options, fmt, out_path, lang=lang)
    respond(
        data,
        as_json,
        f"report written: {data['path']} ({data['applications']} applications, {data['analyses']} analyses)",
    )


topic_app = typer.Typer(
    help="Thematic databases (专题库): create, list, show, add, remove, refresh, delete.", no_args_is_help=True
)
app.add_typer(topic_app, name="topic")


@topic_app.command("create")
def topic_create(
    name: Annotated[str, typer.Argument(help="Name, e.g. 新能源汽车")],
    query: Annotated[str, typer.Option("--query", "-q", help="Search query that defines the topic.")],
    description: Annotated[str, typer.Option("--description", help="What the topic covers.")] = "",
    as_json: JsonOption = False,
) -> None:
    """Create a thematic database from a query."""
    data = application().topic_create(name, query, description, actor=actor())
    respond(data, as_json, f"专题库 {name}: {data['size']} applications")


@topic_app.command("list")
def topic_list(as_json: JsonOption = False) -> None:
    """List thematic databases."""
    respond(
        application().topics(),
        as_json,
        lambda rows: table(
            ["名称 name", "件数 size", "检索式 query", "更新 refreshed"],
            [(r["name"], r["size"], r["query"], r["refreshed_at"][:19]) for r in rows],
        ),
    )


@topic_app.command("show")
def topic_show(name: str, as_json: JsonOption = False) -> None:
    """Show one thematic database and its members."""
    data = application().topic(name)
    respond(
        data, as_json,
        f"专题库 {name}: {data['size']} applications ({data['manual']} added by hand, "
        f"{data['removed']} removed) · query: {data['query']}",
    )  # fmt: skip


@topic_app.command("add")
def topic_add(name: str, numbers: list[str], as_json: JsonOption = False) -> None:
    """Add patents (any number spelling) to a thematic database."""
    data = application().topic_add(name, numbers, actor=actor())
    respond(data, as_json, f"专题库 {name}: {data['size']} applications")


@topic_app.command("remove")
def topic_remove(name: str, numbers: list[str], as_json: JsonOption = False) -> None:
    """Remove patents from a thematic database (refresh will not bring them back)."""
    data = application().topic_remove(name, numbers, actor=actor())
    respond(data, as_json, f"专题库 {name}: {data['size']} applications")


@topic_app.command("refresh")
def topic_refresh(name: str, as_json: JsonOption = False) -> None:
    """Re-run a thematic database's query: report what came in and what went out."""
    data = application().topic_refresh(name, actor=actor())
    respond(
        data, as_json,
        f"专题库 {name}: {data['size']} applications · came in {len(data['came_in'])} · "
        f"went out {len(data['went_out'])}",
    )  # fmt: skip


@topic_app.command("delete")
def topic_delete(name: str, as_json: JsonOption = False) -> None:
    """Delete a thematic database (the patents stay in the warehouse)."""
    respond(application().topic_delete(name, actor=actor()), as_json, f"专题库 {name} deleted")


@topic_app.command("members")
def topic_members(
    name: str,
    page: Annotated[int, typer.Option("--page", min=1, help="Page of 50 members.")] = 1,
    order: Annotated[str, typer.Option("--order", help="added (newest first), filed or number.")] = "added",
    as_json: JsonOption = False,
) -> None:
    """List a thematic database's members page by page: origin, date added, note."""
    data = application().topic_members(name, offset=(page - 1) * 50, limit=50, order=order)
    respond(
        data, as_json,
        lambda d: table(
            ["申请号 number", "名称 title", "申请人 applicant", "来源 origin", "备注 note"],
            [(r["app_number"] or r["app_key"], (r["title"] or "")[:40], r["first_applicant"] or "", r["origin"],
              r["note"] or "") for r in d["rows"]],
            title=f"专题库 {name}: {d['total']} members · page {page} of {max(1, -(-d['total'] // 50))}",
        ),
    )  # fmt: skip


@topic_app.command("note")
def topic_note(name: str, number: str, note: str, as_json: JsonOption = False) -> None:
    """Keep a note on one member of a thematic database (an empty note clears it)."""
    data = application().topic_note(name, number, note, actor=actor())
    respond(data, as_json, f"专题库 {name}: note on {data['app_key']} {'kept' if data['note'] else 'cleared'}")


@topic_app.command("log")
def topic_log(name: str, as_json: JsonOption = False) -> None:
    """A thematic database's change log: each create, refresh, add and remove with what came in and went out."""
    respond(
        application().topic_changes(name),
        as_json,
        lambda rows: table(
            ["时间 at", "操作 action", "用户 actor", "新增 in", "移出 out", "件数 size"],
            [(r["at"][:19], r["action"], r["actor"] or "-", len(r["came_in"] or []), len(r["went_out"] or []),
              r["size"]) for r in rows],
        ),
    )  # fmt: skip
