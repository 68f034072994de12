"""Trademark watch commands (`ipnav watch ...`, 商标监测): add, list, remove and run watches."""

from __future__ import annotations

import re
from typing import Annotated, Any

import typer

from ipnav.cli.context import application, as_of
from ipnav.cli.output import JsonOption, out, respond, table
from ipnav.cli.root import app

watch_app = typer.Typer(help="Trademark watches (商标监测): similar marks filed by others.", no_args_is_help=True)
app.add_typer(watch_app, name="watch")

UserOption = Annotated[str, typer.Option("--user", help="Whose watches (the web user name).")]


@watch_app.command("add")
def watch_add(
    name: Annotated[str, typer.Argument(help="A name for the watch.")],
    mark: Annotated[str, typer.Option("--mark", help="The words of the mark to guard.")] = "",
    owner: Annotated[str, typer.Option("--owner", help="Guard every mark this owner holds.")] = "",
    classes: Annotated[str, typer.Option("--classes", help="Nice classes, e.g. 30,32.")] = "",
    groups: Annotated[str, typer.Option("--groups", help="Similar groups (类似群), e.g. 3002.")] = "",
    threshold: Annotated[int, typer.Option("--threshold", min=1, max=100, help="Lowest score reported.")] = 60,
    user: UserOption = "admin",
    as_json: JsonOption = False,
) -> None:
    """Watch a mark (--mark) or every mark of an owner (--owner) for similar marks filed by others."""
    watch = application().watches.add(
        user, name, mark=mark, holder=owner, threshold=threshold,
        classes=[int(c) for c in re.split(r"[,\s]+", classes) if c.strip().isdigit()],
        groups=[g for g in re.split(r"[,\s;]+", groups) if g],
    )  # fmt: skip
    respond(watch, as_json, lambda w: out.print(f"监测已保存 watch saved: {w['name']}"))


@watch_app.command("list")
def watch_list(user: Annotated[str | None, typer.Option("--user", help="Only this user's.")] = None,
               as_json: JsonOption = False) -> None:  # fmt: skip
    """The watches."""
    respond(
        application().watches.listing(user), as_json,
        lambda rows: table(
            ["名称 name", "用户 user", "商标 mark", "权利人 owner", "类别 classes", "类似群 groups", "阈值 threshold"],
            [(w["name"], w["owner"], w["mark"], w["holder"], ",".join(map(str, w["classes"])), ",".join(w["groups"]),
              w["threshold"]) for w in rows],
            title="商标监测 watches",
        ),
    )  # fmt: skip


@watch_app.command("remove")
def watch_remove(name: Annotated[str, typer.Argument(help="The watch's name.")], user: UserOption = "admin") -> None:
    """Remove a watch."""
    application().watches.remove(user, name)
    out.print(f"监测已删除 watch removed: {name}")


@watch_app.command("run")
def watch_run(
    since: Annotated[str | None, typer.Option("--since", help="Marks published on or after (YYYY-MM-DD).")] = None,
    user: Annotated[str | None, typer.Option("--user", help="Only this user's watches.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Run the watches: similar marks of others, with score, reasons and the deadline to oppose."""

    def show(d: dict[str, Any]) -> None:
        for run in d["watches"]:
            table(
                ["新 new", "分数 score", "商标 mark", "号码 number", "权利人 owner", "公告日 published",
                 "异议截止 deadline", "理由 reasons"],
                [("●" if h["new"] else "", h["score"], h["text"], h["number"], h["owner"], h["publication_date"] or "-",
                  h["deadline"] or "-", "; ".join(h["reasons"])) for h in run["hits"]],
                title=f"监测 {run['watch']}: {len(run['hits'])} 件",
            )  # fmt: skip
        rules = sorted({h["rule"] for run in d["watches"] for h in run["hits"]})
        for rule in rules:
            out.print(f"  异议期限规则 rule: {rule}")

    respond(application().watch_run(since=as_of(since), user=user), as_json, show)
