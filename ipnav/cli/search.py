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
from ipnav.errors import UsageError


@app.command()
@with_options(SearchOptions, exclude=("q",), defaults={"facets": False})
def search(
    query: Annotated[str, typer.Argument(help="Query, e.g. 'ti=锂电池 AND ad>=2020' (see docs/query-language.md).")],
    all_hits: Annotated[bool, typer.Option("--all", help="Stream every hit (JSON lines with --json).")] = False,
    semantic: Annotated[
        bool,
        typer.Option("--semantic", help="语义检索: QUERY describes the technology, any language (ipnav embed first)."),
    ] = False,
    as_json: JsonOption = False,
    *,
    options: SearchOptions,
) -> None:
    """Search patents with the fielded boolean query language (no caps on results), or by meaning."""
    ipnav = application()
    if semantic:
        found = ipnav.semantic_search(query, limit=options.limit)

        def show_semantic(data: dict[str, Any]) -> None:
            covered = data["coverage"]
            out.print(f"语义检索 semantic: {data['total']} hits · {covered['embedded']}/{covered['applications']} "
                      "applications embedded")  # fmt: skip
            table(
                ["#", "相似度 similarity", "申请号 application", "名称 title", "申请人 applicant"],
                [(i, f"{h['semantic']:.3f}", h["app_number"] or h["app_key"], (h["title"] or "")[:60],
                  "; ".join(h["applicants"] or [])[:40]) for i, h in enumerate(data["hits"], 1)],
            )  # fmt: skip

        respond(found, as_json, show_semantic)
        return
    if all_hits:
        count = 0
        for row in ipnav.search_all(options.model_copy(update={"q": query}).query()):
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
    """Patents most similar to one patent: its distinctive terms (BM25), its semantic neighbours (any language),
    citations either way and shared IPC subclasses, fused by reciprocal rank; each hit says why."""

    def show(data: dict[str, Any]) -> None:
        out.print(f"相似专利 similar to {number} · {data['method']}")
        out.print(f"关键词 terms: {', '.join(data['terms'][:12])}")
        table(
            ["#", "申请号 application", "名称 title", "得分 score", "依据 why"],
            [(i, h["app_number"] or h["app_key"], (h["title"] or "")[:50], h["score"], why(h["reasons"]))
             for i, h in enumerate(data["hits"], 1)],
        )  # fmt: skip

    respond(application().similar(number, limit=limit), as_json, show)


def why(reasons: dict[str, Any]) -> str:
    """The reasons of a similar hit in one short line."""
    parts = []
    if reasons.get("lexical_rank"):
        parts.append(f"词 terms #{reasons['lexical_rank']}")
    if reasons.get("semantic") is not None:
        parts.append(f"语义 cos {reasons['semantic']:.2f}")
    if reasons.get("citation"):
        parts.append({"cites": "引用 cites", "cited_by": "被引 cited by"}[reasons["citation"]])
    if reasons.get("shared_ipc"):
        parts.append("IPC " + ",".join(reasons["shared_ipc"]))
    return " · ".join(parts)


@app.command()
def lookup(
    source: Annotated[str, typer.Argument(help="File of numbers (one per line, or comma separated), or - for stdin.")],
    as_json: JsonOption = False,
) -> None:
    """Look up a list of patent numbers in any spelling (up to 10,000): found, not found, ambiguous."""
    from pathlib import Path

    from ipnav.store.lookup import parse_numbers

    if source == "-":
        text = sys.stdin.read()
    else:
        path = Path(source)
        if not path.is_file():
            raise UsageError(f"{source}: no such file (give a file of numbers, or - for standard input)")
        text = path.read_text(encoding="utf-8-sig", errors="replace")

    def show(data: dict[str, Any]) -> None:
        out.print(
            f"号码 numbers {data['numbers']} · 找到 found {len(data['found'])} · "
            f"未找到 not found {len(data['not_found'])} · 有歧义 ambiguous {len(data['ambiguous'])}"
        )
        table(
            ["输入 input", "申请号 application", "名称 title", "申请人 applicant"],
            [(r["input"], r["app_number"] or r["app_key"], (r["title"] or "")[:50], r["first_applicant"] or "")
             for r in data["found"]],
        )  # fmt: skip
        for row in data["not_found"]:
            hint = f" (相近 close: {', '.join(row['suggest'])})" if row["suggest"] else ""
            out.print(f"未找到 not found: {row['input']}{hint}")
        for row in data["ambiguous"]:
            out.print(f"有歧义 ambiguous: {row['input']} → {', '.join(c['app_key'] for c in row['candidates'])}")

    respond(application().lookup(parse_numbers(text)), as_json, show)


@app.command()
def embed(
    as_json: JsonOption = False,
    workers: Annotated[int | None, typer.Option(help="Encoder processes (default: the `workers` setting).")] = None,
) -> None:
    """Compute the semantic vectors of applications that have none or a stale one (resumable), then the
    vector index: what `ipnav search --semantic` and the search page's semantic mode read."""
    ipnav = application()
    if sys.stderr.isatty() and not as_json:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        bar = Progress(TextColumn("[bold]向量 embed"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                       console=err, transient=True)  # fmt: skip
        task = bar.add_task("", total=None)
        with bar:
            data = ipnav.embed(
                workers=workers, progress=lambda done, total: bar.update(task, completed=done, total=total)
            )
    else:  # a log, a pipe: a line per write on standard error
        data = ipnav.embed(workers=workers, progress=lambda done, total: err.print(f"向量 embed {done}/{total}"))
    respond(
        data,
        as_json,
        f"向量 computed {data['computed']} · 覆盖 coverage {data['embedded']}/{data['applications']} "
        f"({data['share']:.1%}) · index {data['index']['vectors']} vectors · {data['seconds']:.1f}s",
    )
