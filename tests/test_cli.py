"""The ingest CLI as an official's script would use it: exit codes, one line per file, nothing half-written."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl.__main__ import NICE_ENV
from etl.store import write as store
from etl.store.ingest import ingest_file
from etl.store.publish import generation
from etl.store.schema import SCHEMA_VERSION
from etl.store.write import connect

from .pdf_fixtures import encrypted_pdf, scanned_pdf, text_pdf
from .samples import ROOT, YANGQUAN


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def db_digest(path: Path) -> str:
    """Content digest of every table, independent of the file's physical layout."""
    con = connect(path, read_only=True)
    h = hashlib.sha256()
    for (table,) in con.execute("SELECT table_name FROM information_schema.tables WHERE table_type='BASE TABLE' "
                                "ORDER BY 1").fetchall():
        cols = [c for c in con.execute(f"SELECT * FROM {table} LIMIT 0").fetchdf().columns if c != "ingested_at"]
        rows = con.execute(f"SELECT {', '.join(cols) or '1'} FROM {table} ORDER BY ALL").fetchall()
        h.update(repr((table, rows)).encode())
    con.close()
    return h.hexdigest()


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    box = tmp_path / "inbox"
    box.mkdir()
    shutil.copy(YANGQUAN, box / "good.txt")
    (box / "empty.pdf").write_bytes(b"")
    (box / "page.pdf").write_text("<html><body>not a pdf</body></html>")
    text_pdf(box / "letter.pdf", ["Dear colleague,", "this is a letter, not a budget."])
    encrypted_pdf(box / "locked.pdf", text_pdf(tmp_path / "plain.pdf", ["hello"]))
    scanned_pdf(box / "scan.pdf")
    (box / "notes.txt").write_text("会议纪要\n今天讨论了工作安排。\n", encoding="utf-8")
    (box / "y_gbk.txt").write_bytes(YANGQUAN.read_text(encoding="utf-8").encode("gb18030"))
    return box


def test_folder_ingest_reports_each_bad_file_and_loads_the_good_ones(inbox: Path, tmp_path: Path):
    db = tmp_path / "b.duckdb"
    res = run_cli("ingest", str(inbox), "--db", str(db))
    assert res.returncode == 1
    err = res.stderr
    assert "empty.pdf: 文件为空" in err
    assert "page.pdf: 不是PDF文件" in err
    assert "letter.pdf: 不是预算公开报告" in err
    assert "locked.pdf: PDF已加密" in err
    assert "scan.pdf: PDF没有文字层（可能是扫描件）" in err
    assert "notes.txt: 不是预算公开报告" in err
    out = res.stdout
    assert "good.txt: 阳泉市文化和旅游局 2023年单位预算" in out and "秒" in out
    # the GBK copy is the same report in other bytes: it reads, but a second 2023 report of one unit is refused
    assert "y_gbk.txt: 已有阳泉市文化和旅游局2023年单位预算（good.txt）" in err
    con = connect(db, read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchall()[0][0] == 1


def test_gbk_text_loads_and_replace_swaps_the_version(tmp_path: Path):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(YANGQUAN.read_text(encoding="utf-8").encode("gb18030"))
    db = tmp_path / "b.duckdb"
    assert run_cli("ingest", str(gbk), "--db", str(db)).returncode == 0
    res = run_cli("ingest", str(YANGQUAN), "--db", str(db), "--replace")
    assert res.returncode == 0, res.stderr
    con = connect(db, read_only=True)
    assert con.execute("SELECT source_file FROM documents").fetchall() == [(YANGQUAN.name,)]
    assert con.execute("SELECT count(DISTINCT doc_id) FROM func_lines").fetchall()[0][0] == 1


def test_reingest_same_bytes_changes_nothing(tmp_path: Path):
    db = tmp_path / "b.duckdb"
    assert run_cli("ingest", str(YANGQUAN), "--db", str(db)).returncode == 0
    before, generation_before = db_digest(db), generation(db)
    res = run_cli("ingest", str(YANGQUAN), "--db", str(db))
    assert res.returncode == 0 and "内容未变" in res.stdout
    assert db_digest(db) == before
    # nothing was published: the very same file stays in place, so open dashboards keep their caches
    assert generation(db) == generation_before


def test_unchanged_rerun_still_upgrades_an_older_builds_schema(tmp_path: Path):
    """A file written by an older build (other views) gets this build's views on the next ingest, even when every
    report in it is unchanged: the dashboard reads them read-only and cannot create them itself."""
    db = tmp_path / "b.duckdb"
    assert run_cli("ingest", str(YANGQUAN), "--db", str(db)).returncode == 0
    con = duckdb.connect(str(db))
    con.execute("DROP VIEW yoy_projects")
    con.execute("UPDATE schema_meta SET value = 'older-build' WHERE key = 'ddl'")
    con.close()
    res = run_cli("ingest", str(YANGQUAN), "--db", str(db))
    assert res.returncode == 0 and "内容未变" in res.stdout
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM yoy_projects").fetchall() == [(0,)]
        assert con.execute("SELECT value FROM schema_meta WHERE key = 'ddl'").fetchall() == [(SCHEMA_VERSION,)]
    finally:
        con.close()


def test_failed_write_leaves_database_unchanged(tmp_path: Path, monkeypatch):
    db = tmp_path / "b.duckdb"
    con = connect(db)
    original = store._insert

    def fail_on_checks(con_, table, rows):
        if table == "checks":
            raise store.duckdb.Error("disk full (simulated)")
        original(con_, table, rows)

    monkeypatch.setattr(store, "_insert", fail_on_checks)
    outcome = ingest_file(con, YANGQUAN)
    assert outcome.status == "failed" and "写入数据库失败" in outcome.message
    for table in ("documents", "func_lines", "summary_lines", "report_tables"):
        assert con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0] == 0
    con.close()


def test_unparseable_recognised_table_loads_the_rest_and_says_so(tmp_path: Path):
    text = YANGQUAN.read_text(encoding="utf-8").replace("2070108 文化活动 40.00  40.00", "2070108 文化活动 4,0.00  40.00")
    bad = tmp_path / "garbled.txt"
    bad.write_text(text, encoding="utf-8")
    db = tmp_path / "b.duckdb"
    res = run_cli("ingest", str(bad), "--db", str(db))
    assert res.returncode == 0
    # the line is printed twice (支出总表 and 一般公共预算支出表): both tables are named, the rest is loaded
    assert "garbled.txt: 阳泉市文化和旅游局 2023年单位预算（2张表未能解析：" in res.stdout and "[已导入]" in res.stdout


def test_checks_command_prints_per_document(tmp_path: Path):
    db = tmp_path / "b.duckdb"
    run_cli("ingest", str(YANGQUAN), "--db", str(db))
    res = run_cli("checks", "--db", str(db))
    assert res.returncode == 0
    head = res.stdout.splitlines()[0]
    # the tables add up; the words have one real slip (编制说明: “…上年结转资金。；本年单位预算支出总计…”)
    assert head.startswith("阳泉市文化和旅游局 2023年单位预算") and "表格核对" in head and "（未通过0）" in head
    assert "文字审查" in head and "（未通过1）" in head
    assert "“。；”标点重复" in res.stdout


def test_table_without_printed_unit_takes_the_reports_unit_and_says_so(tmp_path: Path):
    text = YANGQUAN.read_text(encoding="utf-8").replace("单位名称：阳泉市文化和旅游局  单位：万元\n\n项目 2023年预算数",
                                                         "单位名称：阳泉市文化和旅游局\n\n项目 2023年预算数", 1)
    assert text != YANGQUAN.read_text(encoding="utf-8")
    f = tmp_path / "nounit.txt"
    f.write_text(text, encoding="utf-8")
    con = connect(tmp_path / "b.duckdb")
    outcome = ingest_file(con, f)
    assert outcome.status == "loaded"
    assert any("没有印金额单位" in i.message and "万元" in i.message for i in outcome.report.issues)
    assert con.execute("SELECT amount_yuan FROM func_lines WHERE table_kind='expenditure' AND code='2070107' "
                       "AND measure='total'").fetchall()[0][0] == 22194000


NICENESS_AFTER_INGEST = """
import os, sys
from etl.__main__ import main
before = os.nice(0)
code = main(["ingest", sys.argv[1], "--db", sys.argv[2], "--workers", "1", *sys.argv[3:]])
print("exit", code, "lowered", os.nice(0) - before)
"""


@pytest.mark.parametrize(("extra", "env", "lowered"), [([], None, 10), (["--nice", "3"], None, 3),
                                                      ([], "0", 0), (["--nice", "0"], "7", 0)])
def test_ingest_yields_the_cpu_by_default(tmp_path: Path, extra: list[str], env: str | None, lowered: int) -> None:
    """A batch import on the dashboard's host runs at a lower priority (nice +10, or --nice / BUDGET_INGEST_NICE)
    and still loads the report."""
    environ = {k: v for k, v in os.environ.items() if k != NICE_ENV}
    if env is not None:
        environ[NICE_ENV] = env
    res = subprocess.run([sys.executable, "-c", NICENESS_AFTER_INGEST, str(YANGQUAN), str(tmp_path / "n.duckdb"),
                          *extra], cwd=ROOT, capture_output=True, text=True, timeout=120, env=environ)
    lines = res.stdout.splitlines()
    assert lines[-1] == f"exit 0 lowered {lowered}", res.stdout + res.stderr[-2000:]
    assert lines[0].startswith("[已导入]") and "阳泉市文化和旅游局" in lines[0]
