"""CNIPA's 类似商品和服务区分表 (Nice 11 edition): the similar groups (类似群) of each class and their names."""

from __future__ import annotations

import functools

from ipnav import reference


@functools.cache
def group_names() -> dict[str, str]:
    """Every similar group (`0901`) and its name (电子计算机及其外部设备)."""
    return {row["group"]: row["name"] for row in reference.rows("cn_tm_groups")}


@functools.cache
def group_class() -> dict[str, int]:
    """The Nice class of every similar group."""
    return {row["group"]: int(row["class"]) for row in reference.rows("cn_tm_groups")}


@functools.cache
def class_names() -> dict[int, tuple[str, str]]:
    """Every Nice class: (its short Chinese name, 科学仪器; its English heading, from the Nice 12th edition)."""
    import json

    with reference.open_table("nice_classes") as handle:
        english = {int(c["number"]): c["heading"] for c in json.load(handle)}
    return {int(r["class"]): (r["short_zh"], english.get(int(r["class"]), "")) for r in reference.rows("cn_tm_classes")}
