"""Settings and the workspace folder.

One `Settings` object is built by the CLI or `create_app` (through `ipnav.application.Ipnav`)
and passed down; nothing below them builds one or reads the environment. Values come from
arguments, environment variables prefixed `IPNAV_`, or `settings.toml` in the workspace.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from ipnav.errors import WorkspaceError


class Settings(BaseSettings):
    """Every setting of ipnav, with its default and help text."""

    model_config = SettingsConfigDict(env_prefix="IPNAV_", extra="ignore")

    workspace: Path = Field(Path("workspace"), description="Folder holding the warehouse and all outputs")
    batch_size: int = Field(2000, description="Records per warehouse batch during ingest")
    workers: int = Field(0, description="Parser processes for ingest (0 = one per CPU core)")
    header_map: Path | None = Field(None, description="Extra column-header mapping file (TOML) for tables")
    public: bool = Field(False, description="Allow anonymous read-only access to the web platform")
    secure_cookies: bool = Field(False, description="Send the session cookie over HTTPS only (behind TLS)")
    session_hours: int = Field(12, description="Hours a web session lasts")
    embed_in_background: bool = Field(
        True, description="The web server computes semantic vectors in the background (at start, after web ingests)"
    )
    web_workers: int = Field(1, description="Processes of `ipnav serve` (each answers requests; 2+ use more cores)")
    host: str = Field("127.0.0.1", description="Address `ipnav serve` listens on")
    port: int = Field(8000, description="Port `ipnav serve` listens on")
    engine: Literal["duckdb", "spark"] = Field(
        "duckdb", description="Engine of the analyses and indicators: duckdb (the warehouse) or spark (the lake)"
    )
    spark_remote: str = Field(
        "local[2]", description="Spark: a Spark Connect address sc://HOST:15002 (a cluster) or local[N] (this machine)"
    )
    lake: Path | None = Field(
        None, description="Parquet lake the Spark engine reads (default: the workspace's lake, kept in step)"
    )
    pledge_min_amount: float = Field(
        10_000_000.0, description="High-value criterion 4: least pledge amount in CNY (the plans say only 较高)"
    )
    sei_scope: str = Field("all", description="High-value criterion 1: IPC symbols looked up (all | main)")
    sei_keywords: bool = Field(False, description="High-value criterion 1: also require a concordance keyword")
    unknown_status: str = Field(
        "assume_valid", description="Granted records without legal status: assume_valid | exclude"
    )
    counting: str = Field("first", description="Regional attribution: first (patentee) | fractional")
    home_region: str = Field(
        "", description="The region the home page shows: name or adcode (重庆市, 500000); empty: all of China"
    )
    value_weights: dict[str, float] = Field(
        default_factory=dict, description="Value score weights overriding the defaults (name -> weight)"
    )
    risk_thresholds: dict[str, float] = Field(
        default_factory=dict,
        description="Bad-faith filing signals: thresholds overriding the defaults (name -> value, see `tm risk`)",
    )
    value_min_cohort: int = Field(20, description="Value score: smallest cohort before falling back")
    max_member_mb: int = Field(1024, description="Largest uncompressed zip member ingest reads, in MB")
    max_compression_ratio: float = Field(
        100.0, description="Largest uncompressed/compressed size ratio of a zip member (zip bombs are rejected)"
    )
    max_upload_mb: int = Field(1024, description="Largest file (and request) the web accepts for upload, in MB")
    keep_uploads_days: int = Field(
        0, description="Days uploaded files are kept after their ingest (0: removed when the ingest ends)"
    )
    search_threads: int = Field(2, description="Searches and page reads the web answers at once (one per core)")
    lock_wait: float = Field(
        10.0, description="Seconds a writer waits for the warehouse another process holds before giving up"
    )
    smtp_host: str = Field("", description="SMTP server that mails alerts (empty: no e-mail)")
    smtp_port: int = Field(25, description="SMTP port")
    smtp_from: str = Field("ipnav@localhost", description="Sender address of alert e-mails")
    smtp_user: str = Field("", description="SMTP login (empty: none)")
    smtp_password: str = Field("", description="SMTP password")
    smtp_starttls: bool = Field(False, description="Use STARTTLS with the SMTP server")
    webhook_url: str = Field("", description="Address every alert is POSTed to as JSON (empty: none)")
    public_url: str = Field("", description="The web platform's address, for links in e-mails and feeds")
    cjk_font: Path | None = Field(None, description="Font file with Chinese glyphs for chart images and PDF")
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Addresses of reverse proxies whose X-Forwarded-For is believed (none: the peer address counts)",
    )

    @classmethod
    def load(cls, workspace: Path | None = None, **overrides: object) -> Settings:
        """Build settings: explicit overrides > environment > workspace settings.toml > defaults."""
        base = cls() if workspace is None else cls(workspace=workspace)
        toml_path = base.workspace / "settings.toml"
        file_values: dict[str, object] = {}
        if toml_path.is_file():
            try:
                file_values = tomllib.loads(toml_path.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise WorkspaceError(f"{toml_path}: not valid TOML ({exc})") from exc
        env_set = cls.model_fields_set_from_env()
        merged: dict[str, Any] = {k: v for k, v in file_values.items() if k not in env_set and k in cls.model_fields}
        merged.update({k: v for k, v in base.model_dump().items() if k in env_set or k == "workspace"})
        merged.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**merged)

    @classmethod
    def model_fields_set_from_env(cls) -> set[str]:
        """Names of the settings given by IPNAV_* environment variables."""
        import os

        return {name for name in cls.model_fields if f"IPNAV_{name.upper()}" in os.environ}


@dataclass(frozen=True)
class Workspace:
    """The folder ipnav writes into: warehouse.duckdb, rejects/, exports/, settings.toml."""

    root: Path

    @property
    def warehouse_path(self) -> Path:
        """The DuckDB warehouse file."""
        return self.root / "warehouse.duckdb"

    @property
    def accounts_path(self) -> Path:
        """The SQLite file of users, sessions and the audit log."""
        return self.root / "accounts.sqlite"

    @property
    def rejects_dir(self) -> Path:
        """Where the raw bytes of rejected records are kept."""
        return self.root / "rejects"

    @property
    def lake_dir(self) -> Path:
        """The workspace's own Parquet lake (`ipnav export --lake`, the Spark engine's default)."""
        return self.root / "lake"

    @property
    def exports_dir(self) -> Path:
        """Where exports and reports are written."""
        return self.root / "exports"

    @property
    def evidence_dir(self) -> Path:
        """Files backing recorded plan values (`ipnav plan record --evidence`, the web form)."""
        return self.root / "evidence"

    def create(self) -> Workspace:
        """Create the folder layout (idempotent)."""
        try:
            for folder in (self.root, self.rejects_dir, self.exports_dir):
                folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WorkspaceError(f"cannot create workspace {self.root}: {exc.strerror}") from exc
        settings_file = self.root / "settings.toml"
        if not settings_file.exists():
            settings_file.write_text("# ipnav workspace settings (see `ipnav --help`)\n", encoding="utf-8")
        return self
