"""The options of each operation, defined once: Typer builds its command-line options from these models
(`ipnav.cli.options`) and FastAPI its query parameters (`Annotated[Model, Query()]`), so the CLI and the
API cannot drift apart. Field descriptions are the help texts of both."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class Options(BaseModel):
    """Base of the option models: unknown fields are refused, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class SearchOptions(Options):
    """One page of search results."""

    q: str = Field("", max_length=4000, description="Query, e.g. 'ti=锂电池 AND ad>=2020' (docs/query-language.md)")
    limit: int = Field(20, ge=1, le=1000, description="Hits per page")
    sort: str = Field(
        "relevance", max_length=20, description="relevance, ad, pd, gd, value; prefix - for newest/highest first"
    )
    cursor: str | None = Field(None, max_length=200, description="Continue after a previous page (from its output)")
    facets: bool = Field(True, description="Count hits by year, country, type, status, IPC and province")
    within: str = Field(
        "", max_length=4000, description="Search within the hits of this query (二次检索): hits match both queries"
    )

    def query(self) -> str:
        """The query searched: `q`, within the hits of `within` when given."""
        return f"({self.within}) AND ({self.q})" if self.within.strip() and self.q.strip() else self.q or self.within


class SelectionOptions(Options):
    """Which applications, as of which date."""

    selection: str = Field(
        "all", max_length=4000, description="A query, 'topic:NAME', 'numbers:N1,N2' or 'all' (default)"
    )
    as_of: dt.date | None = Field(None, description="Date the figures are as of, YYYY-MM-DD (default today)")


class AnalysisOptions(SelectionOptions):
    """One navigation analysis of a selection."""

    limit: int | None = Field(None, ge=1, le=1_000_000, description="Rows for rankings")
    level: str | None = Field(
        None, max_length=20, description="ipc: section/class/subclass/main_group; regions: province/city/county"
    )
    region_basis: str = Field(
        "all",
        max_length=80,
        pattern=r"^[a-z_,]+$",
        description="regions: all (default) or address (strict), or a comma list of region bases",
    )


class IndicatorOptions(Options):
    """One regional indicator; options left empty take the workspace settings."""

    region: str | None = Field(
        None, max_length=40, description="Region: adcode (320400) or name (常州, 南江县, 重庆市); default all of China"
    )
    as_of: dt.date | None = Field(None, description="Date the figure is as of, YYYY-MM-DD (default today)")
    by: str | None = Field(None, max_length=10, description="Break down by province, city or county")
    counting: str | None = Field(
        None, max_length=12, description="first (patentee, default) or fractional (co-patentees share)"
    )
    population: str | None = Field(
        None, max_length=12, description="Per-10k denominators: census2020 (default) or yearend (provinces)"
    )
    years: str | None = Field(None, max_length=12, description="Flows: year range, e.g. 2019-2023 (default: 5 years)")
    region_basis: str = Field(
        "all",
        max_length=80,
        pattern=r"^[a-z_,]+$",
        description="Regions resting on: all (default), address (strict: the record's own address only), "
        "or a comma list of address, user_table, applicant_history, applicant_name",
    )
    patents: bool = Field(False, description="List the patents behind the figure")
    year: int | None = Field(None, ge=1900, le=2200, description="Flows: list the patents of this year only")
    pledge_min: float | None = Field(None, ge=0, description="High-value pledge threshold in CNY")
    sei_scope: str | None = Field(None, max_length=6, description="SEI by all IPC symbols or the main one (all|main)")
    sei_keywords: bool | None = Field(None, description="High-value SEI criterion also requires a concordance keyword")
    unknown_status: str | None = Field(
        None, max_length=14, description="Granted records without status: assume_valid or exclude"
    )


class ValueOptions(Options):
    """A patent's flags and value score."""

    as_of: dt.date | None = Field(None, description="Date the flags and score are as of, YYYY-MM-DD (default today)")
    weights: str | None = Field(
        None, max_length=400, description="Override weights, e.g. forward_citations=0.4,claims=0.2"
    )
