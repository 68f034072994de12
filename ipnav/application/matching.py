"""Supply-and-demand operations of `Ipnav` (技术供需对接): enter, list and match demands and offers, the
demands a patent or an owner fits, the matchmaking workbook and the alerts of followed demands."""

from __future__ import annotations

import csv
import datetime as dt
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ipnav.application.access import WarehouseAccess
from ipnav.errors import UsageError

if TYPE_CHECKING:
    from ipnav.accounts import Accounts
    from ipnav.alerts import Alerts
    from ipnav.ingest.run import IngestSummary
    from ipnav.matching.match import MatchOptions
    from ipnav.model import Reject
    from ipnav.store.warehouse import Warehouse

_PREFIX = {"tech_demand": "XQ", "tech_offer": "CG"}  # 需求 / 成果 numbers: XQ20261204-001


class MatchingOperations(WarehouseAccess):
    """Demands and offers: entered, listed, matched both ways, exported for a matchmaking event, followed."""

    if TYPE_CHECKING:  # provided by the application object and `AlertOperations`

        def ingest(self, paths: list[Path], *, on_reject: Callable[[Reject], None] | None = None) -> IngestSummary: ...

        @property
        def accounts(self) -> Accounts: ...

        @property
        def alerts(self) -> Alerts: ...

    def add_need(self, register: str, values: dict[str, Any], *, user: str = "cli") -> dict[str, Any]:
        """Enter one demand (`tech_demand`) or offer (`tech_offer`): written as a one-row table under
        `WORKSPACE/entries/` and ingested like any list, so it is checked (UsageError naming the field),
        numbered (XQ/CG + date + sequence) and kept; returns the stored record."""
        from ipnav.matching.match import need
        from ipnav.registers.reads import register_of

        reg = register_of(register)
        unknown = set(values) - set(reg.field_names)
        if unknown:
            raise UsageError(f"unknown fields {sorted(unknown)}; {reg.title_zh} has {', '.join(reg.field_names)}")
        values = {k: v for k, v in values.items() if v not in (None, "", [])}
        if not values.get("number"):
            values["number"] = self._next_number(register)
        values.setdefault("date", dt.date.today().isoformat())
        folder = self.workspace.create().root / "entries" / register
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{dt.datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(3)}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([f.zh for f in reg.fields])
            writer.writerow([";".join(v) if isinstance(v := values.get(f.name, ""), list) else v for f in reg.fields])
        problems: list[Reject] = []
        summary = self.ingest([path], on_reject=problems.append)
        if problems or not summary.records:
            path.unlink(missing_ok=True)
            reason = problems[0] if problems else None
            raise UsageError(f"{reg.title_zh} not saved: {reason.field}: {reason.reason}" if reason else
                             f"{reg.title_zh} not saved: the entry was not recognised")  # fmt: skip
        with self.reading() as wh:
            stored = need(wh, register, str(values["number"]))
        if register == "tech_demand":
            self.follow_demand(user, stored["app_key"])
        return stored

    def _next_number(self, register: str) -> str:
        from ipnav.matching.match import needs

        stem = f"{_PREFIX[register]}{dt.date.today():%Y%m%d}-"
        with self.reading() as wh:
            taken = {n["number"] for n in needs(wh, register)}
        return next(f"{stem}{i:03d}" for i in range(1, 10_000) if f"{stem}{i:03d}" not in taken)

    def list_needs(self, register: str, *, private: bool = True, open_only: bool = False,
                   wh: Warehouse | None = None) -> list[dict[str, Any]]:  # fmt: skip
        """Demands or offers, newest first (`private`: with contacts, for analysts)."""
        from ipnav.matching.match import needs, public

        with self.reading(wh) as reader:
            return [public(n, private=private) for n in needs(reader, register, open_only=open_only)]

    def demand_matches(self, key: str, options: MatchOptions, *, private: bool = True,
                       wh: Warehouse | None = None) -> dict[str, Any]:  # fmt: skip
        """A demand with the patents and offers that could meet it, each with its reasons."""
        from ipnav.matching.match import demand_matches

        with self.reading(wh) as reader:
            return demand_matches(self.workspace, reader, key, options, private=private)

    def demands_for(self, *, number: str = "", owner: str = "", limit: int = 20, private: bool = True,
                    wh: Warehouse | None = None) -> dict[str, Any]:  # fmt: skip
        """The open demands a patent (`number`) or an owner's valid patents (`owner`) fit."""
        from ipnav.matching.match import demands_for_owner, demands_for_patent

        if bool(number) == bool(owner):
            raise UsageError("name a patent (--patent) or an owner (--owner) / 请指定专利或权利人")
        with self.reading(wh) as reader:
            if number:
                return demands_for_patent(reader, number, limit=limit, private=private)
            return demands_for_owner(reader, owner, limit=limit, private=private)

    def matchmaking_workbook(self, keys: list[str], options: MatchOptions, target: Path, *,
                             progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:  # fmt: skip
        """The matchmaking list of a 对接会: an overview sheet and one sheet per demand with its patents and
        offers (no keys: every open demand)."""
        from ipnav.matching.match import needs
        from ipnav.matching.workbook import write_workbook

        with self.reading() as wh:
            chosen = keys or [n["app_key"] for n in needs(wh, "tech_demand", open_only=True)]
            if not chosen:
                raise UsageError("no demands to match: `ipnav demand add` or `ipnav demand import` first")
            results = []
            for done, key in enumerate(chosen, 1):
                results.append(self.demand_matches(key, options, wh=wh))
                if progress:
                    progress(done, len(chosen))
        write_workbook(results, target)
        return {"demands": len(results), "patents": sum(len(r["patents"]) for r in results),
                "offers": sum(len(r["offers"]) for r in results), "file": str(target)}  # fmt: skip

    def follow_demand(self, user: str, key: str) -> None:
        """The user hears of new patents that fit this demand (the one who entered a demand follows it)."""
        from ipnav.matching.follow import Follows

        Follows(self.accounts).add(user, "demand", key)

    def follow_owner(self, user: str, owner: str) -> None:
        """The user hears of new demands that an owner's patents fit (a tech-transfer office, its university)."""
        from ipnav.matching.follow import Follows

        Follows(self.accounts).add(user, "owner", owner)

    def collect_matching_alerts(self, wh: Warehouse, *, patents: list[str], demands: list[str]) -> int:
        """Notices for followed demands that new patents fit and for followed owners whose patents fit new
        demands; stored once each, deliveries queued. Returns how many are new."""
        from ipnav.matching.follow import Follows, notices

        found = notices(wh, Follows(self.accounts).listing(), patents=patents, demands=demands)
        conf = self.settings
        return len(self.alerts.add(found, email=bool(conf.smtp_host), webhook=conf.webhook_url))
