"""Trademark benchmark: ingest, search and the regional indicator at 1,000,000 marks (`--marks`).

Corpus (built once under bench/.corpus/trademarks, renumbered copies):
* 80% TIPO registration gazette entries (../shared/data/trademark/tipo/gazette_index.xml, 2,434 real marks),
  copied with fresh case and registration numbers into files of 50,000 entries;
* 20% Chinese register-export rows: the mark text, class and owner of a real TIPO entry, a similar group of
  that class from CNIPA's 区分表, and an owner address composed from the 2023 division names (a county of
  the 2,800-odd, in turn), so the county breakdown has real regions to count. No public mainland register
  exists (SOURCES.md); these rows are labelled synthetic here.

Measures, each against a baseline in the same run:
1. ingest (`ipnav ingest`, with the trademark index) against a bare parse of the same bytes (lxml
   iterparse for the XML, csv.reader for the tables), and against ipnav's own parser alone;
2. search latency (p50, p95, p99 over 40 runs each) of exact (`mark~0`), substring (Chinese), pinyin and
   fuzzy (`word~1`) queries on the index, against the same question asked of the warehouse table by a
   DuckDB scan (LIKE / levenshtein);
3. `valid_trademarks` by county for the whole country (the indicator as the CLI computes it).
Peak RSS of the ingest process tree is printed. Run: `.venv/bin/python bench/trademarks.py [--marks N]`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "trademark" / "tipo" / "gazette_index.xml"
CORPUS = ROOT / "bench" / ".corpus" / "trademarks"
PER_FILE = 50_000
HEADER = ["注册号/申请号", "申请日期", "国际分类", "类似群", "商标名称", "申请人名称", "申请人地址", "注册公告日期",
          "专用权期限", "商标状态", "商标类型"]  # fmt: skip


def _entries() -> list[bytes]:
    data = SHARED.read_bytes()
    return re.findall(rb"<RegContent no=\"\d+\">.*?</RegContent>", data, flags=re.S)


def _counties() -> list[str]:
    import sys

    sys.path.insert(0, str(ROOT))
    from ipnav import reference

    provinces = {r["code"]: r["name"] for r in reference.rows("adcode_provinces")}
    cities = {r["code"]: r["name"] for r in reference.rows("adcode_cities")}
    out = []
    for r in reference.rows("adcode_areas"):
        city = cities.get(r["cityCode"], "")
        city = "" if city in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划") else city
        out.append(f"{provinces.get(r['provinceCode'], '')}{city}{r['name']}")
    return out


def _roc(text: str) -> str:
    y, m, d = (int(x) for x in text.split("."))
    return f"{y + 1911:04d}-{m:02d}-{d:02d}"


def build_corpus(marks: int) -> list[Path]:
    """The corpus files (cached: rebuilt when the size changes)."""
    stamp = CORPUS / f"marks-{marks}"
    if stamp.exists():
        return sorted(p for p in CORPUS.iterdir() if p.suffix in (".xml", ".csv"))
    shutil.rmtree(CORPUS, ignore_errors=True)
    CORPUS.mkdir(parents=True)
    entries = _entries()
    from ipnav.trademarks.classes import group_class

    groups_of: dict[int, list[str]] = {}
    for group, klass in group_class().items():
        groups_of.setdefault(klass, []).append(group)
    counties = _counties()
    tipo_marks = marks * 4 // 5
    serial = 0
    for start in range(0, tipo_marks, PER_FILE):
        chunk = []
        for i in range(start, min(start + PER_FILE, tipo_marks)):
            serial += 1
            entry = entries[i % len(entries)]
            entry = re.sub(rb"<CaseNo>\d+</CaseNo>", b"<CaseNo>%d</CaseNo>" % (300000000 + serial), entry)
            entry = re.sub(rb"<RegisterNo>\d+</RegisterNo>", b"<RegisterNo>%08d</RegisterNo>" % (50000000 + serial),
                           entry)  # fmt: skip
            chunk.append(entry)
        head = b'<?xml version="1.0" encoding="utf-8"?>\n<RegContentList>\n'
        body = head + b"\n".join(chunk) + b"\n</RegContentList>\n"
        (CORPUS / f"tipo_{start // PER_FILE:03d}.xml").write_bytes(body)
    parsed = [etree.fromstring(e) for e in entries]
    for start in range(tipo_marks, marks, PER_FILE):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(HEADER)
        for i in range(start, min(start + PER_FILE, marks)):
            entry = parsed[i % len(parsed)]
            klass = int((entry.findtext("RegContentClassification/Class") or "1").strip() or 1)
            klass = klass if 1 <= klass <= 45 else 1
            options = groups_of.get(klass, ["0101"])
            filed, reg, end = (entry.findtext(t) or "" for t in ("Filing_Date", "SDate", "EDate"))
            owner = (entry.findtext("RegContentOwner/AChinese") or "某公司").strip()
            cancelled = i % 17 == 0
            writer.writerow([
                f"{80000000 + i}", _roc(filed) if filed else "", klass, options[i % len(options)],
                (entry.findtext("Trademark_Name") or "").strip(), owner,
                f"{counties[i % len(counties)]}新华路{i % 300}号",
                _roc(reg) if reg else "", f"{_roc(reg)}至{_roc(end)}" if reg and end else "",
                "商标已注销" if cancelled else "注册商标", "普通商标",
            ])  # fmt: skip
        (CORPUS / f"cn_{start // PER_FILE:03d}.csv").write_text(buffer.getvalue(), encoding="utf-8")
    stamp.write_text(dt.datetime.now().isoformat())
    return sorted(p for p in CORPUS.iterdir() if p.suffix in (".xml", ".csv"))


def bare_parse(files: list[Path]) -> float:
    """lxml iterparse of the XML and csv.reader of the tables, nothing kept: seconds."""
    started = time.perf_counter()
    for path in files:
        if path.suffix == ".xml":
            for _event, element in etree.iterparse(str(path), events=("end",), tag="RegContent"):
                element.clear()
        else:
            with path.open(encoding="utf-8") as handle:
                for _row in csv.reader(handle):
                    pass
    return time.perf_counter() - started


def own_parse(files: list[Path]) -> tuple[int, float]:
    """ipnav's parsers alone (marks built, nothing stored), in one process: (marks, seconds)."""
    from ipnav.ingest.pipeline import parse_source
    from ipnav.ingest.run import collect_sources
    from ipnav.ingest.sources import InputLimits

    started = time.perf_counter()
    count = 0
    for source in collect_sources(files, InputLimits()):
        count += sum(1 for item in parse_source(source) if getattr(item, "record_kind", "") == "trademark")
    return count, time.perf_counter() - started


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return f"p50 {pick(0.5):7.1f} ms · p95 {pick(0.95):7.1f} ms · p99 {pick(0.99):7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--marks", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=40)
    opts = parser.parse_args()
    import sys

    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from ingest import run_ipnav

    files = build_corpus(opts.marks)
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    print(f"corpus: {len(files)} files, {megabytes:,.0f} MB, {opts.marks:,} marks (renumbered real TIPO marks; "
          "20% as Chinese register rows with composed addresses)")  # fmt: skip
    bare = bare_parse(files)
    print(f"baseline bare parse      : {bare:6.1f}s = {megabytes / bare:6.1f} MB/s (lxml iterparse, csv.reader)")
    parsed, own = own_parse(files)
    print(f"ipnav parsers alone      : {own:6.1f}s = {megabytes / own:6.1f} MB/s, {parsed / own:,.0f} marks/s")
    workspace = Path(tempfile.mkdtemp(prefix="ipnav-tm-bench-"))
    try:
        summary, peak_mb = run_ipnav(["--workspace", str(workspace), "ingest", str(CORPUS), "--json"])
        seconds = summary["seconds"]
        print(f"ipnav ingest (+ index)   : {seconds:6.1f}s = {megabytes / seconds:6.1f} MB/s, "
              f"{summary['records'] / seconds:,.0f} marks/s, peak RSS {peak_mb:,.0f} MB "
              f"(inserted {summary['inserted']:,}, rejected {summary['rejected']})")  # fmt: skip
        print(f"ratio ingest / bare parse: {bare / seconds:.2f}   ratio ingest / ipnav parsers: {own / seconds:.2f}"
              "   (target >= 0.5)")  # fmt: skip
        search_and_indicator(workspace, opts.runs)
    finally:
        shutil.rmtree(workspace, ignore_errors=True)


QUERIES = {  # kind -> (trademark query, the same question as SQL on the warehouse table)
    "exact": ("magnabeauty~0", "text_fold = 'magnabeauty'"),
    "substring": ("郵政", "text_fold LIKE '%邮政%' OR text_pinyin LIKE '%youzheng%'"),
    "pinyin": ("youzheng", "text_fold LIKE '%youzheng%' OR text_pinyin LIKE '%youzheng%'"),
    "fuzzy": ("magnabeuty~1", "levenshtein(text_fold, 'magnabeuty') <= 1"),
}


def search_and_indicator(workspace: Path, runs: int) -> None:
    from ipnav.application import Ipnav
    from ipnav.application.options import IndicatorOptions
    from ipnav.config import Settings

    app = Ipnav(Settings.load(workspace))
    with app.reading() as wh:
        app.trademark_search("warm 温", wh=wh)  # index, warehouse and Chinese folding opened once, as in a server
        for kind, (query, sql) in QUERIES.items():
            indexed, scanned, total = [], [], 0
            for _ in range(runs):
                started = time.perf_counter()
                total = app.trademark_search(query, limit=20, wh=wh)["total"]
                indexed.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                n = wh.con.execute(f"SELECT count(*) FROM trademarks WHERE {sql}").fetchone()[0]  # type: ignore[index]
                top = f"SELECT number FROM trademarks WHERE {sql} ORDER BY filing_date DESC LIMIT 20"
                wh.con.execute(top).fetchall()
                scanned.append((time.perf_counter() - started) * 1000)
            print(f"search {kind:9} {query!r:18} {total:>9,} hits: index {percentiles(indexed)} (with facets)")
            print(f"       {'':9} {'':18} {n:>9,} rows: DuckDB scan {percentiles(scanned)} (no facets)")
            met = sorted(indexed)[int(0.95 * len(indexed))] <= 50
            print(f"       p95 target <= 50 ms: {'met' if met else 'NOT met'}")
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            result = app.indicator("valid_trademarks", IndicatorOptions(by="county"), wh=wh)
            timings.append(time.perf_counter() - started)
        print(f"valid_trademarks by county (whole country): {result['total']['count']:,} valid marks in "
              f"{len(result['rows']):,} counties: median {statistics.median(timings):.2f}s, max {max(timings):.2f}s "
              "(target <= 2 s)")  # fmt: skip


if __name__ == "__main__":
    main()
