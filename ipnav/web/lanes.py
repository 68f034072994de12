"""Where the CPU-bound work of requests runs: two lanes of worker threads, each admitting in arrival order.

On a busy server, forty requests computing at once in forty threads do not finish sooner than two at
a time: they share two cores and the GIL, and every one of them becomes slow. So:

* `quick` (searches, patent pages and their API, similar patents, value): at most
  the `search_threads` setting (default 2, one per core) at once; the others wait their turn, first come
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
import datetime as dt
import functools
import multiprocessing
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

import anyio
import anyio.to_thread

from ipnav.config import Settings
from ipnav.errors import IpnavError
from ipnav.store.snapshot import memo

T = TypeVar("T")

_LANES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, anyio.CapacityLimiter]] = (
    weakref.WeakKeyDictionary()
)


_QUICK_THREADS = [2]  # the `search_threads` setting of this server process (set by `configure`)


def configure(search_threads: int) -> None:
    """Size the quick lane (from the settings, when the app is built)."""
    _QUICK_THREADS[0] = max(1, search_threads)


def limiter(lane: str) -> anyio.CapacityLimiter:
    """The lane's limiter in this event loop."""
    loop = asyncio.get_running_loop()
    if loop not in _LANES:
        _LANES[loop] = {"quick": anyio.CapacityLimiter(_QUICK_THREADS[0]), "heavy": anyio.CapacityLimiter(1)}
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


async def apart(settings: Settings, operation: str, *args: Any) -> Any:
    """`Ipnav(settings).<operation>(*args, wh=...)` over the current snapshot, in the analysis process, in
    the heavy lane; remembered per snapshot. The arguments must pickle (option models do)."""
    async with limiter("heavy"):
        loop = asyncio.get_running_loop()
        try:
            outcome = await loop.run_in_executor(_pool(), _in_analysis_process, settings, operation, args)
        except BrokenProcessPool:  # the analysis process died (killed, out of memory): a new one, once
            _discard_pool()
            outcome = await loop.run_in_executor(_pool(), _in_analysis_process, settings, operation, args)
    if outcome[0] == "error":
        raise _remote_error(*outcome[1:])
    return outcome[1]  # type: ignore[no-any-return]


def _in_analysis_process(settings: Settings, operation: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
    from ipnav.application import Ipnav

    app = Ipnav(settings, check=False)
    app.share()
    key = (operation, repr(args), dt.date.today())
    try:
        with app.reading() as wh:
            return ("ok", memo(wh, key, lambda: getattr(app, operation)(*args, wh=wh)))
    except IpnavError as exc:  # errors travel as plain data: their own constructors take other arguments
        extra = {k: getattr(exc, k) for k in ("position", "detail", "suggestions") if hasattr(exc, k)}
        return ("error", type(exc).__name__, exc.status, str(exc), extra)


def _remote_error(name: str, status: int, message: str, extra: dict[str, Any]) -> IpnavError:
    """The error the analysis process raised, with its name, status and fields, raised here."""
    error = type(name, (IpnavError,), {"status": status})(message)
    for field, value in extra.items():
        setattr(error, field, value)
    return error
