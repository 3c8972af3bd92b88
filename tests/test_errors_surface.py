"""Our bugs surface; files at fault are refused. A bug met on one file of a batch gives that file one 程序错误 line
(never "damaged"), its traceback goes to the log and the run exits non-zero, while the other files still load; a
damaged PDF is still refused with one line. Silent gaps — a row key the table lacks, a description field the
relation did not give — raise instead of writing NULL or a blank.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from pathlib import Path

import pytest

from etl import pipeline
from etl.__main__ import main as cli
from etl.checks.rules import MissingField, Rule, evaluate
from etl.read import pdf as pdf_reader
from etl.read.errors import RefusedInput
from etl.read.pdf import read_pdf
from etl.read.report import Comparison, ParsedReport
from etl.store import ingest, logs
from etl.store.write import UnknownColumns, _insert, connect, write_report
from etl.tables.kinds import BOTH

from .pdf_fixtures import text_pdf
from .samples import YANGQUAN

REPORT = YANGQUAN.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _no_log_file_left():
    """Every test starts and ends with the etl loggers writing to stderr, as a fresh process does."""
    logs.close()
    yield
    logs.close()


def _other_unit(path: Path) -> Path:
    """The 阳泉 report as another unit's: loads beside it, parses through the same parsers."""
    path.write_text(REPORT.replace("阳泉市文化和旅游局", "阳泉市测试局"), encoding="utf-8")
    return path


def test_a_parser_bug_is_a_program_error_logged_with_its_traceback_not_a_damaged_file(tmp_path, monkeypatch, capsys):
    def broken(raw, kind):
        raise ZeroDivisionError("parser bug for the test")

    monkeypatch.setitem(pipeline.PARSERS, "summary", broken)
    db = tmp_path / "db.duckdb"
    log_file = logs.configure(db)
    code = cli(["ingest", str(YANGQUAN), "--db", str(db), "--workers", "1"])
    err = capsys.readouterr().err
    assert code == 1
    line = next(x for x in err.splitlines() if YANGQUAN.name in x)
    assert line.startswith("[程序错误]") and "不是文件的问题" in line and "ZeroDivisionError" in line
    assert "损坏" not in line and "已拒绝" not in line
    assert str(log_file) in line
    assert "Traceback" not in err  # the user reads one line; the traceback is in the file
    text = log_file.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "ZeroDivisionError: parser bug for the test" in text
    assert "def broken" in text or "in broken" in text  # where the bug is, not only what


def test_a_bug_on_one_file_of_a_batch_leaves_the_others_loaded(tmp_path, monkeypatch, capsys):
    other = _other_unit(tmp_path / "other.txt")
    real = ingest.parse_report

    def parse(path, display_name=None, progress=None, **year):
        if path.name == YANGQUAN.name:
            raise KeyError("missing_measure")
        return real(path, display_name, progress, **year)

    monkeypatch.setattr(ingest, "parse_report", parse)
    db = tmp_path / "db.duckdb"
    code = cli(["ingest", str(YANGQUAN), str(other), "--db", str(db), "--workers", "1"])
    out = capsys.readouterr()
    assert code == 1
    assert f"[已导入] {other}" in out.out
    assert "程序错误：解析时出错（KeyError: 'missing_measure'）" in out.err
    # the command sends tracebacks to the database's log file and names it on the file's line
    assert f"错误详情已记入 {logs.log_path(db).resolve()}" in out.err
    assert "KeyError: 'missing_measure'" in logs.log_path(db).read_text(encoding="utf-8")
    con = connect(db, read_only=True)
    assert con.execute("SELECT unit_name FROM documents").fetchall() == [("阳泉市测试局",)]
    con.close()


def test_a_writer_bug_is_a_program_error_and_rolls_the_file_back(tmp_path, monkeypatch):
    other = _other_unit(tmp_path / "other.txt")
    real = ingest.write_report

    def write(con, report, replaces=None):
        if report.doc["unit_name"] == "阳泉市测试局":
            report.rows.setdefault("facts", []).append({"doc_id": report.doc["doc_id"], "kee": "typo"})
        return real(con, report, replaces)

    monkeypatch.setattr(ingest, "write_report", write)
    db = tmp_path / "db.duckdb"
    con = connect(db)
    outcomes = ingest.ingest_many(con, [other, YANGQUAN])
    assert [o.status for o in outcomes] == ["failed", "loaded"]
    assert outcomes[0].internal and outcomes[0].message.startswith("程序错误：写入时出错（UnknownColumns")
    assert con.execute("SELECT unit_name FROM documents").fetchall() == [("阳泉市文化和旅游局",)]
    con.close()


def test_a_bug_in_line_merging_is_raised_not_refused_as_a_damaged_page(tmp_path, monkeypatch):
    path = text_pdf(tmp_path / "a.pdf", ["hello"])

    def broken(lines):
        raise IndexError("merge bug for the test")

    monkeypatch.setattr(pdf_reader, "_merge_lines", broken)
    with pytest.raises(IndexError, match="merge bug"):
        read_pdf(path)


def test_a_pdf_whose_page_has_no_media_box_is_refused_as_damaged(tmp_path):
    """pdfplumber fails on such a page with a plain TypeError, and again while closing the document: the file is
    still refused with its one line (found by corrupting sample reports byte by byte)."""
    path = text_pdf(tmp_path / "a.pdf", ["hello"])
    data = path.read_bytes()
    box = b"/MediaBox [0 0 612 792]"
    path.write_bytes(data.replace(box, b" " * len(box)))  # same length: the xref offsets stay right
    with pytest.raises(RefusedInput, match="PDF文件已损坏或无法解析"):
        read_pdf(path)


def test_a_truncated_pdf_is_still_refused_as_damaged(tmp_path, capsys):
    path = text_pdf(tmp_path / "cut.pdf", ["hello"] * 20)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    assert cli(["ingest", str(path), "--db", str(tmp_path / "db.duckdb"), "--workers", "1"]) == 1
    err = capsys.readouterr().err
    assert "[已拒绝]" in err and "PDF文件已损坏或无法解析" in err and "程序错误" not in err


def test_a_row_key_the_table_lacks_raises_naming_table_and_key(tmp_path):
    con = connect(tmp_path / "db.duckdb")
    with pytest.raises(UnknownColumns, match=r"documents: no column unit_nmae") as caught:
        _insert(con, "documents", [{"doc_id": "x", "unit_nmae": "typo"}])
    assert isinstance(caught.value, ValueError) and caught.value.keys == {"unit_nmae"}
    _insert(con, "documents", [{"doc_id": "y"}])  # a left-out NULL-able column is fine
    assert con.execute("SELECT doc_id, unit_name FROM documents").fetchall() == [("y", None)]
    con.close()


def test_write_report_with_an_unknown_key_changes_nothing(tmp_path):
    con = connect(tmp_path / "db.duckdb")
    report = ParsedReport(doc={"doc_id": "d1", "unit_name": "某局"}, checks=[{"doc_id": "d1", "chek_id": "x"}])
    with pytest.raises(UnknownColumns, match="checks"):
        write_report(con, report)
    assert con.execute("SELECT count(*) FROM documents").fetchall() == [(0,)]
    con.close()


def _rule(template: str, fields: dict) -> Rule:
    def relation(v):
        yield Comparison("t:1", Decimal(1), Decimal(1), fields=fields)

    return Rule("test.rule", "测试", BOTH, (), "", template, "cells", relation)


def test_a_description_field_the_relation_did_not_give_raises_naming_rule_and_field():
    report = ParsedReport(doc={"doc_id": "d1", "doc_type": "部门预算"})
    with pytest.raises(MissingField, match=r"test\.rule.*\bcode\b") as caught:
        evaluate(report, (_rule("{table}{row}的{code}", {"row": "合计"}),))
    assert isinstance(caught.value, KeyError) and caught.value.fields == ["code"]
    rows = evaluate(report, (_rule("{row}的{code}", {"row": "合计", "code": ""}),))  # given empty on purpose: fine
    assert rows[0]["description"] == "合计的"


def test_logs_configure_makes_the_folder_is_idempotent_and_writes_tracebacks(tmp_path):
    db = tmp_path / "data" / "budget.duckdb"
    path = logs.configure(db)
    assert path == (tmp_path / "data" / "logs" / "etl.log").resolve()
    assert logs.configure(db) == path and logs.current() == path
    assert sum(isinstance(h, logging.FileHandler) for h in logging.getLogger("etl").handlers) == 1
    try:
        {}["absent"]
    except KeyError as exc:
        error = ingest.InternalError.caught(exc)
    line = logs.bug("解析", error.summary, error.traceback, "x.pdf")
    assert str(path) in line and "程序错误" in line
    text = path.read_text(encoding="utf-8")
    assert "x.pdf" in text and "Traceback (most recent call last)" in text and "KeyError: 'absent'" in text
    elsewhere = logs.configure(tmp_path / "other" / "b.duckdb")  # another database: the one handler moves
    assert elsewhere != path and logs.current() == elsewhere
    assert sum(isinstance(h, logging.FileHandler) for h in logging.getLogger("etl").handlers) == 1


def test_an_old_database_loses_the_unused_template_column(tmp_path):
    import duckdb

    from etl.store.schema import ensure_schema

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    ensure_schema(con)  # then made into an earlier build's file: the column back, the schema mark gone
    con.execute("ALTER TABLE documents ADD COLUMN template VARCHAR")
    con.execute("INSERT INTO documents (doc_id, unit_name) VALUES ('d1', '某局')")
    con.execute("DELETE FROM schema_meta")
    assert ensure_schema(con)
    cols = [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                      "WHERE table_name = 'documents'").fetchall()]
    assert "template" not in cols
    assert con.execute("SELECT doc_id, unit_name FROM documents").fetchall() == [("d1", "某局")]
    con.close()
