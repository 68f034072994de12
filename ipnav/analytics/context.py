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


def most_common(t: ir.Table, by: str, column: str) -> ir.Table:
    """The most frequent non-null `column` per `by` (ties: the smallest), as (`by`, `column`): a mode that
    gives the same answer on every engine (DuckDB's `mode` keeps the first it met; Spark's ibis has none)."""
    present = t.filter(t[column].notnull())
    counts = present.group_by([by, column]).aggregate(_n=present.count())
    ranked = counts.mutate(_r=ibis.row_number().over(group_by=by, order_by=[ibis.desc("_n"), column]))
    return ranked.filter(ranked._r == 0).select(by, column)


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
        self.backend = self.warehouse.ibis()  # DuckDB, or Spark over a lake (ipnav.lake.spark)
        self._sel = f"_sel_{uuid.uuid4().hex[:8]}"
        if not self.everything:  # the whole warehouse needs no key table to filter by
            self.warehouse.con.register(self._sel, pa.table({"app_key": pa.array(self.keys, pa.string())}))
        self._names: ir.Table | None = None
        self._ranking: ir.Table | None = None
        self._sources: dict[str, ir.Table] = {}
        self._cited: ir.Table | None = None

    def source(self, name: str) -> ir.Table:
        """A warehouse table as it is (reference tables, lookups beyond the selection); its schema is read
        once per context (ibis asks DuckDB for it at every `backend.table`)."""
        if name not in self._sources:
            self._sources[name] = self.backend.table(name)
        return self._sources[name]

    def table(self, name: str) -> ir.Table:
        """A warehouse table restricted to the selection."""
        if self.everything:
            return self.source(name)
        return self.source(name).semi_join(self.source(self._sel), "app_key")

    def names(self) -> ir.Table:
        """Owners (applicants, assignees) as merged entities, one row per application and entity: `entity`
        (canonical spelling, then the user's merge table) and `etype` (read from its first spelling). Ingest
        derives them (`patent_entities`); with a merge table they are merged again and materialised once."""
        if self._names is None:
            if not self.merges:
                self._names = self.table("patent_entities")
                return self._names
            merges = pa.table({"entity": list(self.merges), "merged": list(self.merges.values())})
            self.warehouse.con.register(f"{self._sel}_merges", merges)
            entities = self.table("patent_entities")
            joined = entities.left_join(self.source(f"{self._sel}_merges"), "entity")
            merged = joined.select("app_key", entity=joined.merged.fill_null(joined.entity), etype=joined.etype)
            members = merged.group_by(["app_key", "entity"]).aggregate(etype=merged.etype.min())
            self._names = self.warehouse.materialize(f"{self._sel}_names", members)
        return self._names

    def ranking(self) -> ir.Table:
        """Applications per merged entity (`entity`, `applications`, `etype` the type most of them read as),
        materialised once per context: the applicant ranking, the matrices and the concentration share it."""
        if self._ranking is None:
            names = self.names()
            counts = names.group_by("entity").aggregate(applications=names.count())
            counts = counts.left_join(most_common(names, "entity", "etype"), "entity").drop("entity_right")
            self._ranking = self.warehouse.materialize(f"{self._sel}_ranking", counts)
        return self._ranking

    def spellings(self) -> ir.Table:
        """How many source spellings each merged entity has."""
        owners = self.table("patent_owners")
        if self.merges:
            self.names()  # registers the merge table
            joined = owners.left_join(self.source(f"{self._sel}_merges"), "entity")
            owners = joined.select("name", entity=joined.merged.fill_null(joined.entity))
        return owners.group_by("entity").aggregate(spellings=owners.name.nunique())

    def cited(self) -> ir.Table:
        """Citations from the selection to applications in the warehouse (matched by publication number
        without its kind code), `citing_app` and `cited_app` distinct; materialised once per context."""
        if self._cited is None:
            c = self.table("citations").filter(lambda t: t.kind == "patent")
            pubs = self.source("publications")
            pubs = pubs.mutate(bare=pubs.number.re_replace(KIND_CODE_RE, "")).select(cited_app="app_key", bare="bare")
            links = c.join(pubs, c.number == pubs.bare).select(citing_app=c.app_key, cited_app="cited_app").distinct()
            self._cited = self.warehouse.materialize(f"{self._sel}_cited", links)
        return self._cited

    def close(self) -> None:
        """Drop the selection's key table from the connection."""
        if not self.everything:
            self.warehouse.con.unregister(self._sel)
        if self._cited is not None:
            self.warehouse.con.execute(f"DROP TABLE IF EXISTS {self._sel}_cited")
        if self._ranking is not None:
            self.warehouse.con.execute(f"DROP TABLE IF EXISTS {self._sel}_ranking")
        if self._names is not None and self.merges:
            self.warehouse.con.execute(f"DROP TABLE IF EXISTS {self._sel}_names")
            self.warehouse.con.unregister(f"{self._sel}_merges")
