"""Readers read a published snapshot of the warehouse, so writers never wait for them, nor they for writers.

DuckDB lets a file be open read-write by one process or read-only by many, never both. A regional
platform must ingest weekly data while people use it, so the web server never opens the warehouse
file for reading. Instead:

* Writers (an ingest from the command line or the web, a topic or plan change) open
  `warehouse.duckdb` read-write, one at a time (DuckDB's file lock across processes, `SnapshotReader`'s
  write lock within the server). When a writer closes, `publish` checkpoints the file and, if it
  changed since the last snapshot, copies it to `snapshots/warehouse-<time>.duckdb` and points
  `snapshots/CURRENT` at the copy (written to a temporary name and renamed: atomic).
* Readers (`SnapshotReader.cursor`) open the snapshot `CURRENT` names read-only and keep the
  connection while it is current; a request that starts after a publish gets the new snapshot, the
  ones still running finish on the old one, which is closed when they are done. So a reader sees
  the state of the last finished write, never a half-done ingest, and nothing waits.

The copy is published while the writer still holds the file (no other writer can change it
meanwhile); the snapshot before the current one is kept, so that a reader that has just read the
pointer can still open it; older ones are deleted (a process that still has one open keeps reading
it: POSIX). The cost is disk (a second copy of the warehouse) and the copy time after each write.
"""

from __future__ import annotations

import atexit
import collections
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import duckdb

from ipnav.errors import WarehouseBusy, WorkspaceError

POINTER = "CURRENT"
_PUBLISH = threading.Lock()
T = TypeVar("T")
MEMO_SIZE = 512
_memo: collections.OrderedDict[tuple[Any, ...], Any] = collections.OrderedDict()
_memo_lock = threading.Lock()


def snapshot_dir(warehouse_path: Path) -> Path:
    """The folder of a warehouse's published snapshots."""
    return warehouse_path.parent / "snapshots"


def _stamp(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_mtime_ns, st.st_size]


def current(warehouse_path: Path) -> dict[str, Any] | None:
    """What `CURRENT` says: the snapshot file name and the stamp of the warehouse it was copied from."""
    try:
        return json.loads((snapshot_dir(warehouse_path) / POINTER).read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    except FileNotFoundError:
        return None
    except ValueError as exc:
        raise WorkspaceError(f"{snapshot_dir(warehouse_path) / POINTER}: damaged ({exc}); delete it") from None


def publish(warehouse_path: Path) -> Path | None:
    """Copy the (checkpointed) warehouse to a new snapshot unless the current one is of the same file state.

    Called by the writer that holds the file, after `CHECKPOINT`. Returns the new snapshot, or None.
    """
    folder = snapshot_dir(warehouse_path)
    with _PUBLISH:
        stamp = _stamp(warehouse_path)
        now = current(warehouse_path)
        if now is not None and now.get("source") == stamp and (folder / now["file"]).is_file():
            return None
        folder.mkdir(parents=True, exist_ok=True)
        name = f"warehouse-{time.time_ns()}.duckdb"
        partial = folder / f".{name}.partial"
        try:
            shutil.copyfile(warehouse_path, partial)  # in the kernel (copy_file_range/sendfile) where it can
            with partial.open("rb") as handle:
                os.fsync(handle.fileno())
            partial.rename(folder / name)
            pointer = folder / f".{POINTER}.partial"
            pointer.write_text(json.dumps({"file": name, "source": stamp}), encoding="utf-8")
            pointer.rename(folder / POINTER)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise WorkspaceError(
                f"the change is saved, but the copy the web platform reads could not be written in {folder} "
                f"({exc.strerror}); free disk space: the next ipnav command that writes publishes it"
            ) from None
        keep = {name, now["file"] if now else ""}
        for old in folder.glob("warehouse-*.duckdb"):
            if old.name not in keep:
                old.unlink(missing_ok=True)
        return folder / name


def memo(warehouse: Any, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """`compute()` once per published snapshot: a snapshot never changes, so neither does a result read
    from it (an analysis, similar patents, value flags). Results of other warehouses are not kept.
    The last MEMO_SIZE results are kept per process; callers treat them as read-only."""
    if not getattr(warehouse, "snapshot", ""):
        return compute()
    full = (warehouse.path, warehouse.snapshot, *key)
    with _memo_lock:
        if full in _memo:
            _memo.move_to_end(full)
            return _memo[full]  # type: ignore[no-any-return]
    value = compute()
    with _memo_lock:
        _memo[full] = value
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)
    return value


class SnapshotReader:
    """The read-only connections of one process to the published snapshot, a cursor per request,
    and the process's one writer of the warehouse itself."""

    _by_path: ClassVar[dict[Path, SnapshotReader]] = {}
    _registry: ClassVar[threading.Lock] = threading.Lock()

    @classmethod
    def for_path(cls, path: Path, lock_wait: float = 10.0) -> SnapshotReader:
        """The process's reader of one warehouse (several apps in one process share it)."""
        key = path.resolve()
        with cls._registry:
            if key not in cls._by_path:
                reader = cls(key, lock_wait)
                atexit.register(reader.shutdown)
                cls._by_path[key] = reader
            return cls._by_path[key]

    def __init__(self, path: Path, lock_wait: float = 10.0) -> None:
        self.path = path
        self.folder = snapshot_dir(path)
        self.lock_wait = lock_wait
        self._guard = threading.Lock()
        self._open: dict[str, list[Any]] = {}  # snapshot file -> [connection, active cursors]
        self._pointer: tuple[tuple[int, int, int], str] | None = None  # (stat of CURRENT, file it names)
        self._write = threading.Lock()
        self.writing = ""  # what holds the write lock, for the message of a writer that waits too long

    def _current_file(self, refresh: bool = False) -> str:
        pointer = self.folder / POINTER
        try:
            st = pointer.stat()
        except FileNotFoundError:
            raise WorkspaceError(f"{self.path}: no published snapshot yet; run any ipnav command that writes") from None
        key = (st.st_ino, st.st_mtime_ns, st.st_size)
        if refresh or self._pointer is None or self._pointer[0] != key:
            data = current(self.path)
            assert data is not None
            self._pointer = (key, str(data["file"]))
        return self._pointer[1]

    @contextmanager
    def cursor(self) -> Iterator[Any]:
        """A read-only warehouse over a cursor of the current snapshot's shared connection."""
        from ipnav.store.warehouse import Warehouse

        with self._guard:
            name = self._current_file()
            entry = self._open.get(name)
            if entry is None:
                try:
                    con = duckdb.connect(str(self.folder / name), read_only=True)
                except duckdb.IOException:  # replaced and deleted between reading the pointer and opening it
                    name = self._current_file(refresh=True)
                    con = duckdb.connect(str(self.folder / name), read_only=True)
                entry = self._open.setdefault(name, [con, 0])
            entry[1] += 1
            self._close_idle(keep=name)
        wh = Warehouse.cursor_of(entry[0], self.path, read_only=True, snapshot=name)
        try:
            yield wh
        finally:
            wh.close()
            with self._guard:
                entry[1] -= 1
                self._close_idle(keep=self._pointer[1] if self._pointer else name)

    def _close_idle(self, keep: str) -> None:
        """Close connections to snapshots no longer current once no request uses them (holding the guard)."""
        for name, (con, active) in list(self._open.items()):
            if name != keep and active == 0:
                con.close()
                del self._open[name]

    @contextmanager
    def write_lock(self, what: str) -> Iterator[None]:
        """The process's one writer: wait a little for the current one, then say who holds it."""
        if not self._write.acquire(timeout=self.lock_wait):
            raise WarehouseBusy(f"the warehouse is being written ({self.writing}); try again when it ends")
        self.writing = what
        try:
            yield
        finally:
            self.writing = ""
            self._write.release()

    @contextmanager
    def writer(self, what: str = "a change") -> Iterator[Any]:
        """The read-write warehouse, alone in this process; published for the readers when it closes."""
        from ipnav.store.warehouse import Warehouse

        with self.write_lock(what):
            wh = Warehouse(self.path, lock_wait=self.lock_wait)
            try:
                yield wh
            finally:
                wh.close()

    def shutdown(self) -> None:
        """Close every snapshot connection of this process."""
        with self._guard:
            for con, _active in self._open.values():
                con.close()
            self._open.clear()
