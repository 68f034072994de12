"""Ingest benchmark: `ipnav ingest` against a bare lxml iterparse pass over the same bytes.

Builds (once) a corpus of >= --size-mb MB from the real USPTO grant full-text files in
../shared/data/uspto/grants_red_book, copied with fresh publication and application numbers
so every document is new to the warehouse, written as weekly-style files of concatenated
documents. Prints docs/s, MB/s and peak RSS (ipnav's whole process tree) and the ratio of
ipnav's MB/s to the baseline's. Run: `.venv/bin/python bench/ingest.py [--size-mb 1100]`.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "uspto" / "grants_red_book"
CORPUS = ROOT / "bench" / ".corpus" / "ingest"
_DOC_NUMBER = re.compile(rb"<doc-number>([A-Z]*)(\d+)</doc-number>")


def source_documents() -> list[bytes]:
    docs = []
    for path in sorted(SHARED.glob("*.xml")):
        for part in path.read_bytes().split(b'<?xml version="1.0" encoding="UTF-8"?>')[1:]:
            if b"<us-patent-grant" in part[:2000]:
                docs.append(b'<?xml version="1.0" encoding="UTF-8"?>' + part)
    return docs


def build_corpus(size_mb: int) -> list[Path]:
    existing = sorted(CORPUS.glob("*.xml"))
    if existing and sum(p.stat().st_size for p in existing) >= size_mb * 1e6:
        return existing
    shutil.rmtree(CORPUS, ignore_errors=True)
    CORPUS.mkdir(parents=True)
    docs = source_documents()
    serial, written, file_no = 0, 0, 0
    out = None
    while written < size_mb * 1e6:
        for doc in docs:
            if out is None or out.tell() > 64e6:
                if out is not None:
                    out.close()
                file_no += 1
                out = (CORPUS / f"ipg_bench_{file_no:03d}.xml").open("wb")
            serial += 1
            numbers = iter((f"{60000000 + serial:08d}".encode(), f"{70000000 + serial:08d}".encode()))

            def renumber(match: re.Match[bytes], numbers=numbers) -> bytes:  # type: ignore[no-untyped-def]
                return b"<doc-number>" + match.group(1) + next(numbers) + b"</doc-number>"

            copy = _DOC_NUMBER.sub(renumber, doc, count=2)  # publication, then application number
            out.write(copy)
            written += len(copy)
    if out is not None:
        out.close()
    return sorted(CORPUS.glob("*.xml"))


def baseline(files: list[Path]) -> tuple[int, float]:
    """Bare lxml.etree.iterparse over every document of the same files."""
    started = time.perf_counter()
    count = 0
    for path in files:
        data = path.read_bytes()
        for part in data.split(b"<?xml ")[1:]:
            for _event, element in etree.iterparse(
                io.BytesIO(b"<?xml " + part),
                events=("end",),
                load_dtd=False,
                no_network=True,
                resolve_entities=False,
                huge_tree=True,
            ):
                element.clear()
            count += 1
    return count, time.perf_counter() - started


def run_ipnav(args: list[str]) -> tuple[dict[str, float], float]:
    """Run an ipnav command, returning its --json output and the peak RSS of its whole process tree."""
    proc = subprocess.Popen([sys.executable, "-m", "ipnav.cli", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    watched = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            tree = [watched, *watched.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.1)
    out, err = proc.communicate()
    if proc.returncode not in (0, 3):
        raise SystemExit(f"ipnav {args[2]} failed: {err.decode()}")
    return json.loads(out), peak / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mb", type=int, default=1100)
    parser.add_argument("--workers", type=int, default=None)
    opts = parser.parse_args()
    files = build_corpus(opts.size_mb)
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    print(f"corpus: {len(files)} files, {megabytes:.0f} MB (renumbered copies of real USPTO grants)")
    base_docs, base_seconds = baseline(files)
    base_mbs = megabytes / base_seconds
    print(
        f"baseline lxml iterparse : {base_docs} docs in {base_seconds:.1f}s = {base_docs / base_seconds:,.0f} docs/s, "
        f"{base_mbs:.1f} MB/s"
    )
    workspace = Path(tempfile.mkdtemp(prefix="ipnav-bench-"))
    try:
        args = ["--workspace", str(workspace), "ingest", str(CORPUS), "--json", "--no-index"]
        if opts.workers is not None:
            args += ["--workers", str(opts.workers)]
        summary, peak_mb = run_ipnav(args)
        mbs = megabytes / summary["seconds"]
        print(
            f"ipnav ingest --no-index : {summary['records']} docs in {summary['seconds']:.1f}s = "
            f"{summary['records'] / summary['seconds']:,.0f} docs/s, {mbs:.1f} MB/s, peak RSS {peak_mb:,.0f} MB "
            f"(inserted {summary['inserted']}, rejected {summary['rejected']})"
        )
        print(f"ratio ipnav / baseline  : {mbs / base_mbs:.2f} (target >= 0.5); peak RSS target < 1000 MB")
        indexed, index_peak = run_ipnav(["--workspace", str(workspace), "reindex", "--json"])
        print(
            f"ipnav reindex           : {indexed['indexed']} applications (full text incl. descriptions) in "
            f"{indexed['seconds']:.1f}s = {indexed['indexed'] / indexed['seconds']:,.0f} docs/s, "
            f"peak RSS {index_peak:,.0f} MB"
        )
        both = summary["seconds"] + indexed["seconds"]
        print(
            f"ingest + index          : {both:.1f}s = {megabytes / both:.1f} MB/s "
            f"(ratio {megabytes / both / base_mbs:.2f}); `ipnav ingest` without --no-index does both"
        )
    finally:
        shutil.rmtree(workspace, ignore_errors=True)


if __name__ == "__main__":
    main()
