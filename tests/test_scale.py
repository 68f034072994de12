"""Scale: the warehouse as a Parquet lake, the same analyses and indicators on Spark, sharded search.

The Spark tests run Spark on this machine (`local[2]`, Java 17 and PySpark from `scripts/setup.sh --test`);
they carry the `spark` marker so `pytest -m "not spark"` leaves them out when iterating."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from ipnav.application import Ipnav
from ipnav.application.options import IndicatorOptions, SelectionOptions
from ipnav.config import Settings
from ipnav.kpi.catalog import INDICATORS
from tests.conftest import SAMPLE, cli_json, run_cli

AS_OF = dt.date(2025, 6, 30)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample (patents, trademarks, registers) loaded as a user loads it."""
    ws = tmp_path_factory.mktemp("scale") / "ws"
    result = run_cli("ingest", str(SAMPLE), "--json", workspace=ws)
    assert result.returncode in (0, 3), result.stderr
    return ws


@pytest.fixture(scope="module")
def lake(workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lake") / "lake"
    cli_json("export", "--lake", str(path), workspace=workspace)
    return path


def _rows(pack: dict[str, Any]) -> dict[str, Any]:
    return {kind: result["rows"] for kind, result in pack["analyses"].items()}


def test_the_lake_holds_every_table_and_duckdb_reads_it_in_place(workspace: Path, lake: Path) -> None:
    summary = cli_json("lake", "show", str(lake), workspace=workspace)
    assert isinstance(summary, dict)
    tables = summary["tables"]
    assert {"patents", "parties", "trademarks", "registers", "documents", "value_flags"} <= set(tables)
    stats = cli_json("stats", workspace=workspace)
    assert isinstance(stats, dict)
    assert tables["patents"]["rows"] == stats["patents"] and tables["documents"]["rows"] == stats["documents"]
    # Hive partitions by record kind, office and filing year, with the types declared in the manifest
    manifest = json.loads((lake / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["partitioning"] == {"part_kind": "VARCHAR", "part_office": "VARCHAR", "part_year": "INTEGER"}
    assert (lake / "patents" / "part_kind=patent" / "part_office=CN").is_dir()
    assert any(p.name.startswith("part_year=20") for p in (lake / "patents/part_kind=patent/part_office=CN").iterdir())
    assert (lake / "trademarks" / "part_kind=trademark").is_dir()
    # the navigation pack read from the lake in place equals the warehouse's
    as_of = AS_OF.isoformat()
    own = cli_json("navigate", "--as-of", as_of, workspace=workspace)
    in_place = Ipnav(Settings(workspace=workspace, lake=lake)).navigate(SelectionOptions(as_of=AS_OF))
    assert isinstance(own, dict)
    assert _rows(own) == json.loads(json.dumps(_rows(in_place), default=str))


def test_writing_the_lake_again_gives_the_same_content(workspace: Path, lake: Path, tmp_path: Path) -> None:
    again = cli_json("export", "--lake", str(tmp_path / "again"), workspace=workspace)
    assert isinstance(again, dict)
    first = json.loads((lake / "manifest.json").read_text(encoding="utf-8"))["tables"]
    assert {n: (t["rows"], t["hash"]) for n, t in first.items()} == {
        n: (t["rows"], t["hash"]) for n, t in again["by_table"].items()
    }


def test_a_folder_that_is_not_a_lake_is_named(workspace: Path, tmp_path: Path) -> None:
    result = run_cli("lake", "show", str(tmp_path), workspace=workspace)
    assert result.returncode != 0
    assert str(tmp_path) in result.stderr and "manifest.json" in result.stderr


@pytest.mark.spark
def test_spark_gives_every_analysis_and_indicator_as_duckdb_does(workspace: Path, lake: Path) -> None:
    duck = Ipnav(Settings(workspace=workspace))
    spark = Ipnav(Settings(workspace=workspace, engine="spark", lake=lake))
    # a query selection: every analysis over the hits (the whole warehouse, `all`, runs the same analyses
    # without the filter; it took 30 s more of a suite that must stay under 15 minutes)
    options = SelectionOptions(selection="ti=电池 OR ab=battery", as_of=AS_OF)
    assert _rows(spark.navigate(options)) == _rows(duck.navigate(options))
    assert _rows(spark.trademark_navigate("all", as_of=AS_OF)) == _rows(duck.trademark_navigate("all", as_of=AS_OF))
    compared = 0
    for name in INDICATORS:
        region = "江苏省" if name == "trademark_window_coverage" else "重庆市"
        by = "city" if name == "trademark_window_coverage" else "county"
        options = IndicatorOptions(region=region, by=by, as_of=AS_OF)
        assert spark.indicator(name, options) == duck.indicator(name, options), name
        compared += 1
    assert compared == len(INDICATORS) >= 60
    nationwide = IndicatorOptions(by="province", as_of=AS_OF, patents=True)  # the flags of every patent
    assert spark.indicator("high_value_invention", nationwide) == duck.indicator("high_value_invention", nationwide)


@pytest.mark.spark
def test_the_engine_is_a_command_line_choice(workspace: Path) -> None:
    args = ("indicator", "high_value_invention_per_10k", "--region", "重庆市", "--by", "county")
    args = (*args, "--as-of", "2025-06-30")
    on_duckdb = cli_json(*args, workspace=workspace)
    on_spark = cli_json(*args, "--engine", "spark", workspace=workspace)  # writes the workspace's lake first
    assert on_spark == on_duckdb
    assert isinstance(on_spark, dict) and on_spark["total"]["patents"] > 0
    assert (workspace / "lake" / "manifest.json").is_file()


@pytest.mark.spark
def test_a_lake_written_by_spark_equals_the_one_duckdb_wrote(lake: Path, tmp_path: Path) -> None:
    from ipnav.lake.spark import copy_lake

    written = copy_lake(lake, tmp_path / "by_spark")
    assert written["written_by"].startswith("spark ")
    first = json.loads((lake / "manifest.json").read_text(encoding="utf-8"))["tables"]
    assert {n: (t["rows"], t["hash"]) for n, t in written["tables"].items()} == {
        n: (t["rows"], t["hash"]) for n, t in first.items()
    }


QUERIES = ("电池", "ti=锂电池 AND ad>=2020", "battery OR 电池", "pa=北京科技大学", "ipc=H01M", '"图像处理"', "cc=US")


def _api(workspace: Path) -> Any:
    """The search API of a workspace, in this process (a command per page cost a second each)."""
    from fastapi.testclient import TestClient

    from ipnav.web.app import create_app

    return TestClient(create_app(Settings(workspace=workspace, public=True)))


def _search(client: Any, query: str, **params: Any) -> dict[str, Any]:
    page = client.get("/api/search", params={"q": query, **params})
    assert page.status_code == 200, page.text
    return dict(page.json())


def _every_hit(client: Any, query: str, sort: str) -> list[str]:
    """Every hit of a query, page after page by the cursor."""
    keys: list[str] = []
    cursor = None
    while True:
        params = {"limit": 50, "sort": sort, "facets": False, **({"cursor": cursor} if cursor else {})}
        page = _search(client, query, **params)
        keys += [hit["app_key"] for hit in page["hits"]]
        cursor = page["cursor"]
        if not cursor:
            return keys


def test_a_sharded_index_finds_and_counts_what_one_index_does(workspace: Path, tmp_path: Path) -> None:
    import shutil

    sharded = tmp_path / "ws"
    shutil.copytree(workspace, sharded)
    done = cli_json("reindex", "--shards", "2", workspace=sharded)
    assert isinstance(done, dict) and done["indexed"] > 0
    shards = sorted(p.name for p in (sharded / "index").iterdir() if p.is_dir())
    assert {"CN-0", "CN-1", "US-0", "US-1"} <= set(shards)  # by office, then by a hash of the key
    single, shard = _api(workspace), _api(sharded)
    assert cli_json("search", QUERIES[0], workspace=sharded) == _search(shard, QUERIES[0], facets=False)  # the command
    for query in QUERIES:
        one, many = _search(single, query), _search(shard, query)
        assert many["total"] == one["total"] > 0, query
        for facet, counts in one["facets"].items():  # the top values; a tie at the cut may swap places
            lowest = min(counts.values(), default=0)
            agreed = {k: v for k, v in many["facets"][facet].items() if v > lowest}
            assert agreed == {k: v for k, v in counts.items() if v > lowest}, (query, facet)
        if one["total"] > 150:
            continue
        by_date = _every_hit(shard, query, "-ad")  # paging through shards keeps the cursor's promise
        assert len(by_date) == len(set(by_date)) == one["total"]
        assert set(by_date) == set(_every_hit(single, query, "-ad")), query
    similar = cli_json("similar", "CN201510600872", workspace=sharded)
    assert isinstance(similar, dict) and similar["hits"]


SPARK_INPUTS = (
    "cn/cn_old1.xml",
    "cn/cn_new1.xml",
    "cn/cnipa_pss_xls/szu.xls",
    "uspto/pg020507hundred.xml",
    "registers/pledge_list_handbuilt.csv",
    "registers/agri_gi_rows.csv",
    "trademark/uspto-daily-na-98763166.xml",
)


@pytest.mark.spark
def test_spark_tasks_parse_what_a_local_ingest_parses(tmp_path: Path) -> None:
    import shutil

    inputs = tmp_path / "in"
    for name in SPARK_INPUTS:
        (inputs / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SAMPLE / name, inputs / name)
    (inputs / "broken.xml").write_text('<?xml version="1.0"?><cn-patent-document><abstract>', encoding="utf-8")
    runs = {}
    for how, command in (("local", ["ingest"]), ("spark", ["spark", "ingest"])):
        result = run_cli(*command, str(inputs), "--lake", str(tmp_path / how / "lake"), "--json",
                         workspace=tmp_path / how / "ws")  # fmt: skip
        assert result.returncode == 3, result.stderr  # the broken file and the bad GI rows are rejects
        runs[how] = json.loads(result.stdout)
    local, spark = runs["local"], runs["spark"]
    counts = ("files", "records", "inserted", "updated", "unchanged", "rejected", "linked")
    assert {k: spark[k] for k in counts} == {k: local[k] for k in counts}
    assert spark["records"] > 400 and spark["rejected"] >= 2
    run_tables = ("ingest_runs", "rejects")  # when and by which run: the rest is the same content
    tables = {name: t for name, t in local["lake"]["by_table"].items() if name not in run_tables}
    assert {name: spark["lake"]["by_table"][name] for name in tables} == tables
    fields = ("source_file", "position", "line", "field", "reason", "raw_size", "raw_sha256")

    def rejects(how: str) -> list[tuple[Any, ...]]:
        rows = cli_json("rejects", workspace=tmp_path / how / "ws")
        assert isinstance(rows, list)
        return sorted(tuple(str(r[f]).replace(str(tmp_path / how), "") for f in fields) for r in rows)

    assert rejects("spark") == rejects("local")
    assert any("broken.xml" in r[0] for r in rejects("spark"))
    shown = cli_json("lake", "show", str(tmp_path / "spark" / "lake"), workspace=tmp_path / "spark" / "ws")
    assert isinstance(shown, dict) and shown["tables"]["rejects"]["rows"] == spark["rejected"]
    assert (tmp_path / "spark" / "lake" / "rejects" / "part_kind=reject").is_dir()  # by the year they were found


@pytest.mark.spark
def test_shards_built_by_spark_tasks_answer_as_reindex_shards_do(workspace: Path, tmp_path: Path) -> None:
    import shutil

    local, spark = tmp_path / "local", tmp_path / "spark"
    for ws in (local, spark):
        shutil.copytree(workspace, ws)
    cli_json("reindex", "--shards", "2", workspace=local)
    built = cli_json("spark", "reindex", "--shards", "2", workspace=spark)
    assert isinstance(built, dict) and {"CN-0", "CN-1", "US-0", "US-1"} <= set(built["shards"])
    by_spark, by_reindex = _api(spark), _api(local)
    for query in QUERIES:
        mine, theirs = _search(by_spark, query, limit=50), _search(by_reindex, query, limit=50)
        assert mine["total"] == theirs["total"] > 0 and mine["facets"] == theirs["facets"], query
        # the same scores; documents of equal score may come in another order (float sums per segment)
        assert [round(h["score"], 3) for h in mine["hits"]] == [round(h["score"], 3) for h in theirs["hits"]], query
        if mine["total"] <= 150:
            assert set(_every_hit(by_spark, query, "-ad")) == set(_every_hit(by_reindex, query, "-ad")), query
