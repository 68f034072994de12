"""Where the CPU-bound work of requests runs: two lanes of worker threads, each admitting in arrival order.

On a busy server, forty requests computing at once in forty threads do not finish sooner than two at
a time: they share two cores and the GIL, and every one of them becomes slow. So:

* `quick` (searches, patent pages and their API, similar patents, value): at most
  `IPNAV_SEARCH_THREADS` (default 2, one per core) at once; the others wait their turn, first come
  first served, which keeps latencies close to the mean.
* `heavy` (analyses, navigation pages, indicators, exports and reports): one at a time, so a burst of
  analyses cannot take the cores from people opening patents and searching.

Small bookkeeping (sessions, the audit log, topic lists) stays in the default thread pool.
"""

from __future__ import annotations

import asyncio
import functools
import os
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
import anyio.to_thread

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
