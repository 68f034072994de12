"""Plan monitoring: find plans, gather each indicator's observations (computed from the warehouse or
recorded), assess them, and roll the result up per responsible unit and per phase.

The CLI (`ipnav plan ...`), the web API and the pages all call `status()`.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Any

from ipnav.config import Settings
from ipnav.errors import UsageError
from ipnav.plan import records
from ipnav.plan.assess import SEVERITY, STATUSES, Observation, Rules, assess
from ipnav.plan.model import KIND_ZH, Plan, PlanIndicator, PlanLookupError, load_file
from ipnav.store.warehouse import Warehouse

NO_UNIT = "未明确责任单位 / no unit named"
TASK_STATES = ("done", "in_progress", "blocked", "not_started", "not_reported")
TASK_STATE_ZH = {**records.TASK_STATUS_ZH, "not_reported": "未报告"}


def shipped_dir() -> Path:
    """Folder of the seed plans shipped with ipnav."""
    return Path(str(resources.files("ipnav.plan").joinpath("plans")))


def workspace_dir(settings: Settings) -> Path:
    """Folder of the workspace's own plans."""
    return settings.workspace / "plans"


_LOADED: dict[Path, tuple[tuple[int, int], Plan]] = {}  # plan file -> ((mtime, size), plan)


def _load(path: Path) -> Plan:
    """A plan file, parsed and checked again only when it changed (checking one costs ~20 ms)."""
    stat = path.stat()
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _LOADED.get(path)
    if cached is None or cached[0] != key:
        cached = (key, load_file(path))
        _LOADED[path] = cached
    return cached[1]


def catalogue(settings: Settings) -> dict[str, Plan]:
    """Every plan by id: the shipped ones, then the workspace's (a workspace plan replaces a shipped one)."""
    plans: dict[str, Plan] = {}
    for folder in (shipped_dir(), workspace_dir(settings)):
        if folder.is_dir():
            for path in sorted(folder.glob("*.y*ml")):
                plan = _load(path)
                plans[plan.id] = plan
    return plans


def get(settings: Settings, ref: str, *, files: bool = True) -> Plan:
    """A plan by id, or (when `files`, i.e. on the command line) from a plan file path."""
    path = Path(ref)
    if files and (ref.endswith((".yaml", ".yml")) or path.is_file()):
        return load_file(path)
    plans = catalogue(settings)
    if ref not in plans:
        hint = " (or give a plan file)" if files else ""
        raise PlanLookupError(f"no plan {ref!r}; known plans: {', '.join(sorted(plans))}{hint}")
    return plans[ref]


def add(settings: Settings, path: Path) -> Plan:
    """Check a plan file and keep a copy in the workspace (WORKSPACE/plans/ID.yaml)."""
    plan = load_file(path)
    folder = workspace_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{plan.id}.yaml").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return plan


def summary(plan: Plan) -> dict[str, Any]:
    """A plan in one row: id, name, region, period and counts."""
    return {
        "id": plan.id,
        "name": plan.name,
        "name_en": plan.name_en,
        "issuer": plan.issuer,
        "doc_number": plan.doc_number,
        "issued": plan.issued.isoformat() if plan.issued else None,
        "region": {"adcode": plan.region_adcode, "name": plan.region_name},
        "period": {"start": plan.start.isoformat(), "end": plan.end.isoformat()},
        "source": plan.source,
        "notes": plan.notes,
        "indicators": len(plan.indicators),
        "computed": sum(1 for i in plan.indicators if not i.manual),
        "tasks": len(plan.tasks),
        "units": len(plan.units()),
        "phases": len(plan.phases),
    }


# --- observations -------------------------------------------------------------------------------------


def _year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def metric_observations(
    settings: Settings, warehouse: Warehouse, plan: Plan, indicator: PlanIndicator, as_of: dt.date
) -> tuple[list[Observation], Observation | None]:
    """Values computed by the indicator functions (`ipnav indicator`), and the computed baseline."""
    from ipnav.kpi import indicators as kpi

    metric = indicator.metric or {}
    spec = kpi.INDICATORS[metric["name"]]
    region = metric.get("region") or plan.region_adcode
    base_date = indicator.baseline.date if indicator.baseline else plan.start - dt.timedelta(days=1)

    def compute(date: dt.date, **options: Any) -> dict[str, Any]:
        request = kpi.make_request(
            settings,
            spec.name,
            as_of=date,
            counting=metric.get("counting"),
            region=region,
            population=metric.get("population"),
            **options,
        )
        return kpi.compute(warehouse, request)

    obs: list[Observation] = []
    computed_base: Observation | None = None
    if spec.kind == "stock":
        dates = {as_of}
        if base_date < as_of:
            dates.add(base_date)
            dates.update(_year_end(y) for y in range(base_date.year, as_of.year) if base_date < _year_end(y) < as_of)
        for date in sorted(dates):
            value = compute(date)["total"].get("value")
            if value is None:
                continue
            ob = Observation(date, float(value), "computed")
            obs.append(ob)
            if date == base_date:
                computed_base = ob
        return obs, computed_base
    first = min(base_date.year, plan.start.year)
    if first > as_of.year:
        return [], None
    series = compute(as_of, years=f"{first}-{as_of.year}")["total"]["series"]
    if indicator.kind == "cumulative":
        running = 0.0
        for point in series:
            if point["year"] < plan.start.year:
                continue
            running += float(point["value"])
            date = min(_year_end(point["year"]), as_of)
            obs.append(
                Observation(date, running, "computed", "" if date.month == 12 and date.day == 31 else "至统计日")
            )
        return obs, None
    for point in series:
        end = _year_end(point["year"])
        partial = end > as_of
        ob = Observation(
            min(end, as_of),
            float(point["value"]),
            "computed",
            f"{point['year']}年(截至统计日)" if partial else f"{point['year']}年",
            partial,
        )
        obs.append(ob)
        if end == base_date or (not indicator.baseline and point["year"] == base_date.year and not partial):
            computed_base = ob
    return obs, computed_base


def _recorded(rows: list[dict[str, Any]], indicator_id: str) -> list[Observation]:
    return [
        Observation(r["date"], float(r["value"]), "recorded", r["source"] or "")
        for r in rows
        if r["indicator"] == indicator_id
    ]


# --- status -------------------------------------------------------------------------------------------


def signature(warehouse: Warehouse, plan: Plan) -> tuple[object, ...]:
    """What a status depends on besides the plan and the date: ingests, the award list, the plan's records.

    Equal signatures give equal statuses, so a server can keep computed statuses (`status_cached`).
    """
    con = warehouse.con
    runs = con.execute(
        "SELECT (SELECT max(run_id) FROM ingest_runs), (SELECT count(*) FROM ingest_runs), "
        "(SELECT count(*) FROM awards), (SELECT sum(hash(key || award || year)) FROM awards)"
    ).fetchall()[0]
    mine = records.signature(con, plan.id)
    return (plan.id, hash(repr(plan.raw)), *runs, *mine)


_CACHE: dict[tuple[object, ...], dict[str, Any]] = {}


def status_cached(settings: Settings, warehouse: Warehouse, plan: Plan, as_of: dt.date | None = None) -> dict[str, Any]:
    """`status`, kept in memory per (signature, date, settings) for the web pages (at most 64 entries)."""
    as_of = as_of or dt.date.today()
    key = (*signature(warehouse, plan), as_of, settings.model_dump_json())
    if key not in _CACHE:
        if len(_CACHE) >= 64:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = status(settings, warehouse, plan, as_of)
    return _CACHE[key]


def status(settings: Settings, warehouse: Warehouse, plan: Plan, as_of: dt.date | None = None) -> dict[str, Any]:
    """The whole assessment of a plan as of a date."""
    as_of = as_of or dt.date.today()
    if as_of.year < 1980:
        raise UsageError(f"--as-of {as_of}: too early")
    rules = Rules(plan.on_track, plan.at_risk, plan.stale_days)
    recorded = records.values(warehouse.con, plan.id)
    linked: dict[str, list[str]] = {}
    for task in plan.tasks:
        for ref in task.indicators:
            linked.setdefault(ref, [])
            for unit in task.units or (NO_UNIT,):
                if unit not in linked[ref]:
                    linked[ref].append(unit)
    indicators = []
    for ind in plan.indicators:
        if ind.manual:
            obs, computed_base = _recorded(recorded, ind.id), None
        else:
            obs, computed_base = metric_observations(settings, warehouse, plan, ind, as_of)
        result = assess(ind, obs, as_of, period_start=plan.start, rules=rules, computed_baseline=computed_base)
        indicators.append({**_describe(ind), "units": linked.get(ind.id, []), **result})
    by_id = {i["id"]: i for i in indicators}
    tasks = _tasks(plan, records.task_updates(warehouse.con, plan.id), as_of)
    return {
        "plan": summary(plan),
        "as_of": as_of.isoformat(),
        "rules": {"on_track": rules.on_track, "at_risk": rules.at_risk, "stale_days": rules.stale_days},
        "summary": {
            "indicators": {s: sum(1 for i in indicators if i["status"] == s) for s in STATUSES},
            "tasks": {s: sum(1 for t in tasks if t["status"] == s) for s in TASK_STATES},
            "overdue_tasks": sum(1 for t in tasks if t["overdue"]),
        },
        "indicators": indicators,
        "tasks": tasks,
        "units": _units(plan, tasks, by_id),
        "phases": _phases(plan, tasks, indicators, as_of),
        "reference_figures": list(plan.reference_figures),
        "records": [{**r, "date": r["date"].isoformat(), "recorded_at": str(r["recorded_at"])[:19]} for r in recorded],
    }


def _describe(ind: PlanIndicator) -> dict[str, Any]:
    return {
        "id": ind.id,
        "name": ind.name,
        "name_en": ind.name_en,
        "unit": ind.unit,
        "kind": ind.kind,
        "kind_zh": KIND_ZH[ind.kind],
        "direction": ind.direction,
        "section": ind.section,
        "quote": ind.quote,
        "manual": ind.manual,
        "metric": ind.metric,
        "manual_why": ind.manual_why,
        "per_year_of": ind.per_year_of,
        "notes": ind.notes,
    }


def _tasks(plan: Plan, updates: list[dict[str, Any]], as_of: dt.date) -> list[dict[str, Any]]:
    latest: dict[str, dict[str, Any]] = {}
    for update in updates:
        if update["date"] <= as_of:
            latest[update["task"]] = update  # ordered by date: the last one wins
    out = []
    for task in plan.tasks:
        deadline = plan.deadline(task)
        last = latest.get(task.id)
        state = last["status"] if last else "not_reported"
        out.append(
            {
                "id": task.id,
                "title": task.title,
                "section": task.section,
                "units_text": task.units_text,
                "lead": task.lead,
                "co_units": list(task.co_units),
                "units": list(task.units) or [NO_UNIT],
                "phase": task.due_phase,
                "deadline": deadline.isoformat(),
                "indicators": list(task.indicators),
                "status": state,
                "status_zh": TASK_STATE_ZH[state],
                "status_date": last["date"].isoformat() if last else None,
                "note": last["note"] if last else "",
                "overdue": deadline < as_of and state != "done",
            }
        )
    return out


def _units(plan: Plan, tasks: list[dict[str, Any]], indicators: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    units: dict[str, dict[str, Any]] = {}
    for task in tasks:
        for unit in task["units"]:
            entry = units.setdefault(unit, {"unit": unit, "lead_tasks": [], "co_tasks": [], "indicators": []})
            (entry["lead_tasks"] if unit == (task["lead"] or NO_UNIT) else entry["co_tasks"]).append(task["id"])
            for ref in task["indicators"]:
                if ref not in entry["indicators"]:
                    entry["indicators"].append(ref)
    by_task = {t["id"]: t for t in tasks}
    out = []
    for entry in units.values():
        own = [by_task[t] for t in entry["lead_tasks"] + entry["co_tasks"]]
        statuses = [indicators[i]["status"] for i in entry["indicators"]]
        entry["task_status"] = {s: sum(1 for t in own if t["status"] == s) for s in TASK_STATES}
        entry["overdue"] = sum(1 for t in own if t["overdue"])
        entry["indicator_status"] = {s: statuses.count(s) for s in STATUSES}
        entry["behind"] = entry["overdue"] + statuses.count("off_track") + statuses.count("at_risk")
        entry["worst"] = min(statuses, key=SEVERITY.__getitem__) if statuses else None
        out.append(entry)
    out.sort(key=lambda e: (-e["behind"], -len(e["lead_tasks"]), e["unit"]))
    return out


def _phases(
    plan: Plan, tasks: list[dict[str, Any]], indicators: list[dict[str, Any]], as_of: dt.date
) -> list[dict[str, Any]]:
    out = []
    for phase in plan.phases:
        state = "done" if phase.end < as_of else ("current" if phase.start <= as_of else "upcoming")
        due_tasks = [
            t["id"]
            for t in tasks
            if t["phase"] == phase.id
            or (not t["phase"] and phase.start.isoformat() <= t["deadline"] <= phase.end.isoformat())
        ]
        due_indicators = [
            i["id"]
            for i in indicators
            if i["target"] and phase.start.isoformat() <= i["target"]["date"] <= phase.end.isoformat()
        ]
        out.append(
            {
                "id": phase.id,
                "name": phase.name,
                "name_en": phase.name_en,
                "start": phase.start.isoformat(),
                "end": phase.end.isoformat(),
                "state": state,
                "due": list(phase.due),
                "tasks": due_tasks,
                "indicators": due_indicators,
                "open_tasks": sum(1 for t in tasks if t["id"] in due_tasks and t["status"] != "done"),
            }
        )
    return out


def for_unit(status: dict[str, Any], unit: str) -> dict[str, Any]:
    """The status narrowed to one responsible unit's tasks and the indicators linked to them."""
    entry = next((u for u in status["units"] if u["unit"] == unit), None)
    if entry is None:
        units = ", ".join(u["unit"] for u in status["units"]) or "(none named)"
        raise PlanLookupError(f"no unit {unit!r} in this plan; units: {units}")
    own = set(entry["lead_tasks"] + entry["co_tasks"])
    refs = set(entry["indicators"])
    return {
        **status,
        "unit": entry,
        "indicators": [i for i in status["indicators"] if i["id"] in refs],
        "tasks": [t for t in status["tasks"] if t["id"] in own],
        "units": [entry],
    }
