"""An ingest started from the web (admins upload files): one at a time, in a background thread,
with progress the ingest page polls. While it runs the warehouse is the ingest's alone: reads are
answered at once with 503 and a clear message rather than left waiting."""

from __future__ import annotations

import datetime as dt
import re
import threading
from pathlib import Path
from typing import Any

from ipnav.config import Settings, Workspace
from ipnav.errors import IpnavError, UsageError
from ipnav.web.accounts import Accounts
from ipnav.web.security import SharedReader

BUSY = "数据导入中, 请稍后再试 / an ingest is running: try again when it ends"


class IngestJob:
    """The state of the web ingest of one server process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.state: dict[str, Any] = {"status": "idle"}

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return dict(self.state)

    def _set(self, **values: Any) -> None:
        with self._lock:
            self.state.update(values)

    def start(
        self, settings: Settings, reader: SharedReader, accounts: Accounts, user: str, files: list[tuple[str, bytes]]
    ) -> Path:
        """Save the uploaded files and ingest them in the background; returns the upload folder."""
        with self._lock:
            if self.state.get("status") == "running":
                raise UsageError("an ingest is already running / 已有导入任务在运行")
            if not files:
                raise UsageError("choose at least one file / 请选择文件")
            workspace = Workspace(settings.workspace)
            folder = workspace.root / "uploads" / dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            folder.mkdir(parents=True)
            for name, data in files:
                safe = re.sub(r"[^\w.\-\u4e00-\u9fff]+", "_", Path(name).name) or "upload"
                (folder / safe).write_bytes(data)
            total = sum(len(d) for _, d in files)
            started = dt.datetime.now().isoformat(timespec="seconds")
            self.state = {"status": "running", "user": user, "folder": str(folder), "files": len(files),
                          "total": total, "done": 0, "started": started}  # fmt: skip
        thread = threading.Thread(
            target=self._run, args=(settings, reader, accounts, user, folder), daemon=True, name="ipnav-ingest"
        )
        thread.start()
        return folder

    def _run(self, settings: Settings, reader: SharedReader, accounts: Accounts, user: str, folder: Path) -> None:
        from ipnav.ingest.run import ingest
        from ipnav.ingest.sources import InputLimits
        from ipnav.store.warehouse import Warehouse
        from ipnav.value.service import ensure_scores, score_config

        def progress(done: int, name: str) -> None:
            with self._lock:
                self.state["done"] = self.state.get("done", 0) + done
                self.state["current"] = Path(name.split("!")[-1]).name

        try:
            with reader.exclusive(BUSY):
                summary = ingest([folder], Workspace(settings.workspace), batch_size=settings.batch_size,
                                 workers=settings.workers, header_map=settings.header_map, progress=progress,
                                 limits=InputLimits.from_settings(settings))  # fmt: skip
                with Warehouse(Workspace(settings.workspace).warehouse_path) as wh:
                    ensure_scores(wh, score_config(settings))
            result = summary.as_dict()
            self._set(status="finished", summary=result, finished=dt.datetime.now().isoformat(timespec="seconds"))
            accounts.audit(user, "ingest", str(folder), result)
        except (IpnavError, OSError) as exc:
            self._set(status="failed", error=str(exc))
            accounts.audit(user, "ingest.failed", str(folder), {"error": str(exc)})
