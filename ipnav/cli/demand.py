"""Supply and demand commands (技术供需对接): `ipnav demand ...` enters, imports, lists and matches
enterprises' demands, writes the matchmaking workbook and tells which demands a patent or an owner fits;
`ipnav offer ...` enters and lists the offers of tech-transfer offices."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ipnav.cli.context import application
from ipnav.cli.output import JsonOption, err, out, problems, respond, table
from ipnav.cli.root import app
from ipnav.errors import UsageError

demand_app = typer.Typer(help="Enterprises' technology demands (企业技术需求): add, import, list, match, export.",
                         no_args_is_help=True)  # fmt: skip
offer_app = typer.Typer(help="Offers of tech-transfer offices (可转化成果): add, import, list.", no_args_is_help=True)
app.add_typer(demand_app, name="demand")
app.add_typer(offer_app, name="offer")

TitleOpt = Annotated[str, typer.Option("--title", help="A short name of the need or the offer.")]
DescriptionOpt = Annotated[str, typer.Option("--description", help="What is needed (problem, targets) or offered.")]
RegionOpt = Annotated[str, typer.Option("--region", help="Where: a place (常州市武进区) or a 6-digit division code.")]
IpcOpt = Annotated[list[str] | None, typer.Option("--ipc", help="IPC codes if known (repeat): H01M, G06F16/00.")]
FieldOpt = Annotated[str, typer.Option("--field", help="Technology field (技术领域).")]
KeywordOpt = Annotated[list[str] | None, typer.Option("--keyword", help="A keyword (repeat).")]
ContactOpt = Annotated[str, typer.Option("--contact", help="Contact person (shown to analysts only).")]
PhoneOpt = Annotated[str, typer.Option("--phone", help="Phone or e-mail (shown to analysts only).")]
WaysOpt = Annotated[list[str] | None, typer.Option("--cooperation", help="技术转让, 专利许可, 合作开发 ... (repeat).")]
UserOpt = Annotated[str, typer.Option("--user", help="The web user who follows it (hears of new matches).")]
StatusOpt = Annotated[str, typer.Option("--status", help="valid (有效, default), live (有效+审中) or all.")]
OwnerTypeOpt = Annotated[
    list[str] | None, typer.Option("--owner-type", help="Only these owner types: university, institute, enterprise.")
]
LimitOpt = Annotated[int, typer.Option("--limit", min=1, max=500, help="Patents per demand.")]


def _place(region: str) -> dict[str, str]:
    region = region.strip()
    if not region:
        return {}
    return {"adcode": region} if re.fullmatch(r"\d{6}", region) else {"address": region}


def _match_options(status: str, owner_type: list[str] | None, open_licence: bool, limit: int) -> Any:
    from ipnav.matching.match import MatchOptions

    return MatchOptions(limit=limit, status=status, owner_types=tuple(owner_type or ()), open_licence=open_licence)


@demand_app.command("add")
def demand_add(
    title: TitleOpt, description: DescriptionOpt,
    enterprise: Annotated[str, typer.Option("--enterprise", help="The enterprise with the need (需求单位).")] = "",
    region: RegionOpt = "", ipc: IpcOpt = None, field: FieldOpt = "", keyword: KeywordOpt = None,
    budget: Annotated[str, typer.Option("--budget", help="Budget in 万元 (10k yuan), or with a unit: 50万元.")] = "",
    deadline: Annotated[str, typer.Option("--deadline", help="Last day to answer (2027-06-30).")] = "",
    cooperation: WaysOpt = None, contact: ContactOpt = "", phone: PhoneOpt = "", user: UserOpt = "admin",
    as_json: JsonOption = False,
) -> None:  # fmt: skip
    """Enter a demand: checked like an imported row, numbered (XQ + date + sequence), then matched."""
    values = {"title": title, "description": description, "holder": enterprise, "ipc": ipc or [], "field": field,
              "keywords": keyword or [], "budget": budget, "deadline": deadline, "cooperation": cooperation or [],
              "contact": contact, "phone": phone, **_place(region)}  # fmt: skip
    stored = application(create=True).add_need("tech_demand", values, user=user)
    respond(stored, as_json, f"需求已登记 demand saved: {stored['number']} {stored['name']} ({stored['app_key']})")


@offer_app.command("add")
def offer_add(
    title: TitleOpt, description: DescriptionOpt,
    holder: Annotated[str, typer.Option("--holder", help="The university, institute or firm that offers it.")],
    patent: Annotated[list[str] | None, typer.Option("--patent", help="A patent number it covers (repeat).")] = None,
    region: RegionOpt = "", ipc: IpcOpt = None, field: FieldOpt = "", keyword: KeywordOpt = None,
    price: Annotated[str, typer.Option("--price", help="Asking price in 万元.")] = "",
    cooperation: WaysOpt = None, contact: ContactOpt = "", phone: PhoneOpt = "", as_json: JsonOption = False,
) -> None:  # fmt: skip
    """Enter an offer of a tech-transfer office (checked, numbered CG + date + sequence)."""
    values = {"title": title, "description": description, "holder": holder, "numbers": patent or [], "ipc": ipc or [],
              "field": field, "keywords": keyword or [], "amount": price, "cooperation": cooperation or [],
              "contact": contact, "phone": phone, **_place(region)}  # fmt: skip
    stored = application(create=True).add_need("tech_offer", values)
    respond(stored, as_json, f"成果已登记 offer saved: {stored['number']} {stored['name']} ({stored['app_key']})")


def _import(register: str, file: Path, as_json: bool) -> None:
    ipnav = application(create=True)
    if not file.is_file():
        raise UsageError(f"{file}: no such file")
    kind = ipnav.table_kind(file.read_bytes(), file.name)
    if kind != register:
        spec = ipnav.register_spec(register)
        required = "、".join(f.zh for f in spec.fields if f.required)
        raise UsageError(f"{file}: not a {spec.title_zh} table ({kind or 'headers not recognised'}); it needs the "
                         f"columns {required} (`ipnav {register[5:]} template` writes one)")  # fmt: skip
    lines: list[str] = []
    summary = ipnav.ingest([file], on_reject=lambda r: lines.append(f"{r.source_file}: row {r.position}: "
                                                                    f"{r.field}: {r.reason}"))  # fmt: skip
    data = summary.as_dict()
    problems(lines)
    respond({k: data[k] for k in ("records", "inserted", "updated", "unchanged", "rejected")}, as_json,
            f"记录 records {summary.records} · 新增 inserted {summary.inserted} · 更新 updated {summary.updated} · "
            f"未变 unchanged {summary.unchanged} · 拒收 rejected {summary.rejected}")  # fmt: skip
    if summary.rejected:
        raise typer.Exit(3)


@demand_app.command("import")
def demand_import(file: Annotated[Path, typer.Argument(help="A CSV or XLSX of demands.")],
                  as_json: JsonOption = False) -> None:  # fmt: skip
    """Import demands from a table (the template's or a platform's export, headers recognised); bad rows are
    rejected with row and field, the others kept; importing again changes nothing."""
    _import("tech_demand", file, as_json)


@offer_app.command("import")
def offer_import(file: Annotated[Path, typer.Argument(help="A CSV or XLSX of offers.")],
                 as_json: JsonOption = False) -> None:  # fmt: skip
    """Import offers from a table (bad rows rejected with row and field)."""
    _import("tech_offer", file, as_json)


@demand_app.command("template")
def demand_template(out_file: Annotated[Path, typer.Argument(help="Where to write the .xlsx template.")]) -> None:
    """The Excel template for demands (required columns marked, lists and dates validated)."""
    out.print(str(application(create=True).register_template("tech_demand", out_file)))


@offer_app.command("template")
def offer_template(out_file: Annotated[Path, typer.Argument(help="Where to write the .xlsx template.")]) -> None:
    """The Excel template for offers."""
    out.print(str(application(create=True).register_template("tech_offer", out_file)))


def _needs_table(rows: list[dict[str, Any]], who: str) -> None:
    table(["编号 number", "名称 title", who, "地区 region", "日期 date", "key"],
          [(r["number"], r["name"], r["holder"], " ".join(x for x in (r["province"], r["city"], r["county"]) if x),
            r["date"], r["app_key"]) for r in rows])  # fmt: skip


@demand_app.command("list")
def demand_list(
    every: Annotated[bool, typer.Option("--all", help="Also demands marked solved or closed.")] = False,
    as_json: JsonOption = False,
) -> None:
    """The demands, newest first."""
    rows = application().list_needs("tech_demand", open_only=not every)
    respond(rows, as_json, lambda d: _needs_table(d, "需求单位 enterprise"))


@offer_app.command("list")
def offer_list(as_json: JsonOption = False) -> None:
    """The offers, newest first."""
    respond(application().list_needs("tech_offer"), as_json, lambda d: _needs_table(d, "持有单位 holder"))


def _show_match(data: dict[str, Any]) -> None:
    d = data["demand"]
    out.print(f"[bold]{d['number']} {d['name']}[/bold] · {d['holder']} · {data['method']}")
    columns = ["#", "申请号 application", "名称 title", "权利人 owner", "类型 type", "价值 value", "地区 region",
               "得分 score", "依据 why"]  # fmt: skip
    rows = []
    for i, h in enumerate(data["patents"], 1):
        why = h["reasons"]
        rows.append((i, h["app_number"] or h["app_key"], (h["title"] or "")[:36], "; ".join(h["applicants"] or [])[:24],
                     why["owner_type_zh"], why["value"], why["region_zh"], h["score"], _why(why)))  # fmt: skip
    table(columns, rows)
    if data["offers"]:
        offers = [(o["name"], o["holder"], o["score"], "、".join(o["reasons"]["terms"])) for o in data["offers"]]
        table(["成果 offer", "持有单位 holder", "得分 score", "共同词 terms"], offers)


def _why(reasons: dict[str, Any]) -> str:
    parts = []
    if reasons.get("terms"):
        parts.append("词 " + "、".join(reasons["terms"][:4]))
    if reasons.get("semantic") is not None:
        parts.append(f"语义 {reasons['semantic']:.2f}")
    if reasons.get("shared_ipc"):
        parts.append("IPC " + ",".join(reasons["shared_ipc"]))
    if reasons.get("open_licence"):
        parts.append("开放许可")
    return " · ".join(parts)


@demand_app.command("match")
def demand_match(
    demand: Annotated[str | None, typer.Argument(help="The demand's number (XQ…) or key (R:tech_demand:…).")] = None,
    every: Annotated[bool, typer.Option("--all", help="Every open demand.")] = False,
    status: StatusOpt = "valid", owner_type: OwnerTypeOpt = None,
    open_licence: Annotated[bool, typer.Option("--open-licence", help="Only patents with an open licence.")] = False,
    limit: LimitOpt = 10, as_json: JsonOption = False,
) -> None:  # fmt: skip
    """The patents and offers that could meet a demand (or every open demand), each with its reasons."""
    if bool(demand) == every:
        raise UsageError("name one demand or give --all / 指定一个需求或 --all")
    ipnav = application()
    options = _match_options(status, owner_type, open_licence, limit)
    keys = [demand] if demand else [r["app_key"] for r in ipnav.list_needs("tech_demand", open_only=True)]
    results = [ipnav.demand_matches(key, options) for key in keys]
    if as_json:
        respond(results[0] if demand else results, True, "")
        return
    for result in results:
        _show_match(result)


@demand_app.command("export")
def demand_export(
    out_file: Annotated[Path, typer.Argument(help="The matchmaking workbook to write (.xlsx).")],
    demand: Annotated[list[str] | None, typer.Option("--demand", help="Only these demands (repeat); default all open.")]
    = None,
    status: StatusOpt = "valid", owner_type: OwnerTypeOpt = None, limit: LimitOpt = 20, as_json: JsonOption = False,
) -> None:  # fmt: skip
    """The matchmaking list of a 对接会: an overview sheet and one sheet per demand with its patents and offers."""
    ipnav = application()

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty() and not as_json:
            err.print(f"\r匹配 matching {done}/{total}", end="")

    data = ipnav.matchmaking_workbook(list(demand or []), _match_options(status, owner_type, False, limit), out_file,
                                      progress=progress)  # fmt: skip
    respond(data, as_json, f"{data['file']}: 需求 demands {data['demands']} · 专利 patents {data['patents']} · "
                           f"成果 offers {data['offers']}")  # fmt: skip


@demand_app.command("fits")
def demand_fits(
    patent: Annotated[str, typer.Option("--patent", help="A patent's number: which demands it fits.")] = "",
    owner: Annotated[str, typer.Option("--owner", help="An owner: which demands its valid patents fit.")] = "",
    limit: Annotated[int, typer.Option("--limit", min=1, max=500)] = 20, as_json: JsonOption = False,
) -> None:  # fmt: skip
    """Who needs my patents: the open demands a patent or an owner's valid patents fit, with the patent that
    fits each best and why."""
    data = application().demands_for(number=patent, owner=owner, limit=limit)
    respond(data, as_json, lambda d: table(
        ["需求 demand", "需求单位 enterprise", "最匹配专利 best patent", "得分 score", "依据 why"],
        [(f"{x['number']} {x['name']}", x["holder"], x["patent"]["app_number"] or x["patent"]["app_key"], x["score"],
          _why(x["reasons"])) for x in d["demands"]],
    ))  # fmt: skip


@demand_app.command("follow")
def demand_follow(
    demand: Annotated[str | None, typer.Argument(help="A demand's number or key: hear of new patents that fit.")]
    = None,
    owner: Annotated[str, typer.Option("--owner", help="An owner: hear of new demands its patents fit.")] = "",
    user: UserOpt = "admin",
) -> None:  # fmt: skip
    """Follow a demand or an owner: new matches arrive as alerts (inbox, feed, e-mail, webhook)."""
    ipnav = application()
    if bool(demand) == bool(owner):
        raise UsageError("name a demand or give --owner / 指定需求或 --owner")
    if demand:
        key = next((r["app_key"] for r in ipnav.list_needs("tech_demand") if demand in (r["app_key"], r["number"])),
                   None)  # fmt: skip
        if key is None:
            raise UsageError(f"no demand {demand!r}: `ipnav demand list` shows them")
        ipnav.follow_demand(user, key)
    else:
        ipnav.follow_owner(user, owner)
    out.print(f"{user} follows {demand or owner}")
