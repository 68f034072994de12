"""Shared fixtures: the real public data in ../shared/data, and one warehouse built from it per session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ipnav.config import Workspace
from ipnav.ingest.run import ingest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("IPNAV_SHARED_DATA", ROOT.parent / "shared" / "data"))
SAMPLE = ROOT / "ipnav" / "sample"


def shared(*parts: str) -> Path:
    """A file of the real public data; CI always has it, so there its absence is a failure."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"shared data not present: {path} (set IPNAV_SHARED_DATA to the shared/data folder)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def full_workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """Every patent file family of ../shared/data ingested once."""
    ws = Workspace(tmp_path_factory.mktemp("full") / "ws")
    paths = [shared("uspto"), shared("cn"), shared("epo_wipo")]
    ingest(paths, ws, workers=2)
    return ws


def run_cli(*args: str, workspace: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real `ipnav` console command, as a user would."""
    env = dict(os.environ)
    if workspace is not None:
        env["IPNAV_WORKSPACE"] = str(workspace)
    return subprocess.run(
        [sys.executable, "-m", "ipnav.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=600,
    )


def cli_json(*args: str, workspace: Path) -> object:
    result = run_cli(*args, "--json", workspace=workspace)
    assert result.returncode in (0, 3), result.stderr
    return json.loads(result.stdout)
