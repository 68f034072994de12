"""What an analysis runs over: a search query, a thematic database (topic), or a list of numbers.

On the command line and in the API a selection is one string:

    ti=锂电池 AND ad>=2015        a query (the search language)
    topic:新能源汽车               a thematic database
    numbers:CN104223352A,US7861515B2
    all                            the whole warehouse
"""

from __future__ import annotations

from dataclasses import dataclass

from ipnav.config import Settings, Workspace
from ipnav.errors import UsageError
from ipnav.store.reads import find_app_key
from ipnav.store.warehouse import Warehouse


@dataclass(frozen=True)
class Selection:
    """Which applications an analysis covers: a query, a topic, a list of numbers or all."""

    kind: str  # "query" | "topic" | "numbers" | "all"
    value: str = ""

    @classmethod
    def parse(cls, text: str) -> Selection:
        """`topic:NAME`, `numbers:A,B`, `all` (or empty), else a query."""
        text = text.strip()
        if not text or text.lower() == "all":
            return cls("all")
        if text.lower().startswith(("topic:", "专题库:", "专题库：")):
            return cls("topic", text.split(":", 1)[-1].split("：", 1)[-1].strip())
        if text.lower().startswith("numbers:"):
            return cls("numbers", text.split(":", 1)[1].strip())
        return cls("query", text)

    def describe(self) -> str:
        """The selection in words, for titles and reports: `中文 / English`."""
        return {
            "all": "全部数据 / all records",
            "topic": f"专题库 {self.value} / topic {self.value}",
            "numbers": f"号码清单 {self.value} / numbers {self.value}",
            "query": f"检索式 {self.value} / query {self.value}",
        }[self.kind]


def resolve(selection: Selection, workspace: Workspace, warehouse: Warehouse, settings: Settings) -> list[str]:
    """Application keys of a selection, sorted."""
    if selection.kind == "all":
        return sorted(r[0] for r in warehouse.con.execute("SELECT app_key FROM patents").fetchall())
    if selection.kind == "topic":
        from ipnav.analytics.topics import topic_keys

        return topic_keys(warehouse, selection.value)
    if selection.kind == "numbers":
        numbers = [n for n in selection.value.replace(";", ",").split(",") if n.strip()]
        if not numbers:
            raise UsageError("numbers: give at least one patent number")
        return sorted({find_app_key(warehouse, n) for n in numbers})
    from ipnav.search.service import check_index, matching_keys

    check_index(workspace, warehouse)
    return sorted(matching_keys(workspace, warehouse, selection.value, settings))
