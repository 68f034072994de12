"""Value benchmark: official flags and regional indicators for >= 1M patents, and the value score.

Builds a warehouse from real records (the bundled sample, the shared USPTO grants and the Chinese
records of tests/fixtures/value, which carry statuses, pledges, lapses and regions), then scales it
with renumbered copies (application keys, family ids and priority numbers made unique per copy, so
families do not grow with the copies) to >= --apps applications. Times, as of one date:

* baseline: one bare DuckDB scan grouping every patent by region and type (the floor for any
  regional figure over this warehouse);
* flags for every patent (valid, high-value with evidence);
* indicators: valid_invention_per_10k and high_value_invention_per_10k for all China by county,
  applications by year by province;
* the value score of every application.

Target: flags and indicators recompute in <= 10 s on this 2-core machine.
Run: `.venv/bin/python bench/value.py [--apps 1000000] [--cn-only]`
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "data"

from ipnav.config import Settings, Workspace  # noqa: E402
from ipnav.ingest.run import ingest  # noqa: E402
from ipnav.kpi.indicators import compute  # noqa: E402
from ipnav.store.reference import ensure_reference  # noqa: E402
from ipnav.store.warehouse import Warehouse  # noqa: E402
from ipnav.value import flags, score  # noqa: E402
from ipnav.value.service import flag_policy  # noqa: E402

AS_OF = dt.date(2024, 6, 30)
KEYED = (
    "patents",
    "publications",
    "parties",
    "classifications",
    "citations",
    "priorities",
    "legal_events",
    "patent_sei",
    "transaction_patents",
)
_PER_COPY = {("patents", "family_id"), ("priorities", "number")}  # unique per copy, when not empty


def scale(warehouse: Warehouse, target: int) -> int:
    con = warehouse.con
    base = int(con.execute("SELECT count(*) FROM patents").fetchall()[0][0])
    copies = -(-target // base) - 1
    for table in KEYED:
        columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
        select = []
        for col in columns:
            if col == "app_key":
                select.append("app_key || '~' || CAST(c.i AS VARCHAR)")
            elif (table, col) in _PER_COPY:
                select.append(f"CASE WHEN {col} = '' THEN {col} ELSE {col} || '~' || CAST(c.i AS VARCHAR) END")
            else:
                select.append(col)
        con.execute(f"CREATE TEMP TABLE base_{table} AS SELECT * FROM {table}")
        con.execute(f"INSERT INTO {table} SELECT {', '.join(select)} FROM base_{table}, range(1, {copies + 1}) c(i)")
    return int(con.execute("SELECT count(*) FROM patents").fetchall()[0][0])


def timed(label: str, runs: int, action: object) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    best = min(times)
    print(f"  {label:58} best {best:6.2f} s  (runs: {', '.join(f'{t:.2f}' for t in times)})")
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--apps", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--cn-only",
        action="store_true",
        help="scale only the CN records of tests/fixtures/value: every patent a CN one with status, "
        "region, pledges and lapses (the heaviest case for the flags)",
    )
    opts = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ipnav-value-bench-"))
    try:
        ws = Workspace(work / "ws")
        sources = [ROOT / "tests" / "fixtures" / "value"]
        if not opts.cn_only:
            sources.append(ROOT / "ipnav" / "sample")
        if not opts.cn_only and (SHARED / "uspto" / "grants_red_book").is_dir():
            sources.append(SHARED / "uspto" / "grants_red_book")
        ingest(sources, ws)
        with Warehouse(ws.warehouse_path) as wh:
            ensure_reference(wh.con)
            started = time.perf_counter()
            total = scale(wh, opts.apps)
            cn = int(wh.con.execute("SELECT count(*) FROM patents WHERE country = 'CN'").fetchall()[0][0])
            print(
                f"warehouse: {total:,} applications ({cn:,} CN), scaled from real records in "
                f"{time.perf_counter() - started:.1f} s; as of {AS_OF}"
            )
            con = wh.con

            def baseline() -> None:
                con.execute("SELECT applicant_adcode, patent_type, count(*) FROM patents GROUP BY ALL").fetchall()

            def flags_only() -> None:
                name = flags.compute(con, flag_policy(Settings(workspace=ws.root), AS_OF))
                con.execute(f"SELECT count(*) FILTER (WHERE high_value) FROM {name}").fetchall()
                con.execute(f"DROP TABLE {name}")

            def indicators() -> None:
                for name, by in (
                    ("valid_invention_per_10k", "county"),
                    ("high_value_invention_per_10k", "county"),
                    ("applications", "province"),
                ):
                    compute(wh, indicators.make_request(Settings(workspace=ws.root), name, as_of=AS_OF, by=by))

            def value_scores() -> None:
                name = score.compute(con, score.ScoreConfig(as_of=AS_OF))
                con.execute(f"DROP TABLE {name}")

            base = timed("baseline: bare scan by region and type", opts.runs, baseline)
            only = timed("flags for every patent", opts.runs, flags_only)
            both = timed("3 indicators (2 stocks by county with flags, 1 flow)", opts.runs, indicators)
            vs = timed("value score for every application", opts.runs, value_scores)
            name = flags.compute(con, flag_policy(Settings(workspace=ws.root), AS_OF))
            counts = con.execute(
                f"SELECT count(*) FILTER (WHERE valid_invention AND cnipa), count(*) FILTER (WHERE high_value) "
                f"FROM {name}"
            ).fetchall()[0]
            print(f"  valid CN inventions {counts[0]:,}, high-value {counts[1]:,}")
            print(
                f"flags + indicators for {total:,} patents: {both:.2f} s (target <= 10 s; "
                f"{both / base:.0f}x the bare scan of {base * 1000:.0f} ms); flags alone {only:.2f} s; "
                f"value score {vs:.2f} s"
            )
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"peak RSS {rss:,.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
