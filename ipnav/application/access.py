"""What every group of operations of `Ipnav` stands on: the workspace, the settings and the warehouse to read
and to write. The application object (`ipnav.application.Ipnav`) provides them; the groups (topics, plans,
registers, trademarks, the lake, semantic search, matching) are mixed into it."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ipnav.config import Settings, Workspace
    from ipnav.store.warehouse import Warehouse


class WarehouseAccess:
    """The workspace, the settings, and the warehouse to read and to write."""

    workspace: Workspace
    settings: Settings

    def reading(self, wh: Warehouse | None = None) -> AbstractContextManager[Warehouse]:
        """The warehouse to read: `wh` when given, else a snapshot (the application object provides it)."""
        raise NotImplementedError

    def writing(self, what: str = "a change") -> AbstractContextManager[Warehouse]:
        """The read-write warehouse, its lock held (the application object provides it)."""
        raise NotImplementedError
