"""Search fields answered by the warehouse rather than the index: value scores, and exact fields that
reproduce the analyses' items (`pae=` merged applicant, `ine=` inventor, `atype=`, `wipo=`, `term=`,
`reason=`, `flag=`, `cites=`, `region1=`, `topic=`): each gives the set of application keys that the
analysis counted, so a chart's drill-down finds exactly the patents behind a bar."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

import pyarrow as pa

from ipnav.config import Settings
from ipnav.errors import UsageError
from ipnav.normalize.numbers import bare_number_sql
from ipnav.store.warehouse import Warehouse
from ipnav.value.flags import CRITERIA

_STORED_SCORES: dict[str, tuple[float, str | None, str | None]] = {}  # path -> (checked at, as-of, stamp)


def _stored_stamp(warehouse: Warehouse) -> tuple[str | None, str | None]:
    """(as-of, stamp) of the stored score table, (None, None) without one; looked up at most every 5 s per
    warehouse (the catalogue queries cost as much as the rest of a search)."""
    from ipnav.value.service import stored_stamp

    checked = _STORED_SCORES.get(warehouse.path)
    if checked and time.monotonic() - checked[0] < 5:
        return checked[1], checked[2]
    stamp = stored_stamp(warehouse)
    as_of = json.loads(stamp).get("as_of", "") if stamp is not None else None
    _STORED_SCORES[warehouse.path] = (time.monotonic(), as_of, stamp)
    return as_of, stamp


_SCORE_MAPS: dict[str, tuple[str, dict[str, float] | None]] = {}  # warehouse path -> (stamp, scores)
_SCORE_MAPS_LOCK = threading.Lock()
SCORE_MAP_MAX = 2_000_000  # above this many applications scores are looked up in DuckDB (memory)


def _score_map(warehouse: Warehouse, stamp: str) -> dict[str, float] | None:
    """Every stored score in memory, per score-table stamp: a dictionary lookup per hit instead of a
    DuckDB query per page (1.5 ms of a 3 ms search at 1M applications). None above SCORE_MAP_MAX."""
    from ipnav.value.service import SCORES_TABLE

    cached = _SCORE_MAPS.get(warehouse.path)
    if cached and cached[0] == stamp:
        return cached[1]
    with _SCORE_MAPS_LOCK:
        cached = _SCORE_MAPS.get(warehouse.path)
        if cached and cached[0] == stamp:
            return cached[1]
        con = warehouse.con
        count = con.execute(f"SELECT count(*) FROM {SCORES_TABLE}").fetchall()[0][0]
        mapping = None
        if count <= SCORE_MAP_MAX:
            keys, values = con.execute(f"SELECT list(app_key), list(score) FROM {SCORES_TABLE}").fetchall()[0]
            mapping = dict(zip(keys or [], values or [], strict=True))
        _SCORE_MAPS[warehouse.path] = (stamp, mapping)
        return mapping


class WarehouseLookup:
    """What a search looks up in the warehouse: value scores (the score table, computed once per search
    when missing) and the application keys of the warehouse fields (`pae=`, `flag=`, `cites=` ...)."""

    def __init__(self, warehouse: Warehouse, settings: Settings) -> None:
        self.warehouse = warehouse
        self.settings = settings
        self._table: str | None = None
        self.as_of: str | None = None

    def table(self) -> str:
        if self._table is None:
            from ipnav.value.service import scores_for_search

            self._table, self.as_of = scores_for_search(self.warehouse, self.settings)
        return self._table

    def keys_between(self, low: float | None, high: float | None, include_low: bool, include_high: bool) -> list[str]:
        clauses, params = ["score IS NOT NULL"], []
        if low is not None:
            clauses.append("score >= ?" if include_low else "score > ?")
            params.append(low)
        if high is not None:
            clauses.append("score <= ?" if include_high else "score < ?")
            params.append(high)
        sql = f"SELECT app_key FROM {self.table()} WHERE {' AND '.join(clauses)}"
        return [r[0] for r in self.warehouse.con.execute(sql, params).fetchall()]

    def order(self, keys: list[str], *, descending: bool) -> list[str]:
        con = self.warehouse.con.cursor()
        con.register("hit_keys", pa.table({"app_key": pa.array(keys, pa.string())}))
        direction = "DESC" if descending else "ASC"
        rows = con.execute(
            f"SELECT h.app_key FROM hit_keys h LEFT JOIN {self.table()} v USING (app_key) "
            f"ORDER BY v.score {direction} NULLS LAST, h.app_key"
        ).fetchall()
        return [r[0] for r in rows]

    def scores(self, keys: list[str]) -> dict[str, float | None]:
        """Scores of the hits shown, from the stored table (none before the first ingest has built it:
        computing every score for one page of hits would cost more than the search)."""
        if not keys:
            return {}
        if self._table is None:
            from ipnav.value.service import SCORES_TABLE

            self.as_of, stamp = _stored_stamp(self.warehouse)
            if self.as_of is None or stamp is None:
                return {}
            mapping = _score_map(self.warehouse, stamp)
            if mapping is not None:
                return {key: mapping.get(key) for key in keys}
            self._table = SCORES_TABLE
        rows = self.warehouse.con.execute(
            f"SELECT app_key, score FROM {self.table()} WHERE app_key = ANY(?::VARCHAR[])", [keys]
        ).fetchall()
        return dict(rows)

    def keys_where(self, field: str, value: str) -> list[str]:
        """Application keys of one warehouse field's value (schema.WAREHOUSE_FIELDS), as the analyses count."""
        if field == "topic":
            from ipnav.store.reads import topic_members

            return topic_members(self.warehouse, value)
        if field == "flag":
            return self._flagged(value)
        if field == "cites":
            return self._citing(value)
        sql, params = _FIELD_SQL[field](self, value)
        return [r[0] for r in self.warehouse.con.execute(sql, params).fetchall()]

    def _entities(self, value: str) -> list[str]:
        """The merged applicant `value` as stored entities: its canonical spelling and every alias the user's
        merge table folds into it."""
        from ipnav.normalize.names import canonical_name
        from ipnav.store.merges import MERGE_FILE, load_merge_table

        merges = load_merge_table(self.settings.workspace / MERGE_FILE)
        folded = [alias for alias, merged in merges.items() if merged == value]
        own = [] if canonical_name(value) in merges else [value, canonical_name(value)]
        return sorted({*own, *folded})

    def _flagged(self, value: str) -> list[str]:
        """`flag=high_value`, `flag=valid_invention`, `flag=sei` ...: today's official flags (the stored table)."""
        from ipnav.value.service import flag_policy, flags_for

        name = value.strip().lower()
        if name not in FLAG_NAMES:
            raise UsageError(f"flag={value!r}: use one of {', '.join(FLAG_NAMES)}")
        condition = {"valid_invention": "valid_invention AND cnipa", "high_value": "high_value"}.get(
            name, f"high_value AND c_{name}"
        )
        table, temporary = flags_for(self.warehouse, flag_policy(self.settings))
        try:
            rows = self.warehouse.con.execute(f"SELECT app_key FROM {table} WHERE {condition}").fetchall()
        finally:
            if temporary:
                self.warehouse.con.execute(f"DROP TABLE IF EXISTS {table}")
        return [r[0] for r in rows]

    def _citing(self, value: str) -> list[str]:
        """`cites=CN104223352A`: applications citing that application (matched as the analyses match)."""
        from ipnav.errors import RecordNotFound
        from ipnav.store.reads import find_app_key

        try:
            cited = find_app_key(self.warehouse, value)
        except RecordNotFound:
            return []
        rows = self.warehouse.con.execute(
            f"""SELECT DISTINCT c.app_key FROM citations c
            JOIN (SELECT {bare_number_sql()} AS bare FROM publications WHERE app_key = ?) p
              ON c.number = p.bare
            WHERE c.kind = 'patent'""",
            [cited],
        ).fetchall()
        return [r[0] for r in rows]


FLAG_NAMES = ("valid_invention", "high_value", *CRITERIA)  # the flags and the criteria of a high value


def _entity_sql(lookup: WarehouseLookup, value: str) -> tuple[str, list[Any]]:
    return "SELECT DISTINCT app_key FROM patent_owners WHERE entity = ANY(?::VARCHAR[])", [lookup._entities(value)]


def _region1_sql(_: WarehouseLookup, value: str) -> tuple[str, list[Any]]:
    """The first applicant's region (the regions analysis): an adcode prefix or a province/city/county name."""
    text = value.strip()
    if text.isdigit():  # 320000 a province, 320400 a city, 320412 a county; 2 or 4 digits a prefix
        prefix = text[:2] if text.endswith("0000") else text[:4] if text.endswith("00") else text
        return "SELECT app_key FROM patents WHERE applicant_adcode LIKE ?", [prefix + "%"]
    return (
        "SELECT app_key FROM patents WHERE ? IN (applicant_province, applicant_city, applicant_county)",
        [text],
    )


def _wipo_sql(_: WarehouseLookup, value: str) -> tuple[str, list[Any]]:
    if not value.strip().isdigit():
        raise UsageError(f"wipo={value!r}: give a WIPO technology field number, 1-35")
    return "SELECT app_key FROM patent_wipo WHERE field_no = ?", [int(value)]


_FIELD_SQL: dict[str, Callable[[WarehouseLookup, str], tuple[str, list[Any]]]] = {
    "pae": _entity_sql,
    "ine": lambda _, v: ("SELECT DISTINCT app_key FROM parties WHERE role = 'inventor' AND name = ?", [v]),
    "atype": lambda _, v: ("SELECT DISTINCT app_key FROM patent_owners WHERE etype = ?", [_applicant_type(v)]),
    "wipo": _wipo_sql,
    "term": lambda _, v: ("SELECT app_key FROM patent_terms WHERE term = ?", [v]),
    "reason": lambda _, v: (
        "SELECT app_key FROM patents WHERE coalesce(legal_status_reason, '') = ?",
        ["" if v.lower() in ("none", "-", "无") else v],
    ),
    "region1": _region1_sql,
}


def _applicant_type(value: str) -> str:
    from ipnav.normalize.names import APPLICANT_TYPES

    by_zh = {zh: code for code, zh in APPLICANT_TYPES.items()}
    code = by_zh.get(value, value.lower())
    if code not in APPLICANT_TYPES:
        raise UsageError(f"atype={value!r}: use one of {', '.join(APPLICANT_TYPES)} (or {', '.join(by_zh)})")
    return code
