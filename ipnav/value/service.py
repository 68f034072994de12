"""Patent value for the CLI and the API: one patent's flags and score, and the warehouse's score table.

The score table `value_scores` (as of today, configured weights) is rebuilt when ingest changes the
warehouse or the day changes; a read-only connection gets a temporary copy instead.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from ipnav.config import Settings
from ipnav.store import reads
from ipnav.store.snapshot import memo
from ipnav.store.warehouse import Warehouse
from ipnav.value import flags, score
from ipnav.value.flags import FlagPolicy
from ipnav.value.score import ScoreConfig

SCORES_TABLE = "value_scores"
FLAGS_TABLE = "value_flags"


def flag_policy(settings: Settings, as_of: dt.date | None = None, **overrides: Any) -> FlagPolicy:
    """The high-value flag policy of the settings, as of a date, with overrides."""
    values: dict[str, Any] = {
        "as_of": as_of or dt.date.today(),
        "pledge_min_amount": settings.pledge_min_amount,
        "sei_scope": settings.sei_scope,
        "sei_keywords": settings.sei_keywords,
        "unknown_status": settings.unknown_status,
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    return FlagPolicy(**values)


def score_config(settings: Settings, as_of: dt.date | None = None, weights: str | None = None) -> ScoreConfig:
    """The value score configuration of the settings, with weight overrides."""
    base = {**score.DEFAULT_WEIGHTS, **settings.value_weights}
    return ScoreConfig(
        as_of=as_of or dt.date.today(),
        weights=score.parse_weights(weights, base),
        min_cohort=settings.value_min_cohort,
    )


def _last_run(warehouse: Warehouse) -> int:
    """The last ingest run (read once per published snapshot)."""
    query = "SELECT coalesce(max(run_id), 0) FROM ingest_runs"
    return int(memo(warehouse, ("last_run",), lambda: warehouse.con.execute(query).fetchall()[0][0]))


def _stamp(warehouse: Warehouse, config: ScoreConfig) -> str:
    return json.dumps({"run": _last_run(warehouse), **config.describe()}, sort_keys=True)


def ensure_scores(warehouse: Warehouse, config: ScoreConfig) -> str:
    """Name of a table holding every application's score under `config` (rebuilt only when stale)."""
    stamp = _stamp(warehouse, config)
    con = warehouse.con
    if memo(warehouse, ("scores_stamp",), lambda: stored_stamp(warehouse)) == stamp:
        return SCORES_TABLE
    if warehouse.read_only:
        return score.compute(con, config)
    con.execute("BEGIN")
    score.compute(con, config, table=SCORES_TABLE)
    con.execute(f"CREATE INDEX IF NOT EXISTS {SCORES_TABLE}_app_key ON {SCORES_TABLE} (app_key)")
    con.execute("DELETE FROM meta WHERE key = 'value_scores'")
    con.execute("INSERT INTO meta VALUES ('value_scores', ?)", [stamp])
    con.execute("COMMIT")
    return SCORES_TABLE


def _flags_stamp(warehouse: Warehouse, policy: FlagPolicy) -> str:
    awards = memo(warehouse, ("awards",), lambda: list(warehouse.con.execute(
        "SELECT count(*), coalesce(sum(hash(number, award, year)), 0) FROM awards").fetchall()[0]))  # fmt: skip
    return json.dumps({"run": _last_run(warehouse), "awards": awards, **policy.describe()}, sort_keys=True, default=str)


def ensure_flags(warehouse: Warehouse, policy: FlagPolicy) -> None:
    """Store every patent's flags under `policy` (what patent pages read), unless they are stored already."""
    stamp = _flags_stamp(warehouse, policy)
    if _flags_stored_as(warehouse, stamp):
        return
    con = warehouse.con
    con.execute("BEGIN")
    temp = flags.compute(con, policy)
    con.execute(f"CREATE OR REPLACE TABLE {FLAGS_TABLE} AS SELECT * FROM {temp}")
    con.execute(f"DROP TABLE {temp}")
    con.execute(f"CREATE INDEX IF NOT EXISTS {FLAGS_TABLE}_app_key ON {FLAGS_TABLE} (app_key)")
    con.execute("DELETE FROM meta WHERE key = 'value_flags'")
    con.execute("INSERT INTO meta VALUES ('value_flags', ?)", [stamp])
    con.execute("COMMIT")


def _flags_stored_as(warehouse: Warehouse, stamp: str) -> bool:
    """Are the stored flags those of this stamp (ingest run, award list, policy)?"""
    sql = "SELECT 1 FROM meta WHERE key = 'value_flags' AND value = ?"
    return bool(warehouse.con.execute(sql, [stamp]).fetchall())


def flags_for(warehouse: Warehouse, policy: FlagPolicy, keys_table: str | None = None) -> tuple[str, bool]:
    """(table, temporary) of flags under `policy`: the stored table when it was stored under this very
    policy (ingest stores today's), else computed now for the applications of `keys_table` (all without
    it) into a temporary table the caller drops."""
    if _flags_current(warehouse, policy):
        return FLAGS_TABLE, False
    return flags.compute(warehouse.con, policy, keys_table=keys_table), True


def _flags_current(warehouse: Warehouse, policy: FlagPolicy) -> bool:
    """Were the stored flags stored under this very policy (as of the same day)? Asked once per snapshot."""
    stamp = _flags_stamp(warehouse, policy)
    return bool(memo(warehouse, ("flags_stored", stamp), lambda: _flags_stored_as(warehouse, stamp)))


def _stored_flags(warehouse: Warehouse, policy: FlagPolicy, app_key: str) -> list[dict[str, Any]] | None:
    """The patent's stored flags when they were stored under this very policy (as of the same day)."""
    if not _flags_current(warehouse, policy):
        return None
    return warehouse.query(f"SELECT * FROM {FLAGS_TABLE} WHERE app_key = ?", [app_key])


def refresh(warehouse: Warehouse, settings: Settings) -> None:
    """What an ingest does last: the stored value scores and flags as of today, rebuilt when stale."""
    ensure_scores(warehouse, score_config(settings))
    ensure_flags(warehouse, flag_policy(settings))


def stored_stamp(warehouse: Warehouse) -> str | None:
    """The stamp (JSON: ingest run, as-of, weights) of the stored score table, None when there is none."""
    con = warehouse.con
    stored = con.execute("SELECT value FROM meta WHERE key = 'value_scores'").fetchall()
    return stored[0][0] if stored and warehouse.has_table(SCORES_TABLE) else None


def scores_for_search(warehouse: Warehouse, settings: Settings | None) -> tuple[str, str]:
    """(table, as-of) of scores to sort and filter search results: the stored table when there is one
    (refreshed by ingest), else computed now (a temporary table, `_value_...`, living as long as the
    connection) unless `settings` is None, which asks only whether there is one."""
    stamp = stored_stamp(warehouse)
    if stamp is not None:
        return SCORES_TABLE, json.loads(stamp).get("as_of", "")
    if settings is None:
        return "_none", ""
    config = score_config(settings)
    return ensure_scores(warehouse, config), config.as_of.isoformat()


def patent_value(
    warehouse: Warehouse,
    settings: Settings,
    number: str,
    *,
    as_of: dt.date | None = None,
    weights: str | None = None,
) -> dict[str, Any]:
    """Flags (valid, high-value with evidence) and value score of one patent."""
    app_key = reads.find_app_key(warehouse, number)
    config = score_config(settings, as_of, weights)
    policy = flag_policy(settings, config.as_of)
    con = warehouse.con
    table = ensure_scores(warehouse, config)
    row = warehouse.query(f"SELECT * FROM {table} WHERE app_key = ?", [app_key])
    if table != SCORES_TABLE:
        con.execute(f"DROP TABLE IF EXISTS {table}")
    flag_rows = _stored_flags(warehouse, policy, app_key)
    if not flag_rows:  # another date or policy than the stored one: this patent's flags, computed now
        keys = f"_key_{uuid.uuid4().hex[:8]}"
        con.execute(f"CREATE TEMP TABLE {keys} AS SELECT ? AS app_key", [app_key])
        flag_table = flags.compute(con, policy, keys_table=keys)
        flag_rows = warehouse.query(f"SELECT * FROM {flag_table}")
        con.execute(f"DROP TABLE IF EXISTS {flag_table}")
        con.execute(f"DROP TABLE IF EXISTS {keys}")
    patent = warehouse.query(
        "SELECT app_key, app_number, title, first_applicant, country, patent_type, filing_date, grant_date, "
        "legal_status, main_ipc FROM patents WHERE app_key = ?",
        [app_key],
    )[0]
    f = flag_rows[0]
    return {
        "patent": reads.plain(patent),
        "as_of": config.as_of.isoformat(),
        "flags": {
            "cnipa": f["cnipa"],
            "valid": f["valid"],
            "valid_basis": f["valid_basis"],
            "invalid_reason": f["invalid_reason"],
            "lapse_date": f["lapse_date"].isoformat() if f["lapse_date"] else None,
            "lapse_event": f["lapse_event"],
            "valid_invention": f["valid_invention"],
            "high_value": f["high_value"],
            "criteria": flags.criteria_of(f),
            "policy": policy.describe(),
        },
        "value": score.explain(row[0] if row else {}, config),
    }
