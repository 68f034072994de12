"""Recorded actuals of manual indicators and task progress, kept in the warehouse.

A recorded value is dated with the day it refers to (统计截止日期: 2023-12-31 for a 2023 yearly figure).
Recording the same indicator and date again replaces the value (the audit log keeps the history), so
importing the same filled template twice changes nothing. Evidence files are copied into
`WORKSPACE/evidence/PLAN/` under their SHA-256 prefix.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from pathlib import Path
from typing import Any

import duckdb

from ipnav.config import Workspace
from ipnav.errors import RecordError
from ipnav.plan.model import Plan, PlanIndicator
from ipnav.store.warehouse import Warehouse

TASK_STATUSES = ("not_started", "in_progress", "done", "blocked")
TASK_STATUS_ZH = {"not_started": "未开始", "in_progress": "进行中", "done": "已完成", "blocked": "受阻"}
_TASK_STATUS_WORDS = {
    **{v: k for k, v in TASK_STATUS_ZH.items()},
    **{k: k for k in TASK_STATUSES},
    "完成": "done",
    "已完成": "done",
    "推进中": "in_progress",
    "正在推进": "in_progress",
    "未启动": "not_started",
    "not started": "not_started",
    "in progress": "in_progress",
}


def parse_task_status(text: str) -> str:
    """A task state from Chinese or English words (未开始/进行中/已完成/受阻 ...)."""
    status = _TASK_STATUS_WORDS.get(text.strip().lower()) or _TASK_STATUS_WORDS.get(text.strip())
    if status is None:
        choices = " / ".join(f"{TASK_STATUS_ZH[s]} {s}" for s in TASK_STATUSES)
        raise RecordError("status", f"{text!r} is not a task status; use {choices}")
    return status


def check_value(indicator: PlanIndicator, value: Any) -> float:
    """A recorded value as a number, or RecordError naming what is wrong."""
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace(",", "").rstrip("%")
        if not text:
            raise RecordError("value", "empty")
        try:
            number = float(text)
        except ValueError:
            raise RecordError("value", f"{value!r} is not a number (write e.g. 1250 or 12.5)") from None
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        raise RecordError("value", f"{value!r} is not a number")
    if math.isnan(number) or math.isinf(number):
        raise RecordError("value", f"{value!r} is not a finite number")
    if number < 0 and indicator.kind != "growth":
        raise RecordError("value", f"{number:g} is negative; {indicator.name} counts {indicator.unit}")
    if indicator.unit == "%" and indicator.kind == "ratio" and number > 100:
        raise RecordError("value", f"{number:g}% is above 100%")
    return number


def check_date(value: Any, *, today: dt.date | None = None) -> dt.date:
    """A date from a cell or text, not in the future; RecordError otherwise."""
    if isinstance(value, dt.datetime):
        date = value.date()
    elif isinstance(value, dt.date):
        date = value
    else:
        text = str(value or "").strip().replace("/", "-").replace(".", "-")
        if not text:
            raise RecordError("date", "empty (write the date the value refers to, e.g. 2023-12-31)")
        try:
            date = dt.date.fromisoformat(text)
        except ValueError:
            raise RecordError("date", f"{value!r} is not a date (write YYYY-MM-DD, e.g. 2023-12-31)") from None
    if date.year < 1980:
        raise RecordError("date", f"{date} is before 1980")
    if date > (today or dt.date.today()):
        raise RecordError("date", f"{date} is in the future; record values for dates that have passed")
    return date


def _has_tables(con: duckdb.DuckDBPyConnection) -> bool:
    rows = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'plan_records'").fetchall()
    return bool(rows[0][0])


def store_evidence(workspace: Workspace, plan: Plan, name: str, data: bytes) -> tuple[str, str]:
    """Keep an evidence file in the workspace under its SHA-256; returns (path in the workspace, sha256)."""
    digest = hashlib.sha256(data).hexdigest()
    folder = workspace.evidence_dir / plan.id
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{digest[:16]}-{Path(name).name}"
    if not target.exists():
        target.write_bytes(data)
    return target.relative_to(workspace.root).as_posix(), digest


def record(
    warehouse: Warehouse,
    plan: Plan,
    indicator_id: str,
    value: Any,
    date: Any,
    *,
    source: str,
    actor: str,
    via: str,
    evidence: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """Record (or replace) the value of a manual indicator on a date."""
    indicator = plan.indicator(indicator_id)
    if not indicator.manual:
        raise RecordError(
            "indicator",
            f"{indicator.id} ({indicator.name}) is computed from the warehouse ({indicator.metric['name']}); "  # type: ignore[index]
            "it takes no recorded values",
        )
    number = check_value(indicator, value)
    day = check_date(date)
    if not source.strip():
        raise RecordError("source", "say where the figure comes from (数据来源), e.g. 市场监管局年报2023")
    con = warehouse.con
    previous = con.execute(
        "SELECT value FROM plan_records WHERE plan = ? AND indicator = ? AND date = ?", [plan.id, indicator.id, day]
    ).fetchall()
    con.execute("BEGIN")
    con.execute("DELETE FROM plan_records WHERE plan = ? AND indicator = ? AND date = ?", [plan.id, indicator.id, day])
    con.execute(
        "INSERT INTO plan_records VALUES (?, ?, ?, ?, ?, ?, ?, ?, current_timestamp, ?)",
        [
            plan.id,
            indicator.id,
            day,
            number,
            source.strip(),
            evidence[0] if evidence else None,
            evidence[1] if evidence else None,
            actor,
            via,
        ],
    )
    con.execute("COMMIT")
    out: dict[str, Any] = {
        "plan": plan.id,
        "indicator": indicator.id,
        "date": day.isoformat(),
        "value": number,
        "source": source.strip(),
        "recorded_by": actor,
        "via": via,
    }
    if evidence:
        out["evidence"] = evidence[0]
    if previous:
        out["replaced"] = previous[0][0]
    return out


def update_task(
    warehouse: Warehouse, plan: Plan, task_id: str, status: str, date: Any, *, note: str, actor: str, via: str
) -> dict[str, Any]:
    """Record a task's progress on a date (replacing a report of the same date)."""
    task = plan.task(task_id)
    state = parse_task_status(status)
    day = check_date(date)
    con = warehouse.con
    con.execute("BEGIN")
    con.execute("DELETE FROM plan_task_updates WHERE plan = ? AND task = ? AND date = ?", [plan.id, task.id, day])
    con.execute(
        "INSERT INTO plan_task_updates VALUES (?, ?, ?, ?, ?, ?, current_timestamp, ?)",
        [plan.id, task.id, day, state, note.strip(), actor, via],
    )
    con.execute("COMMIT")
    return {"plan": plan.id, "task": task.id, "date": day.isoformat(), "status": state, "note": note.strip()}


def values(con: duckdb.DuckDBPyConnection, plan_id: str) -> list[dict[str, Any]]:
    """The recorded values of a plan's manual indicators."""
    if not _has_tables(con):
        return []
    rows = con.execute(
        "SELECT indicator, date, value, source, evidence, recorded_by, recorded_at, via FROM plan_records "
        "WHERE plan = ? ORDER BY indicator, date",
        [plan_id],
    ).fetchall()
    keys = ("indicator", "date", "value", "source", "evidence", "recorded_by", "recorded_at", "via")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def task_updates(con: duckdb.DuckDBPyConnection, plan_id: str) -> list[dict[str, Any]]:
    """The progress reports of a plan's tasks, by date."""
    if not _has_tables(con):
        return []
    rows = con.execute(
        "SELECT task, date, status, note, recorded_by, recorded_at, via FROM plan_task_updates "
        "WHERE plan = ? ORDER BY task, date, recorded_at",
        [plan_id],
    ).fetchall()
    keys = ("task", "date", "status", "note", "recorded_by", "recorded_at", "via")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def signature(con: duckdb.DuckDBPyConnection, plan_id: str) -> tuple[object, ...]:
    """Counts and latest change times of a plan's records and task reports (changes whenever they do)."""
    if not _has_tables(con):
        return (0, None, 0, None)
    values_ = con.execute("SELECT count(*), max(recorded_at) FROM plan_records WHERE plan = ?", [plan_id]).fetchall()[0]
    tasks = con.execute(
        "SELECT count(*), max(recorded_at) FROM plan_task_updates WHERE plan = ?", [plan_id]
    ).fetchall()[0]
    return (*values_, *tasks)
