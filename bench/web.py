"""Web benchmark: concurrent clients on a 1M-document workspace for 60 s, two profiles.

The workspace: the search index of bench/search.py's corpus (renumbered, shuffled real US and CN
texts) and a warehouse holding the same 1M applications as stored documents with every derived
table (loaded through `Warehouse.upsert`, as an ingest does) and their value scores.
`ipnav serve --public [--workers N]` runs in its own process(es) (--server-workers, default 1 as in the demo);
clients are asyncio tasks with keep-alive connections (a minimal keep-alive HTTP/1.1 client on asyncio,
so that the client costs little of the two cores next to the server).

* `search` (default 50 clients): the 50-query mix of bench/search.py on `/api/search`. Target p95 <= 200 ms.
* `mixed` (default 100 clients): searches, patent pages `/patents/{n}`, `/api/patents/{n}`,
  `/api/similar/{n}` and `/api/analyze/{kind}` over query selections. Targets: p95 <= 500 ms for patent
  pages, <= 1 s for searches and analyses; zero errors and a live server afterwards.

Reports requests/s, p50/p95/p99 latency and errors (per route for `mixed`), against a baseline in the
same run: the same clients on `/api/health`, which does no work (the server's own floor).
Run: `.venv/bin/python bench/web.py [--profile search|mixed|both] [--docs 1000000] [--clients N] [--seconds 60]
[--workspace DIR]`
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import httpx2 as httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.search import build_ipnav, query_mix, ranges, synth  # noqa: E402
from ipnav.config import Settings, Workspace  # noqa: E402
from ipnav.store.prepare import Prepared, prepare  # noqa: E402
from ipnav.store.reference import ensure_reference  # noqa: E402
from ipnav.store.warehouse import Warehouse  # noqa: E402
from ipnav.value.service import refresh  # noqa: E402


def prepared_range(bounds: tuple[int, int]) -> list[Prepared]:
    """Worker: documents of bench/search.py's corpus, serialised for the warehouse as an ingest does."""
    return [prepare(synth(i)) for i in range(*bounds)]


def build_workspace(root: Path, docs: int, workers: int) -> None:
    ws = Workspace(root).create()
    seconds = build_ipnav(docs, root / "index", workers)
    print(f"index: {docs:,} documents in {seconds:.0f} s")
    started = time.perf_counter()
    with Warehouse(ws.warehouse_path) as wh:
        wh.tune_for_bulk_load()
        ensure_reference(wh.con)
        run_id = wh.start_run(["bench/search.py corpus"])
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for batch in pool.map(prepared_range, ranges(docs, 5000), chunksize=1):
                wh.upsert(batch, run_id)
        wh.finish_run(run_id, {"files": 0, "records": docs, "inserted": docs, "updated": 0, "unchanged": 0,
                               "rejected": 0, "seconds": time.perf_counter() - started}, "done")  # fmt: skip
        (root / "index" / "indexed-run").write_text(str(run_id))  # the index above holds this run
        refresh(wh, Settings(workspace=root))  # value scores and flags, as an ingest leaves them
    print(f"warehouse: {docs:,} applications with documents, value scores and flags in "
          f"{time.perf_counter() - started:.0f} s")  # fmt: skip


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


def route_of(path: str) -> str:
    """The route a path belongs to, for per-route statistics: `/api/patents/{n}`, `/api/search` ..."""
    parts = path.split("?", 1)[0].split("/")
    if len(parts) > 3 and parts[1] == "api" and parts[2] in ("patents", "similar", "analyze"):
        return f"/api/{parts[2]}/{{{'kind' if parts[2] == 'analyze' else 'n'}}}"
    if len(parts) > 2 and parts[1] == "patents":
        return "/patents/{n}"
    return "/".join(parts)


async def load(host: str, port: int, paths: list[str], clients: int, seconds: float) -> dict[str, Any]:
    """`clients` keep-alive clients sending `paths` in turn for `seconds`; totals and per-route figures."""
    timings: list[tuple[str, float]] = []
    errors = 0
    kinds: dict[str, int] = {}
    stop = time.perf_counter() + seconds

    async def client(n: int) -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, port)
        i = n
        while time.perf_counter() < stop:
            path = paths[i % len(paths)]
            started = time.perf_counter()
            try:
                status = await _fetch(reader, writer, path)
                if status != 200:
                    errors += 1
                    kinds[f"{status} {route_of(path)}"] = kinds.get(f"{status} {route_of(path)}", 0) + 1
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                errors += 1
                kinds[type(exc).__name__] = kinds.get(type(exc).__name__, 0) + 1
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
            timings.append((route_of(path), time.perf_counter() - started))
            i += clients
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(clients)))
    elapsed = time.perf_counter() - started
    routes: dict[str, list[float]] = {}
    for route, latency in timings:
        routes.setdefault(route, []).append(latency)
    return {
        **_figures([t for _, t in timings], elapsed),
        "errors": errors,
        "error_kinds": kinds,
        "routes": {route: _figures(values, elapsed) for route, values in sorted(routes.items())},
    }


def _figures(latencies: list[float], elapsed: float) -> dict[str, float]:
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": percentile(latencies, 0.50) * 1000,
        "p95": percentile(latencies, 0.95) * 1000,
        "p99": percentile(latencies, 0.99) * 1000,
    }


def mixed_paths(docs: int, count: int = 2000) -> list[str]:
    """The mixed profile: 40% searches, 20% patent pages, 20% patent API, 10% similar, 10% analyses."""
    from urllib.parse import quote

    rng = random.Random(20261202)
    queries = [q for _, q, _, _ in query_mix()]
    analyses = ["applicants", "trends", "ipc", "countries", "legal_status"]

    def key() -> str:
        i = rng.randrange(docs)
        return f"US9{i:08d}" if i % 2 == 0 else f"CN9{i:011d}"

    paths = []
    for n in range(count):
        slot = n % 10
        if slot < 4:
            paths.append(f"/api/search?limit=20&facets=false&q={quote(rng.choice(queries))}")
        elif slot < 6:
            paths.append(f"/patents/{key()}")
        elif slot < 8:
            paths.append(f"/api/patents/{key()}")
        elif slot == 8:
            paths.append(f"/api/similar/{key()}?limit=10")
        else:
            paths.append(f"/api/analyze/{rng.choice(analyses)}?selection={quote(rng.choice(queries))}")
    rng.shuffle(paths)  # each client walks the list with a stride of the client count: every client mixes routes
    return paths


def _print(label: str, r: dict[str, Any]) -> None:
    print(
        f"  {label:30} {r['requests']:>7,} requests  {r['rps']:7.1f} req/s  p50 {r['p50']:7.1f} ms  "
        f"p95 {r['p95']:7.1f} ms  p99 {r['p99']:7.1f} ms" + (f"  errors {r['errors']} {r['error_kinds'] or ''}"
                                                          if "errors" in r else "")
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--profile", choices=("search", "mixed", "both"), default="both")
    parser.add_argument("--clients", type=int, default=None, help="default: 50 (search), 100 (mixed)")
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
        if not (root / "snapshots" / "CURRENT").is_file():
            build_workspace(root, opts.docs, opts.workers)
        port = _free_port()
        env = {**os.environ, "IPNAV_WORKSPACE": str(root)}
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "ipnav"), "serve", "--port", str(port), "--public",
             "--workers", str(opts.server_workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(work / "server.log", "w"),  # noqa: SIM115 - lives as long as the server
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        from urllib.parse import quote

        profiles = ["search", "mixed"] if opts.profile == "both" else [opts.profile]
        for profile in profiles:
            clients = opts.clients or (50 if profile == "search" else 100)
            if profile == "search":
                paths = [f"/api/search?limit=20&facets=false&q={quote(q)}" for _, q, _, _ in query_mix()]
            else:
                paths = mixed_paths(opts.docs)
            floor = asyncio.run(load("127.0.0.1", port, ["/api/health"], clients, opts.baseline_seconds))
            result = asyncio.run(load("127.0.0.1", port, paths, clients, opts.seconds))
            alive = httpx.get(base + "/api/health", timeout=10).status_code == 200
            print(f"profile {profile}: {clients} clients × {opts.seconds:.0f} s on {opts.docs:,} documents, "
                  f"{opts.server_workers} server process(es)")  # fmt: skip
            _print("baseline /api/health", floor)
            _print(f"{profile} (all routes)", result)
            for route, figures in result["routes"].items():
                _print(f"  {route}", figures)
            pages = [r for name, r in result["routes"].items() if "patents" in name]
            heavy = [r for name, r in result["routes"].items() if "search" in name or "analyze" in name]
            print(
                f"  => {result['rps']:.0f} req/s, errors {result['errors']} (target 0), server alive: {alive}; "
                + (f"p95 search {result['p95']:.0f} ms (target <= 200 ms)" if profile == "search" else
                   f"p95 patent pages <= {max(r['p95'] for r in pages):.0f} ms (target 500), "
                   f"searches/analyses <= {max(r['p95'] for r in heavy):.0f} ms (target 1000)")
            )  # fmt: skip
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
