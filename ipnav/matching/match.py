"""Matching demands with patents and offers, both ways.

Relevance first: a demand's text (title, field, keywords, description) ranks the patents twice, by its
distinctive words (BM25 over the index, as `similar` does) and by meaning (the nearest vectors, any
language); reciprocal rank fusion joins the two rankings. Its k is 10, not the 60 of `similar`: Cormack's
k = 60 was tuned for fusing long result lists, where it flattens rank differences; a demand has a few
good answers, and with k = 60 a patent first by meaning (cosine 0.52) lost to the eighth (0.36) once the
weights below were applied. Relevance is then weighed by what a tech-transfer office weighs (each factor
in the reasons):

* IPC: the share of the demand's IPC subclasses the patent has, up to x1.15 (many exports carry no IPC,
  so its absence costs nothing);
* owner type: universities and research institutes first (产学研, their patents are what transfer offers),
  x1.15; an enterprise x1.0; a person x0.95;
* region: the same county x1.10, city x1.07, province x1.04 (a partner nearby is easier to meet);
* value: the patent's value score (0-100, `ipnav.value`) adds up to x1.10;
* an open-licence declaration (开放许可) x1.10: it can be licensed at once on published terms.

Only valid patents are matched unless asked (`status`); offers entered by tech-transfer offices are ranked
by the cosine of their text with the demand's and the words they share. For a patent (or an owner's
patents) the demands it fits are ranked by the same cosine and shared words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson

from ipnav.config import Workspace
from ipnav.errors import RecordNotFound, UsageError
from ipnav.normalize import text as analysis
from ipnav.normalize.names import APPLICANT_TYPES, canonical_name
from ipnav.search.service import open_index, rows_for
from ipnav.search.similar import distinctive_terms, terms_query
from ipnav.semantic import encoder, store, vectors
from ipnav.store.reads import find_app_key, plain
from ipnav.store.warehouse import Warehouse, query_dicts

RRF_K = 10  # a demand is short and has few good answers: a small k keeps a clear first place first
POOL = 200  # candidates from each ranking
OWNER_WEIGHT = {"university": 1.15, "institute": 1.15, "enterprise": 1.0, "government": 1.0, "individual": 0.95}
REGION_WEIGHT = {"county": 1.10, "city": 1.07, "province": 1.04}
REGION_NAMES = {"county": ("同区县", "same county"), "city": ("同市", "same city"),
                "province": ("同省", "same province"), "other": ("外省", "another province")}  # fmt: skip
STATUSES = {"valid": ("valid",), "live": ("valid", "pending"), "all": ()}


@dataclass(frozen=True)
class MatchOptions:
    """What a match list holds: how many, which legal statuses (`valid`, `live` = valid or pending, `all`),
    which owner types (empty: all) and whether only patents with an open licence."""

    limit: int = 20
    status: str = "valid"
    owner_types: tuple[str, ...] = ()
    open_licence: bool = False

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise UsageError(f"status must be one of {', '.join(STATUSES)} (有效/有效+审中/全部)")
        unknown = set(self.owner_types) - set(APPLICANT_TYPES)
        if unknown:
            raise UsageError(f"unknown owner type {sorted(unknown)}; one of {', '.join(APPLICANT_TYPES)}")


def need_text(values: dict[str, Any]) -> str:
    """The text of a demand or an offer that is matched: title, field, keywords and description."""
    parts = [values.get("title"), values.get("field"), " ".join(values.get("keywords") or []),
             values.get("description")]  # fmt: skip
    return "\n".join(str(p) for p in parts if p)


_VECTORS: dict[str, np.ndarray] = {}  # a demand's or offer's text -> its vector, in this process


def need_vectors(texts: list[str]) -> np.ndarray:
    """Unit vectors of demands' or offers' texts (title on the first line), each text encoded once per process."""
    known = {t: _VECTORS[t] for t in texts if t in _VECTORS}
    missing = [t for t in dict.fromkeys(texts) if t not in known]
    if missing:  # the new ones in one batch
        found = encoder.encode([encoder.text_of(*_split(t)) for t in missing])
        for text, vector in zip(missing, found, strict=True):
            known[text] = _VECTORS[text] = vector
        while len(_VECTORS) > 20_000:
            _VECTORS.pop(next(iter(_VECTORS)))
    return np.stack([known[t] for t in texts]) if texts else np.zeros((0, encoder.DIMENSIONS), np.float32)


def _split(text: str) -> tuple[str, str]:
    title, _, rest = text.partition("\n")
    return title, rest


def needs(wh: Warehouse, register: str, *, keys: list[str] | None = None, open_only: bool = False
          ) -> list[dict[str, Any]]:  # fmt: skip
    """Demands (`tech_demand`) or offers (`tech_offer`) with their fields, newest first."""
    if not wh.has_table("registers"):
        return []
    sql = ("SELECT app_key, subtype, number, name, holder, holder_entity, date, end_date, amount, status, adcode, "
           "province, city, county, fields, source_file FROM registers WHERE register = ?")  # fmt: skip
    params: list[Any] = [register]
    if keys is not None:
        sql += " AND app_key = ANY(?::VARCHAR[])"
        params.append(keys)
    if open_only:
        sql += " AND status NOT IN ('已解决', '已关闭')"
    rows = query_dicts(wh.con, sql + " ORDER BY date DESC NULLS LAST, app_key", params)
    for row in rows:
        row["values"] = orjson.loads(row.pop("fields") or "{}")
    return rows


def need(wh: Warehouse, register: str, key: str) -> dict[str, Any]:
    """One demand or offer by its key (`R:…`) or its number."""
    found = needs(wh, register, keys=[key])
    if not found:
        found = [n for n in needs(wh, register) if n["number"] == key]
    if not found:
        raise RecordNotFound("demand / 需求" if register == "tech_demand" else "offer / 成果", key)
    return found[0]


def _ipc_share(wanted: list[str], subclasses: set[str]) -> tuple[float, list[str]]:
    """The share of a demand's IPC codes (subclass level) a patent has, and those it has."""
    codes = {c.replace(" ", "").upper()[:4] for c in wanted if len(c.strip()) >= 4}
    shared = sorted(codes & subclasses)
    return (len(shared) / len(codes) if codes else 0.0), shared


def _region(adcode: str, other: str | None) -> str | None:
    if not adcode or not other:
        return None
    for level, digits in (("county", 6), ("city", 4), ("province", 2)):
        if (
            adcode[:digits] == other[:digits]
            and not (level == "county" and adcode.endswith("00"))
            and not (level == "city" and adcode[2:4] == "00")
        ):
            return level
    return "other"


def _candidates(workspace: Workspace, wh: Warehouse, text: str) -> tuple[dict[str, int], dict[str, tuple[int, float]],
                                                                           list[str]]:  # fmt: skip
    """The lexical (key -> rank) and semantic (key -> (rank, cosine)) rankings of a text, and its terms."""
    index = open_index(workspace)
    terms = distinctive_terms(index, text)
    lexical: dict[str, int] = {}
    if terms:
        _, found = index.top(terms_query(index, terms), POOL)
        lexical = {key: rank for rank, (_, key, _) in enumerate(found, 1)}
    semantic: dict[str, tuple[int, float]] = {}
    if wh.has_table(store.TABLE) and store.coverage(wh)["embedded"]:
        near = vectors.nearest(workspace, need_vectors([text])[0], POOL)
        ids = store.keys_of(wh, [vec for vec, _ in near])
        ranked = [(ids[vec], cosine) for vec, cosine in near if vec in ids]
        semantic = {key: (rank, cosine) for rank, (key, cosine) in enumerate(ranked, 1)}
    return lexical, semantic, [word for (_, word), _ in terms]


def _facts(wh: Warehouse, keys: list[str]) -> dict[str, dict[str, Any]]:
    """Owner type, value score, open licence, subclasses and region code of candidate patents."""
    rows = wh.con.execute(
        """SELECT p.app_key, p.legal_status, p.applicant_adcode,
              (SELECT list(DISTINCT o.etype) FROM patent_owners o WHERE o.app_key = p.app_key) AS etypes,
              (SELECT max(v.score) FROM value_scores v WHERE v.app_key = p.app_key) AS value,
              (SELECT list(s.subclass) FROM patent_subclasses s WHERE s.app_key = p.app_key) AS subclasses,
              EXISTS (SELECT 1 FROM transaction_patents tp JOIN transactions t USING (key)
                      WHERE tp.app_key = p.app_key AND t.kind = 'licence' AND t.conveyance LIKE '%开放许可%')
                  AS open_licence
           FROM patents p WHERE p.app_key = ANY(?::VARCHAR[])""",
        [keys],
    ).fetchall()
    out = {}
    for key, status, adcode, etypes, value, subclasses, open_licence in rows:
        types = [t for t in etypes or [] if t]
        owner = next((t for t in ("university", "institute") if t in types), types[0] if types else "other")
        out[key] = {"legal_status": status, "adcode": adcode or "", "owner_type": owner, "value": value,
                    "subclasses": set(subclasses or []), "open_licence": bool(open_licence)}  # fmt: skip
    return out


def _weigh(relevance: float, facts: dict[str, Any], adcode: str) -> tuple[float, dict[str, Any]]:
    """The relevance weighed by owner type, region, value and open licence, with each factor."""
    owner = OWNER_WEIGHT.get(facts["owner_type"], 1.0)
    region = _region(adcode, facts["adcode"])
    near = REGION_WEIGHT.get(region or "", 1.0)
    value = 1 + 0.10 * (facts["value"] or 0) / 100
    licence = 1.10 if facts["open_licence"] else 1.0
    return relevance * owner * near * value * licence, {
        "owner_type": facts["owner_type"], "owner_type_zh": APPLICANT_TYPES.get(facts["owner_type"], "其他"),
        "region": region, "region_zh": REGION_NAMES[region][0] if region else None,
        "value": round(facts["value"], 1) if facts["value"] is not None else None,
        "open_licence": facts["open_licence"],
    }  # fmt: skip


def match_patents(workspace: Workspace, wh: Warehouse, values: dict[str, Any], adcode: str,
                  options: MatchOptions) -> dict[str, Any]:  # fmt: skip
    """The patents that could meet a demand (its fields `values`, its region code), best first, with reasons."""
    text = need_text(values)
    lexical, semantic, terms = _candidates(workspace, wh, text)
    keys = list(dict.fromkeys([*lexical, *semantic]))
    facts = _facts(wh, keys)
    wanted = list(values.get("ipc") or [])
    statuses = STATUSES[options.status]
    scored = []
    for key in keys:
        fact = facts.get(key)
        if fact is None or (statuses and fact["legal_status"] not in statuses):
            continue
        if (options.owner_types and fact["owner_type"] not in options.owner_types) or (
            options.open_licence and not fact["open_licence"]
        ):
            continue
        share, shared_ipc = _ipc_share(wanted, fact["subclasses"])
        ranks = [lexical.get(key), semantic[key][0] if key in semantic else None]
        relevance = sum(1 / (RRF_K + r) for r in ranks if r) * (1 + 0.15 * share)
        score, why = _weigh(relevance, fact, adcode)
        why.update(lexical_rank=lexical.get(key), semantic=semantic[key][1] if key in semantic else None,
                   shared_ipc=shared_ipc, relevance=round(relevance * 1000, 2))  # fmt: skip
        scored.append((score, key, why))
    rows = {row["app_key"]: row for row in rows_for(wh, [key for _, key, _ in scored])}
    kept = []
    for score, key, why in scored:
        why["terms"] = _terms_in(terms, f"{rows[key].get('title') or ''} {rows[key].get('abstract') or ''}")
        if _evident(why):
            kept.append((score, key, why))
    kept.sort(key=lambda t: (-t[0], t[1]))
    hits = [plain(rows[key]) | {"score": round(score * 1000, 2), "reasons": why}
            for score, key, why in kept[: options.limit]]  # fmt: skip
    return {"terms": terms, "patents": hits, "candidates": len(keys), "matched": len(kept)}


def _evident(why: dict[str, Any]) -> bool:
    """Enough evidence to show a match: near in meaning (cosine 0.35+), two of the demand's distinctive words,
    a top-20 lexical rank or a shared IPC subclass; a far tail sharing one common word is not a match."""
    near = why["semantic"] is not None and why["semantic"] >= 0.35
    return near or len(why["terms"]) >= 2 or (why["lexical_rank"] or 999) <= 20 or bool(why["shared_ipc"])


def _terms_in(terms: list[str], text: str) -> list[str]:
    folded = analysis.fold(text)
    return [term for term in terms if term in folded]


def match_offers(wh: Warehouse, text: str, terms: list[str], *, limit: int = 10, least: float = 0.25,
                 private: bool = True) -> list[dict[str, Any]]:  # fmt: skip
    """Offers whose text is near a demand's (cosine at least `least`), best first, with the words shared."""
    offers = needs(wh, "tech_offer")
    if not offers:
        return []
    own = need_vectors([text])[0]
    near = need_vectors([need_text(o["values"]) for o in offers]) @ own
    found = []
    for offer, cosine in zip(offers, near, strict=True):
        shared = _terms_in(terms, need_text(offer["values"]))
        if cosine >= least or shared:
            found.append((float(cosine) + 0.02 * len(shared), offer, float(cosine), shared))
    found.sort(key=lambda t: -t[0])
    return [{**public(o, private=private), "score": round(s * 100, 1), "reasons": {"semantic": round(c, 4), "terms": t}}
            for s, o, c, t in found[:limit]]  # fmt: skip


def public(record: dict[str, Any], *, private: bool = True) -> dict[str, Any]:
    """A demand or an offer as shown: JSON-ready, its contact only when `private` (analysts)."""
    from ipnav.registers.spec import REGISTERS

    row = plain({k: v for k, v in record.items() if k != "values"})
    hidden = () if private else REGISTERS["tech_demand"].private
    row["values"] = {k: v for k, v in record["values"].items() if k not in hidden}
    return row


def demand_matches(
    workspace: Workspace, wh: Warehouse, key: str, options: MatchOptions, *, private: bool = True
) -> dict[str, Any]:
    """A demand with the patents and the offers that could meet it."""
    demand = need(wh, "tech_demand", key)
    found = match_patents(workspace, wh, demand["values"], demand["adcode"] or "", options)
    offers = match_offers(wh, need_text(demand["values"]), found["terms"], private=private)
    covered = store.coverage(wh)
    method = (
        "lexical (BM25) + semantic (USE v3) fused by RRF k=10; x IPC share, owner type, region, value, open licence"
    )
    if not covered["embedded"]:
        method = "lexical (BM25) + IPC share only: no vectors yet (`ipnav embed`)"
    return {"demand": public(demand, private=private), **found, "offers": offers, "method": method, "coverage": covered,
            "options": {"status": options.status, "owner_types": list(options.owner_types),
                        "open_licence": options.open_licence, "limit": options.limit}}  # fmt: skip


def fits(wh: Warehouse, demands: list[dict[str, Any]], keys: list[str], *, least: float = 0.4
         ) -> list[tuple[int, str, float, float | None, list[str]]]:  # fmt: skip
    """Every (demand, patent) pair that fits: the patent's vector is near the demand's (cosine at least
    `least`; a touch-screen design sits at 0.35 from a backlight-saving need, the right patents at 0.43+)
    or its title and abstract hold two of the demand's words (显示 inside 显示屏 counts once). Rows: (demand
    index, patent key, score, cosine or None when the patent has no vector, shared words)."""
    if not demands or not keys:
        return []
    own = _patent_vectors(wh, keys)
    rows = {r["app_key"]: r for r in rows_for(wh, keys)}
    order = [k for k in keys if k in rows]
    folded = [analysis.fold(f"{rows[k].get('title') or ''} {rows[k].get('abstract') or ''}") for k in order]
    matrix = np.stack([own.get(k, np.zeros(encoder.DIMENSIONS, np.float32)) for k in order])
    cosines = matrix @ need_vectors([need_text(d["values"]) for d in demands]).T  # patents x demands
    out = []
    for column, demand in enumerate(demands):
        words = demand_words(demand)
        for row, key in enumerate(order):
            cosine = float(cosines[row, column])
            shared = [w for w in words if w in folded[row]]
            shared = [w for w in shared if not any(w != other and w in other for other in shared)]
            if cosine >= least or len(shared) >= 2:
                out.append((column, key, cosine + 0.03 * len(shared), cosine if key in own else None, shared))
    return out


def demands_for_patents(wh: Warehouse, keys: list[str], *, limit: int = 20, private: bool = True
                        ) -> list[dict[str, Any]]:  # fmt: skip
    """The open demands some patents fit: for each demand its best patent, by cosine and shared words."""
    demands = needs(wh, "tech_demand", open_only=True)
    best: dict[int, tuple[float, str, float | None, list[str]]] = {}
    for column, key, score, cosine, shared in fits(wh, demands, keys):
        if column not in best or score > best[column][0]:
            best[column] = (score, key, cosine, shared)
    rows = {r["app_key"]: r for r in rows_for(wh, [b[1] for b in best.values()])}
    found = [{**public(demands[column], private=private), "score": round(score * 100, 1),
              "patent": plain(rows[key]), "reasons": {"semantic": round(cosine, 4) if cosine is not None else None,
                                                       "terms": shared}}
             for column, (score, key, cosine, shared) in best.items()]  # fmt: skip
    found.sort(key=lambda d: -d["score"])
    return found[:limit]


def demand_words(demand: dict[str, Any]) -> list[str]:
    """The words of a demand that count as shared when a patent's title or abstract holds them: its keywords
    and the Chinese words (2+ characters) and English words (4+ letters) of its title and field."""
    values = demand["values"]
    words = [analysis.fold(k) for k in values.get("keywords") or []]
    head = analysis.fold(f"{values.get('title') or ''} {values.get('field') or ''}")
    for run in analysis.cjk_runs(head):
        words += [w for w in analysis.words(run) if len(w) >= 2 and w not in _GENERIC]
    words += [w for w in head.split() if len(w) >= 4 and w.isascii() and w.isalpha() and w not in _GENERIC]
    return list(dict.fromkeys(w for w in words if w))


_GENERIC = {"技术", "需求", "方法", "装置", "系统", "设备", "一种", "研发", "开发", "提高", "解决", "问题", "产品",
            "工艺", "应用", "研究", "合作", "企业", "with", "system", "method", "technology"}  # fmt: skip


def _patent_vectors(wh: Warehouse, keys: list[str]) -> dict[str, np.ndarray]:
    if not wh.has_table(store.TABLE):
        return {}
    rows = wh.con.execute(f"SELECT app_key, vector FROM {store.TABLE} WHERE app_key = ANY(?::VARCHAR[])",
                          [keys]).fetchall()  # fmt: skip
    return {key: np.frombuffer(blob, dtype=np.float16).astype(np.float32) for key, blob in rows}


def demands_for_patent(wh: Warehouse, number: str, *, limit: int = 20, private: bool = True) -> dict[str, Any]:
    """The open demands one patent fits."""
    key = find_app_key(wh, number)
    rows = rows_for(wh, [key])
    return {"app_key": key, "number": number, "title": rows[0]["title"] if rows else "",
            "demands": demands_for_patents(wh, [key], limit=limit, private=private)}  # fmt: skip


def demands_for_owner(
    wh: Warehouse, owner: str, *, limit: int = 20, status: str = "valid", private: bool = True
) -> dict[str, Any]:
    """The open demands an owner's patents fit (valid ones by default): "who needs my patents"."""
    entity = canonical_name(owner)
    statuses = STATUSES[status]
    keys = [k for (k,) in wh.con.execute(
        "SELECT DISTINCT o.app_key FROM patent_owners o JOIN patents p USING (app_key) WHERE o.entity = ? "
        + ("AND p.legal_status = ANY(?::VARCHAR[])" if statuses else "") + " ORDER BY 1",
        [entity, list(statuses)] if statuses else [entity],
    ).fetchall()]  # fmt: skip
    if not keys:
        raise RecordNotFound(f"patent owner ({status}) / 专利权人", owner)
    return {"owner": owner, "entity": entity, "patents": len(keys),
            "demands": demands_for_patents(wh, keys, limit=limit, private=private)}  # fmt: skip
