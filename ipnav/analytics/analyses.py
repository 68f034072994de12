"""The navigation analyses. Each is `(ctx, **options) -> pyarrow.Table`, written as ibis expressions
over the warehouse tables (DuckDB here; the same expressions run on PostgreSQL or Spark backends).

Counts are of applications (one per application, however many publications it has).
"""

from __future__ import annotations

import datetime as dt
import inspect
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
from ibis import _

from ipnav.analytics.catalog import CATALOG
from ipnav.analytics.context import Context
from ipnav.analytics.marks import FUNCTIONS as MARK_ANALYSES
from ipnav.analytics.matrices import applicant_ipc, applicant_years
from ipnav.normalize.names import APPLICANT_TYPES, canonical_name
from ipnav.store.ipc import clean_en, clean_zh
from ipnav.store.regions import BASES, UNPLACED, region_bases


def _to_arrow(expr: ir.Table) -> pa.Table:
    return expr.to_pyarrow()


def trends(ctx: Context) -> pa.Table:
    """Filing, publication and grant counts by year; years whose data is not all published yet (the 18
    months before the data's horizon: applications publish 18 months after filing) are marked incomplete."""
    p = ctx.table("patents")
    filing = p.filter(p.filing_year.notnull()).group_by(year=_.filing_year).aggregate(filings=_.count())
    pubs = p.filter(p.first_pub_date.notnull()).group_by(year=_.first_pub_date.year()).aggregate(publications=_.count())
    grants = p.filter(p.grant_date.notnull()).group_by(year=_.grant_date.year()).aggregate(grants=_.count())
    years = filing.select("year").union(pubs.select("year")).union(grants.select("year")).distinct()
    out = (
        years.left_join(filing, "year")
        .select(years.year, filing.filings)
        .left_join(pubs, "year")
        .select("year", "filings", pubs.publications)
        .left_join(grants, "year")
        .select("year", "filings", "publications", grants.grants)
        .order_by("year")
    )
    found = {int(r["year"]): r for r in _to_arrow(out).to_pylist()}
    years = range(min(found), max(found) + 1) if found else range(0)
    table = [found.get(y) or {"year": y} for y in years]  # a year without data is a 0, not a line across
    horizon = _horizon(ctx)
    cutoff = horizon - dt.timedelta(days=548)
    for row in table:
        for key in ("filings", "publications", "grants"):
            row[key] = row.get(key) or 0
        row["incomplete"] = dt.date(int(row["year"]), 12, 31) > cutoff
        row["horizon"] = horizon.isoformat()
    return pa.Table.from_pylist(table)


def _horizon(ctx: Context) -> dt.date:
    """The date the data reaches: the latest publication in the source files the selection came from
    (an export made in May 2022 ends there, whatever today is), at most the as-of date."""
    patents = ctx.source("patents")
    if not ctx.everything:
        files = ctx.table("documents").select("source_file").distinct()
        apps = ctx.source("documents").semi_join(files, "source_file").select("app_key").distinct()
        patents = patents.semi_join(apps, "app_key")
    latest = patents.first_pub_date.max().to_pyarrow().as_py()
    return min(latest, ctx.as_of) if latest else ctx.as_of


def applicants(ctx: Context, limit: int = 20) -> pa.Table:
    """Applicant ranking by applications, names merged (全/半角, 有限公司/股份有限公司, Co., Ltd./Inc., case)."""
    counts = ctx.ranking().select("entity", "applications", type="etype")
    top = counts.order_by([ibis.desc("applications"), "entity"]).limit(limit)
    spellings = ctx.spellings()
    ranked = (
        top.left_join(spellings, "entity")
        .select("entity", "applications", "spellings", "type")
        .order_by([ibis.desc("applications"), "entity"])
        .limit(limit)
    )
    rows = _to_arrow(ranked).to_pylist()
    total = len(ctx.keys) or 1
    for row in rows:
        row["share"] = round(row["applications"] / total, 4)
    columns = {"entity": pa.string(), "applications": pa.int64(), "spellings": pa.int64(), "share": pa.float64()}
    return pa.Table.from_pylist(rows, schema=pa.schema(columns | {"type": pa.string()}))


def inventors(ctx: Context, limit: int = 20) -> pa.Table:
    """Top inventors by applications."""
    parties = ctx.table("parties").filter(lambda t: t.role == "inventor")
    ranked = (
        parties.group_by(inventor="name")
        .aggregate(applications=parties.count())  # parties hold one row per role and name (store.rows)
        .order_by([ibis.desc("applications"), "inventor"])
        .limit(limit)
    )
    return _to_arrow(ranked)


def applicant_types(ctx: Context) -> pa.Table:
    """Applications by applicant type (an application counts once per type among its applicants)."""
    parties = ctx.names()
    grouped = _to_arrow(parties.group_by("etype").aggregate(n=parties.app_key.nunique())).to_pylist()
    counts = {row["etype"]: row["n"] for row in grouped}
    rows = [{"type": t, "type_zh": APPLICANT_TYPES[t], "applications": counts.get(t, 0)} for t in APPLICANT_TYPES]
    return pa.Table.from_pylist(sorted(rows, key=lambda r: -r["applications"]))


_IPC_LEVEL = {"section": 1, "class": 3, "subclass": 4}


def ipc(ctx: Context, level: str = "subclass", limit: int = 20) -> pa.Table:
    """Technology composition by IPC section, class, subclass or main group, with Chinese titles."""
    if level == "subclass":  # one row per application and subclass (ingest): no DISTINCT needed
        sc = ctx.table("patent_subclasses")
        grouped = sc.group_by(code=sc.subclass).aggregate(applications=sc.count())
    else:
        c = ctx.table("classifications").filter(lambda t: t.scheme == "ipc")
        if level == "main_group":
            code = c.symbol.split("/")[0]
        elif level in _IPC_LEVEL:
            code = c.symbol.substr(0, _IPC_LEVEL[level])
        else:
            raise ValueError(f"level must be section, class, subclass or main_group, not {level!r}")
        grouped = c.mutate(code=code).group_by("code").aggregate(applications=c.app_key.nunique())

    def titles_of(table: str, code_column: str, title_column: str, name: str) -> ir.Table:
        ref = ctx.source(table)
        symbol = ref[code_column]
        if level == "main_group":
            ref = ref.filter(symbol.endswith("/00")).mutate(code=symbol.split("/")[0])
        else:
            ref = ref.mutate(code=symbol)
        return ref.select("code", **{name: ref[title_column]}).distinct(on="code")

    zh = titles_of("ref_ipc_titles_zh", "code", "title_zh", "title_zh")
    en = titles_of("ref_cpc_titles", "symbol", "title", "title_en")  # English, and where the Chinese table lacks one
    top = grouped.order_by([ibis.desc("applications"), "code"]).limit(limit)  # titles for the top codes only
    out = (
        top.left_join(zh, "code")
        .select("code", "applications", "title_zh")
        .left_join(en, "code")
        .select("code", "applications", "title_zh", "title_en")
    )
    table = _to_arrow(out.order_by([ibis.desc("applications"), "code"])).to_pylist()
    for row in table:  # the headings without their references
        row["title_zh"] = clean_zh(row["title_zh"])
        row["title_en"] = clean_en(row["title_en"])
    schema = pa.schema(
        [("code", pa.string()), ("applications", pa.int64()), ("title_zh", pa.string()), ("title_en", pa.string())]
    )
    return pa.Table.from_pylist(table, schema=schema)


def wipo_fields(ctx: Context) -> pa.Table:
    """WIPO's 35 technology fields (IPC-technology concordance), applications per field."""
    w = ctx.table("patent_wipo")  # one row per application and field, matched at ingest
    counts = w.group_by("field_no").aggregate(applications=w.count())
    ref = ctx.source("ref_wipo35")
    names = ref.select(field_no=ref.Field_number.cast("int32"), field=ref.Field_en, sector=ref.Sector_en).distinct()
    out = counts.join(names, "field_no").select("field_no", "field", "sector", "applications")
    return _to_arrow(out.order_by([ibis.desc("applications"), "field_no"]))


def sei(ctx: Context) -> pa.Table:
    """Strategic emerging industries (2021 SEI↔IPC concordance), applications per industry."""
    s = ctx.table("patent_sei_codes")  # one row per application and industry (ingest)
    out = (
        s.group_by(["category_code", "category_name", "sei_code", "sei_name"])
        .aggregate(applications=s.count())
        .order_by([ibis.desc("applications"), "sei_code"])
    )
    return _to_arrow(out)


def countries(ctx: Context) -> pa.Table:
    """Applications by country of the application."""
    p = ctx.table("patents")
    return _to_arrow(
        p.group_by(country=p.country).aggregate(applications=p.count()).order_by([ibis.desc("applications"), "country"])
    )


def regions(ctx: Context, level: str = "province", region_basis: str = "all") -> pa.Table:
    """Chinese applications by the first applicant's province, city or county (adcode), with how many
    rest on each region basis (the record's address, the user's table, the applicant's other records,
    a place in its name); `region_basis=address` counts only regions from the record's own address."""
    bases = region_bases(region_basis)
    p = ctx.table("patents").mutate(basis=lambda t: t.applicant_region_basis.fill_null("address"))
    p = p.filter(lambda t: (t.applicant_adcode != "") & t.basis.isin(bases))
    keys = {
        "province": ["applicant_province"],
        "city": ["applicant_province", "applicant_city"],
        "county": ["applicant_province", "applicant_city", "applicant_county", "applicant_adcode"],
    }[level]
    counts = {basis: (p.basis == basis).sum() for basis in BASES}
    return _to_arrow(
        p.group_by(keys).aggregate(applications=p.count(), **counts).order_by([ibis.desc("applications"), *keys])
    )


def region_basis_summary(ctx: Context) -> dict[str, int]:
    """Applications of the selection per region basis of their first applicant, the unplaced included
    (ambiguous, unresolved, abroad): the figures add up to the selection."""
    p = ctx.table("patents")
    basis = p.applicant_region_basis.fill_null("address")
    basis = ibis.ifelse((basis == "address") & (p.applicant_adcode == ""), "unresolved", basis)
    rows = _to_arrow(p.group_by(basis=basis).aggregate(n=p.count())).to_pylist()
    found = {r["basis"] or "unresolved": int(r["n"]) for r in rows}
    return {b: found.get(b, 0) for b in (*BASES, *UNPLACED)}


def legal_status(ctx: Context) -> pa.Table:
    """Applications by current legal status."""
    p = ctx.table("patents")
    return _to_arrow(
        p.group_by(["legal_status", "legal_status_reason"])
        .aggregate(applications=p.count())
        .order_by([ibis.desc("applications"), "legal_status"])
    )


def patent_types(ctx: Context) -> pa.Table:
    """Applications by patent type (invention, utility model, design ...)."""
    p = ctx.table("patents")
    return _to_arrow(
        p.group_by(patent_type=p.patent_type)
        .aggregate(applications=p.count())
        .order_by([ibis.desc("applications"), "patent_type"])
    )


def lifecycle(ctx: Context) -> pa.Table:
    """Technology life cycle: applicants and applications per filing year, and new entrants."""
    p = ctx.table("patents").filter(lambda t: t.filing_year.notnull())
    joined = ctx.names().join(p.select("app_key", "filing_year"), "app_key")
    pairs = joined.select("entity", "filing_year").distinct()  # who filed in which year
    applicants = pairs.group_by("filing_year").aggregate(applicants=pairs.count())
    owned = p.filter(p.has_owner)  # the applications with an applicant, one row each
    applications = owned.group_by("filing_year").aggregate(applications=owned.count())
    first = pairs.group_by("entity").aggregate(first_year=pairs.filing_year.min())
    entrants = first.group_by(filing_year=first.first_year).aggregate(new_entrants=first.count())
    per_year = applicants.join(applications, "filing_year")
    out = per_year.left_join(entrants, "filing_year").select(
        per_year.filing_year, "applicants", "applications", entrants.new_entrants
    )
    rows = _to_arrow(out.order_by("filing_year")).to_pylist()
    for row in rows:
        row["new_entrants"] = row["new_entrants"] or 0
    return pa.Table.from_pylist(rows)


def concentration(ctx: Context) -> pa.Table:
    """Market concentration of applicants: CR4, CR8 (share of the top 4/8) and HHI (0-10000)."""
    counts = ctx.ranking().select("entity", n="applications")
    total = counts.n.sum()
    ranked = counts.mutate(share=counts.n / total, rank=ibis.row_number().over(order_by=ibis.desc(counts.n)))
    stats = ranked.aggregate(
        applicants=ranked.count(),
        cr4=ranked.share.sum(where=ranked["rank"] < 4),
        cr8=ranked.share.sum(where=ranked["rank"] < 8),
        hhi=((ranked.share * 100) ** 2).sum(),
    )
    row = _to_arrow(stats).to_pylist()[0]
    return pa.Table.from_pylist(
        [
            {
                "applicants": row["applicants"],
                "applications": len(ctx.keys),
                "cr4": round(row["cr4"] or 0.0, 4),
                "cr8": round(row["cr8"] or 0.0, 4),
                "hhi": round(row["hhi"] or 0.0, 1),
            }
        ]
    )


def _pairs(members: ir.Table, name: str, extra: tuple[str, ...] = ()) -> ir.Table:
    """Pairs of `name` values on the same application (a self-join), weighted by applications."""
    left = members.select("app_key", a=members[name], **{f"a_{e}": members[e] for e in extra})
    right = members.select("app_key", b=members[name], **{f"b_{e}": members[e] for e in extra})
    joined = left.join(right, "app_key").filter(lambda t: t.a < t.b)
    keys = ["a", "b", *[f"a_{e}" for e in extra], *[f"b_{e}" for e in extra]]
    return joined.group_by(keys).aggregate(weight=joined.count())  # members are distinct per application


def network(ctx: Context, min_weight: int = 1, limit: int = 200) -> pa.Table:
    """Co-applicant network: pairs of applicants on the same application, with weights;
    university-enterprise links flagged (产学研合作)."""
    if ctx.merges:  # the user's merge table changes the entities: pair them again
        pairs = _pairs(ctx.names(), "entity", ("etype",))
    else:  # pairs derived at ingest
        derived = ctx.table("entity_pairs")
        pairs = derived.group_by(["a", "b", "a_etype", "b_etype"]).aggregate(weight=derived.count())
    pairs = pairs.filter(pairs.weight >= min_weight)
    university_enterprise = (pairs.a_etype.isin(["university", "institute"]) & (pairs.b_etype == "enterprise")) | (
        pairs.b_etype.isin(["university", "institute"]) & (pairs.a_etype == "enterprise")
    )
    out = pairs.select(
        source="a", target="b", weight="weight", university_enterprise=university_enterprise,
        source_type="a_etype", target_type="b_etype",
    )  # fmt: skip
    return _to_arrow(out.order_by([ibis.desc("weight"), "source", "target"]).limit(limit))


def inventor_teams(ctx: Context, limit: int = 50) -> pa.Table:
    """Inventors who file together: pairs of inventors by shared applications (pairs derived at ingest)."""
    pairs = ctx.table("inventor_pairs")
    out = pairs.group_by(source=pairs.a, target=pairs.b).aggregate(weight=pairs.count())
    return _to_arrow(out.order_by([ibis.desc("weight"), "source", "target"]).limit(limit))


def most_cited(ctx: Context, limit: int = 20) -> pa.Table:
    """Most cited applications of the selection, by citations from anywhere in the warehouse."""
    links = ctx.cited()
    p = ctx.source("patents")
    counts = links.group_by("cited_app").aggregate(citations=links.count())
    out = counts.join(p, counts.cited_app == p.app_key).select(
        "cited_app", "citations", p.app_number, p.title, p.first_applicant
    )
    return _to_arrow(out.order_by([ibis.desc("citations"), "cited_app"]).limit(limit))


def citation_flows(ctx: Context, limit: int = 50) -> pa.Table:
    """Citations between applicants (first applicant of the citing and of the cited application)."""
    links = ctx.cited()
    p = ctx.source("patents").select("app_key", "first_applicant")
    citing = p.select(citing_app="app_key", citing="first_applicant")
    cited = p.select(cited_app="app_key", cited="first_applicant")
    named = links.join(citing, "citing_app").join(cited, "cited_app")
    named = named.filter((named.citing != "") & (named.cited != ""))
    grouped = _to_arrow(named.group_by(["citing", "cited"]).aggregate(citations=named.count())).to_pylist()
    flows: Counter[tuple[str, str]] = Counter()  # merge spellings (few distinct name pairs: cheap in Python)
    for row in grouped:
        flows[(canonical_name(row["citing"]), canonical_name(row["cited"]))] += row["citations"]
    ranked = sorted(flows.items(), key=lambda item: (-item[1], item[0]))[:limit]  # ties by name, on any engine
    out = [{"citing": a, "cited": b, "citations": n} for (a, b), n in ranked]
    return pa.Table.from_pylist(
        out, schema=pa.schema([("citing", pa.string()), ("cited", pa.string()), ("citations", pa.int64())])
    )


def terms(ctx: Context, limit: int = 50) -> pa.Table:
    """Top terms of titles and abstracts (Chinese words by rjieba, English words), in how many applications."""
    t = ctx.table("patent_terms")
    out = t.group_by("term").aggregate(applications=t.count())  # terms are distinct per application
    return _to_arrow(out.order_by([ibis.desc("applications"), "term"]).limit(limit))


def value(ctx: Context) -> pa.Table:
    """Value score distribution: applications per band of 10 points (scores from `ipnav.value.score`)."""
    from ipnav.value.service import scores_for_search

    name, _ = scores_for_search(ctx.warehouse, ctx.settings)
    v = ctx.table(name).filter(lambda t: t.score.notnull())
    band = (v.score // 10).clip(upper=9).cast("int64")
    # scores carry one decimal: summed as whole tenths, the mean is the same whatever order an engine adds in
    tenths = (v.score * 10).round().cast("int64")
    out = v.group_by(band=band).aggregate(applications=v.count(), tenths=tenths.sum())
    rows = {r["band"]: r for r in _to_arrow(out).to_pylist()}
    for r in rows.values():
        r["mean_score"] = math.floor(r["tenths"] / r["applications"] + 0.5) / 10  # half up, as SQL rounds
    table = [
        {
            "band": f"{b * 10}-{b * 10 + 10}",
            "applications": rows.get(b, {}).get("applications", 0),
            "mean_score": rows.get(b, {}).get("mean_score"),
        }
        for b in range(10)
    ]
    schema = pa.schema([("band", pa.string()), ("applications", pa.int64()), ("mean_score", pa.float64())])
    return pa.Table.from_pylist(table, schema=schema)


def high_value(ctx: Context) -> pa.Table:
    """Valid and high-value invention patents on the as-of date, and how many meet each criterion."""
    from ipnav.value import flags
    from ipnav.value.service import flag_policy, flags_for

    con = ctx.warehouse.con
    keys = None if ctx.everything else ctx._sel
    name, temporary = flags_for(ctx.warehouse, flag_policy(ctx.settings, ctx.as_of), keys)
    scope = f" SEMI JOIN {keys} USING (app_key)" if keys and not temporary else ""
    try:
        row = con.execute(
            f"""SELECT count(*) FILTER (WHERE valid_invention AND cnipa), count(*) FILTER (WHERE high_value),
                count(*) FILTER (WHERE high_value AND c_sei), count(*) FILTER (WHERE high_value AND c_family),
                count(*) FILTER (WHERE high_value AND c_maintained), count(*) FILTER (WHERE high_value AND c_pledge),
                count(*) FILTER (WHERE high_value AND c_award) FROM {name}{scope}"""
        ).fetchall()
    finally:
        if temporary:
            con.execute(f"DROP TABLE IF EXISTS {name}")
    labels = [
        ("valid_invention", "有效发明专利(国家知识产权局授权)"),
        ("high_value", "高价值发明专利"),
        *((c, flags.CRITERIA_ZH[c]) for c in flags.CRITERIA),
    ]
    counts = list(row[0]) if row else [0] * len(labels)
    return pa.table(
        {
            "measure": [k for k, _ in labels],
            "measure_zh": [zh for _, zh in labels],
            "applications": pa.array([int(c) for c in counts], pa.int64()),
        }
    )


@dataclass(frozen=True)
class Analysis:
    """A navigation analysis: `run(ctx, **options)` -> its table (charted by `ipnav.analytics.charts`)."""

    kind: str
    title_zh: str
    title_en: str
    run: Callable[..., pa.Table]
    record_kind: str = "patent"  # what it analyses (ipnav.kinds)


_ELSEWHERE: dict[str, Callable[..., pa.Table]] = {
    "applicant_ipc": applicant_ipc, "applicant_years": applicant_years, **MARK_ANALYSES,
}  # fmt: skip
ANALYSES: dict[str, Analysis] = {  # each analysis of the catalogue is the function of its name (above or imported)
    info.kind: Analysis(
        info.kind, info.title_zh, info.title_en, _ELSEWHERE.get(info.kind) or globals()[info.kind], info.record_kind
    )
    for info in CATALOG.values()
}


def run(ctx: Context, kind: str, **options: Any) -> pa.Table:
    """Run one analysis by name; UsageError naming the analyses there are."""
    if kind not in ANALYSES:
        from ipnav.errors import UsageError

        raise UsageError(f"unknown analysis {kind!r}; analyses are: {', '.join(ANALYSES)}")
    function = ANALYSES[kind].run
    takes = [name for name in inspect.signature(function).parameters if name != "ctx"]
    unknown = sorted(set(options) - set(takes))
    if unknown:
        from ipnav.errors import UsageError

        accepted = ", ".join(f"--{n.replace('_', '-')}" for n in takes) or "no options"
        raise UsageError(f"{kind} takes {accepted}, not {', '.join('--' + n.replace('_', '-') for n in unknown)}")
    return function(ctx, **options)
