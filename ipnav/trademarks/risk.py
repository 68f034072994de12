"""Bad-faith filing signals per applicant (恶意注册/囤积商标), explained and tunable.

The starting point is Article 8 of CNIPA's 《规范商标申请注册行为若干规定》 (2019), which lists what the
office weighs when it judges an application 不以使用为目的: (一) the number of marks the applicant (and
related parties) files, the classes it names and its trading in marks; (四) marks identical or similar to
others' marks of some renown; (三) earlier decisions finding bad faith. ipnav computes, from the register:

* `volume`   marks filed in one year (一: number) · `burst` marks filed on one day (一: number)
* `spread`   distinct classes (and similar groups) of an applicant's marks (一: classes)
* `trading`  share of its marks assigned within three years of registration (一: trading)
* `ended`    share of its decided marks refused, opposed, invalidated or cancelled (三, as far as the
             register shows earlier decisions; non-use cancellations included)
* `copies`   its marks strongly similar to others' earlier marks in related goods (四)
* `famous`   its marks similar to a loaded well-known mark (驰名商标) of someone else, in any goods (四)
* `person`   an individual (自然人) holding many live marks (一: related natural persons)
* `listed`   on a credit list loaded as a register (恶意商标注册, 严重违法失信 ...; 三: earlier decisions)
* agents: an agent (代理机构) filing for several flagged applicants (the 2019 rules also bind agencies)

Not implemented: (二) the applicant's industry and business (no data in a register), (五) names of famous
persons and firms (no list). Thresholds are settings (`risk_thresholds` in settings.toml, or
`ipnav tm risk --set name=value`); their defaults and why are in `THRESHOLDS` and docs/trademarks-risk.md.
Each flagged applicant carries the evidence: the counts, the marks, the earlier marks they resemble.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ipnav.errors import UsageError
from ipnav.store.warehouse import Warehouse
from ipnav.trademarks import similar as likeness
from ipnav.trademarks.index import TrademarkIndex

# name -> (default, why)
THRESHOLDS: dict[str, tuple[float, str]] = {
    "min_marks": (10, "an applicant with fewer marks is not assessed for volume, spread or shares"),
    "marks_per_year": (50, "an enterprise brand rarely needs 50 new marks a year; hoarders file hundreds"),
    "marks_per_day": (20, "20 marks on one day is a batch of names, not one brand's cover of its goods"),
    "classes": (15, "a third of the 45 classes: beyond any single business's goods and services"),
    "groups": (50, "a tenth of the 491 similar groups (类似群) of CNIPA's 区分表, where exports give them"),
    "trading_share": (0.3, "three in ten marks sold within 3 years of registration: marks as stock"),
    "trading_years": (3, "the window after registration in which a sale counts as trading"),
    "ended_share": (0.5, "half of the decided marks refused, opposed, invalidated or cancelled"),
    "ended_min": (5, "a share of fewer decided marks says little"),
    "copy_score": (
        75,
        "75+: a strong text reason (shape, sound, order: 0.9) in the same class, or a near one in the same group",
    ),
    "copies": (3, "three marks copying others' earlier marks are not chance"),
    "famous_score": (80, "text score against a well-known mark (protected across goods)"),
    "person_marks": (10, "an individual holding 10+ live marks (the rules name related natural persons)"),
    "agent_flagged": (3, "an agent filing for 3+ flagged applicants"),
    "checked_marks": (200, "marks per applicant compared with earlier marks (the newest first; cost bound)"),
}

_ENDED = ("refused", "opposed", "invalidated", "cancelled")


def thresholds(overrides: dict[str, float] | None = None) -> dict[str, float]:
    """The thresholds in force: the defaults with the user's overrides (unknown names are an error)."""
    values = {name: float(default) for name, (default, _) in THRESHOLDS.items()}
    for name, value in (overrides or {}).items():
        if name not in values:
            raise UsageError(f"unknown risk threshold {name!r}; thresholds are: {', '.join(THRESHOLDS)}")
        values[name] = float(value)
    return values


_APPLICANTS_SQL = """
WITH owned AS (
    SELECT DISTINCT p.entity, t.app_key, t.number, t.text, t.filing_date, t.registration_date, t.status, t.classes,
           t.groups, p.etype, t.owner_province
    FROM tm_parties p JOIN trademarks t USING (app_key)
    WHERE p.role IN ('owner', 'former_owner') AND coalesce(p.entity, '') <> '' {region}
)
SELECT entity, any_value(etype) AS etype, count(*) AS marks,
       count(*) FILTER (WHERE status IN ('filed', 'published', 'registered', 'opposed')) AS live,
       list(number ORDER BY filing_date DESC NULLS LAST, number) AS numbers,
       count(DISTINCT c) AS classes, count(DISTINCT g) AS groups
FROM owned LEFT JOIN (SELECT app_key, unnest(classes) AS c FROM trademarks) USING (app_key)
     LEFT JOIN (SELECT app_key, unnest(groups) AS g FROM trademarks) USING (app_key)
GROUP BY entity
"""


def assess(
    warehouse: Warehouse, index: TrademarkIndex | None, *, region: str = "", overrides: dict[str, float] | None = None
) -> dict[str, Any]:
    """Every applicant that trips at least one signal, with the evidence, most signals first; the agents
    filing for several of them; the thresholds used."""
    limits = thresholds(overrides)
    where, args = "", list[Any]()
    if region:
        from ipnav.search.compile import region_codes

        prefixes = region_codes(region)
        if not prefixes:
            raise UsageError(f"region {region!r}: no such province, city or county (name or adcode)")
        where = "AND (" + " OR ".join("t.owner_adcode LIKE ?" for _ in prefixes) + ")"
        args = [f"{code}%" for code in prefixes]
    base = warehouse.query(_APPLICANTS_SQL.format(region=where), args)
    per_year = _peaks(warehouse, "year(filing_date)", where, args)
    per_day = _peaks(warehouse, "filing_date", where, args)
    traded = _traded(warehouse, limits["trading_years"], where, args)
    ended = _ended(warehouse, where, args)
    famous = _famous(warehouse, limits["famous_score"], where, args)
    listed = _listed(warehouse)
    flagged = []
    for row in base:
        entity, signals = row["entity"], []
        big = row["marks"] >= limits["min_marks"]
        year, year_count = per_year.get(entity, (None, 0))
        if big and year_count >= limits["marks_per_year"]:
            signals.append(_signal("volume", year_count, limits["marks_per_year"], f"{year}年申请 {year_count} 件"))
        day, day_count = per_day.get(entity, (None, 0))
        if big and day_count >= limits["marks_per_day"]:
            signals.append(_signal("burst", day_count, limits["marks_per_day"], f"{day} 一天申请 {day_count} 件"))
        if big and (row["classes"] >= limits["classes"] or row["groups"] >= limits["groups"]):
            words = f"覆盖 {row['classes']} 个类别" + (f"、{row['groups']} 个类似群" if row["groups"] else "")
            signals.append(_signal("spread", row["classes"], limits["classes"], words))
        sold = traded.get(entity, [])
        if big and sold and len(sold) / row["marks"] >= limits["trading_share"]:
            share = len(sold) / row["marks"]
            signals.append(_signal("trading", round(share, 3), limits["trading_share"],
                                   f"{len(sold)}/{row['marks']} 件注册后转让", sold[:20]))  # fmt: skip
        decided, bad = ended.get(entity, (0, []))
        if big and decided >= limits["ended_min"] and len(bad) / decided >= limits["ended_share"]:
            signals.append(_signal("ended", round(len(bad) / decided, 3), limits["ended_share"],
                                   f"{len(bad)}/{decided} 件被驳回、异议、无效或撤销", bad[:20]))  # fmt: skip
        if listed.get(entity):
            signals.append(_signal("listed", len(listed[entity]), 1, "；".join(listed[entity])))
        if famous.get(entity):
            signals.append(_signal("famous", len(famous[entity]), 1, "与驰名商标近似", famous[entity][:20]))
        if row["etype"] == "individual" and row["live"] >= limits["person_marks"]:
            signals.append(
                _signal("person", row["live"], limits["person_marks"], f"自然人持有 {row['live']} 件有效商标")
            )
        if signals or big:
            flagged.append({"entity": entity, "type": row["etype"], "marks": row["marks"], "live": row["live"],
                            "classes": row["classes"], "groups": row["groups"], "signals": signals,
                            "numbers": row["numbers"]})  # fmt: skip
    if index is not None:
        for applicant in flagged:
            if applicant["marks"] >= limits["min_marks"]:
                _copies(warehouse, index, applicant, limits)
    out = [a for a in flagged if a["signals"]]
    for applicant in out:
        del applicant["numbers"]
    out.sort(key=lambda a: (-len(a["signals"]), -a["marks"], a["entity"]))
    agents = _agents(warehouse, {a["entity"] for a in out}, limits["agent_flagged"])
    why = {k: reason for k, (_, reason) in THRESHOLDS.items()}
    return {"region": region, "thresholds": limits, "why": why, "applicants": out, "agents": agents}


def _listed(warehouse: Warehouse) -> dict[str, list[str]]:
    """Parties on a credit list today (the `credit` register: 恶意商标注册, 非正常专利申请, 失信 ...), by entity,
    with the list, the date and the authority."""
    rows = warehouse.query(
        """SELECT holder_entity AS entity, json_extract_string(fields, '$.list') AS list, date,
                  json_extract_string(fields, '$.authority') AS authority
           FROM registers WHERE register = 'credit' AND (end_date IS NULL OR end_date > current_date)
           ORDER BY date"""
    )
    out: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        by = f" ({r['authority']})" if r["authority"] else ""
        out[r["entity"]].append(f"列入{r['list']}名单 {r['date'] or ''}{by}")
    return out


def _signal(name: str, value: float, threshold: float, words: str, marks: list[Any] | None = None) -> dict[str, Any]:
    return {"signal": name, "value": value, "threshold": threshold, "evidence": words, "marks": marks or []}


def _peaks(warehouse: Warehouse, bucket: str, where: str, args: list[Any]) -> dict[str, tuple[Any, int]]:
    """Each owner's busiest filing year or day: (when, marks)."""
    rows = warehouse.query(
        f"SELECT entity, arg_max(b, n) AS at, max(n) AS n FROM (SELECT p.entity, {bucket} AS b, count(*) AS n "
        f"FROM tm_parties p JOIN trademarks t USING (app_key) WHERE p.role IN ('owner', 'former_owner') "
        f"AND filing_date IS NOT NULL {where} GROUP BY ALL) GROUP BY entity",
        args,
    )
    return {r["entity"]: (r["at"], r["n"]) for r in rows}


def _traded(warehouse: Warehouse, years: float, where: str, args: list[Any]) -> dict[str, list[str]]:
    """Owner or former owner -> its marks assigned within `years` of registration."""
    rows = warehouse.query(
        "SELECT DISTINCT p.entity, t.number FROM tm_parties p JOIN trademarks t USING (app_key) "
        "JOIN tm_events e USING (app_key) WHERE p.role IN ('owner', 'former_owner') AND e.kind = 'assignment' "
        "AND e.date >= t.registration_date "
        f"AND e.date <= t.registration_date + to_days(CAST(? * 365 AS INTEGER)) {where} "
        "ORDER BY 1, 2",
        [years, *args],
    )
    out: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        out[r["entity"]].append(r["number"])
    return out


def _ended(warehouse: Warehouse, where: str, args: list[Any]) -> dict[str, tuple[int, list[str]]]:
    """Owner -> (its decided marks: registered or ended, the refused/opposed/invalidated/cancelled ones)."""
    rows = warehouse.query(
        "SELECT p.entity, count(*) FILTER (WHERE t.status IN ('registered', 'expired', 'refused', 'opposed', "
        "'invalidated', 'cancelled')) AS decided, list(t.number ORDER BY t.number) FILTER (WHERE t.status IN "
        f"{_ENDED}) AS bad FROM tm_parties p JOIN trademarks t USING (app_key) WHERE p.role = 'owner' {where} "
        "GROUP BY p.entity",
        args,
    )
    return {r["entity"]: (r["decided"], list(r["bad"] or [])) for r in rows}


def _famous(warehouse: Warehouse, score: float, where: str, args: list[Any]) -> dict[str, list[dict[str, Any]]]:
    """Owner -> its marks similar to someone else's well-known mark, in any goods."""
    known = warehouse.query("SELECT DISTINCT mark, owner, entity FROM well_known_marks WHERE coalesce(mark, '') <> ''")
    if not known:
        return {}
    rows = warehouse.query(
        "SELECT p.entity, t.number, t.text FROM tm_parties p JOIN trademarks t USING (app_key) "
        f"WHERE p.role = 'owner' AND coalesce(t.text, '') <> '' {where}",
        args,
    )
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        for mark in known:
            if row["entity"] in (mark["entity"], mark["owner"]):
                continue
            text, why = likeness.text_similarity(row["text"], mark["mark"])
            if 100 * text >= score:
                out[row["entity"]].append({"number": row["number"], "text": row["text"], "resembles": mark["mark"],
                                           "owner": mark["owner"], "reason": why})  # fmt: skip
    return out


def _copies(warehouse: Warehouse, index: TrademarkIndex, applicant: dict[str, Any], limits: dict[str, float]) -> None:
    """Add `copies` when enough of the applicant's (newest) marks resemble others' earlier marks."""
    numbers = applicant["numbers"][: int(limits["checked_marks"])]
    marks = warehouse.query(
        "SELECT number, text, classes, groups, filing_date FROM trademarks WHERE number IN "
        "(SELECT unnest(?::VARCHAR[])) AND coalesce(text, '') <> ''",
        [numbers],
    )
    found = []
    for mark in marks:
        classes, groups = list(mark["classes"] or []), list(mark["groups"] or [])
        hits = likeness.search(index, mark["text"], classes=classes, groups=groups, limit=5,
                               threshold=int(limits["copy_score"]))  # fmt: skip
        earlier = [h for h in hits if h["number"] != mark["number"] and h.get("filing_date") and mark["filing_date"]
                   and str(h["filing_date"]) < str(mark["filing_date"])]  # fmt: skip
        found += [(mark, h) for h in earlier]
    owners = dict(warehouse.con.execute(
        "SELECT number, owner_entity FROM trademarks WHERE number IN (SELECT unnest(?::VARCHAR[]))",
        [sorted({h["number"] for _, h in found})]).fetchall()) if found else {}  # fmt: skip
    evidence, seen = [], set()
    for mark, hit in found:
        if owners.get(hit["number"]) == applicant["entity"] or mark["number"] in seen:
            continue
        seen.add(mark["number"])
        evidence.append({"number": mark["number"], "text": mark["text"], "resembles": hit["number"],
                         "resembles_text": hit["text"], "score": hit["score"], "reasons": hit["reasons"]})  # fmt: skip
    if len(evidence) >= limits["copies"]:
        applicant["signals"].append(_signal("copies", len(evidence), limits["copies"],
                                            f"{len(evidence)} 件与他人在先商标高度近似", evidence[:20]))  # fmt: skip


def _agents(warehouse: Warehouse, flagged: set[str], least: float) -> list[dict[str, Any]]:
    """Agents filing for at least `least` flagged applicants, with them and their share of the agent's clients."""
    if not flagged:
        return []
    rows = warehouse.query(
        "SELECT a.entity AS agent, list(DISTINCT o.entity) AS clients FROM tm_parties a JOIN tm_parties o "
        "USING (app_key) WHERE a.role = 'agent' AND o.role = 'owner' AND coalesce(a.entity, '') <> '' GROUP BY 1"
    )
    out = []
    for row in rows:
        clients = set(row["clients"] or [])
        hit = sorted(clients & flagged)
        if len(hit) >= least:
            out.append({"agent": row["agent"], "flagged": hit, "clients": len(clients),
                        "share": round(len(hit) / len(clients), 3)})  # fmt: skip
    return sorted(out, key=lambda a: (-len(a["flagged"]), a["agent"]))
