"""Plan monitoring (规划实施监测) as operations of `Ipnav`: plans as data, status, records, templates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ipnav.application.topics import Audited

if TYPE_CHECKING:
    from ipnav.plan.model import Plan
    from ipnav.store.warehouse import Warehouse


class PlanOperations(Audited):
    """The plans ipnav knows, their assessment as of a date, and what responsible units report."""

    def plans(self) -> list[dict[str, Any]]:
        """The shipped seed plans and the workspace's own, summarised."""
        from ipnav.plan import service

        return [service.summary(p) for p in service.catalogue(self.settings).values()]

    def plan(self, ref: str, *, files: bool = True) -> Plan:
        """A plan by id, or from a plan file when `files` (the web never opens a file named by a client)."""
        from ipnav.plan import service

        return service.get(self.settings, ref, files=files)

    @staticmethod
    def plan_check(path: Path) -> tuple[Plan | None, list[dict[str, Any]]]:
        """Check a plan file: the plan when it is valid, and each problem with its line and reason."""
        from ipnav.plan import model

        problems = model.validate_file(path)
        return (None if problems else model.load_file(path)), problems

    def plan_add(self, path: Path) -> Plan:
        """Check a plan file and keep it in the workspace (replacing one of the same id)."""
        from ipnav.plan import service

        self.workspace.create()
        return service.add(self.settings, path)

    def plan_status(
        self, plan: Plan, as_of: dt.date | None = None, *, unit: str | None = None, wh: Warehouse | None = None
    ) -> dict[str, Any]:
        """Each indicator against its target, tasks, units and phases (one unit's share with `unit`)."""
        from ipnav.plan import service

        with self.reading(wh) as reader:
            data = service.status_cached(self.settings, reader, plan, as_of)
        return service.for_unit(data, unit) if unit else data

    def plan_record(
        self,
        plan: Plan,
        indicator: str,
        value: Any,
        date: Any,
        *,
        source: str,
        actor: str,
        via: str,
        evidence: tuple[str, bytes] | None = None,
        client: str = "",
    ) -> dict[str, Any]:
        """Record a manual indicator's value (replacing one of the same date), with its evidence file."""
        from ipnav.plan import records

        kept = None
        if evidence is not None and evidence[1]:
            kept = records.store_evidence(self.workspace.create(), plan, evidence[0], evidence[1])
        return self.audited(
            "plan.record", f"{plan.id}/{indicator}",
            lambda wh: records.record(wh, plan, indicator, value, date, source=source, actor=actor, via=via,
                                      evidence=kept),
            actor=actor, client=client, detail=lambda data: data,
        )  # fmt: skip

    def plan_task(
        self, plan: Plan, task: str, state: str, date: Any, *, note: str, actor: str, via: str, client: str = ""
    ) -> dict[str, Any]:
        """Report the progress of a task."""
        from ipnav.plan import records

        return self.audited(
            "plan.task", f"{plan.id}/{task}",
            lambda wh: records.update_task(wh, plan, task, state, date, note=note, actor=actor, via=via),
            actor=actor, client=client, detail=lambda data: data,
        )  # fmt: skip

    def plan_import(self, plan: Plan, path: Path, *, actor: str, client: str = "") -> dict[str, Any]:
        """Import a filled template: good rows are recorded, each bad cell is named."""
        from ipnav.plan import excel

        return self.audited(
            "plan.import", plan.id, lambda wh: excel.import_file(wh, plan, path, actor=actor),
            actor=actor, client=client,
            detail=lambda r: {k: r[k] for k in ("file", "recorded", "unchanged", "tasks")}
            | {"problems": len(r["problems"])},
        )  # fmt: skip

    def plan_template(self, status: dict[str, Any], plan: Plan, out: Path, unit: str | None = None) -> Path:
        """The Excel fill-in template for responsible units (manual indicators and task progress)."""
        from ipnav.plan import excel

        return excel.template(plan, status, out, unit)

    def plan_report(self, status: dict[str, Any], fmt: str, out: Path | None = None) -> Path:
        """The evaluation report (中期评估报告) in docx, xlsx or pdf."""
        from ipnav.plan import report

        plan = status["plan"]
        target = out or self.workspace.create().exports_dir / f"{plan['id']}-评估报告-{status['as_of']}.{fmt}"
        return report.write(status, fmt, target, font=self.settings.cjk_font)
