"""The warehouse: one DuckDB file in the workspace.

Writes go through `upsert` in batches, each batch one transaction: a killed ingest
leaves the last committed batch, and re-running finishes the job with exactly the
tables a clean run leaves.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from ipnav.errors import WarehouseBusy, WorkspaceError
from ipnav.model import Patent, Record, Reject, Transaction
from ipnav.store import rows, snapshot
from ipnav.store.codec import load_document
from ipnav.store.merge import merge_documents
from ipnav.store.prepare import Prepared, prepare
from ipnav.store.schema import DDL, DERIVED_TABLES, DOCUMENTS_ARROW, SCHEMA_VERSION


@dataclass
class UpsertResult:
    """Counts of one upsert: inserted, updated, unchanged."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    changed_apps: list[str] = field(default_factory=list)


def _documents_table(items: list[Prepared], run_id: int) -> pa.Table:
    return pa.table(
        {
            "doc_key": [p.doc_key for p in items],
            "app_key": [p.app_key for p in items],
            "kind": [p.kind for p in items],
            "content_hash": [p.digest for p in items],
            "source_file": [p.source_file for p in items],
            "source_position": [p.source_position for p in items],
            "source_format": [p.source_format for p in items],
            "body": [p.body for p in items],
            "description": [p.description for p in items],
            "run_id": [run_id] * len(items),
        },
        schema=DOCUMENTS_ARROW,
    )


# Records without a number (content key K:...) and the application they are: same title (spaces and
# punctuation aside), same first applicant (normalised), same filing date. They join the one numbered
# record of that description; without one, rows of one application (a CNKI export lists its A and its
# B publication apart) join the smallest content key. Two numbered candidates: left alone.
_LINKS_SQL = """
WITH firsts AS (
    SELECT p.app_key, p.filing_date, regexp_replace(lower(p.title), '[\\s\\p{P}\\p{S}]', '', 'g') AS t,
           arg_min(a.name_norm, (a.role <> 'applicant', a.seq)) AS applicant
    FROM patents p JOIN parties a ON a.app_key = p.app_key AND a.role IN ('applicant', 'assignee')
    WHERE p.filing_date IS NOT NULL AND coalesce(p.title, '') <> ''
    GROUP BY ALL
), groups AS (
    SELECT t, applicant, filing_date,
           count(*) FILTER (WHERE app_key NOT LIKE 'K:%') AS numbered,
           min(app_key) FILTER (WHERE app_key NOT LIKE 'K:%') AS numbered_key,
           min(app_key) FILTER (WHERE app_key LIKE 'K:%') AS content_key
    FROM firsts GROUP BY ALL HAVING count(*) > 1
)
SELECT f.app_key, CASE WHEN g.numbered = 1 THEN g.numbered_key ELSE g.content_key END AS target
FROM firsts f JOIN groups g USING (t, applicant, filing_date)
WHERE f.app_key LIKE 'K:%' AND g.numbered <= 1 AND f.app_key <> target
"""


# derived tables added after warehouses were built: (table, table it derives from, SQL that fills it)
_BACKFILLS = (
    ("patent_entities", "patent_owners",
     "INSERT INTO patent_entities SELECT app_key, entity, first(etype ORDER BY name) FROM patent_owners "
     "GROUP BY app_key, entity"),
    ("entity_pairs", "patent_entities",
     "INSERT INTO entity_pairs SELECT x.app_key, x.entity, y.entity, x.etype, y.etype FROM patent_entities x "
     "JOIN patent_entities y ON x.app_key = y.app_key AND x.entity < y.entity"),
    ("patent_subclasses", "classifications",
     "INSERT INTO patent_subclasses SELECT DISTINCT app_key, substr(symbol, 1, 4) FROM classifications "
     "WHERE scheme = 'ipc' AND length(symbol) >= 4"),
    ("patent_sei_codes", "patent_sei",
     "INSERT INTO patent_sei_codes SELECT DISTINCT app_key, sei_code, sei_name, category_code, category_name "
     "FROM patent_sei"),
    ("patent_wipo", "classifications",  # the patterns matched once per distinct symbol, then joined back
     "INSERT INTO patent_wipo SELECT DISTINCT c.app_key, f.field_no FROM classifications c JOIN ("
     "SELECT DISTINCT s.symbol, w.Field_number AS field_no FROM (SELECT DISTINCT symbol FROM classifications "
     "WHERE scheme = 'ipc') s JOIN ref_wipo35 w ON s.symbol LIKE regexp_replace(w.IPC_code, '\\s+', '', 'g')"
     ") f USING (symbol) WHERE c.scheme = 'ipc'"),
)  # fmt: skip


class Warehouse:
    """DuckDB warehouse at `path` (":memory:" for tests)."""

    def __init__(self, path: Path | str, *, read_only: bool = False, lock_wait: float = 10.0) -> None:
        self.path = str(path)
        self.read_only = read_only
        self._owner = True  # closing publishes a snapshot for the readers (read-write files only)
        self.snapshot = ""  # the published snapshot this reads, when it reads one (a key for caches)
        # another process may hold the file a moment (a web server between requests): writers wait a little
        deadline = time.monotonic() + (0.0 if read_only else lock_wait)
        while True:
            try:
                self.con = duckdb.connect(self.path, read_only=read_only)
                break
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower():
                    raise WorkspaceError(f"cannot open warehouse {self.path}: {exc}") from exc
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(
                        f"the warehouse {self.path} is in use by another ipnav process (an ingest or a web server "
                        "answering requests); try again when it ends"
                    ) from exc
                time.sleep(0.2)
        if not read_only:
            self.con.execute(DDL)
            if not self.con.execute("SELECT 1 FROM meta WHERE key = 'schema_version'").fetchone():
                self.con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
            self._backfill()

    def _backfill(self) -> None:
        """Fill derived tables and columns added after this warehouse was built from what they derive from."""
        con = self.con
        if con.execute("SELECT 1 FROM patents WHERE has_ipc IS NULL LIMIT 1").fetchone():
            con.execute(
                """UPDATE patents SET
                    has_ipc = app_key IN (SELECT app_key FROM classifications WHERE scheme = 'ipc'),
                    has_owner = app_key IN (SELECT app_key FROM patent_owners),
                    has_inventor = app_key IN (SELECT app_key FROM parties WHERE role = 'inventor'),
                    has_text = coalesce(title, '') <> '' OR coalesce(abstract, '') <> '',
                    has_citation = app_key IN (SELECT app_key FROM citations WHERE kind = 'patent')
                WHERE has_ipc IS NULL"""
            )
        present = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        for table, source, fill in _BACKFILLS:
            needs = {source, *re.findall(r"\bref_\w+", fill)}
            if not needs <= present or not con.execute(f"SELECT 1 FROM {source} LIMIT 1").fetchone():
                continue
            if not con.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():
                con.execute(fill)

    @classmethod
    def cursor_of(
        cls, con: duckdb.DuckDBPyConnection, path: Path | str, *, read_only: bool, snapshot: str = ""
    ) -> Warehouse:
        """A warehouse over a new cursor of an open connection (cheap; closing it closes the cursor only)."""
        wh = cls.__new__(cls)
        wh.path, wh.read_only, wh.con, wh._owner, wh.snapshot = str(path), read_only, con.cursor(), False, snapshot
        return wh

    def close(self) -> None:
        """Close; a read-write warehouse first checkpoints and publishes its snapshot for the readers."""
        try:
            if self._owner and not self.read_only and self.path != ":memory:" and self._checkpoint():
                snapshot.publish(Path(self.path))
        finally:
            self.con.close()

    def _checkpoint(self) -> bool:
        """Write everything into the file; False when a transaction is still open (a writer that failed:
        what it committed is published by the next writer)."""
        try:
            self.con.execute("CHECKPOINT")
        except duckdb.Error:
            return False
        return True

    def tune_for_bulk_load(self) -> None:
        """Settings for a long ingest: bounded memory, and checkpoints less often than every batch.

        One DuckDB thread: the parser workers need the other cores, and inserts of
        prepared Arrow batches gain little from more threads.
        """
        self.con.execute("SET memory_limit = '256MB'")
        self.con.execute("SET threads = 1")
        self.con.execute("SET checkpoint_threshold = '256MB'")

    def tune_for_passes(self) -> None:
        """Settings for the passes over the whole warehouse that end an ingest (regions, flags): the parser
        workers are done, so every core, and 1 GB (the 256 MB bulk-load limit runs out at a million
        applications; DuckDB spills to disk beyond the limit)."""
        self.con.execute("SET memory_limit = '1GB'")
        self.con.execute("RESET threads")

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writes -----------------------------------------------------------------------------------

    def upsert(self, items: Sequence[Prepared | Record], run_id: int) -> UpsertResult:
        """Store a batch of documents in one transaction; returns what changed.

        Items are `Prepared` (serialised by a parser worker) or plain records.
        """
        latest: dict[str, Prepared] = {}
        for item in items:
            prepared = item if isinstance(item, Prepared) else prepare(item)
            held = latest.get(prepared.doc_key)
            if held is None or prepared.version >= held.version:  # the later of equals, the newer version
                latest[prepared.doc_key] = prepared
        if not latest:
            return UpsertResult()
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            result = self._upsert(latest, run_id)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return result

    def _upsert(self, latest: dict[str, Prepared], run_id: int) -> UpsertResult:
        con = self.con
        con.register("incoming_keys", pa.table({"doc_key": list(latest)}))
        existing = {
            key: (digest, app)
            for key, digest, app in con.execute(
                "SELECT d.doc_key, d.content_hash, d.app_key FROM documents d SEMI JOIN incoming_keys i USING (doc_key)"
            ).fetchall()
        }
        con.unregister("incoming_keys")
        stored_versions = self._stored_versions(
            [k for k, p in latest.items() if p.version and k in existing and existing[k][0] != p.digest]
        )
        result = UpsertResult()
        changed: list[Prepared] = []
        previous_apps: set[str] = set()
        for key, prepared in latest.items():
            if key not in existing:
                result.inserted += 1
                changed.append(prepared)
            elif existing[key][0] != prepared.digest and prepared.version >= stored_versions.get(key, ""):
                result.updated += 1
                changed.append(prepared)
                previous_apps.add(existing[key][1])
            else:
                result.unchanged += 1
        if not changed:
            return result
        updated_keys = [p.doc_key for p in changed if p.doc_key in existing]
        if updated_keys:
            con.register("updated_keys", pa.table({"doc_key": updated_keys}))
            con.execute("DELETE FROM documents WHERE doc_key IN (SELECT doc_key FROM updated_keys)")
            con.unregister("updated_keys")
        apps = {p.app_key for p in changed} | previous_apps
        # documents of these applications already stored (other publications, other formats)
        stored = self._stored_documents(apps)
        previous_apps |= {row[1] for row in stored}
        con.register("changed_docs", _documents_table(changed, run_id))
        con.execute("INSERT INTO documents BY NAME SELECT * FROM changed_docs")
        con.unregister("changed_docs")
        if previous_apps:
            self._delete_derived(previous_apps)
        self._insert_derived(changed, stored, apps)
        result.changed_apps = sorted(apps)
        return result

    def _delete_derived(self, apps: set[str]) -> None:
        con = self.con
        con.register("stale", pa.table({"app_key": sorted(apps)}))
        for table in DERIVED_TABLES:
            con.execute(f"DELETE FROM {table} WHERE app_key IN (SELECT app_key FROM stale)")
        con.execute("DELETE FROM transaction_patents WHERE key IN (SELECT substr(app_key, 3) FROM stale)")
        con.execute("DELETE FROM transactions WHERE key IN (SELECT substr(app_key, 3) FROM stale)")
        con.unregister("stale")

    def _insert_derived(self, changed: list[Prepared], stored: list[tuple[Any, ...]], apps: set[str]) -> None:
        """Derived rows for every affected application: precomputed when it has one document, else merged."""
        by_app: dict[str, list[Prepared | Record]] = {}
        for prepared in changed:
            by_app.setdefault(prepared.app_key, []).append(prepared)
        for _doc_key, app_key, body, description, source_file, position in stored:
            by_app.setdefault(app_key, []).append(load_document(body, description, source_file, position))
        columns = rows.new_columns()
        merged: list[Patent] = []
        counts: dict[str, int] = {}
        formats: dict[str, str] = {}
        transactions: list[Transaction] = []
        for app in apps:
            docs = by_app.get(app, [])
            if len(docs) == 1 and isinstance(docs[0], Prepared) and docs[0].columns is not None:
                rows.extend(columns, docs[0].columns)
                continue
            records = [d.record() if isinstance(d, Prepared) else d for d in docs]
            for other in records:  # records of other kinds (trademarks ...) derive their own rows
                if not isinstance(other, Patent | Transaction):
                    rows.extend(columns, other.columns())
            patents = [r for r in records if isinstance(r, Patent)]
            if patents:
                merged.append(merge_documents(patents))
                counts[app] = len(patents)
                formats[app] = ",".join(sorted({p.source_format for p in patents}))
            transactions += [r for r in records if isinstance(r, Transaction)]
        rows.extend(columns, rows.patent_columns(merged, counts, formats))
        # both: records of other kinds (register pledges ...) give transaction rows too, beside the Transactions
        tables = [*rows.to_tables(columns).items(), *rows.transaction_rows(transactions).items()]
        for name, table in tables:
            if table.num_rows:
                self.con.register("batch_rows", table)
                self.con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM batch_rows")
                self.con.unregister("batch_rows")

    def _stored_versions(self, keys: list[str]) -> dict[str, str]:
        """How current each stored document is (`version` of its record: a trademark's status date), so
        that an older copy read later (an earlier daily file, a status file downloaded before) never
        replaces a newer one."""
        if not keys:
            return {}
        self.con.register("versioned", pa.table({"doc_key": keys}))
        try:
            rows_ = self.con.execute(
                "SELECT d.doc_key, d.body, d.description, d.source_file, d.source_position "
                "FROM documents d SEMI JOIN versioned v USING (doc_key)"
            ).fetchall()
        finally:
            self.con.unregister("versioned")
        return {key: str(getattr(load_document(*rest), "version", "")) for key, *rest in rows_}

    def _stored_documents(self, apps: set[str]) -> list[tuple[Any, ...]]:
        """(doc_key, app_key, body, description, source_file, source_position) of the stored documents of
        these applications (other publications, other formats)."""
        con = self.con
        con.register("affected", pa.table({"app_key": sorted(apps)}))
        try:
            return con.execute(
                "SELECT d.doc_key, d.app_key, d.body, d.description, d.source_file, d.source_position "
                "FROM documents d SEMI JOIN affected a USING (app_key)"
            ).fetchall()
        finally:
            con.unregister("affected")

    def link_unnumbered(self, run_id: int) -> int:
        """Merge each record without a number (a CNKI row, key K:...) into the application it is (see
        `_LINKS_SQL`); returns how many were linked. Idempotent."""
        if not self.con.execute("SELECT 1 FROM patents WHERE app_key LIKE 'K:%' LIMIT 1").fetchone():
            return 0
        pairs = self.con.execute(_LINKS_SQL).fetchall()
        if not pairs:
            return 0
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            con.register("links", pa.table({"orphan": [p[0] for p in pairs], "target": [p[1] for p in pairs]}))
            con.execute(
                "UPDATE documents SET app_key = l.target, run_id = ? FROM links l WHERE documents.app_key = l.orphan",
                [run_id],
            )
            con.execute("INSERT INTO touched_apps SELECT ?, orphan FROM links", [run_id])
            con.unregister("links")
            apps = {p[0] for p in pairs} | {p[1] for p in pairs}
            self._delete_derived(apps)
            targets = {p[1] for p in pairs}
            self._insert_derived([], self._stored_documents(targets), targets)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return len(pairs)

    def add_rejects(self, rejects: Sequence[Reject], run_id: int, rejects_dir: Path | None) -> int:
        """Record rejects (idempotent: the same reject of the same bytes is stored once)."""
        new = 0
        for reject in rejects:
            digest = hashlib.blake2b(
                f"{reject.source_file}\x1f{reject.position}\x1f{reject.field}\x1f{reject.reason}".encode() + reject.raw,
                digest_size=10,
            ).hexdigest()
            if self.con.execute("SELECT 1 FROM rejects WHERE reject_id = ?", [digest]).fetchone():
                continue
            raw_path = ""
            if rejects_dir is not None and reject.raw:
                rejects_dir.mkdir(parents=True, exist_ok=True)
                target = rejects_dir / f"{digest}.raw"
                target.write_bytes(reject.raw)
                raw_path = str(target)
            self.con.execute(
                "INSERT INTO rejects (reject_id, run_id, source_file, position, line, field, reason, raw_path, "
                "raw_size, created_at, raw_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [digest, run_id, reject.source_file, reject.position, reject.line, reject.field, reject.reason,
                 raw_path, reject.size, dt.datetime.now(), reject.sha256],
            )  # fmt: skip
            new += 1
        return new

    def start_run(self, paths: Sequence[str]) -> int:
        """Record a new run; runs left `running` by a process that died are marked `interrupted` first.

        Whoever holds the warehouse read-write is its only writer (DuckDB's file lock across processes,
        the one ingest at a time within the server), so no other run can still be going on.
        """
        self.con.execute(
            "UPDATE ingest_runs SET status = 'interrupted', finished_at = coalesce(finished_at, ?) "
            "WHERE status = 'running'",
            [dt.datetime.now()],
        )
        run_id = int(self.con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM ingest_runs").fetchone()[0])  # type: ignore[index]
        self.con.execute(
            "INSERT INTO ingest_runs (run_id, started_at, paths, status) VALUES (?, ?, ?, 'running')",
            [run_id, dt.datetime.now(), "\n".join(paths)],
        )
        return run_id

    def current_run(self) -> int:
        """The id of the latest ingest run (0 before the first)."""
        row = self.con.execute("SELECT max(run_id) FROM ingest_runs").fetchone()
        return int(row[0] or 0) if row else 0

    def finish_run(self, run_id: int, summary: dict[str, Any], status: str) -> None:
        """Record the end of an ingest run with its summary and status."""
        self.con.execute(
            "UPDATE ingest_runs SET finished_at = ?, files = ?, records = ?, inserted = ?, updated = ?, "
            "unchanged = ?, rejected = ?, seconds = ?, status = ? WHERE run_id = ?",
            [
                dt.datetime.now(),
                summary["files"],
                summary["records"],
                summary["inserted"],
                summary["updated"],
                summary["unchanged"],
                summary["rejected"],
                summary["seconds"],
                status,
                run_id,
            ],
        )

    # --- reads ------------------------------------------------------------------------------------

    def has_table(self, name: str) -> bool:
        """Whether the warehouse stores a table of that name (temporary ones do not count)."""
        sql = "SELECT 1 FROM duckdb_tables() WHERE table_name = ? AND NOT temporary"
        return bool(self.con.execute(sql, [name]).fetchall())

    def ibis(self) -> Any:
        """The ibis backend over this warehouse's connection (the analyses' expressions run on it)."""
        import ibis

        # a new one each time: making one ends the result DuckDB's connection may still hold from the last
        # `to_pyarrow`, which would otherwise refuse the next `register` ("unfinished result")
        return ibis.duckdb.from_connection(self.con)

    def materialize(self, name: str, expr: Any) -> Any:
        """An ibis expression computed once into a temporary table of that name (by its own backend)."""
        return expr._find_backend().create_table(name, expr, temp=True)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Rows of a query as dicts."""
        return query_dicts(self.con, sql, params)

    def count(self, table: str) -> int:
        """Rows of a table."""
        return int(self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # type: ignore[index]


def query_dicts(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """Rows of a query as dicts."""
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
