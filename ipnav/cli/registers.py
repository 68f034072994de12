"""Register commands (`ipnav registers ...`): the registers and their counts, a register's records with a
query and filters, one record, the export and the Excel import template. Loading is `ipnav ingest`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ipnav.cli.context import application
from ipnav.cli.output import JsonOption, out, respond, table
from ipnav.cli.root import app

reg_app = typer.Typer(
    help="Other registers (地理标志, 版权, 植物新品种, 转让/许可/质押, 案件, 信用名单, 认定名单, 技术合同): "
    "list, search, show, export, template.",
    no_args_is_help=True,
)
app.add_typer(reg_app, name="registers")

NameArg = Annotated[str, typer.Argument(help="gi, gi_user, copyright, plant_variety, ip_transaction, case, credit, "
                                             "listing, tech_contract")]  # fmt: skip
QueryArg = Annotated[str, typer.Argument(help="Words (all present), or field:value (number:, holder:, kind:质押 ...).")]
SubtypeOpt = Annotated[str, typer.Option("--subtype", help="A sub-type code (agri, software, pledge ...).")]
RegionOpt = Annotated[str, typer.Option("--region", help="adcode prefix of the holder's region (32, 3204, 511922).")]
YearOpt = Annotated[str, typer.Option("--year", help="Year of the record's date.")]


def _filters(subtype: str, region: str, year: str) -> dict[str, str]:
    return {k: v for k, v in (("subtype", subtype), ("region", region), ("year", year)) if v}


@reg_app.command("list")
def registers_list(as_json: JsonOption = False) -> None:
    """Every register with its record counts by sub-type and how many have a region."""
    respond(
        application().registers(), as_json,
        lambda d: table(
            ["名录 register", "名称", "记录 records", "有地区 with region", "分类 sub-types"],
            [(r["name"], r["title_zh"], r["records"], r["with_region"],
              " ".join(f"{s['zh']} {s['records']}" for s in r["subtypes"] if s["records"])) for r in d],
        ),
    )  # fmt: skip


@reg_app.command("records")
def registers_records(
    name: NameArg, query: QueryArg = "", subtype: SubtypeOpt = "", region: RegionOpt = "", year: YearOpt = "",
    page: Annotated[int, typer.Option("--page", min=1)] = 1,
    per_page: Annotated[int, typer.Option("--per-page", min=1, max=10000)] = 50,
    as_json: JsonOption = False,
) -> None:  # fmt: skip
    """A register's records matching a query and filters, with facet counts."""

    def show(d: dict[str, Any]) -> None:
        table(
            ["编号 number", "名称 name", "权利人 holder", "类型 type", "日期 date", "地区 region", "key"],
            [(r["number"], r["name"], r["holder"], r["subtype_zh"], r["date"] or r["year"] or "",
              " ".join(x for x in (r["province"], r["city"], r["county"]) if x), r["app_key"]) for r in d["records"]],
            title=f"{d['register']['title_zh']} {d['total']:,} 条 records (page {d['page']})",
        )  # fmt: skip
        for facet in ("subtype", "province", "year"):
            values = " · ".join(f"{v['label'] or '-'} {v['records']}" for v in d["facets"].get(facet, [])[:12])
            out.print(f"{facet}: {values}", highlight=False)

    data = application().register_records(name, query, _filters(subtype, region, year), page=page, per_page=per_page)
    respond(data, as_json, show)


@reg_app.command("show")
def registers_show(
    key: Annotated[str, typer.Argument(help="The record's key (R:gi:…), as `registers records` lists it.")],
    as_json: JsonOption = False,
) -> None:
    """One register record in full: fields, region and its basis, source, notes and links."""

    def show(d: dict[str, Any]) -> None:
        out.print(f"[bold]{d['register_title_zh']} · {d['subtype_zh']}[/bold] {d['number'] or ''} {d['name'] or ''}")
        for f in d["fields"]:
            value = "; ".join(f["value"]) if isinstance(f["value"], list) else f["value"]
            out.print(f"  {f['zh']} {f['en']}: {value}", highlight=False)
        place = " ".join(x for x in (d["province"], d["city"], d["county"]) if x) or "-"
        out.print(f"  地区 region: {place} {d['adcode'] or ''} · 依据 basis: {d['region_basis_zh'] or '-'}")
        if d.get("deadline"):
            out.print(f"  结案期限 deadline: {d['deadline']} ({d['rule']}) · {d.get('closure_state', '')}")
        if d["notes"]:
            out.print(f"  说明 notes: {d['notes']}", highlight=False)
        out.print(f"  来源 source: {d['source_file']} #{d['source_position']}", style="dim")
        for link, rows in d["links"].items():
            out.print(f"  {link}: {len(rows)}")

    respond(application().register_record(key), as_json, show)


@reg_app.command("export")
def registers_export(
    name: NameArg,
    output: Annotated[Path, typer.Option("--output", "-o", help="The .xlsx to write.")],
    query: QueryArg = "", subtype: SubtypeOpt = "", region: RegionOpt = "", year: YearOpt = "",
) -> None:  # fmt: skip
    """Every matching record of a register to Excel (one column per field, Chinese and English headers)."""
    count = application().register_export(name, query, _filters(subtype, region, year), output)
    out.print(f"{count:,} records → {output}")


@reg_app.command("template")
def registers_template(
    name: NameArg,
    output: Annotated[Path, typer.Option("--output", "-o", help="The .xlsx to write.")],
) -> None:
    """The Excel import template of a register (required columns marked, lists and checks on the cells)."""
    application().register_template(name, output)
    out.print(f"template → {output} (fill it in, then `ipnav ingest {output}`)")
