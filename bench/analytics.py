"""Navigation benchmark: the full navigation pack over a >= 1M-application selection.

Builds a warehouse from the real records (the bundled sample: US grants and the CNKI/CNIPA
Chinese records, plus the shared USPTO grant files), then scales every derived table with
renumbered copies until it holds >= --apps applications, and times each analysis of
`navigate(all)` and the whole pack, first with nothing stored (the baseline: value scores and flags
computed on the read path), then as `ipnav ingest` leaves the warehouse (today's scores and flags
stored). Target: <= 2 s for the pack on this 2-core machine.

Run: `.venv/bin/python bench/analytics.py [--apps 1000000]`
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "data"

from ipnav.analytics.analyses import ANALYSES, Context  # noqa: E402
from ipnav.analytics.navigate import result  # noqa: E402
from ipnav.analytics.selection import Selection  # noqa: E402
from ipnav.config import Settings, Workspace  # noqa: E402
from ipnav.ingest.run import ingest  # noqa: E402
from ipnav.store.warehouse import Warehouse  # noqa: E402
from ipnav.value.service import refresh  # noqa: E402

KEYED = (
    "patents",
    "publications",
    "parties",
    "classifications",
    "citations",
    "patent_sei",
    "patent_terms",
    "patent_owners",
    "patent_entities",
    "entity_pairs",
    "patent_subclasses",
    "patent_wipo",
    "patent_sei_codes",
    "inventor_pairs",
)


def scale(warehouse: Warehouse, target: int) -> int:
    con = warehouse.con
    base = int(con.execute("SELECT count(*) FROM patents").fetchone()[0])  # type: ignore[index]
    copies = -(-target // base) - 1
    for table in KEYED:
        columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
        select = ", ".join("app_key || '~' || CAST(c.i AS VARCHAR)" if col == "app_key" else col for col in columns)
        con.execute(f"CREATE TEMP TABLE base_{table} AS SELECT * FROM {table}")
        con.execute(f"INSERT INTO {table} SELECT {select} FROM base_{table}, range(1, {copies + 1}) c(i)")
    return int(con.execute("SELECT count(*) FROM patents").fetchone()[0])  # type: ignore[index]


EVERYTHING = Selection("all")


def pack(wh: Warehouse, keys: list[str], settings: Settings) -> dict[str, float]:
    """Seconds per analysis of the pack of `-s all` as of today (`setup`: the selection's context)."""
    started = time.perf_counter()
    ctx = Context(wh, keys, settings, as_of=dt.date.today(), everything=True)
    timings = {"setup": time.perf_counter() - started}
    for kind in ANALYSES:  # as the CLI, API and pages answer: rows, drill queries, chart, missing fields
        started = time.perf_counter()
        result(ctx, EVERYTHING, kind)
        timings[kind] = time.perf_counter() - started
    ctx.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--apps", type=int, default=1_000_000)
    opts = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ipnav-analytics-bench-"))
    try:
        ws = Workspace(work / "ws")
        ingest([ROOT / "ipnav" / "sample", SHARED / "uspto" / "grants_red_book"], ws)
        with Warehouse(ws.warehouse_path) as wh:
            started = time.perf_counter()
            total = scale(wh, opts.apps)
            print(
                f"warehouse: {total:,} applications (scaled from real records in {time.perf_counter() - started:.1f}s)"
            )
            keys = [r[0] for r in wh.con.execute("SELECT app_key FROM patents").fetchall()]
            settings = Settings(workspace=ws.root)
            bare = pack(wh, keys, settings)  # baseline: no stored scores and flags, computed on the read path
            started = time.perf_counter()
            refresh(wh, settings)  # what `ipnav ingest` does last: today's scores and flags stored
            print(f"stored value scores and flags as ingest does: {time.perf_counter() - started:.1f} s")
            stored = pack(wh, keys, settings)
            print(f"  {'analysis':16} {'stored (ms)':>12} {'computed (ms)':>14}")
            for kind, seconds in sorted(stored.items(), key=lambda kv: -kv[1]):
                print(f"  {kind:16} {seconds * 1000:12.0f} {bare[kind] * 1000:14.0f}")
            print(
                f"full navigation pack over {total:,} applications: {sum(stored.values()):.1f} s as an ingest leaves "
                f"the warehouse, {sum(bare.values()):.1f} s with nothing stored (baseline); target <= 2 s"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
