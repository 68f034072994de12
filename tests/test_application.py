"""One application object under the CLI and the web: the same options on both sides, settings honoured
everywhere, and read commands that never create a workspace."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, cli_json, run_cli


@pytest.mark.parametrize(
    "command",
    [("stats",), ("search", "ti=电池"), ("show", "CN104223352A"), ("indicator", "applications"), ("topic", "list"),
     ("analyze", "trends"), ("rejects",), ("export", "--format", "csv")],
)  # fmt: skip
def test_a_mistyped_workspace_on_a_read_command_is_an_error_naming_it(tmp_path: Path, command: tuple[str]) -> None:
    typo = tmp_path / "wrokspace"
    result = run_cli(*command, workspace=typo)
    assert result.returncode == 1, result.stdout
    assert str(typo) in result.stderr and "mistyped --workspace" in result.stderr
    assert not typo.exists()


def test_commands_that_need_no_workspace_do_not_create_one(tmp_path: Path) -> None:
    typo = tmp_path / "none"
    plans = cli_json("plan", "list", workspace=typo)
    assert any(p["id"] for p in plans)  # type: ignore[union-attr]
    formats = {f["name"]: f for f in cli_json("formats", workspace=typo)}  # type: ignore[union-attr]
    assert formats["google_patents_csv"]["record_kind"] == "patent"
    assert formats["uspto_assignment"]["record_kind"] == "transaction"
    assert formats["cnipa_new"]["recognised_by"] == "XML root <PatentDocumentAndRelated>"
    assert not typo.exists()


def test_help_texts_list_what_the_registries_hold() -> None:
    from ipnav.analytics.analyses import ANALYSES
    from ipnav.kpi.indicators import INDICATORS

    analyze = run_cli("analyze", "--help").stdout
    assert all(name in analyze for name in ANALYSES) and "high_value" in analyze
    indicator = run_cli("indicator", "--help").stdout
    assert all(name in indicator for name in INDICATORS)
    for option in ("--as-of", "--sei-keywords", "--pledge-min", "--unknown-status"):
        assert option in indicator


def test_a_bad_option_value_names_the_option(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    run_cli("init", workspace=ws)
    result = run_cli("analyze", "trends", "--as-of", "2024-13-01", workspace=ws)
    assert result.returncode == 2 and "--as-of '2024-13-01'" in result.stderr, result.stderr


def test_a_google_patents_table_format_is_documented_as_the_worked_example() -> None:
    guide = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert "ipnav/ingest/google_patents.py" in guide and "register_table" in guide
