"""Official flags per patent as of a date: valid (in force) invention, and high-value invention.

高价值发明专利 (note ① of the Ningxia plan, CNIPA's definition): a valid invention patent granted
by CNIPA that meets any of

1. ``sei``        its IPC falls in a strategic emerging industry (2021 SEI↔IPC concordance);
2. ``family``     it has an overseas family member (same family id, a shared priority, a priority
                  claim on it from abroad, or a non-CN member in the export's family list);
3. ``maintained`` it has been maintained for more than 10 years (filing date to the as-of date);
4. ``pledge``     it secured pledge financing of at least ``FlagPolicy.pledge_min_amount`` CNY;
5. ``award``      it won a China Patent Award or a national S&T award (the user's award list).

Validity as of D: granted on or before D, within its 20-year term, and not lapsed on D. A dated
lapse event (termination, expiry, non-payment, invalidation, withdrawal) on or before D ends it
unless a later restoration event revives it. A record whose current status is lapsed but has no
dated lapse event counts as lapsed at every date (``lapsed_undated``). A granted record with no
status at all (USPTO and EPO data) counts as in force by default (basis ``assumed``); set
``unknown_status="exclude"`` to count only records whose status is known.

Everything is one set of SQL statements over the warehouse (DuckDB), so a million patents take
seconds; `compute` leaves a temporary table with one row per patent and the evidence as text.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict, dataclass
from typing import Any, Literal

import duckdb

from ipnav.errors import UsageError
from ipnav.normalize.numbers import bare_number_sql

CRITERIA: tuple[str, ...] = ("sei", "family", "maintained", "pledge", "award")
CRITERIA_ZH: dict[str, str] = {
    "sei": "战略性新兴产业发明专利",
    "family": "在海外有同族专利",
    "maintained": "维持年限超过10年",
    "pledge": "实现较高质押融资金额",
    "award": "获得国家科学技术奖或中国专利奖",
}
CONCORDANCE = "战略性新兴产业分类与国际专利分类参照关系表(2021) / CNIPA SEI-IPC concordance 2021"

# Legal events that end a right, and those that bring it back. National-phase lapses of an EP
# patent in one contracting state ("PG25 ... CONTRACTING STATE", "GB: ... CEASED") do not end it.
_LAPSE = (
    r"(专利权的终止|专利权终止|权利终止|期限届满|届满终止|未缴年费|视为放弃|放弃专利权|主动放弃|全部无效|宣告专利权无效|"
    r"视为撤回|失效|LAPSE|EXPIR|CEASED|REVOKED|REVOCATION|WITHDRAWN|DEEMED TO BE WITHDRAWN)"
)
_LAPSE_CODES = ("LAPSE", "CF01", "MM4A", "MK4A", "EXPY", "PC43", "MM01", "FC9A", "RF01")
_RESTORE = r"(恢复|RESTOR|REINSTAT|RE-ESTABLISH)"
_NOT_LAPSE = r"(部分无效|CONTRACTING STATE|^[A-Z]{2}: |请求|REQUEST)"
# the keywords column of the concordance: drop the generic tail words before matching
_KEYWORD_SPLIT = r"[；;、，,。\s]+"


@dataclass(frozen=True)
class FlagPolicy:
    """How the flags are computed; recorded with every figure. Built from `Settings` by
    `ipnav.value.service.flag_policy` only, so the defaults live in one place."""

    as_of: dt.date
    pledge_min_amount: float  # CNY; the plans say only "较高" (high): the setting's default is documented
    sei_scope: Literal["all", "main"]  # which IPC symbols of a patent are looked up
    sei_keywords: bool  # also require a concordance keyword in the title or abstract
    unknown_status: Literal["assume_valid", "exclude"]
    maintained_years: int = 10  # fixed by the official definition (维持年限超过10年), not a setting

    def __post_init__(self) -> None:
        if self.sei_scope not in ("all", "main"):
            raise UsageError(f"sei scope {self.sei_scope!r}: use all or main")
        if self.unknown_status not in ("assume_valid", "exclude"):
            raise UsageError(f"unknown status policy {self.unknown_status!r}: use assume_valid or exclude")
        if self.pledge_min_amount < 0:
            raise UsageError("the pledge amount threshold cannot be negative")

    def describe(self) -> dict[str, Any]:
        """The policy as plain data, with the concordance it uses."""
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat()
        data["concordance"] = CONCORDANCE
        return data


def _lapse_case() -> str:
    codes = ", ".join(f"'{c}'" for c in _LAPSE_CODES)
    return f"""CASE
        WHEN regexp_matches(upper(description), '{_RESTORE}') THEN 'restore'
        WHEN regexp_matches(upper(description), '{_NOT_LAPSE}') THEN ''
        WHEN upper(code) IN ({codes}) OR regexp_matches(upper(description), '{_LAPSE}') THEN 'lapse'
        ELSE '' END"""


def _validity(policy: FlagPolicy, d: str, scope: str) -> str:
    """CTEs `base` .. `flagged`: each patent's validity on the date and its reason when invalid."""
    assume = policy.unknown_status == "assume_valid"
    return f"""
base AS (
        SELECT p.app_key, p.app_number, p.country, p.patent_type, p.filing_date, p.grant_date, p.legal_status,
               p.legal_status_reason, p.family_id, p.main_ipc, p.title, p.abstract, p.extra, p.first_pub_number
        FROM patents p {scope}
    ),
    ev AS (
        SELECT app_key,
               max(date) FILTER (WHERE kind = 'lapse' AND date <= {d}) AS last_lapse,
               max(date) FILTER (WHERE kind = 'restore' AND date <= {d}) AS last_restore,
               count(*) FILTER (WHERE kind = 'lapse' AND date IS NOT NULL) AS dated_lapses,
               arg_max(description, date) FILTER (WHERE kind = 'lapse' AND date <= {d}) AS lapse_event
        FROM (SELECT app_key, date, description, {_lapse_case()} AS kind FROM legal_events
              WHERE app_key IN (SELECT app_key FROM base))
        WHERE kind <> ''
        GROUP BY app_key
    ),
    v AS (
        SELECT b.*, ev.last_lapse, ev.last_restore, ev.lapse_event, coalesce(ev.dated_lapses, 0) AS dated_lapses,
            (b.grant_date IS NOT NULL OR b.legal_status = 'valid') AS granted_any,
            CASE
                WHEN b.patent_type <> 'invention' THEN 'not_invention'
                WHEN b.grant_date IS NULL AND b.legal_status <> 'valid' THEN 'not_granted'
                WHEN b.grant_date > {d} THEN 'granted_later'
                WHEN b.filing_date IS NOT NULL AND b.filing_date + INTERVAL 20 YEAR <= {d} THEN 'expired'
                WHEN ev.last_lapse IS NOT NULL AND (ev.last_restore IS NULL OR ev.last_restore < ev.last_lapse)
                    THEN 'lapsed'
                WHEN b.legal_status = 'lapsed' AND coalesce(ev.dated_lapses, 0) = 0 THEN 'lapsed_undated'
                WHEN b.legal_status IN ('unknown', 'pending') AND NOT {str(assume).lower()} THEN 'status_unknown'
                ELSE ''
            END AS invalid_reason
        FROM base b LEFT JOIN ev USING (app_key)
    ),
    flagged AS (
        SELECT *, invalid_reason = '' AS valid,
            CASE WHEN invalid_reason <> '' THEN ''
                 WHEN legal_status = 'valid' THEN 'status'
                 WHEN dated_lapses > 0 THEN 'events'
                 ELSE 'assumed' END AS valid_basis,
            country = 'CN' AS cnipa
        FROM v
    )"""


_BARE_PUBS = f"""bare_pubs AS (  -- publication numbers without their kind code, as citations and user lists write them
        SELECT DISTINCT app_key, {bare_number_sql()} AS number FROM publications
    )"""


def _sei(policy: FlagPolicy) -> str:
    """Criterion 1: a strategic emerging industry by the IPC concordance (main symbol or any; keywords)."""
    sei_symbol = "AND s.symbol = p.main_ipc" if policy.sei_scope == "main" else ""
    sei_keywords = (
        f"""AND EXISTS (SELECT 1 FROM ref_sei_ipc_2021 r,
                unnest(string_split_regex(r.keywords, '{_KEYWORD_SPLIT}')) AS kw(term)
            WHERE r.sei_code = s.sei_code AND r.ipc_pattern = s.pattern
              AND length(regexp_replace(kw.term, '(等.*|制造|相关.*)$', '')) >= 2
              AND contains(coalesce(p.title, '') || coalesce(p.abstract, ''),
                           regexp_replace(kw.term, '(等.*|制造|相关.*)$', '')))"""
        if policy.sei_keywords
        else ""
    )
    return f"""sei AS (
        SELECT p.app_key, min(s.sei_code || ' ' || s.sei_name || ' ← ' || s.pattern || ' (' || s.symbol || ')') AS ev
        FROM cand p JOIN patent_sei s USING (app_key)
        WHERE true {sei_symbol} {sei_keywords}
        GROUP BY p.app_key
    )"""


def _family() -> str:
    """Criterion 2: a family member abroad (family id, shared priority, priority claimed abroad, family list)."""
    return """prio AS (
        SELECT app_key, country,
               CASE WHEN country = 'CN' AND length(d) IN (9, 13) THEN 'CN' || left(d, length(d) - 1)
                    ELSE country || d END AS pkey
        FROM (SELECT app_key, upper(country) AS country,
                     regexp_replace(regexp_replace(upper(number), '[^0-9A-Z]', '', 'g'), '^[A-Z]{2}', '') AS d
              FROM priorities WHERE number <> '')
    ),
    fam AS (
        SELECT c.app_key, min('family id ' || c.family_id || ': ' || coalesce(nullif(o.first_pub_number, ''),
               o.app_number, o.app_key)) AS ev
        FROM cand c JOIN patents o ON o.family_id = c.family_id AND o.app_key <> c.app_key
        WHERE c.family_id <> '' AND o.country NOT IN ('CN', '')
        GROUP BY c.app_key
        UNION ALL
        SELECT c.app_key, min('shared priority ' || a.pkey || ': ' || coalesce(nullif(o.first_pub_number, ''),
               o.app_number, o.app_key))
        FROM cand c JOIN prio a ON a.app_key = c.app_key JOIN prio b ON b.pkey = a.pkey AND b.app_key <> c.app_key
             JOIN patents o ON o.app_key = b.app_key
        WHERE o.country NOT IN ('CN', '')
        GROUP BY c.app_key
        UNION ALL
        SELECT c.app_key, min('priority claimed abroad by ' || coalesce(nullif(o.first_pub_number, ''),
               o.app_number, o.app_key))
        FROM cand c JOIN prio b ON b.pkey = c.app_key JOIN patents o ON o.app_key = b.app_key
        WHERE o.country NOT IN ('CN', '')
        GROUP BY c.app_key
        UNION ALL
        SELECT app_key, 'family list: ' || min(member) FROM (
            SELECT c.app_key, unnest(regexp_extract_all(
                upper(json_extract_string(c.extra, '$.family_members')), '[A-Z]{2}[0-9][0-9A-Z]*')) AS member
            FROM cand c WHERE c.extra LIKE '%family_members%')
        WHERE left(member, 2) NOT IN ('CN', 'ZL')
        GROUP BY app_key
    )"""


def _pledge(policy: FlagPolicy, d: str) -> str:
    """Criterion 4: pledge financing at or above the threshold, on or before the date."""
    return f"""pledge AS (
        SELECT c.app_key,
               arg_max(t.key || ' · ' || cast(t.amount AS BIGINT) || ' CNY · '
                       || coalesce(cast(coalesce(t.execution_date, t.recorded_date) AS VARCHAR), 'date unknown')
                       || ' · ' || t.assignees, t.amount) AS ev
        FROM cand c
        JOIN (SELECT tp.key, coalesce(pu.app_key, tp.app_key) AS app_key
              FROM transaction_patents tp
              LEFT JOIN bare_pubs pu ON pu.number = tp.app_key) l
             ON l.app_key = c.app_key
        JOIN transactions t ON t.key = l.key
        WHERE t.kind = 'pledge' AND t.amount >= {float(policy.pledge_min_amount)}
          AND upper(coalesce(t.currency, '')) IN ('CNY', 'RMB', '')
          AND coalesce(t.execution_date, t.recorded_date, DATE '0001-01-01') <= {d}
        GROUP BY c.app_key
    )"""


def _award(policy: FlagPolicy) -> str:
    """Criterion 5: a national S&T award or China Patent Award up to the as-of year."""
    return f"""award AS (
        SELECT c.app_key, min(a.award || ' ' || a.year || ' (' || a.number || ')') AS ev
        FROM cand c JOIN (
            SELECT x.number, x.award, x.year, coalesce(pu.app_key, x.k) AS app_key
            FROM (SELECT *, unnest(string_split(key, ' ')) AS k FROM awards) x
            LEFT JOIN bare_pubs pu
                 ON pu.number = x.k OR pu.number = {bare_number_sql("x.k")}) a
          ON a.app_key = c.app_key
        WHERE a.year <= {policy.as_of.year}
        GROUP BY c.app_key
    )"""


def compute(con: duckdb.DuckDBPyConnection, policy: FlagPolicy, keys_table: str | None = None) -> str:
    """Create a temporary table of flags (one row per patent, or per key of `keys_table`); returns its name.

    One statement: validity as of the date (`_validity`), then each of the five criteria of a valid
    CNIPA invention as its own CTE with its evidence (`_sei`, `_family`, `_pledge`, `_award`; the
    maintenance years are computed in the final select)."""
    name = f"_flags_{uuid.uuid4().hex[:8]}"
    d = f"DATE '{policy.as_of.isoformat()}'"
    scope = f"JOIN {keys_table} k USING (app_key)" if keys_table else ""
    # validity first, into its own table: the five criteria read it again and again (an engine that does
    # not keep a common table expression, like Spark, would otherwise work it out each time)
    valid = f"{name}_valid"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {valid} AS WITH {_validity(policy, d, scope)} SELECT * FROM flagged")
    sql = f"""
    CREATE OR REPLACE TEMP TABLE {name} AS
    WITH cand AS (SELECT * FROM {valid} WHERE valid AND cnipa AND patent_type = 'invention'),
    {_BARE_PUBS},
    {_sei(policy)},
    {_family()},
    {_pledge(policy, d)},
    {_award(policy)}
    SELECT f.app_key, f.app_number, f.country, f.patent_type, f.filing_date, f.grant_date, f.legal_status,
           f.cnipa, f.valid, f.valid_basis, f.invalid_reason, f.last_lapse AS lapse_date, f.lapse_event,
           f.valid AND f.patent_type = 'invention' AS valid_invention,
           sei.ev AS sei_evidence,
           (SELECT min(ev) FROM fam WHERE fam.app_key = f.app_key) AS family_evidence,
           CASE WHEN f.valid AND f.cnipa AND f.filing_date + INTERVAL {int(policy.maintained_years)} YEAR < {d}
                THEN round(date_diff('day', f.filing_date, {d}) / 365.25, 1) END AS years_maintained,
           pledge.ev AS pledge_evidence,
           award.ev AS award_evidence
    FROM {valid} f
    LEFT JOIN sei USING (app_key)
    LEFT JOIN pledge USING (app_key)
    LEFT JOIN award USING (app_key)
    """
    con.execute(sql)
    con.execute(f"DROP TABLE IF EXISTS {valid}")
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {name} AS
        SELECT *, sei_evidence IS NOT NULL AS c_sei, family_evidence IS NOT NULL AS c_family,
               years_maintained IS NOT NULL AS c_maintained, pledge_evidence IS NOT NULL AS c_pledge,
               award_evidence IS NOT NULL AS c_award,
               valid_invention AND cnipa AND (sei_evidence IS NOT NULL OR family_evidence IS NOT NULL
                   OR years_maintained IS NOT NULL OR pledge_evidence IS NOT NULL OR award_evidence IS NOT NULL)
                   AS high_value
        FROM {name}"""
    )
    return name


def criteria_of(row: dict[str, Any]) -> list[dict[str, str]]:
    """The criteria a flagged row met, each with its evidence, for display."""
    evidence = {
        "sei": row.get("sei_evidence"),
        "family": row.get("family_evidence"),
        "maintained": f"{row['years_maintained']} years since filing {row['filing_date']}"
        if row.get("years_maintained") is not None
        else None,
        "pledge": row.get("pledge_evidence"),
        "award": row.get("award_evidence"),
    }
    return [
        {"criterion": c, "criterion_zh": CRITERIA_ZH[c], "evidence": str(evidence[c])}
        for c in CRITERIA
        if evidence[c] is not None
    ]
