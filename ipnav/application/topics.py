"""Thematic databases (专题库) as operations of `Ipnav`: every change is written alone and audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from ipnav.application.access import WarehouseAccess

if TYPE_CHECKING:
    from ipnav.accounts import Accounts
    from ipnav.store.warehouse import Warehouse

T = TypeVar("T")


class Audited(WarehouseAccess):
    """Writes that leave a line in the audit log (who, what, when, from where)."""

    @property
    def accounts(self) -> Accounts:
        """Users, sessions and the audit log (the application object provides them)."""
        raise NotImplementedError

    def audited(
        self,
        action: str,
        target: str,
        work: Callable[[Warehouse], T],
        *,
        actor: str,
        client: str = "",
        detail: Callable[[T], dict[str, Any]] | None = None,
    ) -> T:
        """Run `work` on the read-write warehouse, then record it in the audit log."""
        with self.writing(f"{action} by {actor}") as wh:
            result = work(wh)
        self.accounts.audit(actor, action, target, detail(result) if detail else {}, client)
        return result


def topic_change(data: dict[str, Any]) -> dict[str, Any]:
    """What a topic change did (how many came in and went out, the size after), for the audit log and the page."""
    return {"name": data.get("name"), "added": len(data.get("came_in") or []),
            "removed": len(data.get("went_out") or []), "size": data.get("size")}  # fmt: skip


class TopicOperations(Audited):
    """Create, list, show, add to, remove from, refresh and delete thematic databases."""

    def topics(self, wh: Warehouse | None = None) -> list[dict[str, Any]]:
        """Every thematic database with its size and query."""
        from ipnav.analytics import topics

        with self.reading(wh) as reader:
            return topics.list_topics(reader)

    def topic(self, name: str, wh: Warehouse | None = None) -> dict[str, Any]:
        """One thematic database and its members."""
        from ipnav.analytics import topics

        with self.reading(wh) as reader:
            return topics.show(reader, name)

    def topic_create(self, name: str, query: str, description: str = "", *, actor: str, client: str = "") -> Any:
        """A thematic database from a query (kept for refreshes)."""
        from ipnav.analytics import topics

        return self.audited(
            "topic.create", name,
            lambda wh: topics.create(self.workspace, wh, self.settings, name, query, description, actor=actor),
            actor=actor, client=client, detail=lambda data: {"query": query, "size": data.get("size")},
        )  # fmt: skip

    def topic_refresh(self, name: str, *, actor: str, client: str = "") -> Any:
        """Re-run a topic's query: what came in and what went out."""
        from ipnav.analytics import topics

        return self.audited(
            "topic.refresh", name, lambda wh: topics.refresh(self.workspace, wh, self.settings, name, actor=actor),
            actor=actor, client=client, detail=topic_change,
        )  # fmt: skip

    def topic_add(self, name: str, numbers: list[str], *, actor: str, client: str = "") -> Any:
        """Add patents (any number spelling) to a topic."""
        from ipnav.analytics import topics

        return self.audited(
            "topic.add", name, lambda wh: topics.add(wh, name, numbers, actor=actor), actor=actor, client=client,
            detail=topic_change,
        )  # fmt: skip

    def topic_remove(self, name: str, numbers: list[str], *, actor: str, client: str = "") -> Any:
        """Remove patents from a topic (a refresh will not bring them back)."""
        from ipnav.analytics import topics

        return self.audited(
            "topic.remove", name, lambda wh: topics.remove(wh, name, numbers, actor=actor), actor=actor,
            client=client, detail=topic_change,
        )  # fmt: skip

    def topic_members(
        self, name: str, *, offset: int = 0, limit: int = 50, order: str = "added", wh: Warehouse | None = None
    ) -> dict[str, Any]:
        """One page of a topic's members with origin, date added and note."""
        from ipnav.analytics import topics

        with self.reading(wh) as reader:
            return topics.members(reader, name, offset=offset, limit=limit, order=order)

    def topic_changes(self, name: str, limit: int = 50, wh: Warehouse | None = None) -> list[dict[str, Any]]:
        """A topic's change log, newest first."""
        from ipnav.analytics import topics

        with self.reading(wh) as reader:
            return topics.changes(reader, name, limit)

    def topic_note(self, name: str, number: str, text: str, *, actor: str, client: str = "") -> Any:
        """Keep a note on one member of a topic (empty clears it)."""
        from ipnav.analytics import topics

        return self.audited(
            "topic.note", name, lambda wh: topics.note(wh, name, number, text, actor=actor), actor=actor,
            client=client, detail=lambda data: {"app_key": data["app_key"], "note": data["note"][:200]},
        )  # fmt: skip

    def topic_delete(self, name: str, *, actor: str, client: str = "") -> dict[str, str]:
        """Delete a topic (the patents stay in the warehouse)."""
        from ipnav.analytics import topics

        self.audited("topic.delete", name, lambda wh: topics.delete(wh, name), actor=actor, client=client)
        return {"deleted": name}
