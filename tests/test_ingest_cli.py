"""`ipnav ingest` as a user runs it: counts, idempotency, bad input, interruption."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import openpyxl

from ipnav.application import Ipnav
from ipnav.config import Settings, Workspace
from tests.conftest import cli_json, run_cli, shared

HEADER = (
    "申请号,申请日,公开(公告)号,公开(公告)日,名称,申请(专利权)人,发明(设计)人,申请人地址,主分类号,分类号,"
    "法律状态,专利类型,摘要,自定义列"
)


def _docs(path: Path, count: int) -> list[bytes]:
    data = path.read_bytes()
    parts = data.split(b'<?xml version="1.0" encoding="UTF-8"?>')
    return [b'<?xml version="1.0" encoding="UTF-8"?>' + p for p in parts[1 : count + 1]]


def test_ingest_json_summary_and_second_run_changes_nothing(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    first = cli_json("ingest", str(shared("cn", "cnipa_xml")), str(shared("uspto", "grants_biblio")), workspace=ws)
    assert set(first) == {
        "files", "records", "inserted", "updated", "unchanged", "rejected", "seconds", "linked", "regions"
    }  # fmt: skip
    assert first["linked"] == 0 and sum(first["regions"]["parties"].values()) > 0
    # 16 documents; USD967598S1 stands twice in the weekly excerpt, so 15 distinct documents are stored
    assert (first["files"], first["records"], first["inserted"], first["rejected"]) == (6, 16, 15, 0)
    second = cli_json("ingest", str(shared("cn", "cnipa_xml")), str(shared("uspto", "grants_biblio")), workspace=ws)
    assert (second["inserted"], second["updated"], second["unchanged"]) == (0, 0, 15)


def test_a_and_b_publications_of_one_application_merge(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    cli_json("ingest", str(shared("epo_wipo", "ops", "published_full_cycle_example.xml")), workspace=ws)
    detail = cli_json("show", "EP1000000", workspace=ws)
    assert detail["app_key"] == "EP99203729"
    assert [p["number"] + p["kind"] for p in detail["publications"]] == ["EP1000000A1", "EP1000000B1"]
    stats = cli_json("stats", workspace=ws)
    assert stats["patents"] == 1 and stats["documents"] == 2


def test_table_row_and_xml_of_one_cn_application_merge(tmp_path: Path) -> None:
    table = tmp_path / "export.csv"
    table.write_text(
        HEADER + "\n201410408762.5,2014-08-19,CN104223352B,2016-08-17,一种甘草发酵所得烟用香料及其应用,"
        "云南中烟工业有限责任公司,段焰青;者为,650231 云南省昆明市五华区红锦路367号,A24B15/18,A24B15/18;C11B9/00,"
        "有权-审定授权,发明授权,摘要文字,x\n",
        encoding="utf-8",
    )
    ws = tmp_path / "ws"
    cli_json("ingest", str(shared("cn", "cnipa_xml", "cn_old1.xml")), str(table), workspace=ws)
    detail = cli_json("show", "CN104223352B", workspace=ws)
    assert [p["number"] + p["kind"] for p in detail["publications"]] == ["CN104223352A", "CN104223352B"]
    assert detail["legal_status"] == "valid" and detail["legal_status_raw"] == "有权-审定授权"
    assert detail["extra"]["自定义列"] == "x"  # unknown columns are kept


def test_bad_records_are_rejected_with_file_position_field_and_rest_loads(tmp_path: Path) -> None:
    docs = _docs(shared("uspto", "grants_red_book", "ipg050104.small.xml"), 3)
    broken = docs[1].replace(b"</invention-title>", b"</invention-titel>", 1)
    weekly = tmp_path / "ipg_broken.xml"
    weekly.write_bytes(docs[0] + broken + docs[2])
    table = tmp_path / "rows.csv"
    table.write_text(
        HEADER + "\n201410408762.6,2014-08-19,,,错号专利,甲公司,,,,,,,,\n"
        "202110991218.8,2021-13-45,,,坏日期专利,乙公司,,,,,,,,\n"
        "202110991218.8,2021-08-26,,,好专利,丙公司,,,,,,,,\n",
        encoding="utf-8",
    )
    ws = tmp_path / "ws"
    result = run_cli("ingest", str(weekly), str(table), "--json", workspace=ws)
    assert result.returncode == 3, result.stderr  # finished, but something was rejected
    summary = json.loads(result.stdout)
    assert (summary["records"], summary["rejected"]) == (3, 3)
    rejects = cli_json("rejects", workspace=ws)
    by_file = {(Path(r["source_file"]).name, r["position"]): r for r in rejects}
    xml_reject = by_file[("ipg_broken.xml", 2)]
    assert xml_reject["field"] == "xml" and "broken XML" in xml_reject["reason"]
    assert Path(xml_reject["raw_path"]).read_bytes() == broken  # raw bytes kept in the workspace
    assert by_file[("rows.csv", 1)]["field"] == "application_number"
    assert "expected 5" in by_file[("rows.csv", 1)]["reason"]
    assert by_file[("rows.csv", 2)]["field"] == "filing_date"
    assert cli_json("stats", workspace=ws)["patents"] == 3


def test_truncated_empty_and_wrong_type_files_give_one_clear_line(tmp_path: Path) -> None:
    docs = _docs(shared("uspto", "grants_red_book", "ipg050104.small.xml"), 2)
    truncated = tmp_path / "truncated.xml"
    truncated.write_bytes(docs[0] + docs[1][: len(docs[1]) // 2])
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    picture = tmp_path / "scan.xml"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    ws = tmp_path / "ws"
    result = run_cli("ingest", str(truncated), str(empty), str(picture), workspace=ws)
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert "empty.xml: file is empty" in result.stderr
    assert "scan.xml: not a patent data file: PNG image" in result.stderr
    rejects = cli_json("rejects", workspace=ws)
    truncated_reject = next(r for r in rejects if r["source_file"].endswith("truncated.xml"))
    assert truncated_reject["position"] == 2 and "truncated" in truncated_reject["reason"]
    assert cli_json("stats", workspace=ws)["patents"] == 1  # the complete first document still loaded


def test_missing_path_is_one_line_and_debug_shows_traceback(tmp_path: Path) -> None:
    result = run_cli("ingest", str(tmp_path / "nope.xml"), workspace=tmp_path / "ws")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"ipnav: {tmp_path / 'nope.xml'}: no such file or folder"]
    debug = run_cli("--debug", "ingest", str(tmp_path / "nope.xml"), workspace=tmp_path / "ws")
    assert "Traceback" in debug.stderr


def test_gbk_csv_undecodable_bytes_and_xlsx_with_chinese_headers(tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(
        (
            HEADER + "\n201410408762.5,2014-08-19,CN104223352A,2014-12-24,甘草香料,云南中烟工业有限责任公司"
            ",段焰青,云南省昆明市五华区,A24B15/18,,审中-实质审查,发明公开,,\n"
        ).encode("gb18030")
    )
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes(
        (HEADER + "\n").encode()
        + "202110991218.8,2021-08-26,,,好,甲,,,,,,,,\n".encode()
        + b"202111286633.X,2021-08-26,,,\xff\xfe\xfa,\xc3,,,,,,,,\n"
    )
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["某平台导出 2024"])  # a title row before the header, as exports have
    sheet.append(HEADER.split(","))
    sheet.append(
        [
            "CN202223220665.2",
            "2022-11-30",
            "CN218000000U",
            "2023-04-07",
            "一种实用新型",
            "某某大学",
            "张三;李四",
            "四川省巴中市南江县",
            "H01M4/13",
            "H01M4/13;H01M10/05",
            "有权",
            "实用新型",
            "",
            "",
        ]
    )
    xlsx = tmp_path / "export.xlsx"
    book.save(xlsx)
    ws = tmp_path / "ws"
    result = run_cli("ingest", str(gbk), str(mixed), str(xlsx), "--json", workspace=ws)
    summary = json.loads(result.stdout)
    assert (summary["records"], summary["rejected"]) == (3, 1)
    reject = cli_json("rejects", workspace=ws)[0]
    assert reject["source_file"].endswith("mixed.csv") and reject["position"] == 2
    assert "undecodable" in reject["reason"]
    gbk_patent = cli_json("show", "201410408762.5", workspace=ws)
    assert gbk_patent["titles"]["zh"] == "甘草香料" and gbk_patent["legal_status"] == "pending"
    um = cli_json("show", "CN202223220665", workspace=ws)
    assert um["patent_type"] == "utility_model"
    assert [c["symbol"] for c in um["classifications"]] == ["H01M4/13", "H01M10/05"]
    applicant = next(p for p in um["parties"] if p["role"] == "applicant")
    assert (applicant["adcode"], applicant["county_name"]) == ("511922", "南江县")
    assert [p["name"] for p in um["parties"] if p["role"] == "inventor"] == ["张三", "李四"]


def test_user_header_map_extends_the_built_in_one(tmp_path: Path) -> None:
    table = tmp_path / "custom.csv"
    table.write_text("Appl. Ref,Filed On,Invention Name\n201410408762.5,2014-08-19,甘草香料\n", encoding="utf-8")
    mapping = tmp_path / "headers.toml"
    mapping.write_text(
        '[headers]\n"Appl. Ref" = "app_number"\n"Filed On" = "filing_date"\n"Invention Name" = "title"\n',
        encoding="utf-8",
    )
    ws = tmp_path / "ws"
    without = run_cli("ingest", str(table), "--json", workspace=ws)
    assert json.loads(without.stdout)["rejected"] == 1
    with_map = cli_json("ingest", str(table), "--header-map", str(mapping), workspace=ws)
    assert with_map["inserted"] == 1
    assert cli_json("show", "CN201410408762", workspace=ws)["filing_date"] == "2014-08-19"


def _tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    con = duckdb.connect(str(path), read_only=True)
    out = {}
    for table in (
        "documents",
        "patents",
        "publications",
        "parties",
        "classifications",
        "citations",
        "priorities",
        "transactions",
        "transaction_patents",
        "legal_events",
    ):
        columns = "* EXCLUDE (run_id)" if table == "documents" else "*"
        out[table] = sorted(con.execute(f"SELECT {columns} FROM {table}").fetchall(), key=repr)
    con.close()
    return out


def test_killed_ingest_rerun_leaves_exactly_the_clean_warehouse(tmp_path: Path) -> None:
    paths = [
        str(shared("uspto", "grants_red_book")),
        str(shared("uspto", "grants_legacy")),
        str(shared("uspto", "assignments")),
    ]
    clean = Workspace(tmp_path / "clean")
    Ipnav(Settings(workspace=clean.root), create=True).ingest([Path(p) for p in paths], workers=1, batch_size=50)
    killed = tmp_path / "killed"
    env = dict(os.environ, IPNAV_WORKSPACE=str(killed))
    proc = subprocess.Popen(
        [sys.executable, "-m", "ipnav.cli", "ingest", *paths, "--batch-size", "5", "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline and not (killed / "warehouse.duckdb.wal").exists():
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    rerun = cli_json("ingest", *paths, workspace=killed)
    assert rerun["records"] > 0
    assert _tables(killed / "warehouse.duckdb") == _tables(clean.warehouse_path)
    with duckdb.connect(str(killed / "warehouse.duckdb"), read_only=True) as con:
        runs = con.execute("SELECT status, finished_at IS NOT NULL FROM ingest_runs ORDER BY run_id").fetchall()
    assert runs == [("interrupted", True), ("done", True)]  # the killed run does not stay 'running' forever


def test_mysql_dump_with_chinese_columns_integer_dates_and_glued_postcodes(tmp_path: Path) -> None:
    dump = tmp_path / "export.sql"
    dump.write_text(
        "-- MySQL dump\nCREATE TABLE `patent` (\n  `id` int NOT NULL,\n  `申请号` varchar(64),\n  `申请日` int,\n"
        "  `公开号` varchar(64),\n  `公开日` int,\n  `名称` varchar(512),\n  `申请人` varchar(512),\n"
        "  `申请人地址` varchar(512),\n  `法律状态` varchar(64),\n  `主分类号` varchar(64),\n  `分类号` varchar(256),\n"
        "  `国省代码` varchar(64),\n  `授权公告日` int,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB;\n"
        "INSERT INTO `patent` VALUES (1,'CN202211516348.7',20221130,'CN115800000A',20230310,"
        "'一种锂电池极片\\'s 制备方法',"
        "'郑州大学','450001河南省郑州市金水区科学大道100号','审中-实质审查','H01M4/13','H01M4/13;H01M10/0525','河南(41)',0),"
        "(2,'CN202223220665.2',20221202,'CN218000000U',20230407,'一种实用新型','某某公司','211100江苏省南京市江宁区',"
        "'有权-审定授权','H01M4/13','H01M4/13','江苏(32)',20230407);\n",
        encoding="utf-8",
    )
    ws = tmp_path / "ws"
    summary = cli_json("ingest", str(dump), workspace=ws)
    assert (summary["records"], summary["rejected"]) == (2, 0)
    first = cli_json("show", "CN202211516348.7", workspace=ws)
    assert first["filing_date"] == "2022-11-30" and first["titles"]["zh"] == "一种锂电池极片's 制备方法"
    assert (first["legal_status"], first["legal_status_reason"]) == ("pending", "examination")
    assert [c["symbol"] for c in first["classifications"]] == ["H01M4/13", "H01M10/0525"]
    applicant = next(p for p in first["parties"] if p["role"] == "applicant")
    assert (applicant["adcode"], applicant["county_name"]) == ("410105", "金水区")
    assert first["extra"]["province_code"] == "河南(41)"
    second = cli_json("show", "CN218000000U", workspace=ws)
    assert (second["patent_type"], second["legal_status"]) == ("utility_model", "valid")


def test_one_nul_or_bad_byte_rejects_its_row_and_the_rest_of_the_file_loads(tmp_path: Path) -> None:
    lines = shared("cn", "records", "cnki_patents.csv").read_bytes().split(b"\n")
    lines[5] = lines[5].replace(b",", b",\x00", 1)  # data row 5, line 6
    lines[10] = lines[10].replace("计算机".encode(), b"\xff\xfe", 1)  # data row 10: bytes that are not UTF-8
    damaged = tmp_path / "cnki_damaged.csv"
    damaged.write_bytes(b"\n".join(lines))
    result = run_cli("ingest", str(damaged), "--json", workspace=tmp_path / "ws")
    assert result.returncode == 3, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["records"], summary["rejected"]) == (4798, 2)
    rejects = sorted(cli_json("rejects", workspace=tmp_path / "ws"), key=lambda r: r["line"])  # type: ignore[arg-type]
    assert [(r["line"], r["position"]) for r in rejects] == [(6, 5), (11, 10)]
    assert "NUL" in rejects[0]["reason"] and "undecodable" in rejects[1]["reason"]
    assert all(r["source_file"].endswith("cnki_damaged.csv") for r in rejects)
    # the other rows were read as UTF-8, not as GB18030 mojibake
    titles = cli_json("search", "ti=声波影响粒子碰并", workspace=tmp_path / "ws")
    assert titles["total"] == 1  # type: ignore[index]


def _peak_rss_mb(*args: str, workspace: Path, env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run `ipnav ARGS` and return its result with the peak RSS (MB) of the command and its workers.

    The command's own peak is VmHWM, not getrusage: Linux carries the parent's high-water mark
    across fork and exec into ru_maxrss, so a large pytest worker would be measured instead.
    """
    probe = (
        "import resource, runpy, sys\n"
        f"sys.argv = ['ipnav', *{list(args)!r}]\n"
        "try:\n    runpy.run_module('ipnav.cli', run_name='__main__')\n"
        "finally:\n"
        "    own = int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0])\n"
        "    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "    sys.stderr.write(f'\\npeak-kb {max(own, kids)}\\n')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=600,
        env={**os.environ, "IPNAV_WORKSPACE": str(workspace), **env},
    )  # fmt: skip
    return result, int(result.stderr.rsplit("peak-kb ", 1)[1]) / 1024


def test_zip_bomb_large_and_unsafe_members_are_rejects_and_the_rest_loads(tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "delivery.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.write(shared("cn", "cnipa_xml", "cn_old1.xml"), "good/cn_old1.xml")
        with z.open("bomb.xml", "w", force_zip64=True) as bomb:  # 1 GB of XML-shaped spaces
            bomb.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<cn-patent-document>')
            block = b" " * (16 << 20)
            for _ in range(64):
                bomb.write(block)
        z.writestr("big.xml", bytes(random.Random(7).choices(b"abcdefghij<> \n", k=3 << 20)))
        z.writestr("../escape.xml", b"<x/>")
        z.writestr("/etc/absolute.xml", b"<x/>")
        z.writestr("sub/.hidden.xml", b"<x/>")
        z.writestr("__MACOSX/good/._cn_old1.xml", b"\x00\x05\x16\x07")  # Finder metadata: skipped quietly
    assert archive.stat().st_size < 3 << 20
    ws = tmp_path / "ws"
    result, peak_mb = _peak_rss_mb("ingest", str(archive), "--json", workspace=ws, env={"IPNAV_MAX_MEMBER_MB": "2"})
    assert result.returncode == 3, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["inserted"], summary["rejected"]) == (1, 5)
    assert peak_mb < 1024, f"peak RSS {peak_mb:.0f} MB"
    reasons = {r["source_file"].split("!")[1]: r["reason"] for r in cli_json("rejects", workspace=ws)}  # type: ignore[union-attr]
    assert set(reasons) == {"bomb.xml", "big.xml", "../escape.xml", "/etc/absolute.xml", "sub/.hidden.xml"}
    assert "compression-ratio limit of 100" in reasons["bomb.xml"] and "max_compression_ratio" in reasons["bomb.xml"]
    assert "over the limit of 2 MB per member" in reasons["big.xml"]
    assert "'..'" in reasons["../escape.xml"] and "absolute" in reasons["/etc/absolute.xml"]
    assert "hidden" in reasons["sub/.hidden.xml"]
    assert sum(f.stat().st_size for f in (ws / "rejects").iterdir()) < 1 << 20


def test_a_huge_bad_record_keeps_its_first_megabyte_with_size_and_hash(tmp_path: Path) -> None:
    import hashlib

    doc = b'<?xml version="1.0" encoding="UTF-8"?>\n<cn-patent-document><abstract>' + "很长".encode() * (1 << 20)
    source = tmp_path / "truncated.xml"
    source.write_bytes(doc)
    result = run_cli("ingest", str(source), "--json", workspace=tmp_path / "ws")
    assert result.returncode == 3
    reject = cli_json("rejects", workspace=tmp_path / "ws")[0]  # type: ignore[index]
    assert reject["raw_size"] == len(doc) and reject["raw_sha256"] == hashlib.sha256(doc).hexdigest()
    assert Path(reject["raw_path"]).read_bytes() == doc[: 1 << 20]
