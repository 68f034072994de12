"""Trademark operations of `Ipnav`: one mark by any spelling of its number, and search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ipnav.application.access import WarehouseAccess
from ipnav.errors import UsageError

if TYPE_CHECKING:
    from pathlib import Path

    from ipnav.store.warehouse import Warehouse
    from ipnav.trademarks.watch import Watches


class TrademarkOperations(WarehouseAccess):
    """Read trademarks (ingest loads them with the patents: `ipnav ingest` sniffs every format)."""

    engine_reading: Callable[..., Any]  # the warehouse the analyses read, DuckDB or Spark (`LakeOperations`)

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

    def trademark_navigate(
        self, selection: str, *, as_of: dt.date | None = None, wh: Warehouse | None = None
    ) -> dict[str, Any]:
        """Every trademark analysis (trends, owners, classes, groups, regions, status, types, kinds, agents,
        offices) of a selection of marks: a trademark query, `numbers:...` or all."""
        from ipnav.analytics.navigate import navigate_marks
        from ipnav.analytics.selection import Selection

        with self.engine_reading(wh) as reader:
            return navigate_marks(self.workspace, reader, self.settings, Selection.parse(selection), as_of=as_of)

    def trademark_report(
        self, selection: str, fmt: str, target: Path, *, lang: str = "zh", wh: Warehouse | None = None
    ) -> dict[str, Any]:
        """The trademark navigation report of a selection of marks (xlsx with native charts, docx, pdf, html)."""
        from ipnav.analytics.navigate import localized
        from ipnav.analytics.selection import Selection
        from ipnav.reports.marks import write_report

        with self.reading(wh) as reader:
            pack = self.trademark_navigate(selection, wh=reader)
            if lang != "zh":
                charts = localized(pack, Selection.parse(selection), lang)
                for kind, result in pack["analyses"].items():
                    result["option"] = charts[kind]
            write_report(pack, reader, fmt, target, font=self.settings.cjk_font, lang=lang)
        return {"path": str(target), "marks": pack["marks"], "analyses": len(pack["analyses"])}

    def trademark_export(self, query: str, fmt: str, target: Path, wh: Warehouse | None = None) -> int:
        """Every mark a trademark query finds (no cap) to an xlsx or csv file; the number of rows."""
        from ipnav.trademarks import index, reads

        with self.reading(wh) as reader:
            if index.behind(self.workspace, reader):
                raise UsageError("the trademark index is behind the warehouse: run `ipnav reindex`")
            keys = index.open_index(self.workspace).keys(query)
            return reads.export(reader, fmt, target, keys)

    def trademark_search_all(self, query: str, wh: Warehouse | None = None) -> dict[str, Any]:
        """Every mark a query finds (no cap), newest filing first."""
        from ipnav.trademarks import reads

        with self.reading(wh) as reader:
            return reads.search_all(self.workspace, reader, query)

    def trademark_similar(
        self, text: str, *, classes: list[int] | None = None, groups: list[str] | None = None, limit: int = 20,
        threshold: int = 60, wh: Warehouse | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """Marks similar to a mark text (shape, sound, meaning, goods), scored 0-100 with the reasons."""
        from ipnav.trademarks import reads

        with self.reading(wh) as reader:
            return reads.similar(self.workspace, reader, text, classes=classes or [], groups=groups or [],
                                 limit=limit, threshold=threshold)  # fmt: skip

    def trademark_image(self, number: str, wh: Warehouse | None = None) -> tuple[bytes, str] | None:
        """The mark's image bytes and media type when the file is local; None otherwise."""
        from ipnav.trademarks import reads

        with self.reading(wh) as reader:
            return reads.image(reader, number)

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

    # -- watches (商标监测) -------------------------------------------------------------------------

    @property
    def watches(self) -> Watches:
        """The trademark watches of this workspace's users (in the accounts database)."""
        from ipnav.trademarks.watch import Watches

        return Watches(self.accounts)  # type: ignore[attr-defined]

    def watch_run(
        self, *, since: dt.date | None = None, user: str | None = None, wh: Warehouse | None = None
    ) -> dict[str, Any]:
        """Run the watches (one user's, or all) over the marks published since a date: each hit with the
        watched mark, score, reasons and opposition deadline; `new` on the first report."""
        from ipnav.trademarks import index as tm_index
        from ipnav.trademarks.reads import IndexBehind

        with self.reading(wh) as reader:
            if tm_index.behind(self.workspace, reader):
                raise IndexBehind("the trademark index is behind the warehouse: run `ipnav reindex`")
            runs = self.watches.run(reader, tm_index.open_index(self.workspace), since=since, user=user)
        return {"since": since, "watches": runs, "hits": sum(len(r["hits"]) for r in runs),
                "new": sum(1 for r in runs for h in r["hits"] if h["new"])}  # fmt: skip

    def trademark_risk(
        self, *, region: str = "", overrides: dict[str, float] | None = None, wh: Warehouse | None = None
    ) -> dict[str, Any]:
        """Applicants with bad-faith filing signals (恶意注册/囤积), with evidence and the thresholds used
        (settings' `risk_thresholds`, then `overrides`)."""
        from ipnav.trademarks import index as tm_index
        from ipnav.trademarks import risk

        with self.reading(wh) as reader:
            index = None if tm_index.behind(self.workspace, reader) else tm_index.open_index(self.workspace)
            result = risk.assess(reader, index, region=region,
                                 overrides={**self.settings.risk_thresholds, **(overrides or {})})  # fmt: skip
        result["copies_checked"] = index is not None
        return result
