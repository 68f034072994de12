"""Search benchmark: ipnav (tantivy) against SQLite FTS5 on the same >= 1M documents.

Documents are renumbered copies of real records in ../shared/data (US grant titles and
abstracts, Chinese titles from the CNKI export and abstracts/claims of the CNIPA XML), their
words shuffled so postings look like a real corpus rather than a million identical texts.
Reports index build docs/s and size, then p50/p95/p99 latency of a fixed mix of 50 queries
(term, phrase, boolean, fielded + date range, Chinese 2-4 character terms) on both engines.

Run: `.venv/bin/python bench/search.py [--docs 1000000]`
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import os
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "data"

from ipnav.ingest.pipeline import parse_source  # noqa: E402
from ipnav.ingest.sources import iter_sources  # noqa: E402
from ipnav.model import Classification, Party, Patent, Publication  # noqa: E402
from ipnav.normalize import text as analysis  # noqa: E402
from ipnav.search import documents  # noqa: E402
from ipnav.search.index import SearchIndex  # noqa: E402

SEED = 20261123


@functools.lru_cache(maxsize=1)
def pools() -> dict[str, list]:  # type: ignore[type-arg]
    """Real texts to shuffle: US titles/abstracts/names/IPC, Chinese titles/words/applicants."""
    us = []
    for source in iter_sources([SHARED / "uspto" / "grants_red_book", SHARED / "uspto" / "grants_legacy"]):
        for item in parse_source(source):
            if isinstance(item, Patent) and item.titles.get("en"):
                us.append(item)
    cn_titles, cn_applicants = [], []
    with (SHARED / "cn" / "records" / "cnki_patents.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            cn_titles.append(row["专利名称"])
            cn_applicants.append(row["申请人"].split(";")[0])
    cn_words: list[str] = []
    for source in iter_sources([SHARED / "cn" / "cnipa_xml"]):
        for item in parse_source(source):
            if isinstance(item, Patent):
                for text in [*item.abstracts.values(), *item.claims[:5]]:
                    cn_words += [w for w in analysis.words(text) if w.strip()]
    for title in cn_titles:
        cn_words += analysis.words(title)
    return {"us": us, "cn_titles": cn_titles, "cn_applicants": cn_applicants, "cn_words": cn_words}


def synth(i: int) -> Patent:
    """Document number i of the corpus (deterministic)."""
    rng = random.Random(SEED * 1_000_003 + i)
    data = pools()
    filing = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(25 * 365))
    if i % 2 == 0:
        base = rng.choice(data["us"])
        title_words = base.titles["en"].split()
        rng.shuffle(title_words)
        abstract_words = (next(iter(base.abstracts.values()), "") or base.titles["en"]).split()
        rng.shuffle(abstract_words)
        patent = Patent(
            app_key=f"US9{i:08d}",
            country="US",
            filing_date=filing,
            patent_type="invention",
            titles={"en": " ".join(title_words)},
            abstracts={"en": " ".join(abstract_words[:120])},
        )
        names = [p.name for p in base.parties if p.role in ("applicant", "assignee")][:2] or ["ACME CORP"]
        patent.classifications = list(base.classifications[:4])
    else:
        title = analysis.words(rng.choice(data["cn_titles"]))
        rng.shuffle(title)
        abstract = rng.sample(data["cn_words"], k=min(90, len(data["cn_words"])))
        patent = Patent(
            app_key=f"CN9{i:011d}",
            country="CN",
            filing_date=filing,
            patent_type="invention",
            titles={"zh": "".join(title)},
            abstracts={"zh": "".join(abstract)},
        )
        names = [rng.choice(data["cn_applicants"])]
        patent.classifications = [
            Classification("ipc", rng.choice(["H01M4/13", "G06F16/27", "A61K9/16", "H04L9/32"]), True)
        ]
    patent.parties = [Party(role="applicant", name=n, name_norm=n) for n in names]
    patent.publications = [
        Publication(f"{patent.country}{100000000 + i}", "A", filing + dt.timedelta(days=540), patent.country)
    ]
    return patent


def fields_range(bounds: tuple[int, int]) -> list[dict[str, list[object]]]:
    return [documents.document_fields(synth(i)) for i in range(*bounds)]


def sqlite_rows(bounds: tuple[int, int]) -> list[tuple[object, ...]]:
    rows = []
    for i in range(*bounds):
        p = synth(i)
        title, abstract = next(iter(p.titles.values())), next(iter(p.abstracts.values()))
        ad = int(p.filing_date.strftime("%Y%m%d")) if p.filing_date else 0
        rows.append((i, title, abstract, "; ".join(x.name for x in p.parties), ad, p.country))
    return rows


def ranges(total: int, size: int = 2000) -> list[tuple[int, int]]:
    return [(start, min(start + size, total)) for start in range(0, total, size)]


def build_ipnav(total: int, path: Path, workers: int) -> float:
    index = SearchIndex(path)
    writer = index.index.writer(512 << 20, 2)
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for batch in pool.map(fields_range, ranges(total), chunksize=1):
            for fields in batch:
                writer.add_document(documents.to_document(fields))
    writer.commit()
    writer.wait_merging_threads()
    return time.perf_counter() - started


def build_sqlite(total: int, path: Path, workers: int) -> float:
    con = sqlite3.connect(path)
    con.executescript(
        "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
        "CREATE TABLE docs (id INTEGER PRIMARY KEY, ad INTEGER, cc TEXT);"
        "CREATE VIRTUAL TABLE fts_en USING fts5(ti, ab, pa, tokenize='porter unicode61');"
        "CREATE VIRTUAL TABLE fts_zh USING fts5(ti, ab, pa, tokenize='trigram');"
    )
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for rows in pool.map(sqlite_rows, ranges(total), chunksize=1):
            con.executemany("INSERT INTO docs VALUES (?, ?, ?)", [(r[0], r[4], r[5]) for r in rows])
            en = [(r[0], r[1], r[2], r[3]) for r in rows if r[5] == "US"]
            zh = [(r[0], r[1], r[2], r[3]) for r in rows if r[5] == "CN"]
            con.executemany("INSERT INTO fts_en(rowid, ti, ab, pa) VALUES (?, ?, ?, ?)", en)
            con.executemany("INSERT INTO fts_zh(rowid, ti, ab, pa) VALUES (?, ?, ?, ?)", zh)
    con.execute("CREATE INDEX docs_ad ON docs(ad)")
    con.commit()
    con.close()
    return time.perf_counter() - started


def query_mix() -> list[tuple[str, str, str, tuple[object, ...]]]:
    """50 queries: (kind, ipnav query, FTS5 SQL, params). FTS5 SQL returns count and top-20 ids."""
    rng = random.Random(SEED)
    data = pools()
    english = sorted({w.lower() for p in data["us"] for w in re.findall(r"[A-Za-z]{5,}", p.titles["en"])})
    chinese = sorted({w for w in data["cn_words"] if 2 <= len(w) <= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", w)})
    out = []
    top = "SELECT rowid FROM {t} WHERE {t} MATCH ? ORDER BY rank LIMIT 20"
    for word in rng.sample(english, 10):
        out.append(("term", word, top.format(t="fts_en"), (word,)))
    for p in rng.sample(data["us"], 10):
        words = re.findall(r"[A-Za-z]{4,}", p.titles["en"].lower())[:2]
        phrase = " ".join(words) if len(words) == 2 else "control device"
        out.append(("phrase", f'"{phrase}"', top.format(t="fts_en"), (f'"{phrase}"',)))
    for i in range(10):
        a, b = rng.sample(english, 2)
        op = ["AND", "OR", "NOT"][i % 3]
        out.append(("boolean", f"{a} {op} {b}", top.format(t="fts_en"), (f"{a} {op} {b}",)))
    for word in rng.sample(english, 10):
        start = rng.randint(2000, 2018)
        sql = (
            "SELECT f.rowid FROM fts_en f JOIN docs d ON d.id = f.rowid WHERE fts_en MATCH ? "
            "AND d.ad BETWEEN ? AND ? ORDER BY f.rank LIMIT 20"
        )
        out.append(
            (
                "fielded+date",
                f"ti={word} AND ad=[{start} TO {start + 5}]",
                sql,
                (f"ti:{word}", start * 10000 + 101, (start + 5) * 10000 + 1231),
            )
        )
    for word in rng.sample(chinese, 10):
        if len(word) >= 3:
            out.append(("chinese", word, top.format(t="fts_zh"), (f'"{word}"',)))
        else:  # trigram indexes cannot answer 1-2 characters: FTS5 falls back to LIKE, a full scan
            sql = "SELECT rowid FROM fts_zh WHERE ti LIKE ? OR ab LIKE ? LIMIT 20"
            out.append(("chinese", word, sql, (f"%{word}%", f"%{word}%")))
    return out


def count_sql(sql: str) -> str:
    inner = re.sub(r" ORDER BY [^ ]+ LIMIT 20| LIMIT 20", "", sql)
    return f"SELECT count(*) FROM ({inner})"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    opts = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ipnav-search-bench-"))
    try:
        pools()
        seconds = build_ipnav(opts.docs, work / "index", opts.workers)
        size = sum(f.stat().st_size for f in (work / "index").rglob("*") if f.is_file()) / 1e6
        print(
            f"ipnav index build: {opts.docs:,} docs in {seconds:.1f}s = {opts.docs / seconds:,.0f} docs/s, "
            f"index {size:,.0f} MB"
        )
        fts_seconds = build_sqlite(opts.docs, work / "fts.db", opts.workers)
        fts_size = (work / "fts.db").stat().st_size / 1e6
        print(f"SQLite FTS5 build: {fts_seconds:.1f}s = {opts.docs / fts_seconds:,.0f} docs/s, {fts_size:,.0f} MB")
        index = SearchIndex(work / "index")
        con = sqlite3.connect(work / "fts.db")
        mix = query_mix()
        ours: dict[str, list[float]] = {}
        theirs: dict[str, list[float]] = {}
        totals = []
        for kind, query, sql, params in mix:
            index.search(query, limit=20)  # warm
            for _ in range(opts.repeat):
                started = time.perf_counter()
                result = index.search(query, limit=20)
                ours.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                con.execute(count_sql(sql), params).fetchone()
                con.execute(sql, params).fetchall()
                theirs.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
            totals.append(result.total)
        every_ours = [v for vs in ours.values() for v in vs]
        every_theirs = [v for vs in theirs.values() for v in vs]
        print(f"{len(mix)} queries x {opts.repeat} runs, median hits per query {statistics.median(totals):,.0f}")
        print(f"{'kind':14} {'ipnav p50/p95/p99 ms':>24} {'FTS5 p50/p95/p99 ms':>26}")
        for kind in ours:
            a, b = ours[kind], theirs[kind]
            print(
                f"{kind:14} {percentile(a, 0.5):7.1f} {percentile(a, 0.95):7.1f} {percentile(a, 0.99):7.1f}   "
                f"{percentile(b, 0.5):8.1f} {percentile(b, 0.95):8.1f} {percentile(b, 0.99):8.1f}"
            )
        p95_ours, p95_theirs = percentile(every_ours, 0.95), percentile(every_theirs, 0.95)
        print(
            f"{'all':14} {percentile(every_ours, 0.5):7.1f} {p95_ours:7.1f} {percentile(every_ours, 0.99):7.1f}   "
            f"{percentile(every_theirs, 0.5):8.1f} {p95_theirs:8.1f} {percentile(every_theirs, 0.99):8.1f}"
        )
        print(
            f"p95 speed-up over FTS5: {p95_theirs / p95_ours:.1f}x (target >= 10x); p95 target <= 50 ms; "
            f"build target >= 5,000 docs/s"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
