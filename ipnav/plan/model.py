"""Plans as data: load a plan file (YAML), check it against the JSON Schema and the cross-references,
and give back typed objects.

Every problem is reported with the file, the line and the path of the offending value, e.g.
`changzhou.yaml:42: indicators[3].target.date: '2025-6-30' does not match the date pattern`.
Dates stay strings while the file is checked (the YAML timestamp type is switched off) so the
schema sees exactly what was written.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ipnav.errors import IpnavError

KINDS = ("cumulative", "annual", "level", "growth", "ratio")
KIND_ZH = {"cumulative": "累计", "annual": "年度", "level": "存量/水平", "growth": "年均增长率", "ratio": "比率"}


class PlanError(IpnavError):
    """A plan file breaks the format; `problems` lists every (line, path, reason)."""

    status = 422

    def __init__(self, path: str, problems: list[dict[str, Any]]) -> None:
        lines = [f"{path}:{p['line']}: {p['path'] or '(top)'}: {p['reason']}" for p in problems]
        super().__init__("\n".join(lines) or f"{path}: invalid plan")
        self.path = path
        self.problems = problems


@dataclass(frozen=True)
class Phase:
    """A phase of a plan (启动/推进/总结 ...) with its dates."""

    id: str
    name: str
    start: dt.date
    end: dt.date
    name_en: str = ""
    due: tuple[str, ...] = ()


@dataclass(frozen=True)
class Target:
    """An indicator's target: value (or range), date and direction."""

    date: dt.date
    value: float | None = None
    value_max: float | None = None
    factor: float | None = None
    strict: bool = False


@dataclass(frozen=True)
class Baseline:
    """An indicator's base value and its date."""

    value: float
    date: dt.date
    quote: str = ""
    note: str = ""


@dataclass(frozen=True)
class PlanIndicator:
    """An indicator of a plan: what it measures, its baseline and targets, and how it is computed."""

    id: str
    name: str
    unit: str
    kind: str
    quote: str
    direction: str = "increase"
    name_en: str = ""
    section: str = ""
    baseline: Baseline | None = None
    target: Target | None = None
    metric: dict[str, str] | None = None
    notes: str = ""
    per_year_of: str = ""
    manual_why: str = ""  # why no register computes it (a survey, a revenue figure ...)

    @property
    def manual(self) -> bool:
        """Is the value recorded by hand (no metric computes it)?"""
        return self.metric is None


@dataclass(frozen=True)
class Task:
    """A task of a plan: its lead and co-units, due phase or date, and the indicators it serves."""

    id: str
    title: str
    section: str
    units_text: str | None = None
    lead: str | None = None
    co_units: tuple[str, ...] = ()
    due_phase: str | None = None
    due_date: dt.date | None = None
    indicators: tuple[str, ...] = ()

    @property
    def units(self) -> tuple[str, ...]:
        """Every responsible unit of the task, lead first."""
        return ((self.lead,) if self.lead else ()) + self.co_units


@dataclass(frozen=True)
class Plan:
    """A regional IP plan as data: region, period, indicators, tasks and phases."""

    id: str
    name: str
    issuer: str
    region_adcode: str
    region_name: str
    start: dt.date
    end: dt.date
    source: dict[str, str]
    raw: dict[str, Any] = field(repr=False, compare=False)
    path: str = ""
    name_en: str = ""
    doc_number: str = ""
    issued: dt.date | None = None
    notes: str = ""
    phases: tuple[Phase, ...] = ()
    indicators: tuple[PlanIndicator, ...] = ()
    tasks: tuple[Task, ...] = ()
    reference_figures: tuple[dict[str, Any], ...] = ()
    on_track: float = 0.95
    at_risk: float = 0.75
    stale_days: int = 400

    def indicator(self, ident: str) -> PlanIndicator:
        """An indicator of the plan by id (PlanLookupError naming the ones there are)."""
        for ind in self.indicators:
            if ind.id == ident:
                return ind
        known = ", ".join(i.id for i in self.indicators)
        raise PlanLookupError(f"plan {self.id} has no indicator {ident!r}; it has: {known}")

    def task(self, ident: str) -> Task:
        """A task of the plan by id (PlanLookupError naming the ones there are)."""
        for task in self.tasks:
            if task.id == ident:
                return task
        raise PlanLookupError(f"plan {self.id} has no task {ident!r} (tasks {self.tasks[0].id}…{self.tasks[-1].id})")

    def phase(self, ident: str) -> Phase:
        """A phase of the plan by id."""
        for phase in self.phases:
            if phase.id == ident:
                return phase
        raise PlanLookupError(f"plan {self.id} has no phase {ident!r}")

    def deadline(self, task: Task) -> dt.date:
        """When a task is due: its own date, else the end of its phase, else the end of the plan."""
        if task.due_date:
            return task.due_date
        if task.due_phase:
            return self.phase(task.due_phase).end
        return self.end

    def units(self) -> list[str]:
        """Every responsible unit named by the plan's tasks, in order of appearance."""
        seen: dict[str, None] = {}
        for task in self.tasks:
            for unit in task.units:
                seen.setdefault(unit, None)
        return list(seen)


class PlanLookupError(IpnavError):
    """No such plan, indicator or task (HTTP 404)."""

    status = 404


@cache
def schema() -> dict[str, Any]:
    """The JSON schema plan files are checked against."""
    return json.loads(resources.files("ipnav.plan").joinpath("plan.schema.json").read_text(encoding="utf-8"))


class _Loader(yaml.SafeLoader):
    """SafeLoader without the implicit timestamp type: dates stay the strings that were written."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _line_of(node: yaml.Node | None, path: list[Any]) -> int:
    """1-based line of the value at `path` (the deepest node found)."""
    line = node.start_mark.line + 1 if node is not None else 1
    for key in path:
        if isinstance(node, yaml.MappingNode):
            found = next((v for k, v in node.value if k.value == key), None)
            if found is None:
                break
            node = found
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
        line = node.start_mark.line + 1
    return line


def _path_text(path: list[Any]) -> str:
    out = ""
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


def parse(text: str, name: str = "<plan>") -> tuple[dict[str, Any], yaml.Node | None]:
    """Parse plan YAML; the data and the YAML node tree (for line numbers of problems)."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise PlanError(name, [{"line": line, "path": "", "reason": f"YAML: {exc.problem or exc}"}]) from None
    except yaml.YAMLError as exc:
        raise PlanError(name, [{"line": 1, "path": "", "reason": f"YAML: {exc}"}]) from None
    if not isinstance(data, dict):
        raise PlanError(
            name, [{"line": 1, "path": "", "reason": "a plan file is a mapping (id:, plan:, indicators:, tasks:)"}]
        )
    return data, node


def check(data: dict[str, Any], node: yaml.Node | None = None) -> list[dict[str, Any]]:
    """Every problem of a parsed plan: schema violations, then bad dates and cross-references."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        path = list(error.absolute_path)
        problems.append({"line": _line_of(node, path), "path": _path_text(path), "reason": _reason(error)})
    if problems:
        return problems

    def problem(path: list[Any], reason: str) -> None:
        problems.append({"line": _line_of(node, path), "path": _path_text(path), "reason": reason})

    from ipnav.kpi.indicators import INDICATORS

    plan = data["plan"]
    start, end = plan["period"]["start"], plan["period"]["end"]
    if start >= end:
        problem(["plan", "period", "end"], f"the period ends ({end}) before it starts ({start})")
    phase_ids: set[str] = set()
    for i, phase in enumerate(data.get("phases", [])):
        if phase["id"] in phase_ids:
            problem(["phases", i, "id"], f"phase id {phase['id']!r} is used twice")
        phase_ids.add(phase["id"])
        if phase["start"] > phase["end"]:
            problem(["phases", i, "end"], f"the phase ends ({phase['end']}) before it starts ({phase['start']})")
    indicator_ids: set[str] = set()
    for i, ind in enumerate(data["indicators"]):
        if ind["id"] in indicator_ids:
            problem(["indicators", i, "id"], f"indicator id {ind['id']!r} is used twice")
        indicator_ids.add(ind["id"])
        if "metric" in ind and ind["metric"]["name"] not in INDICATORS:
            problem(
                ["indicators", i, "metric", "name"],
                f"unknown metric {ind['metric']['name']!r}; ipnav computes: {', '.join(INDICATORS)}",
            )
        metric = INDICATORS.get(ind.get("metric", {}).get("name", ""))
        allowed = {"stock": ("level", "ratio", "growth"), "flow": ("cumulative", "annual", "growth")}
        if metric is not None and ind["kind"] not in allowed[metric.kind]:
            problem(
                ["indicators", i, "kind"],
                f"{metric.name} is a {metric.kind} ({'on a date' if metric.kind == 'stock' else 'per year'}); "
                f"use kind {' or '.join(allowed[metric.kind])}",
            )
        target, baseline = ind.get("target"), ind.get("baseline")
        if target and baseline and baseline["date"] >= target["date"]:
            problem(["indicators", i, "target", "date"], "the target date must come after the baseline date")
        if (
            target
            and None not in (target.get("value_max"), target.get("value"))
            and target["value_max"] < target["value"]
        ):
            problem(["indicators", i, "target", "value_max"], "the upper end of the range is below the target")
        if ind["kind"] == "growth" and target and target.get("factor") is not None:
            problem(["indicators", i, "target"], "a growth indicator's target is a rate in percent (value:)")
    task_ids: set[str] = set()
    for i, task in enumerate(data["tasks"]):
        if task["id"] in task_ids:
            problem(["tasks", i, "id"], f"task id {task['id']!r} is used twice")
        task_ids.add(task["id"])
        due = task.get("due", {})
        if "phase" in due and due["phase"] not in phase_ids:
            problem(["tasks", i, "due", "phase"], f"no phase {due['phase']!r} in this plan")
        for j, ref in enumerate(task.get("indicators", [])):
            if ref not in indicator_ids:
                problem(["tasks", i, "indicators", j], f"no indicator {ref!r} in this plan")
        if task.get("units_text") and not task.get("lead"):
            problem(["tasks", i, "lead"], "the plan names units for this task: give the lead unit")
    for i, fig in enumerate(data.get("reference_figures", [])):
        if fig.get("indicator") and fig["indicator"] not in indicator_ids:
            problem(["reference_figures", i, "indicator"], f"no indicator {fig['indicator']!r} in this plan")
    return problems


def _reason(error: Any) -> str:
    if error.validator == "oneOf" and error.schema_path and "indicators" in map(str, error.absolute_path):
        keys = set(error.instance) if isinstance(error.instance, dict) else set()
        if {"metric", "manual"} <= keys:
            return "give either metric: or manual: true, not both"
        if "value" in keys and "factor" in keys:
            return "give the target either as value: or as factor:, not both"
        if "target" in str(error.schema_path):
            return "the target needs value: (or factor: for 翻一番-style targets)"
        return "say how the indicator is measured: metric: {name: …} or manual: true"
    if error.validator == "additionalProperties":
        return f"{error.message} (see docs/plan-format.md)"
    return error.message


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _indicator(ind: dict[str, Any]) -> PlanIndicator:
    """One checked indicator entry -> PlanIndicator."""
    base, target = ind.get("baseline"), ind.get("target")
    return PlanIndicator(
        id=ind["id"],
        name=ind["name"],
        unit=ind["unit"],
        kind=ind["kind"],
        quote=ind["quote"],
        direction=ind.get("direction", "increase"),
        name_en=ind.get("name_en", ""),
        section=ind.get("section", ""),
        notes=ind.get("notes", ""),
        per_year_of=ind.get("per_year_of", ""),
        baseline=Baseline(
            base["value"], dt.date.fromisoformat(base["date"]), base.get("quote", ""), base.get("note", "")
        )
        if base
        else None,
        target=Target(
            dt.date.fromisoformat(target["date"]),
            target.get("value"),
            target.get("value_max"),
            target.get("factor"),
            bool(target.get("strict", False)),
        )
        if target
        else None,
        metric=dict(ind["metric"]) if "metric" in ind else None,
        manual_why=ind.get("manual_why", ""),
    )


def build(data: dict[str, Any], path: str = "") -> Plan:
    """Typed plan from checked data."""
    plan = data["plan"]
    assessment = data.get("assessment", {})
    indicators = [_indicator(ind) for ind in data["indicators"]]
    tasks = [
        Task(
            id=t["id"],
            title=t["title"],
            section=t["section"],
            units_text=t.get("units_text"),
            lead=t.get("lead"),
            co_units=tuple(t.get("co_units", [])),
            due_phase=t.get("due", {}).get("phase"),
            due_date=_date(t.get("due", {}).get("date")),
            indicators=tuple(t.get("indicators", [])),
        )
        for t in data["tasks"]
    ]
    phases = [
        Phase(
            p["id"],
            p["name"],
            dt.date.fromisoformat(p["start"]),
            dt.date.fromisoformat(p["end"]),
            p.get("name_en", ""),
            tuple(p.get("due", [])),
        )
        for p in data.get("phases", [])
    ]
    return Plan(
        id=data["id"],
        name=plan["name"],
        issuer=plan["issuer"],
        region_adcode=plan["region"]["adcode"],
        region_name=plan["region"]["name"],
        start=dt.date.fromisoformat(plan["period"]["start"]),
        end=dt.date.fromisoformat(plan["period"]["end"]),
        source=dict(plan["source"]),
        raw=data,
        path=path,
        name_en=plan.get("name_en", ""),
        doc_number=plan.get("doc_number", ""),
        issued=_date(plan.get("issued")),
        notes=plan.get("notes", ""),
        phases=tuple(phases),
        indicators=tuple(indicators),
        tasks=tuple(tasks),
        reference_figures=tuple(data.get("reference_figures", [])),
        on_track=assessment.get("on_track", 0.95),
        at_risk=assessment.get("at_risk", 0.75),
        stale_days=assessment.get("stale_days", 400),
    )


def load_text(text: str, name: str = "<plan>") -> Plan:
    """A plan from YAML text, checked (PlanError listing each problem)."""
    data, node = parse(text, name)
    problems = check(data, node)
    if problems:
        raise PlanError(name, problems)
    return build(data, name)


def load_file(path: Path) -> Plan:
    """A plan from a file, checked."""
    if not path.is_file():
        from ipnav.errors import InputFileError

        raise InputFileError(str(path), "no such plan file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PlanError(str(path), [{"line": 1, "path": "", "reason": "not UTF-8 text"}]) from None
    return load_text(text, str(path))


def validate_file(path: Path) -> list[dict[str, Any]]:
    """The problems of a plan file (empty when it is valid)."""
    try:
        load_file(path)
    except PlanError as exc:
        return exc.problems
    return []
