"""The selection an analysis runs over, ready to analyse: its tables restricted to the selection, and the
intermediate tables several analyses share (owners as merged entities, citations inside the warehouse),
each built once per selection."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from ipnav.config import Settings
from ipnav.normalize.numbers import KIND_CODE_RE
from ipnav.store.warehouse import Warehouse


@dataclass
class Context:
    """One selection, ready to analyse."""

    warehouse: Warehouse
    keys: list[str]
    settings: Settings  # the workspace's: value weights and the high-value flag policy
    as_of: dt.date = field(default_factory=dt.date.today)
    merges: dict[str, str] = field(default_factory=dict)  # canonical alias -> merged name
    everything: bool = False  # the selection is the whole warehouse: no filtering join needed
    counts: dict[str, int] = field(default_factory=dict)  # figures several analyses share (coverage.missing)

    def __post_init__(self) -> None:
        self.backend = ibis.duckdb.from_connection(self.warehouse.con)
        self._sel = f"_sel_{uuid.uuid4().hex[:8]}"
        if not self.everything:  # the whole warehouse needs no key table to filter by
            self.warehouse.con.register(self._sel, pa.table({"app_key": pa.array(self.keys, pa.string())}))
        self._names: ir.Table | None = None
        self._owners: ir.Table | None = None
        self._cited: ir.Table | None = None

    def table(self, name: str) -> ir.Table:
        """A warehouse table restricted to the selection."""
        if self.everything:
            return self.backend.table(name)
        sel = self.backend.table(self._sel)
        return self.backend.table(name).semi_join(sel, "app_key")

    def names(self) -> ir.Table:
        """Owners (applicants, assignees) as merged entities: `entity` (canonical spelling, then the
        user's merge table) and `etype` (read from the full spelling), one row per application and
        entity. Both come from ingest (`patent_owners`); materialised once per context."""
        if self._names is None:
            owners = self.table("patent_owners")
            if self.merges:
                merges = pa.table({"entity": list(self.merges), "merged": list(self.merges.values())})
                self.warehouse.con.register(f"{self._sel}_merges", merges)
                joined = owners.left_join(self.backend.table(f"{self._sel}_merges"), "entity")
                owners = joined.select(
                    "app_key", "name", entity=joined.merged.fill_null(joined.entity), etype=joined.etype
                )
            self._owners = owners
            members = owners.select("app_key", "entity", "etype").distinct()
            self._names = self.backend.create_table(f"{self._sel}_names", members, temp=True)
        return self._names

    def spellings(self) -> ir.Table:
        """How many source spellings each merged entity has."""
        self.names()
        owners = self._owners
        assert owners is not None
        return owners.group_by("entity").aggregate(spellings=owners.name.nunique())

    def cited(self) -> ir.Table:
        """Citations from the selection to applications in the warehouse (matched by publication number
        without its kind code), `citing_app` and `cited_app` distinct; materialised once per context."""
        if self._cited is None:
            c = self.table("citations").filter(lambda t: t.kind == "patent")
            pubs = self.backend.table("publications")
            pubs = pubs.mutate(bare=pubs.number.re_replace(KIND_CODE_RE, "")).select(cited_app="app_key", bare="bare")
            links = c.join(pubs, c.number == pubs.bare).select(citing_app=c.app_key, cited_app="cited_app").distinct()
            self._cited = self.backend.create_table(f"{self._sel}_cited", links, temp=True)
        return self._cited

    def close(self) -> None:
        """Drop the selection's key table from the connection."""
        if not self.everything:
            self.warehouse.con.unregister(self._sel)
        if self._cited is not None:
            self.warehouse.con.execute(f"DROP TABLE IF EXISTS {self._sel}_cited")
        if self._names is not None:
            self.warehouse.con.execute(f"DROP TABLE IF EXISTS {self._sel}_names")
            if self.merges:
                self.warehouse.con.unregister(f"{self._sel}_merges")
