"""Semantic search benchmark: embedding throughput, the vector index at a million vectors, hybrid `similar`
latency, and a labelled evaluation of lexical, semantic and hybrid retrieval.

1. Embedding: the bundled sample (about 18,000 applications) ingested, then embedded by `Ipnav.embed`
   (encoder processes, one BLAS thread each); docs/s and the share of ingest + embed time spent embedding.
   Baseline: one in-process encoder on the same texts.
2. ANN: `--vectors` (default 1,000,000) vectors made from the sample's real vectors (each a real vector plus
   Gaussian noise, normalised: clusters shaped like the real ones, cosine about 0.75 to their origin), in
   the index configuration ipnav uses (usearch HNSW, cosine, float16, M=16, ef_add 128, ef_search 96).
   Latency p50/p95/p99 of single queries, recall@10 against exact search; baseline: exact search (numpy).
3. Hybrid `similar` p50/p95 on the sample; baseline: the lexical ranking alone (what `similar` was).
4. Labelled evaluation. (a) Claim -> own patent: the first claim of applications that have one (it is not
   what is embedded or what the title/abstract index holds) must find its own application; recall@10 and
   MRR for lexical (BM25 over its distinctive terms), semantic (USE v3 cosine) and hybrid (reciprocal rank
   fusion of the two, k = 60). (b) The hand-built demands of tests/fixtures/matching (known answers):
   the rank of the answer under `demand match` (hybrid, k = 10).

Run: `.venv/bin/python bench/semantic.py [--vectors 1000000] [--queries 300] [--workspace WS]`
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ipnav.application import Ipnav  # noqa: E402
from ipnav.cli.context import sample_path  # noqa: E402
from ipnav.config import Settings  # noqa: E402
from ipnav.matching.match import MatchOptions, _candidates, match_patents  # noqa: E402
from ipnav.search.similar import similar as lexical_similar  # noqa: E402
from ipnav.semantic import encoder, store, vectors  # noqa: E402
from ipnav.store.reads import load_patent  # noqa: E402

SEED = 20261204
DEMANDS = ROOT / "tests" / "fixtures" / "matching" / "demands.csv"
ANSWERS = {"T-001": "CN201410209785", "T-002": "CN201110210385", "T-003": "CN201611234280", "T-004": "CN201310138239"}


def percentiles(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    pick = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]  # noqa: E731
    return f"p50 {pick(0.50):7.2f} ms  p95 {pick(0.95):7.2f} ms  p99 {pick(0.99):7.2f} ms"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_workspace(root: Path) -> tuple[Ipnav, float, float]:
    """The sample ingested and embedded; (app, ingest seconds, embed seconds)."""
    ipnav = Ipnav(Settings(workspace=root), create=True)
    started = time.perf_counter()
    ipnav.ingest([sample_path()])
    ingest_s = time.perf_counter() - started
    started = time.perf_counter()
    done = ipnav.embed()
    embed_s = time.perf_counter() - started
    print(f"  embedded {done['computed']:,} applications, index {done['index']['vectors']:,} vectors")
    return ipnav, ingest_s, embed_s


def embedding(ipnav: Ipnav, ingest_s: float, embed_s: float) -> np.ndarray:
    with ipnav.reading() as wh:
        total = int(wh.con.execute("SELECT count(*) FROM embeddings").fetchall()[0][0])  # type: ignore[index]
        rows = wh.con.execute("SELECT app_key, title, abstract FROM patents ORDER BY hash(app_key) LIMIT 2048")
        items = [(key, encoder.text_of(title, abstract), "") for key, title, abstract in rows.fetchall()]
        real = np.stack([np.frombuffer(b, dtype=np.float16) for (b,) in
                         wh.con.execute("SELECT vector FROM embeddings ORDER BY app_key").fetchall()])  # fmt: skip
    chars = statistics.mean(len(text) for _, text, _ in items)
    started = time.perf_counter()
    store.encode(items, 1)
    single = len(items) / (time.perf_counter() - started)
    print(f"\n== 1. embedding (title + abstract opening; sample texts average {chars:.0f} characters) ==")
    print(
        f"  ipnav embed (processes, 1 BLAS thread each): {total / embed_s:8.1f} docs/s  ({total:,} in {embed_s:.1f} s)"
    )
    print(f"  baseline, one in-process encoder:            {single:8.1f} docs/s  (2,048 texts)")
    print(f"  ingest {ingest_s:.1f} s + embed {embed_s:.1f} s: embedding is {embed_s / (ingest_s + embed_s):.0%}"
          " of loading the sample")  # fmt: skip
    with ipnav.reading() as wh:  # what a CNIPA export with abstracts costs
        rows = wh.con.execute("SELECT app_key, title, abstract FROM patents WHERE length(abstract) > 100 "
                              "ORDER BY hash(app_key) LIMIT 2048").fetchall()  # fmt: skip
    items = [(key, encoder.text_of(title, abstract), "") for key, title, abstract in rows]
    timed = {}
    for workers in (1, 0):
        started = time.perf_counter()
        store.encode(items, workers or (os.cpu_count() or 1))
        timed[workers] = len(items) / (time.perf_counter() - started)
    chars = statistics.mean(len(text) for _, text, _ in items)
    print(f"  {len(items):,} texts with an abstract ({chars:.0f} characters): processes {timed[0]:.1f} docs/s,"
          f" one in-process encoder {timed[1]:.1f} docs/s (baseline)")  # fmt: skip
    return real.astype(np.float32)


def synthetic(real: np.ndarray, count: int, rng: np.random.Generator, noise: float = 0.035) -> np.ndarray:
    """`count` unit vectors: real ones plus Gaussian noise (per dimension), float16."""
    out = np.empty((count, real.shape[1]), dtype=np.float16)
    for start in range(0, count, 100_000):
        stop = min(count, start + 100_000)
        base = real[rng.integers(0, len(real), stop - start)]
        block = base + rng.normal(0, noise, base.shape).astype(np.float32)
        out[start:stop] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def ann(real: np.ndarray, count: int, queries: int) -> None:
    rng = np.random.default_rng(SEED)
    data = synthetic(real, count, rng)
    probe = synthetic(real, queries, rng).astype(np.float32)
    noisy = real[:1000] + rng.normal(0, 0.035, real[:1000].shape).astype(np.float32)
    origin_cos = float(np.mean(np.sum(noisy / np.linalg.norm(noisy, axis=1, keepdims=True) * real[:1000], axis=1)))
    print(f"\n== 2. vector index at {count:,} vectors (real + noise, cosine to origin ~{origin_cos:.2f}) ==")
    index = vectors._new_index()
    started = time.perf_counter()
    index.add(np.arange(count, dtype=np.uint64), data, threads=0)
    build = time.perf_counter() - started
    print(f"  build {build:.1f} s ({count / build:,.0f} vectors/s), index {index.memory_usage / 2**20:,.0f} MB,"
          f" peak RSS {peak_mb():,.0f} MB")  # fmt: skip
    times, found = [], []
    for q in probe:
        started = time.perf_counter()
        hits = index.search(q, 10)
        times.append(time.perf_counter() - started)
        found.append(set(int(k) for k in hits.keys))
    full = data.astype(np.float32)  # exact search at its best: float32 in memory, BLAS
    sims = np.concatenate([full[start : start + 100_000] @ probe.T for start in range(0, count, 100_000)])
    exact = np.argpartition(-sims, 10, axis=0)[:10].T  # queries x 10
    recall = [len(found[i] & set(int(k) for k in exact[i])) / 10 for i in range(len(probe))]
    del sims
    exact_times = []
    for q in probe[:50]:
        started = time.perf_counter()
        np.argpartition(-(full @ q), 10)[:10]
        exact_times.append(time.perf_counter() - started)
    share = statistics.mean(recall)
    print(f"  usearch HNSW   {percentiles(times)}   recall@10 {share:.3f}  (target p95 <= 20 ms, >= 0.95)")
    print(f"  exact (numpy)  {percentiles(exact_times)}   recall@10 1.000  (baseline, 50 queries)")
    del index, data, full
    gc.collect()


def hybrid_latency(ipnav: Ipnav, queries: int) -> None:
    with ipnav.reading() as wh:
        keys = [k for (k,) in wh.con.execute(
            "SELECT app_key FROM patents WHERE country = 'CN' ORDER BY hash(app_key || 'q') LIMIT ?", [queries]
        ).fetchall()]  # fmt: skip
        ipnav.similar(keys[0], wh=wh)  # warm: the index, the encoder are open
        hybrid, lexical = [], []
        for key in keys:
            started = time.perf_counter()
            ipnav.similar(key, limit=10, wh=wh)
            hybrid.append(time.perf_counter() - started)
            started = time.perf_counter()
            lexical_similar(ipnav.workspace, wh, key, limit=10)
            lexical.append(time.perf_counter() - started)
    print(f"\n== 3. similar, {len(keys)} Chinese applications of the sample ==")
    print(f"  hybrid (lexical + semantic + citations + IPC)  {percentiles(hybrid)}   (target p95 <= 200 ms)")
    print(f"  lexical alone (baseline)                       {percentiles(lexical)}")


def evaluation(ipnav: Ipnav, queries: int) -> None:
    rng = random.Random(SEED)
    with ipnav.reading() as wh:
        keys = [k for (k,) in wh.con.execute(
            "SELECT app_key FROM patents WHERE claims_count > 0 ORDER BY app_key").fetchall()]  # fmt: skip
        rng.shuffle(keys)
        pairs = []
        for key in keys:
            claims = load_patent(wh, key).claims
            if claims and len(claims[0]) >= 60:
                pairs.append((key, claims[0][:1000]))
            if len(pairs) == queries:
                break
        ranks: dict[str, list[int | None]] = {"lexical": [], "semantic": [], "hybrid": []}
        for key, claim in pairs:
            lexical, semantic, _ = _candidates(ipnav.workspace, wh, claim)
            fused: dict[str, float] = {}
            for ranking in (lexical, {k: r for k, (r, _) in semantic.items()}):
                for other, rank in ranking.items():
                    fused[other] = fused.get(other, 0.0) + 1 / (60 + rank)
            order = sorted(fused, key=lambda k: -fused[k])
            ranks["lexical"].append(lexical.get(key))
            ranks["semantic"].append(semantic[key][0] if key in semantic else None)
            ranks["hybrid"].append(order.index(key) + 1 if key in fused else None)
        print(f"\n== 4a. first claim -> own application, {len(pairs)} applications with claims ==")
        for method, found in ranks.items():
            recall = sum(1 for r in found if r and r <= 10) / len(found)
            mrr = sum(1 / r for r in found if r) / len(found)
            print(f"  {method:9s} recall@10 {recall:.3f}   MRR {mrr:.3f}")
        options = MatchOptions(status="all", limit=50)
        import csv

        print("\n== 4b. hand-built demands (tests/fixtures/matching), rank of the known answer ==")
        with DEMANDS.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["需求编号"] not in ANSWERS:
                    continue
                values = {"title": row["需求名称"], "description": row["需求描述"], "ipc": [row["IPC分类"]],
                          "field": row["技术领域"]}  # fmt: skip
                found = [h["app_key"] for h in match_patents(ipnav.workspace, wh, values, "", options)["patents"]]
                answer = ANSWERS[row["需求编号"]]
                rank = found.index(answer) + 1 if answer in found else None
                print(f"  {row['需求编号']} {row['需求名称'][:24]:24s} -> {answer}: rank {rank}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vectors", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--workspace", type=Path, help="an embedded workspace of the sample (built when absent)")
    args = parser.parse_args()
    temp = Path(tempfile.mkdtemp(prefix="ipnav-bench-semantic-"))
    try:
        print("== building the sample workspace ==")
        if args.workspace:
            ipnav, ingest_s, embed_s = Ipnav(Settings(workspace=args.workspace)), float("nan"), float("nan")
        else:
            ipnav, ingest_s, embed_s = build_workspace(temp / "ws")
        real = embedding(ipnav, ingest_s, embed_s)
        hybrid_latency(ipnav, min(args.queries, 200))
        evaluation(ipnav, args.queries)
        ann(real, args.vectors, min(args.queries, 500))
        print(f"\npeak RSS {peak_mb():,.0f} MB")
    finally:
        shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    main()
