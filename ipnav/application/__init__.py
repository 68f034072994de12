"""The one application object: `Ipnav(settings)` owns a workspace (its warehouse, search index and
accounts) and offers the operations users have. The CLI (`ipnav.cli`) and the web (`ipnav.web`) are
thin adapters over it, so an operation is written once.

    >>> app = Ipnav(Settings(workspace=Path("ws")))            # doctest: +SKIP
    >>> app.ingest([Path("../shared/data/cn/records")])        # doctest: +SKIP
    >>> app.search(SearchOptions(q="ti=锂电池 AND ad>=2020"))    # doctest: +SKIP

Reads take an optional `wh`: the web passes the request's snapshot cursor; without one the operation
opens the warehouse for its own use. No read path writes: `ingest` and `reindex` update the index.
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ipnav.application.alerts import AlertOperations
from ipnav.application.lake import LakeOperations
from ipnav.application.matching import MatchingOperations
from ipnav.application.options import AnalysisOptions, IndicatorOptions, SearchOptions, SelectionOptions, ValueOptions
from ipnav.application.plans import PlanOperations
from ipnav.application.registers import RegisterOperations
from ipnav.application.semantic import SemanticOperations
from ipnav.application.topics import TopicOperations
from ipnav.application.trademarks import TrademarkOperations
from ipnav.config import Settings, Workspace
from ipnav.errors import UsageError, WorkspaceError

if TYPE_CHECKING:  # the CLI starts fast: the warehouse, parsers and accounts load when an operation needs them
    from ipnav.accounts import Accounts
    from ipnav.accounts.searches import Searches
    from ipnav.ingest.run import IngestSummary
    from ipnav.model import Reject
    from ipnav.store.snapshot import SnapshotReader
    from ipnav.store.warehouse import Warehouse

__all__ = ["AnalysisOptions", "IndicatorOptions", "Ipnav", "SearchOptions", "SelectionOptions", "ValueOptions"]


class Ipnav(
    TopicOperations,
    PlanOperations,
    TrademarkOperations,
    AlertOperations,
    RegisterOperations,
    LakeOperations,
    SemanticOperations,
    MatchingOperations,
):
    """A workspace and everything users do with it (see the module docstring)."""

    def __init__(self, settings: Settings, *, create: bool = False, check: bool = True) -> None:
        self.settings = settings
        self.workspace = Workspace(settings.workspace)
        if create:
            self.workspace.create()
        elif check and not self.workspace.root.is_dir():
            raise WorkspaceError(
                f"no ipnav workspace at {self.workspace.root.resolve()} (mistyped --workspace?); "
                "`ipnav init` or `ipnav ingest` creates one"
            )
        self._shared: SnapshotReader | None = None  # the web's reader (one per process), see `share`

    # -- the warehouse ---------------------------------------------------------------------------

    def share(self) -> SnapshotReader:
        """Serve many readers at once: reads go to the published snapshot, writes through one writer."""
        from ipnav.store.snapshot import SnapshotReader

        self._shared = SnapshotReader.for_path(self.workspace.warehouse_path, self.settings.lock_wait)
        return self._shared

    @contextmanager
    def reading(self, wh: Warehouse | None = None) -> Iterator[Warehouse]:
        """The warehouse to read: `wh` when given, else a snapshot cursor (shared) or the file itself."""
        if wh is not None:
            yield wh
        elif self._shared is not None:
            with self._shared.cursor() as cursor:
                yield cursor
        else:
            from ipnav.store.warehouse import Warehouse

            with Warehouse(self.workspace.warehouse_path, lock_wait=self.settings.lock_wait) as own:
                yield own

    @contextmanager
    def writing(self, what: str = "a change") -> Iterator[Warehouse]:
        """The read-write warehouse, alone; readers see the change when it closes."""
        if self._shared is not None:
            with self._shared.writer(what) as wh:
                yield wh
        else:
            from ipnav.store.warehouse import Warehouse

            with Warehouse(self.workspace.warehouse_path, lock_wait=self.settings.lock_wait) as wh:
                yield wh

    @functools.cached_property
    def accounts(self) -> Accounts:
        """Users, sessions and the audit log of this workspace."""
        from ipnav.accounts import Accounts

        return Accounts(self.workspace.create().accounts_path)

    @functools.cached_property
    def searches(self) -> Searches:
        """Each user's search history and saved searches."""
        from ipnav.accounts.searches import Searches

        return Searches(self.accounts)

    # -- loading ---------------------------------------------------------------------------------

    def init(self) -> dict[str, int]:
        """Create the workspace and its warehouse with the reference tables; rows per table."""
        from ipnav.store.reference import ensure_reference

        self.workspace.create()
        with self.writing("init") as wh:
            return ensure_reference(wh.con)

    def reference(self) -> dict[str, int]:
        """Reference tables (IPC/CPC titles, adcodes, population, SEI concordance ...) and their rows,
        loaded first when missing (a write: ingest and init load them too)."""
        from ipnav.store.reference import ensure_reference

        with self.writing("reference tables") as wh:
            return ensure_reference(wh.con)

    def ingest(
        self,
        paths: list[Path],
        *,
        header_map: Path | None = None,
        workers: int | None = None,
        batch_size: int | None = None,
        index: bool = True,
        progress: Callable[[int, str], None] | None = None,
        on_reject: Callable[[Reject], None] | None = None,
        holding: Callable[[], AbstractContextManager[Any]] | None = None,
        parse: Any = None,
    ) -> IngestSummary:
        """Load records (documents, derived tables), then the search index and value scores: one run,
        one snapshot. `index=False` leaves the index to `reindex` (fastest for a very large first load).
        `holding` wraps the run (the web holds its writer lock with it); `parse` parses elsewhere
        (`spark_ingest`)."""
        from contextlib import nullcontext

        from ipnav.ingest.run import ingest
        from ipnav.ingest.sources import InputLimits
        from ipnav.search.service import sync_index
        from ipnav.value.service import refresh

        conf, indexed = self.settings, list[int]()

        def update_index(wh: Warehouse) -> None:
            if progress:
                progress(0, "search index")
            indexed.append(sync_index(self.workspace, wh))
            indexed.extend(module.sync(self.workspace, wh) for module in _kind_indexes())

        steps: list[Callable[[Warehouse], object]] = [update_index, self.collect_alerts] if index else []
        steps.append(lambda wh: refresh(wh, conf))
        with holding() if holding else nullcontext():
            summary = ingest(
                paths,
                self.workspace.create(),
                batch_size=batch_size or conf.batch_size,
                workers=workers if workers is not None else conf.workers,
                header_map=header_map or conf.header_map,
                progress=progress,
                on_reject=on_reject,
                limits=InputLimits.from_settings(conf),
                after=steps,
                lock_wait=conf.lock_wait,
                parse=parse,
            )
        summary.indexed = sum(indexed)
        if index:  # alerts are sent outside the warehouse lock: a slow mail server holds up no one
            self.deliver_alerts()
        return summary

    def input_size(self, paths: list[Path]) -> int:
        """Bytes an ingest of `paths` will read (for a progress bar)."""
        from ipnav.ingest.run import collect_sources
        from ipnav.ingest.sources import InputLimits

        return sum(s.size for s in collect_sources(paths, InputLimits.from_settings(self.settings)) if not s.problem)

    def reindex(self, shards: int | None = None) -> dict[str, Any]:
        """Rebuild the search index from the warehouse; `shards`: lay it out anew as that many hash shards
        per office (0: one index)."""
        from ipnav.search.service import rebuild_index, reshard

        started = time.perf_counter()
        with self.writing("reindex") as wh:
            if shards is not None:
                reshard(self.workspace, shards)
            count = rebuild_index(self.workspace, wh)
            count += sum(module.rebuild(self.workspace, wh) for module in _kind_indexes())
            found: dict[str, Any] = {"indexed": count}
            if shards is not None:  # the vector index is cut as the text index is
                from ipnav.semantic import vectors

                found["vectors"] = vectors.sync(self.workspace, wh)
        return {**found, "seconds": round(time.perf_counter() - started, 3)}

    def awards_load(self, path: Path) -> dict[str, Any]:
        """Load (or reload) an award list; the stored high-value flags follow it."""
        from ipnav.value import awards
        from ipnav.value.service import refresh

        with self.writing("awards") as wh:
            data = awards.load(wh, path)
            refresh(wh, self.settings)
        return data

    def awards(self, wh: Warehouse | None = None) -> list[dict[str, Any]]:
        """The loaded awards."""
        from ipnav.value import awards

        with self.reading(wh) as reader:
            return awards.listing(reader)

    # -- reading ---------------------------------------------------------------------------------

    def stats(self, wh: Warehouse | None = None) -> dict[str, Any]:
        """What the warehouse holds, by source format, country, type, status, year and province."""
        from ipnav.store import reads

        with self.reading(wh) as reader:
            return reads.stats(reader)

    def navigation_examples(self, limit: int = 4, wh: Warehouse | None = None) -> list[dict[str, Any]]:
        """Selections to start a navigation with, from what the warehouse holds: everything, its busiest IPC
        subclasses (with their titles) and its leading applicants, each with its size."""
        from ipnav.store.ipc import titles

        with self.reading(wh) as reader:
            total = reader.con.execute("SELECT count(*) FROM patents").fetchone()
            out = [
                {"selection": "all", "label_zh": "全部数据", "label_en": "everything", "size": total[0] if total else 0}
            ]
            fields = reader.con.execute(
                "SELECT subclass, count(*) AS n FROM patent_subclasses GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?", [limit]
            ).fetchall()
            named = {t["symbol"]: t for t in titles(reader, [code for code, _ in fields])}
            for code, n in fields:
                out.append({"selection": f"ipc={code}", "label_zh": named[code]["title"] or code,
                            "label_en": code, "size": n})  # fmt: skip
            for entity, n in reader.con.execute(
                "SELECT entity, count(*) AS n FROM patent_entities GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?", [limit]
            ).fetchall():
                out.append({"selection": f'pae="{entity}"', "label_zh": entity, "label_en": entity, "size": n})
        return out

    def dashboard(self, as_of: dt.date | None = None, wh: Warehouse | None = None) -> dict[str, Any]:
        """The home region's dashboard: headline indicators with their change and plan target, sub-regions,
        top applicants and IPC fields, plan status, last ingest, and the shares without region or status."""
        from ipnav.application.dashboard import dashboard

        return dashboard(self, as_of, wh)

    def regions(self, *, apply: bool = False, wh: Warehouse | None = None) -> dict[str, Any]:
        """Where applicants' regions come from (per basis) and the state of the user's table
        `applicant_regions.csv`; `apply` infers them again (after editing the table) and updates the index."""
        from ipnav.store import regions

        table = self.workspace.root / regions.TABLE_NAME
        if apply:
            from ipnav.search.service import sync_index

            with self.writing("regions") as writer:
                run_id = writer.start_run([str(table)])
                summary = regions.infer(writer.con, run_id, table)
                sync_index(self.workspace, writer)
                writer.finish_run(run_id, {"files": 1 if table.exists() else 0, "records": 0, "inserted": 0,
                                           "updated": summary.changed, "unchanged": 0, "rejected": 0,
                                           "seconds": 0.0}, "done")  # fmt: skip
                return {**regions.report(writer.con, table), "changed": summary.changed}
        with self.reading(wh) as reader:
            return regions.report(reader.con, table)

    def rejects(self, *, limit: int | None = None, run: int | None = None, wh: Warehouse | None = None) -> list[Any]:
        """Rejected records: file, record position, field and reason."""
        from ipnav.store import reads

        with self.reading(wh) as reader:
            return reads.rejects(reader, limit=limit, run_id=run)

    def show(self, number: str, wh: Warehouse | None = None) -> dict[str, Any]:
        """One patent in full, found by any spelling of its numbers."""
        from ipnav.store import reads

        with self.reading(wh) as reader:
            return reads.patent_detail(reader, number)

    def lookup(self, numbers: list[str], wh: Warehouse | None = None) -> dict[str, Any]:
        """A list of numbers (any spelling, up to 10,000): found, not found (close numbers), ambiguous."""
        from ipnav.store.lookup import lookup

        with self.reading(wh) as reader:
            return lookup(reader, numbers)

    def ipc_titles(self, symbols: list[str], wh: Warehouse | None = None) -> list[dict[str, Any]]:
        """IPC symbols with their titles: Chinese from IPC 2026.01, else English from CPC 2022.08 (said so)."""
        from ipnav.store.ipc import titles

        with self.reading(wh) as reader:
            return titles(reader, symbols)

    def citations(self, app_key: str, wh: Warehouse | None = None) -> dict[str, Any]:
        """The patents one application cites and the patents citing it, linked when in the warehouse."""
        from ipnav.store import reads

        with self.reading(wh) as reader:
            return reads.citation_links(reader, app_key)

    def runs(self, limit: int = 20, wh: Warehouse | None = None) -> list[dict[str, Any]]:
        """The latest ingest runs, newest first."""
        from ipnav.store import reads

        with self.reading(wh) as reader:
            rows = reader.query("SELECT * FROM ingest_runs ORDER BY run_id DESC LIMIT ?", [limit])
        return [reads.plain(r) for r in rows]

    def export_hits(self, query: str, fmt: str, target: Path, wh: Warehouse | None = None) -> int:
        """Every hit of a query (no cap) to an xlsx or csv file; the number of rows."""
        from ipnav.search import service
        from ipnav.store import reads

        with self.reading(wh) as reader:
            keys = list(service.matching_keys(self.workspace, reader, query, self.settings))
            return reads.export(reader, fmt, target, keys=keys)

    def export_selected(
        self, numbers: list[str], fmt: str, target: Path, wh: Warehouse | None = None
    ) -> dict[str, Any]:
        """Chosen patents (numbers in any spelling or application keys, up to 10,000) to an xlsx or csv file,
        one row each as in the export of every hit; the numbers not found are reported."""
        from ipnav.store import reads
        from ipnav.store.lookup import lookup

        with self.reading(wh) as reader:
            found = lookup(reader, numbers)
            if not found["keys"]:
                raise UsageError("none of the chosen numbers is in this workspace / 所选号码均未找到")
            rows = reads.export(reader, fmt, target, keys=found["keys"])
        return {"rows": rows, "path": str(target), "not_found": [r["input"] for r in found["not_found"]],
                "ambiguous": [r["input"] for r in found["ambiguous"]]}  # fmt: skip

    def export(self, fmt: str, target: Path | None = None) -> dict[str, Any]:
        """One row per application to parquet, csv (UTF-8 with BOM) or xlsx."""
        from ipnav.store import reads

        path = target or self.workspace.create().exports_dir / f"patents.{fmt}"
        with self.reading() as reader:
            return {"rows": reads.export(reader, fmt, path), "path": str(path)}

    def search(self, options: SearchOptions, wh: Warehouse | None = None) -> dict[str, Any]:
        """One page of hits with facets and the cursor of the next page."""
        from ipnav.search import service

        o = options
        with self.reading(wh) as reader:
            return service.search(
                self.workspace, reader, o.query(), limit=o.limit, sort=o.sort, cursor=o.cursor, facets=o.facets,
                settings=self.settings,
            )  # fmt: skip

    def check_index(self, wh: Warehouse | None = None) -> None:
        """Raise IndexBehind when documents were loaded without indexing (`ingest --no-index`)."""
        from ipnav.search.service import check_index

        with self.reading(wh) as reader:
            check_index(self.workspace, reader)

    def search_all(self, query: str) -> Iterator[dict[str, Any]]:
        """Every hit of a query, streamed: no cap."""
        from ipnav.search import service

        with self.reading() as reader:
            service.check_index(self.workspace, reader)
            yield from service.search_all(self.workspace, reader, query, self.settings)

    def analyze(self, kind: str, options: AnalysisOptions, wh: Warehouse | None = None) -> dict[str, Any]:
        """One navigation analysis of a selection: rows and the ECharts option."""
        from ipnav.analytics.navigate import analyze
        from ipnav.analytics.selection import Selection

        extra = {k: v for k, v in (("limit", options.limit), ("level", options.level)) if v is not None}
        if options.region_basis != "all":
            if kind != "regions":
                raise UsageError("--region-basis applies to the regions analysis")
            extra["region_basis"] = options.region_basis
        with self.engine_reading(wh) as reader:
            return analyze(
                self.workspace, reader, self.settings, Selection.parse(options.selection), kind, as_of=options.as_of,
                **extra,
            )  # fmt: skip

    def navigate(self, options: SelectionOptions, wh: Warehouse | None = None) -> dict[str, Any]:
        """The full navigation pack of a selection: every analysis with its chart."""
        from ipnav.analytics.navigate import navigate
        from ipnav.analytics.selection import Selection

        with self.engine_reading(wh) as reader:
            return navigate(
                self.workspace, reader, self.settings, Selection.parse(options.selection), as_of=options.as_of
            )

    def localized_charts(self, pack: dict[str, Any], selection: str, lang: str) -> dict[str, dict[str, Any]]:
        """The charts of a navigation pack in a language (`zh` as computed, or `en`), from its rows."""
        from ipnav.analytics.navigate import localized
        from ipnav.analytics.selection import Selection

        return localized(pack, Selection.parse(selection), lang)

    def report(
        self,
        options: SelectionOptions,
        fmt: str,
        target: Path | None = None,
        wh: Warehouse | None = None,
        lang: str = "zh",
    ) -> dict[str, Any]:
        """A navigation report (xlsx with native charts, docx, pdf or html) of a selection; its tables and
        charts name everything in `lang` (the written findings are in Chinese)."""
        from ipnav.reports.navigation import write_report

        path = target or self.workspace.create().exports_dir / f"navigation-report.{fmt}"
        with self.reading(wh) as reader:
            pack = self.navigate(options, wh=reader)
            if lang != "zh":
                charts = self.localized_charts(pack, options.selection, lang)
                for kind, result in pack["analyses"].items():
                    result["option"] = charts[kind]
            write_report(pack, reader, fmt, path, font=self.settings.cjk_font, lang=lang)
        return {"path": str(path), "applications": pack["applications"], "analyses": len(pack["analyses"])}

    def indicator_request(self, name: str, options: IndicatorOptions) -> Any:
        """The indicator question with the workspace settings filled in."""
        from ipnav.kpi.indicators import make_request

        o = options
        return make_request(
            self.settings, name, as_of=o.as_of, years=o.years, counting=o.counting, pledge_min=o.pledge_min,
            sei_scope=o.sei_scope, sei_keywords=o.sei_keywords, unknown_status=o.unknown_status, region=o.region,
            by=o.by, population=o.population, patents=o.patents, year=o.year, region_basis=o.region_basis,
        )  # fmt: skip

    def indicator(self, name: str, options: IndicatorOptions, wh: Warehouse | None = None) -> dict[str, Any]:
        """A regional indicator as of a date, with sources, breakdown and drill-down."""
        from ipnav.kpi.indicators import compute

        request = self.indicator_request(name, options)
        with self.engine_reading(wh) as reader:
            return compute(reader, request)

    @staticmethod
    def indicator_file(result: dict[str, Any], out: Path) -> Path:
        """Write an indicator result as .xlsx (figures with a chart, patents, sources) or .csv."""
        from ipnav.kpi.export import write

        return write(result, out)

    def value(self, number: str, options: ValueOptions, wh: Warehouse | None = None) -> dict[str, Any]:
        """A patent's official flags (valid, high-value with evidence) and its value score."""
        from ipnav.value.service import patent_value

        with self.reading(wh) as reader:
            return patent_value(reader, self.settings, number, as_of=options.as_of, weights=options.weights)


def _kind_indexes() -> list[Any]:
    """The search-index modules of record kinds other than patents (`RecordKind.index`)."""
    import importlib

    from ipnav.kinds import KINDS

    return [importlib.import_module(kind.index) for kind in KINDS.values() if kind.index]
