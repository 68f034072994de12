"""Trademark watches (商标监测): "tell me when someone files a mark confusingly similar to mine in related
goods, with the deadline to oppose".

A watch names a mark (its words, classes and similar groups) or an owner (every mark the owner holds is
watched). `run` compares the marks published (or filed, when the office gives no publication) since a date
with each watched mark (`ipnav.trademarks.similar`), leaves out the owner's own marks and the watched
mark itself, and gives each hit its opposition deadline under the rule of the mark's office. Watches and
the hits already reported live in the accounts database (small writes; the web server reads the
warehouse read-only); a hit is reported once (`new` marks the first report).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ipnav.accounts import Accounts
from ipnav.errors import RecordNotFound, UsageError
from ipnav.store.warehouse import Warehouse
from ipnav.trademarks import similar as likeness
from ipnav.trademarks.classes import group_names
from ipnav.trademarks.index import TrademarkIndex
from ipnav.trademarks.wellknown import famous_words

_DDL = """
CREATE TABLE IF NOT EXISTS tm_watches (
    id INTEGER PRIMARY KEY AUTOINCREMENT, owner TEXT NOT NULL, name TEXT NOT NULL, mark TEXT NOT NULL DEFAULT '',
    classes TEXT NOT NULL DEFAULT '[]', groups TEXT NOT NULL DEFAULT '[]', holder TEXT NOT NULL DEFAULT '',
    threshold INTEGER NOT NULL, created_at TEXT NOT NULL, UNIQUE (owner, name)
);
CREATE TABLE IF NOT EXISTS tm_watch_hits (
    watch_id INTEGER NOT NULL, number TEXT NOT NULL, watched TEXT NOT NULL, score INTEGER NOT NULL,
    reasons TEXT NOT NULL, found_at TEXT NOT NULL, PRIMARY KEY (watch_id, number)
);
"""

# office -> (months or days after the date, which date, the rule in words)
OPPOSITION_RULES: dict[str, tuple[int, str, str, str]] = {
    "CN": (3, "months", "publication_date",
           "商标法第三十三条: 初步审定公告之日起三个月内 / 3 months from the preliminary publication"),
    "EM": (3, "months", "publication_date", "EUTMR Art. 46: 3 months from publication / 公告之日起三个月"),
    "US": (30, "days", "publication_date",
           "15 U.S.C. §1063: 30 days from publication, extendable on request / 公告后30日(可申请延长)"),
    "TW": (3, "months", "registration_date",
           "商標法第48條: 註冊公告日後三個月內 / 3 months from the registration publication"),
    "NZ": (3, "months", "publication_date",
           "Trade Marks Act 2002 s 47: 3 months from advertisement / 公告之日起三个月"),
}  # fmt: skip


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def opposition_deadline(office: str, dates: dict[str, dt.date | None]) -> dict[str, Any]:
    """The last day to oppose a mark of `office` (None when the rule's date is missing or the office has no
    rule known to ipnav) and the rule used, in words."""
    rule = OPPOSITION_RULES.get(office)
    if rule is None:
        return {"deadline": None, "rule": f"no opposition rule known for office {office} / 未知该局异议期限"}
    amount, unit, field, words = rule
    start = dates.get(field)
    if start is None:
        return {"deadline": None, "rule": words}
    end = _add_months(start, amount) if unit == "months" else start + dt.timedelta(days=amount)
    return {"deadline": end, "rule": words}


class Watches:
    """The watches of one workspace's users and the hits already reported."""

    def __init__(self, accounts: Accounts) -> None:
        self.accounts = accounts
        accounts.ensure(_DDL)

    def add(
        self, user: str, name: str, *, mark: str = "", classes: list[int] | None = None,
        groups: list[str] | None = None, holder: str = "", threshold: int = likeness.SIMILAR,
    ) -> dict[str, Any]:  # fmt: skip
        """Add (or replace) the user's watch `name` of a mark's words or of every mark of a holder."""
        name, mark, holder = name.strip(), mark.strip(), holder.strip()
        if not name:
            raise UsageError("a watch needs a name / 监测需要名称")
        if not mark and not holder:
            raise UsageError("watch a mark (--mark TEXT) or an owner (--owner NAME) / 请给出商标文字或权利人")
        bad = [c for c in classes or [] if not 1 <= c <= 45]
        if bad:
            raise UsageError(f"classes {bad}: Nice classes are 1-45 / 尼斯分类为第1-45类")
        unknown = [g for g in groups or [] if g not in group_names()]
        if unknown:
            raise UsageError(f"similar groups {unknown} are not in CNIPA's 区分表 (4 digits, e.g. 3002)")
        with self.accounts.transaction(immediate=True) as con:
            con.execute("DELETE FROM tm_watch_hits WHERE watch_id IN "
                        "(SELECT id FROM tm_watches WHERE owner = ? AND name = ?)", [user, name])  # fmt: skip
            con.execute("DELETE FROM tm_watches WHERE owner = ? AND name = ?", [user, name])
            con.execute(
                "INSERT INTO tm_watches (owner, name, mark, classes, groups, holder, threshold, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [user, name, mark, json.dumps(classes or []), json.dumps(groups or []), holder, threshold,
                 dt.datetime.now(dt.UTC).isoformat(timespec="seconds")],
            )  # fmt: skip
        return next(w for w in self.listing(user) if w["name"] == name)

    def listing(self, user: str | None = None) -> list[dict[str, Any]]:
        """The watches (of one user, or all), by name."""
        where, args = ("WHERE owner = ?", [user]) if user is not None else ("", [])
        with self.accounts.transaction() as con:
            rows = con.execute(f"SELECT * FROM tm_watches {where} ORDER BY owner, name", args).fetchall()
        return [{**dict(r), "classes": json.loads(r["classes"]), "groups": json.loads(r["groups"])} for r in rows]

    def remove(self, user: str, name: str) -> None:
        """Remove the user's watch and what it reported."""
        with self.accounts.transaction(immediate=True) as con:
            found = con.execute("SELECT id FROM tm_watches WHERE owner = ? AND name = ?", [user, name]).fetchone()
            if found is None:
                raise RecordNotFound("watch", name, [w["name"] for w in self.listing(user)][:5])
            con.execute("DELETE FROM tm_watch_hits WHERE watch_id = ?", [found["id"]])
            con.execute("DELETE FROM tm_watches WHERE id = ?", [found["id"]])

    def run(self, warehouse: Warehouse, index: TrademarkIndex, *, since: dt.date | None = None,
            user: str | None = None, only: set[str] | None = None) -> list[dict[str, Any]]:  # fmt: skip
        """Every watch's hits among the marks published since `since` (all marks when None; only these
        numbers when `only`, the marks an ingest brought), each with the watched mark, score, reasons,
        publication date and opposition deadline; `new` is True the first time a hit is reported (then it
        is remembered)."""
        out = []
        within = sorted(f"TM:{n}" for n in only) if only is not None else None
        famous = famous_words(warehouse)
        for watch in self.listing(user):
            hits = _watch_hits(warehouse, index, watch, since, within, famous)
            with self.accounts.transaction(immediate=True) as con:
                known = {r["number"] for r in con.execute(
                    "SELECT number FROM tm_watch_hits WHERE watch_id = ?", [watch["id"]])}  # fmt: skip
                for hit in hits:
                    hit["new"] = hit["number"] not in known
                    if hit["new"]:
                        con.execute(
                            "INSERT INTO tm_watch_hits VALUES (?, ?, ?, ?, ?, ?)",
                            [watch["id"], hit["number"], hit["watched"], hit["score"],
                             json.dumps(hit["reasons"], ensure_ascii=False), dt.datetime.now(dt.UTC).isoformat()],
                        )  # fmt: skip
            out.append({"watch": watch["name"], "owner": watch["owner"], "hits": hits})
        return out


def _watched_marks(warehouse: Warehouse, watch: dict[str, Any]) -> list[tuple[str, list[int], list[str], set[str]]]:
    """(words, classes, groups, numbers to leave out) of each mark a watch guards."""
    if watch["mark"]:
        return [(watch["mark"], watch["classes"], watch["groups"], set())]
    rows = warehouse.con.execute(
        "SELECT text, classes, groups, number FROM trademarks WHERE app_key IN (SELECT app_key FROM tm_parties "
        "WHERE role = 'owner' AND (entity = ? OR name = ?)) AND coalesce(text, '') <> '' ORDER BY number",
        [watch["holder"], watch["holder"]],
    ).fetchall()
    own = {r[3] for r in rows}
    return [(text, watch["classes"] or list(classes or []), watch["groups"] or list(groups or []), own)
            for text, classes, groups, _ in rows]  # fmt: skip


def _watch_hits(
    warehouse: Warehouse,
    index: TrademarkIndex,
    watch: dict[str, Any],
    since: dt.date | None,
    within: list[str] | None = None,
    famous: frozenset[str] = frozenset(),
) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for text, classes, groups, own in _watched_marks(warehouse, watch):
        for hit in likeness.search(index, text, classes=classes, groups=groups, limit=200, within=within,
                                   threshold=watch["threshold"], pool=500 if within is not None else 2000,
                                   famous=famous):  # fmt: skip
            if hit["number"] in own:
                continue
            if hit["number"] not in found or found[hit["number"]]["score"] < hit["score"]:
                found[hit["number"]] = {**hit, "watched": text}
    if not found:
        return []
    holder = watch["holder"]
    rows = warehouse.con.execute(
        "SELECT number, office, publication_date, registration_date, filing_date, owner_entity, first_owner "
        "FROM trademarks WHERE number IN (SELECT unnest(?::VARCHAR[]))",
        [sorted(found)],
    ).fetchall()
    out = []
    for number, office, published, registered, filed, entity, first_owner in rows:
        if holder and holder in (entity, first_owner):
            continue
        shown = published or filed
        if since is not None and (shown is None or shown < since):
            continue
        dates = {"publication_date": published, "registration_date": registered}
        hit = found[number]
        out.append({"number": number, "text": hit["text"], "office": office, "owner": first_owner,
                    "classes": hit.get("classes") or [], "groups": hit.get("groups") or [],
                    "watched": hit["watched"], "score": hit["score"], "reasons": hit["reasons"],
                    "publication_date": published, "filing_date": filed,
                    **opposition_deadline(office, dates)})  # fmt: skip
    out.sort(key=lambda h: (-h["score"], h["number"]))
    return out
