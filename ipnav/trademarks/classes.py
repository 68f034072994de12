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
