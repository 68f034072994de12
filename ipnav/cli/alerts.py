"""Alert commands (`ipnav alerts ...`): a user's notifications, the e-mail address they go to, and the
deliveries (e-mail, webhook) with a retry."""

from __future__ import annotations

from typing import Annotated

import typer

from ipnav.cli.context import application
from ipnav.cli.output import JsonOption, out, respond, table
from ipnav.cli.root import app

alerts_app = typer.Typer(help="Alerts (提醒) of saved searches and trademark watches.", no_args_is_help=True)
app.add_typer(alerts_app, name="alerts")


@alerts_app.command("list")
def alerts_list(
    user: Annotated[str, typer.Option("--user", help="Whose notifications.")] = "admin",
    unread: Annotated[bool, typer.Option("--unread", help="Unread ones only.")] = False,
    as_json: JsonOption = False,
) -> None:
    """A user's notifications, newest first."""
    respond(
        application().alerts.inbox(user, unread=unread), as_json,
        lambda rows: table(
            ["时间 time", "来源 from", "新记录 record", "链接 link", "已读 read"],
            [(n["created_at"][:16], f"{n['kind']}: {n['source']}", n["title"], n["link"], "✓" if n["read_at"] else "")
             for n in rows],
            title=f"提醒 alerts: {user}",
        ),
    )  # fmt: skip


@alerts_app.command("email")
def alerts_email(
    user: Annotated[str, typer.Argument(help="The user.")],
    address: Annotated[str, typer.Argument(help="E-mail address ('' clears it).")],
    as_json: JsonOption = False,
) -> None:
    """Set the address a user's alerts are mailed to (SMTP settings: smtp_host, smtp_port, smtp_from ...)."""
    respond(application().alerts.set_email(user, address), as_json,
            lambda p: out.print(f"{user}: {p['email'] or '(无 none)'}"))  # fmt: skip


@alerts_app.command("deliver")
def alerts_deliver(as_json: JsonOption = False) -> None:
    """Send the queued e-mails and webhook posts now, failed ones too (each is tried at most 5 times)."""
    respond(application().deliver_alerts(now=True), as_json,
            lambda r: out.print(f"已发送 sent {r['sent']} · 失败 failed {r['failed']}"))  # fmt: skip


@alerts_app.command("deliveries")
def alerts_deliveries(
    every: Annotated[bool, typer.Option("--all", help="Sent ones too.")] = False, as_json: JsonOption = False
) -> None:
    """Deliveries not sent (or all): channel, address, status, tries, the last error."""
    respond(
        application().alerts.deliveries(unsent=not every), as_json,
        lambda rows: table(
            ["渠道 channel", "地址 target", "用户 user", "状态 status", "次数 tries", "错误 error"],
            [(d["channel"], d["target"], d["user"], d["status"], d["attempts"], d["last_error"]) for d in rows],
            title="提醒发送 deliveries",
        ),
    )  # fmt: skip
