"""Web benchmark: 50 concurrent clients on the search API of a 1M-document workspace for 60 s.

The workspace: the search index of bench/search.py's corpus (renumbered, shuffled real US and CN
texts) and a warehouse holding the 1M applications the hits are displayed from (with their value
scores). `ipnav serve --public [--workers N]` runs in its own process(es) (--server-workers, default 1 as in the demo);
clients are asyncio tasks with keep-alive connections sending the 50-query mix of bench/search.py in
turn (a minimal keep-alive HTTP/1.1 client on asyncio, so that the client costs little of the two
cores next to the server). Reports requests/s, p50/p95/p99 latency and errors, against a baseline in the same run: the
same clients on `/api/health`, which does no work (the server's own floor).

Target: zero errors, p95 <= 200 ms.
Run: `.venv/bin/python bench/web.py [--docs 1000000] [--clients 50] [--seconds 60]`
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx2 as httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.search import build_ipnav, query_mix  # noqa: E402
from ipnav.config import Settings, Workspace  # noqa: E402
from ipnav.store.reference import ensure_reference  # noqa: E402
from ipnav.store.warehouse import Warehouse  # noqa: E402
from ipnav.value.service import ensure_scores, score_config  # noqa: E402


def build_workspace(root: Path, docs: int, workers: int) -> None:
    ws = Workspace(root).create()
    seconds = build_ipnav(docs, root / "index", workers)
    print(f"index: {docs:,} documents in {seconds:.0f} s")
    with Warehouse(ws.warehouse_path) as wh:
        ensure_reference(wh.con)
        con = wh.con
        # the keys bench/search.py gives document i: US9%08d (even i), CN9%011d (odd i)
        con.execute(
            f"""INSERT INTO patents (app_key, app_number, country, filing_date, filing_year, patent_type, title,
                   first_pub_number, first_applicant, legal_status, main_ipc, claims_count)
            SELECT k, k, cc, d, year(d), 'invention', 'document ' || i, cc || (100000000 + i) || 'A',
                   'applicant ' || (i % 5000), 'unknown', CASE WHEN i % 2 = 0 THEN 'G06F16/27' ELSE 'H01M4/13' END,
                   1 + i % 30
            FROM (SELECT i, CASE WHEN i % 2 = 0 THEN 'US9' || lpad(i::VARCHAR, 8, '0')
                                 ELSE 'CN9' || lpad(i::VARCHAR, 11, '0') END AS k,
                         CASE WHEN i % 2 = 0 THEN 'US' ELSE 'CN' END AS cc,
                         DATE '2000-01-01' + (i * 7919 % 9125)::INTEGER AS d
                  FROM range({docs}) r(i))"""
        )
        con.execute(
            "INSERT INTO parties (app_key, role, seq, name, name_norm) "
            "SELECT app_key, 'applicant', 1, first_applicant, first_applicant FROM patents"
        )
        con.execute(
            "INSERT INTO publications SELECT app_key, first_pub_number, 'A', filing_date + 540, country FROM patents"
        )
        ensure_scores(wh, score_config(Settings(workspace=root)))
    print(f"warehouse: {docs:,} applications with value scores")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def _fetch(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> int:
    """One keep-alive HTTP/1.1 GET; returns the status (the client must cost little next to the server)."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    return status


async def load(host: str, port: int, paths: list[str], clients: int, seconds: float) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    kinds: dict[str, int] = {}
    stop = time.perf_counter() + seconds

    async def client(n: int) -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, port)
        i = n
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                status = await _fetch(reader, writer, paths[i % len(paths)])
                if status != 200:
                    errors += 1
                    kinds[str(status)] = kinds.get(str(status), 0) + 1
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                errors += 1
                kinds[type(exc).__name__] = kinds.get(type(exc).__name__, 0) + 1
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
            latencies.append(time.perf_counter() - started)
            i += clients
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(clients)))
    elapsed = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": percentile(latencies, 0.50) * 1000,
        "p95": percentile(latencies, 0.95) * 1000,
        "p99": percentile(latencies, 0.99) * 1000,
        "errors": errors,
        "error_kinds": kinds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--baseline-seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--server-workers", type=int, default=1, help="`ipnav serve --workers`")
    parser.add_argument(
        "--workspace", type=Path, default=None, help="keep the built workspace here and reuse it on the next run"
    )
    opts = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ipnav-web-bench-"))
    server = None
    try:
        root = opts.workspace or work / "ws"
        if not (root / "warehouse.duckdb").is_file():
            build_workspace(root, opts.docs, opts.workers)
        port = _free_port()
        env = {**os.environ, "IPNAV_WORKSPACE": str(root)}
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "ipnav"),
                "serve",
                "--port",
                str(port),
                "--public",
                "--workers",
                str(opts.server_workers),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(work / "server.log", "w"),  # noqa: SIM115 - lives as long as the server
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        from urllib.parse import quote

        searches = [f"/api/search?limit=20&facets=false&q={quote(q)}" for _, q, _, _ in query_mix()]
        floor = asyncio.run(load("127.0.0.1", port, ["/api/health"], opts.clients, opts.baseline_seconds))
        result = asyncio.run(load("127.0.0.1", port, searches, opts.clients, opts.seconds))
        for label, r in (("baseline /api/health", floor), ("search API (50-query mix)", result)):
            print(
                f"  {label:28} {r['requests']:>7,} requests  {r['rps']:7.1f} req/s  p50 {r['p50']:6.1f} ms  "
                f"p95 {r['p95']:6.1f} ms  p99 {r['p99']:6.1f} ms  errors {r['errors']} {r['error_kinds'] or ''}"
            )
        print(
            f"{opts.clients} clients × {opts.seconds:.0f} s on {opts.docs:,} documents: {result['rps']:.0f} req/s, "
            f"p95 {result['p95']:.0f} ms (target <= 200 ms), errors {result['errors']} (target 0)"
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
            log = (work / "server.log").read_text(errors="replace")
            if "Traceback" in log:
                print("server errors:\n" + log[-3000:])
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
