"""Every sample report: what the database holds after ingest, asserted with amounts as printed."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from .samples import YANGQUAN, doc_id, needs_samples, reviewer_rules

WANLI23 = "shanghai-putuo-wanli-2023-dept-budget.pdf"
WANLI24 = "shanghai-putuo-wanli-2024-dept-budget.pdf"
FINANCE25 = "shanghai-putuo-finance-2025-dept-budget.pdf"
WELFARE24 = "shanghai-putuo-welfare-home-2024-unit-budget.pdf"
SH_KINDS = ["summary", "revenue", "expenditure", "fiscal_summary", "gp_expenditure", "gov_fund_expenditure",
            "soe_capital", "gp_basic_econ", "operating_cost", "three_public"]


@pytest.fixture(scope="module")
def db(samples_db):
    return samples_db


_doc = doc_id


def _one(con, sql: str, *params):
    rows = con.execute(sql, list(params)).fetchall()
    assert len(rows) == 1, (sql, params, rows)
    return rows[0][0]


def func(db, name, kind, code, measure) -> D:
    con, _ = db
    doc = _doc(db, name)
    return _one(con, "SELECT amount_yuan FROM func_lines WHERE doc_id=? AND table_kind=? AND code IS NOT DISTINCT FROM ? "
                     "AND measure=?", doc, kind, code, measure)


def summary(db, name, kind, side, item, measure) -> D:
    con, _ = db
    return _one(con, "SELECT amount_yuan FROM summary_lines WHERE doc_id=? AND table_kind=? AND side=? AND item=? "
                     "AND measure=? ORDER BY row_no LIMIT 1", _doc(db, name), kind, side, item, measure)


def econ(db, name, code_or_name, measure) -> D:
    con, _ = db
    return _one(con, "SELECT amount_yuan FROM econ_lines WHERE doc_id=? AND (econ_code=? OR (econ_code IS NULL AND "
                     "econ_name=?)) AND measure=?", _doc(db, name), code_or_name, code_or_name, measure)


def three(db, name, kind, item, measure="total") -> D:
    con, _ = db
    return _one(con, "SELECT amount_yuan FROM three_public WHERE doc_id=? AND table_kind=? AND item=? AND measure=?",
                _doc(db, name), kind, item, measure)


def func_counts(db, name) -> dict[str, int]:
    con, _ = db
    return dict(con.execute("SELECT table_kind, count(*) FROM func_lines WHERE doc_id=? GROUP BY 1", [_doc(db, name)]).fetchall())


def kinds(db, name) -> list[str]:
    con, _ = db
    return [r[0] for r in con.execute("SELECT table_kind FROM report_tables WHERE doc_id=? AND table_kind NOT IN "
                                      "('performance_form','procurement') ORDER BY seq, table_kind", [_doc(db, name)]).fetchall()]


def failed_checks(db, name) -> list[tuple]:
    con, _ = db
    return con.execute("SELECT check_id, expected, actual FROM checks WHERE doc_id=? AND NOT passed "
                       "AND NOT list_contains(?, rule)", [_doc(db, name), reviewer_rules()]).fetchall()


def not_run_checks(db, name) -> list[str]:
    con, _ = db
    return [r[0] for r in con.execute("SELECT check_id FROM checks WHERE doc_id=? AND passed IS NULL",
                                      [_doc(db, name)]).fetchall()]


def errors(db, name) -> list[str]:
    con, _ = db
    return [r[0] for r in con.execute("SELECT message FROM ingest_issues WHERE doc_id=? AND severity='error'",
                                      [_doc(db, name)]).fetchall()]


# ---------------------------------------------------------------- 阳泉 2023 (text extraction, 万元)
Y = YANGQUAN.name


def test_yangquan_document(db):
    con, _ = db
    row = con.execute("SELECT unit_name, fiscal_year, doc_type, title, page_count, source_kind FROM documents WHERE doc_id=?",
                      [_doc(db, Y)]).fetchone()
    assert row == ("阳泉市文化和旅游局", 2023, "单位预算", "阳泉市文化和旅游局2023年单位预算公开报告", None, "text")


def test_yangquan_tables_by_kind_and_number(db):
    con, _ = db
    rows = con.execute("SELECT table_no, table_kind, unit_printed, has_data FROM report_tables WHERE doc_id=? AND table_no "
                       "IS NOT NULL ORDER BY seq", [_doc(db, Y)]).fetchall()
    assert rows == [
        ("1", "summary", "万元", True), ("2", "revenue", "万元", True), ("3", "expenditure", "万元", True),
        ("4", "fiscal_summary", "万元", True), ("5", "gp_expenditure", "万元", True), ("6", "gp_basic_econ", "万元", True),
        ("7", "gov_fund_revenue", "万元", False), ("8", "gov_fund_expenditure", "万元", False),
        ("9", "soe_capital", "万元", False), ("10", "three_public", "万元", False), ("11", "operating_cost", "万元", True),
        ("12", "projects", "万元", True), ("13", "projects_carryover", "万元", True),
    ]


def test_yangquan_func_line_counts(db):
    assert func_counts(db, Y) == {"revenue": 56, "expenditure": 57, "gp_expenditure": 53}


@pytest.mark.parametrize(("kind", "code", "measure", "amount"), [
    ("expenditure", "2070107", "total", "22194000.00"),
    ("expenditure", "2070107", "project", "22194000.00"),
    ("expenditure", None, "total", "36232600.00"),
    ("expenditure", None, "basic", "4252100.00"),
    ("expenditure", "2070101", "basic", "3235500.00"),
    ("expenditure", "20799", "project", "4071900.00"),
    ("revenue", None, "carryover", "3467900.00"),
    ("revenue", "2070204", "carryover", "130900.00"),
    ("revenue", "2079999", "general_budget", "734900.00"),
    ("gp_expenditure", None, "project", "28512700.00"),
    ("gp_expenditure", "2080505", "total", "357400.00"),
    ("gp_expenditure", "2210201", "basic", "306000.00"),
])
def test_yangquan_func_amounts(db, kind, code, measure, amount):
    assert func(db, Y, kind, code, measure) == D(amount)


def test_yangquan_wrapped_name_is_rejoined(db):
    con, _ = db
    assert _one(con, "SELECT DISTINCT name FROM func_lines WHERE doc_id=? AND code='2080505' AND table_kind='expenditure'",
                _doc(db, Y)) == "机关事业单位基本养老保险缴费支出"


def test_yangquan_summary_tables(db):
    assert summary(db, Y, "summary", "收入", "一般公共预算", "total") == D("32764800.00")
    assert summary(db, Y, "summary", "收入", "上年结转", "total") == D("3467900.00")
    assert summary(db, Y, "summary", "支出", "文化旅游体育与传媒支出", "carryover") == D("3467900.00")
    assert summary(db, Y, "summary", "支出", "文化旅游体育与传媒支出", "current_year") == D("31748200.00")
    assert summary(db, Y, "summary", "支出", "本年支出合计", "total") == D("36232600.00")
    assert summary(db, Y, "fiscal_summary", "支出", "住房保障支出", "general_budget") == D("306000.00")
    assert summary(db, Y, "fiscal_summary", "收入", "上年财政拨款结转", "total") == D("3467900.00")


def test_yangquan_econ_and_operating_cost(db):
    assert econ(db, Y, "合计", "personnel") == D("3776400.00")
    assert econ(db, Y, "合计", "public") == D("475600.00")
    con, _ = db
    assert _one(con, "SELECT amount_yuan FROM econ_lines WHERE doc_id=? AND econ_name='其他交通费用' AND measure='public'",
                _doc(db, Y)) == D("215100.00")
    assert _one(con, "SELECT gov_econ_name FROM econ_lines WHERE doc_id=? AND econ_name='基本工资' AND measure='total'",
                _doc(db, Y)) == "工资奖金津补贴"
    assert three(db, Y, "operating_cost", "机关运行经费") == D("475600.00")


def test_yangquan_projects(db):
    con, _ = db
    rows = con.execute("SELECT name, total_yuan, general_budget_yuan, gov_fund_yuan FROM projects WHERE doc_id=? AND "
                       "table_kind='projects' ORDER BY row_no", [_doc(db, Y)]).fetchall()
    assert len(rows) == 13
    assert rows[10] == ("三团过渡期保障经费", D("22194000.00"), D("22194000.00"), None)
    assert rows[11][0] == "全省第七旅发大会阳泉分会场“大美太行在山西宣传活动”项目"
    carried = con.execute("SELECT name, total_yuan FROM projects WHERE doc_id=? AND carryover ORDER BY row_no",
                          [_doc(db, Y)]).fetchall()
    assert [r[1] for r in carried] == [D("120300.00"), D("556000.00"), D("2781000.00"), D("10600.00")]


def test_yangquan_every_check_passes_and_nothing_unparsed(db):
    assert errors(db, Y) == []
    assert failed_checks(db, Y) == []
    con, _ = db
    n = _one(con, "SELECT count(*) FROM checks WHERE doc_id=?", _doc(db, Y))
    assert n >= 190


# ---------------------------------------------------------------- 上海 PDFs (元; 三公 in 万元)
# Every table of every 上海 sample adds up; what fails is where the report contradicts itself, each named here with
# the figures as printed (check_id, expected from the table in 元, actual as the prose or form states it in 元).
REPORT_DISCREPANCIES = {
    WANLI23: {
        # p.7 item 16: “…职业年金缴费支出（项）”220.63万元 … 2023年预算安排441.25万元 — the table prints 2,206,272
        ("facts:item_budget:2080506:16", D("2206272.00"), D("4412500.00")),
        # p.29: 5 projects “涉及项目预算资金3328.13万元”; the 5 填报表 print 年度资金申请总额 summing to 33,513,343
        ("facts:performance_funds::1", D("33513343.00"), D("33281300.00")),
        # p.35 公共服务设施运行经费: 年度资金申请总额 10,903,043.00 but 其中：当年财政拨款 11,419,043.00
        ("performance_form:funds:4:年度", D("10903043.00"), D("11419043.00")),
        # p.6: “政府性基金拨款支出预算0万元，比2022年预算增加1421.25万元” — last year's figure would be −1,421.25万元
        # (the sentence repeats the 一般公共预算 change before it)
        ("facts:gov_fund_expenditure_change:prior", None, None),
        # p.6 item 3: 预算安排45.41万元 against 执行数11.67万元 is +289.12%, the text says 增加314.82%
        ("facts:item_change_pct:2012902:2", None, None),
        # p.7 item 16: 441.25 (or the item's 220.63) against 132.59万元 is +232.79% (+66.40%), the text says 60.54%
        ("facts:item_change_pct:2080506:15", None, None),
    },
    WANLI24: {
        # p.9 item 31: 住房公积金 “350.35万元” (= table 3,503,499) then “2024年预算安排352.67万元”
        ("facts:item_budget:2210201:31", D("3503499.00"), D("3526700.00")),
        # p.31: the table prints 三公 47.91 and 机关运行经费 443.18万元 above its own note “注:本部门2024年无“三公”经费和
        # 机关运行经费预算，故本表为空表。” (the note is the table's: one finding per contract table it holds)
        ("operating_cost:note_empty:8", None, None),
        ("three_public:note_empty:8", None, None),
    },
    FINANCE25: {
        # p.7 item 7: 职业年金缴费支出 “887.36万元”; the tables print 873,617 (87.36万元)
        ("facts:item_amount:2080506:7", D("873617.00"), D("8873600.00")),
        # p.18: the 国有资本经营预算 table's note speaks of 政府性基金 (“本部门2025年无政府性基金预算财政拨款安排的预算”),
        # copied from the table before it
        ("soe_capital:note_subject:6", None, None),
    },
    WELFARE24: {
        # p.6 item 4: 社会福利事业单位 “738.66万元” and 预算安排738.66万元; 一般公共预算 table prints 6,964,796
        ("facts:item_amount:2081005:4", D("6964796.00"), D("7386600.00")),
        ("facts:item_budget:2081005:4", D("6964796.00"), D("7386600.00")),
    },
}


@needs_samples
@pytest.mark.parametrize(("name", "counts"), [
    (WANLI23, {"revenue": 134, "expenditure": 201, "gp_expenditure": 201}),
    (WANLI24, {"revenue": 335, "expenditure": 201, "gp_expenditure": 201}),
    (FINANCE25, {"revenue": 40, "expenditure": 44, "gp_expenditure": 44}),
    (WELFARE24, {"revenue": 34, "expenditure": 34, "gp_expenditure": 30}),
])
def test_shanghai_func_counts_kinds_and_checks(db, name, counts):
    assert func_counts(db, name) == counts
    assert kinds(db, name) == [k for k in SH_KINDS]
    assert errors(db, name) == []
    assert set(failed_checks(db, name)) == REPORT_DISCREPANCIES[name]
    assert not_run_checks(db, name) == []
    con, _ = db
    table_failures = _one(con, "SELECT count(*) FROM checks WHERE doc_id=? AND NOT passed AND rule NOT LIKE 'prose.%' "
                               "AND rule NOT LIKE 'notes.%' AND rule NOT LIKE 'performance_form.%' "
                               "AND NOT list_contains(?, rule)", _doc(db, name), reviewer_rules())
    assert table_failures == 0  # the tables' arithmetic always adds up


@needs_samples
def test_wanli_2023_amounts(db):
    n = WANLI23
    assert func(db, n, "expenditure", None, "total") == D("164978640.00")
    assert func(db, n, "expenditure", None, "basic") == D("99406297.00")
    assert func(db, n, "expenditure", None, "project") == D("65572343.00")
    assert func(db, n, "expenditure", "212", "project") == D("49878543.00")
    assert func(db, n, "gp_expenditure", "2120101", "total") == D("18373632.00")
    assert func(db, n, "revenue", "2010506", "fiscal_appropriation") == D("26300.00")
    assert summary(db, n, "summary", "收入", "财政拨款收入", "total") == D("164978640.00")
    assert summary(db, n, "summary", "支出", "社会保障和就业支出", "total") == D("27073236.00")
    assert summary(db, n, "fiscal_summary", "支出", "文化旅游体育与传媒支出", "general_budget") == D("200000.00")
    assert econ(db, n, "30101", "personnel") == D("5668416.00")
    assert econ(db, n, "302", "public") == D("15381432.00")
    assert three(db, n, "three_public", "合计") == D("229100.00")
    assert three(db, n, "three_public", "公务用车运行维护费") == D("215600.00")
    assert three(db, n, "operating_cost", "机关运行经费") == D("7860900.00")


@needs_samples
def test_wanli_2023_pages_and_units(db):
    con, _ = db
    rows = con.execute("SELECT table_kind, unit_printed, page_from, page_to FROM report_tables WHERE doc_id=? AND "
                       "table_kind IN ('revenue','gp_basic_econ','three_public') ORDER BY seq", [_doc(db, WANLI23)]).fetchall()
    assert rows == [("revenue", "元", 11, 14), ("gp_basic_econ", "元", 26, 27), ("three_public", "万元", 28, 28)]
    assert _one(con, "SELECT page FROM func_lines WHERE doc_id=? AND table_kind='expenditure' AND code IS NULL AND "
                     "measure='total'", _doc(db, WANLI23)) == 18


@needs_samples
def test_wanli_2024_amounts(db):
    n = WANLI24
    assert func(db, n, "expenditure", "2120101", "project") == D("250000.00")
    assert func(db, n, "expenditure", "2120101", "basic") == D("16353248.00")
    assert func(db, n, "revenue", None, "total") == D("156211123.00")
    assert func(db, n, "revenue", "2120101", "business_income") == D("0.00")  # a printed 0 is 0, not blank
    assert econ(db, n, "30102", "total") == D("16623810.00")  # printed “301 2”: leading zero restored
    assert econ(db, n, "合计", "personnel") == D("88537451.00")
    assert three(db, n, "three_public", "公务用车购置费") == D("250000.00")
    assert three(db, n, "operating_cost", "机关运行经费") == D("4431800.00")
    assert summary(db, n, "summary", "支出", "城乡社区支出", "total") == D("119385303.00")
    assert summary(db, n, "fiscal_summary", "支出", "支出总计", "general_budget") == D("156211123.00")
    assert summary(db, n, "fiscal_summary", "支出", "一般公共服务支出", "general_budget") == D("2932700.00")
    assert func(db, n, "gp_expenditure", "20105", "total") == D("257700.00")
    assert econ(db, n, "30228", "public") == D("607849.00")


@needs_samples
def test_finance_2025_amounts(db):
    n = FINANCE25
    assert func(db, n, "expenditure", None, "total") == D("31214205.80")
    assert func(db, n, "expenditure", None, "project") == D("6093114.80")
    assert func(db, n, "gp_expenditure", "2101101", "basic") == D("782164.00")
    assert func(db, n, "revenue", "2080505", "total") == D("1748327.00")
    assert econ(db, n, "30102", "personnel") == D("13012070.00")
    assert econ(db, n, "合计", "public") == D("2294335.00")
    assert three(db, n, "three_public", "公务接待费") == D("9500.00")
    assert three(db, n, "operating_cost", "机关运行经费") == D("2294300.00")
    assert summary(db, n, "summary", "收入", "收入总计", "total") == D("31214205.80")
    assert summary(db, n, "fiscal_summary", "支出", "一般公共服务支出", "general_budget") == D("22186440.80")
    assert func(db, n, "revenue", "20106", "fiscal_appropriation") == D("22186440.80")
    assert econ(db, n, "30227", "total") == D("100000.00")


@needs_samples
def test_welfare_home_2024_amounts(db):
    n = WELFARE24
    assert func(db, n, "expenditure", None, "total") == D("12121164.00")
    assert func(db, n, "revenue", None, "business_income") == D("2620000.00")
    assert func(db, n, "expenditure", "2101102", "basic") == D("503724.00")  # printed “7 11 02”
    assert func(db, n, "gp_expenditure", None, "total") == D("9501164.00")
    assert summary(db, n, "summary", "支出", "社会保障和就业支出", "public") == D("2120950.00")
    assert summary(db, n, "summary", "收入", "事业收入", "total") == D("2620000.00")
    assert econ(db, n, "合计", "personnel") == D("7380214.00")
    assert econ(db, n, "30201", "public") == D("69000.00")
    assert summary(db, n, "fiscal_summary", "支出", "社会保障和就业支出", "general_budget") == D("8661624.00")
    assert func(db, n, "revenue", "20805", "total") == D("1696828.00")
    assert three(db, n, "three_public", "公务用车运行维护费") == D("64000.00")
    assert three(db, n, "operating_cost", "机关运行经费") == D("0.00")
    con, _ = db
    warnings = [r[0] for r in con.execute("SELECT message FROM ingest_issues WHERE doc_id=? AND severity='warning'",
                                          [_doc(db, n)]).fetchall()]
    assert any("7 11 02" in w and "2101102" in w for w in warnings)


def test_all_loaded(db):
    _, outcomes = db
    assert all(o.status == "loaded" for o in outcomes.values()), {k: o.message for k, o in outcomes.items()}
    assert len(outcomes) >= 1
    assert Path(YANGQUAN).name in outcomes
