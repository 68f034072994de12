"""Trademark commands (`ipnav tm ...`): show one mark, search marks."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ipnav.cli.context import application
from ipnav.cli.output import JsonOption, out, respond, table
from ipnav.cli.root import app

tm_app = typer.Typer(help="Trademarks (商标): show a mark, search marks.", no_args_is_help=True)
app.add_typer(tm_app, name="tm")


@tm_app.command("show")
def tm_show(
    number: Annotated[str, typer.Argument(help="Application or registration number, any spelling.")],
    as_json: JsonOption = False,
) -> None:
    """One trademark in full: classes and goods, dates, status, owners, agents, events."""

    def show(d: dict[str, Any]) -> None:
        out.print(f"[bold]{d['text'] or '(图形)'}[/bold]  {d['number']}  {d['registration_number'] or ''}")
        out.print(f"  状态 status: {d['status']} ({d['status_raw']}) · 类型 type: {d['type']} · {d['kind']}")
        out.print(f"  申请日 filed {d['filing_date'] or '-'} · 注册日 registered {d['registration_date'] or '-'} "
                  f"· 到期 expires {d['expiry_date'] or '-'}")  # fmt: skip
        for owner in d["owners"]:
            out.print(f"  权利人 owner: {owner['name']} {owner['address'] or ''} {owner['country'] or ''}")
        for goods in d["goods"]:
            text = goods["goods_zh"] or goods["goods_en"] or ""
            out.print(f"  第{goods['class_no']}类 {' '.join(goods['groups'] or [])} {text[:100]}")

    respond(application().trademark(number), as_json, show)


@tm_app.command("search")
def tm_search(
    query: Annotated[
        str, typer.Argument(help="Words of the mark (pinyin too), word~1, class=25 status=registered ...")
    ],
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000, help="Marks per page.")] = 20,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Marks to skip.")] = 0,
    all_hits: Annotated[bool, typer.Option("--all", help="Every mark that matches (no page).")] = False,
    sort: Annotated[str | None, typer.Option("--sort", help="relevance, ad, -ad, rd, -rd.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Search trademarks: mark text (folded, traditional = simplified, pinyin), fuzzy, fields, facets."""
    ipnav = application()
    data = ipnav.trademark_search(query, limit=1000 if all_hits else limit, offset=offset, sort=sort)
    if all_hits:
        while len(data["hits"]) < data["total"]:
            more = ipnav.trademark_search(
                query, limit=1000, offset=offset + len(data["hits"]), sort=data["sort"], facets=False
            )
            if not more["hits"]:
                break
            data["hits"] += more["hits"]
    respond(
        data, as_json,
        lambda d: table(
            ["号码 number", "商标 mark", "类别 classes", "状态 status", "申请日 filed", "权利人 owner"],
            [(h["number"], h["text"], ",".join(str(c) for c in h["classes"] or []), h["status"], h["filing_date"],
              h["first_owner"]) for h in d["hits"]],
            title=f"商标检索 {d['total']:,} marks",
        ),
    )  # fmt: skip
