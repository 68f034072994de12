"""Where the CPU-bound work of requests runs: two lanes of worker threads, each admitting in arrival order.

On a busy server, forty requests computing at once in forty threads do not finish sooner than two at
a time: they share two cores and the GIL, and every one of them becomes slow. So:

* `quick` (searches, patent pages and their API, similar patents, value): at most
  `IPNAV_SEARCH_THREADS` (default 2, one per core) at once; the others wait their turn, first come
  first served, which keeps latencies close to the mean.
* `heavy` (analyses, navigation pages, indicators, exports and reports): one at a time, so a burst of
  analyses cannot take the cores from people opening patents and searching. Analyses, navigation
  packs and indicators (`apart`) run in a separate process of their own (one per server process,
  started on first use): building and compiling their queries is Python work that would otherwise
  hold the server's interpreter lock while searches and patent pages wait. That process reads the
  same published snapshot and keeps its own per-snapshot results (`ipnav.store.snapshot.memo`).

Small bookkeeping (sessions, the audit log, topic lists) stays in the default thread pool.
"""

from __future__ import annotations

import asyncio
import atexit
import functools
import multiprocessing
import os
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TypeVar

import anyio
import anyio.to_thread

from ipnav.config import Workspace
from ipnav.errors import IpnavError
from ipnav.store.snapshot import SnapshotReader, memo

T = TypeVar("T")

_LANES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, anyio.CapacityLimiter]] = (
    weakref.WeakKeyDictionary()
)


def limiter(lane: str) -> anyio.CapacityLimiter:
    """The lane's limiter in this event loop."""
    loop = asyncio.get_running_loop()
    if loop not in _LANES:
        quick = int(os.environ.get("IPNAV_SEARCH_THREADS", "2"))
        _LANES[loop] = {"quick": anyio.CapacityLimiter(quick), "heavy": anyio.CapacityLimiter(1)}
    return _LANES[loop][lane]


async def quick(work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run `work(*args, **kwargs)` in the quick lane."""
    return await anyio.to_thread.run_sync(functools.partial(work, *args, **kwargs), limiter=limiter("quick"))


async def heavy(work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run `work(*args, **kwargs)` in the heavy lane."""
    return await anyio.to_thread.run_sync(functools.partial(work, *args, **kwargs), limiter=limiter("heavy"))


_POOL: ProcessPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _pool() -> ProcessPoolExecutor:
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:  # spawned, not forked: the server has threads and open DuckDB/tantivy handles
            _POOL = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
            atexit.register(_POOL.shutdown, cancel_futures=True)
        return _POOL


def _discard_pool() -> None:
    global _POOL
    with _POOL_LOCK:
        if _POOL is not None:
            _POOL.shutdown(wait=False, cancel_futures=True)
        _POOL = None


async def apart(root: Path, key: tuple[Any, ...], work: Callable[..., T]) -> T:
    """`work(workspace=..., warehouse=...)` over the current snapshot, in the analysis process, in the heavy
    lane; remembered per snapshot under `key`. `work` must pickle: a module-level function or a
    `functools.partial` of one."""
    async with limiter("heavy"):
        where = str(Path(root).resolve())
        loop = asyncio.get_running_loop()
        try:
            outcome = await loop.run_in_executor(_pool(), _in_analysis_process, where, key, work)
        except BrokenProcessPool:  # the analysis process died (killed, out of memory): a new one, once
            _discard_pool()
            outcome = await loop.run_in_executor(_pool(), _in_analysis_process, where, key, work)
    if outcome[0] == "error":
        raise _remote_error(*outcome[1:])
    return outcome[1]  # type: ignore[no-any-return]


def _in_analysis_process(root: str, key: tuple[Any, ...], work: Callable[..., Any]) -> tuple[Any, ...]:
    workspace = Workspace(Path(root))
    try:
        with SnapshotReader.for_path(workspace.warehouse_path).cursor() as wh:
            return ("ok", memo(wh, key, lambda: work(workspace=workspace, warehouse=wh)))
    except IpnavError as exc:  # errors travel as plain data: their own constructors take other arguments
        extra = {k: getattr(exc, k) for k in ("position", "detail", "suggestions") if hasattr(exc, k)}
        return ("error", type(exc).__name__, exc.status, str(exc), extra)


def _remote_error(name: str, status: int, message: str, extra: dict[str, Any]) -> IpnavError:
    """The error the analysis process raised, with its name, status and fields, raised here."""
    error = type(name, (IpnavError,), {"status": status})(message)
    for field, value in extra.items():
        setattr(error, field, value)
    return error


def indicator(*, workspace: Workspace, warehouse: Any, request: Any) -> dict[str, Any]:
    """An indicator, in the shape `apart` calls (for `functools.partial(indicator, request=...)`)."""
    from ipnav.kpi.indicators import compute

    return compute(warehouse, request)
