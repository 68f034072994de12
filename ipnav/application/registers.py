"""Register operations of `Ipnav`: the overview, a register's records with facets, one record, the export
and the Excel template (`ipnav.registers`; ingest loads the registers with everything else)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ipnav.application.access import WarehouseAccess

if TYPE_CHECKING:
    from ipnav.registers.spec import Register
    from ipnav.store.warehouse import Warehouse


class RegisterOperations(WarehouseAccess):
    """Read the registers (GI, copyright, plant varieties, transactions, cases, lists, technology contracts)."""

    def registers(self, wh: Warehouse | None = None) -> list[dict[str, Any]]:
        """Every register with its record counts."""
        from ipnav.registers.reads import overview

        with self.reading(wh) as reader:
            return overview(reader)

    def register_records(
        self, name: str, query: str = "", filters: dict[str, str] | None = None, *, page: int = 1,
        per_page: int = 50, wh: Warehouse | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """A register's records matching a query and filters (a page), with facets."""
        from ipnav.registers.reads import listing

        with self.reading(wh) as reader:
            return listing(reader, name, query, filters, page=page, per_page=per_page)

    def register_record(
        self, key: str, *, today: dt.date | None = None, private: bool = True, wh: Warehouse | None = None
    ) -> dict[str, Any]:
        """One register record in full, with its links (`private`: with the analysts-only fields)."""
        from ipnav.registers.reads import record

        with self.reading(wh) as reader:
            return record(reader, key, today, private=private)

    def register_export(
        self, name: str, query: str, filters: dict[str, str], target: Path, wh: Warehouse | None = None, *,
        private: bool = True,
    ) -> int:  # fmt: skip
        """The matching records of a register to an Excel workbook; returns the count."""
        from ipnav.registers.reads import export

        with self.reading(wh) as reader:
            return export(reader, name, query, filters, target, private=private)

    def register_spec(self, name: str) -> Register:
        """The declaration of a register (its fields and facets), or a usage error naming the registers."""
        from ipnav.registers.reads import register_of

        return register_of(name)

    def table_kind(self, data: bytes, name: str) -> str:
        """The record kind a table file holds by its headers ('' when no registered layout claims it)."""
        from ipnav.registers.formats import kind_of_table

        return kind_of_table(data, name)

    def register_template(self, name: str, target: Path) -> Path:
        """The Excel import template of a register."""
        from ipnav.registers.template import template

        return template(name, target)
