"""Search commands: search (one page, or every hit) and similar."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from ipnav.application.options import SearchOptions
from ipnav.cli.context import application
from ipnav.cli.options import with_options
from ipnav.cli.output import JsonOption, err, out, respond, table
from ipnav.cli.root import app


@app.command()
@with_options(SearchOptions, exclude=("q",), defaults={"facets": False})
def search(
    query: Annotated[str, typer.Argument(help="Query, e.g. 'ti=锂电池 AND ad>=2020' (see docs/query-language.md).")],
    all_hits: Annotated[bool, typer.Option("--all", help="Stream every hit (JSON lines with --json).")] = False,
    as_json: JsonOption = False,
    *,
    options: SearchOptions,
) -> None:
    """Search patents with the fielded boolean query language; no caps on results."""
    ipnav = application()
    if all_hits:
        count = 0
        for row in ipnav.search_all(query):
            count += 1
            if as_json:
                sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            else:
                sys.stdout.write(
                    f"{row['app_number'] or row['app_key']}\t{row['first_pub_number']}\t"
                    f"{row['filing_date'] or ''}\t{row['title']}\n"
                )
        if not as_json:
            err.print(f"{count} hits")
        return
    ipnav.check_index()
    data = ipnav.search(options.model_copy(update={"q": query}))

    def show(data: dict[str, Any]) -> None:
        out.print(f"命中 hits: {data['total']}  (query: {query})")
        table(
            ["#", "申请号 application", "公开号 publication", "申请日 filed", "名称 title", "申请人 applicant"],
            [
                (i, hit["app_number"] or hit["app_key"], hit["first_pub_number"] or "", hit["filing_date"] or "",
                 (hit["title"] or "")[:60], "; ".join(hit["applicants"] or [])[:40])
                for i, hit in enumerate(data["hits"], 1)
            ],
        )  # fmt: skip
        for name, buckets in (data.get("facets") or {}).items():
            out.print(f"[bold]{name}[/bold]: " + ", ".join(f"{k} ({v})" for k, v in list(buckets.items())[:10]))
        if data["cursor"]:
            out.print(f"next page: --cursor {data['cursor']}")

    respond(data, as_json, show)


@app.command()
def similar(
    number: Annotated[str, typer.Argument(help="Application or publication number.")],
    limit: Annotated[int, typer.Option(help="How many similar patents.")] = 10,
    as_json: JsonOption = False,
) -> None:
    """Patents most similar to one patent (distinctive terms of its title, abstract, first claim)."""

    def show(data: dict[str, Any]) -> None:
        out.print(f"相似专利 similar to {number} · terms: {', '.join(data['terms'][:12])}")
        table(
            ["#", "申请号 application", "名称 title", "得分 score"],
            [(i, h["app_number"] or h["app_key"], (h["title"] or "")[:60], h["score"]) for i, h in
             enumerate(data["hits"], 1)],
        )  # fmt: skip

    respond(application().similar(number, limit=limit), as_json, show)
