"""Scale benchmark: how far one machine goes, at 1M, 3M and 10M applications.

For each size, in a process of its own (so its peak memory is its own), a warehouse is built from the real
records (the bundled sample) scaled with renumbered copies (as `bench/analytics.py` does), its value scores
and flags stored as ingest leaves them, and measured:

- ingest: the USPTO red-book grants and the Chinese exports of ../shared/data ingested into the warehouse of
  that size (records/s), against the same files ingested into an empty warehouse (the baseline, once);
- warehouse size on disk and peak RSS of the process and its workers;
- the navigation pack of everything (`navigate all`), and `high_value_invention_per_10k` and
  `invention_applications` for 重庆市 by county, against a bare DuckDB scan grouping the patents by county;
- search: an index of as many renumbered real documents (`bench/search.py`'s corpus), its build rate and
  size, and p50/p95 of `bench/search.py`'s 50 queries; at the first size also the index in shards
  (2 hash shards per office) with the top-10 overlap of its rankings against the single index.

Then the growth factor of each cost between sizes (linear growth: the size factor, 3.0 and 3.3).
Targets at 10M on 2 cores / 24 GB: navigation pack <= 10 s, indicator by county <= 5 s, search p95 <= 50 ms,
peak RSS <= 8 GB.

Run: `.venv/bin/python bench/scale.py [--sizes 1000000,3000000,10000000]`
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
SHARED = ROOT.parent / "shared" / "data"

import analytics as navigation_bench  # noqa: E402  (bench/analytics.py: scale, pack)
import search as search_bench  # noqa: E402  (bench/search.py: the corpus and the query mix)
import tantivy  # noqa: E402

from ipnav.config import Settings, Workspace  # noqa: E402
from ipnav.ingest.run import ingest  # noqa: E402
from ipnav.kpi.indicators import compute, make_request  # noqa: E402
from ipnav.search.index import SearchIndex  # noqa: E402
from ipnav.search.query import parse  # noqa: E402
from ipnav.search.shards import ShardedIndex  # noqa: E402
from ipnav.store.warehouse import Warehouse  # noqa: E402
from ipnav.value.service import refresh  # noqa: E402

INCOMING = (SHARED / "uspto" / "grants_red_book", SHARED / "cn" / "records")  # a weekly delivery, say
INDICATORS = ("high_value_invention_per_10k", "invention_applications")


def peak_mb() -> float:
    """This process's high-water RSS (VmHWM: ru_maxrss would carry the parent's across exec) or a child's."""
    own = int(Path("/proc/self/status").read_text().split("VmHWM:")[1].split()[0])
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def ingest_rate(ws: Workspace) -> tuple[int, float]:
    started = time.perf_counter()
    summary = ingest(list(INCOMING), ws, workers=2)
    return summary.records, summary.records / (time.perf_counter() - started)


def timed(runs: int, call: Any) -> float:
    """Median seconds of `runs` calls (after one warm call)."""
    call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return sorted(samples)[len(samples) // 2]


def warehouse_part(size: int, work: Path, out: dict[str, Any]) -> None:
    ws = Workspace(work / "ws")
    ingest([ROOT / "ipnav" / "sample"], ws, workers=2)
    settings = Settings(workspace=ws.root)
    with Warehouse(ws.warehouse_path) as wh:
        wh.con.execute("SET memory_limit = '6GB'")
        started = time.perf_counter()
        out["applications"] = navigation_bench.scale(wh, size)
        out["build_s"] = time.perf_counter() - started
        started = time.perf_counter()
        refresh(wh, settings)
        out["flags_scores_s"] = time.perf_counter() - started
    out["ingest_records"], out["ingest_rps"] = ingest_rate(ws)
    with Warehouse(ws.warehouse_path) as wh:
        wh.con.execute("SET memory_limit = '6GB'")
        keys = [r[0] for r in wh.con.execute("SELECT app_key FROM patents").fetchall()]
        out["navigation_s"] = sum(navigation_bench.pack(wh, keys, settings).values())
        as_of = dt.date.today()
        for name in INDICATORS:
            request = make_request(settings, name, as_of=as_of, region="重庆市", by="county")
            out[f"{name}_s"] = timed(3, lambda request=request: compute(wh, request))
        bare = "SELECT applicant_county, count(*) FROM patents WHERE applicant_adcode LIKE '50%' GROUP BY ALL"
        out["bare_scan_s"] = timed(3, lambda: wh.con.execute(bare).fetchall())
    out["warehouse_mb"] = ws.warehouse_path.stat().st_size / 1e6


def search_part(size: int, work: Path, out: dict[str, Any], shards: bool) -> None:
    search_bench.pools()
    seconds = search_bench.build_ipnav(size, work / "index", 2)
    out["index_docs_s"] = size / seconds
    out["index_mb"] = sum(f.stat().st_size for f in (work / "index").rglob("*") if f.is_file()) / 1e6
    index = SearchIndex(work / "index")
    mix = search_bench.query_mix()
    samples = []
    for _, query, _, _ in mix:
        index.search(query, limit=20)
        for _ in range(5):
            started = time.perf_counter()
            index.search(query, limit=20, facets=True)
            samples.append((time.perf_counter() - started) * 1000)
    out["search_p50_ms"] = search_bench.percentile(samples, 0.5)
    out["search_p95_ms"] = search_bench.percentile(samples, 0.95)
    if not shards:
        return
    sharded = ShardedIndex(work / "shards", 2)
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=2) as pool:
        fields = (f for batch in pool.map(search_bench.fields_range, search_bench.ranges(size)) for f in batch)
        sharded.fill(fields)
    shard_samples, overlaps, equal_totals = [], [], 0
    for _, query, _, _ in mix:
        one = index.search(query, limit=10)
        sharded.search(query, limit=10)
        started = time.perf_counter()
        many = sharded.search(query, limit=10, facets=True)
        shard_samples.append((time.perf_counter() - started) * 1000)
        equal_totals += one.total == many.total
        if one.keys:  # a hit that one index scores as high as its own 10th is as good a 10th: ties have no order
            tenth = min(one.scores)
            same = sum(1 for key in many.keys if key in one.keys or score_of(index, query, key) >= tenth * (1 - 1e-6))
            overlaps.append(same / len(one.keys))
    out["shards"] = len(sharded.shards)
    out["shard_p95_ms"] = search_bench.percentile(shard_samples, 0.95)
    out["shard_top10_overlap"] = sum(overlaps) / len(overlaps)
    out["shard_equal_totals"] = f"{equal_totals}/{len(mix)}"


def score_of(index: SearchIndex, query: str, key: str) -> float:
    """The score one index gives a document for a query (0 when it does not match)."""
    compiled = index._compiler(None).compile(parse(query))
    only = tantivy.Query.const_score_query(tantivy.Query.term_query(index.schema, "key", key), 0.0)
    both = tantivy.Query.boolean_query([(tantivy.Occur.Must, compiled), (tantivy.Occur.Must, only)])
    hits = index.index.searcher().search(both, limit=1).hits
    return float(hits[0][0]) if hits else 0.0


def one_size(size: int, shards: bool, search: bool = True, warehouse: bool = True) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="ipnav-scale-bench-"))
    out: dict[str, Any] = {"size": size}
    try:
        if warehouse:
            warehouse_part(size, work, out)
        if search:
            search_part(size, work, out, shards)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out["peak_rss_mb"] = peak_mb()
    return out


def baseline_ingest() -> float:
    work = Path(tempfile.mkdtemp(prefix="ipnav-scale-base-"))
    try:
        return ingest_rate(Workspace(work / "ws"))[1]
    finally:
        shutil.rmtree(work, ignore_errors=True)


ROWS = (
    ("applications", "applications", "{:,.0f}"),
    ("build_s", "warehouse build by copies (s)", "{:.0f}"),
    ("flags_scores_s", "flags + scores stored (s)", "{:.1f}"),
    ("ingest_rps", "ingest into it (records/s)", "{:,.0f}"),
    ("warehouse_mb", "warehouse on disk (MB)", "{:,.0f}"),
    ("navigation_s", "navigation pack (s)", "{:.2f}"),
    ("high_value_invention_per_10k_s", "high-value /10k by county (s)", "{:.2f}"),
    ("invention_applications_s", "invention applications by county (s)", "{:.2f}"),
    ("bare_scan_s", "bare DuckDB scan by county (s)", "{:.3f}"),
    ("index_docs_s", "index build (docs/s)", "{:,.0f}"),
    ("index_mb", "index size (MB)", "{:,.0f}"),
    ("search_p50_ms", "search p50 (ms)", "{:.1f}"),
    ("search_p95_ms", "search p95 (ms)", "{:.1f}"),
    ("peak_rss_mb", "peak RSS (MB)", "{:,.0f}"),
)


def report(results: list[dict[str, Any]], base_rps: float) -> None:
    nan = float("nan")
    print(f"\n{'':38}" + "".join(f"{r['size']:>14,}" for r in results))
    for key, label, fmt in ROWS:
        print(f"{label:38}" + "".join(f"{fmt.format(r.get(key, float('nan'))):>14}" for r in results))
    print(f"ingest baseline (the same files into an empty warehouse): {base_rps:,.0f} records/s")
    for previous, current in itertools.pairwise(results):
        factor = current["applications"] / previous["applications"]
        growth = ", ".join(
            f"{label.split(' (')[0]} x{current[key] / previous[key]:.2f}"
            for key, label, _ in ROWS[1:]
            if key in current and key in previous and previous[key] and key not in ("ingest_rps", "index_docs_s")
        )
        print(f"growth {previous['size']:,} -> {current['size']:,} (size x{factor:.2f}): {growth}")
    first = results[0]
    if "shard_top10_overlap" in first:
        print(
            f"sharded index at {first['size']:,}: {first['shards']} shards, p95 {first['shard_p95_ms']:.1f} ms "
            f"(one index {first['search_p95_ms']:.1f} ms), equal totals {first['shard_equal_totals']}, "
            f"top-10 overlap {first['shard_top10_overlap']:.3f} (target >= 0.95)"
        )
    last = results[-1]
    print(
        f"targets at {last['size']:,}: navigation {last['navigation_s']:.1f} s (<= 10), indicator by county "
        f"{max(last[f'{n}_s'] for n in INDICATORS):.2f} s (<= 5), search p95 {last.get('search_p95_ms', nan):.1f} ms "
        f"(<= 50; nan: no index built at this size), "
        f"peak RSS {last['peak_rss_mb'] / 1024:.1f} GB (<= 8)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000000,3000000,10000000")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # one size, in this process
    parser.add_argument("--shards", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--search-up-to", type=int, default=10_000_000, help="largest size given a search index")
    parser.add_argument("--search-only", action="store_true", help=argparse.SUPPRESS)  # with --one: no warehouse
    opts = parser.parse_args()
    if opts.one:
        search = opts.one <= opts.search_up_to
        print(json.dumps(one_size(opts.one, opts.shards, search, warehouse=not opts.search_only)))
        return
    base_rps = baseline_ingest()
    results = []
    for i, size in enumerate(int(s) for s in opts.sizes.split(",")):
        args = [sys.executable, __file__, "--one", str(size), "--search-up-to", str(opts.search_up_to)]
        args += ["--shards"] if i == 0 else []
        done = subprocess.run(args, capture_output=True, text=True, check=False)
        if done.returncode:
            print(done.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"size {size:,} failed")
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(json.dumps(results[-1]), flush=True)
    report(results, base_rps)


if __name__ == "__main__":
    main()
