"""An open patent value score, after the OECD patent-quality indicators (Squicciarini, Dernis &
Criscuolo 2013, "Measuring patent quality", OECD STI Working Paper 2013/03).

Eight indicators per application, each turned into a percentile rank (0-1, ties share the middle
rank) within its cohort: patent type × filing year × WIPO technology field of the main IPC. A cohort
smaller than `min_cohort` falls back to type × filing year, then to the type alone; the cohort used
(`invention 2019 × 4`, `design 2019 × *`, `invention * × *`) is reported. The composite is the
weighted mean of the available percentiles × 100; an indicator the data cannot tell (no claims
count, no IPC, not granted) is left out and the weights of the others renormalised, so a missing
figure neither helps nor hurts.

* forward_citations (higher is better): later applications in the warehouse citing it within
  5 years of its publication;
* backward_citations (higher): patent documents it cites;
* family_size (higher): distinct countries of its family (family id), itself included;
* claims (higher): number of claims;
* scope (higher): distinct IPC subclasses;
* grant_lag (shorter is better): days from filing to grant (applicants push valuable ones);
* remaining_life (higher): years left of the term on the as-of date (invention 20, utility model
  10, design 10, or 15 if filed from 2021-06-01), 0 once lapsed;
* legal_events (higher): transfers, licences, pledges and invalidation/opposition events.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import duckdb

from ipnav.errors import UsageError
from ipnav.normalize.numbers import bare_number_sql

COMPONENTS: dict[str, tuple[str, str, int]] = {  # name -> (中文, English, direction)
    "forward_citations": ("被引次数(5年内)", "forward citations (5-year window)", 1),
    "backward_citations": ("引用文献数", "backward citations", 1),
    "family_size": ("同族国家数", "family size (countries)", 1),
    "claims": ("权利要求数", "claims", 1),
    "scope": ("IPC小类数(保护范围)", "scope (IPC subclasses)", 1),
    "grant_lag": ("授权周期(天)", "grant lag (days)", -1),
    "remaining_life": ("剩余保护期(年)", "remaining life (years)", 1),
    "legal_events": ("转让/许可/质押/无效等事件", "transfers, licences, pledges, invalidations", 1),
}
DEFAULT_WEIGHTS: dict[str, float] = {
    "forward_citations": 0.25,
    "backward_citations": 0.05,
    "family_size": 0.15,
    "claims": 0.10,
    "scope": 0.10,
    "grant_lag": 0.10,
    "remaining_life": 0.10,
    "legal_events": 0.15,
}
_EVENT_WORDS = r"(无效宣告|宣告无效|无效请求|异议|转让|许可|质押|INVALIDATION|OPPOSITION|TRANSFER|LICEN|PLEDGE)"


@dataclass(frozen=True)
class ScoreConfig:
    """How value scores are computed: as-of date, weights, smallest cohort."""

    as_of: dt.date
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    min_cohort: int = 20
    citation_window_years: int = 5

    def __post_init__(self) -> None:
        unknown = set(self.weights) - set(COMPONENTS)
        if unknown:
            raise UsageError(f"unknown value weight(s) {', '.join(sorted(unknown))}; use {', '.join(COMPONENTS)}")
        if any(w < 0 for w in self.weights.values()) or not any(w > 0 for w in self.weights.values()):
            raise UsageError("value weights must be non-negative and not all zero")

    def describe(self) -> dict[str, Any]:
        """The configuration as plain data."""
        return {
            "as_of": self.as_of.isoformat(),
            "weights": {k: float(self.weights.get(k, 0.0)) for k in COMPONENTS},
            "min_cohort": self.min_cohort,
            "citation_window_years": self.citation_window_years,
            "method": "OECD patent quality (Squicciarini, Dernis & Criscuolo 2013), cohort percentiles",
        }


def parse_weights(text: str | None, base: Mapping[str, float] | None = None) -> dict[str, float]:
    """`forward_citations=0.4,claims=0.2` over the defaults (or `base`)."""
    weights = dict(base or DEFAULT_WEIGHTS)
    for part in (text or "").split(","):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        try:
            weights[name.strip()] = float(value) if sep else float("nan")
        except ValueError:
            raise UsageError(f"weight {part.strip()!r}: write name=number, e.g. claims=0.2") from None
        if weights[name.strip()] != weights[name.strip()]:
            raise UsageError(f"weight {part.strip()!r}: write name=number, e.g. claims=0.2")
    return weights


def _components_sql(config: ScoreConfig) -> str:
    """One row per application with the raw value of every component as of the date, and its cohort keys
    (patent type, filing year, WIPO field)."""
    d = f"DATE '{config.as_of.isoformat()}'"
    window = int(config.citation_window_years)
    return f"""
    WITH base AS (
        SELECT app_key, filing_year, filing_date, grant_date, coalesce(first_pub_date, filing_date) AS pub_date,
               nullif(claims_count, 0) AS claims, family_id, main_ipc, legal_status, country, patent_type,
               filing_date + CASE WHEN patent_type = 'utility_model' THEN INTERVAL 10 YEAR
                                  WHEN patent_type = 'design' AND filing_date >= DATE '2021-06-01' THEN INTERVAL 15 YEAR
                                  WHEN patent_type = 'design' THEN INTERVAL 10 YEAR
                                  ELSE INTERVAL 20 YEAR END AS term_end
        FROM patents
    ),
    fields AS (
        SELECT DISTINCT replace(replace(replace(IPC_code, ' ', ''), '%', ''), '/', '') AS pfx,
               min(Field_number) OVER (PARTITION BY replace(replace(replace(IPC_code, ' ', ''), '%', ''), '/', ''))
                   AS field_no
        FROM ref_wipo35
    ),
    pubs AS (SELECT DISTINCT {bare_number_sql()} AS number, app_key FROM publications),
    fwd AS (
        SELECT pu.app_key, count(DISTINCT c.app_key) AS n
        FROM citations c JOIN pubs pu ON pu.number = c.number
        JOIN base citing ON citing.app_key = c.app_key
        JOIN base cited ON cited.app_key = pu.app_key
        WHERE c.kind = 'patent' AND c.app_key <> pu.app_key AND citing.pub_date <= {d}
          AND citing.pub_date <= cited.pub_date + INTERVAL {window} YEAR
        GROUP BY pu.app_key
    ),
    bwd AS (SELECT app_key, count(DISTINCT number) AS n FROM citations WHERE kind = 'patent' GROUP BY app_key),
    fam AS (
        SELECT p.app_key, count(DISTINCT o.country) AS n
        FROM base p JOIN patents o ON o.family_id = p.family_id
        WHERE p.family_id <> '' AND o.country <> '' GROUP BY p.app_key
    ),
    scope AS (
        SELECT app_key, count(DISTINCT left(symbol, 4)) AS n FROM classifications WHERE scheme = 'ipc'
        GROUP BY app_key
    ),
    tx AS (
        SELECT coalesce(pu.app_key, tp.app_key) AS app_key, count(DISTINCT tp.key) AS n
        FROM transaction_patents tp JOIN transactions t ON t.key = tp.key
        LEFT JOIN pubs pu ON pu.number = tp.app_key
        WHERE coalesce(t.execution_date, t.recorded_date, DATE '0001-01-01') <= {d}
        GROUP BY 1
    ),
    ev AS (
        SELECT app_key, count(*) AS n FROM legal_events
        WHERE regexp_matches(upper(description), '{_EVENT_WORDS}') AND coalesce(date, DATE '0001-01-01') <= {d}
        GROUP BY app_key
    )
    SELECT b.app_key, b.patent_type, b.filing_year, coalesce(fg.field_no, fs.field_no) AS field_no,
        coalesce(fwd.n, 0)::DOUBLE AS forward_citations,
        coalesce(bwd.n, 0)::DOUBLE AS backward_citations,
        greatest(coalesce(fam.n, 1), 1)::DOUBLE AS family_size,
        b.claims::DOUBLE AS claims,
        scope.n::DOUBLE AS scope,
        CASE WHEN b.grant_date IS NOT NULL AND b.grant_date <= {d} AND b.filing_date IS NOT NULL
             THEN date_diff('day', b.filing_date, b.grant_date)::DOUBLE END AS grant_lag,
        CASE WHEN b.filing_date IS NULL THEN NULL
             WHEN b.legal_status = 'lapsed' THEN 0.0
             ELSE round(greatest(0.0, date_diff('day', {d}, b.term_end) / 365.25), 2) END
             AS remaining_life,
        (coalesce(tx.n, 0) + coalesce(ev.n, 0))::DOUBLE AS legal_events
    FROM base b
    LEFT JOIN fields fg ON fg.pfx = replace(split_part(b.main_ipc, '/', 1), ' ', '')
    LEFT JOIN fields fs ON fs.pfx = left(b.main_ipc, 4)
    LEFT JOIN fwd USING (app_key) LEFT JOIN bwd USING (app_key) LEFT JOIN fam USING (app_key)
    LEFT JOIN scope USING (app_key) LEFT JOIN tx USING (app_key) LEFT JOIN ev USING (app_key)
    """


def _ranked_sql(config: ScoreConfig, raw_name: str) -> str:
    """The components ranked within each cohort (percentiles) and weighted into the score."""
    m = int(config.min_cohort)
    cohort = f"""
    SELECT *,
        patent_type || ' ' || CASE
             WHEN count(*) OVER (PARTITION BY patent_type, filing_year, field_no) >= {m} AND field_no IS NOT NULL
                  THEN coalesce(filing_year::VARCHAR, '?') || ' × ' || field_no
             WHEN count(*) OVER (PARTITION BY patent_type, filing_year) >= {m}
                  THEN coalesce(filing_year::VARCHAR, '?') || ' × *'
             ELSE '* × *' END AS cohort
    FROM {raw_name}
    """
    pcts = []
    for comp, (_, _, direction) in COMPONENTS.items():
        order = "ASC" if direction > 0 else "DESC"
        pcts.append(
            f"""CASE WHEN {comp} IS NULL THEN NULL ELSE
                ((rank() OVER (PARTITION BY cohort ORDER BY {comp} {order} NULLS LAST) - 1)
                 + 0.5 * count(*) OVER (PARTITION BY cohort, {comp}))
                / count({comp}) OVER (PARTITION BY cohort) END AS p_{comp}"""
        )
    weights = {k: float(config.weights.get(k, 0.0)) for k in COMPONENTS}
    num = " + ".join(f"coalesce(p_{c}, 0) * {w}" for c, w in weights.items())
    den = " + ".join(f"CASE WHEN p_{c} IS NULL THEN 0 ELSE {w} END" for c, w in weights.items())
    return f"""
        WITH c AS ({cohort}), p AS (
            SELECT *, count(*) OVER (PARTITION BY cohort) AS cohort_size, {", ".join(pcts)} FROM c
        )
        SELECT *, CASE WHEN ({den}) > 0 THEN round(100 * ({num}) / ({den}), 1) END AS score FROM p"""


def compute(con: duckdb.DuckDBPyConnection, config: ScoreConfig, table: str | None = None) -> str:
    """Create a table of scores (temporary unless `table` is given); returns its name."""
    name = table or f"_value_{uuid.uuid4().hex[:8]}"
    temp = "" if table else "TEMP"
    raw_name = f"_value_raw_{uuid.uuid4().hex[:8]}"
    con.execute(f"CREATE TEMP TABLE {raw_name} AS {_components_sql(config)}")
    con.execute(f"CREATE OR REPLACE {temp} TABLE {name} AS {_ranked_sql(config, raw_name)}")
    con.execute(f"DROP TABLE IF EXISTS {raw_name}")
    return name


def explain(row: Mapping[str, Any], config: ScoreConfig) -> dict[str, Any]:
    """One patent's score with every component: raw value, percentile in its cohort, weight."""
    components = []
    for comp, (zh, en, direction) in COMPONENTS.items():
        pct = row.get(f"p_{comp}")
        components.append(
            {
                "name": comp,
                "name_zh": zh,
                "name_en": en,
                "value": row.get(comp),
                "percentile": None if pct is None else round(float(pct) * 100, 1),
                "weight": float(config.weights.get(comp, 0.0)),
                "better": "higher" if direction > 0 else "lower",
            }
        )
    return {
        "score": row.get("score"),
        "cohort": row.get("cohort"),
        "cohort_size": row.get("cohort_size"),
        "components": components,
        "config": config.describe(),
    }
