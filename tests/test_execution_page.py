"""AppTest of the 预算执行 page on the real 财政局 2024 决算: its KPIs, chart, table and reasons are the
report's own figures; on a 预算 it says plainly that the page reads a 决算."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from .samples import SAMPLES, YANGQUAN, build_db

APP = str(Path(__file__).resolve().parents[1] / "app.py")
FINANCE = SAMPLES / "final" / "shanghai-putuo-finance-2024-dept-final.pdf"
needs_final = pytest.mark.skipif(not FINANCE.exists(), reason=f"the 决算 sample is read from {FINANCE.parent}, absent here")


@pytest.fixture(scope="module")
def final_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory.mktemp("exec") / "final.duckdb", [FINANCE, YANGQUAN])


def _run(db: Path, monkeypatch: pytest.MonkeyPatch, **query: str) -> AppTest:
    monkeypatch.setenv("BUDGET_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("pages/execution.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@needs_final
def test_execution_page_shows_the_report_figures(final_db, monkeypatch):
    at = _run(final_db, monkeypatch, unit="上海市普陀区财政局", year="2024")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["年初预算（万元）"] == "2,993.92"
    assert metrics["支出决算（万元）"] == "2,940.05"
    assert metrics["完成年初预算"] == "98.20%"
    assert metrics["年初结转和结余（万元）"] == "49.14"
    assert metrics["年末结转和结余（万元）"] == "55.34"
    text = " ".join(m.value for m in at.markdown)
    # the biggest under-execution with the report's own reason beside it
    assert "2010601 行政运行" in text and "人员进出及退休变化，减少人员经费开支" in text
    table = at.dataframe[0].value
    row = table[table["科目编码"] == "2010607"].iloc[0]
    assert (row["年初预算（万元）"], row["支出决算（万元）"], row["完成预算（%）"]) == (135.90, 135.25, 99.52)
    assert row["预算来源"] == "年初预算" and row["报告所述原因"] == "因产业政策扶持资金管理系统项目进度，调减相关经费"


@needs_final
def test_execution_page_on_a_budget_says_it_reads_finals(final_db, monkeypatch):
    at = _run(final_db, monkeypatch, unit="阳泉市文化和旅游局")
    assert any("本页读决算报告" in i.value for i in at.info)


@needs_final
def test_overview_of_a_final_writes_its_own_paragraph(final_db, monkeypatch):
    monkeypatch.setenv("BUDGET_DB", str(final_db))
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["unit"] = "上海市普陀区财政局"
    at.query_params["year"] = "2024"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    text = " ".join(m.value for m in at.markdown)
    assert "一般公共预算财政拨款支出决算2,940.05万元，完成年初预算的98.20%" in text
    assert "年初预算2,993.92万元" in text
    assert "决算低于预算最多的是行政运行（2010601）" in text
    assert "支出预算" not in text


def test_final_briefing_leaves_out_what_is_missing():
    from dashboard.summary import final_briefing

    text = final_briefing("某局", 2024, [(None, "合计", None, 1_000_000.0, None, None)], None, None, 0, 0)
    assert text == "某局2024年一般公共预算财政拨款支出决算100.00万元。"
