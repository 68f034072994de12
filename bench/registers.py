"""Register benchmark: ingest, the register page query and the plan indicators at 200,000 records (`--records`).

Corpus (built once under bench/.corpus/registers, renumbered copies; labelled synthetic here):
* 40% pledge registration lists (出质人, 质权人, 登记号, 登记日, 金额, 行政区划代码): the rows of the hand-built sample
  list (ipnav/sample/registers/pledge_list_handbuilt.csv) renumbered, dated across 2019-2025 and placed in
  the 2,800-odd counties in turn;
* 40% agricultural GI rows: the 216 real rows of ../shared/data/registries/gi/agri_gi_rows.csv with fresh
  AGI numbers and their own province and city (place names resolved at ingest);
* 20% cases (案号, 案件类型, 立案日期, 结案日期) spread over the counties and dates, closed within or after
  their time limit in turn.

Measures, each against a baseline in the same run:
1. `ipnav ingest` of the corpus: records/s, MB/s and peak RSS of the process tree, against a bare
   `csv.reader` over the same bytes and against ipnav's table parse alone (no warehouse);
2. the register page's query (`registers records` with a word and a region filter, with its facets):
   p50/p95/p99 over 30 runs, against one DuckDB `count(*)` over the same table;
3. `pledge_amount` by city for the country, `on_time_closure_rate` for a province and `agri_gis` by county:
   p50/p95 over 10 runs each.
Run: `.venv/bin/python bench/registers.py [--records N]`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GI = ROOT.parent / "shared" / "data" / "registries" / "gi" / "agri_gi_rows.csv"
CORPUS = ROOT / "bench" / ".corpus" / "registers"
PER_FILE = 20_000
PLEDGE = [
    "出质人",
    "质权人",
    "质押登记号",
    "质押登记日",
    "质押金额(万元)",
    "知识产权类型",
    "专利号/商标号",
    "行政区划代码",
]
CASE = ["案号", "案件名称", "案件类型", "程序", "当事人", "办案单位", "立案日期", "结案日期", "行政区划代码"]
KINDS = ("专利侵权纠纷", "假冒专利", "商标侵权")


def _counties() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from ipnav import reference

    return [r["code"] for r in reference.rows("adcode_areas")]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def build_corpus(records: int) -> list[Path]:
    marker = CORPUS / f".built-{records}"
    if marker.exists():
        return sorted(CORPUS.glob("*.csv"))
    shutil.rmtree(CORPUS, ignore_errors=True)
    CORPUS.mkdir(parents=True)
    counties = _counties()
    with GI.open(encoding="utf-8") as f:
        gi_rows = list(csv.DictReader(f))
    day0 = dt.date(2019, 1, 1)
    pledges, gis, cases = [], [], []
    for n in range(records):
        county = counties[n % len(counties)]
        day = day0 + dt.timedelta(days=n % 2500)
        share = n % 5
        if share < 2:
            kind = "专利" if n % 3 else "专利+商标"
            pledges.append([f"示例企业{n}有限公司", "示例银行股份有限公司", f"Y{day.year}{n:010d}", day.isoformat(),
                            str(100 + n % 5000), kind, f"ZL2021{n:06d}.X", county])  # fmt: skip
        elif share < 4:
            real = gi_rows[n % len(gi_rows)]
            gis.append([f"{real['name']}{n}", real["province"], real["city"], f"AGI{n % 100000:05d}",
                        real["holder_or_applicant"], "农产品地理标志"])  # fmt: skip
        else:
            closed = day + dt.timedelta(days=60 + (n % 5) * 15)  # within the limit or after it, in turn
            cases.append([f"示市监罚〔{day.year}〕{n}号", "示例案件", KINDS[n % 3], "行政", f"示例当事人{n}",
                          "示例市场监督管理局", day.isoformat(), closed.isoformat(), county])  # fmt: skip
    for name, header, rows in (("pledges", PLEDGE, pledges), ("cases", CASE, cases),
                               ("gi", ["name", "province", "city", "cert_or_spec_no", "holder_or_applicant",
                                       "gi_type"], gis)):  # fmt: skip
        for part in range(0, len(rows), PER_FILE):
            _write(CORPUS / f"{name}-{part // PER_FILE:03d}.csv", header, rows[part : part + PER_FILE])
    marker.write_text(str(records))
    return sorted(CORPUS.glob("*.csv"))


def bare_parse(files: list[Path]) -> float:
    start = time.perf_counter()
    for path in files:
        for _ in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
            pass
    return time.perf_counter() - start


def own_parse(files: list[Path]) -> tuple[int, float]:
    from ipnav.ingest.table import parse_table

    start = time.perf_counter()
    count = 0
    for path in files:
        with path.open("rb") as stream:
            count += sum(1 for _ in parse_table(stream, path.name, "csv"))
    return count, time.perf_counter() - start


def timed(call: object, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()  # type: ignore[operator]
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def queries(workspace: Path, runs: int) -> None:
    from trademarks import percentiles  # bench/trademarks.py: the same p50/p95/p99 line

    from ipnav.application import Ipnav
    from ipnav.application.options import IndicatorOptions
    from ipnav.config import Settings

    app = Ipnav(Settings(workspace=workspace))
    with app.reading() as wh:
        page = timed(lambda: app.register_records("ip_transaction", "示例企业1", {"region": "32"}, wh=wh), runs)
        base = timed(lambda: wh.con.execute("SELECT count(*) FROM registers WHERE register = 'ip_transaction' "
                                             "AND search_text LIKE '%示例企业1%' AND adcode LIKE '32%'").fetchone(),
                     runs)  # fmt: skip
        print(f"register page query      : {percentiles(page)}")
        print(f"baseline one count(*)    : {percentiles(base)}")
    for name, options in (("pledge_amount", IndicatorOptions(by="city", years="2019-2025")),
                          ("on_time_closure_rate", IndicatorOptions(region="32")),
                          ("agri_gis", IndicatorOptions(region="43", by="county"))):  # fmt: skip
        samples = timed(lambda name=name, options=options: app.indicator(name, options), max(3, runs // 3))
        print(f"{name:25}: {percentiles(samples)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=30)
    opts = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from ingest import run_ipnav

    files = build_corpus(opts.records)
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    print(f"corpus: {len(files)} files, {megabytes:,.1f} MB, {opts.records:,} register rows (synthetic, from real "
          "GI rows and the hand-built pledge list)")  # fmt: skip
    bare = bare_parse(files)
    print(f"baseline bare csv.reader : {bare:6.1f}s = {opts.records / bare:,.0f} rows/s")
    parsed, own = own_parse(files)
    print(f"ipnav table parse alone  : {own:6.1f}s = {parsed / own:,.0f} records/s")
    workspace = Path(tempfile.mkdtemp(prefix="ipnav-reg-bench-"))
    try:
        summary, peak_mb = run_ipnav(["--workspace", str(workspace), "ingest", str(CORPUS), "--json"])
        seconds = summary["seconds"]
        print(f"ipnav ingest             : {seconds:6.1f}s = {megabytes / seconds:5.1f} MB/s, "
              f"{summary['records'] / seconds:,.0f} records/s, peak RSS {peak_mb:,.0f} MB "
              f"(inserted {summary['inserted']:,}, rejected {summary['rejected']})")  # fmt: skip
        print(f"ratio ingest / bare parse: {bare / seconds:.3f}   ratio ingest / ipnav parse: {own / seconds:.2f}")
        queries(workspace, opts.runs)
    finally:
        shutil.rmtree(workspace, ignore_errors=True)


if __name__ == "__main__":
    main()
