"""Unit tests of the dashboard's data helpers: formatting, the 科目 tree, KPIs, tables, prose and sources."""

from __future__ import annotations

import threading
import time

import pandas as pd
import pytest

from dashboard import findings, func_tree, generations, kpis, provenance, queries, summary, tables
from dashboard.fmt import change_phrase, md_escape, pct, signed_change, to_wan, wan, wrap_label
from etl.read.names import name_key
from tests import synthetic_db as syn


def test_wan_rounds_half_up_with_separators() -> None:
    assert wan(36232600.0) == "3,623.26"
    assert wan(36232600.0, suffix=True) == "3,623.26万元"
    assert wan(50.0) == "0.01"  # 0.005万元 rounds up, as the print does
    assert wan(None) == "—"
    assert to_wan(float("nan")) is None
    assert pct(18.849) == "18.85%"


def test_change_wording() -> None:
    assert change_phrase(5746800.0, 18.85) == "比上年增加574.68万元（18.85%）"
    assert change_phrase(-100000.0, -2.5) == "比上年减少10.00万元（2.50%）"
    assert change_phrase(0.0, 0.0) == "与上年持平"
    assert change_phrase(None, None) is None
    assert signed_change(5746800.0, 18.85) == "+574.68（+18.85%）"


def test_markdown_escape_keeps_report_text_literal() -> None:
    assert md_escape("保障 *三个* 剧团 #1 :red[x]") == "保障 \\*三个\\* 剧团 \\#1 \\:red\\[x\\]"
    assert md_escape("1. 第一条\n- 列表") == "1\\. 第一条\n\\- 列表"
    assert md_escape(None) == ""


def test_label_helpers() -> None:
    assert wrap_label("一" * 30, 14) == "一" * 14 + "<br>" + "一" * 14 + "<br>" + "一" * 2
    assert name_key(" 山西省群众文化惠民工程(四个一批\n市县部分） ") == "山西省群众文化惠民工程（四个一批市县部分）"


@pytest.fixture()
def syn_db(synthetic_db, use_db):
    return use_db(synthetic_db)


def test_func_tree_links_parents_and_leaves(syn_db) -> None:
    tree = func_tree.build(queries.func_lines(syn.DOC, "expenditure"))
    row = tree.set_index("code").loc["2070107"]
    assert row["parent"] == "20701" and row["level"] == 3 and bool(row["is_leaf"])
    assert tree.set_index("code").loc["207", "parent"] == func_tree.ROOT
    leaves = func_tree.leaves(tree)
    assert list(leaves["name"][:2]) == ["艺术表演团体", "旅游宣传"]
    # two 项 called 行政运行: the label says which 款 each belongs to
    assert {"行政运行（文化和旅游）", "行政运行（人大事务）"} <= set(leaves["label"])
    assert list(func_tree.leaves(tree, "basic", under="207")["code"]) == ["2070101"]
    assert func_tree.ancestors(tree, "2070107") == [("207", "文化旅游体育与传媒支出"), ("20701", "文化和旅游"),
                                                   ("2070107", "艺术表演团体")]


def test_kpis_from_synthetic_report(syn_db) -> None:
    k = kpis.load(syn.DOC)
    assert (k.revenue_total, k.expenditure_total) == (12_000_000.0, 12_000_000.0)
    assert (k.current_revenue, k.carryover) == (10_000_000.0, 2_000_000.0)
    assert (k.basic, k.project) == (3_000_000.0, 9_000_000.0)
    assert k.basic_share == pytest.approx(25.0)
    assert k.fiscal == 9_000_000.0 and k.fiscal_share == pytest.approx(75.0)
    assert k.change_yuan == pytest.approx(1_000_000.0) and k.change_pct == pytest.approx(9.09)
    assert k.change_source == "报告文字说明"


def test_kpis_change_falls_back_to_prior_year_report(syn_db) -> None:
    assert kpis.load(syn.PRIOR_DOC).change_yuan is None  # no 2021 report, no prose: unknown, not zero
    empty = kpis.load(syn.EMPTY_DOC)
    assert empty.project is None and empty.change_yuan is None and empty.expenditure_total == 800_000.0


def test_briefing_is_written_from_the_figures(syn_db) -> None:
    k = kpis.load(syn.DOC)
    text = summary.briefing(syn.UNIT, 2023, k, [("艺术表演团体", 6_000_000.0)], ("合成剧团保障经费", 4_000_000.0), 4, 1)
    assert text.startswith("测试单位（合成数据）2023年支出预算1,200.00万元，比上年增加100.00万元（9.09%）；其中艺术表演团体600.00万元，占50.00%。")
    assert "基本支出300.00万元（25.00%）" in text and "项目支出900.00万元（75.00%）" in text
    assert "金额最大的项目是“合成剧团保障经费”，400.00万元。" in text
    assert text.endswith("其中1项未通过，详见“数据核对”页。")
    bare = summary.briefing("某单位", None, kpis.load(syn.EMPTY_DOC), [], None, 0, 0)
    assert "比上年" not in bare and "项目" not in bare and bare.startswith("某单位支出预算80.00万元")


def test_display_tables(syn_db) -> None:
    projects = tables.projects_table(queries.projects(syn.DOC))
    assert list(projects.columns) == ["项目名称", "金额（万元）", "占项目支出（%）", "资金类型", "资金来源"]
    first = projects.iloc[0]
    assert (first["项目名称"], first["金额（万元）"], first["占项目支出（%）"]) == ("合成剧团保障经费", 400.0, 44.44)
    assert set(projects["资金类型"]) == {"本年预算", "上年结转"}
    assert projects.set_index("项目名称").loc["合成自筹文化活动", "资金来源"] == "单位资金"

    items = tables.econ_items(queries.econ_lines(syn.DOC))
    assert list(items["group"].unique()) == ["工资福利支出", "商品和服务支出", "对个人和家庭的补助"]
    assert items.set_index("name").loc["办公费", "kind"] == "公用经费"
    assert tables.econ_split(queries.econ_lines(syn.DOC)) == (3_000_000.0, 2_600_000.0, 400_000.0)

    checks = findings.checks_table(queries.checks(syn.DOC))
    assert checks.iloc[0]["结果"] == "未通过" and checks.iloc[0]["差额"] == "-10.00万元"
    assert checks.iloc[0]["所在表"] == "表12 项目支出表（本年）"

    indicators = tables.rows_for_project(queries.indicators(syn.DOC), "project_name", "合成剧团保障经费")
    tree = tables.indicator_tree(indicators, "年度")
    assert [level1 for level1, _ in tree] == ["产出指标", "效益指标", "满意度指标"]
    assert tree[0][1][0] == ("数量指标", [("合成演出场次", "≥40场")])

    grid = tables.funds_grid(tables.rows_for_project(queries.project_funds(syn.DOC), "project_name", "合成剧团保障经费"))
    assert list(grid.columns) == ["资金来源", "实施期资金（万元）", "年度资金（万元）"]
    assert grid.set_index("资金来源").loc["市县（区）财政资金"].tolist() == [1200.0, 400.0]


def test_search_matches_name_form_text_and_indicators(syn_db) -> None:
    assert set(queries.search_projects(syn.DOC, ("剧团",))["name"]) == {"合成剧团保障经费"}
    assert set(queries.search_projects(syn.DOC, ("观众", "满意"))["name"]) == {"合成剧团保障经费"}
    assert set(queries.search_projects(syn.DOC, ("宣传", "推广"))["name"]) == {"合成旅游宣传推广"}
    assert queries.search_projects(syn.DOC, ("_",)).empty  # no LIKE wildcards: '_' is just a character
    assert queries.search_projects(syn.DOC, ("不存在的词",)).empty


def test_source_note_names_report_table_and_page(syn_db) -> None:
    note = provenance.source_note(syn.TITLE, queries.report_tables(syn.DOC), ["expenditure"])
    assert note == f"资料来源：《{syn.TITLE}》表3“2023年预算支出总表”，第6页"
    both = provenance.source_note(syn.TITLE, queries.report_tables(syn.DOC), ["projects", "projects_carryover"])
    assert "表12" in both and "表13" in both and "；" in both
    no_pages = pd.DataFrame({"table_kind": ["summary"], "table_no": ["1"], "title": ["收支总表"],
                             "page_from": [pd.NA], "page_to": [pd.NA]})
    assert provenance.source_note("报告", no_pages, ["summary"]) == "资料来源：《报告》表1“收支总表”"


def test_missing_database_is_reported_not_raised(tmp_path, use_db) -> None:
    use_db(tmp_path / "nope.duckdb")
    with pytest.raises(queries.DatabaseMissing):
        queries.check_database()


@pytest.mark.parametrize(("sentence", "base"), [
    ("阳泉市文化和旅游局2023年收入总计3623.26万元，比上年增加574.68万元，增长18.85%。", "报告未写明"),
    ("2024年，上海市普陀区人民政府万里街道办事处财政拨款收入15621.11万元，比2023年预算减少876.75万元", "上年预算"),
    ("2022年当年预算执行数为132.59万元，2023年预算安排441.25万元，比2022年预算执行数增加60.54%。", "上年预算执行数"),
    ("机关运行经费47.56万元，比2022年的45.96万元增加1.6万元", "报告未写明"),
])
def test_prose_comparison_base_is_named_never_guessed(sentence: str, base: str) -> None:
    """上年预算 and 上年预算执行数 are different figures: the 同比 page names which one each sentence compares with."""
    from dashboard.yoy import comparison_base

    assert comparison_base(sentence) == base


def test_database_check_runs_once_per_generation_and_never_caches_a_failure(tmp_path, use_db, monkeypatch) -> None:
    """check_database runs on every page run: its query runs once per generation; a bad file is re-checked."""
    db = syn.build(tmp_path / "once.duckdb")
    use_db(db)
    ran: list[str] = []
    real = generations.read_sql
    monkeypatch.setattr(generations, "read_sql", lambda key, sql, params=(): ran.append(sql) or real(key, sql, params))
    generations.check_database()
    generations.check_database()
    assert ran == ["SELECT count(*) FROM documents"]
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"not a database" * 100)
    use_db(bad)
    for _ in range(2):
        with pytest.raises(generations.DatabaseUnreadable):
            generations.check_database()


def test_an_evicted_generation_is_released_off_the_readers_thread(monkeypatch) -> None:
    """The connection a new generation evicts is dropped by the background retirer, not by the page run."""
    released: list[str] = []

    class Connection:  # stands in for a DuckDB connection: its destructor is where DuckDB closes the instance
        def __del__(self) -> None:
            released.append(threading.current_thread().name)

    monkeypatch.setattr(generations, "RETIRE_AFTER_S", 0.2)
    generations._retire_later(Connection())
    deadline = time.monotonic() + 10
    while not released and time.monotonic() < deadline:
        time.sleep(0.02)  # polling the condition
    assert released == ["retire-old-generations"]


# --- what a new generation leaves warm, and what it must not ----------------------------------------------------

def _publish(db, *reports) -> None:
    """One ingest's publication: the reports written to a copy of the file, swapped in atomically."""
    from etl.store.publish import writing
    from etl.store.write import write_report

    with writing(db) as con:
        for report in reports:
            write_report(con, report)


def _runs_of(monkeypatch, marker: str) -> list[str]:
    """The threads on which a query whose SQL contains `marker` ran, from now on."""
    ran: list[str] = []
    real = generations.read_sql

    def spy(key, sql, params=()):
        if marker in sql:
            ran.append(threading.current_thread().name)
        return real(key, sql, params)

    monkeypatch.setattr(generations, "read_sql", spy)
    return ran


def test_a_final_shows_the_cross_check_its_budget_brings_without_a_restart(tmp_path, use_db) -> None:
    """Loading a 预算 re-judges the 决算 of its unit and year (rules.refresh_cross) without rewriting the 决算: a
    running dashboard must show the 决算's new finding, not its cached checks from before."""
    from tests.test_rules_cross import BUDGET_2024, _report

    db = use_db(tmp_path / "b.duckdb")
    _publish(db, _report("f24", 2024, "部门决算", {"20106": {"total": "110.00"}},
                         [{"key": "item_budget", "code": "20106", "value": 119.6, "page": 12, "decimals": 1}]))
    assert queries.checks("f24").check_id.tolist() == []
    _publish(db, _report("b24", 2024, "部门预算", BUDGET_2024))
    found = queries.checks("f24")
    assert found.check_id.tolist() == ["cross:prose_budget:20106:1"] and not found.passed.iloc[0]


def test_another_units_report_leaves_a_units_queries_warm_its_own_does_not(tmp_path, use_db, monkeypatch) -> None:
    from tests.test_rules_cross import BUDGET_2024, _report

    db = use_db(tmp_path / "b.duckdb")
    _publish(db, _report("b24", 2024, "部门预算", BUDGET_2024))
    ran = _runs_of(monkeypatch, "code_len")  # the 同比 query of one unit

    def yoy() -> list:
        return queries.yoy_func("测试局", "部门预算", "gp_expenditure", "total").fiscal_year.tolist()

    assert yoy() == [2024, 2024] and len(ran) == 1
    _publish(db, _report("o24", 2024, "部门预算", BUDGET_2024, unit="其他局"))
    assert yoy() == [2024, 2024] and len(ran) == 1  # another unit's report: not run again
    _publish(db, _report("b25", 2025, "部门预算", {"201": {"total": "130.00"}}))
    assert sorted(set(yoy())) == [2024, 2025] and len(ran) == 2  # the unit's own next year: run again


def test_a_new_generation_is_warmed_in_the_background(tmp_path, use_db, monkeypatch) -> None:
    """The list of reports of a new generation is computed by the watcher thread, not by the next page run."""
    from tests.test_rules_cross import BUDGET_2024, _report

    db = use_db(tmp_path / "b.duckdb")
    _publish(db, _report("b24", 2024, "部门预算", BUDGET_2024))
    monkeypatch.setattr(generations, "WATCH_EVERY_S", 0.02)
    generations.check_database()  # a page run: the watcher now watches this file
    queries.documents()
    ran = _runs_of(monkeypatch, "d.title, d.source_file")  # documents()
    _publish(db, _report("o24", 2024, "部门预算", BUDGET_2024, unit="其他局"))
    deadline = time.monotonic() + 10
    while not ran and time.monotonic() < deadline:
        time.sleep(0.02)  # polling the condition
    assert ran == ["warm-new-generations"]
    assert sorted(queries.documents().doc_id) == ["b24", "o24"]  # the page run finds it warm
    assert ran == ["warm-new-generations"]


def test_a_years_comparison_is_run_again_only_when_that_year_changes(tmp_path, use_db, monkeypatch) -> None:
    from tests.test_rules_cross import BUDGET_2024, _report

    db = use_db(tmp_path / "b.duckdb")
    _publish(db, _report("b24", 2024, "部门预算", BUDGET_2024, total="120.00"))
    ran = _runs_of(monkeypatch, "AS item_rank")  # 单位对比's totals of one year
    assert queries.year_totals(2024).doc_id.tolist() == ["b24"] and len(ran) == 1
    _publish(db, _report("x25", 2025, "部门预算", {"201": {"total": "130.00"}}, unit="第三局"))
    assert queries.year_totals(2024).doc_id.tolist() == ["b24"] and len(ran) == 1  # another year: still warm
    _publish(db, _report("o24", 2024, "部门预算", BUDGET_2024, unit="其他局"))
    assert queries.year_totals(2024).doc_id.tolist() == ["b24", "o24"] and len(ran) == 2
