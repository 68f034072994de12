"""Semantic search: vectors of the applications, kept in step incrementally, and search by description
across languages."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ipnav.config import Settings
from ipnav.web.app import create_app
from tests.conftest import SAMPLE, cli_json, run_cli

APPS = 101 + 511  # the Chinese grant, the US designs, the Patentics export of one company's patents


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One Chinese grant, a hundred US design patents of 2002 and 511 Chinese patents of one company that
    cite each other (Patentics export), embedded."""
    root = tmp_path_factory.mktemp("semantic")
    inputs = root / "in"
    inputs.mkdir()
    for name in ("cn/cn_old1.xml", "uspto/pg020507hundred.xml"):
        shutil.copy(SAMPLE / name, inputs / Path(name).name)
    with zipfile.ZipFile(SAMPLE / "cn" / "patentics.zip") as bundle:
        bundle.extract("thundersoft_20221219.xlsx", inputs)
    ws = root / "ws"
    assert run_cli("ingest", str(inputs), "--json", workspace=ws).returncode == 0
    done = cli_json("embed", workspace=ws)
    assert isinstance(done, dict)
    assert done["computed"] == done["applications"] == done["embedded"] == APPS and done["share"] == 1.0
    assert done["index"] == {"added": APPS, "removed": 0, "vectors": APPS, "rebuilt": True}
    return ws


def test_a_chinese_description_finds_english_patents(workspace: Path) -> None:
    found = cli_json("search", "--semantic", "电动牙刷", "--limit", "3", workspace=workspace)
    assert isinstance(found, dict) and found["mode"] == "semantic"
    titles = [hit["title"] for hit in found["hits"]]
    assert any("toothbrush" in title.lower() for title in titles), titles
    assert all(0 < hit["semantic"] <= 1 for hit in found["hits"])
    assert found["hits"] == sorted(found["hits"], key=lambda h: -h["semantic"])
    # and the reverse: English words find the Chinese grant on tobacco flavour from fermented liquorice
    found = cli_json("search", "--semantic", "tobacco flavouring made by fermenting liquorice with yeast",
                     "--limit", "1", workspace=workspace)  # fmt: skip
    assert isinstance(found, dict) and found["hits"][0]["app_key"] == "CN201410408762"


def test_embedding_again_embeds_only_what_changed(workspace: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(workspace, ws)
    again = cli_json("embed", workspace=ws)
    assert isinstance(again, dict) and again["computed"] == 0 and again["index"]["added"] == 0
    changed = tmp_path / "cn_old1.xml"  # the same grant, its abstract corrected
    text = (SAMPLE / "cn" / "cn_old1.xml").read_text(encoding="utf-8")
    changed.write_text(text.replace("本发明公开了一种甘草发酵", "本发明公开了一种经甘草发酵"), encoding="utf-8")
    assert run_cli("ingest", str(changed), "--json", workspace=ws).returncode == 0
    redone = cli_json("embed", workspace=ws)
    assert isinstance(redone, dict) and redone["computed"] == 1
    assert redone["index"]["added"] == 1 and redone["index"]["vectors"] == APPS and not redone["index"]["rebuilt"]


def test_semantic_search_before_embedding_says_what_to_do(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run_cli("ingest", str(SAMPLE / "cn" / "cn_old1.xml"), "--json", workspace=ws).returncode == 0
    result = run_cli("search", "--semantic", "烟用香料", workspace=ws)
    assert result.returncode == 2 and "ipnav embed" in result.stderr


def test_similar_patents_fuse_terms_meaning_citations_and_ipc_and_say_why(workspace: Path) -> None:
    found = cli_json("similar", "CN201811130989", "--limit", "5", workspace=workspace)
    assert isinstance(found, dict) and found["method"].startswith("hybrid")
    hits = {hit["app_key"]: hit for hit in found["hits"]}
    # the display-tuning patent it cites: shared words, near in meaning, cited, the same subclass G09G
    cited = hits["CN201611234280"]["reasons"]
    assert cited["citation"] == "cites" and "G09G" in cited["shared_ipc"]
    assert cited["lexical_rank"] and "背光" in cited["terms"] and cited["semantic"] > 0.5
    assert "背光" in cited["passage"] and cited["passage"] in hits["CN201611234280"]["abstract"]
    assert found["hits"][0]["app_key"] == "CN201611234280"  # every signal agrees: first
    assert found["hits"] == sorted(found["hits"], key=lambda h: -h["score"])
    assert found["coverage"]["share"] == 1.0
    # the API and the patent page give the same hits, with their reasons
    client = TestClient(create_app(Settings(workspace=workspace, public=True)))
    api = client.get("/api/similar/CN201811130989", params={"limit": 5}).json()
    assert [h["app_key"] for h in api["hits"]] == [h["app_key"] for h in found["hits"]]
    page = client.get("/patents/CN201811130989").text
    assert "语义相似度" in page and "本专利引用" in page and "G09G" in page
