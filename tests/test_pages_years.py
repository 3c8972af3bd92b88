"""同比变化, 单位对比 and 导入 pages on a database of real reports: 阳泉 2023 (text) plus 万里街道 2023 and 2024 (PDF).

Expected amounts are read from the database's yoy_func view (or are the figures printed in the reports), never from
the dashboard's own code, so a page that shows a different number fails.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import charts, compare, queries, yoy
from tests.samples import SAMPLES, YANGQUAN, build_db, needs_samples
from tests.test_cli import db_digest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
WANLI = "上海市普陀区人民政府万里街道办事处"
YANGQUAN_UNIT = "阳泉市文化和旅游局"
WANLI_PDFS = ["shanghai-putuo-wanli-2023-dept-budget.pdf", "shanghai-putuo-wanli-2024-dept-budget.pdf"]


@pytest.fixture(scope="module")
def yangquan_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One unit, one year: the page must fall back to what the report's prose says about last year."""
    return build_db(tmp_path_factory.mktemp("years_one") / "budget.duckdb", [YANGQUAN])


@pytest.fixture(scope="module")
def years_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """阳泉 2023 + 万里街道 2023 and 2024: two years of one unit, two units in 2023."""
    if not all((SAMPLES / name).exists() for name in WANLI_PDFS):
        pytest.skip(f"the 万里街道 sample PDFs are read from {SAMPLES}, which is absent on this machine")
    return build_db(tmp_path_factory.mktemp("years") / "budget.duckdb", [YANGQUAN, *(SAMPLES / n for n in WANLI_PDFS)])


def yoy_row(db: Path, code: str, *, kind: str = "expenditure", year: int = 2024) -> tuple:
    """(2024 amount, 2023 amount, change, change %) straight from the yoy_func view, in 元."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT amount_yuan, prior_amount_yuan, change_yuan, change_pct FROM yoy_func WHERE unit_name = ? AND "
            "table_kind = ? AND code = ? AND measure = 'total' AND fiscal_year = ?", [WANLI, kind, code, year]
        ).fetchall()
    finally:
        con.close()
    assert len(rows) == 1, rows
    return rows[0]


def wan(yuan: Decimal | float) -> float:
    return round(float(yuan) / 10000, 2)


def run(page: str, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def frame_with(at: AppTest, column: str):
    """The first table on the page that has the given column."""
    for table in at.dataframe:
        if column in table.value.columns:
            return table.value
    raise AssertionError(f"no table with column {column}: {[list(t.value.columns) for t in at.dataframe]}")


def plotly_specs(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


# ------------------------------------------------------------------------------------------- figure builders


@needs_samples
def test_waterfall_from_the_two_reports(years_db, use_db) -> None:
    use_db(years_db)
    rows = yoy.of_year(queries.yoy_func(WANLI, "部门预算", "expenditure", "total"), 2024)
    flow = yoy.waterfall(rows, None)
    assert flow is not None
    # both ends are the reports' printed 支出合计: 2023 16,497.86万元, 2024 15,621.11万元
    assert wan(flow.start_yuan) == 16497.86 and wan(flow.end_yuan) == 15621.11
    ctx = charts.ChartContext(unit=WANLI, year=2024, source="资料来源：《2024》支出总表；《2023》支出总表")
    fig = charts.yoy_waterfall(flow.labels, flow.changes_yuan, flow.start_yuan, flow.end_yuan, ctx,
                               "支出比上年增减（按类）", start_label="2023年预算", end_label="2024年预算")
    trace = fig.data[0]
    assert list(trace.y)[0] == "2023年预算" and list(trace.y)[-1] == "2024年预算"
    texts = dict(zip(trace.y, trace.text, strict=True))
    social = wan(yoy_row(years_db, "208")[2])
    assert social == -746.92  # 社会保障和就业支出 2,707.32 → 1,960.41
    assert texts["社会保障和就业支出"] == f"{social:+,.2f}" and texts["教育支出"] == "+25.00"  # new in 2024
    assert texts["2023年预算"] == "16,497.86" and texts["2024年预算"] == "15,621.11"
    assert list(trace.measure) == ["absolute", *["relative"] * (len(trace.y) - 2), "total"]
    title = fig.layout.title.text
    assert title.startswith(WANLI) and "2024年支出比上年增减（按类）" in title and "单位：万元" in title
    assert "在≈处截断" in title  # changes are a few % of the total, so the total bars are cut — and say so
    assert [a.text for a in fig.layout.annotations if a.text == "≈"] == ["≈", "≈"]
    assert any("《2024》支出总表；《2023》支出总表" in a.text.replace("<br>", "") for a in fig.layout.annotations)


@needs_samples
def test_waterfall_drill_into_a_class_closes_on_its_printed_amounts(years_db, use_db) -> None:
    use_db(years_db)
    rows = yoy.of_year(queries.yoy_func(WANLI, "部门预算", "expenditure", "total"), 2024)
    flow = yoy.waterfall(rows, "212")
    prior, current = yoy_row(years_db, "212")[1], yoy_row(years_db, "212")[0]
    assert (wan(flow.start_yuan), wan(flow.end_yuan)) == (wan(prior), wan(current)) == (12131.99, 11938.53)
    assert round(flow.start_yuan + sum(flow.changes_yuan), 2) == round(flow.end_yuan, 2)
    assert "其他城乡社区支出" in flow.labels


@needs_samples
def test_trend_lines_plot_each_class_in_both_years(years_db, use_db) -> None:
    use_db(years_db)
    rows = queries.yoy_func(WANLI, "部门预算", "expenditure", "total")
    history = yoy.history(rows, [2023, 2024])
    ctx = charts.ChartContext(unit=WANLI, year=None, source="资料来源：两年报告")
    fig = charts.trend_lines(history, ctx, "2023—2024年各类支出")
    lines = {t.name: t for t in fig.data}
    town = lines["城乡社区支出"]
    assert list(town.x) == ["2023年", "2024年"] and list(town.y) == [12131.99, 11938.53]
    assert town.text[-1] == "11,938.53"
    assert list(lines["教育支出"].y) == [0.0, 25.0]  # not budgeted in 2023: 0, not a gap
    assert fig.data[0].name == "城乡社区支出"  # legend in order of this year's size
    title = fig.layout.title.text.replace("<br>", "")
    assert title.startswith(f"{WANLI}2023—2024年各类支出") and "单位：万元" in title


@needs_samples
def test_compare_figures_and_charts_of_2023(years_db, use_db) -> None:
    use_db(years_db)
    docs = queries.documents()
    docs = docs[docs["fiscal_year"] == 2023].reset_index(drop=True)
    figures = compare.figures(docs).set_index("unit")
    assert wan(figures.loc[YANGQUAN_UNIT, "expenditure"]) == 3623.26 and wan(figures.loc[WANLI, "expenditure"]) == 16497.86
    assert wan(figures.loc[YANGQUAN_UNIT, "personnel"]) == 377.64 and wan(figures.loc[YANGQUAN_UNIT, "public"]) == 47.56
    assert figures.loc[YANGQUAN_UNIT, "three_public"] == 0 and "本表无数据" in figures.loc[YANGQUAN_UNIT, "three_public_note"]
    assert wan(figures.loc[WANLI, "three_public"]) == 22.91 and wan(figures.loc[WANLI, "operating_cost"]) == 786.09
    ctx = compare.context(docs, 2023, ["expenditure"])
    assert f"{WANLI}，《上海市普陀区2023年区级部门预算》" in ctx.source and f"{YANGQUAN_UNIT}，《" in ctx.source
    fig = charts.share_stack(list(figures.index), {"基本支出": list(figures["basic"]), "项目支出": list(figures["project"])},
                             ctx, "基本支出与项目支出占比", of="基本支出与项目支出之和")
    basic, project = fig.data
    at = list(figures.index).index(YANGQUAN_UNIT)
    assert basic.text[at] == "11.74%" and project.text[at] == "88.26%"  # 阳泉: 425.21 / 3,198.06
    assert sorted(basic.customdata) == [425.21, 9940.63]
    assert fig.layout.title.text.startswith("各单位2023年基本支出与项目支出占比") and "条内为占基本支出与项目支出之和的比重" in \
        fig.layout.title.text
    fig = charts.grouped_bar(list(figures.index), {"“三公”经费": list(figures["three_public"]),
                                                   "机关运行经费": list(figures["operating_cost"])}, ctx, "“三公”经费和机关运行经费")
    three, cost = fig.data
    assert three.text[at] == "0.00" and cost.text[at] == "47.56"
    assert three.text[1 - at] == "22.91" and cost.text[1 - at] == "786.09"
    assert "单位：万元" in fig.layout.title.text


def test_grouped_bar_says_when_a_figure_is_not_printed() -> None:
    ctx = charts.ChartContext(unit="各单位", year=2024, source="资料来源：测试")
    fig = charts.grouped_bar(["甲单位", "乙单位"], {"机关运行经费": [1_234_500.0, None]}, ctx, "机关运行经费")
    assert list(fig.data[0].text) == ["123.45", "未列示"]


# ---------------------------------------------------------------------------------------------- 同比变化 page


@needs_samples
def test_yoy_page_shows_real_changes_from_the_two_reports(years_db, use_db) -> None:
    use_db(years_db)
    at = run("pages/yoy.py", unit=WANLI, year="2024")
    assert at.title[0].value == "同比变化"
    now, prior, change, change_pct = yoy_row(years_db, "2120101")  # 行政运行 (城乡社区管理事务)
    down = [t.value for t in at.dataframe if "增减额（万元）" in t.value.columns and (t.value["增减额（万元）"] < 0).all()][0]
    row = down[down["科目编码"] == "2120101"].iloc[0]
    assert (row["2023年预算（万元）"], row["2024年预算（万元）"]) == (wan(prior), wan(now)) == (1837.36, 1660.32)
    assert row["增减额（万元）"] == wan(change) == -177.04 and row["增减（%）"] == change_pct == -9.64
    waterfall = plotly_specs(at)[0]
    assert waterfall["data"][0]["type"] == "waterfall"
    assert "2023年预算" in waterfall["data"][0]["y"] and "15,621.11" in waterfall["data"][0]["text"]


@needs_samples
def test_prose_executed_figure_is_beside_the_prior_budget_not_instead(years_db, use_db) -> None:
    use_db(years_db)
    at = run("pages/yoy.py", unit=WANLI, year="2024")
    executed, budget = yoy.executed_column(2024), yoy.prior_budget_column(2024)
    table = frame_with(at, executed)
    row = table[table["科目编码"] == "2120101"].iloc[0]
    # the 2024 report's prose: “2023年当年预算执行数为1899.77万元”; the 2023 report's own table: 1,837.36
    assert row[executed] == 1899.77
    assert row[budget] == wan(yoy_row(years_db, "2120101", kind="gp_expenditure")[1]) == 1837.36
    assert row["2024年预算（万元）"] == 1660.32 and row["执行数减预算（万元）"] == 62.41
    assert executed.startswith("2023年执行数（2024年报告）") and budget.startswith("2023年预算（2023年报告）")
    columns = list(table.columns)
    assert columns.index(executed) == columns.index(budget) + 1  # side by side
    captions = " ".join(c.value for c in at.caption)
    assert "上年预算执行数" in captions and "两回事" in captions


@needs_samples
def test_yoy_drill_is_kept_in_the_url(years_db, use_db) -> None:
    use_db(years_db)
    at = run("pages/yoy.py", unit=WANLI, year="2024")
    at.selectbox(key="yoy_class").set_value("212").run()
    assert at.query_params["drill"] == "212"
    at.selectbox(key="yoy_item").set_value("21201").run()
    assert at.query_params["drill"] == "21201"
    spec = plotly_specs(at)[0]
    assert "行政运行" in spec["data"][0]["y"] and "城乡社区管理事务比上年增减（按项）" in spec["layout"]["title"]["text"]
    at.radio(key="yoy_scope").set_value("一般公共预算").run()
    assert not at.exception and at.query_params["scope"] == "gp_expenditure"
    # a shared link reopens the same drill
    again = run("pages/yoy.py", unit=WANLI, year="2024", drill="21201")
    assert again.selectbox(key="yoy_class").value == "212" and again.selectbox(key="yoy_item").value == "21201"


@needs_samples
def test_first_loaded_year_falls_back_to_the_prose(years_db, use_db) -> None:
    use_db(years_db)
    at = run("pages/yoy.py", unit=WANLI, year="2023")
    infos = " ".join(i.value for i in at.info)
    assert "尚未导入上海市普陀区人民政府万里街道办事处2022年的报告" in infos and "选择2024年" in infos
    table = frame_with(at, yoy.executed_column(2023))
    assert yoy.prior_budget_column(2023) not in table.columns  # no 2022 report: no 2022 budget, nothing invented
    row = table[table["科目编码"] == "2010506"].iloc[0]  # 统计管理: 2.63 in 2023, 2022 执行数 1.48 (prose)
    assert row["2023年预算（万元）"] == 2.63 and row[yoy.executed_column(2023)] == 1.48


def test_one_year_unit_shows_what_its_prose_says_about_last_year(yangquan_only, use_db) -> None:
    use_db(yangquan_only)
    at = run("pages/yoy.py", unit=YANGQUAN_UNIT, year="2023")
    infos = " ".join(i.value for i in at.info)
    assert "尚未导入阳泉市文化和旅游局2022年的报告" in infos and "只导入了阳泉市文化和旅游局一个年度" in infos
    prose = frame_with(at, "报告原文").set_index("指标")
    # “比上年增加574.68万元，增加18.85%”, “比2022年的45.96万元增加1.6万元”
    assert prose.loc["支出预算总计", "比上年增减（万元）"] == 574.68 and prose.loc["支出预算总计", "增减（%）"] == 18.85
    assert prose.loc["支出预算总计", "2022年（万元）"] == 3048.58
    assert prose.loc["支出预算总计", "2022年数来源"] == "按本年数减增减额推算"
    assert prose.loc["机关运行经费", "2022年（万元）"] == 45.96 and prose.loc["机关运行经费", "2022年数来源"] == "报告直接写明"


# ---------------------------------------------------------------------------------------------- 单位对比 page


@needs_samples
def test_compare_page_shows_both_units_of_2023(years_db, use_db) -> None:
    use_db(years_db)
    at = run("pages/compare.py", unit=WANLI, year="2023")
    assert at.title[0].value == "单位对比"
    assert set(at.multiselect[0].value) == {WANLI, YANGQUAN_UNIT}
    table = frame_with(at, "支出总计（万元）").set_index("单位")
    assert table.loc[YANGQUAN_UNIT, "支出总计（万元）"] == 3623.26 and table.loc[WANLI, "支出总计（万元）"] == 16497.86
    assert table.loc[YANGQUAN_UNIT, "基本支出占基本与项目之和（%）"] == 11.74 and table.loc[YANGQUAN_UNIT, "项目支出占基本与项目之和（%）"] == 88.26
    costs = frame_with(at, "“三公”经费（万元）").set_index("单位")
    assert costs.loc[WANLI, "“三公”经费（万元）"] == 22.91 and costs.loc[YANGQUAN_UNIT, "机关运行经费（万元）"] == 47.56
    assert costs.loc[YANGQUAN_UNIT, "人员经费（万元）"] == 377.64 and costs.loc[YANGQUAN_UNIT, "“三公”经费（万元）"] == 0
    assert any("阳泉市文化和旅游局：“三公”经费表注明“本表无数据”，按0计" in c.value for c in at.caption)
    assert len(plotly_specs(at)) == 4
    assert sum(b.label == "下载表格（Excel）" for b in at.get("download_button")) == 2
    at.multiselect[0].set_value([WANLI]).run()
    assert any("至少选择两个单位" in i.value for i in at.info)


@needs_samples
def test_compare_page_with_one_unit_says_so(years_db, use_db) -> None:
    use_db(years_db)
    at = run("pages/compare.py", unit=WANLI, year="2024")
    assert any("2024年只有上海市普陀区人民政府万里街道办事处一个单位的报告" in i.value for i in at.info)


# ------------------------------------------------------------------------------------------------- 导入 page


def test_upload_refuses_a_non_report_and_changes_nothing(yangquan_only, use_db, tmp_path) -> None:
    db = use_db(shutil.copy(yangquan_only, tmp_path / "budget.duckdb"))
    before = db_digest(db)
    at = run("pages/upload.py")
    at.file_uploader[0].set_value(("会议纪要.txt", "关于召开工作会议的通知\n各科室：定于下周一开会。\n".encode(), "text/plain")).run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "会议纪要.txt" in errors and "未导入" in errors and "不是预算公开报告" in errors and "数据库未作任何改动" in errors
    assert db_digest(db) == before
    assert not any((tmp_path / "uploads").glob("*"))  # nothing kept from a refused file


def test_upload_works_without_a_database_and_the_report_reaches_the_picker(tmp_path, use_db) -> None:
    db = use_db(tmp_path / "new" / "budget.duckdb")
    at = run("pages/upload.py")
    assert any("还没有数据库" in i.value for i in at.info)
    at.file_uploader[0].set_value((YANGQUAN.name, YANGQUAN.read_bytes(), "text/plain")).run()
    assert not at.exception
    success = " ".join(s.value for s in at.success)
    assert "已导入：阳泉市文化和旅游局 2023年单位预算" in success and "核对" in success
    assert at.sidebar.selectbox[0].value == YANGQUAN_UNIT and at.sidebar.selectbox[1].value == "2023"
    stored = list((db.parent / "uploads").iterdir())
    assert len(stored) == 1 and len(stored[0].stem) == 32  # content-named, never the user's name


def test_upload_of_the_same_unit_and_year_offers_replacing(yangquan_only, use_db, tmp_path) -> None:
    db = use_db(shutil.copy(yangquan_only, tmp_path / "budget.duckdb"))
    before = db_digest(db)
    corrected = YANGQUAN.read_bytes() + b"\n"
    at = run("pages/upload.py")
    at.file_uploader[0].set_value(("阳泉更正版.txt", corrected, "text/plain")).run()
    warnings = " ".join(w.value for w in at.warning)
    assert "数据库中已有阳泉市文化和旅游局 2023年单位预算" in warnings and "替换" in warnings
    assert db_digest(db) == before
    replace = [b for b in at.button if b.label.startswith("以此文件替换")]
    assert replace
    replace[0].click().run()
    assert not at.exception
    assert any("已导入：阳泉市文化和旅游局 2023年单位预算" in s.value for s in at.success)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT source_file FROM documents").fetchall() == [("阳泉更正版.txt",)]
    finally:
        con.close()



@pytest.mark.parametrize("page", ["pages/yoy.py", "pages/compare.py"])
def test_pages_without_a_database_say_so_plainly(tmp_path, use_db, page) -> None:
    use_db(tmp_path / "missing.duckdb")
    at = run(page)
    assert any("尚未找到预算数据库" in i.value for i in at.info)
