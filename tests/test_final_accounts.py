"""决算 (final accounts) samples: what the database holds after ingest, asserted with the amounts as printed.

上海市普陀区财政局 2024 部门决算 (25 pages, 万元): every one of its nine tables, with the page each amount is
printed on; the 规划和自然资源局 report (7-digit codes in one column, a heading naming the unit differently); the
blank national template (上海市 XX 局), which is refused with a message saying it is a template.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from .samples import SAMPLES, reviewer_rules

FINAL = SAMPLES / "final"
FINANCE = FINAL / "shanghai-putuo-finance-2024-dept-final.pdf"
PLANNING = FINAL / "shanghai-putuo-planning-2024-dept-final.pdf"
TEMPLATE = FINAL / "national-dept-final-template-2024.pdf"

needs_finals = pytest.mark.skipif(not FINANCE.exists(), reason=f"the 决算 sample PDFs are read from {FINAL}, "
                                                                 "which is absent on this machine")
pytestmark = needs_finals


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory):
    from etl.store.ingest import ingest_file
    from etl.store.write import connect

    con = connect(tmp_path_factory.mktemp("finals") / "final.duckdb")
    outcomes = {f.name: ingest_file(con, f) for f in (FINANCE, PLANNING, TEMPLATE) if f.exists()}
    yield con, outcomes
    con.close()


def _doc(db, path: Path) -> str:
    _, outcomes = db
    outcome = outcomes[path.name]
    assert outcome.status == "loaded", outcome.message
    return outcome.report.doc["doc_id"]


def _one(con, sql: str, *params):
    rows = con.execute(sql, list(params)).fetchall()
    assert len(rows) == 1, (sql, params, rows)
    return rows[0]


def wan(text: str) -> D:
    """A printed 万元 figure in 元."""
    return D(text.replace(",", "")) * 10000


def func(db, path, kind, code, measure):
    con, _ = db
    return _one(con, "SELECT amount_yuan, page FROM func_lines WHERE doc_id=? AND table_kind=? "
                     "AND code IS NOT DISTINCT FROM ? AND measure=?", _doc(db, path), kind, code, measure)


def summary(db, path, kind, side, item, measure="total", nth=0):
    con, _ = db
    rows = con.execute("SELECT amount_yuan, page FROM summary_lines WHERE doc_id=? AND table_kind=? AND side=? "
                       "AND item=? AND measure=? ORDER BY row_no", [_doc(db, path), kind, side, item, measure]).fetchall()
    return rows[nth]


def econ(db, path, code_or_name):
    con, _ = db
    return _one(con, "SELECT amount_yuan, page, is_group FROM econ_lines WHERE doc_id=? AND (econ_code=? OR "
                     "(econ_code IS NULL AND econ_name=?)) AND measure='total'", _doc(db, path), code_or_name,
                code_or_name)


def fact(db, path, key, code=None):
    con, _ = db
    return con.execute("SELECT value, unit, page FROM facts WHERE doc_id=? AND key=? AND code IS NOT DISTINCT FROM ? "
                       "ORDER BY page", [_doc(db, path), key, code]).fetchall()


# ---------------------------------------------------------------------------------------------------------------
# 上海市普陀区财政局 2024 部门决算
# ---------------------------------------------------------------------------------------------------------------
def test_finance_document(db):
    con, outcomes = db
    doc = outcomes[FINANCE.name].report.doc
    assert (doc["unit_name"], doc["fiscal_year"], doc["doc_type"]) == ("上海市普陀区财政局", 2024, "部门决算")
    kinds = con.execute("SELECT table_kind, page_from, page_to, unit_printed, has_data FROM report_tables "
                        "WHERE doc_id=? AND table_kind<>'unrecognised' ORDER BY seq", [_doc(db, FINANCE)]).fetchall()
    assert kinds == [
        ("final_summary", 6, 7, "万元", True), ("revenue", 8, 9, "万元", True), ("expenditure", 10, 11, "万元", True),
        ("fiscal_summary", 12, 14, "万元", True), ("gp_expenditure", 15, 15, "万元", True),
        ("gp_basic_econ", 16, 17, "万元", True), ("three_public", 18, 18, "万元", True),
        ("gov_fund_expenditure", 19, 19, "万元", False), ("soe_capital", 20, 20, "万元", False),
    ]


def test_finance_final_summary(db):
    k = "final_summary"
    assert summary(db, FINANCE, k, "收入", "一般公共预算财政拨款收入") == (wan("2,940.05"), 6)
    assert summary(db, FINANCE, k, "收入", "其他收入") == (wan("6.20"), 6)
    assert summary(db, FINANCE, k, "收入", "本年收入合计") == (wan("2,946.25"), 6)
    assert summary(db, FINANCE, k, "收入", "年初结转和结余") == (wan("49.14"), 7)
    assert summary(db, FINANCE, k, "收入", "总计") == (wan("2,995.39"), 7)
    assert summary(db, FINANCE, k, "支出", "一般公共服务支出") == (wan("2,106.66"), 6)
    assert summary(db, FINANCE, k, "支出", "社会保障和就业支出") == (wan("326.71"), 6)  # 326.72 in 支出决算表
    assert summary(db, FINANCE, k, "支出", "年末结转和结余") == (wan("55.34"), 7)
    assert summary(db, FINANCE, k, "支出", "总计") == (wan("2,995.39"), 7)
    con, _ = db
    # a blank cell is no row: 结余分配 and 使用非财政拨款结余 are printed empty
    assert con.execute("SELECT count(*) FROM summary_lines WHERE doc_id=? AND item IN ('结余分配', "
                       "'使用非财政拨款结余（含专用结余）')", [_doc(db, FINANCE)]).fetchone()[0] == 0


def test_finance_revenue_table(db):
    assert func(db, FINANCE, "revenue", None, "total") == (wan("2,946.25"), 8)
    assert func(db, FINANCE, "revenue", None, "fiscal_appropriation") == (wan("2,940.05"), 8)
    assert func(db, FINANCE, "revenue", None, "other_income") == (wan("6.20"), 8)
    assert func(db, FINANCE, "revenue", "2010602", "total") == (wan("16.19"), 8)
    assert func(db, FINANCE, "revenue", "2010602", "other_income") == (wan("6.19"), 8)
    assert func(db, FINANCE, "revenue", "2210203", "total") == (wan("258.50"), 9)
    con, _ = db
    name = con.execute("SELECT DISTINCT name FROM func_lines WHERE doc_id=? AND table_kind='revenue' AND code='2080505'",
                       [_doc(db, FINANCE)]).fetchone()[0]
    assert name == "机关事业单位基本养老保险缴费支出"  # wrapped over two lines in the print
    labels = dict(con.execute("SELECT DISTINCT measure, column_label FROM func_lines WHERE doc_id=? AND "
                              "table_kind='revenue'", [_doc(db, FINANCE)]).fetchall())
    assert labels == {"total": "本年收入合计", "fiscal_appropriation": "财政拨款收入",
                      "other_income": "其他收入"}


def test_finance_expenditure_table(db):
    assert func(db, FINANCE, "expenditure", None, "total") == (wan("2,940.05"), 10)
    assert func(db, FINANCE, "expenditure", None, "basic") == (wan("2,336.91"), 10)
    assert func(db, FINANCE, "expenditure", None, "project") == (wan("603.14"), 10)
    assert func(db, FINANCE, "expenditure", "2010601", "basic") == (wan("1,503.52"), 10)
    assert func(db, FINANCE, "expenditure", "2010601", "project") == (wan("8.37"), 10)
    assert func(db, FINANCE, "expenditure", "2080599", "total") == (wan("0.94"), 11)


def test_finance_fiscal_summary(db):
    k = "fiscal_summary"
    assert summary(db, FINANCE, k, "收入", "一般公共预算财政拨款") == (wan("2,940.05"), 12)
    # the same row name again under 年初财政拨款结转和结余, after it in print order
    assert summary(db, FINANCE, k, "收入", "一般公共预算财政拨款", nth=1) == (wan("21.63"), 13)
    assert summary(db, FINANCE, k, "收入", "年初财政拨款结转和结余") == (wan("21.63"), 13)
    assert summary(db, FINANCE, k, "收入", "总计") == (wan("2,961.68"), 13)
    assert summary(db, FINANCE, k, "支出", "住房保障支出", "general_budget") == (wan("445.69"), 13)
    assert summary(db, FINANCE, k, "支出", "年末财政拨款结转和结余", "total") == (wan("21.63"), 13)
    assert summary(db, FINANCE, k, "支出", "总计", "general_budget") == (wan("2,961.68"), 13)


def test_finance_gp_expenditure(db):
    assert func(db, FINANCE, "gp_expenditure", "201", "total") == (wan("2,106.66"), 15)
    assert func(db, FINANCE, "gp_expenditure", "2010607", "project") == (wan("135.25"), 15)
    assert func(db, FINANCE, "gp_expenditure", None, "basic") == (wan("2,336.91"), 15)
    assert func(db, FINANCE, "gp_expenditure", None, "total") == (wan("2,940.05"), 15)


def test_finance_basic_econ_two_halves(db):
    assert econ(db, FINANCE, "301") == (wan("2,082.85"), 16, True)
    assert econ(db, FINANCE, "30102") == (wan("1,238.58"), 16, False)
    assert econ(db, FINANCE, "303") == (wan("69.41"), 16, True)
    assert econ(db, FINANCE, "30309") == (wan("0.31"), 17, False)
    assert econ(db, FINANCE, "302") == (wan("171.07"), 16, True)  # the right half, same printed row as 301
    assert econ(db, FINANCE, "30229") == (wan("42.77"), 17, False)
    assert econ(db, FINANCE, "310") == (wan("13.58"), 17, True)
    assert econ(db, FINANCE, "人员经费合计") == (wan("2,152.26"), 17, True)
    assert econ(db, FINANCE, "公用经费合计") == (wan("184.65"), 17, True)
    con, _ = db
    names = dict(con.execute("SELECT econ_code, econ_name FROM econ_lines WHERE doc_id=? AND econ_code IN "
                             "('30108', '30299')", [_doc(db, FINANCE)]).fetchall())
    assert names == {"30108": "机关事业单位基本养老保险缴费", "30299": "其他商品和服务支出"}


def test_finance_three_public_budget_and_actual(db):
    con, _ = db
    rows = con.execute("SELECT item, measure, amount_yuan, page FROM three_public WHERE doc_id=? ORDER BY item, measure",
                       [_doc(db, FINANCE)]).fetchall()
    # only the two 预算数 cells are printed; every 决算数 is blank (no 三公 spending in 2024)
    assert rows == [("公务接待费", "budget", wan("0.95"), 18), ("合计", "budget", wan("0.95"), 18)]


def test_finance_empty_fund_tables_keep_their_notes(db):
    con, _ = db
    notes = dict(con.execute("SELECT table_kind, note FROM report_tables WHERE doc_id=? AND table_kind IN "
                             "('gov_fund_expenditure', 'soe_capital')", [_doc(db, FINANCE)]).fetchall())
    assert notes == {"gov_fund_expenditure": "注：上海市普陀区财政局无政府性基金预算财政拨款支出，故本表无数据。",
                     "soe_capital": "注：上海市普陀区财政局无国有资本经营预算财政拨款支出，故本表无数据。"}
    assert con.execute("SELECT count(*) FROM func_lines WHERE doc_id=? AND table_kind IN ('gov_fund_expenditure', "
                       "'soe_capital')", [_doc(db, FINANCE)]).fetchone()[0] == 0


def test_planning_empty_fund_table_note_follows_a_descriptive_note(db):
    """规划局 prints 注：本表反映… and then 说明：…故本表无数据 under the grid: the second is the table's note."""
    con, _ = db
    note = con.execute("SELECT note FROM report_tables WHERE doc_id=? AND table_kind='gov_fund_expenditure'",
                       [_doc(db, PLANNING)]).fetchone()[0]
    assert note == "说明：上海市普陀区规划和自然资源局本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。"


def test_finance_prose_facts(db):
    assert fact(db, FINANCE, "final_total") == [(2995.39, "万元", 21)]
    assert fact(db, FINANCE, "final_total_change") == [(-56.95, "万元", 21)]
    assert fact(db, FINANCE, "final_total_change_pct") == [(-1.87, "%", 21)]
    assert fact(db, FINANCE, "revenue_current") == [(2946.25, "万元", 21)]
    assert fact(db, FINANCE, "revenue_fiscal_appropriation_share") == [(99.79, "%", 21)]
    assert fact(db, FINANCE, "basic_total") == [(2336.91, "万元", 21)]
    assert fact(db, FINANCE, "project_total") == [(603.14, "万元", 21)]
    # the report's own slip: 财政拨款收入支出总计 printed as 0.3万元 (its table says 2,961.68)
    assert fact(db, FINANCE, "fiscal_total") == [(0.3, "万元", 21)]
    assert fact(db, FINANCE, "gp_budget") == [(2993.92, "万元", 21)]
    assert fact(db, FINANCE, "gp_completion_pct") == [(98.2, "%", 21)]
    assert fact(db, FINANCE, "gp_comparison") == [(None, "小于", 21)]
    assert fact(db, FINANCE, "gp_class_share", "201") == [(71.73, "%", 21)]
    assert fact(db, FINANCE, "item_budget", "2010601") == [(1560.05, "万元", 22)]
    assert fact(db, FINANCE, "item_actual", "2010601") == [(1511.89, "万元", 22)]
    assert fact(db, FINANCE, "item_comparison", "2010601") == [(None, "小于", 22)]
    assert fact(db, FINANCE, "item_comparison", "2010602") == [(None, "持平", 22)]
    assert fact(db, FINANCE, "item_budget", "2210203") == [(258.5, "万元", 22)]
    assert fact(db, FINANCE, "basic_personnel") == [(2152.26, "万元", 23)]
    assert fact(db, FINANCE, "basic_public") == [(184.65, "万元", 23)]
    assert fact(db, FINANCE, "three_public_budget") == [(0.95, "万元", 23)]
    assert fact(db, FINANCE, "three_public_actual") == [(0.0, "万元", 23)]
    assert fact(db, FINANCE, "operating_cost_actual") == [(184.65, "万元", 24)]
    con, _ = db
    why = con.execute("SELECT sentence FROM facts WHERE doc_id=? AND key='item_reason' AND code='2010607'",
                      [_doc(db, FINANCE)]).fetchone()[0]
    assert why == "因产业政策扶持资金管理系统项目进度，调减相关经费"
    # the 预算 prose parser does not read a 决算 (its 预算安排 keys would mean other things here)
    assert fact(db, FINANCE, "fiscal_revenue") == []


# ---------------------------------------------------------------------------------------------------------------
# 上海市普陀区规划和自然资源局 2024 部门决算
# ---------------------------------------------------------------------------------------------------------------
def test_planning_document_named_from_its_cover(db):
    _, outcomes = db
    doc = outcomes[PLANNING.name].report.doc
    # the table heading says 上海市规划和自然资源局; the cover (wrapped over two lines) names the unit
    assert (doc["unit_name"], doc["fiscal_year"], doc["doc_type"]) == ("上海市普陀区规划和自然资源局", 2024, "部门决算")


def test_planning_tables(db):
    assert summary(db, PLANNING, "final_summary", "支出", "城乡社区支出") == (wan("3845.25"), 7)
    assert summary(db, PLANNING, "final_summary", "支出", "本年支出合计") == (wan("9759.38"), 7)
    assert summary(db, PLANNING, "fiscal_summary", "支出", "城乡社区支出", "general_budget") == (wan("3832.36"), 12)
    assert func(db, PLANNING, "revenue", "2080502", "fiscal_appropriation") == (wan("28.11"), 8)
    assert func(db, PLANNING, "expenditure", "212", "total") == (wan("3845.24"), 11)
    assert func(db, PLANNING, "expenditure", "2200199", "basic") == (wan("0.00"), 11)
    assert func(db, PLANNING, "gp_expenditure", None, "basic") == (wan("5364.75"), 15)
    assert econ(db, PLANNING, "30107") == (wan("1594.02"), 16, False)
    assert econ(db, PLANNING, "人员经费合计") == (wan("4884.09"), 16, True)
    con, _ = db
    tp = dict(((i, m), v) for i, m, v in con.execute(
        "SELECT item, measure, amount_yuan FROM three_public WHERE doc_id=?", [_doc(db, PLANNING)]).fetchall())
    assert tp[("合计", "budget")] == wan("2.85") and tp[("合计", "actual")] == wan("0.39")
    assert tp[("公务用车运行维护费", "actual")] == 0


def test_planning_items_the_tables_do_not_name_are_uncoded_with_a_warning(db):
    _, outcomes = db
    warnings = [i.message for i in outcomes[PLANNING.name].report.issues]
    assert any("住房保障支出（类）住房保障支出（款）住房公积金（项）" in w and "找不到" in w for w in warnings)
    assert fact(db, PLANNING, "item_budget", "2120201") == [(3110.14, "万元", 23)]
    assert fact(db, PLANNING, "item_completion_pct", "2120201") == [(88.08, "%", 23)]


# ---------------------------------------------------------------------------------------------------------------
# the blank national template
# ---------------------------------------------------------------------------------------------------------------
def test_template_is_refused_as_a_template(db):
    con, outcomes = db
    outcome = outcomes[TEMPLATE.name]
    assert outcome.status == "refused"
    assert "模板" in outcome.message and "XX" in outcome.message
    assert con.execute("SELECT count(*) FROM documents WHERE unit_name LIKE '%XX%' OR unit_name IS NULL").fetchone()[0] == 0


def test_budget_vs_actual_view(db):
    con, _ = db
    rows = {r[0]: r[1:] for r in con.execute(
        "SELECT code, budget_yuan, budget_source, budget_page, actual_yuan, actual_page, difference_yuan, completion_pct "
        "FROM budget_vs_actual WHERE final_doc_id=?", [_doc(db, FINANCE)]).fetchall()}
    # no 2024 预算 of the 财政局 is loaded: the budget is the 决算's own 年初预算 (its prose, p21/p22)
    assert rows[None] == (wan("2993.92"), "年初预算", 21, wan("2,940.05"), 15, wan("-53.87"), 98.2)
    assert rows["2010601"] == (wan("1560.05"), "年初预算", 22, wan("1,511.89"), 15, wan("-48.16"), 96.91)
    assert rows["2210203"][:2] == (wan("258.50"), "年初预算")
    # a 类 the prose gives no budget for has none (never summed up from its 项)
    assert rows["201"][0] is None and rows["201"][3] == wan("2,106.66")


def _failed(db, path) -> list[tuple[str, str]]:
    con, _ = db
    return con.execute("SELECT rule, description FROM checks WHERE doc_id=? AND passed IS NOT TRUE "
                       "AND NOT list_contains(?, rule) ORDER BY rule, check_id", [_doc(db, path), reviewer_rules()]).fetchall()


def test_finance_every_check_passes_but_the_reports_own_two_slips(db):
    """All of the 财政局's arithmetic and wording holds, except two things the report itself prints wrong: its
    财政拨款收入支出总计 stated as 0.3万元 (the table says 2,961.68), and 一般公共服务支出 stated as 71.73% of
    2,940.05 (2,106.66 is 71.65%)."""
    con, _ = db
    assert _failed(db, FINANCE) == [
        ("final.prose_shares", "说明文字第21页“一般公共服务支出（201）”占71.73%，按表中数字为71.65%（“一般公共预算财政拨款支出决算表”"
                               "科目201的合计÷“一般公共预算财政拨款支出决算表”合计）"),
        ("final.prose_vs_tables", "说明文字第21页“财政拨款收入支出总计”0.3万元，应等于“财政拨款收入支出决算总表”总计"),
    ]
    rules = {r for (r,) in con.execute("SELECT DISTINCT rule FROM checks WHERE doc_id=?", [_doc(db, FINANCE)]).fetchall()}
    assert {"final_summary.totals", "final_summary.balance", "revenue.row_sources", "expenditure.row_parts",
            "fiscal_summary.final_totals", "final_summary.vs_revenue", "final_summary.vs_expenditure",
            "fiscal_summary.vs_final_summary", "gp_basic_econ.personnel_public", "gp_basic_econ.final_vs_gp_basic",
            "final.prose_vs_tables", "final.prose_shares", "final.prose_wording", "final.prose_completion",
            "gp_expenditure.tree", "fiscal_summary.gp_total", "three_public.total_parts"} <= rules
    # 326.71 (收入支出决算总表) against 326.72 (支出决算表): one 0.01万元 rounding of the print, within tolerance
    row = con.execute("SELECT passed, expected, actual FROM checks WHERE doc_id=? AND check_id='final_summary:class:208'",
                      [_doc(db, FINANCE)]).fetchone()
    assert row == (True, wan("326.71"), wan("326.72"))


def test_planning_findings_are_named(db):
    """规划局's own discrepancies: its prose's 基本支出 and 人员经费 are the 支出决算表's (all funds), not the
    一般公共预算 tables' it names; a table heading names the unit 上海市规划和自然资源局."""
    assert _failed(db, PLANNING) == [
        ("final.heading_units", "标题“上海市规划和自然资源局2024年度部门决算表”所写单位“上海市规划和自然资源局”"
                                "应与封面单位“上海市普陀区规划和自然资源局”一致"),
        ("final.prose_vs_tables", "说明文字第24页“人员经费”4,896.98万元，应等于“一般公共预算财政拨款基本支出决算表”人员经费合计"),
        ("final.prose_vs_tables", "说明文字第24页“一般公共预算财政拨款基本支出”5,377.64万元，应等于“一般公共预算财政拨款支出决算表”基本支出合计"),
    ]
