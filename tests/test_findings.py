"""数据核对 shows findings an official can act on: one per root cause, in 元 where 万元 would hide it, and every page
that would use an unreadable table says which table and why."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import findings, fmt
from dashboard.notices import unread_tables
from etl.store.ingest import ingest_file
from etl.store.write import connect
from tests.samples import YANGQUAN

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _checks(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["check_id", "description", "expected", "actual", "passed", "table_kind",
                                       "table_no", "page"])


def test_one_cell_off_by_one_yuan_is_one_finding_in_yuan() -> None:
    frame = _checks([
        ("a", "支出总表：205 教育支出（合计）等于下级科目之和", D("94995800.00"), D("94995801.00"), False, "expenditure", "3", 6),
        ("b", "收支总表“教育支出”等于支出总表 205 合计", D("94995801.00"), D("94995800.00"), False, "summary", "1", 4),
        ("c", "一般公共预算支出表合计等于财政拨款收支总表一般公共预算支出", D("500"), D("700"), False, "gp_expenditure",
         None, 8),
        ("d", "未核对：……", None, None, None, "revenue", None, 5),
        ("e", "通过的核对", D("1"), D("1"), True, "expenditure", None, 6),
    ])
    found = findings.findings(frame)
    assert len(found) == 2
    first = found[0]
    assert [p.description for p in first.places] == [frame.description[0], frame.description[1]]
    assert first.places[0].table == "表3 支出总表" and first.places[1].page == 4
    assert first.difference == "差额 1元"
    assert findings.figures_text(first) == "应为 94,995,800元，实际 94,995,801元，差额 1元"
    assert "-0.00" not in findings.figures_text(first)
    assert findings.figures_text(found[1]) == "应为 0.05万元，实际 0.07万元，差额 0.02万元"


@pytest.mark.parametrize(("expected", "actual", "text"), [
    ("100.00", "100.50", "差额 0.5元"), ("100", "99", "差额 -1元"), ("0", "12300", "差额 1.23万元"),
])
def test_difference_text(expected: str, actual: str, text: str) -> None:
    assert findings.difference_text(D(expected), D(actual)) == text


@pytest.mark.parametrize(("expected", "actual", "texts"), [
    ("94995800.34", "94995800.00", ("94,995,800.34元", "94,995,800元", "-0.34元")),  # 0.00万元 in 万元
    ("100", "199.99", ("100元", "199.99元", "99.99元")),  # just under 0.01万元
    ("100", "200", ("0.01万元", "0.02万元", "0.01万元")),  # exactly 0.01万元: 万元 shows it
    ("36232600", "36232600", ("36,232,600元", "36,232,600元", "0元")),
    ("12345678.90", "12345778.90", ("1,234.57万元", "1,234.58万元", "0.01万元")),
])
def test_small_differences_read_in_yuan_never_as_zero(expected: str, actual: str, texts: tuple[str, str, str]) -> None:
    assert fmt.compared(D(expected), D(actual)) == texts
    # floats from a DataFrame and Decimals read alike: the difference is computed exactly
    assert fmt.compared(float(expected), float(actual)) == texts
    assert fmt.is_small_difference(D(expected), D(actual)) == ("万" not in texts[2])


def test_difference_unknown_side() -> None:
    assert fmt.difference(None, D("1")) == "" and fmt.compared(None, D("1"))[2] == "—"
    assert fmt.yuan(D("-0.50")) == "-0.5元" and fmt.yuan(None) == "—"


def test_descriptions_read_as_sentences() -> None:
    assert findings.readable("支出总表：合计 合计 = 基本支出+项目支出") == "支出总表：合计等于基本支出+项目支出"
    assert findings.readable("收入总表 合计 合计（含上年结转）等于支出总表同一科目合计") == \
        "收入总表 合计（含上年结转）等于支出总表同一科目合计"
    assert findings.readable("支出总表：201 一般公共服务支出 合计 = 基本支出") == "支出总表：201 一般公共服务支出 合计等于基本支出"


@pytest.fixture(scope="module")
def unread_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 阳泉 text with one unreadable cell in its 支出总表 (generated-*, never a real report)."""
    folder = tmp_path_factory.mktemp("unread")
    bad = folder / "generated-unreadable.txt"
    bad.write_text(YANGQUAN.read_text(encoding="utf-8").replace("2070108 文化活动 40.00  40.00",
                                                                "2070108 文化活动 4,0.00  40.00", 1), encoding="utf-8")
    db = folder / "budget.duckdb"
    con = connect(db)
    try:
        assert ingest_file(con, bad).status == "loaded"
        tables = con.execute("SELECT table_kind, status, problem FROM report_tables WHERE status='unparsed'").fetchall()
        assert [t[:2] for t in tables] == [("expenditure", "unparsed")] and "无法确定所在列" in tables[0][2]
    finally:
        con.close()
    return db


def test_notice_names_the_table_and_why(unread_db: Path) -> None:
    con = connect(unread_db, read_only=True)
    try:
        frame = con.execute("SELECT table_kind, status, problem, page_from FROM report_tables").df()
    finally:
        con.close()
    lines = unread_tables(frame, ("expenditure", "summary"))
    assert len(lines) == 1 and lines[0].startswith("支出总表") and "无法确定所在列" in lines[0]
    assert unread_tables(frame, ("three_public",)) == []


@pytest.mark.parametrize("page", ["pages/checks.py", "pages/overview.py", "pages/composition.py"])
def test_pages_say_which_table_is_missing(unread_db: Path, page: str, use_db) -> None:
    use_db(unread_db)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["unit"] = "阳泉市文化和旅游局"
    at.run()
    if page != "pages/overview.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("支出总表" in w.value and "无法确定所在列" in w.value for w in at.warning), [w.value for w in at.warning]
    if page == "pages/checks.py":
        metrics = {m.label: m.value for m in at.metric}
        assert metrics["未核对"] != "0项"
        text = " ".join(str(m.value) for m in at.markdown) + " ".join(str(c.value) for c in at.caption)
        assert "fiscal_appropriation" not in text and "gp_basic_econ" not in text


def test_compare_page_names_another_units_unreadable_table(tmp_path: Path, use_db) -> None:
    from tests.fixtures.reports import report_text

    good = tmp_path / "generated-good.txt"
    good.write_text(YANGQUAN.read_text(encoding="utf-8"), encoding="utf-8")
    bad = tmp_path / "generated-other.txt"
    bad.write_text(report_text("合成对比单位").replace("2070108 文化活动 40.00  40.00", "2070108 文化活动 4,0.00  40.00", 1),
                   encoding="utf-8")
    db = tmp_path / "budget.duckdb"
    con = connect(db)
    try:
        assert [ingest_file(con, f).status for f in (good, bad)] == ["loaded", "loaded"]
    finally:
        con.close()
    use_db(db)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["unit"] = "阳泉市文化和旅游局"
    at.run()
    at.switch_page("pages/compare.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("合成对比单位：支出总表" in w.value for w in at.warning), [w.value for w in at.warning]
