"""The DuckDB warehouse: schema, batched Arrow upserts, reads."""

from ipnav.store.warehouse import Warehouse

__all__ = ["Warehouse"]
