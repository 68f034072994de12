"""The documentation keeps up with the code: commands, header map, formats."""

from __future__ import annotations

from ipnav.cli import app
from ipnav.ingest import registry
from ipnav.ingest.headers import HEADERS
from tests.conftest import ROOT, run_cli


def _commands() -> list[str]:
    return sorted(c.name or c.callback.__name__ for c in app.registered_commands)  # type: ignore[union-attr]


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in _commands():
        result = run_cli(name, "--help")
        assert result.returncode == 0 and "Usage" in result.stdout, name
        assert f"`ipnav {name}" in readme, f"README does not document `ipnav {name}`"


def test_header_map_and_formats_are_documented() -> None:
    formats = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    for field, headers in HEADERS.items():
        assert f"`{field}`" in formats, field
        for header in headers:
            assert f"`{header}`" in formats, header
    for root in registry.known_roots():
        assert root in formats, f"docs/formats.md does not mention <{root}>"


def test_readme_holds_the_two_setup_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "bash scripts/demo.sh" in readme and "bash scripts/test.sh" in readme
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_an_unknown_command_is_a_usage_error_not_a_crash() -> None:
    result = run_cli("nosuch", "search", "x")
    assert result.returncode == 2 and "No such command 'nosuch'" in result.stderr
    assert "Usage:" in result.stderr and "unexpected" not in result.stderr
