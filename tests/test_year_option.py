"""A report whose year cannot be read is never loaded as a year unknown: refused with one line saying how to give it
(--year, or the 导入 page's field), loaded with the given year when given, and a year the report prints is never
overridden by one given."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from etl.pipeline import YEAR_UNKNOWN, parse_report, year_note
from etl.read.errors import RefusedInput
from etl.store.uploads import ingest_upload

from .samples import YANGQUAN
from .test_cli import run_cli

APP = str(Path(__file__).resolve().parent.parent / "app.py")

# hand-built: a 支出总表 that prints its unit and its figures, and no year anywhere (合成数据)
NO_YEAR = """合成测试局单位预算公开
一、单位职责
合成测试局负责测试工作（合成数据，供测试使用）。
表1
部门支出总表
单位名称：合成测试局 单位：万元
科目编码 科目名称 合计 基本支出 项目支出
合计 300.00 100.00 200.00
205 教育支出 300.00 100.00 200.00
20502 普通教育 300.00 100.00 200.00
"""


def documents(db: Path) -> list[tuple]:
    """(fiscal_year, source_file) of every loaded report; none when no database was made."""
    if not db.exists():
        return []
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT fiscal_year, source_file FROM documents").fetchall()
    finally:
        con.close()


@pytest.fixture
def no_year(tmp_path: Path) -> Path:
    path = tmp_path / "无年度.txt"
    path.write_text(NO_YEAR, encoding="utf-8")
    return path


def test_a_report_without_a_year_is_refused_unless_one_is_given(no_year: Path) -> None:
    with pytest.raises(RefusedInput) as refused:
        parse_report(no_year)
    assert str(refused.value) == YEAR_UNKNOWN == "未能从报告中读出预算年度，请用 --year 指定（例如 --year 2024）"
    report = parse_report(no_year, year=2024)
    assert report.doc["fiscal_year"] == 2024
    assert year_note(report) == "年度按 --year 指定为2024"
    assert [(t["table_kind"], t["status"]) for t in report.tables] == [("expenditure", "parsed")]


def test_a_given_year_never_overrides_the_printed_one() -> None:
    report = parse_report(YANGQUAN, year=2020)
    assert report.doc["fiscal_year"] == 2023
    assert year_note(report) == "报告印有2023年度，--year 2020 未使用"
    assert year_note(parse_report(YANGQUAN, year=2023)) is None  # the same year: nothing to say
    assert year_note(parse_report(YANGQUAN)) is None


def test_cli_refuses_without_year_and_loads_with_it(no_year: Path, tmp_path: Path) -> None:
    db = tmp_path / "b.duckdb"
    res = run_cli("ingest", str(no_year), "--db", str(db), "--workers", "1")
    assert res.returncode == 1
    assert f"[已拒绝] {no_year}: 未能从报告中读出预算年度，请用 --year 指定（例如 --year 2024）" in res.stderr
    assert documents(db) == []
    res = run_cli("ingest", str(no_year), "--db", str(db), "--workers", "1", "--year", "2024")
    assert res.returncode == 0, res.stderr
    assert "[已导入]" in res.stdout and "2024年" in res.stdout and "（年度按 --year 指定为2024）" in res.stdout
    assert documents(db) == [(2024, "无年度.txt")]


def test_cli_keeps_the_printed_year_and_says_the_given_one_was_not_used(tmp_path: Path) -> None:
    res = run_cli("ingest", str(YANGQUAN), "--db", str(tmp_path / "b.duckdb"), "--workers", "1", "--year", "2020")
    assert res.returncode == 0, res.stderr
    assert "阳泉市文化和旅游局 2023年单位预算（报告印有2023年度，--year 2020 未使用）" in res.stdout


@pytest.mark.parametrize("bad", ["24", "二〇二四", "20244", "1900"])
def test_cli_rejects_what_is_not_a_year(bad: str, tmp_path: Path) -> None:
    res = run_cli("ingest", str(YANGQUAN), "--db", str(tmp_path / "b.duckdb"), "--year", bad)
    assert res.returncode == 2 and "不是年度" in res.stderr and not (tmp_path / "b.duckdb").exists()


def test_upload_refused_for_its_year_asks_for_it_then_loads(tmp_path: Path) -> None:
    db = tmp_path / "b.duckdb"
    data = NO_YEAR.encode()
    outcome = ingest_upload(db, data, "无年度.txt", tmp_path / "up")
    assert outcome.status == "refused" and outcome.needs_year
    assert not any((tmp_path / "up").glob("*"))  # nothing kept from a refused file
    outcome = ingest_upload(db, data, "无年度.txt", tmp_path / "up", year=2024)
    assert outcome.status == "loaded" and not outcome.needs_year
    assert outcome.report.doc["fiscal_year"] == 2024
    assert year_note(outcome.report) == "年度按导入时填写的年度指定为2024"


def test_upload_page_asks_for_the_year_and_loads_with_it(tmp_path: Path, use_db) -> None:
    db = use_db(tmp_path / "budget.duckdb")
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/upload.py").run()
    assert not at.exception
    at.file_uploader[0].set_value(("无年度.txt", NO_YEAR.encode(), "text/plain")).run()
    assert not at.exception, [e.value for e in at.exception]
    warnings = " ".join(w.value for w in at.warning)
    assert "无年度.txt" in warnings and "未能从报告中读出预算年度" in warnings and "--year" not in warnings
    assert documents(db) == []
    year = at.number_input(key=[k for k in (n.key for n in at.number_input) if k.startswith("year_")][0])
    assert year.value is None  # never a guess
    button = next(b for b in at.button if b.label == "按此年度导入")
    assert button.disabled
    year.set_value(2024).run()
    next(b for b in at.button if b.label == "按此年度导入").click().run()
    assert not at.exception, [e.value for e in at.exception]
    success = " ".join(s.value for s in at.success)
    assert "已导入：合成测试局 2024年单位预算" in success and "（年度按导入时填写的年度指定为2024）" in success
    assert documents(db) == [(2024, "无年度.txt")]
