"""Account commands of the web platform (`ipnav user ...`): roles admin, analyst, viewer."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from ipnav.cli.context import application
from ipnav.cli.output import JsonOption, out, respond, table
from ipnav.cli.root import app

user_app = typer.Typer(help="账户 accounts of the web platform: roles admin, analyst, viewer.")
app.add_typer(user_app, name="user")
NameArg = Annotated[str, typer.Argument(help="User name.")]


def _password(confirm: bool = True) -> str:
    """The new password: prompted (twice) on a terminal, else the first line of standard input."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("密码 password", hide_input=True, confirmation_prompt=confirm))


def _accounts() -> Any:
    """The workspace's accounts (users can be set up before any data is loaded)."""
    return application(create=True).accounts


@user_app.command("add")
def user_add(
    name: NameArg,
    role: Annotated[str, typer.Option(help="admin, analyst or viewer.")] = "viewer",
    as_json: JsonOption = False,
) -> None:
    """Add a user; the password comes from the prompt, or from standard input when it is not a terminal."""
    user = _accounts().add(name, role, _password())
    respond({"name": user.name, "role": user.role}, as_json, f"user {user.name} added ({user.role})")


@user_app.command("list")
def user_list(as_json: JsonOption = False) -> None:
    """List users and their roles."""
    respond(
        _accounts().list(),
        as_json,
        lambda rows: table(
            ["用户 name", "角色 role", "语言 language", "创建 created", "改密 password changed", "停用 disabled"],
            [(r["name"], r["role"], r["language"], r["created_at"], r["password_changed_at"],
              "是 yes" if r["disabled"] else "") for r in rows],
        ),
    )  # fmt: skip


@user_app.command("passwd")
def user_passwd(name: NameArg) -> None:
    """Set a user's password (prompt, or standard input when it is not a terminal)."""
    _accounts().passwd(name, _password())
    out.print(f"password of {name} changed; the user's sessions are ended")


@user_app.command("role")
def user_role(name: NameArg, role: Annotated[str, typer.Argument(help="admin, analyst or viewer.")]) -> None:
    """Change a user's role (the user's sessions end: the new rights apply from the next login)."""
    _accounts().set_role(name, role, actor="cli")
    out.print(f"{name} is now {role}; the user's sessions are ended")


@user_app.command("disable")
def user_disable(name: NameArg) -> None:
    """Disable a user: no more logins, and every session of the user ends at once."""
    _accounts().set_disabled(name, True, actor="cli")
    out.print(f"{name} disabled")


@user_app.command("enable")
def user_enable(name: NameArg) -> None:
    """Enable a disabled user again."""
    _accounts().set_disabled(name, False, actor="cli")
    out.print(f"{name} enabled")


@user_app.command("unlock")
def user_unlock(
    name: NameArg,
    client: Annotated[str | None, typer.Option(help="Only the lock of this client address.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Lift a login lock-out: forget the failed logins on this name (from every address, or one)."""
    count = _accounts().unlock(name, client=client, actor="cli")
    respond(
        {"name": name, "client": client, "failures_forgotten": count}, as_json,
        f"{name}: {count} failed login(s) forgotten; the lock is lifted",
    )  # fmt: skip
