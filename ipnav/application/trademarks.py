"""Trademark operations of `Ipnav`: one mark by any spelling of its number, and search."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from ipnav.config import Workspace
    from ipnav.store.warehouse import Warehouse


class TrademarkOperations:
    """Read trademarks (ingest loads them with the patents: `ipnav ingest` sniffs every format)."""

    workspace: Workspace

    def reading(self, wh: Warehouse | None = None) -> AbstractContextManager[Warehouse]:
        """The warehouse to read (the application object provides it)."""
        raise NotImplementedError

    def writing(self, what: str = "a change") -> AbstractContextManager[Warehouse]:
        """The read-write warehouse (the application object provides it)."""
        raise NotImplementedError

    def well_known_load(self, path: Path) -> dict[str, Any]:
        """Load (or reload) a list of well-known marks (驰名商标); bad rows are named and skipped."""
        from ipnav.trademarks import wellknown

        with self.writing("well-known marks") as wh:
            return wellknown.load(wh, path)

    def well_known(self, wh: Warehouse | None = None) -> list[dict[str, Any]]:
        """The loaded well-known marks, each with the region it counts in and why."""
        from ipnav.trademarks import wellknown

        with self.reading(wh) as reader:
            return wellknown.listing(reader)

    def trademark(self, number: str, wh: Warehouse | None = None) -> dict[str, Any]:
        """One mark in full by its application or registration number (any spelling)."""
        from ipnav.trademarks import reads

        with self.reading(wh) as reader:
            return reads.show(reader, number)

    def trademark_search(
        self,
        query: str,
        *,
        limit: int = 20,
        offset: int = 0,
        sort: str | None = None,
        facets: bool = True,
        wh: Warehouse | None = None,
    ) -> dict[str, Any]:
        """One page of marks matching a query (mark words, pinyin, fuzzy, fields), with facets."""
        from ipnav.trademarks import reads

        with self.reading(wh) as reader:
            return reads.search(self.workspace, reader, query, limit=limit, offset=offset, sort=sort, facets=facets)
