"""Plan monitoring commands (`ipnav plan ...`): plans as data, indicators against targets, evaluation reports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ipnav.cli.context import actor, application
from ipnav.cli.context import as_of as parse_as_of
from ipnav.cli.output import JsonOption, err, out, problems, respond, table
from ipnav.cli.root import app
from ipnav.errors import InputFileError

plan_app = typer.Typer(
    help="规划实施监测 plan monitoring: plans as data, indicators against targets, evaluation reports."
)
app.add_typer(plan_app, name="plan")
PlanArg = Annotated[str, typer.Argument(help="Plan id (ipnav plan list) or a plan file.")]
AsOfOption = Annotated[str | None, typer.Option("--as-of", help="Date the figures are as of (default today).")]


def _status(plan: str, as_of: str | None, unit: str | None = None) -> tuple[Any, Any, dict[str, Any]]:
    ipnav = application()
    the_plan = ipnav.plan(plan)
    return ipnav, the_plan, ipnav.plan_status(the_plan, parse_as_of(as_of), unit=unit)


@plan_app.command("list")
def plan_list(as_json: JsonOption = False) -> None:
    """The plans ipnav knows: the shipped seed plans and the workspace's own."""
    respond(
        application(check=False).plans(),
        as_json,
        lambda rows: table(
            ["编号 id", "规划 plan", "地区 region", "规划期 period", "指标", "任务", "责任单位"],
            [(r["id"], r["name"], r["region"]["name"], f"{r['period']['start']}~{r['period']['end']}",
              r["indicators"], r["tasks"], r["units"]) for r in rows],
        ),
    )  # fmt: skip


@plan_app.command("validate")
def plan_validate(
    path: Annotated[Path, typer.Argument(help="Plan file (YAML, see docs/plan-format.md).")],
    as_json: JsonOption = False,
) -> None:
    """Check a plan file against the schema; each problem with its line and reason (exit 3 when invalid)."""
    plan, found = application(check=False).plan_check(path)

    def show(_: Any) -> None:
        for p in found:
            err.print(f"{path}:{p['line']}: {p['path'] or '(top)'}: {p['reason']}", highlight=False, markup=False)
        if plan is not None:
            out.print(f"{path}: valid plan {plan.id} ({len(plan.indicators)} indicators, {len(plan.tasks)} tasks)")

    respond({"file": str(path), "valid": not found, "problems": found}, as_json, show)
    if found:
        raise typer.Exit(3)


@plan_app.command("add")
def plan_add(path: Annotated[Path, typer.Argument(help="Plan file to check and keep in the workspace.")]) -> None:
    """Add (or replace) a plan of the workspace after checking it."""
    plan = application(create=True).plan_add(path)
    out.print(f"plan {plan.id} added ({len(plan.indicators)} indicators, {len(plan.tasks)} tasks)")


@plan_app.command("status")
def plan_status(
    plan: PlanArg,
    as_of: AsOfOption = None,
    unit: Annotated[str | None, typer.Option(help="Only this responsible unit's tasks and indicators.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Each indicator against its target (expected value, status, forecast), tasks, units and phases."""
    respond(_status(plan, as_of, unit)[2], as_json, _print_plan_status)


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
    grid = Table("编号 id", "指标 indicator", "目标 target", "最新 latest", "进度", "状态 status")
    for row in indicator_rows(data):
        grid.add_row(row[0], f"{row[1]} ({row[2]})", row[5], row[6], row[8], row[9])
    out.print(grid)
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
    ipnav = application()
    the_plan = ipnav.plan(plan)
    if evidence is not None and not evidence.is_file():
        raise InputFileError(str(evidence), "no such evidence file")
    result = ipnav.plan_record(
        the_plan, indicator, value, date, source=source, actor=actor(), via="cli",
        evidence=None if evidence is None else (evidence.name, evidence.read_bytes()),
    )  # fmt: skip
    replaced = f" (was {result['replaced']:g})" if "replaced" in result else ""
    respond(result, as_json, f"{the_plan.id} {indicator} = {result['value']:g} on {result['date']}{replaced}")


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
    ipnav = application()
    the_plan = ipnav.plan(plan)
    result = ipnav.plan_task(the_plan, task, state, date, note=note, actor=actor(), via="cli")
    respond(result, as_json, f"{the_plan.id} {task}: {result['status']} on {result['date']}")


@plan_app.command("template")
def plan_template(
    plan: PlanArg,
    output: Annotated[Path, typer.Option("--output", "-o", help="The .xlsx to write.")],
    unit: Annotated[str | None, typer.Option(help="Only the rows of this responsible unit.")] = None,
    as_of: AsOfOption = None,
) -> None:
    """Excel fill-in template for responsible units (manual indicators and task progress)."""
    ipnav, the_plan, data = _status(plan, as_of)
    ipnav.plan_template(data, the_plan, output, unit)
    out.print(f"written: {output}")


@plan_app.command("import")
def plan_import(
    plan: PlanArg,
    files: Annotated[list[Path], typer.Argument(help="Filled templates (.xlsx).")],
    as_json: JsonOption = False,
) -> None:
    """Import filled templates: good rows are recorded, each bad cell is named (exit 3 if any)."""
    ipnav = application()
    the_plan = ipnav.plan(plan)
    results = [ipnav.plan_import(the_plan, path, actor=actor()) for path in files]

    def show(_: Any) -> None:
        for r in results:
            out.print(
                f"{r['file']}: {r['recorded']} values recorded, {r['unchanged']} unchanged, "
                f"{r['tasks']} task reports, {len(r['problems'])} problems",
                highlight=False,
            )
            problems(f"{p['file']}: {p['sheet']}!{p['cell']} {p['field']}: {p['reason']}" for p in r["problems"])

    respond(results, as_json, show)
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
    ipnav, _, data = _status(plan, as_of)
    out.print(f"written: {ipnav.plan_report(data, fmt, output)}")
