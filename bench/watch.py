"""Trademark watch benchmark: 1,000 watches against a register of --marks marks (default 1,000,000) and a
weekly file of 20,000 new marks; `tm similar` latency on the same register.

* The register is bench/trademarks.py's corpus (renumbered real TIPO marks, 20% as Chinese register rows),
  loaded once into bench/.corpus/watch-ws-N (kept for the next run).
* 1,000 watches: the words and class of 1,000 register marks drawn with a fixed seed.
* The weekly file: 20,000 new Chinese register rows, copies of real marks with new numbers, of which 2%
  are one-character variants of watched marks (so the watches have something to find), published in
  one week.

Prints: the weekly ingest (with the alerts it raises), one watch run over the week's marks (what every
ingest does) against a baseline in the same run (comparing each watch with each new mark, measured on 20
watches and scaled to 1,000), and `tm similar` p50/p95/p99 over 200 marks of the register.
Targets (issue 17): a run <= 60 s; `tm similar` p95 <= 200 ms.
Run: `.venv/bin/python bench/watch.py [--marks 1000000]`.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ingest import run_ipnav  # noqa: E402  (bench/ on the path)
from trademarks import CORPUS, build_corpus  # noqa: E402

WEEKLY = 20_000
WATCHES = 1_000


def register(marks: int) -> Path:
    """The workspace holding the register (loaded once per size)."""
    files = build_corpus(marks)
    ws = CORPUS.parent / f"watch-ws-{marks}"
    if not (ws / "loaded").exists():
        import shutil

        shutil.rmtree(ws, ignore_errors=True)
        summary, peak = run_ipnav(["--workspace", str(ws), "ingest", *map(str, files), "--json"])
        print(f"register loaded: {summary['records']:,} marks in {summary['seconds']:.0f} s (peak RSS {peak:,.0f} MB)")
        (ws / "loaded").write_text(str(marks))
    return ws


def weekly_file(
    path: Path, sample: list[tuple[str, list[int]]], watched: list[tuple[str, list[int]]], start: int
) -> list[str]:
    """The week's new marks as a Chinese register export, numbered from `start` (a run after another brings
    a new week); their numbers."""
    rng = random.Random(7)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["注册号/申请号", "申请日期", "国际分类", "商标名称", "申请人名称", "申请人地址", "初审公告日期",
                     "商标状态", "商标类型"])  # fmt: skip
    numbers = []
    for i in range(WEEKLY):
        if i % 50 == 0:  # a one-character variant of a watched mark
            text, classes = watched[rng.randrange(len(watched))]
            if len(text) >= 2:
                at = rng.randrange(len(text))
                text = text[:at] + rng.choice("新金华美龙") + text[at + 1 :]
        else:
            text, classes = sample[rng.randrange(len(sample))]
        number = f"{start + i}"
        numbers.append(f"CN{number}")
        writer.writerow([number, "2026-08-01", classes[0] if classes else 30, text, f"周新申请人{i % 3000}有限公司",
                         "重庆市渝北区新南路1号", f"2026-11-{1 + i % 7:02d}", "初审公告", "普通商标"])  # fmt: skip
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return numbers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--marks", type=int, default=1_000_000)
    opts = parser.parse_args()
    from ipnav.application import Ipnav
    from ipnav.config import Settings
    from ipnav.trademarks import index as tm_index
    from ipnav.trademarks.similar import SIMILAR, compare

    ws = register(opts.marks)
    app = Ipnav(Settings.load(ws))
    with app.reading() as wh:
        weeks = wh.con.execute("SELECT count(*) FROM trademarks WHERE number >= 'CN95000000'").fetchone()[0]  # type: ignore[index]
        rows = wh.con.execute(
            "SELECT text, classes FROM trademarks WHERE coalesce(text, '') <> '' AND number < 'CN95000000' "
            "ORDER BY hash(number) LIMIT 5000"
        ).fetchall()
    rng = random.Random(17)
    sample = [(t, list(c or [])) for t, c in rows]
    watched = rng.sample(sample, WATCHES)
    watches = app.watches
    for old in watches.listing("bench"):
        watches.remove("bench", old["name"])
    for n, (text, classes) in enumerate(watched):
        watches.add("bench", f"watch-{n:04d}", mark=text, classes=classes[:1])
    print(f"register: {opts.marks:,} marks; {WATCHES:,} watches; a weekly file of {WEEKLY:,} new marks")

    week = CORPUS.parent / "watch-weekly.csv"
    numbers = weekly_file(week, sample, watched, 95_000_000 + weeks)
    started = time.perf_counter()
    summary, peak = run_ipnav(["--workspace", str(ws), "ingest", str(week), "--json"])
    print(f"weekly ingest with alerts : {time.perf_counter() - started:6.1f} s ({summary['records']:,} marks, "
          f"peak RSS {peak:,.0f} MB)")  # fmt: skip

    with app.reading() as wh:
        index = tm_index.open_index(app.workspace)
        started = time.perf_counter()
        runs = watches.run(wh, index, user="bench", only=set(numbers))
        seconds = time.perf_counter() - started
        hits = sum(len(r["hits"]) for r in runs)
        print(f"watch run over the week   : {seconds:6.1f} s for {WATCHES:,} watches, {hits:,} hits "
              f"(target <= 60 s: {'met' if seconds <= 60 else 'NOT met'})")  # fmt: skip
        new = wh.con.execute(
            "SELECT text, classes, groups FROM trademarks WHERE number IN (SELECT unnest(?::VARCHAR[]))", [numbers]
        ).fetchall()
        started = time.perf_counter()
        found = 0
        for text, classes in watched[:20]:
            for mark_text, mark_classes, mark_groups in new:
                mark = {"text": mark_text, "classes": mark_classes or [], "groups": mark_groups or []}
                found += compare(text, classes[:1], [], mark).score >= SIMILAR
        brute = (time.perf_counter() - started) * WATCHES / 20
        print(f"baseline: each watch x each new mark: {brute:6.1f} s scaled from 20 watches "
              f"({found} hits among them); ratio {brute / seconds:.1f}x")  # fmt: skip

        timings = []
        for text, classes in rng.sample(sample, 200):
            started = time.perf_counter()
            app.trademark_similar(text, classes=classes[:1], wh=wh)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95, p99 = timings[int(0.95 * len(timings))], timings[int(0.99 * len(timings))]
        verdict = "met" if p95 <= 200 else "NOT met"
        print(f"tm similar over {opts.marks:,} marks: p50 {statistics.median(timings):.1f} ms · p95 {p95:.1f} ms · "
              f"p99 {p99:.1f} ms (target p95 <= 200 ms: {verdict})")  # fmt: skip


if __name__ == "__main__":
    main()
