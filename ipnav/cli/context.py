"""What every command shares: the global options (`--workspace`, `--debug`), the settings built from them
once, and the application object over the workspace."""

from __future__ import annotations

import datetime as dt
import getpass
from pathlib import Path
from typing import Any

from ipnav.application import Ipnav
from ipnav.config import Settings
from ipnav.errors import UsageError

state: dict[str, Any] = {"debug": False, "workspace": None}


def settings(**overrides: Any) -> Settings:
    """Settings of this invocation: arguments > environment > the workspace's settings.toml > defaults."""
    return Settings.load(state["workspace"], **overrides)


def application(*, create: bool = False, check: bool = True, **overrides: Any) -> Ipnav:
    """The application over the chosen workspace; read commands (create=False) refuse a missing folder,
    so a mistyped `--workspace` is an error that names it instead of a new, empty workspace. Commands
    that need no workspace (the plan catalogue) pass check=False."""
    return Ipnav(settings(**overrides), create=create, check=check)


def as_of(value: str | None) -> dt.date | None:
    """`--as-of` text to a date (None: today)."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of {value!r} is not a date (YYYY-MM-DD)") from None


def actor() -> str:
    """Who acts on the command line, for the audit log."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def sample_path() -> Path:
    """Folder of the bundled demo sample (package data)."""
    from importlib import resources

    return Path(str(resources.files("ipnav") / "sample"))
