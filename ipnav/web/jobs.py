"""An ingest started from the web (admins upload files): one at a time, in a background thread,
with progress the ingest page polls. Reads go on meanwhile: they read the published snapshot, and
see the new records when the ingest ends and publishes (`ipnav.store.snapshot`).

Uploads are copied to `WORKSPACE/uploads/<time>/` in chunks (never whole into memory), each within
`max_upload_mb`; the copies are removed when their ingest ends unless `keep_uploads_days` keeps
them, and then folders older than that are removed at the next upload."""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import re
import shutil
import threading
import time
from pathlib import Path
from typing import IO, Any

from ipnav.application import Ipnav
from ipnav.config import Workspace
from ipnav.errors import IpnavError, UsageError, WarehouseBusy

WRITING = "数据导入 an ingest from the web"
_CHUNK = 1 << 20
_BUSY_TRIES, _BUSY_PAUSE = 10, 15.0  # the background embedding waits up to ~14 minutes for a writer
_log = logging.getLogger("ipnav.web")


class EmbedJob:
    """Semantic vectors computed in the background of the web server (setting `embed_in_background`): at
    start-up for what is pending, and after each web ingest. Rounds are computed outside the write lock and
    written briefly, so other writes go on; one process of the workspace embeds at a time (a lock file), the
    others leave it to that one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._again = False
        self.state: dict[str, Any] = {"status": "idle"}

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return dict(self.state)

    def start(self, ipnav: Ipnav) -> None:
        """Embed what is pending, in a thread; when a run is going, it runs once more when it ends."""
        with self._lock:
            if self.state.get("status") == "running":
                self._again = True
                return
            self.state = {"status": "running", "done": 0, "total": 0,
                          "started": dt.datetime.now().isoformat(timespec="seconds")}  # fmt: skip
        threading.Thread(target=self._run, args=(ipnav,), daemon=True, name="ipnav-embed").start()

    def _run(self, ipnav: Ipnav) -> None:
        def progress(done: int, total: int) -> None:
            with self._lock:
                self.state.update(done=done, total=total)

        lock_path = ipnav.workspace.root / "vectors" / ".embedding.lock"
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with lock_path.open("w") as held:
            try:
                fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # another server process embeds this workspace
                self._set(status="idle")
                return
            result: dict[str, Any] = {}
            try:
                for attempt in range(_BUSY_TRIES):
                    try:
                        result = ipnav.embed_in_rounds(progress=progress)
                    except WarehouseBusy:  # a long ingest from the command line: wait for it
                        time.sleep(_BUSY_PAUSE * (attempt + 1))
                        continue
                    with self._lock:
                        again, self._again = self._again, False
                    if not again:
                        break
                self._set(status="finished", result=result,
                          finished=dt.datetime.now().isoformat(timespec="seconds"))  # fmt: skip
            except Exception as exc:  # a background thread: its failure, whatever it is, is shown on the ingest page
                _log.exception("background embedding failed")
                self._set(status="failed", error=f"{type(exc).__name__}: {exc}")

    def _set(self, **values: Any) -> None:
        with self._lock:
            self.state.update(values)


class IngestJob:
    """The state of the web ingest of one server process; a finished ingest starts the background embedding."""

    def __init__(self, embedder: EmbedJob | None = None) -> None:
        self._lock = threading.Lock()
        self.embedder = embedder
        self.state: dict[str, Any] = {"status": "idle"}

    def snapshot(self) -> dict[str, Any]:
        """The job's state now (a copy)."""
        with self._lock:
            return dict(self.state)

    def _set(self, **values: Any) -> None:
        with self._lock:
            self.state.update(values)

    def start(self, ipnav: Ipnav, user: str, files: list[tuple[str, IO[bytes]]], register: str = "") -> Path:
        """Copy the uploaded files and ingest them in the background; returns the upload folder. `register`:
        the register page the files came from (it shows the job)."""
        with self._lock:
            if self.state.get("status") == "running":
                raise UsageError("an ingest is already running / 已有导入任务在运行")
            if not files:
                raise UsageError("choose at least one file / 请选择文件")
            self.state = {"status": "saving", "user": user}
        try:
            folder, total = _save(ipnav.workspace, files, ipnav.settings.max_upload_mb << 20)
        except BaseException:
            self._set(status="idle")
            raise
        started = dt.datetime.now().isoformat(timespec="seconds")
        self._set(status="running", user=user, folder=str(folder), files=len(files), total=total, done=0,
                  started=started, register=register)  # fmt: skip
        thread = threading.Thread(target=self._run, args=(ipnav, user, folder), daemon=True, name="ipnav-ingest")
        thread.start()
        return folder

    def _run(self, ipnav: Ipnav, user: str, folder: Path) -> None:
        settings, accounts = ipnav.settings, ipnav.accounts

        def progress(done: int, name: str) -> None:
            with self._lock:
                self.state["done"] = self.state.get("done", 0) + done
                self.state["current"] = Path(name.split("!")[-1]).name

        try:
            summary = ipnav.ingest(
                [folder], progress=progress, holding=lambda: ipnav.share().write_lock(f"{WRITING} ({user})")
            )
            result = summary.as_dict()
            _tidy(ipnav.workspace, folder, settings.keep_uploads_days)
            accounts.audit(user, "ingest", str(folder), result)
            self._set(status="finished", summary=result, finished=dt.datetime.now().isoformat(timespec="seconds"))
            if self.embedder is not None and settings.embed_in_background and summary.inserted + summary.updated:
                self.embedder.start(ipnav)
        except (IpnavError, OSError) as exc:
            _tidy(ipnav.workspace, folder, settings.keep_uploads_days)
            accounts.audit(user, "ingest.failed", str(folder), {"error": str(exc)})
            self._set(status="failed", error=str(exc))


def _save(workspace: Workspace, files: list[tuple[str, IO[bytes]]], limit: int) -> tuple[Path, int]:
    """Copy uploads into a new folder in chunks; a file over `limit` bytes is refused by name."""
    folder = workspace.root / "uploads" / dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    folder.mkdir(parents=True)
    total = 0
    try:
        for name, stream in files:
            safe = re.sub(r"[^\w.\-\u4e00-\u9fff]+", "_", Path(name).name).lstrip(".") or "upload"
            size = 0
            with (folder / safe).open("wb") as out:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise UsageError(
                            f"{name}: over the upload limit of {limit >> 20} MB (setting max_upload_mb) "
                            f"/ 文件超过 {limit >> 20} MB 上限"
                        )
                    out.write(chunk)
            total += size
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder, total


def _tidy(workspace: Workspace, folder: Path, keep_days: int) -> None:
    """Remove this upload (unless kept) and every kept upload older than `keep_days`."""
    if keep_days <= 0:
        shutil.rmtree(folder, ignore_errors=True)
        return
    cutoff = dt.datetime.now() - dt.timedelta(days=keep_days)
    for old in (workspace.root / "uploads").iterdir():
        if old.is_dir() and dt.datetime.fromtimestamp(old.stat().st_mtime) < cutoff:
            shutil.rmtree(old, ignore_errors=True)
