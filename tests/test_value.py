"""Official flags, regional indicators and the value score over a hand-built warehouse.

`tests/fixtures/value/patents.csv` holds 16 CN records built so that each high-value criterion
appears alone, with exclusions, lapses before and after the as-of date, a restoration, co-patentees
in two regions, a municipality (重庆) and a county (南江县); `pledges.csv` a pledge register (one
row with a bad amount); `us_family.csv` a US application sharing a priority with one CN record.
Expected figures are worked out by hand below from those rows and the census table.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from ipnav.config import Settings, Workspace
from ipnav.web.app import create_app
from tests.conftest import ROOT, cli_json, run_cli

FIXTURES = ROOT / "tests" / "fixtures"
AS_OF = "2024-06-30"
# app keys of the fixture rows (see the module docstring for the story of each)
A, B, C, D = "CN201210000001", "CN201910000002", "CN201810000003", "CN201810000004"
E, F, G, H = "CN201510000005", "CN201410000006", "CN201610000007", "CN201620000008"
I, J, K, L = "CN202110000009", "CN200310000010", "CN201510000011", "CN201710000012"  # noqa: E741
M, N, O, P = "CN201810000013", "CN201310000014", "CN202010000015", "CN201610000016"  # noqa: E741


def _census(code: str) -> int:
    with (ROOT / "ipnav" / "reference" / "data" / "population_census2020.csv").open(encoding="utf-8") as handle:
        return next(int(r["population"]) for r in csv.DictReader(handle) if r["adcode"] == code)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    workspace = Workspace(tmp_path_factory.mktemp("value") / "ws")
    result = run_cli("ingest", str(FIXTURES / "value"), workspace=workspace.root)
    assert result.returncode == 3, result.stderr  # the pledge row with amount 五百万 is rejected
    loaded = run_cli("awards", "load", str(FIXTURES / "awards" / "awards.csv"), workspace=workspace.root)
    assert loaded.returncode == 3 and "row 4: number" in loaded.stderr
    return workspace


def _indicator(ws: Workspace, name: str, *args: str) -> dict:
    return cli_json("indicator", name, *args, workspace=ws.root)  # type: ignore[return-value]


def test_each_high_value_criterion_alone_with_its_evidence(ws: Workspace) -> None:
    data = _indicator(ws, "high_value_invention", "--as-of", AS_OF, "--patents")
    criteria = {p["app_key"]: {c["criterion"]: c["evidence"] for c in p["criteria"]} for p in data["patents"]}
    assert set(criteria) == {A, B, C, G, K, M, N}
    assert data["total"]["value"] == 7
    assert set(criteria[A]) == {"sei", "maintained"} and "H04L1* (H04L1/18)" in criteria[A]["sei"]
    assert criteria[A]["maintained"].startswith("12.3 years")
    assert set(criteria[G]) == {"sei"} and "H01M10/052" in criteria[G]["sei"]
    assert criteria[B] == {"family": "family list: EP3000002A1"}
    assert set(criteria[M]) == {"family"} and "US62123456" in criteria[M]["family"]
    assert set(criteria[C]) == {"pledge"} and "20000000 CNY" in criteria[C]["pledge"]
    assert set(criteria[K]) == {"award"} and "中国专利奖" in criteria[K]["award"]
    assert set(criteria[N]) == {"maintained"}  # lapsed in 2020, restored the same year
    # not high value: L's IPC G01S1/02 is excluded (不含) from the G01S1* row; D's pledges are below the
    # threshold or after the date; P is valid (status unknown, assumed) but meets no criterion
    assert L not in criteria and D not in criteria and P not in criteria
    meta = data["meta"]
    assert meta["as_of"] == AS_OF and meta["flag_policy"]["pledge_min_amount"] == 10_000_000
    assert "2021" in meta["flag_policy"]["concordance"]


def test_thresholds_and_dates_move_the_flags(ws: Workspace) -> None:
    lower = _indicator(ws, "high_value_invention", "--as-of", "2025-06-30", "--pledge-min", "20000000", "--patents")
    keys = {p["app_key"] for p in lower["patents"]}
    assert D in keys  # the 30,000,000 pledge of 2025-01-01 counts once the date has passed
    assert I in keys  # granted 2025-02-02, SEI
    assert M in keys  # still the family; the 2025 award adds a second criterion
    m = next(p for p in lower["patents"] if p["app_key"] == M)
    assert {c["criterion"] for c in m["criteria"]} == {"family", "award"}
    strict = _indicator(ws, "high_value_invention", "--as-of", AS_OF, "--pledge-min", "30000000", "--patents")
    assert C not in {p["app_key"] for p in strict["patents"]}
    main_only = _indicator(ws, "high_value_invention", "--as-of", AS_OF, "--sei-scope", "main")
    assert main_only["total"]["value"] == 7  # every fixture has one IPC symbol


def test_valid_invention_lapse_before_and_after_the_date(ws: Workspace) -> None:
    def valid(as_of: str, *extra: str) -> set[str]:
        data = _indicator(ws, "valid_invention", "--as-of", as_of, "--patents", *extra)
        return {p["app_key"] for p in data["patents"]}

    before, after = valid("2022-12-31"), valid(AS_OF)
    assert E in before and E not in after  # fee lapse on 2023-03-01
    assert F not in before and F not in after  # lapsed, date unknown: never counted
    assert J in valid("2022-12-31") and J not in after  # filed 2003-01-01: term ended 2023-01-01
    assert N not in valid("2020-03-01") and N in valid("2020-07-01")  # terminated, then restored
    assert H not in after and O not in after and I not in after  # utility model, pending, granted later
    assert after == {A, B, C, D, G, K, L, M, N, P}
    assert valid(AS_OF, "--unknown-status", "exclude") == after - {P}


def test_per_10k_by_county_with_fractional_counting(ws: Workspace) -> None:
    data = _indicator(
        ws, "high_value_invention_per_10k", "--region", "常州", "--as-of", AS_OF, "--by", "county",
        "--counting", "fractional",
    )  # fmt: skip
    rows = {r["code"]: r for r in data["rows"]}
    # 新北区: C (pledge), K (award); 武进区: B, M (family) and half of G (co-owned with 南江县)
    assert rows["320411"]["count"] == 2 and rows["320412"]["count"] == 2.5
    assert rows["320411"]["value"] == pytest.approx(2 / _census("320411") * 10_000, rel=1e-3)
    assert rows["320412"]["value"] == pytest.approx(2.5 / _census("320412") * 10_000, rel=1e-3)
    assert data["total"]["count"] == 4.5 and data["total"]["population"] == _census("320400")
    assert data["total"]["value"] == pytest.approx(4.5 / _census("320400") * 10_000, rel=1e-3)
    assert data["meta"]["population_source"] == "census2020" and data["meta"]["counting"] == "fractional"
    first = _indicator(ws, "high_value_invention_per_10k", "--region", "南江县", "--as-of", AS_OF)
    assert first["total"]["count"] == 3  # A, N and all of G (first patentee in 南江县)
    assert first["total"]["value"] == pytest.approx(3 / _census("511922") * 10_000, rel=1e-3)


def test_regional_figures_add_up_and_municipalities_are_cities(ws: Workspace) -> None:
    country = _indicator(ws, "valid_invention", "--as-of", "2022-12-31", "--by", "province")
    provinces = {r["name"]: r["count"] for r in country["rows"]}
    assert sum(provinces.values()) == country["total"]["count"]
    for province, by in (("江苏", "city"), ("四川", "county"), ("重庆市", "city")):
        sub = _indicator(ws, "valid_invention", "--region", province, "--as-of", "2022-12-31", "--by", by)
        assert sum(r["count"] for r in sub["rows"]) == sub["total"]["count"] == provinces[sub["region"]["name"]]
    chongqing = _indicator(ws, "valid_invention", "--region", "重庆市", "--as-of", "2022-12-31", "--by", "city")
    assert [(r["code"], r["name"], r["count"]) for r in chongqing["rows"]] == [("500000", "重庆市", 2)]  # E, L
    yearend = _indicator(
        ws, "valid_invention_per_10k", "--region", "重庆", "--as-of", "2022-12-31", "--population", "yearend"
    )
    assert yearend["total"]["population_year"] == "2022"
    assert yearend["meta"]["population_source"] == "yearend"


def test_flows_per_year_with_growth_and_drill_down(ws: Workspace) -> None:
    data = _indicator(ws, "applications", "--region", "511922", "--as-of", AS_OF, "--years", "2016-2021")
    series = {p["year"]: (p["value"], p["growth_pct"]) for p in data["total"]["series"]}
    assert series == {
        2016: (2, None),  # G (first patentee) and the utility model H; 2015 had none
        2017: (0, -100.0),
        2018: (0, None),
        2019: (0, None),
        2020: (1, None),  # O
        2021: (1, 0.0),  # I
    }
    grants = _indicator(ws, "invention_grants", "--region", "511922", "--as-of", AS_OF, "--year", "2015")
    assert [p["app_key"] for p in grants["patents"]] == [A]


def test_value_command_components_and_weights(ws: Workspace) -> None:
    data = cli_json("value", "ZL201810000003.3", "--as-of", AS_OF, workspace=ws.root)
    value = data["value"]
    assert 0 <= value["score"] <= 100 and value["cohort_size"] >= 1
    components = {c["name"]: c for c in value["components"]}
    assert len(components) == 8
    assert components["legal_events"]["value"] == 1  # the pledge
    assert components["claims"]["value"] is None and components["claims"]["percentile"] is None  # unknown
    assert components["grant_lag"]["value"] == 761 and components["grant_lag"]["better"] == "lower"
    assert data["flags"]["high_value"] and data["flags"]["criteria"][0]["criterion"] == "pledge"
    only_events = cli_json("value", C, "--as-of", AS_OF, "--weights", ",".join(
        f"{c}=0" for c in components if c != "legal_events"
    ), workspace=ws.root)  # fmt: skip
    assert only_events["value"]["score"] == components["legal_events"]["percentile"]
    bad = run_cli("value", C, "--weights", "claimz=1", workspace=ws.root)
    assert bad.returncode == 2 and "claimz" in bad.stderr
    lapsed = cli_json("value", E, "--as-of", AS_OF, workspace=ws.root)
    assert lapsed["flags"]["invalid_reason"] == "lapsed" and lapsed["flags"]["lapse_date"] == "2023-03-01"


def test_search_sorts_and_filters_by_value(ws: Workspace) -> None:
    data = cli_json("search", "type=invention", "--sort", "-value", "--limit", "50", workspace=ws.root)
    values = [h["value"] for h in data["hits"]]
    assert values == sorted(values, reverse=True) and len(values) == data["total"]
    cut = values[len(values) // 2]
    high = cli_json("search", f"type=invention AND value>={cut}", "--limit", "50", workspace=ws.root)
    assert high["total"] == sum(1 for v in values if v >= cut)
    assert all(h["value"] >= cut for h in high["hits"])


def test_a_bad_award_file_is_one_clear_line(ws: Workspace, tmp_path: Path) -> None:
    bad = tmp_path / "awards.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    result = run_cli("awards", "load", str(bad), workspace=ws.root)
    assert result.returncode == 1 and "unexpected" not in result.stderr
    assert f"{bad}: header row lacks number, award, year" in result.stderr


def test_awards_reload_is_idempotent(ws: Workspace) -> None:
    again = run_cli("awards", "load", str(FIXTURES / "awards" / "awards.csv"), "--json", workspace=ws.root)
    assert again.returncode == 3
    listed = cli_json("awards", "list", workspace=ws.root)
    assert len(listed) == 2 and {r["year"] for r in listed} == {2021, 2025}


def test_indicator_list_and_excel_export_carry_sources(ws: Workspace, tmp_path: Path) -> None:
    names = {i["name"] for i in cli_json("indicator", "--list", workspace=ws.root)}  # type: ignore[union-attr]
    assert {"valid_invention", "high_value_invention", "valid_invention_per_10k", "high_value_invention_per_10k",
            "pct_applications", "applications", "grants"} <= names  # fmt: skip
    out = tmp_path / "hv.xlsx"
    result = run_cli(
        "indicator", "high_value_invention_per_10k", "--region", "常州", "--by", "county", "--as-of", AS_OF,
        "--patents", "--output", str(out), workspace=ws.root,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["指标 Figures", "专利清单 Patents", "口径 Sources"]
    figures = list(book["指标 Figures"].iter_rows(min_row=2, values_only=True))
    header = figures[0]
    assert {"as_of", "population_source", "concordance"} <= set(header)
    assert all(row[header.index("as_of")] == AS_OF for row in figures[1:])
    assert len(book["指标 Figures"]._charts) == 1
    sources = dict(book["口径 Sources"].iter_rows(min_row=2, values_only=True))
    assert sources["as_of"] == AS_OF and "census" in sources["population_source_zh"]
    bad = run_cli("indicator", "valid_invention", "--region", "朝阳区", workspace=ws.root)
    assert bad.returncode == 2 and "ambiguous" in bad.stderr


def test_api_value_and_indicator(ws: Workspace) -> None:
    client = TestClient(create_app(Settings(workspace=ws.root, public=True)))
    value = client.get(f"/api/value/{A}", params={"as_of": AS_OF}).json()
    assert value["flags"]["high_value"] and {c["criterion"] for c in value["flags"]["criteria"]} == {
        "sei",
        "maintained",
    }
    figure = client.get(
        "/api/indicators/high_value_invention", params={"region": "常州", "as_of": AS_OF, "by": "county"}
    ).json()
    assert figure["total"]["count"] == 4  # first patentee: G counts for 南江县
    assert client.get("/api/indicators/nope").status_code == 400
    assert client.get("/api/value/CN999").status_code == 404
    catalogue = client.get("/api/indicators").json()
    assert any(i["name"] == "high_value_invention_per_10k" for i in catalogue)


def test_stored_flags_of_today_equal_flags_computed_for_one_patent(ws: Workspace, tmp_path: Path) -> None:
    """Ingest stores every patent's flags as of today (patent pages read them); computed alone they agree."""
    import shutil

    import duckdb

    keys = [r[0] for r in duckdb.connect(str(ws.warehouse_path), read_only=True).execute(
        "SELECT app_key FROM value_flags ORDER BY app_key").fetchall()]  # fmt: skip
    assert len(keys) >= 5
    alone = tmp_path / "ws"
    shutil.copytree(ws.root, alone)
    with duckdb.connect(str(alone / "warehouse.duckdb")) as con:
        con.execute("DROP TABLE value_flags")
        con.execute("DELETE FROM meta WHERE key = 'value_flags'")
    stored_api = TestClient(create_app(Settings(workspace=ws.root, public=True)))
    alone_api = TestClient(create_app(Settings(workspace=alone, public=True)))
    stored = [stored_api.get(f"/api/value/{k}").json()["flags"] for k in keys]
    computed = [alone_api.get(f"/api/value/{k}").json()["flags"] for k in keys]
    assert stored == computed and any(f["high_value"] for f in stored)
    assert cli_json("value", keys[0], workspace=ws.root)["flags"] == stored[0]  # type: ignore[index]


def test_cli_and_api_take_the_same_options_and_the_workspace_settings(ws: Workspace, tmp_path: Path) -> None:
    client = TestClient(create_app(Settings(workspace=ws.root, public=True)))
    api = client.get("/api/analyze/high_value", params={"as_of": AS_OF}).json()
    cli = cli_json("analyze", "high_value", "--as-of", AS_OF, workspace=ws.root)
    assert api["as_of"] == AS_OF and api["rows"] == cli["rows"]  # type: ignore[index]
    keyed = client.get("/api/indicators/high_value_invention", params={"as_of": AS_OF, "sei_keywords": "true"}).json()
    assert keyed["total"] == _indicator(ws, "high_value_invention", "--as-of", AS_OF, "--sei-keywords")["total"]
    assert keyed["meta"]["flag_policy"]["sei_keywords"] is True

    # settings.toml is honoured by the analyses, the API and the CLI alike (it was ignored by two analyses)
    import shutil

    strict = tmp_path / "strict"
    shutil.copytree(ws.root, strict)
    (strict / "settings.toml").write_text("pledge_min_amount = 30000000\n", encoding="utf-8")

    def pledged(rows: list[dict]) -> int:
        return next(r["applications"] for r in rows if r["measure"] == "pledge")

    default_rows = cli["rows"]  # type: ignore[index]
    strict_cli = cli_json("analyze", "high_value", "--as-of", AS_OF, workspace=strict)["rows"]  # type: ignore[index]
    strict_api = (
        TestClient(create_app(Settings.load(strict, public=True)))
        .get("/api/analyze/high_value", params={"as_of": AS_OF})
        .json()["rows"]
    )
    assert pledged(strict_cli) == pledged(strict_api) == pledged(default_rows) - 1  # C's pledge is below 30M
