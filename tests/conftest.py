"""Shared fixtures: the real public data in ../shared/data, and one warehouse built from it per session."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

from ipnav.config import Workspace

ROOT = Path(__file__).resolve().parents[1]
# the web servers of the tests do not embed the sample in the background (minutes of both cores while the
# other tests run); test_semantic turns it on where it is what is tested
os.environ.setdefault("IPNAV_EMBED_IN_BACKGROUND", "false")
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
    load(paths, ws)
    return ws


def load(paths: list[Path], ws: Workspace) -> None:
    """Documents, derived tables and the search index, without the stored value scores and flags that
    `Ipnav.ingest` adds (the analyses compute them when a workspace has none): the big shared fixtures
    build twice as fast, and the value tests load through the CLI like users."""
    from ipnav.ingest.run import ingest
    from ipnav.search.service import sync_index

    ingest(paths, ws, workers=2, after=[lambda wh: sync_index(ws, wh)])


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


@contextlib.contextmanager
def served(workspace: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """`ipnav serve` in its own process on a free loopback port; yields the base URL, stops it after."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = workspace.parent / f"server-{port}.log"
    with log.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ipnav.cli", "serve", "--port", str(port), *args],
            env={**os.environ, "IPNAV_WORKSPACE": str(workspace), **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.time() + 60
            while True:
                assert proc.poll() is None, log.read_text()
                try:
                    if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    assert time.time() < deadline, "the server did not start"
                    time.sleep(0.1)
            yield base
        finally:
            proc.terminate()
            proc.wait(15)
    assert "Traceback" not in log.read_text(), log.read_text()[-3000:]


# The longest modules first: pytest-xdist (`--dist loadscope`) hands modules to the workers in collection
# order, and a long one handed out last keeps one worker busy while the other idles (test_scale is about
# seven minutes of Spark, test_search's substring fixture more than one).
FIRST = ("test_scale.py", "test_search.py", "test_semantic.py", "test_api_fuzz.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: FIRST.index(item.path.name) if item.path.name in FIRST else len(FIRST))
