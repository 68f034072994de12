"""The warehouse: one DuckDB file in the workspace.

Writes go through `upsert` in batches, each batch one transaction: a killed ingest
leaves the last committed batch, and re-running finishes the job with exactly the
tables a clean run leaves.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import orjson
import pyarrow as pa

from ipnav.errors import WorkspaceError
from ipnav.model import Patent, Record, Reject, Transaction, content_digest, record_from_dict
from ipnav.store import rows
from ipnav.store.merge import merge_documents
from ipnav.store.schema import DDL, DERIVED_TABLES, DOCUMENTS_ARROW, SCHEMA_VERSION


@dataclass
class UpsertResult:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    changed_apps: list[str] = field(default_factory=list)


def _body(record: Record) -> tuple[bytes, str]:
    """JSON body and content hash; the hash leaves out where the record came from."""
    return orjson.dumps(record), content_digest(record)


class Warehouse:
    """DuckDB warehouse at `path` (":memory:" for tests)."""

    def __init__(self, path: Path | str, *, read_only: bool = False) -> None:
        self.path = str(path)
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.IOException as exc:
            raise WorkspaceError(f"cannot open warehouse {self.path}: {exc}") from exc
        if not read_only:
            self.con.execute(DDL)
            if not self.con.execute("SELECT 1 FROM meta WHERE key = 'schema_version'").fetchone():
                self.con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writes -----------------------------------------------------------------------------------

    def upsert(self, records: Sequence[Record], run_id: int) -> UpsertResult:
        """Store a batch of records in one transaction; returns what changed."""
        latest: dict[str, tuple[Record, bytes, str]] = {}
        for record in records:
            body, digest = _body(record)
            latest[record.doc_key] = (record, body, digest)
        if not latest:
            return UpsertResult()
        incoming = pa.table(
            {
                "doc_key": list(latest),
                "app_key": [r.app_key if isinstance(r, Patent) else r.doc_key for r, _, _ in latest.values()],
                "kind": ["patent" if isinstance(r, Patent) else "transaction" for r, _, _ in latest.values()],
                "content_hash": [d for _, _, d in latest.values()],
                "source_file": [r.source_file for r, _, _ in latest.values()],
                "source_position": [r.source_position for r, _, _ in latest.values()],
                "source_format": [r.source_format for r, _, _ in latest.values()],
                "body": [b.decode() for _, b, _ in latest.values()],
                "run_id": [run_id] * len(latest),
            },
            schema=DOCUMENTS_ARROW,
        )
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            con.register("incoming", incoming)
            existing = dict(
                con.execute(
                    "SELECT d.doc_key, d.content_hash || '|' || d.app_key FROM documents d "
                    "JOIN incoming i USING (doc_key)"
                ).fetchall()
            )
            result = UpsertResult()
            changed: list[str] = []
            old_apps: set[str] = set()
            for key, (_record, _, digest) in latest.items():
                if key not in existing:
                    result.inserted += 1
                    changed.append(key)
                elif existing[key].split("|", 1)[0] != digest:
                    result.updated += 1
                    changed.append(key)
                    old_apps.add(existing[key].split("|", 1)[1])
                else:
                    result.unchanged += 1
            if changed:
                changed_table = incoming.filter(pa.compute.is_in(incoming["doc_key"], pa.array(changed)))
                con.register("changed", changed_table)
                con.execute("DELETE FROM documents WHERE doc_key IN (SELECT doc_key FROM changed)")
                con.execute("INSERT INTO documents BY NAME SELECT * FROM changed")
                con.unregister("changed")
                apps = {latest[k][0].app_key if isinstance(latest[k][0], Patent) else k for k in changed} | old_apps
                self._rebuild(apps, latest)
                result.changed_apps = sorted(apps)
            con.unregister("incoming")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return result

    def _rebuild(self, apps: set[str], batch: dict[str, tuple[Record, bytes, str]]) -> None:
        """Re-derive patents (and transactions) for the given application keys."""
        con = self.con
        keys = pa.table({"app_key": sorted(apps)})
        con.register("affected", keys)
        in_batch = {k for k, (r, _, _) in batch.items()}
        docs: dict[str, list[Record]] = {}
        formats: dict[str, set[str]] = {}
        for key, (record, _, _) in batch.items():
            app = record.app_key if isinstance(record, Patent) else key
            if app in apps:
                docs.setdefault(app, []).append(record)
        others = con.execute(
            "SELECT d.doc_key, d.app_key, d.body FROM documents d JOIN affected a USING (app_key)"
        ).fetchall()
        for doc_key, app_key, body in others:
            if doc_key not in in_batch:
                docs.setdefault(app_key, []).append(record_from_dict(orjson.loads(body)))
        for table in (*DERIVED_TABLES, "transaction_patents"):
            column = "key" if table == "transaction_patents" else "app_key"
            con.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT app_key FROM affected)")
        con.execute("DELETE FROM transactions WHERE key IN (SELECT substr(app_key, 3) FROM affected)")
        patents: list[Patent] = []
        transactions: list[Transaction] = []
        counts: dict[str, int] = {}
        for app, records in docs.items():
            patent_docs = [r for r in records if isinstance(r, Patent)]
            if patent_docs:
                patents.append(merge_documents(patent_docs))
                counts[app] = len(patent_docs)
                formats[app] = {r.source_format for r in patent_docs}
            transactions += [r for r in records if isinstance(r, Transaction)]
        tables = rows.patent_rows(patents, counts, {k: ",".join(sorted(v)) for k, v in formats.items()})
        tables.update(rows.transaction_rows(transactions))
        for name, table in tables.items():
            if table.num_rows:
                con.register("batch_rows", table)
                con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM batch_rows")
                con.unregister("batch_rows")
        con.unregister("affected")

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
                "INSERT INTO rejects VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    digest,
                    run_id,
                    reject.source_file,
                    reject.position,
                    reject.line,
                    reject.field,
                    reject.reason,
                    raw_path,
                    len(reject.raw),
                    dt.datetime.now(),
                ],
            )
            new += 1
        return new

    def start_run(self, paths: Sequence[str]) -> int:
        run_id = int(self.con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM ingest_runs").fetchone()[0])  # type: ignore[index]
        self.con.execute(
            "INSERT INTO ingest_runs (run_id, started_at, paths, status) VALUES (?, ?, ?, 'running')",
            [run_id, dt.datetime.now(), "\n".join(paths)],
        )
        return run_id

    def finish_run(self, run_id: int, summary: dict[str, Any], status: str) -> None:
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

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.con.execute(sql, list(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def count(self, table: str) -> int:
        return int(self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # type: ignore[index]
